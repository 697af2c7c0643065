"""Controls → settings → controller → one signal → panes, and the faults found on it."""

import shutil
from pathlib import Path

import sklearn
from PySide6 import QtCore

from tests.gui.helpers import click, count_calls, plain_text, type_into

CANCER = Path(sklearn.__file__).parent / "datasets" / "data" / "breast_cancer.csv"


def test_one_edit_of_lambda_recomputes_each_pane_once(qtbot, make_window, monkeypatch):
    w = make_window("--dataset", "diabetes")
    w.geometry.model.set_source("data")  # the pane that depends on λ most
    s = w.session
    emitted = {"settings": 0, "stepped": 0, "loaded": 0}
    s.settingsChanged.connect(
        lambda: emitted.__setitem__("settings", 1 + emitted["settings"])
    )
    s.stepped.connect(lambda: emitted.__setitem__("stepped", 1 + emitted["stepped"]))
    s.datasetLoaded.connect(
        lambda: emitted.__setitem__("loaded", 1 + emitted["loaded"])
    )
    w._rate_timer.stop()  # its half-second refresh of the rate is not an edit's
    recomputes = count_calls(monkeypatch, w.geometry.model, "recompute")
    bars = count_calls(monkeypatch, w.weights, "_update_bars")
    counter = count_calls(monkeypatch, w.weights, "_update_text")
    status = count_calls(monkeypatch, w, "_update_status")
    w.geometry.model.changed.connect(lambda: recomputes.append("changed"))
    type_into(qtbot, w.controls.lam1.spin, "7.5")
    qtbot.wait(150)  # any throttled redraw has fired
    assert s.settings.lam1 == 7.5 and s.trainer.penalty.lam1 == 7.5
    assert emitted == {"settings": 1, "stepped": 0, "loaded": 0}
    assert recomputes == [1, "changed"]  # one recompute, one redraw of its views
    # the weights did not move: the bars stay, the counter names the new λ
    assert len(bars) == 0 and len(counter) == 1 and len(status) == 1


def test_a_dragged_lambda_slider_edits_at_most_once_per_frame(qtbot, make_window):
    w = make_window("--dataset", "diabetes")
    s, slider = w.session, w.controls.lam1.slider
    edits = []
    s.settingsChanged.connect(lambda: edits.append(s.settings.lam1))
    slider.setSliderDown(True)  # the user holds the handle
    for pos in range(300, 700, 10):  # 40 positions within a few milliseconds
        slider.setValue(pos)
    assert len(edits) <= 2
    slider.setSliderDown(False)
    qtbot.waitUntil(lambda: s.settings.lam1 == w.controls.lam1.value(), timeout=1000)
    assert len(edits) <= 3  # and the last position was applied
    assert s.trainer.penalty.lam1 == w.controls.lam1.value()


def test_lambda_zero_on_a_two_class_target_is_said_plainly(
    qtbot, make_window, tmp_path
):
    path = tmp_path / "breast_cancer.csv"
    shutil.copy(CANCER, path)
    w = make_window("--csv", str(path))
    assert w.session.loss == "logistic"
    type_into(qtbot, w.controls.lam1.spin, "0")
    assert w.session.settings.lam1 == 0.0
    info = plain_text(w.controls.lam_info)
    assert "C = 1/(nλ) is infinite" in info
    w.session.step(5)  # trains without a fault
    assert w.session.trainer.step_count == 5


def test_after_solve_the_window_says_solved_with_its_gap(qtbot, make_window):
    w = make_window("--dataset", "diabetes")
    click(qtbot, w.controls.solve_button)
    qtbot.waitUntil(lambda: not w.session.solving, timeout=30000)
    tr = w.session.trainer
    assert tr.solution is not None and tr.solution.converged
    assert "solved (duality gap" in w.status_labels["step"].text()
    assert "solved" in plain_text(w.weights.header)
    assert w.curves.solved_label.toPlainText().startswith("solved (duality gap")
    assert len(w.curves.solved_marker.data) == 1
    w.session.step(1)  # a step leaves the solved point
    assert tr.solution is None and "solved" not in w.status_labels["step"].text()


def test_the_options_reach_the_window(make_window):
    w = make_window(
        "--dataset", "correlated", "--validation", "0", "--penalty", "l2",
        "--lam", "0.3", "--rule", "subgradient", "--steps", "40", "--seed", "3",
    )  # fmt: skip
    s = w.session
    assert s.data.X_val is None and s.settings.validation == 0.0
    assert s.trainer.step_count == 40 and s.trainer.rule == "subgradient"
    assert s.trainer.penalty.lam2 == 0.3 and w.controls.lam2.value() == 0.3
    assert w.controls.validation_spin.value() == 0.0
    assert w.controls.seed_spin.value() == 3


def test_loss_squared_on_a_two_class_target_reaches_the_window(make_window, tmp_path):
    path = tmp_path / "breast_cancer.csv"
    shutil.copy(CANCER, path)
    w = make_window("--csv", str(path), "--loss", "squared", "--steps", "10")
    assert w.session.loss == "squared" and w.session.trainer.loss.name == "squared"
    assert "squared loss" in w.controls.shape_label.text()


def test_a_refused_setting_says_why_and_changes_nothing(
    qtbot, make_window, monkeypatch
):
    from PySide6 import QtWidgets

    w = make_window("--dataset", "diabetes")
    said = []
    monkeypatch.setattr(
        QtWidgets.QMessageBox, "warning", lambda *a: said.append(a[2]) or 0
    )
    before = w.session.settings
    w.controls._edit(loss="logistic")  # diabetes has no two-class target
    assert said and "two-class target" in said[0]
    assert w.session.settings is before
    QtCore.QCoreApplication.processEvents()


def test_the_strength_labels_show_from_the_start(make_window):
    w = make_window("--dataset", "diabetes", "--penalty", "elasticnet")
    c = w.controls
    assert c.lam1_label.isVisible() and c.lam1_label.text() == "λ₁"
    assert c.lam2_label.isVisible() and c.lam2_label.text() == "λ₂"
