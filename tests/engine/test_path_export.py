"""The path and the CV curve as CSV files: their headers, values that read back bit for
bit, atomic writes, and names that cannot turn into spreadsheet formulas."""

import csv

import numpy as np
import pytest

from engine import Dataset, prepare
from engine.csv_output import safe_cell
from engine.datasets import load_dataset
from engine.path import (
    cross_validate,
    regularization_path,
    write_cv_csv,
    write_path_csv,
)
from engine.weights_file import write_weights

from .problems import regression


def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def test_path_csv_reads_back_bit_for_bit(tmp_path):
    data = prepare(load_dataset("correlated"))
    path = regularization_path(data, "squared", "elasticnet", rho=0.4, n_alphas=15)
    out = tmp_path / "path.csv"
    write_path_csv(out, path, data.feature_names)
    rows = read(out)
    assert rows[0] == ["alpha", *data.feature_names, "(intercept)"]
    assert len(rows) == 1 + 15
    table = np.array([[float(v) for v in row] for row in rows[1:]])
    np.testing.assert_array_equal(table[:, 0], path.alphas)
    np.testing.assert_array_equal(table[:, 1:-1], path.coefs)
    np.testing.assert_array_equal(table[:, -1], path.intercepts)
    assert (table[0, 1:-1] == 0.0).all()  # alpha_max: every weight exactly 0
    assert rows[1][1] == "0.0"
    assert not list(tmp_path.glob(".*.tmp"))  # no temporary file left behind


def test_path_csv_puts_the_largest_strength_first(tmp_path):
    data = prepare(regression(40, 4))
    path = regularization_path(data, "squared", "l1", alphas=[0.01, 0.5, 0.1])
    out = tmp_path / "path.csv"
    write_path_csv(out, path, data.feature_names)
    rows = read(out)
    assert [float(r[0]) for r in rows[1:]] == [0.5, 0.1, 0.01]
    np.testing.assert_array_equal([float(v) for v in rows[1][1:-1]], path.coefs[1])


def test_cv_csv_reads_back_bit_for_bit(tmp_path):
    data = prepare(load_dataset("diabetes"))
    path = regularization_path(data, "squared", "l1", n_alphas=12)
    cv = cross_validate(data, "squared", "l1", path=path)
    out = tmp_path / "cv.csv"
    write_cv_csv(out, cv)
    text = out.read_text(encoding="utf-8")
    assert text.startswith("alpha,mean,se,nonzero")
    rows = read(out)
    assert rows[0] == ["alpha", "mean", "se", "nonzero", "train_mean"]
    assert len(rows) == 1 + 12
    table = np.array([[float(v) for v in row] for row in rows[1:]])
    for j, column in enumerate((cv.alphas, cv.mean, cv.se, cv.n_nonzero)):
        np.testing.assert_array_equal(table[:, j], column)
    np.testing.assert_array_equal(table[:, 4], cv.train_mean)
    assert all(r[3].isdigit() for r in rows[1:])
    # without the full path the count is unknown: left empty
    write_cv_csv(out, cross_validate(data, "squared", "l1", alphas=path.alphas))
    assert all(r[3] == "" for r in read(out)[1:])


BAD = ["=SUM(A1:A9)", "+1", "-x", "@cmd", "\tx", "\rx"]


def test_names_that_begin_like_formulas_get_a_quote():
    for name in BAD:
        assert safe_cell(name) == "'" + name
    for name in ("price", "x=1", "a-b", "'quoted", "", "(intercept)"):
        assert safe_cell(name) == name


def test_every_file_neutralizes_formula_names(tmp_path):
    names = ("ok", *BAD)
    rng = np.random.default_rng(0)
    ds = Dataset(rng.standard_normal((30, len(names))), rng.standard_normal(30), names)
    data = prepare(ds)
    path = regularization_path(data, "squared", "l1", n_alphas=4)
    write_path_csv(tmp_path / "p.csv", path, names)
    assert read(tmp_path / "p.csv")[0][1:-1] == ["ok", *("'" + n for n in BAD)]
    write_weights(tmp_path / "w.csv", names, path.coefs[-1], path.intercepts[-1])
    rows = read(tmp_path / "w.csv")
    assert [r[0] for r in rows[1:-1]] == ["ok", *("'" + n for n in BAD)]
    # numbers are not text: a negative weight stays a number
    assert float(rows[-1][1]) == path.intercepts[-1]
    assert any(r[1].startswith("-") for r in rows[1:])


def test_a_failed_write_names_the_file_and_keeps_the_old_one(tmp_path):
    data = prepare(regression(40, 4))
    path = regularization_path(data, "squared", "l1", n_alphas=4)
    cv = cross_validate(data, "squared", "l1", alphas=path.alphas, folds=2)
    missing = tmp_path / "no such folder" / "path.csv"
    with pytest.raises(OSError, match="cannot write .*path.csv"):
        write_path_csv(missing, path, data.feature_names)
    folder = tmp_path / "cv.csv"  # a folder where the file should go
    folder.mkdir()
    with pytest.raises(OSError, match="cannot write .*cv.csv"):
        write_cv_csv(folder, cv)
    assert folder.is_dir() and not list(tmp_path.glob(".*.tmp"))
    old = tmp_path / "old.csv"
    old.write_text("old", encoding="utf-8")
    with pytest.raises(ValueError, match="3 feature names for 4 weights"):
        write_path_csv(old, path, data.feature_names[:3])
    assert old.read_text(encoding="utf-8") == "old"


def test_names_with_separators_quotes_and_line_breaks_read_back(tmp_path):
    names = ("a,b", 'say "hi"', "carriage\rreturn", "new\nline", "plain")
    rng = np.random.default_rng(1)
    ds = Dataset(rng.standard_normal((30, 5)), rng.standard_normal(30), names)
    path = regularization_path(prepare(ds), "squared", "l1", n_alphas=3)
    write_path_csv(tmp_path / "p.csv", path, names)
    rows = read(tmp_path / "p.csv")
    assert rows[0] == ["alpha", *names, "(intercept)"] and len(rows) == 4
    write_weights(tmp_path / "w.csv", names, path.coefs[-1], path.intercepts[-1])
    assert [r[0] for r in read(tmp_path / "w.csv")] == [
        "feature",
        *names,
        "(intercept)",
    ]
