"""The pane registry, the panes' own view state, and redrawing before an export."""

import subprocess
import sys

import numpy as np
import pytest
from PIL import Image
from PySide6 import QtWidgets

import gui.panes.trajectories
from gui.actions.recording import record
from gui.panes import FIGURE_KEYS, FIGURE_TITLES, PANE_KEYS, PANES
from gui.throttle import Throttle
from main import build_parser
from tests.gui.helpers import click, context_menu


def test_the_window_builds_its_panes_from_the_registry(make_window):
    w = make_window("--dataset", "diabetes")
    assert tuple(w.panes) == PANE_KEYS
    assert PANE_KEYS == (
        "weights",
        "compare",
        "geometry",
        "fit",
        "threshold",
        "prior",
        "trajectories",
        "path",
        "stability",
        "curves",
        "cv",
        "wins",
    )
    for key, spec in PANES.items():
        assert type(w.panes[key]) is spec.cls
        row = (w.top, w.bottom)[spec.row]
        tabs = w.grid.tabs_of.get(key)
        assert row.indexOf(tabs if tabs is not None else w.panes[key]) == spec.column
    # panes sharing a cell are tabs, the first of the registry in front
    assert w.grid.tabs_of["trajectories"] is w.grid.tabs_of["path"]
    assert w.grid.tabs_of["path"] is w.grid.tabs_of["stability"]
    assert w.grid.tabs_of["curves"] is w.grid.tabs_of["cv"]
    assert w.grid.is_in_front("trajectories") and not w.grid.is_in_front("path")
    assert w.grid.tabs_of["compare"] is w.grid.tabs_of["weights"]
    assert w.grid.is_in_front("weights") and not w.grid.is_in_front("compare")
    assert FIGURE_KEYS == ("window", *PANE_KEYS)


def test_export_menu_record_dialog_and_command_line_offer_every_figure(make_window):
    w = make_window("--dataset", "diabetes")
    titles = [a.text() for a in w.figures.menu.actions() if a.menu() is not None]
    assert titles == list(FIGURE_TITLES.values())
    dlg = w.figures.record("curves")
    try:
        keys = [dlg.what.itemData(i) for i in range(dlg.what.count())]
        assert keys == list(FIGURE_KEYS)
        assert dlg.what.currentData() == "curves"
    finally:
        dlg.reject()
    pane = next(a for a in build_parser()._actions if a.dest == "pane")
    assert tuple(pane.choices) == FIGURE_KEYS
    menu = context_menu(w, w.panes["trajectories"])
    assert "trajectories" in menu.actions()[0].text()


def test_the_command_line_lists_the_panes_without_loading_qt():
    code = (
        "import sys, main; main.build_parser(); "
        "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def test_every_pane_restores_its_own_view_state(qtbot, make_window):
    w = make_window("--dataset", "correlated")
    weights, curves = w.panes["weights"], w.panes["curves"]
    assert weights.view_state() == {
        "sorted": 0,
        "truth": True,
        "show": "all",
        "units": "sd",
    }
    assert curves.view_state() == {"log": True}
    click(qtbot, curves.log_box)
    weights.sort_box.setCurrentIndex(1)
    click(qtbot, weights.truth_box)
    weights.show_box.setCurrentIndex(weights.show_box.findData("top10"))
    weights.units_box.setCurrentIndex(weights.units_box.findData("raw"))
    saved = {key: pane.view_state() for key, pane in w.panes.items()}
    assert saved["weights"] == {
        "sorted": 1,
        "truth": False,
        "show": "top10",
        "units": "raw",
    }
    assert saved["curves"] == {"log": False}

    other = make_window("--dataset", "correlated")
    for key, pane in other.panes.items():
        pane.set_view_state(saved[key])
    assert {key: pane.view_state() for key, pane in other.panes.items()} == saved
    assert other.panes["weights"].sort_box.currentIndex() == 1
    assert not other.panes["weights"].truth_box.isChecked()
    assert not other.panes["curves"].log_box.isChecked()
    # wrong entries are skipped
    other.panes["weights"].set_view_state(
        {"sorted": 7, "truth": "yes", "show": "top99", "units": 3}
    )
    other.panes["curves"].set_view_state({"log": None})
    assert other.panes["weights"].view_state() == saved["weights"]
    assert other.panes["curves"].view_state() == saved["curves"]


def test_trajectories_keep_a_zoomed_range_or_follow_the_training(make_window):
    w = make_window("--dataset", "diabetes")
    pane = w.panes["trajectories"]
    w.session.step(50)
    assert pane.view_state() == {"follow": True}
    pane.set_view_state({"follow": False, "range": [[5, 20], [-3, 4]]})
    st = pane.view_state()
    assert st["follow"] is False
    np.testing.assert_allclose(st["range"], [[5, 20], [-3, 4]])
    w.session.step(50)  # not following: the range stays
    np.testing.assert_allclose(pane.view_state()["range"], [[5, 20], [-3, 4]])
    for bad in ({"follow": False, "range": [[5, 5], [0, 1]]}, {"range": "x"}, {}):
        pane.set_view_state(bad)
        np.testing.assert_allclose(pane.view_state()["range"], [[5, 20], [-3, 4]])
    pane.set_view_state({"follow": True})
    assert pane.view_state() == {"follow": True}
    (x0, x1), _ = pane.plot.getViewBox().viewRange()
    # from step 0 to the last, and room right of it for the lines' names
    assert x0 == 0 and 100 < x1 <= 100 / (1 - 0.4)


def test_window_view_state_is_the_panes_and_old_session_files_still_open(make_window):
    w = make_window("--dataset", "correlated")
    st = w.view_state()
    for key, pane in w.panes.items():
        assert st[key] == pane.view_state()
    # the format written before the panes had their own (no trajectories entry)
    old = {
        "splitters": {"top": [600, 400]},
        "weights": {"sorted": 1, "truth": False, "show": "all", "units": "sd"},
        "curves": {"log": False},
        "geometry": {**w.panes["geometry"].view_state(), "view": "penalized"},
        "speed": 10,
    }
    w.apply_view_state(old)
    assert w.panes["weights"].view_state() == {
        "sorted": 1,
        "truth": False,
        "show": "all",
        "units": "sd",
    }
    assert w.panes["curves"].view_state() == {"log": False}
    assert w.panes["geometry"].view_state()["view"] == "penalized"
    assert w.panes["trajectories"].view_state() == {"follow": True}
    assert w.view_state()["weights"] == {
        "sorted": 1,
        "truth": False,
        "show": "all",
        "units": "sd",
    }


def test_set_pane_split_shares_the_top_row(make_window):
    w = make_window("--dataset", "diabetes")
    total = sum(w.top.sizes())
    w.set_pane_split(0.25)
    first, second = w.top.sizes()
    assert abs(first - 0.25 * total) <= 2 and first + second == total
    w.set_pane_split(2.0)  # clipped
    assert w.top.sizes()[1] == 0


@pytest.fixture
def slow_heatmap(monkeypatch):
    """The heat map redraws at most once an hour: any redraw after the first one comes
    from a refresh, never from the throttle's timer."""
    monkeypatch.setattr(gui.panes.trajectories, "HEATMAP_INTERVAL", 3600.0)


def test_an_export_right_after_steps_shows_the_current_heat_map(
    slow_heatmap, make_window, tmp_path
):
    w = make_window("--dataset", "houses")
    pane = w.panes["trajectories"]
    assert pane.heatmap
    w.session.step(20)
    # the throttle holds the redraw back: the heat map still shows step 0
    assert pane.image.image.shape != pane.heatmap_image().shape
    emitted = []
    w.session.stepped.connect(lambda: emitted.append(1))
    assert w.figures.export("trajectories", "png", path=tmp_path / "t.png")
    assert emitted == []  # nothing emitted the session's signal for the panes
    np.testing.assert_array_equal(pane.image.image, pane.heatmap_image())


def test_every_recorded_frame_shows_its_own_step_in_a_throttled_pane(
    slow_heatmap, make_window, tmp_path
):
    w = make_window("--dataset", "houses")
    pane = w.panes["trajectories"]
    res = record(pane, w.session, 10, 5, png_dir=tmp_path)
    assert res.frames == 3
    px = [np.asarray(Image.open(p).convert("RGB"), dtype=int) for p in res.png_paths]
    assert not np.array_equal(px[0], px[1])
    assert not np.array_equal(px[1], px[2])
    np.testing.assert_array_equal(pane.image.image, pane.heatmap_image())


def test_a_refresh_fires_at_once_and_drops_the_pending_call(qtbot):
    calls = []
    t = Throttle(lambda: calls.append(1), 0.05)
    t.request()
    t.request()  # inside the interval: postponed
    assert calls == [1]
    t.request(now=True)
    assert calls == [1, 1]
    qtbot.wait(200)
    assert calls == [1, 1]  # the postponed call was dropped: it would draw the same
    assert not hasattr(Throttle, "immediate")  # no class-wide switch


def test_a_pane_behind_a_tab_redraws_once_when_shown_and_refresh_draws_it_hidden(
    qtbot,
):
    tabs = QtWidgets.QTabWidget()
    front, behind = QtWidgets.QWidget(), QtWidgets.QWidget()
    tabs.addTab(front, "front")
    tabs.addTab(behind, "behind")
    qtbot.addWidget(tabs)
    tabs.show()
    calls = []
    t = Throttle(lambda: calls.append(1), 0.05, pane=behind)
    for _ in range(5):
        t.request(now=True)
    assert calls == [] and t.out_of_date
    t.run_now()  # a figure of the hidden pane
    assert calls == [1] and not t.out_of_date
    t.request()
    tabs.setCurrentWidget(behind)  # in front: the one redraw it missed
    assert calls == [1, 1] and not t.out_of_date
    tabs.setCurrentWidget(front)
    tabs.setCurrentWidget(behind)  # nothing missed: nothing to do
    assert calls == [1, 1]


def test_an_export_shows_weights_set_without_a_signal(make_window, tmp_path):
    """``--headless --solve`` sets the solution on the trainer directly; the figure
    must show it: bars, status bar, and the loss of two features in the geometry."""
    w = make_window("--dataset", "diabetes")
    geometry = w.panes["geometry"]
    geometry.select_features(2, 8)
    before = geometry.model.quadratic.w_star.copy()
    tr = w.session.trainer
    d = tr.w.size
    target = np.zeros(d)
    target[:3] = [1.0, -2.0, 0.5]
    tr.set_state(target, tr.b)
    assert f"<b>{d - 3}</b> of {d}" not in w.panes["weights"].header.text()
    assert w.figures.export("window", "png", path=tmp_path / "w.png")
    assert f"<b>{d - 3}</b> of {d}" in w.panes["weights"].header.text()
    assert not np.allclose(geometry.model.quadratic.w_star, before)
    assert w.status_labels["nonzero"].text() == f"3 of {d} nonzero"


def test_a_theme_change_redraws_the_panes_on_screen_and_the_others_when_shown(
    qtbot, make_window, monkeypatch
):
    from tests.gui.helpers import count_calls

    w = make_window("--dataset", "diabetes", "--steps", "5")
    prior, weights = w.panes["prior"], w.panes["weights"]
    assert not prior.isVisible() and weights.isVisible()
    hidden = count_calls(monkeypatch, prior, "refresh_now")
    shown = count_calls(monkeypatch, weights, "refresh_now")
    w.set_dark(True)
    assert len(shown) >= 1 and len(hidden) == 0  # nothing drawn behind a tab
    w.grid.show_pane("prior")
    qtbot.waitUntil(lambda: len(hidden) >= 1)  # when it comes to the front
