"""The sweep of "which penalty wins" on the command line: its options, its table, its
figure."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import cli as main
from engine.sweep import sweep_for

ROOT = Path(__file__).resolve().parents[2]
SMALL = ["--sweep-n", "60", "--sweep-d", "8", "--sweep-group", "2"]


def run(capsys, *argv):
    code = main.main(["--headless", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_options_set_the_lab_settings():
    args = main.build_parser().parse_args(
        [*SMALL, "--sweep-rho", "0.9", "--sweep-noise", "2", "--sweep-repeats", "3",
         "--sweep-k", "6", "--sweep-draws", "12", "--bias-penalty", "l2"]
    )  # fmt: skip
    lab = main.settings_from_args(args).lab
    # the bias–variance view's draws are its own, not the stability lab's B
    assert lab.sweep_draws == 12 and lab.resamples == type(lab)().resamples
    assert lab.bias_penalty == "l2"
    assert (lab.sweep_n, lab.sweep_d, lab.sweep_group) == (60, 8, 2)
    assert (lab.sweep_rho, lab.sweep_noise, lab.sweep_repeats, lab.sweep_k) == (
        0.9,
        2.0,
        3,
        6,
    )
    default = main.settings_from_args(main.build_parser().parse_args([])).lab
    assert default == type(lab)()


def test_the_sweep_prints_the_engines_numbers(capsys):
    code, out, err = run(capsys, "--sweep", *SMALL, "--sweep-repeats", "2")
    assert code == 0 and err == ""
    args = main.build_parser().parse_args([*SMALL, "--sweep-repeats", "2"])
    res = sweep_for(main.settings_from_args(args))
    rows = [ln.split() for ln in out.splitlines() if ln.strip()[:1].isdigit()]
    assert [int(r[0]) for r in rows] == res.ks.tolist()
    table = np.array([[float(r[1]), float(r[4]), float(r[7])] for r in rows])
    np.testing.assert_allclose(table.T, res.mean, atol=5e-5)
    assert "cross-validated lambda_min" in out and "crossover:" in out


@pytest.mark.parametrize(
    "argv, named",
    [
        (["--sweep-rho", "1"], "--sweep-rho"),
        (["--sweep-rho", "-0.1"], "--sweep-rho"),
        (["--sweep-noise", "0"], "--sweep-noise"),
        (["--sweep-n", "5"], "--sweep-n"),
        (["--sweep-d", "4", "--sweep-group", "6"], "--sweep-group"),
        (["--sweep-repeats", "0"], "--sweep-repeats"),
        (["--sweep-d", "many"], "--sweep-d"),
        (["--bias-penalty", "l0"], "--bias-penalty"),
    ],
)
def test_a_bad_sweep_option_is_one_line_and_status_2(capsys, argv, named):
    code, out, err = run(capsys, "--sweep", *argv)
    assert code == 2 and out == ""
    assert named in err and len(err.strip().splitlines()) == 1


def test_the_sweep_table_goes_with_headless_and_not_with_a_figure(capsys, tmp_path):
    code = main.main(["--sweep"])
    assert code == 2 and "--headless" in capsys.readouterr().err
    code, _, err = run(capsys, "--sweep", "--screenshot", str(tmp_path / "x.png"))
    assert code == 2 and "--pane wins" in err


def test_a_session_refuses_the_sweep_options(capsys, tmp_path):
    code, _, err = run(
        capsys, "--session", str(tmp_path / "s.json"), "--sweep-rho", "0.5",
        "--screenshot", str(tmp_path / "x.png"),
    )  # fmt: skip
    assert code == 2 and "--sweep-rho" in err


def test_the_pane_figure(tmp_path):
    from PySide6 import QtGui

    out = tmp_path / "wins.png"
    r = subprocess.run(
        [sys.executable, "main.py", "--headless", "--dataset", "diabetes",
         "--steps", "1", *SMALL, "--sweep-rho", "0.9", "--sweep-repeats", "2",
         "--pane", "wins", "--screenshot", str(out), "--size", "1366x768"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert "figure: wins" in r.stdout
    img = QtGui.QImage(str(out))
    assert img.width() > 300 and img.height() > 200
