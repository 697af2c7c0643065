"""The headless command line: summaries, exports, and one-line errors with status 2."""

import csv
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import cli as main

ROOT = Path(__file__).resolve().parents[2]


def run(capsys, *argv):
    code = main.main(["--headless", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_training_prints_a_summary(capsys):
    code, out, err = run(
        capsys, "--dataset", "diabetes", "--lam", "1", "--steps", "200"
    )
    assert code == 0 and err == ""
    assert "200 proximal steps" in out
    assert "objective:" in out and "nonzero weights:" in out and "steps/s" in out


def test_solve_and_export_weights(capsys, tmp_path):
    path = tmp_path / "w.csv"
    code, out, _ = run(
        capsys,
        "--dataset",
        "correlated",
        "--penalty",
        "l1",
        "--lam",
        "0.3",
        "--solve",
        "--export-weights",
        str(path),
    )
    assert code == 0 and "converged" in out
    rows = list(csv.reader(path.read_text().splitlines()))
    assert rows[0] == ["feature", "weight"]
    assert len(rows) == 1 + 20 + 1 and rows[-1][0] == "(intercept)"
    assert rows[1][0] == "A1"
    w = np.array([float(r[1]) for r in rows[1:-1]])
    n_zero = int((w == 0).sum())
    assert f"({n_zero} exactly 0)" in out and n_zero > 0


def test_csv_with_target(capsys, tmp_path):
    p = tmp_path / "d.csv"
    p.write_text("x1,x2,note,y\n1,2,a,3\n2,1,b,4\n3,3,c,7\n4,1,d,6\n5,2,e,8\n")
    code, out, _ = run(
        capsys,
        "--csv",
        str(p),
        "--target",
        "y",
        "--penalty",
        "l2",
        "--lam",
        "0.1",
        "--steps",
        "50",
    )
    assert code == 0
    assert "note: skipped 1 column(s) of free text: note" in out


@pytest.mark.parametrize(
    "argv, fragment",
    [
        (["--lam", "abc"], "not a number"),
        (["--lam", "-1"], "must be >= 0"),
        (["--steps", "0"], "at least 1"),
        (["--dataset", "nope"], "no bundled dataset 'nope'"),
        (["--csv", "/no/such/file.csv", "--target", "y"], "does not exist"),
        (["--penalty", "elasticnet", "--lam", "1"], "--lam1 and --lam2"),
        (["--penalty", "l1", "--lam1", "1"], "go with --penalty elasticnet"),
        (["--lr", "fast"], "number or 'auto'"),
        (["--lr", "-2"], "finite number > 0"),
        (["--target", "y"], "--target goes with --csv"),
        (["--loss", "logistic", "--dataset", "diabetes"], "--loss logistic: "),
        (["--bogus"], "unrecognized arguments"),
        (["--steps", "10", "--solve"], "not allowed with"),
    ],
)
def test_bad_input_gives_one_line_and_status_2(capsys, argv, fragment):
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert err.count("\n") == 1 and fragment in err, err
    assert err.startswith("l1l2-explorer: error:")


def test_divergence_gives_status_1_and_the_suggested_step(capsys):
    code, _, err = run(capsys, "--dataset", "diabetes", "--lr", "100")
    assert code == 1
    assert "diverged" in err and "Try η = 1/L" in err


def test_no_traceback_from_a_real_process(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\x00\x01\x02binary")
    r = subprocess.run(
        [sys.executable, "main.py", "--headless", "--csv", str(bad)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert r.returncode == 2
    assert "Traceback" not in r.stderr and "binary" in r.stderr


def test_window_without_a_display_says_so_plainly():
    import os

    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    r = subprocess.run(
        [sys.executable, "main.py"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode != 0
    assert "no display" in r.stderr and "--headless" in r.stderr
    assert "Traceback" not in r.stderr


def test_a_diverging_step_size_is_one_line_without_numpy_warnings(capsys):
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        code = main.main(
            ["--headless", "--dataset", "diabetes", "--lr", "1e308", "--steps", "5"]
        )
    out, err = capsys.readouterr()
    assert code == 1
    assert err.count("\n") == 1 and "diverged at step 1" in err
    assert not [w for w in caught if issubclass(w.category, RuntimeWarning)]


@pytest.mark.parametrize(
    "make_argv, fragment",
    [
        (lambda d, s: ["--csv", d, "--export-weights", d], "is the --csv input"),
        (lambda d, s: ["--csv", d, "--export-path", "./" + d], "is the --csv input"),
        (lambda d, s: ["--csv", d, "--screenshot", d], "is the --csv input"),
        (lambda d, s: ["--session", s, "--screenshot", s], "is the --session input"),
        (lambda d, s: ["--session", s, "--animate", s], "is the --session input"),
        (
            lambda d, s: ["--export-path", "o.csv", "--export-cv", "o.csv"],
            "name the same file",
        ),
        (lambda d, s: ["--export-weights", s], "is a session file"),
        (lambda d, s: ["--export-weights", "fig.png"], "is a PNG image"),
        (lambda d, s: ["--screenshot", "w.csv"], "is a text table"),
    ],
)
def test_an_output_never_replaces_an_input_or_another_kind_of_file(
    capsys, tmp_path, monkeypatch, make_argv, fragment
):
    monkeypatch.chdir(tmp_path)
    data = tmp_path / "d.csv"
    data.write_text("a,b,y\n1,2,3\n2,1,3\n3,3,7\n4,1,6\n5,2,8\n")
    session = tmp_path / "s.json"
    session.write_text('{"format": "l1l2-explorer-session", "version": 2}')
    (tmp_path / "fig.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(40))
    (tmp_path / "w.csv").write_text("feature,weight\na,1.0\n")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    argv = make_argv("d.csv", "s.json")
    if "--session" not in argv and "--csv" not in argv:
        argv = ["--dataset", "diabetes", "--steps", "1", *argv]
    code = main.main(["--headless", *argv])
    out, err = capsys.readouterr()
    assert code == 2 and fragment in err and err.count("\n") == 1
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


# -- real CSV files: choices the command line makes itself -------------------------------
def sklearn_data():
    from tests.engine.test_csv_real import SKLEARN_DATA

    return SKLEARN_DATA


def test_iris_needs_a_positive_class_and_gets_one(capsys):
    iris = str(sklearn_data() / "iris.csv")
    code, out, err = run(capsys, "--csv", iris, "--solve")
    assert code == 2 and err.count("\n") == 1
    assert "has 3 classes (setosa, versicolor, virginica)" in err
    assert "--positive-class LABEL" in err and "--target-as-number" not in err
    code, out, err = run(capsys, "--csv", iris, "--positive-class", "virginica")
    assert code == 0, err
    assert "target 'target', logistic loss" in out
    assert "virginica → +1, the other 2 classes (setosa, versicolor) → −1" in out
    assert "is not a header; the columns are called x1 … x4 and target" in out


def test_a_target_of_a_few_whole_numbers_is_classes_or_a_number(capsys, tmp_path):
    p = tmp_path / "grades.csv"
    p.write_text("a,b,grade\n" + "".join(f"{i},{i % 4},{i % 3}\n" for i in range(12)))
    code, _, err = run(capsys, "--csv", str(p))
    assert code == 2 and "--positive-class LABEL" in err
    assert "--target-as-number" in err
    code, out, err = run(capsys, "--csv", str(p), "--target-as-number", "--solve")
    assert code == 0 and "target 'grade', squared loss" in out, err
    code, out, err = run(capsys, "--csv", str(p), "--positive-class", "2", "--solve")
    assert code == 0 and "target 'grade', logistic loss" in out, err


def test_text_columns_are_one_hot_encoded_on_request(capsys, tmp_path):
    p = tmp_path / "cities.csv"
    p.write_text("city,y\nOslo,1\nRome,2\nOslo,3\nPisa,4\nRome,5\nPisa,3\n")
    code, _, err = run(capsys, "--csv", str(p))
    assert code == 2
    assert "the text columns (city) can be one-hot encoded with --one-hot" in err
    for choice in ("city", "all"):
        code, out, err = run(capsys, "--csv", str(p), "--one-hot", choice, "--solve")
        assert code == 0, err
        assert "text column 'city': one-hot encoded into 3 columns" in out
        assert "× 3 features" in out


def test_whitespace_utf16_and_quoted_names(capsys, tmp_path):
    raw = tmp_path / "diabetes_data_raw.csv"
    raw.write_bytes(
        __import__("gzip").decompress(
            (sklearn_data() / "diabetes_data_raw.csv.gz").read_bytes()
        )
    )
    code, out, err = run(capsys, "--csv", str(raw), "--steps", "10")
    assert code == 0 and "× 9 features, target 'column_10'" in out, err
    quoted = tmp_path / "anes.csv"
    text = "'popul'\t'age'\t'vote'\n" + "".join(
        f"{i * 37 % 500}\t{20 + i % 50}\t{i % 2}\n" for i in range(30)
    )
    quoted.write_bytes(text.encode("utf-16"))
    code, out, err = run(capsys, "--csv", str(quoted), "--target", "vote")
    assert code == 0, err
    assert "target 'vote', logistic loss" in out
    assert "note: read as UTF-16" in out and "written in quotes" in out


@pytest.mark.parametrize(
    "argv, option",
    [
        (["--dataset", ""], "--dataset"),
        (["--dataset", "nope"], "--dataset"),
        (["--csv", ""], "--csv"),
        (["--csv", "/no/such/file.csv"], "--csv"),
        (["--export-weights", ""], "--export-weights"),
        (["--export-path", ""], "--export-path"),
        (["--export-cv", ""], "--export-cv"),
        (["--screenshot", ""], "--screenshot"),
        (["--animate", ""], "--animate"),
        (["--session", ""], "--session"),
        (["--seed", "-1"], "--seed"),
        (["--seed", str(2**63)], "--seed"),
        (["--one-hot", "city"], "--one-hot"),
        (["--positive-class", "a"], "--positive-class"),
        (["--target-as-number"], "--target-as-number"),
        (["--csv", "IRIS", "--target", ""], "--target"),
        (["--csv", "IRIS", "--target", "species"], "--target"),
        (["--csv", "IRIS", "--one-hot", ""], "--one-hot"),
        (["--csv", "IRIS", "--one-hot", "x1"], "--one-hot"),
        (["--csv", "IRIS", "--one-hot", "nope"], "--one-hot"),
        (["--csv", "IRIS", "--positive-class", "rose"], "--positive-class"),
        (["--csv", "IRIS", "--positive-class", ""], "--positive-class"),
        (["--csv", "IRIS", "--target-as-number"], "--target-as-number"),
        (["--csv", "IRIS", "--positive-class", "setosa", "--target-as-number"],
         "--target-as-number"),
    ],
)  # fmt: skip
def test_every_option_error_names_its_option(capsys, argv, option):
    argv = [str(sklearn_data() / "iris.csv") if a == "IRIS" else a for a in argv]
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and option in err, err
    assert "Traceback" not in err


def test_an_existing_utf16_table_is_a_table_not_a_binary_file(tmp_path):
    from cli.outputs import file_kind

    p = tmp_path / "old.csv"
    p.write_bytes("feature,weight\na,1\n".encode("utf-16"))
    assert file_kind(p) == "table"
