"""The window on laptop, desktop and 4K screens: it opens within the screen, every
widget is on it, no text is cut short, presentation mode and full screen stay on it
and give back exactly the geometry they took.

Each screen size is a process of its own (``tests/gui/screen_probe.py``): Qt's
offscreen platform is given the size in a config file.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6 import QtCore

from gui.screen_fit import ROOMY, SHARE, fit_rect, opening_rect

ROOT = Path(__file__).resolve().parents[2]
SIZES = [(1280, 720), (1366, 768), (1920, 1080), (3840, 2160)]
STATES = ("opened", "lesson", "presenting", "presenting twice", "full screen")


@pytest.fixture(scope="module", params=SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def probe(request):
    width, height = request.param
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("QT_QPA_PLATFORM", None)
    out = subprocess.run(
        [sys.executable, "-m", "tests.gui.screen_probe", str(width), str(height)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    return (width, height), json.loads(out.stdout)


def _inside(box, width, height) -> bool:
    x, y, w, h = box
    return x >= 0 and y >= 0 and x + w <= width and y + h <= height


@pytest.mark.parametrize("state", STATES)
def test_the_window_and_every_widget_are_on_the_screen(probe, state):
    (width, height), report = probe
    seen = report[state]
    assert seen["screen"] == [0, 0, width, height]
    assert _inside(seen["window"], width, height), seen["window"]
    assert seen["outside"] == []


@pytest.mark.parametrize("state", STATES)
def test_no_text_is_cut_short(probe, state):
    _, report = probe
    assert report[state]["elided"] == []


def test_presentation_and_full_screen_give_back_the_geometry(probe):
    (width, height), report = probe
    assert report["after presenting"] == report["before presenting"]
    assert report["after full screen"] == report["before presenting"]
    assert report["full screen"]["window"] == [0, 0, width, height]


def test_a_large_screen_is_used(probe):
    (width, height), report = probe
    _, _, w, h = report["opened"]["window"]
    share = SHARE if width >= ROOMY else 1.0
    assert w >= int(width * share) - 1 and h >= int(height * share) - 1


# -- the arithmetic, without a window ------------------------------------------------
def test_the_opening_rectangle():
    small = opening_rect(QtCore.QRect(0, 0, 1366, 740))
    assert small == QtCore.QRect(0, 0, 1366, 740)
    framed = opening_rect(QtCore.QRect(0, 0, 1366, 740), QtCore.QMargins(1, 30, 1, 1))
    assert framed == QtCore.QRect(1, 30, 1364, 709)
    big = opening_rect(QtCore.QRect(0, 0, 3840, 2100))
    assert big.size() == QtCore.QSize(int(3840 * SHARE), int(2100 * SHARE))
    assert big.center() == QtCore.QRect(0, 0, 3840, 2100).center()


def test_a_rectangle_is_shrunk_and_moved_onto_the_screen():
    area = QtCore.QRect(0, 0, 1280, 720)
    assert fit_rect(QtCore.QRect(100, 50, 400, 300), area) == QtCore.QRect(
        100, 50, 400, 300
    )
    assert fit_rect(QtCore.QRect(-50, 600, 2000, 300), area) == QtCore.QRect(
        0, 420, 1280, 300
    )
    assert fit_rect(QtCore.QRect(900, 0, 1943, 1200), area) == area


def test_a_session_from_a_large_screen_opens_within_this_one(make_window):
    w = make_window()
    screen = w.screen().availableGeometry()
    state = w.view_state()
    state["size"] = [screen.width() * 2, screen.height() + 500]
    w.apply_view_state(state)
    assert screen.contains(w.frameGeometry())
    state["size"] = [900, 600]
    w.apply_view_state(state)
    assert (w.width(), w.height()) == (max(900, w.minimumWidth()), 600)
