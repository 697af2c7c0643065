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
        (["--loss", "logistic", "--dataset", "diabetes"], "two-class target"),
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
