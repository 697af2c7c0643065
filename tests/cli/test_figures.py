"""Headless figures: screenshots and animations from the command line, offscreen."""

import os
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


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_a_window_figure_at_a_screens_size(tmp_path, size):
    out = tmp_path / "w.png"
    code, stdout, err = run(
        "--dataset",
        "diabetes",
        "--steps",
        "20",
        "--size",
        f"{size[0]}x{size[1]}",
        "--presentation",
        "--screenshot",
        str(out),
    )
    assert code == 0, err
    img = QtGui.QImage(str(out))
    assert (img.width(), img.height()) == size  # presentation mode does not shrink it


@pytest.mark.parametrize("bad", ["1366", "axb", "100x100", "9000x768"])
def test_a_bad_size_is_one_line_and_status_2(tmp_path, bad):
    code, _, err = run("--size", bad, "--screenshot", str(tmp_path / "x.png"))
    assert code == 2 and "--size" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "pane", ["weights", "trajectories", "curves", "geometry", "path", "cv"]
)
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
    from engine.settings import RunSettings

    data = prepare(load_dataset("diabetes"), validation=0.2)
    tr = Trainer(data, penalty=Penalty.l1(3.0))
    tr.step(25)
    tr.set_rule("subgradient")
    tr.step(10)
    session = tmp_path / "s.json"
    write(
        session,
        SessionRecord.capture(RunSettings(), tr, data, view={"weights": {"sorted": 1}}),
    )
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
    assert code == 2 and "cannot write" in err and "folder does not exist" in err
    code, _, err = run(
        "--dataset",
        "diabetes",
        "--pane",
        "sideways",
        "--screenshot",
        str(tmp_path / "y.png"),
    )
    assert code == 2 and "invalid choice" in err


def test_animate_writes_a_gif_with_one_frame_every_k_steps(tmp_path):
    from PIL import Image

    out = tmp_path / "run.gif"
    code, stdout, err = run(
        "--dataset",
        "diabetes",
        "--steps",
        "40",
        "--every",
        "10",
        "--animate",
        str(out),
        "--pane",
        "weights",
    )
    assert code == 0, err
    assert "5 frames" in stdout
    with Image.open(out) as im:
        assert im.format == "GIF" and im.n_frames == 5
        assert im.info["loop"] == 0


def test_animate_refuses_too_many_frames_in_one_line(tmp_path):
    code, _, err = run(
        "--dataset",
        "diabetes",
        "--steps",
        "5000",
        "--every",
        "1",
        "--animate",
        str(tmp_path / "x.gif"),
    )
    assert code == 2 and "at most 1,000" in err and "Traceback" not in err
    assert not (tmp_path / "x.gif").exists()


def test_a_lesson_as_a_figure(tmp_path):
    out = tmp_path / "lesson.png"
    code, stdout, err = run(
        "--lesson", "exact-zeros", "--screenshot", str(out), "--pane", "weights"
    )
    assert code == 0, err
    assert "Why L1 lands on exactly 0, 100 steps" in stdout
    assert "at step 100" in stdout
    code, _, err = run("--lesson", "no-such-lesson", "--screenshot", str(out))
    assert code == 2 and "invalid choice" in err
    code, _, err = run("--lesson", "exact-zeros")
    assert code == 2 and "--lesson goes with" in err


def test_lesson_and_session_refuse_settings_they_would_ignore(tmp_path):
    out = str(tmp_path / "x.png")
    code, _, err = run("--lesson", "geometry", "--penalty", "l2", "--screenshot", out)
    assert code == 2
    assert "--lesson sets the data and the training settings itself" in err
    assert "drop --penalty" in err
    code, _, err = run(
        "--session", "s.json", "--dataset", "houses", "--seed", "3", "--screenshot", out
    )
    assert code == 2 and "drop --dataset, --seed" in err


def test_a_lesson_solved_to_convergence(tmp_path):
    out = tmp_path / "solved.png"
    code, stdout, err = run(
        "--lesson", "subgradient-chatter", "--solve", "--screenshot", str(out)
    )
    assert code == 0, err
    assert out.exists() and "at step 200" in stdout
    assert "solved to convergence: 4 nonzero weights" in stdout  # the clamp's six 0s


@pytest.mark.parametrize(
    "name, magic",
    [("w.jpg", b"\xff\xd8"), ("w.JPEG", b"\xff\xd8"), ("w.png", b"\x89PNG")],
)
def test_a_screenshot_is_written_in_the_format_its_name_says(tmp_path, name, magic):
    out = tmp_path / name
    code, stdout, err = run(
        "--dataset", "diabetes", "--steps", "5", "--pane", "weights",
        "--screenshot", str(out),
    )  # fmt: skip
    assert code == 0, err
    assert out.read_bytes().startswith(magic)
    img = QtGui.QImage(str(out))
    assert not img.isNull() and f"{img.width()}×{img.height()} pixels" in stdout


def test_an_svg_screenshot_is_an_svg_drawing(tmp_path):
    out = tmp_path / "w.svg"
    code, stdout, err = run(
        "--dataset", "diabetes", "--steps", "5", "--pane", "weights",
        "--screenshot", str(out),
    )  # fmt: skip
    assert code == 0, err
    text = out.read_text(encoding="utf-8")
    assert "<svg" in text[:1000] and "SVG" in stdout


@pytest.mark.parametrize("name", ["w.bmp", "w.txt", "w"])
def test_an_unknown_figure_ending_is_refused_before_anything_is_written(tmp_path, name):
    out = tmp_path / name
    code, stdout, err = run(
        "--dataset", "diabetes", "--steps", "5", "--screenshot", str(out)
    )
    assert code == 2 and stdout == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "choose .png, .jpg or .svg" in err and repr(name) in err
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_a_figure_that_cannot_be_written_leaves_the_old_one(tmp_path, monkeypatch):
    from PySide6 import QtGui, QtWidgets

    from gui.export import save_figure

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    assert app is not None
    label = QtWidgets.QLabel("figure")
    label.resize(120, 40)
    out = tmp_path / "fig.png"
    save_figure(label, out)
    old = out.read_bytes()
    assert old.startswith(b"\x89PNG")
    monkeypatch.setattr(QtGui.QPixmap, "save", lambda *a, **k: False)
    with pytest.raises(OSError, match="cannot write .*fig.png"):
        save_figure(label, out)
    assert out.read_bytes() == old and sorted(os.listdir(tmp_path)) == ["fig.png"]
    with pytest.raises(OSError, match="the folder does not exist"):
        save_figure(label, tmp_path / "missing" / "fig.svg")


def test_two_training_rows_draw_a_figure_not_a_traceback(tmp_path):
    data = tmp_path / "tiny.csv"
    data.write_text("a,b,y\n1,2,3\n2,1,5\n3,3,4\n")  # 0.2 validation: 2 training rows
    out = tmp_path / "tiny.png"
    code, stdout, err = run("--csv", str(data), "--screenshot", str(out))
    assert code == 0, err
    assert "Traceback" not in err and out.read_bytes().startswith(b"\x89PNG")


def test_the_geometry_pane_says_why_it_cannot_draw_the_datas_loss(qtbot, tmp_path):
    from cli import build_parser, window_options
    from gui.app import create_window

    data = tmp_path / "tiny.csv"
    data.write_text("a,b,y\n1,2,3\n2,1,5\n3,3,4\n")
    args = build_parser().parse_args(["--csv", str(data)])
    w = create_window(**window_options(args))
    qtbot.addWidget(w)
    geo = w.panes["geometry"]
    assert geo.model.source == "own" and "no single minimum" in geo.model.problem
    assert "cannot be drawn" in geo.source_box.toolTip()


def test_a_pane_figure_leaves_its_controls_out_unless_asked(tmp_path):
    out = tmp_path / "w.svg"
    argv = ["--dataset", "diabetes", "--steps", "5", "--pane", "weights"]
    code, _, err = run(*argv, "--screenshot", str(out))
    assert code == 0, err
    text = out.read_text(encoding="utf-8")
    assert "weights are exactly" in text and "Fit view" not in text
    code, _, err = run(*argv, "--screenshot", str(out), "--with-controls")
    assert code == 0, err
    assert "Fit view" in out.read_text(encoding="utf-8")
