"""The stability lab on the command line: the summary's stably selected features, the
``feature,frequency`` export (the same numbers, the engine's), the pane's figure, and
one-line errors with status 2."""

import csv
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PySide6 import QtGui

import cli as main
from cli import build_parser, settings_from_args
from engine.run import start_run
from engine.stability import stability_for

ROOT = Path(__file__).resolve().parents[2]
ARGS = ("--dataset", "correlated", "--solve", "--stability", "40")


def run(capsys, *argv):
    code = main.main(["--headless", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def read_export(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["feature", "frequency"]
    return {name: float(v) for name, v in rows[1:]}


def printed(out):
    """{feature: frequency} of the summary's table of stably selected features."""
    lines = out.splitlines()
    start = next(
        i
        for i, line in enumerate(lines)
        if line.split()[:2] == ["feature", "frequency"]
    )
    table = {}
    for line in lines[start + 1 :]:
        if not line.startswith("  "):
            break
        name, value = line.split()[:2]
        table[name] = float(value)
    return table


def test_printed_exported_and_engine_frequencies_are_the_same(capsys, tmp_path):
    out_csv = tmp_path / "stab.csv"
    code, out, err = run(
        capsys, *ARGS, "--threshold", "0.7", "--export-stability", str(out_csv)
    )
    assert code == 0, err
    assert "stability: 40 half-samples of 60 rows (seed 0)" in out
    exported = read_export(out_csv)
    shown = printed(out)
    assert shown and all(exported[k] == v for k, v in shown.items())
    # the table is exactly the features at or above the threshold
    assert set(shown) == {k for k, v in exported.items() if v >= 0.7}
    # and these are the engine's numbers for the same settings
    args = build_parser().parse_args(["--headless", *ARGS, "--threshold", "0.7"])
    run_ = start_run(settings_from_args(args))
    res = stability_for(run_.settings, run_.data)
    np.testing.assert_array_equal(
        [exported[n] for n in run_.data.feature_names], res.frequency
    )
    assert run_.settings.lab.resamples == 40 and run_.settings.lab.threshold == 0.7


def test_bootstraps_and_export_alone(capsys, tmp_path):
    out_csv = tmp_path / "boot.csv"
    code, out, err = run(
        capsys,
        "--dataset", "correlated", "--solve", "--resample", "bootstrap",
        "--stability", "10", "--export-stability", str(out_csv),
    )  # fmt: skip
    assert code == 0, err
    assert "10 bootstraps of 120 rows" in out
    freq = np.array(list(read_export(out_csv).values()))
    assert freq.size == 20 and ((freq >= 0) & (freq <= 1)).all()
    # --export-stability alone implies the default B = 100
    code, out, err = run(
        capsys, "--dataset", "correlated", "--solve", "--export-stability", str(out_csv)
    )
    assert code == 0 and "100 half-samples" in out


@pytest.mark.parametrize(
    "argv, fragment",
    [
        (("--stability", "1"), "--stability"),
        (("--stability", "x"), "not a whole number"),
        (("--stability", "2.5"), "not a whole number"),
        (("--stability", "20000"), "10,000"),
        (("--threshold", "1"), "[0.5, 1)"),
        (("--threshold", "0.3"), "[0.5, 1)"),
        (("--resample", "jackknife"), "--resample"),
        (("--stability", "5", "--penalty", "l2"), "--penalty l1"),
        (
            ("--stability", "5", "--export-stability", "/no/such/dir/s.csv"),
            "cannot write",
        ),
        (("--export-stability", "s.csv", "--screenshot", "s.png"), "--pane stability"),
    ],
)
def test_bad_values_exit_2_with_one_line(capsys, argv, fragment):
    code, out, err = run(capsys, "--dataset", "correlated", "--solve", *argv)
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and fragment in err


def test_the_pane_as_a_figure(tmp_path):
    out = tmp_path / "stab.png"
    r = subprocess.run(
        [
            sys.executable,
            "main.py",
            "--headless",
            "--dataset",
            "correlated",
            "--stability",
            "30",
            "--pane",
            "stability",
            "--screenshot",
            str(out),
            "--size",
            "1366x768",
        ],  # fmt: skip
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert r.returncode == 0, r.stderr
    assert "figure: stability" in r.stdout
    img = QtGui.QImage(str(out))
    assert img.width() > 300 and img.height() > 200


@pytest.mark.parametrize(
    "argv,message",
    [
        (["--sweep", "--compare"], "--sweep prints the sweep alone"),
        (["--sweep", "--stability", "10"], "--sweep prints the sweep alone"),
        (
            ["--stability", "10", "--export-stability", "/no/such/folder/s.csv"],
            "cannot write there: the folder does not exist",
        ),
        (["--stability", "5", "--penalty", "l2"], "--stability counts exact zeros"),
        (
            ["--export-stability", "s.csv", "--penalty", "none"],
            "--export-stability counts exact zeros",
        ),
    ],
)
def test_refused_before_any_work_with_nothing_printed(capsys, argv, message):
    code = main.main(["--headless", "--dataset", "correlated", *argv])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert message in err and len(err.strip().splitlines()) == 1
