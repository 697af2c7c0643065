"""Undo and Redo in the window: a setting, a slider drag, Reset, another dataset, a
lesson over imported data. Undo brings back the run itself, not only its settings."""

import numpy as np
import pytest
from PySide6 import QtCore, QtWidgets

from engine.lessons import get_lesson, lesson_keys
from gui.actions.undo import UNDO_LIMIT
from tests.gui.helpers import click, import_now, type_into

CTRL = QtCore.Qt.KeyboardModifier.ControlModifier
SHIFT = QtCore.Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def window(make_window, capture_errors):
    return capture_errors(make_window("--dataset", "diabetes"))


def press(qtbot, window, key, modifiers):
    """A shortcut typed on the window (no text field has the focus)."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.controls.reset_button.setFocus()
    qtbot.keyClick(window, key, modifiers)


def ctrl_z(qtbot, window):
    press(qtbot, window, QtCore.Qt.Key.Key_Z, CTRL)


def ctrl_shift_z(qtbot, window):
    press(qtbot, window, QtCore.Qt.Key.Key_Z, CTRL | SHIFT)


def state(window):
    """What has to come back: settings, data, step count, weights, history."""
    s = window.session
    tr = s.trainer
    return {
        "settings": s.settings,
        "dataset": s.dataset.name,
        "step": tr.step_count,
        "w": tr.w.copy(),
        "b": tr.b,
        "history": tr.history.weights().copy(),
        "steps": tr.history.steps.copy(),
    }


def assert_same(a, b):
    assert a["settings"] == b["settings"]
    assert a["dataset"] == b["dataset"]
    assert a["step"] == b["step"]
    assert np.array_equal(a["w"], b["w"]) and a["b"] == b["b"]
    assert np.array_equal(a["history"], b["history"])
    assert np.array_equal(a["steps"], b["steps"])


def edit_menu(window):
    menus = [a.menu() for a in window.menuBar().actions() if a.menu()]
    return next(m for m in menus if m.title() == "&Edit")


def menu_action(window, *path):
    menu = window.menuBar()
    for title in path[:-1]:
        menu = next(a.menu() for a in menu.actions() if a.text() == title)
    return next(a for a in menu.actions() if a.text() == path[-1])


def test_the_edit_menu_holds_undo_and_redo_with_their_shortcuts(window):
    texts = [a.text() for a in edit_menu(window).actions()]
    assert texts[:2] == ["&Undo", "&Redo"]
    undo, redo = window.undo.undo_action, window.undo.redo_action
    assert undo.shortcut().toString() == "Ctrl+Z"
    assert [k.toString() for k in redo.shortcuts()] == ["Ctrl+Shift+Z", "Ctrl+Y"]
    assert not undo.isEnabled()  # the run the window opened with is no change


def test_undo_of_a_penalty_change_brings_back_settings_and_controls(qtbot, window):
    c, s = window.controls, window.session
    before = state(window)
    assert s.settings.penalty == "l1"
    click(qtbot, c.penalty_buttons.button(2))  # L2
    assert s.settings.penalty == "l2"
    assert window.undo.undo_action.text() == "&Undo penalty L2"
    ctrl_z(qtbot, window)
    assert_same(state(window), before)
    assert c.penalty_buttons.checkedId() == 1 and c.kind() == "l1"
    assert not c.lam2.isVisible() and c.lam1.isVisible()
    assert window.undo.redo_action.text() == "&Redo penalty L2"
    ctrl_shift_z(qtbot, window)
    assert s.settings.penalty == "l2" and c.kind() == "l2"
    press(qtbot, window, QtCore.Qt.Key.Key_Z, CTRL)
    press(qtbot, window, QtCore.Qt.Key.Key_Y, CTRL)  # Ctrl+Y redoes too
    assert s.settings.penalty == "l2"


def test_ctrl_z_in_a_number_field_undoes_the_value_entered_there(qtbot, window):
    c, s = window.controls, window.session
    lam0 = s.settings.lam1
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    type_into(qtbot, c.lam1.spin, "1.5")
    assert s.settings.lam1 == 1.5
    c.lam1.spin.setFocus()
    qtbot.waitUntil(c.lam1.spin.hasFocus)
    qtbot.keyClick(c.lam1.spin, QtCore.Qt.Key.Key_Z, CTRL)
    assert s.settings.lam1 == lam0 and c.lam1.spin.value() == pytest.approx(lam0)
    qtbot.keyClick(c.lam1.spin, QtCore.Qt.Key.Key_Y, CTRL)
    assert s.settings.lam1 == 1.5


def drag(qtbot, slider, values):
    """Press a slider, move it through ``values`` (a frame apart), release it."""
    slider.setSliderDown(True)
    for v in values:
        slider.setValue(v)
        qtbot.wait(25)  # past the throttle: each position is an edit of λ
    slider.setSliderDown(False)


def test_one_drag_of_the_lambda_slider_is_one_undo_entry(qtbot, window):
    c, s, stack = window.controls, window.session, window.undo.stack
    lam0 = s.settings.lam1
    seen = []
    s.settingsChanged.connect(lambda: seen.append(s.settings.lam1))
    start = c.lam1.slider.value()
    drag(qtbot, c.lam1.slider, [start + 40, start + 80, start + 120])
    assert len(set(seen)) >= 3  # several edits of λ while dragging
    lam1 = s.settings.lam1
    assert lam1 == seen[-1] != lam0
    assert stack.count() == 1
    assert window.undo.undo_action.text() == f"&Undo λ₁ = {lam1:.4g}"
    drag(qtbot, c.lam1.slider, [start + 100, start + 60])  # a second drag
    assert stack.count() == 2
    lam2nd = s.settings.lam1
    ctrl_z(qtbot, window)
    assert s.settings.lam1 == lam1 and c.lam1.spin.value() == pytest.approx(lam1)
    ctrl_z(qtbot, window)
    assert s.settings.lam1 == lam0 and c.lam1.spin.value() == pytest.approx(lam0)
    assert c.lam1.slider.value() == start
    ctrl_shift_z(qtbot, window)
    ctrl_shift_z(qtbot, window)
    assert s.settings.lam1 == lam2nd


def test_a_drag_back_to_where_it_started_leaves_nothing_to_undo(qtbot, window):
    slider = window.controls.lam1.slider
    start = slider.value() + 10
    slider.setValue(start)  # a click: λ on a position of the slider, one entry
    lam0 = window.session.settings.lam1
    assert window.undo.stack.count() == 1
    drag(qtbot, slider, [start + 50, start])
    assert window.session.settings.lam1 == lam0
    assert window.undo.stack.count() == 1


def test_quick_arrow_presses_on_the_step_size_are_one_entry(qtbot, window):
    c, s, stack = window.controls, window.session, window.undo.stack
    click(qtbot, c.auto_lr)  # η from 1/L to the same number: an entry of its own
    eta = s.settings.lr
    assert isinstance(eta, float) and stack.count() == 1
    qtbot.wait(600)
    c.lr_spin.setFocus()
    for _ in range(3):
        qtbot.keyClick(c.lr_spin, QtCore.Qt.Key.Key_Up)
    assert s.settings.lr == pytest.approx(eta * 1.25**3)
    assert stack.count() == 2
    qtbot.wait(600)  # a pause: the next press is a new entry
    qtbot.keyClick(c.lr_spin, QtCore.Qt.Key.Key_Up)
    assert stack.count() == 3
    ctrl_z(qtbot, window)
    ctrl_z(qtbot, window)
    assert s.settings.lr == eta and c.lr_spin.value() == pytest.approx(eta)
    ctrl_z(qtbot, window)
    assert s.settings.lr == "auto" and c.auto_lr.isChecked()


def test_a_jump_to_lambda_min_is_undone_with_the_weights_it_left(qtbot, window):
    s, model = window.session, window.session.path_model
    click(qtbot, window.controls.step10_button)
    model.wait()  # the path and its cross-validation
    before = state(window)
    press(qtbot, window, QtCore.Qt.Key.Key_M, QtCore.Qt.KeyboardModifier.NoModifier)
    cv = model.cv
    assert s.settings.lam1 == cv.alpha_min
    assert np.array_equal(s.trainer.w, model.path.coefs[cv.index_min])
    ctrl_z(qtbot, window)
    assert_same(state(window), before)
    assert window.controls.lam1.spin.value() == pytest.approx(before["settings"].lam1)
    ctrl_shift_z(qtbot, window)
    assert s.settings.lam1 == cv.alpha_min
    assert np.array_equal(s.trainer.w, model.path.coefs[cv.index_min])


def test_reset_by_mistake_comes_back_with_its_weights_and_history(qtbot, window):
    c, s = window.controls, window.session
    for _ in range(3):
        click(qtbot, c.step10_button)
    trained = state(window)
    assert trained["step"] == 30
    twin = s.trainer.copy()  # the run as it would have gone on
    click(qtbot, c.reset_button)
    assert s.trainer.step_count == 0
    assert window.undo.undo_action.text() == "&Undo reset at step 30"
    window.undo.undo_action.trigger()
    assert_same(state(window), trained)
    assert window.status_labels["step"].text() == "step 30"
    s.step(7)  # it trains on exactly as before the Reset
    twin.step(7)
    assert np.array_equal(s.trainer.w, twin.w)
    after_undo = state(window)
    window.undo.redo_action.trigger()
    assert s.trainer.step_count == 0
    window.undo.undo_action.trigger()  # the 7 steps after the Undo are kept too
    assert_same(state(window), after_undo)


def test_reset_at_the_start_is_no_entry(qtbot, window):
    click(qtbot, window.controls.reset_button)
    assert window.undo.stack.count() == 0


def test_another_bundled_dataset_by_mistake_is_undone(qtbot, window):
    c, s = window.controls, window.session
    click(qtbot, c.penalty_buttons.button(3))  # Elastic Net
    click(qtbot, c.step10_button)
    before = state(window)
    source = window.data_panel.source
    menu_action(window, "&File", "Bundled &dataset", "houses").trigger()
    assert s.dataset.name == "houses" and s.trainer.step_count == 0
    assert window.undo.undo_action.text() == "&Undo dataset houses"
    ctrl_z(qtbot, window)
    assert_same(state(window), before)
    assert c.dataset_box.currentText() == "diabetes" and c.kind() == "elasticnet"
    assert c.lam2.spin.value() == pytest.approx(s.settings.lam2)
    assert window.data_panel.source == source
    assert window.windowTitle().endswith("diabetes")
    ctrl_shift_z(qtbot, window)
    assert s.dataset.name == "houses"
    assert window.data_panel.source == "Bundled dataset 'houses'"
    ctrl_z(qtbot, window)
    ctrl_z(qtbot, window)  # and the Elastic Net before it
    assert s.settings.penalty == "l1" and c.kind() == "l1"


def test_a_change_of_the_data_preparation_is_undone(qtbot, window):
    c, s = window.controls, window.session
    click(qtbot, c.step10_button)
    before = state(window)
    click(qtbot, c.standardize_box)
    assert not s.settings.standardize and s.trainer.step_count == 0
    assert window.undo.undo_action.text() == "&Undo standardize off"
    ctrl_z(qtbot, window)
    assert_same(state(window), before)
    assert c.standardize_box.isChecked()


def test_the_history_keeps_a_bounded_number_of_entries(qtbot, window):
    spin = window.controls.seed_spin
    for seed in range(1, UNDO_LIMIT + 10):
        spin.setValue(seed)
    assert window.undo.stack.count() == UNDO_LIMIT
    assert window.undo.undo_action.text() == f"&Undo seed {UNDO_LIMIT + 9}"


@pytest.fixture
def imported(qtbot, window, tmp_path):
    """The window trained 20 steps on an imported CSV file."""
    path = tmp_path / "measurements.csv"
    A = np.random.default_rng(4).standard_normal((60, 4)).round(3)
    np.savetxt(path, A, delimiter=",", header="a,b,c,y", comments="", fmt="%.3f")
    dlg = window.open_csv(path)
    qtbot.waitUntil(lambda: dlg.worker is None, timeout=30000)
    import_now(qtbot, window, dlg)
    window.session.step(20)
    assert window.session.settings.source.kind == "csv"
    return window


def answer(monkeypatch, button):
    asked = []

    def question(parent, title, text, *args):
        asked.append(text)
        return button

    monkeypatch.setattr(QtWidgets.QMessageBox, "question", question)
    return asked


def test_a_lesson_over_imported_data_asks_and_cancel_changes_nothing(
    imported, monkeypatch
):
    window, s = imported, imported.session
    before, dataset, count = state(window), s.dataset, window.undo.stack.count()
    asked = answer(monkeypatch, QtWidgets.QMessageBox.StandardButton.No)
    key = lesson_keys()[0]
    window.lessons.actions[key].trigger()
    name = s.dataset.name
    assert asked == [
        f"Start lesson “{get_lesson(key).title}”? It replaces your imported data "
        f"{name}; Undo (Ctrl+Z) brings it back."
    ]
    assert s.dataset is dataset and window.lessons.current is None
    assert_same(state(window), before)
    assert window.undo.stack.count() == count


def test_a_lesson_started_over_imported_data_is_undone(qtbot, imported, monkeypatch):
    window, s = imported, imported.session
    before, source = state(window), window.data_panel.source
    asked = answer(monkeypatch, QtWidgets.QMessageBox.StandardButton.Yes)
    key = lesson_keys()[0]
    window.lessons.actions[key].trigger()
    assert len(asked) == 1
    assert window.lessons.current.key == key and s.settings.source.kind == "bundled"
    lesson_state = state(window)
    title = get_lesson(key).title
    assert window.undo.undo_action.text() == f"&Undo lesson “{title}”"
    ctrl_z(qtbot, window)
    assert_same(state(window), before)
    assert window.data_panel.source == source
    assert window.lessons.current is None and not window.lessons.dock.isVisible()
    assert window.undo.undo_action.text() == f"&Undo import of {s.dataset.name}"
    ctrl_z(qtbot, window)  # and the import: the bundled data the window opened with
    assert s.dataset.name == "diabetes" and s.settings.source.kind == "bundled"
    ctrl_shift_z(qtbot, window)
    assert_same(state(window), before)
    ctrl_shift_z(qtbot, window)
    assert_same(state(window), lesson_state)
    assert window.lessons.current.key == key and window.lessons.dock.isVisible()
    assert len(asked) == 1  # Redo does not ask again


def test_a_lesson_over_bundled_data_does_not_ask(qtbot, window, monkeypatch):
    asked = answer(monkeypatch, QtWidgets.QMessageBox.StandardButton.No)
    window.lessons.actions[lesson_keys()[0]].trigger()
    assert asked == [] and window.lessons.current is not None


def test_the_shortcuts_help_lists_undo_and_redo(window, monkeypatch):
    shown = []
    monkeypatch.setattr(
        QtWidgets.QMessageBox, "information", lambda *a: shown.append(a[2])
    )
    menu_action(window, "&Help", "Keyboard shortcuts").trigger()
    assert "Ctrl+Z: undo" in shown[0] and "Ctrl+Y: redo" in shown[0]
