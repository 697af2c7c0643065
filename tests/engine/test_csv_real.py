"""Real files nobody here wrote: whitespace tables, lines of counts, quoted names, row
counters and UTF-16 are read as what they are, and every change is said."""

import gzip
import hashlib
import importlib.util
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.csv import (
    WHITESPACE,
    ChoiceError,
    CSVError,
    CSVFormat,
    ImportChoices,
    build_dataset,
    load_table,
    preview,
    read_csv,
    read_csv_text,
    sniff,
)

#: scikit-learn's own data files, as they ship with it (no import of sklearn needed)
SKLEARN_DATA = (
    Path(importlib.util.find_spec("sklearn").submodule_search_locations[0])
    / "datasets"
    / "data"
)


def write(tmp_path, content, name="data.csv"):
    p = tmp_path / name
    p.write_bytes(content if isinstance(content, bytes) else content.encode())
    return p


def sklearn_file(name, tmp_path):
    """A copy of one of scikit-learn's files (gunzipped if it is compressed)."""
    src = SKLEARN_DATA / name
    if name.endswith(".gz"):
        return write(tmp_path, gzip.decompress(src.read_bytes()), name[:-3])
    return src


# statsmodels' files, abridged (the package is not a dependency): spector is
# separated by blanks with names in single quotes, anes96 by tabs, longley numbers its
# rows in a column 'Obs'
SPECTOR = """'OBS' 'GPA' 'TUCE' 'PSI' 'GRADE'
1 2.66 20 0 0
2 2.89 22 0 0
3 3.28 24 0 0
4 2.92 12 0 0
5 4.00 21 0 1
6 2.86 17 0 0
7 2.76 17 0 0
8 2.87 21 0 0
9 3.03 25 0 0
10 3.92 29 0 1
11 2.63 20 0 0
12 3.32 23 0 0
13 3.57 23 0 0
14 3.26 25 0 1
15 3.53 26 0 0
16 2.74 19 0 0
17 2.75 25 0 0
18 2.83 19 0 0
19 3.12 23 1 0
20 3.16 25 1 1
"""
ANES96 = (
    "'popul'\t'TVnews'\t'selfLR'\t'age'\t'vote'\n"
    "0\t7\t7\t36\t1\n190\t1\t3\t20\t0\n31\t7\t2\t24\t0\n83\t4\t3\t28\t0\n"
    "640\t7\t5\t68\t0\n110\t3\t3\t21\t0\n100\t7\t5\t77\t1\n31\t1\t5\t21\t1\n"
)
LONGLEY = """"Obs","TOTEMP","GNPDEFL","GNP","UNEMP","YEAR"
1,60323,83,234289,2356,1947
2,61122,88.5,259426,2325,1948
3,60171,88.2,258054,3682,1949
4,61187,89.5,284599,3351,1950
5,63221,96.2,328975,2099,1951
6,63639,98.1,346999,1932,1952
7,64989,99,365385,1870,1953
8,63761,100,363112,3578,1954
"""


# -- whitespace between the columns -----------------------------------------------------
def test_scikit_learns_diabetes_table_is_separated_by_blanks(tmp_path):
    p = sklearn_file("diabetes_data_raw.csv.gz", tmp_path)
    fmt, _ = sniff(p)
    assert fmt.delimiter == WHITESPACE and not fmt.header
    assert fmt.describe().startswith("whitespace-separated")
    ds, _ = read_csv(p, "column_10")
    assert ds.X.shape == (442, 9) and ds.task == "regression"
    np.testing.assert_allclose(ds.X[0, :3], [59, 2, 32.1])


def test_statsmodels_spector_blanks_quoted_names_and_a_row_counter(tmp_path):
    ds, report = read_csv(write(tmp_path, SPECTOR, "spector.csv"), "GRADE")
    assert ds.feature_names == ("GPA", "TUCE", "PSI")  # OBS counts the rows
    assert ds.task == "classification" and ds.n_samples == 20
    text = "\n".join(report)
    assert "were written in quotes ('OBS', 'GPA', 'TUCE', 'PSI' …)" in text
    assert "skipped 1 column(s) of IDs: OBS (a row counter 1 … 20)" in text


def test_quoted_names_in_a_tab_separated_file_lose_their_quotes(tmp_path):
    p = write(tmp_path, ANES96, "anes96.csv")
    assert sniff(p)[0].delimiter == "\t"  # tabs, though blanks would split it too
    ds, _ = read_csv(p, "vote")
    assert ds.target_name == "vote" and ds.feature_names[0] == "popul"


def test_a_row_counter_is_an_id_but_a_time_trend_or_a_year_is_not(tmp_path):
    ds, report = read_csv(write(tmp_path, LONGLEY, "longley.csv"), "TOTEMP")
    assert "Obs" not in ds.feature_names and "YEAR" in ds.feature_names
    assert any("Obs (a row counter 1 … 8)" in r for r in report)
    # a counter under another name is a feature (a time trend), and so is a column
    # called 'Obs' that does not count the rows
    text = "time,Obs,y\n1,3,2\n2,1,4\n3,2,5\n4,4,4\n"
    ds, _ = read_csv(write(tmp_path, text, "trend.csv"), "y")
    assert ds.feature_names == ("time", "Obs")
    # an unnamed first column counting from 0, as pandas writes its index
    ds, report = read_csv(write(tmp_path, ",a,y\n0,5,1\n1,3,2\n2,4,4\n3,1,1\n"), "y")
    assert ds.feature_names == ("a",)
    assert any("column_1 (a row counter 0 … 3)" in r for r in report)


def test_blanks_line_up_columns_with_leading_and_trailing_blanks_and_quotes(tmp_path):
    text = '  a   b\ty \n 1 2 3\n4   5 6  \n\n"7 0" 8 9\n1 1 1\n'
    p = write(tmp_path, text, "aligned.txt")
    fmt, _ = sniff(p)
    assert fmt.delimiter == WHITESPACE and fmt.header
    table = load_table(p)
    assert table.names == ["a", "b", "y"] and table.n_rows == 4
    assert table.column("b").values.tolist() == [2, 5, 8, 1]
    assert table.column("a").n_bad == 1  # "7 0" is one field, not a number
    assert preview(p, fmt)["a"].tolist() == ["1", "4", "7 0", "1"]


def test_a_short_row_between_blanks_is_found_and_said(tmp_path):
    p = write(tmp_path, "a b y\n1 2 3\n4 5\n6 7 8\n9 1 2\n", "short.txt")
    table = load_table(p)
    assert "1 row(s) have fewer fields than the header (line 3)" in table.notes[0]
    table = load_table(p, skip_bad_lines=True)
    assert table.n_rows == 3 and any("skipped 1 row(s)" in n for n in table.notes)


def test_comma_and_semicolon_files_with_blanks_stay_what_they_are(tmp_path):
    p = write(tmp_path, "a, b, y\n1, 2, 3\n4, 5, 6\n7, 8, 9\n")
    assert sniff(p)[0].delimiter == ","
    p = write(tmp_path, "city;a;y\nNew York;1;2\nLos Angeles;3;4\nRome;5;7\n")
    assert sniff(p)[0].delimiter == ";"


# -- a line of counts above the data (scikit-learn's iris, wine, breast cancer) -----------
@pytest.mark.parametrize(
    "name, rows, features, classes",
    [
        ("iris.csv", 150, 4, ("setosa", "versicolor", "virginica")),
        ("wine_data.csv", 178, 13, ("class_0", "class_1", "class_2")),
        ("breast_cancer.csv", 569, 30, ("malignant", "benign")),
    ],
)
def test_a_line_of_counts_is_not_a_header(name, rows, features, classes):
    p = SKLEARN_DATA / name
    fmt, notes = sniff(p)
    assert (fmt.header, fmt.skip, fmt.counts) == (False, 1, True)
    assert f"counts {rows} rows and {features} features" in notes[0]
    table = load_table(p)
    xs = [f"x{i + 1}" for i in range(features)]
    assert table.names == [*xs, "target"] and table.n_rows == rows
    assert table.target == "target"
    # the codes 0, 1, … became the class names the line gives
    assert set(table.column("target").values) == set(classes)
    assert any("0 = " + classes[0] in n for n in table.notes)


def test_iris_is_never_silently_a_regression():
    p = SKLEARN_DATA / "iris.csv"
    with pytest.raises(ChoiceError, match="has 3 classes") as e:
        read_csv(p)
    assert e.value.choice == "positive_class"
    assert e.value.classes == ("setosa", "versicolor", "virginica")
    assert "text cannot be treated as a number" in str(e.value)
    ds, report = read_csv(p, positive_class="virginica")
    assert ds.task == "classification" and ds.X.shape == (150, 4)
    assert ds.class_labels == ("not virginica", "virginica")
    assert (ds.y == 1).sum() == 50 and (ds.y == -1).sum() == 100
    assert any(
        "virginica → +1, the other 2 classes (setosa, versicolor) → −1" in r
        for r in report
    )
    with pytest.raises(ChoiceError, match="cannot be treated as a number") as e:
        read_csv(p, target_as_number=True)
    assert e.value.choice == "target_as_number"
    with pytest.raises(ChoiceError, match="'rose' is not a class") as e:
        read_csv(p, positive_class="rose")
    assert e.value.choice == "positive_class"


def test_breast_cancer_has_two_named_classes():
    ds, report = read_csv(SKLEARN_DATA / "breast_cancer.csv")
    assert ds.target_name == "target" and ds.task == "classification"
    assert ds.class_labels == ("benign", "malignant")
    ds, _ = read_csv(SKLEARN_DATA / "breast_cancer.csv", positive_class="benign")
    assert ds.class_labels == ("malignant", "benign")


def test_a_line_of_counts_whose_codes_do_not_fit_keeps_the_numbers(tmp_path):
    text = "4,2,low,high\n1,2,0\n2,3,5\n3,1,1\n4,4,0\n"
    table = load_table(write(tmp_path, text))
    assert table.names == ["x1", "x2", "target"]
    assert table.column("target").is_number
    assert any("does not hold their codes 0 … 1" in n for n in table.notes)
    # and a count of rows that is not the count read is said
    table = load_table(write(tmp_path, "9,2\n1,2,0.5\n2,3,1.5\n3,1,2.5\n", "b.csv"))
    assert any("announces 9 rows; 3 were read" in n for n in table.notes)


def test_a_header_that_merely_starts_with_numbers_is_still_a_header(tmp_path):
    # 2 numbers, then names, over rows of another width: not counts
    table = load_table(write(tmp_path, "2010,2011,country\n1,2,Norway\n3,4,Chile\n"))
    assert table.names == ["2010", "2011", "country"]


# -- more than two classes: one against the rest, or a number on request -----------------
WINE_LIKE = "a,b,kind\n" + "".join(f"{i},{(i * 7) % 5},{i % 3}\n" for i in range(12))


def test_a_few_whole_numbers_as_the_target_are_classes_or_a_number_on_request(tmp_path):
    p = write(tmp_path, WINE_LIKE)
    with pytest.raises(ChoiceError, match=r"3 classes \(0, 1, 2\)") as e:
        read_csv(p)
    assert "or treat it as a number (squared loss)" in str(e.value)
    ds, _ = read_csv(p, positive_class="2")
    assert ds.task == "classification" and (ds.y == 1).sum() == 4
    ds, _ = read_csv(p, target_as_number=True)
    assert ds.task == "regression" and set(ds.y) == {0, 1, 2}
    with pytest.raises(ChoiceError, match="does not go with") as e:
        read_csv(p, positive_class="2", target_as_number=True)


def test_many_distinct_numbers_are_a_regression_and_have_no_classes(tmp_path):
    p = write(tmp_path, "a,y\n1,10\n2,20\n3,25\n4,40\n")
    ds, _ = read_csv(p)
    assert ds.task == "regression"
    with pytest.raises(ChoiceError, match="not a column of classes"):
        read_csv(p, positive_class="10")


def test_the_choices_of_a_build_are_recorded_for_a_session(tmp_path):
    table = load_table(SKLEARN_DATA / "iris.csv")
    ch = ImportChoices(target="target", features=("x1", "x2"), positive_class="setosa")
    ds, _ = build_dataset(table, ch)
    assert ds.source["choices"]["positive_class"] == "setosa"
    assert ds.source["format"]["counts"] is True


# -- one-hot encoding asked for by name or for all categories ----------------------------
CITIES = "city,kind,a,y\nOslo,x,1,2\nRome,y,2,3\nOslo,x,3,5\nPisa,y,4,4\nRome,x,5,6\n"


def test_one_hot_by_name_or_all(tmp_path):
    p = write(tmp_path, CITIES)
    ds, report = read_csv(p, "y", one_hot=("city",))
    assert ds.feature_names == ("a", "city=Oslo", "city=Pisa", "city=Rome")
    assert "text column 'city': one-hot encoded into 3 columns" in report
    ds, _ = read_csv(p, "y", one_hot="all")
    assert len(ds.feature_names) == 1 + 3 + 2
    for bad, why in (("nope", "no column named 'nope'"), ("a", "numbers")):
        with pytest.raises(ChoiceError, match=why) as e:
            read_csv(p, "y", one_hot=(bad,))
        assert e.value.choice == "one_hot"


def test_text_only_features_say_they_can_be_one_hot_encoded(tmp_path):
    p = write(tmp_path, "city,y\nOslo,1\nRome,2\nOslo,3\nPisa,4\n")
    with pytest.raises(ChoiceError, match=r"the text columns \(city\) can be one-hot"):
        read_csv(p, "y")
    ds, _ = read_csv(p, "y", one_hot="all")
    assert ds.X.shape == (4, 3)


# -- UTF-16 ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "encoding, found",
    [("utf-16", "utf-16"), ("utf-16-le", "utf-16-le"), ("utf-16-be", "utf-16-be")],
)
def test_utf16_with_and_without_bom_is_read(tmp_path, encoding, found):
    text = "größe,b,y\n1,2,3\n4,5\n6,7,8\n9,1,€\n"
    p = write(tmp_path, text.encode(encoding))
    fmt, notes = sniff(p)
    assert fmt.encoding == found and "UTF-16" in notes[0]
    table = load_table(p)
    assert table.names == ["größe", "b", "y"] and table.n_rows == 4
    assert table.sha256 == hashlib.sha256(p.read_bytes()).hexdigest()
    assert any("fewer fields than the header (line 3)" in n for n in table.notes)
    assert preview(p, fmt)["größe"].tolist() == ["1", "4", "6", "9"]


def test_a_long_utf16_file_is_read_across_blocks(tmp_path):
    rows = "".join(f"{i},{i % 7},é{i % 3}\n" for i in range(200_000))
    p = write(tmp_path, ("a,b,c\n" + rows).encode("utf-16"))
    table = load_table(p)
    assert table.n_rows == 200_000 and table.column("c").n_unique == 3
    assert table.column("a").values[-1] == 199_999
    assert table.sha256 == hashlib.sha256(p.read_bytes()).hexdigest()


def test_a_broken_utf16_file_is_read_with_a_note(tmp_path):
    raw = (
        "a,y\n1,2\n3,4\n".encode("utf-16-le")
        + b"\x00\xdc"
        + "5,6\n".encode("utf-16-le")
    )
    table = load_table(p := write(tmp_path, raw), CSVFormat(encoding="utf-16-le"))
    assert any("not valid UTF-16-LE (the first at line 4)" in n for n in table.notes)
    assert p.exists()


_cell = st.one_of(
    st.integers(-999, 999).map(str),
    st.sampled_from(["", "x", "NA", "é", "1.5", "a b"]),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.lists(_cell, min_size=2, max_size=4), min_size=1, max_size=8),
    st.sampled_from(["utf-16", "utf-16-le", "utf-16-be"]),
)
def test_utf16_reads_as_the_same_text_in_utf8_does(rows, encoding):
    text = "\n".join(",".join(r) for r in [["a", "b", "c", "y"][: len(rows[0])], *rows])

    def outcome(data):
        try:
            ds, _ = read_csv_text(data)
        except CSVError as e:
            return str(e).split(": ", 1)[1]
        return ds.feature_names, ds.X.tobytes(), ds.y.tobytes()

    assert outcome(text.encode(encoding)) == outcome(text.encode())
