"""Guided lessons in the window: the Lessons menu, the text beside the panes, and each
lesson's claim checked on what the window shows after loading it."""

import numpy as np
import pytest
from PySide6 import QtCore, QtWidgets

from engine import DataError
from engine.lessons import LESSONS, Lesson, get_lesson, lesson_keys
from tests.gui.helpers import click, plain_text, type_into

#: What the window shows right after loading each lesson: (zeros, features, steps).
SHOWN = {
    "why-regularize": (0, 15, 0),
    "constant-gradient": (2, 10, 1),
    "exact-zeros": (6, 10, 100),
    "geometry": (1, 2, 50),
    "feature-selection": (952, 1000, 500),
    "correlated-features": (14, 20, 100),
    "subgradient-chatter": (0, 10, 200),
    "which-lambda": (4, 10, 0),
    "early-stopping": (0, 15, 0),
    "sparse-or-dense": (0, 20, 0),
    "thresholding": (13, 20, 30),
    "laplace-prior": (1, 2, 0),
}
SIX = {"age", "sex", "tc", "ldl", "tch", "glu"}


@pytest.fixture
def window(make_window, capture_errors):
    return capture_errors(make_window("--dataset", "houses"))


def start_by_shortcut(qtbot, window, key):
    """Ctrl+<number of the lesson> (Ctrl+0 for the tenth), as listed in the Lessons
    menu; a later lesson from the menu."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    i = lesson_keys().index(key)
    if i < 10:  # Ctrl+1 … Ctrl+9, then Ctrl+0
        qtbot.keyClick(
            window,
            QtCore.Qt.Key(QtCore.Qt.Key.Key_0.value + (i + 1) % 10),
            QtCore.Qt.KeyboardModifier.ControlModifier,
        )
    else:  # later lessons: from the menu
        window.lessons.actions[key].trigger()
    assert window.lessons.current is not None
    assert window.lessons.current.key == key


def zero_names(window):
    tr, data = window.session.trainer, window.session.data
    return {data.feature_names[j] for j in np.flatnonzero(tr.w == 0.0)}


def test_the_lessons_menu_lists_every_lesson_with_a_shortcut(window):
    menus = [a.menu() for a in window.menuBar().actions() if a.menu()]
    lessons_menu = next(m for m in menus if m.title() == "&Lessons")
    texts = [a.text() for a in lessons_menu.actions() if a.text()]
    for i, lesson in enumerate(LESSONS, start=1):
        assert (f"&{i}. " if i < 10 else f"{i}. ") + lesson.title in texts
        shortcut = window.lessons.actions[lesson.key].shortcut().toString()
        assert shortcut == (f"Ctrl+{i % 10}" if i <= 10 else "")
    assert not window.lessons.dock.isVisible()  # no lesson until one is chosen


@pytest.mark.parametrize("key", lesson_keys())
def test_each_lesson_loads_and_the_window_shows_what_its_text_says(qtbot, window, key):
    lesson = get_lesson(key)
    start_by_shortcut(qtbot, window, key)

    zeros, d, steps = SHOWN[key]
    s, tr = window.session, window.session.trainer
    assert s.dataset.name == lesson.dataset
    assert (tr.step_count, tr.n_zero, tr.w.size) == (steps, zeros, d)
    assert int((tr.w == 0.0).sum()) == zeros  # exact zeros, not small ones
    assert plain_text(window.weights.header).startswith(
        f"{zeros} of {d} weights are exactly 0 "
    )
    assert window.status_labels["nonzero"].text() == f"{d - zeros} of {d} nonzero"
    # ... because it is the engine's run of the lesson, the one its tests check
    from engine.run import execute

    ref = execute(lesson.start()).trainer
    assert np.array_equal(tr.w, ref.w) and tr.b == ref.b
    assert tr.penalty == ref.penalty and tr.rule == lesson.rule
    # the controls show the lesson's settings, ready to change
    assert window.controls.kind() == lesson.penalty
    assert window.controls.rule_box.currentData() == lesson.rule
    # the text sits beside the panes
    dock = window.lessons.dock
    assert dock.isVisible()
    assert window.dockWidgetArea(dock) == QtCore.Qt.DockWidgetArea.RightDockWidgetArea
    assert (
        dock.geometry().left() >= window.splitter.mapTo(window, QtCore.QPoint(0, 0)).x()
    )
    panel = window.lessons.panel
    assert lesson.title in panel.title.text()
    text = panel.text.toPlainText()
    assert "What to watch" in text
    assert f"{zeros} of {d} weights" in text
    assert window.weights.sort_box.currentIndex() == (1 if lesson.sort_by_size else 0)
    assert window.errors == []


def test_geometry_lesson_shows_the_corner_side_by_side(qtbot, window):
    start_by_shortcut(qtbot, window, "geometry")
    geo = window.geometry
    assert geo.side_box.isChecked() and len(geo.views) == 3
    assert geo.model.view == "penalized" and geo.model.source == "data"
    l1 = next(v for v in geo.views if v.kind == "l1")
    l2 = next(v for v in geo.views if v.kind == "l2")
    w1 = l1.optimum_position()
    assert round(w1[0], 2) == 1.12 and w1[1] == 0.0
    w2 = l2.optimum_position()
    assert (round(w2[0], 2), round(w2[1], 2)) == (0.95, 0.51)
    top = window.top.sizes()
    assert top[1] > top[0]  # the three plots get the room


def test_feature_selection_lesson_scores_the_kept_features(qtbot, window):
    start_by_shortcut(qtbot, window, "geometry")  # two features first
    start_by_shortcut(qtbot, window, "feature-selection")
    footer = window.weights.footer.text()
    assert "kept 48 · precision 0.94 · recall 0.90" in footer
    # the zero-count curve's axis follows the new data (it used to stay at 0..2)
    lo, hi = window.curves.zero_plot.viewRange()[1]
    assert lo <= 0 and hi >= 1000
    click(qtbot, window.controls.penalty_buttons.button(2))  # L2
    click(qtbot, window.controls.step_button)
    assert window.session.trainer.n_zero == 0


def test_constant_gradient_lesson_l2_starts_at_a_tenth_of_L(qtbot, window):
    start_by_shortcut(qtbot, window, "constant-gradient")
    s = window.session
    click(qtbot, window.controls.penalty_buttons.button(2))  # L2
    assert s.trainer.penalty.kind == "l2"
    assert round(s.trainer.penalty.lam2, 2) == 0.40
    assert round(s.trainer.penalty.lam2 / s.scales.curvature, 6) == 0.1
    w = s.trainer.w.copy()
    click(qtbot, window.controls.step_button)
    click(qtbot, window.controls.step_button)
    assert s.trainer.n_zero == 0 and (s.trainer.w != 0.0).all()
    assert not np.array_equal(w, s.trainer.w)


def test_correlated_lesson_rho_1_then_play_keeps_only_a1(qtbot, window):
    start_by_shortcut(qtbot, window, "correlated-features")
    s = window.session
    assert zero_names(window) == set(s.data.feature_names) - {
        "A1",
        "A2",
        "A3",
        "B1",
        "B2",
        "B3",
    }
    assert round(window.controls.rho_spin.value(), 2) == 0.49
    type_into(qtbot, window.controls.rho_spin, "1")
    assert s.trainer.penalty.kind in ("l1", "elasticnet")
    assert s.trainer.penalty.lam2 == 0.0
    click(qtbot, window.controls.play_button)
    qtbot.waitUntil(lambda: s.trainer.step_count >= 1100, timeout=20000)
    click(qtbot, window.controls.play_button)
    assert set(s.data.feature_names) - zero_names(window) == {"A1"}
    assert s.trainer.n_zero == 19


def test_subgradient_lesson_the_clamp_zeroes_the_six_within_4_steps(qtbot, window):
    start_by_shortcut(qtbot, window, "subgradient-chatter")
    s = window.session
    assert (s.trainer.history.scalar("n_zero") == 0).all()
    box = window.controls.rule_box
    box.setCurrentIndex(box.findData("proximal"))
    for _ in range(4):
        click(qtbot, window.controls.step_button)
    assert s.trainer.rule == "proximal" and zero_names(window) == SIX


def test_next_previous_and_restart_buttons(qtbot, window):
    start_by_shortcut(qtbot, window, lesson_keys()[0])
    panel = window.lessons.panel
    assert not panel.previous_button.isEnabled()
    click(qtbot, panel.next_button)
    assert window.lessons.current.key == "constant-gradient"
    click(qtbot, panel.next_button)
    assert window.lessons.current.key == "exact-zeros"
    assert window.session.trainer.step_count == 100
    assert f"Lesson 3 of {len(LESSONS)}" in panel.title.text()
    click(qtbot, window.controls.step10_button)
    assert window.session.trainer.step_count == 110
    click(qtbot, panel.restart_button)
    assert window.session.trainer.step_count == 100
    click(qtbot, panel.previous_button)
    assert window.lessons.current.key == "constant-gradient"
    start_by_shortcut(qtbot, window, lesson_keys()[-1])
    assert not panel.next_button.isEnabled()


def test_other_data_closes_the_lesson_text(qtbot, window):
    start_by_shortcut(qtbot, window, "exact-zeros")
    assert window.load_bundled("houses")
    assert not window.lessons.dock.isVisible() and window.lessons.current is None


def test_a_saved_lesson_reopens_with_its_text_and_weights(qtbot, window, tmp_path):
    start_by_shortcut(qtbot, window, "correlated-features")
    click(qtbot, window.controls.step_button)
    w = window.session.trainer.w.copy()
    path = tmp_path / "lesson.json"
    assert window.files.save_session(path)
    assert window.load_bundled("houses")
    window.files.open_session(path)
    qtbot.waitUntil(lambda: not window.files.opening_session, timeout=30000)
    assert np.array_equal(window.session.trainer.w, w)
    assert window.lessons.dock.isVisible()
    assert window.lessons.current.key == "correlated-features"


def test_a_lesson_that_cannot_load_says_why_and_changes_nothing(
    qtbot, window, monkeypatch
):
    start_by_shortcut(qtbot, window, "exact-zeros")
    before = window.session.trainer

    def broken(self):
        raise DataError("the bundled file is unreadable")

    monkeypatch.setattr(Lesson, "start", broken)
    assert not window.lessons.start("exact-zeros")
    assert window.session.trainer is before
    assert window.errors and "unreadable" in window.errors[-1]
    assert window.lessons.current.key == "exact-zeros"  # the open lesson stays
    assert window.lessons.dock.isVisible()


def test_the_command_line_opens_a_lesson_in_the_window(qtbot, make_window):
    w = make_window("--lesson", "feature-selection")
    qtbot.waitUntil(lambda: w.lessons.current is not None, timeout=10000)
    assert w.session.dataset.name == "houses"
    assert w.session.trainer.step_count == 500 and w.session.trainer.n_zero == 952
    assert w.lessons.dock.isVisible()


def test_the_command_line_opens_a_session_in_the_window(
    qtbot, window, make_window, tmp_path
):
    start_by_shortcut(qtbot, window, "exact-zeros")
    path = tmp_path / "s.json"
    assert window.files.save_session(path)
    other = make_window("--session", str(path))
    qtbot.waitUntil(
        lambda: (
            other.session.trainer.step_count == 100 and not other.files.opening_session
        ),
        timeout=30000,
    )
    assert np.array_equal(other.session.trainer.w, window.session.trainer.w)
    assert other.lessons.current.key == "exact-zeros"


def test_presentation_mode_hides_the_lesson_text_and_brings_it_back(qtbot, window):
    start_by_shortcut(qtbot, window, "geometry")
    docks = (window.controls_dock, window.data_dock, window.lessons.dock)
    qtbot.keyClick(window, QtCore.Qt.Key.Key_F5)
    assert window.appearance.presenting
    assert not any(d.isVisible() for d in docks)
    qtbot.keyClick(window, QtCore.Qt.Key.Key_F5)  # off again: every dock is back
    assert not window.appearance.presenting
    assert window.lessons.dock.isVisible() and window.controls_dock.isVisible()
    assert window.data_dock.toggleViewAction().isChecked()  # its tab is still there
    window.set_presentation(True)
    window.set_presentation(True)
    window.set_presentation(False)
    assert window.lessons.dock.isVisible() and window.controls_dock.isVisible()


def test_presentation_mode_and_lessons_stay_in_step(qtbot, window):
    window.set_presentation(True)
    start_by_shortcut(qtbot, window, "exact-zeros")  # started while presenting
    assert not window.lessons.dock.isVisible()  # presentation shows panes only
    window.set_presentation(False)
    assert window.lessons.dock.isVisible()  # ... and the text appears after it
    window.set_presentation(True)
    assert window.load_bundled("houses")  # other data while presenting
    window.set_presentation(False)
    assert not window.lessons.dock.isVisible()  # no stale lesson text
    assert not window.lessons.toggle.isEnabled()


def test_other_data_resets_the_source_and_the_text_toggle(qtbot, window):
    start_by_shortcut(qtbot, window, "exact-zeros")
    assert window.data_panel.source.startswith("Lesson")
    click(qtbot, window.controls.standardize_box)  # the same data, prepared anew
    assert window.lessons.current is None
    assert window.data_panel.source == "Bundled dataset 'diabetes'"
    assert not window.lessons.toggle.isEnabled()


def test_no_lesson_starts_while_a_session_is_being_opened(qtbot, window, tmp_path):
    start_by_shortcut(qtbot, window, "exact-zeros")
    saved = tmp_path / "s.json"
    assert window.files.save_session(str(saved))
    window.files.open_session(str(saved))  # replays until the event loop runs again
    assert window.files.opening_session
    before = window.session.trainer
    assert not window.lessons.start("geometry")
    assert window.session.trainer is before
    assert "session is being opened" in window.errors[-1]
    qtbot.waitUntil(lambda: not window.files.opening_session, timeout=30000)


def test_dark_theme_styles_the_side_by_side_plots(qtbot, window):
    window.set_dark(True)
    start_by_shortcut(qtbot, window, "geometry")
    dark = window.appearance.colours["background"]
    views = window.geometry.views
    assert len(views) == 3
    for v in views:
        assert v.plot_widget.backgroundBrush().color().name() == dark.lower()


def test_a_lesson_keeps_the_users_zone_choice(qtbot, window):
    window.geometry.zones_box.setChecked(False)
    start_by_shortcut(qtbot, window, "geometry")
    assert not window.geometry.zones_box.isChecked()


def test_on_a_laptop_the_lesson_text_is_a_tab_beside_the_controls(qtbot, window):
    """Below 1,600 pixels of width the text is in front of Controls and Data, so the
    three pictures keep the width; on a wider window it is at the right."""
    Area = QtCore.Qt.DockWidgetArea
    dock = window.lessons.dock
    window.resize(1280, 720)
    start_by_shortcut(qtbot, window, "geometry")
    assert window.dockWidgetArea(dock) == Area.LeftDockWidgetArea
    assert dock in window.tabifiedDockWidgets(window.controls_dock)
    bars = [  # the dock area's tabs: the text's in front
        t
        for t in window.findChildren(QtWidgets.QTabBar)
        if t.parent() is window and t.count() == 3
    ]
    assert [bars[0].tabText(i) for i in range(3)] == ["Controls", "Data", "Lesson"]
    assert bars[0].currentIndex() == 2 and dock.isVisible()
    assert "the Lesson text says" in window.statusBar().currentMessage()
    narrow = min(v.plot_widget.width() for v in window.geometry.views)
    dock.toggleViewAction().trigger()  # closed, then a wider window
    window.resize(1700, 1000)
    start_by_shortcut(qtbot, window, "geometry")
    assert window.dockWidgetArea(dock) == Area.RightDockWidgetArea
    assert dock.isVisible() and window.controls_dock.isVisible()
    assert narrow >= 180  # at 1280 × 720: the pictures are not squeezed


def test_three_pictures_side_by_side_have_two_line_titles(qtbot, window):
    window.resize(1280, 720)
    start_by_shortcut(qtbot, window, "geometry")
    titles = [plain_text(v.title) for v in window.geometry.views]
    assert titles[0].startswith("L1: λ = 1.12 ⇔ t = 1.12")
    assert titles[0].endswith("w = (1.118, 0 exactly)")
    assert titles[2].startswith("EN: α = 1.12")
    view = window.geometry.views[0]
    label = view.optimum_label
    assert label.isVisible() and label.toPlainText() == "w₂ = 0 exactly"
    qtbot.wait(50)
    box = view.plot.getViewBox()
    shown = box.mapRectToScene(box.boundingRect())
    assert shown.contains(label.mapRectToScene(label.boundingRect()))  # not clipped
