"""What the first paint waits for, and what playing redraws (no timings here: those
are in ``make bench``)."""

import ast
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

OPEN_WINDOW = r"""
import sys
from PySide6 import QtWidgets
app = QtWidgets.QApplication([])
import main
from cli import window_options
from gui.app import create_window
w = create_window(**window_options(main.build_parser().parse_args(["--dataset", "houses"])))
w.show()
app.processEvents()
print("pandas" in sys.modules, w.session.trainer is not None)
"""


def run_script(code: str) -> subprocess.CompletedProcess:
    """``code`` in a fresh interpreter, offscreen, from the checkout."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_window_opens_on_houses_without_loading_pandas():
    """pandas (only a CSV import needs it) costs 0.3 s of start-up."""
    out = run_script(OPEN_WINDOW)
    assert out.stdout.split() == ["False", "True"], out.stderr


FIRST_PAINT = r"""
import sys
from PySide6 import QtCore, QtWidgets
app = QtWidgets.QApplication([])
import main
from cli import window_options
from gui.app import create_window
errors = []  # as gui.app.run_app starts the window
w = create_window(
    **window_options(main.build_parser().parse_args(["--dataset", "houses"])),
    start_errors=errors,
)
seen = {}
class Paints(QtCore.QObject):
    def eventFilter(self, obj, ev):
        if ev.type() == QtCore.QEvent.Type.Paint and not seen:
            seen["mods"] = sorted(m for m in sys.modules if m.split(".")[0] in (
                "sklearn", "pandas", "scipy", "gui", "engine"))
            seen["panes"] = sorted(w.panes)
        if ev.type() == QtCore.QEvent.Type.Paint and w.session.trainer is not None:
            QtCore.QTimer.singleShot(0, app.quit)
        return False
f = Paints()
w.weights.plot_widget.viewport().installEventFilter(f)
w.show()
app.exec()
path, cv = w.panes["path"], w.panes["cv"]
print(repr({
    **seen,
    "after": list(w.panes),
    "tabs": [
        w.grid.tabs_of["path"].indexOf(path),
        w.grid.tabs_of["cv"].indexOf(cv),
        w.grid.tabs_of["fit"].indexOf(w.panes["fit"]),
    ],
    "front": [w.grid.is_in_front("trajectories"), w.grid.is_in_front("curves")],
    "errors": [str(e) for e in errors],
}))
"""


def test_the_first_paint_comes_before_the_hidden_tabs_and_heavy_imports():
    """What the window's first paint waits for (a fresh process, started as the
    application starts): no scikit-learn, pandas or SciPy, no session files' module,
    and no pane of a tab
    behind another (the Fit, Path and Cross-validation panes and their modules are
    built after it, before the run); afterwards they are in their tabs, behind."""
    out = run_script(FIRST_PAINT)
    got = ast.literal_eval(out.stdout.strip().splitlines()[-1])
    heavy = [
        m for m in got["mods"] if m.split(".")[0] in ("sklearn", "pandas", "scipy")
    ]
    assert heavy == []
    for hidden in (
        "gui.panes.path",
        "gui.panes.cv",
        "gui.panes.fit",
        "gui.panes.stability",
    ):
        assert hidden not in got["mods"]
    assert "engine.session_file" not in got["mods"]  # json, hashlib: opening one
    assert got["panes"] == ["curves", "geometry", "trajectories", "weights"]
    assert got["after"] == [
        "weights",
        "geometry",
        "fit",
        "trajectories",
        "path",
        "stability",
        "curves",
        "cv",
    ]
    assert got["tabs"] == [1, 1, 1] and got["front"] == [True, True]
    assert got["errors"] == []


def test_the_table_of_features_is_filled_when_the_data_tab_is_shown(qtbot, make_window):
    w = make_window("--dataset", "houses")
    table = w.data_panel.features
    assert table.rowCount() == 0  # behind the Controls tab
    w.data_dock.raise_()
    qtbot.waitUntil(lambda: table.rowCount() == 1000)
    assert table.item(999, 0).text() == w.session.data.feature_names[999]
    w.session.edit(source=w.session.settings.source.bundled("diabetes"))
    assert table.rowCount() == w.session.data.n_features == 10  # shown: at once


def test_after_playing_the_status_bar_and_counter_show_the_last_step(
    qtbot, make_window
):
    w = make_window("--dataset", "houses")
    s = w.session
    s.play()
    qtbot.waitUntil(lambda: s.trainer.step_count >= 200, timeout=20_000)
    s.pause()
    tr = s.trainer
    step = f"{tr.step_count:,}"
    qtbot.waitUntil(lambda: step in w.status_labels["step"].text())
    assert w.status_labels["rate"].text() == "paused"
    qtbot.waitUntil(lambda: f"step&nbsp;{tr.step_count}<" in w.weights.header.text())
    assert f"<b>{tr.n_zero}</b> of 1000" in w.weights.header.text()


def test_a_single_step_updates_the_text_at_once(make_window):
    w = make_window("--dataset", "houses")
    s = w.session
    s.step(7)
    assert f"step&nbsp;{s.trainer.step_count}<" in w.weights.header.text()
    d = s.trainer.w.size
    assert w.status_labels["nonzero"].text() == f"{d - s.trainer.n_zero} of {d} nonzero"


def test_axes_are_kept_as_pixmaps_only_while_playing(make_window):
    """Cached axes spare the tick text a repaint per frame; an SVG figure made
    while paused gets vector axes."""
    from PySide6 import QtWidgets

    modes = QtWidgets.QGraphicsItem.CacheMode
    w = make_window("--dataset", "houses")
    axes = [w.weights.plot.getAxis("left"), w.curves.loss_plot.getAxis("left")]
    assert {a.cacheMode() for a in axes} == {modes.NoCache}
    w.session.play()
    assert {a.cacheMode() for a in axes} == {modes.DeviceCoordinateCache}
    w.session.pause()
    assert {a.cacheMode() for a in axes} == {modes.NoCache}


def test_the_application_makes_its_run_once_the_window_is_painted(qtbot):
    from cli import build_parser, window_options
    from gui.app import create_window

    errors = []
    args = build_parser().parse_args(["--dataset", "diabetes", "--steps", "30"])
    w = create_window(**window_options(args), start_errors=errors)
    qtbot.addWidget(w)
    assert w.session.trainer is None  # nothing computed before the first paint
    w.show()
    qtbot.waitUntil(lambda: w.session.trainer is not None)
    qtbot.waitUntil(lambda: w.session.trainer.step_count == 30)
    assert w.session.dataset.name == "diabetes" and errors == []


def test_settings_the_data_refuse_close_the_window_and_are_reported(qtbot):
    from cli import build_parser, window_options
    from engine.settings import SettingsError
    from gui.app import create_window

    errors = []
    args = build_parser().parse_args(["--dataset", "diabetes", "--loss", "logistic"])
    w = create_window(**window_options(args), start_errors=errors)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], SettingsError) and "two-class" in str(errors[0])
    qtbot.waitUntil(lambda: not w.isVisible())


def test_the_command_line_reports_unusable_settings_of_the_window():
    """``run_app`` raises what the deferred start met: exit status 2, one line."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    out = subprocess.run(
        [sys.executable, "main.py", "--dataset", "diabetes", "--loss", "logistic"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 2, out.stderr
    assert "error: --loss logistic: logistic loss needs a two-class target" in (
        out.stderr
    )
