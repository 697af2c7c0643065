"""Headless figures: screenshots and animations from the command line, offscreen."""

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6 import QtGui

ROOT = Path(__file__).resolve().parents[2]


def run(*argv, timeout=120):
    r = subprocess.run(
        [sys.executable, "main.py", "--headless", *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return r.returncode, r.stdout, r.stderr


def test_window_screenshot_from_options_has_the_default_size(tmp_path):
    out = tmp_path / "w.png"
    code, stdout, err = run(
        "--dataset", "diabetes", "--steps", "50", "--screenshot", str(out)
    )
    assert code == 0, err
    img = QtGui.QImage(str(out))
    assert img.width() >= 1200 and img.height() >= 760
    assert "step 50" in stdout and "Traceback" not in err


@pytest.mark.parametrize("pane", ["weights", "trajectories", "curves", "geometry"])
def test_pane_screenshot_at_scale_2(tmp_path, pane):
    out = tmp_path / f"{pane}.png"
    code, stdout, err = run(
        "--dataset",
        "correlated",
        "--steps",
        "30",
        "--screenshot",
        str(out),
        "--pane",
        pane,
        "--scale",
        "2",
    )
    assert code == 0, err
    img = QtGui.QImage(str(out))
    assert img.width() > 400 and img.width() % 2 == 0 and img.height() % 2 == 0


def test_screenshot_from_a_saved_session(tmp_path):
    from engine import Penalty, Trainer, prepare
    from engine.datasets import load_dataset
    from engine.session_file import SessionRecord, write

    data = prepare(load_dataset("diabetes"), validation=0.2)
    tr = Trainer(data, penalty=Penalty.l1(3.0))
    tr.step(25)
    tr.set_rule("subgradient")
    tr.step(10)
    session = tmp_path / "s.json"
    write(session, SessionRecord.capture(tr, data, view={"weights": {"sorted": 1}}))
    out = tmp_path / "s.svg"
    code, stdout, err = run(
        "--session", str(session), "--screenshot", str(out), "--pane", "weights"
    )
    assert code == 0, err
    assert "replayed to step 35" in stdout
    assert out.read_text().lstrip().startswith("<?xml")


def test_figure_errors_are_one_line(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    code, _, err = run("--session", str(bad), "--screenshot", str(tmp_path / "x.png"))
    assert code == 2 and "broken or truncated JSON" in err and "Traceback" not in err
    code, _, err = run(
        "--dataset", "diabetes", "--steps", "5", "--screenshot", "/no/such/folder/x.png"
    )
    assert code == 2 and "could not write" in err
    code, _, err = run(
        "--dataset",
        "diabetes",
        "--pane",
        "sideways",
        "--screenshot",
        str(tmp_path / "y.png"),
    )
    assert code == 2 and "invalid choice" in err
