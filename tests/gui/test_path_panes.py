"""The path and cross-validation panes and their one λ cursor, driven as a user does."""

import shutil
from pathlib import Path

import numpy as np
import pytest
import sklearn
from PySide6 import QtCore, QtTest

from engine import Penalty, solve
from engine.path import solution_at
from gui.path_model import NO_PATH
from tests.gui.helpers import click, count_calls, plain_text, type_into

CANCER = Path(sklearn.__file__).parent / "datasets" / "data" / "breast_cancer.csv"


def ready(window, key):
    """Pane ``key`` in front, with the path and its cross-validation computed."""
    window.grid.show_pane(key)
    window.session.path_model.wait()
    QtTest.QTest.qWait(10)
    return window.panes[key]


def at(pane, x, y_share=0.8):
    """The viewport position of plot x (view coordinates) at ``y_share`` of the
    plot's height from the bottom."""
    vb = pane.plot.getViewBox()
    y0, y1 = vb.viewRange()[1]
    scene = vb.mapViewToScene(QtCore.QPointF(x, y0 + y_share * (y1 - y0)))
    return pane.plot_widget.mapFromScene(scene)


def drag(pane, x_from, x_to, steps=12):
    """Press on the plot at x ``x_from``, move to ``x_to`` in ``steps`` and release:
    real mouse events on the plot's viewport."""
    viewport = pane.plot_widget.viewport()
    start, end = at(pane, x_from), at(pane, x_to)
    left = QtCore.Qt.MouseButton.LeftButton
    none = QtCore.Qt.KeyboardModifier.NoModifier
    QtTest.QTest.mouseMove(viewport, start)
    QtTest.QTest.qWait(20)  # pyqtgraph ignores moves less than 10 ms apart
    QtTest.QTest.mousePress(viewport, left, none, start)
    for t in np.linspace(0, 1, steps + 1)[1:]:
        x = round(start.x() + t * (end.x() - start.x()))
        QtTest.QTest.mouseMove(viewport, QtCore.QPoint(x, start.y()))
        QtTest.QTest.qWait(20)
    QtTest.QTest.mouseRelease(viewport, left, none, end)
    QtTest.QTest.qWait(20)


def drawn_weights(pane):
    """The weights the weights pane draws, in feature order (horizontal bars)."""
    d = pane.session.data.n_features
    w = np.zeros(d)
    for item, sign in ((pane.pos_bars, 1), (pane.neg_bars, -1)):
        at = np.asarray(item.opts["y"], dtype=int)
        w[pane.order()[at]] = sign * np.asarray(item.opts["width"])
    return w


def test_dragging_the_cursor_sets_lambda_and_every_pane_shows_the_path_solution(
    qtbot, make_window
):
    w = make_window("--dataset", "diabetes")
    s, model = w.session, w.session.path_model
    pane = ready(w, "path")
    assert pane.cursor.line.value() == pytest.approx(np.log10(s.settings.lam1))
    seen = []
    s.settingsChanged.connect(lambda: seen.append(s.settings.lam1))
    drag(pane, pane.cursor.line.value(), np.log10(0.5))
    alpha = s.settings.lam1
    assert alpha == pytest.approx(0.5, rel=0.05)  # where the pointer let go
    assert w.controls.lam1.value() == pytest.approx(alpha, rel=1e-12)  # shown
    assert 2 <= len(seen) <= 14  # at most one edit per frame, and the release
    # while dragging, λ moves from grid point to grid point (stored solutions)
    assert set(seen[:-1]) <= set(model.path.alphas) and seen[-1] == alpha
    ref, b, info = solution_at(model.path, alpha, s.data, s.loss, tol=s.settings.tol)
    assert not info["on_grid"]  # between grid points: a warm-started exact solve
    np.testing.assert_array_equal(s.trainer.w, ref)
    # the same minimum as a cold solve of the engine at that λ
    cold = solve(s.data, s.loss, Penalty.l1(alpha), tol=1e-12)
    np.testing.assert_array_equal(ref == 0, cold.w == 0)
    np.testing.assert_allclose(ref, cold.w, rtol=1e-5, atol=1e-6)
    # the weights pane draws it, its counter and the status line count its zeros
    np.testing.assert_allclose(drawn_weights(w.weights), ref, rtol=1e-12)
    zeros = int((ref == 0).sum())
    assert f"<b>{zeros}</b> of 10" in w.weights.header.text()
    assert "solved" in w.weights.header.text()
    assert w.status_labels["nonzero"].text() == f"{10 - zeros} of 10 nonzero"
    # the cursor stays where it was let go, on both panes
    assert pane.cursor.line.value() == pytest.approx(np.log10(alpha))
    assert w.panes["cv"].cursor.line.value() == pytest.approx(np.log10(alpha))


def test_moving_lambda_in_the_control_moves_both_cursors_and_keeps_the_weights(
    qtbot, make_window
):
    w = make_window("--dataset", "diabetes")
    s = w.session
    pane, cv = ready(w, "path"), w.panes["cv"]
    s.step(40)
    before = s.trainer.w.copy()
    type_into(qtbot, w.controls.lam1.spin, "3.5")
    assert s.settings.lam1 == 3.5
    assert pane.cursor.line.value() == pytest.approx(np.log10(3.5))
    assert cv.cursor.line.value() == pytest.approx(np.log10(3.5))
    assert "λ = 3.5" in pane.cursor.line.label.toPlainText()
    np.testing.assert_array_equal(s.trainer.w, before)  # the control only edits λ


def test_lambda_min_and_1se_buttons_and_keys_put_the_run_on_the_grid(
    qtbot, make_window
):
    w = make_window("--dataset", "diabetes")
    s, model = w.session, w.session.path_model
    cv_pane = ready(w, "cv")
    cv = model.cv
    assert cv.index_1se <= cv.index_min  # λ_1se is the larger strength
    click(qtbot, cv_pane.controls.min_button)
    assert s.settings.lam1 == cv.alpha_min
    np.testing.assert_array_equal(s.trainer.w, model.path.coefs[cv.index_min])
    assert cv_pane.cursor.line.value() == pytest.approx(np.log10(cv.alpha_min))
    label = cv_pane.min_line.label.toPlainText()
    assert f"{int(cv.n_nonzero[cv.index_min])} nonzero" in label
    click(qtbot, w.panes["path"].controls.se_button)
    assert s.settings.lam1 == cv.alpha_1se
    np.testing.assert_array_equal(s.trainer.w, model.path.coefs[cv.index_1se])
    type_into(qtbot, w.controls.lam1.spin, "1")
    qtbot.keyClick(w, QtCore.Qt.Key.Key_M)
    assert s.settings.lam1 == cv.alpha_min
    qtbot.keyClick(w, QtCore.Qt.Key.Key_M, QtCore.Qt.KeyboardModifier.ShiftModifier)
    assert s.settings.lam1 == cv.alpha_1se


def test_keep_training_moves_lambda_only_and_training_goes_on(qtbot, make_window):
    w = make_window("--dataset", "diabetes")
    s = w.session
    pane = ready(w, "path")
    click(qtbot, pane.controls.jump_box)
    assert s.settings.path.cursor == "train"
    s.step(25)
    before = s.trainer.w.copy()
    drag(pane, pane.cursor.line.value(), np.log10(8.0))
    assert s.settings.lam1 == pytest.approx(8.0, rel=0.05)
    np.testing.assert_array_equal(s.trainer.w, before)
    assert s.trainer.solution is None
    s.step(5)
    assert s.trainer.step_count == 30 and s.trainer.penalty.lam1 == s.settings.lam1


def test_only_a_change_of_lambda_recomputes_nothing(qtbot, make_window):
    w = make_window("--dataset", "diabetes")
    s, model = w.session, w.session.path_model
    pane = ready(w, "path")
    assert model.started == {"path": 1, "cv": 1}
    type_into(qtbot, w.controls.lam1.spin, "2")
    drag(pane, pane.cursor.line.value(), np.log10(0.3))
    click(qtbot, pane.controls.min_button)
    s.step(10)
    model.wait()
    assert model.started == {"path": 1, "cv": 1}
    # the folds: the cross-validation only
    type_into(qtbot, w.panes["cv"].folds_spin, "3")
    assert s.settings.path.folds == 3
    model.wait()
    assert model.started == {"path": 1, "cv": 2} and model.cv.folds == 3
    # another penalty: both
    click(qtbot, w.controls.penalty_buttons.button(2))  # L2
    model.wait()
    assert model.started == {"path": 2, "cv": 3} and model.path.kind == "l2"
    assert pane.cursor.line.value() == pytest.approx(np.log10(s.settings.lam2))
    # Elastic Net: a cursor move keeps ρ (no new path), a new ρ makes one
    click(qtbot, w.controls.penalty_buttons.button(3))
    model.wait()
    assert model.started == {"path": 3, "cv": 4}
    rho = model.path.rho
    drag(pane, pane.cursor.line.value(), pane.cursor.line.value() - 0.5)
    model.wait()
    assert model.started == {"path": 3, "cv": 4}
    assert s.settings.active_penalty.rho == pytest.approx(rho, rel=1e-9)
    alpha = s.settings.active_penalty.alpha
    assert pane.rho_spin.isVisible()
    type_into(qtbot, pane.rho_spin, "0.3")
    assert s.settings.active_penalty.rho == pytest.approx(0.3)
    assert s.settings.active_penalty.alpha == pytest.approx(alpha)
    model.wait()
    assert model.started == {"path": 4, "cv": 5}
    assert model.path.rho == pytest.approx(0.3)


def test_nothing_is_computed_while_no_pane_shows_the_path(qtbot, make_window):
    w = make_window("--dataset", "houses")
    s, model = w.session, w.session.path_model
    s.play()
    qtbot.wait(400)  # longer than the settings' debounce
    s.pause()
    click(qtbot, w.controls.penalty_buttons.button(3))  # Elastic Net
    qtbot.wait(200)
    assert model.started == {"path": 0, "cv": 0} and not model.busy
    assert not w.path_status.progress.isVisible()
    with qtbot.waitSignal(model.busyChanged, timeout=5000):
        w.grid.show_pane("path")  # someone looks: the path is computed
    assert model.started == {"path": 1, "cv": 0}


def test_no_penalty_no_path(qtbot, make_window):
    w = make_window("--dataset", "diabetes")
    pane, cv = ready(w, "path"), w.panes["cv"]
    click(qtbot, w.controls.penalty_buttons.button(0))
    assert w.session.settings.penalty == "none"
    for p in (pane, cv):
        assert p.stack.currentIndex() == 1
        assert p.stack.message.text() == NO_PATH
        assert not p.controls.min_button.isEnabled()
    assert w.session.path_model.path is None and not w.session.path_model.busy


def test_cancel_keeps_the_strengths_done_and_compute_finishes(qtbot, make_window):
    w = make_window("--dataset", "houses")
    s, model = w.session, w.session.path_model
    s.edit(path=s.settings.path.replace(n_alphas=30))  # quicker; nothing computes yet
    pane = w.panes["path"]
    w.grid.show_pane("path")
    qtbot.waitSignal(
        model.progressed, timeout=30000
    ).wait()  # it is running  # the path is being computed
    status = w.path_status
    assert status.progress.isVisible() and status.cancel_button.isVisible()
    click(qtbot, status.cancel_button)
    qtbot.waitUntil(lambda: not model.busy, timeout=30000)
    path = model.path
    assert path.cancelled and 0 < path.n_computed < len(path.alphas)
    assert not status.progress.isVisible()
    assert model.cv is None and not model.busy  # nothing starts by itself
    assert "Cancelled after" in plain_text(pane.summary)
    # what was done is drawn: the heat map (1,000 features) has one column per point
    assert pane.heatmap and pane.image.image.shape == (1000, path.n_computed)
    assert pane.controls.compute_button.isVisible()
    click(qtbot, pane.controls.compute_button)
    qtbot.waitUntil(
        lambda: model.path is not None and not model.path.cancelled, timeout=60000
    )
    assert model.path.n_computed == len(model.path.alphas) == 30
    assert not pane.controls.compute_button.isVisible()


def test_a_running_computation_is_stopped_by_a_new_penalty(qtbot, make_window):
    w = make_window("--dataset", "houses")
    s, model = w.session, w.session.path_model
    s.edit(path=s.settings.path.replace(n_alphas=20))  # quicker; nothing computes yet
    w.grid.show_pane("cv")
    qtbot.waitSignal(model.progressed, timeout=30000).wait()  # it is running
    click(qtbot, w.controls.penalty_buttons.button(2))  # L2: another path
    assert model.path is None  # the L1 path is not shown for L2
    qtbot.waitUntil(lambda: model.path is not None, timeout=60000)
    assert model.path.kind == "l2" and not model.path.cancelled
    assert model.started["path"] == 2


def test_logistic_loss_offers_deviance_or_misclassification(
    qtbot, make_window, tmp_path
):
    path = tmp_path / "breast_cancer.csv"
    shutil.copy(CANCER, path)
    w = make_window("--csv", str(path))
    s, model = w.session, w.session.path_model
    s.edit(tol=1e-6, path=s.settings.path.replace(n_alphas=20, folds=3))  # quicker
    cv = ready(w, "cv")
    assert s.loss == "logistic" and cv.metric_box.isVisible()
    assert model.cv.metric == "deviance"
    assert cv.plot.getAxis("left").labelText == "deviance"
    cv.metric_box.setFocus()
    qtbot.keyClick(cv.metric_box, QtCore.Qt.Key.Key_Down)  # the next item
    assert s.settings.path.metric == "misclassification"
    model.wait()
    assert model.cv.metric == "misclassification"
    assert cv.plot.getAxis("left").labelText == "misclassification rate"
    assert 0 <= np.nanmin(model.cv.mean) <= np.nanmax(model.cv.mean) <= 1


def test_hover_names_the_feature_and_its_value(qtbot, make_window):
    w = make_window("--dataset", "diabetes")
    s, pane = w.session, ready(w, "path")
    path = s.path_model.path
    i = 60  # a grid point where several weights are nonzero
    j = int(np.argmax(np.abs(path.coefs[i])))
    vb = pane.plot.getViewBox()
    scene = vb.mapViewToScene(QtCore.QPointF(pane.x.xs[i], path.coefs[i, j]))
    QtTest.QTest.mouseMove(
        pane.plot_widget.viewport(), pane.plot_widget.mapFromScene(scene)
    )
    qtbot.waitUntil(lambda: pane.readout.isVisible())
    name = s.data.feature_names[j]
    assert pane.readout.text().startswith(f"{name}: w = {path.coefs[i, j]:.4g}")


def test_other_x_axes_keep_the_cursor_at_lambda(qtbot, make_window):
    w = make_window("--dataset", "diabetes")
    s, pane = w.session, ready(w, "path")
    for kind in ("norm", "explained"):
        pane.x_box.setCurrentIndex(pane.x_box.findData(kind))
        xs = pane.x.xs
        assert xs.min() == pytest.approx(0, abs=1e-12) and xs.max() <= 1 + 1e-12
        assert np.all(np.diff(xs) >= -1e-9)  # grows as λ falls
        x = pane.cursor.line.value()
        assert x == pytest.approx(pane.x.to_x(s.settings.lam1))
        assert pane.x.from_x(x) == pytest.approx(s.settings.lam1, rel=1e-6)
    target = 0.75 * pane.x.xs.max()  # diabetes: R² about 0.5 at the weak end
    drag(pane, pane.cursor.line.value(), target)
    assert pane.x.to_x(s.settings.lam1) == pytest.approx(target, abs=0.01)


def test_pane_view_state_round_trip(make_window):
    w = make_window("--dataset", "diabetes")
    path, cv = w.panes["path"], w.panes["cv"]
    assert path.view_state() == {"x": "log", "order": "entry", "early": False}
    assert cv.view_state() == {"train": True}
    path.set_view_state({"x": "explained", "order": "feature", "early": True})
    cv.set_view_state({"train": False})
    w.grid.show_pane("path")
    saved = w.view_state()
    assert saved["splitters"]["tabs"] == ["weights", "geometry", "path", "curves"]
    other = make_window("--dataset", "diabetes")
    other.apply_view_state(saved)
    assert other.panes["path"].view_state() == {
        "x": "explained",
        "order": "feature",
        "early": True,
    }
    assert other.panes["cv"].view_state() == {"train": False}
    assert other.grid.is_in_front("path") and other.grid.is_in_front("curves")
    # wrong entries are skipped
    other.panes["path"].set_view_state({"x": "sideways", "order": 3})
    other.panes["cv"].set_view_state({"train": "yes"})
    other.grid.set_view_state({"tabs": ["nowhere", 7]})
    assert other.panes["path"].view_state() == {
        "x": "explained",
        "order": "feature",
        "early": True,
    }
    assert other.panes["cv"].view_state() == {"train": False}
    assert other.grid.is_in_front("path")


def test_figures_of_panes_in_hidden_tabs_are_drawn_at_the_shown_size(
    make_window, tmp_path
):
    from PySide6 import QtGui

    from gui import theme

    w = make_window("--dataset", "diabetes")
    w.session.path_model.wait()
    assert w.grid.is_in_front("trajectories") and w.grid.is_in_front("curves")
    for key, colour, beside in (
        ("path", theme.LINE_COLOURS[0], "trajectories"),
        ("cv", theme.CV_MEAN, "curves"),
    ):
        out = tmp_path / f"{key}.png"
        assert w.figures.export(key, "png", path=out)
        img = QtGui.QImage(str(out))
        shown = w.panes[beside].size()
        assert (img.width(), img.height()) == (shown.width(), shown.height())
        colours = {  # every pixel: a thin line may lie on odd rows only
            img.pixelColor(x, y).name()
            for x in range(img.width())
            for y in range(img.height())
        }
        assert colour.lower() in colours  # the lines are drawn
        assert not w.grid.is_in_front(key)  # the export did not switch tabs


def test_the_which_lambda_lesson_shows_its_cross_validation(qtbot, make_window):
    w = make_window("--dataset", "diabetes")
    w.lessons.start("which-lambda")
    assert w.grid.is_in_front("path") and w.grid.is_in_front("cv")
    s, model = w.session, w.session.path_model
    model.wait()
    cv = model.cv
    assert s.settings.lam1 == pytest.approx(cv.alpha_1se, rel=1e-12)  # the same CV
    assert int(np.count_nonzero(s.trainer.w)) == cv.n_nonzero[cv.index_1se] == 6
    assert cv.n_nonzero[cv.index_min] == 9
    cursor = w.panes["cv"].cursor.line.value()
    assert cursor == pytest.approx(np.log10(cv.alpha_1se))
    assert w.panes["cv"].se_line.value() == pytest.approx(cursor)


def test_the_cursor_is_drawn_light_and_no_name_black_on_the_dark_theme(make_window):
    w = make_window("--dataset", "diabetes")
    pane = ready(w, "path")
    labels = list(pane.feature_lines.labels.values())
    assert labels
    w.set_dark(True)
    try:
        fg = w.appearance.colours["foreground"].lower()
        for p in (pane, w.panes["cv"]):
            assert p.cursor.line.pen.color().name() == fg
            assert p.cursor.line.label.color.name() == fg
        # the line colours have no black: every name reads on both backgrounds
        assert all(lb.color.name() != "#000000" for lb in labels)
    finally:
        w.set_dark(False)
    light = w.appearance.colours["foreground"].lower()
    assert pane.cursor.line.pen.color().name() == light != fg


def test_a_lambda_off_the_grid_stays_where_it_is(qtbot, make_window):
    """The cursor of a λ below the grid is drawn at the grid's end; only the
    pointer moves λ, never the program placing the line."""
    w = make_window("--dataset", "diabetes")
    s = w.session
    type_into(qtbot, w.controls.lam1.spin, "0.01")  # the grid ends at 0.0448
    before = s.trainer.w.copy()
    pane = ready(w, "path")
    assert pane.cursor.line.value() == pytest.approx(pane.x.bounds()[0])
    for kind in ("norm", "log", "explained"):  # the line moves between scales
        pane.x_box.setCurrentIndex(pane.x_box.findData(kind))
        qtbot.wait(50)  # longer than a frame of the cursor's throttle
    assert s.settings.lam1 == 0.01 and s.trainer.solution is None
    np.testing.assert_array_equal(s.trainer.w, before)


def test_a_window_figure_with_the_path_in_front_waits_for_it(make_window, tmp_path):
    w = make_window("--dataset", "diabetes")
    model = w.session.path_model
    w.grid.show_pane("path")
    w.grid.show_pane("cv")
    assert model.path is None  # not computed yet
    assert w.figures.export("window", "png", path=tmp_path / "w.png")
    assert model.path_is_current() and model.cv_is_current()
    assert w.panes["path"].stack.currentIndex() == 0  # drawn, not "Computing…"
    assert w.panes["cv"].stack.currentIndex() == 0


def test_a_cross_validation_the_engine_refuses_is_said_in_one_sentence(make_window):
    w = make_window("--dataset", "diabetes")
    s, model = w.session, w.session.path_model
    cv = ready(w, "cv")
    s.edit(path=s.settings.path.replace(folds=400))  # more folds than 354 rows
    model.wait()
    assert model.cv is None and model.path_is_current()  # the path is fine
    assert model.cv_note.startswith("Could not compute the cross-validation: ")
    assert "unexpected" not in model.cv_note and "400" in model.cv_note
    assert cv.stack.currentIndex() == 1 and cv.stack.message.text() == model.cv_note
    started = dict(model.started)
    s.edit(path=s.settings.path.replace(folds=5))
    model.wait()
    assert model.cv_is_current() and model.started["cv"] == started["cv"] + 1
    s.edit(path=s.settings.path.replace(folds=400))  # refused before: not again
    model.wait()
    assert model.cv is None and model.started["cv"] == started["cv"] + 1
    assert "400" in cv.stack.message.text()


def test_a_cursor_move_redraws_only_what_changed(qtbot, make_window, monkeypatch):
    """Dragging λ along the houses path (Path and Cross-validation in front): the
    weights' bars once per move; nothing of what depends on the path alone (the
    heat map, the axes' ticks), of your own loss in the geometry (it has its own
    λ), of the panes behind the tabs, nor a layout of the option rows again. The
    pane brought to the front then draws the state it missed, once."""
    from gui.flow_layout import FlowLayout
    from gui.widgets import WrappingLabel

    w = make_window("--dataset", "houses")
    w.grid.show_pane("cv")
    path = ready(w, "path")
    model = w.session.path_model
    alphas = model.path.alphas
    for a in alphas[20:24]:  # warm: sizes and layouts settle
        model.move_cursor(a)
        QtTest.QTest.qWait(5)
    counts = {
        "bars": count_calls(monkeypatch, w.weights.pos_bars, "setOpts"),
        "geometry": count_calls(monkeypatch, w.geometry.model, "recompute"),
        "heatmap": count_calls(monkeypatch, path.image, "setImage"),
        "ticks": count_calls(
            monkeypatch, path.plot.getAxis("bottom"), "generateDrawSpecs"
        ),
        "curves": count_calls(monkeypatch, w.curves.objective, "setData"),
        "markers": count_calls(monkeypatch, w.trajectories.markers, "update"),
        "flow": count_calls(monkeypatch, FlowLayout, "_arrange"),
        "measure": count_calls(monkeypatch, WrappingLabel, "_measure"),
    }
    moves = 10
    for a in alphas[25 : 25 + moves]:
        model.move_cursor(a)
        QtTest.QTest.qWait(5)
        w.repaint()
    n = {key: len(calls) for key, calls in counts.items()}
    assert n["bars"] == moves
    assert n["geometry"] == n["heatmap"] == n["ticks"] == 0
    assert n["curves"] == n["markers"] == 0  # behind their tabs
    assert n["flow"] == 0
    # the counter's new text measured once per width asked (a layout asks 8 times)
    assert n["measure"] <= 3 * moves
    # in front again: one redraw, of the state it missed (the path's solution)
    w.grid.show_pane("curves")
    assert len(counts["curves"]) == 1
    assert w.curves.solved_label.toPlainText().startswith("solved")
    assert len(w.curves.solved_marker.data) == 1


def test_a_cursor_move_keeps_the_line_names_while_their_ranking_holds(
    qtbot, make_window, monkeypatch
):
    w = make_window("--dataset", "correlated")
    path = ready(w, "path")
    model, lines = w.session.path_model, path.feature_lines
    coefs = model.path.coefs[: model.path.n_computed]
    weak = np.abs(coefs[path.x.weakest()])  # ties (zeros) by |w| at the weak end
    strength = np.abs(coefs) + 1e-9 * weak / weak.max()
    top = [tuple(np.argsort(-s, kind="stable")[: lines.k]) for s in strength]
    i = next(i for i in range(10, len(top) - 1) if top[i] == top[i + 1])
    model.move_cursor(model.path.alphas[i])
    placed = count_calls(monkeypatch, lines, "place_labels")
    pens = [count_calls(monkeypatch, line, "setPen") for line in lines.lines]
    model.move_cursor(model.path.alphas[i + 1])
    assert placed == [] and not any(pens)  # nothing to redo
    j = next(j for j in range(i + 1, len(top)) if top[j] != top[i])
    model.move_cursor(model.path.alphas[j])
    assert placed  # a new ranking: the names again
    assert lines.coloured() == list(top[j])
