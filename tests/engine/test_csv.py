"""The CSV reader: every messy case loads with a report or is refused with the reason."""

import os

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import prepare
from engine.csv import (
    CSVError,
    CSVFormat,
    ImportChoices,
    build_dataset,
    load_table,
    missing_summary,
    read_csv,
    read_csv_text,
    sniff,
)


def write(tmp_path, content, name="data.csv"):
    p = tmp_path / name
    if isinstance(content, bytes):
        p.write_bytes(content)
    else:
        p.write_text(content, encoding="utf-8")
    return p


def refused(path, fragment, **kw):
    with pytest.raises(CSVError) as e:
        read_csv(path, **kw)
    msg = str(e.value)
    assert path.name in msg and fragment in msg, msg
    return msg


# -- what loads -------------------------------------------------------------------------
def test_numeric_csv_loads_with_the_last_numeric_column_as_target(tmp_path):
    ds, report = read_csv(write(tmp_path, "a,b,price\n1,2,10\n2,1,20\n3,5,25\n"))
    assert ds.target_name == "price" and ds.feature_names == ("a", "b")
    np.testing.assert_array_equal(ds.y, [10, 20, 25])
    assert report == []


def test_ids_text_and_missing_rows_are_reported(tmp_path):
    p = write(
        tmp_path, "id,city,a,y\n1,Oslo,1.5,3\n2,Rome,,4\n3,Oslo,2.5,\n4,Pisa,3,5\n"
    )
    ds, report = read_csv(p, "y")
    assert ds.feature_names == ("a",) and ds.n_samples == 2
    text = "\n".join(report)
    assert "column(s) of IDs: id" in text
    assert "categories: city" in text
    assert "whose target 'y' is missing" in text and "row 3" in text
    assert "missing feature values (data row 2)" in text


def test_semicolon_decimal_comma_bom_and_tab_are_detected(tmp_path):
    p = write(tmp_path, "\ufeffa;b;y\n1,5;2;3,25\n2,5;1;4,5\n3,0;7;1,0\n")
    fmt, _ = sniff(p)
    assert (fmt.delimiter, fmt.decimal, fmt.encoding) == (";", ",", "utf-8-sig")
    ds, _ = read_csv(p)
    np.testing.assert_allclose(ds.X[:, 0], [1.5, 2.5, 3.0])
    np.testing.assert_allclose(ds.y, [3.25, 4.5, 1.0])
    ds, _ = read_csv(write(tmp_path, "a\tb\ty\n1\t2\t3\n4\t5\t7\n7\t1\t2\n", "t.tsv"))
    assert ds.feature_names == ("a", "b")


def test_latin1_bytes_load_with_a_note(tmp_path):
    p = write(tmp_path, "café,b,y\n1,2,3\n2,5,4\n4,1,1\n".encode("latin-1"))
    ds, report = read_csv(p)
    assert ds.feature_names[0] == "café"
    assert any("not valid UTF-8" in r and "Latin-1" in r for r in report)


def test_ragged_rows_are_refused_with_the_line_or_skipped_on_request(tmp_path):
    p = write(tmp_path, "a,b,y\n1,2,3\n4,5,6\n7,8,9,10\n1,1,2\n")
    refused(p, "line 4 has 4 fields")
    ds, report = read_csv(p, skip_bad_lines=True)
    assert ds.n_samples == 3
    assert any("skipped 1 malformed row" in r and "line 4" in r for r in report)


def test_skipping_long_and_short_rows_keeps_every_good_row(tmp_path):
    p = write(tmp_path, 'a,b,y\n1,2,3\n1,2,3,4\n5,6,7\n8,9\n""\n10,11,12\n')
    ds, report = read_csv(p, "y", skip_bad_lines=True)
    assert ds.X.tolist() == [[1, 2], [5, 6], [10, 11]]
    assert (
        "skipped 1 malformed row(s) with the wrong number of fields (line 3)" in report
    )
    assert "skipped 2 row(s) with fewer fields than the header (line 5, 6)" in report


def test_short_rows_are_reported_with_their_line_or_skipped_on_request(tmp_path):
    p = write(tmp_path, "# c\na,y,b\n1,2,3\n\n4,5\n6,7,\n8,9,1\n2,2,2\n")
    ds, report = read_csv(p, "y")
    assert (
        "1 row(s) have fewer fields than the header (line 5): their missing cells "
        "count as missing values" in report
    )  # '6,7,' has all its fields, one of them empty
    assert "dropped 2 row(s) with missing feature values (data row 2, 3)" in report
    assert ds.n_samples == 3
    ds, report = read_csv(p, "y", skip_bad_lines=True)
    assert "skipped 1 row(s) with fewer fields than the header (line 5)" in report
    assert "dropped 1 row(s) with missing feature values (data row 2)" in report
    assert ds.n_samples == 3


def test_quoted_fields_with_delimiters_and_newlines(tmp_path):
    p = write(tmp_path, 'note,a,y\n"hello, world",1,2\n"two\nlines",2,3\n"x",3,5\n')
    ds, report = read_csv(p)
    assert ds.n_samples == 3 and ds.feature_names == ("a",)


def test_numbers_with_thousands_separators_and_huge_values(tmp_path):
    p = write(tmp_path, 'a,b,y\n"1,234.5",1e308,1\n"2,000",-1e308,2\n7,5,3\n')
    ds, report = read_csv(p)
    np.testing.assert_array_equal(ds.X[:, 0], [1234.5, 2000, 7])
    assert any("thousands separators removed" in r for r in report)
    assert any("very large values" in r and "'b'" not in r and "b" in r for r in report)
    data = prepare(ds)  # standardizing 1e308 does not overflow
    assert np.isfinite(data.X).all()
    np.testing.assert_allclose(data.X.std(axis=0), 1)


def test_infinities_are_treated_as_missing_and_said_so(tmp_path):
    p = write(tmp_path, "a,b,y\n1,inf,1\n2,3,2\n1e309,4,3\n5,6,4\n")
    ds, report = read_csv(p)
    assert ds.n_samples == 2
    assert any("infinite value" in r and "'a'" in r for r in report)
    assert any("infinite value" in r and "'b'" in r for r in report)


def test_text_target_with_two_classes_is_classification(tmp_path):
    p = write(tmp_path, "a,b,label\n1,2,yes\n2,1,no\n3,5,yes\n0,1,no\n")
    ds, report = read_csv(p, "label")
    assert ds.task == "classification" and ds.class_labels == ("no", "yes")
    np.testing.assert_array_equal(ds.y, [1, -1, 1, -1])
    ds, _ = read_csv(write(tmp_path, "a,b,y\n1,2,0\n2,1,1\n3,5,1\n", "b.csv"))
    assert ds.task == "classification" and ds.class_labels == ("0", "1")
    table = load_table(tmp_path / "b.csv")
    ds, _ = build_dataset(table, ImportChoices("y", ("a", "b"), loss="squared"))
    assert ds.task == "regression"


def test_a_feature_column_of_only_missing_values_is_dropped(tmp_path):
    p = write(tmp_path, "a,empty,y\n1,,1\n2,,2\n3,,4\n")
    ds, report = read_csv(p, choices=ImportChoices("y", ("a", "empty")))
    assert ds.feature_names == ("a",)
    assert any("'empty'" in r and "no values" in r for r in report)


def test_duplicate_names_constant_columns_and_no_header(tmp_path):
    p = write(tmp_path, "a,a,c,y\n1,2,5,1\n2,3,5,2\n4,1,5,3\n")
    ds, report = read_csv(p)
    assert ds.feature_names == ("a", "a_2")
    assert any("duplicate column name 'a'" in r for r in report)
    assert any("constant column(s): c" in r for r in report)
    fmt, _ = sniff(write(tmp_path, "1,2,3\n4,5,6\n7,8,10\n", "nohead.csv"))
    assert not fmt.header
    ds, _ = read_csv(tmp_path / "nohead.csv")
    assert ds.feature_names == ("column_1", "column_2") and ds.n_samples == 3


def test_dates_are_recognised_and_can_become_days(tmp_path):
    p = write(tmp_path, "listed,a,y\n2024-01-05,1,2\n2024-02-01,2,3\n2024-03-11,5,1\n")
    table = load_table(p)
    assert table.column("listed").kind == "date"
    ds, report = read_csv(p)
    assert ds.feature_names == ("a",) and any("of dates: listed" in r for r in report)
    ds, report = build_dataset(table, ImportChoices("y", ("listed", "a")))
    assert ds.X[1, 0] - ds.X[0, 0] == 27


def test_one_hot_encoding_and_mean_imputation(tmp_path):
    p = write(tmp_path, "colour,a,y\nred,1,1\nblue,,2\nred,3,3\ngreen,4,5\n")
    table = load_table(p)
    col = table.column("colour")
    assert col.kind == "categorical" and col.onehot_columns == 3
    choices = ImportChoices("y", ("a",), onehot=("colour",), missing="mean")
    assert missing_summary(table, choices) == (1, 1)
    ds, report = build_dataset(table, choices)
    assert ds.feature_names == ("a", "colour=blue", "colour=green", "colour=red")
    assert ds.X[1, 0] == pytest.approx(8 / 3)
    assert any("one-hot encoded into 3 columns" in r for r in report)
    assert any("filled 1 missing value" in r for r in report)


def test_ten_thousand_columns(tmp_path):
    rng = np.random.default_rng(0)
    A = rng.standard_normal((30, 10_000))
    header = ",".join(f"f{j}" for j in range(10_000))
    body = "\n".join(",".join(f"{v:.3f}" for v in row) for row in A)
    ds, _ = read_csv(write(tmp_path, header + "\n" + body + "\n"))
    assert ds.X.shape == (30, 9_999) and ds.target_name == "f9999"


# -- what is refused --------------------------------------------------------------------
@pytest.mark.parametrize(
    "content, fragment",
    [
        ("", "empty"),
        ("   \n\n", "empty"),
        ("a,b,c\n", "no data rows"),
        ("a,b,y\n1,2,3\n", "fewer than 2 complete rows"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR\x00\x01", "binary"),
        ("a,b\nx,y\nz,w\nq,r\n", "no numeric column"),
        ("a,b,y\n1,2,red\n2,1,green\n3,3,blue\n", "3 distinct values"),
        ("a,b,y\n1,2,\n2,1,\n3,3,\n", "is empty"),
        ("x,y\nfoo,1\nbar,2\nbaz,3\nqux,4\n", "no usable feature columns"),
    ],
)
def test_unusable_files_are_refused_with_the_reason(tmp_path, content, fragment):
    target = "y" if fragment in ("3 distinct values", "is empty") else None
    refused(write(tmp_path, content), fragment, target=target)


def test_a_file_deleted_between_choosing_and_reading(tmp_path):
    p = write(tmp_path, "a,y\n1,2\n2,3\n")
    fmt, _ = sniff(p)
    os.unlink(p)
    with pytest.raises(CSVError, match="does not exist"):
        load_table(p, fmt)
    refused(p, "does not exist")


def test_unknown_target_and_folder(tmp_path):
    p = write(tmp_path, "a,b\n1,2\n3,4\n")
    refused(p, "no column named 'z'", target="z")
    with pytest.raises(CSVError, match="folder"):
        read_csv(tmp_path)


def test_bytes_that_are_not_utf8_are_replaced_and_named_with_their_line(tmp_path):
    # an encoding chosen by hand is kept; the bad byte is replaced, and said so
    p = write(tmp_path, "a,b,y\n1,2,3\ncafé,5,6\n4,4,4\n".encode("latin-1"))
    table = load_table(p, CSVFormat(encoding="utf-8"))
    assert table.fmt.encoding == "utf-8"
    assert (
        "bytes that are not valid UTF-8 (the first at line 3) were read as '\ufffd'"
        in table.notes
    )
    # ... also far beyond the part that is sniffed, and after a byte-order mark
    head = "\ufeffy,city\n" + "1,Zürich\n" * 30_000
    p = write(tmp_path, head.encode() + "2,caf\xe9\n".encode("latin-1") + b"3,Bern\n")
    assert sniff(p)[0].encoding == "utf-8-sig"  # the first 64 KB are valid UTF-8
    table = load_table(p)
    assert table.names == ["y", "city"]  # no mangled byte-order mark
    city = table.column("city").values
    assert city[0] == "Zürich" and city[-2] == "caf\ufffd" and city[-1] == "Bern"
    assert any("(the first at line 30,002)" in n for n in table.notes)


def test_windows_1252_text_is_recognised(tmp_path):
    p = write(tmp_path, b"a,note,y\n1,x,3\n4,\x93quoted\x94 \x80,6\n5,z,7\n")
    table = load_table(p)
    assert table.fmt.encoding == "cp1252"
    assert table.column("note").values[1] == "\u201cquoted\u201d \u20ac"
    assert "not valid UTF-8 (first at line 3): read as Windows-1252" in table.notes


def test_forcing_an_encoding_that_cannot_read_the_file_names_the_problem(tmp_path):
    p = write(tmp_path, "a,b,y\n1,2,3\n4,5,6\n\u20ac,4,4\n".encode("utf-16"))
    with pytest.raises(CSVError, match="not readable as ascii"):
        read_csv(p, fmt=CSVFormat(encoding="ascii"))


@pytest.mark.parametrize(
    "text, names, note",
    [
        # a title line of two fields over a table of three
        (
            "Report,2024\na,b,y\n1,2,3\n4,5,6\n7,8,10\n",
            ("a", "b"),
            "skipped the first 1",
        ),
        # a comment line, then a header over numbers only
        ("# exported 2026\nx,y\n1,2\n3,4\n5,7\n", ("x",), "skipped the first 1"),
        # a title line over two columns
        ("My measurements\nx,y\n1,2\n3,4\n5,7\n", ("x",), "skipped the first 1"),
        # every data row ends with a delimiter: the header is one field short
        ("a,b,y\n1,2,3,\n4,5,6,\n7,8,9,\n2,2,1,\n", ("a", "b"), None),
        # a quoted newline inside a header cell
        ('a,"b\nc",y\n1,2,3\n4,5,6\n7,8,10\n', ("a", "b\nc"), None),
    ],
)
def test_the_header_row_is_found(tmp_path, text, names, note):
    ds, report = read_csv(write(tmp_path, text), "y")
    assert ds.feature_names == names and ds.target_name == "y"
    assert (note is None and not report) or any(note in r for r in report)


def test_a_header_longer_than_the_sniffed_part_is_read_whole(tmp_path):
    names = [f"feature_number_{j:05d}" for j in range(10_000)]  # a 220 KB header
    A = np.random.default_rng(1).standard_normal((4, 10_000)).round(3)
    body = "\n".join(",".join(map(str, row)) + f",{i}" for i, row in enumerate(A))
    p = write(tmp_path, ",".join(names) + ",target\n" + body + "\n")
    ds, _ = read_csv(p, "target")
    assert ds.feature_names == tuple(names) and ds.X.shape == (4, 10_000)


# -- property: nothing but CSVError ever escapes ------------------------------------------
cells = st.one_of(
    st.integers(-(10**6), 10**6).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=8),
    st.sampled_from(
        ["", "NA", "nan", "inf", "-", '"', '""', "1,5", "1e400", "2024-01-01"]
    ),
)
rows = st.lists(cells, min_size=1, max_size=5)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(rows, min_size=0, max_size=8), st.sampled_from([",", ";", "\t", " "]))
def test_random_csv_text_raises_only_csv_errors(table, delim):
    text = "\n".join(delim.join(r) for r in table)
    try:
        ds, report = read_csv_text(text)
    except CSVError:
        return
    assert np.isfinite(ds.X).all() and np.isfinite(ds.y).all()


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=200))
def test_random_bytes_raise_only_csv_errors(data):
    try:
        read_csv_text(data)
    except CSVError:
        pass
