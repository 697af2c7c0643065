"""The CSV reader: what it keeps, what it reports, what it refuses."""

import numpy as np
import pytest

from engine.csv_import import CSVError, read_csv


def write(tmp_path, text, name="data.csv", mode="w"):
    p = tmp_path / name
    if mode == "wb":
        p.write_bytes(text)
    else:
        p.write_text(text, encoding="utf-8")
    return p


def test_numeric_csv_loads_with_last_numeric_column_as_target(tmp_path):
    p = write(tmp_path, "a,b,price\n1,2,10\n2,1,20\n3,5,25\n")
    ds, report = read_csv(p)
    assert ds.target_name == "price" and ds.feature_names == ("a", "b")
    np.testing.assert_array_equal(ds.y, [10, 20, 25])
    assert report == []


def test_text_columns_and_missing_rows_are_reported(tmp_path):
    p = write(
        tmp_path, "id,city,a,y\n1,Oslo,1.5,3\n2,Rome,,4\n3,Lima,2.5,\n4,Pisa,3,5\n"
    )
    ds, report = read_csv(p, "y")
    assert ds.feature_names == ("id", "a")
    assert any("skipped 1 text column" in r and "city" in r for r in report)
    assert any("missing or non-numeric target" in r for r in report)
    assert any("missing feature values" in r for r in report)
    assert ds.n_samples == 2


def test_semicolon_and_decimal_comma_are_detected(tmp_path):
    p = write(tmp_path, "a;b;y\n1,5;2;3,25\n2,5;1;4,5\n3,0;7;1,0\n")
    ds, _ = read_csv(p)
    np.testing.assert_allclose(ds.X[:, 0], [1.5, 2.5, 3.0])
    np.testing.assert_allclose(ds.y, [3.25, 4.5, 1.0])


def test_two_valued_target_becomes_classification(tmp_path):
    p = write(tmp_path, "a,b,label\n1,2,yes\n2,1,no\n3,5,yes\n0,1,no\n")
    ds, report = read_csv(p, "label")
    assert ds.task == "classification"
    np.testing.assert_array_equal(ds.y, [1, -1, 1, -1])
    assert ds.class_labels == ("no", "yes")
    assert any("two values" in r for r in report)


@pytest.mark.parametrize(
    "content, mode, fragment",
    [
        ("", "w", "empty"),
        ("a,b,c\n", "w", "no data rows"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", "wb", "binary"),
        ("a,b\nx,y\nz,w\n", "w", "no numeric column"),
        ("a,b,y\n1,2,3\n4,5\n6,7,8,9\n", "w", "not a regular table"),
    ],
)
def test_unusable_files_are_refused_with_the_reason(tmp_path, content, mode, fragment):
    p = write(tmp_path, content, mode=mode)
    with pytest.raises(CSVError) as e:
        read_csv(p)
    assert fragment in str(e.value) and "data.csv" in str(e.value)


def test_missing_file_and_unknown_target(tmp_path):
    with pytest.raises(CSVError, match="does not exist"):
        read_csv(tmp_path / "gone.csv")
    p = write(tmp_path, "a,b\n1,2\n3,4\n")
    with pytest.raises(CSVError, match="no column named 'z'"):
        read_csv(p, "z")
