"""The geometry pane, driven with the mouse and the controls."""

import numpy as np
import pytest
from PySide6 import QtCore

from engine.geometry import Quadratic, constrained_optimum, penalized_optimum
from engine.montecarlo import run_monte_carlo


def view_point(view, x, y):
    """Widget coordinates of the data point (x, y) in a GeometryView's plot."""
    vb = view.plot.getViewBox()
    scene = vb.mapViewToScene(QtCore.QPointF(x, y))
    return view.plot_widget.mapFromScene(scene)


def _send(widget, kind, pos, buttons, button):
    from PySide6 import QtGui, QtWidgets

    p = QtCore.QPointF(pos)
    ev = QtGui.QMouseEvent(
        kind,
        p,
        widget.mapToGlobal(p),
        button,
        buttons,
        QtCore.Qt.KeyboardModifier.NoModifier,
    )
    QtWidgets.QApplication.sendEvent(widget, ev)


def drag(qtbot, view, start, end, steps=30):
    """Press, move and release the left button on the plot, as a mouse does.

    QTest's mouseMove carries no button state, which pyqtgraph needs to see a drag, so
    the events are built here with the button held; pyqtgraph also ignores moves less
    than 10 ms apart, so the "hand" pauses between them.
    """
    from PySide6 import QtCore as C

    vp = view.plot_widget.viewport()
    a, b = view_point(view, *start), view_point(view, *end)
    left, none = C.Qt.MouseButton.LeftButton, C.Qt.MouseButton.NoButton
    T = C.QEvent.Type
    _send(vp, T.MouseMove, a, none, none)
    qtbot.wait(15)
    _send(vp, T.MouseButtonPress, a, left, left)
    for k in range(1, steps + 1):
        qtbot.wait(15)
        p = a + (b - a) * (k / steps)
        _send(vp, T.MouseMove, p, left, none)
    qtbot.wait(15)
    _send(vp, T.MouseButtonRelease, b, none, left)
    qtbot.wait(15)


@pytest.fixture
def pane(make_window):
    w = make_window("--dataset", "houses")
    return w, w.geometry


def test_dragging_w_star_moves_the_optimum_to_the_engine_value(qtbot, pane):
    w, g = pane
    view = g.views[0]
    m = g.model
    start = m.w_star.copy()
    drag(qtbot, view, start, (2.6, 0.25))
    assert not np.allclose(m.w_star, start)
    assert np.allclose(m.w_star, (2.6, 0.25), atol=0.08)  # where the mouse let go
    q = Quadratic.from_shape(m.w_star, (1.0, m.elongation), m.angle)
    ref = constrained_optimum(q, "l1", m.t)
    np.testing.assert_allclose(view.optimum_position(), ref.w, atol=1e-12)
    assert ref.w[1] == 0.0 and "w₂ = 0 exactly" in view.optimum_label.toPlainText()
    # and off the corner again: straight above the diamond's top
    drag(qtbot, view, m.w_star, (0.9, 2.4))
    q = Quadratic.from_shape(m.w_star, (1.0, m.elongation), m.angle)
    ref = constrained_optimum(q, "l1", m.t)
    np.testing.assert_allclose(view.optimum_position(), ref.w, atol=1e-12)


def test_l2_draws_the_circle_and_the_optimum_stays_off_the_axes(qtbot, pane):
    w, g = pane
    w.controls.penalty_buttons.button(2).click()
    view = g.views[0]
    assert view.kind == "l2"
    assert "<b>L2</b>" in view.title.text()
    opt = view.optimum_position()
    assert (opt != 0).all()
    poly = view.region_item.polygon()
    radii = [np.hypot(poly.at(i).x(), poly.at(i).y()) for i in range(poly.size())]
    np.testing.assert_allclose(radii, g.model.t, rtol=1e-9)
    assert not any(z.isVisible() for z in view.zone_items)  # a circle has no corners


def test_penalized_view_uses_lambda_and_the_exact_penalized_optimum(qtbot, pane):
    w, g = pane
    g.view_box.setCurrentIndex(1)
    assert g.model.view == "penalized" and g.strength_label.text() == "λ"
    g.strength.spin.setValue(0.8)
    q = g.model.quadratic
    np.testing.assert_allclose(
        g.views[0].optimum_position(), penalized_optimum(q, 0.8), atol=1e-12
    )
    assert "λ = 0.8" in g.views[0].title.text()


def test_side_by_side_shows_l1_l2_and_elastic_net_for_one_loss(qtbot, pane):
    w, g = pane
    g.side_box.setChecked(True)
    assert [v.kind for v in g.views] == ["l1", "l2", "elasticnet"]
    titles = [v.title.text() for v in g.views]
    assert "<b>L1</b>" in titles[0] and "<b>L2</b>" in titles[1]
    assert "<b>EN</b>" in titles[2] and "Elastic Net" in g.views[2].title.toolTip()
    assert g.views[0].optimum_position()[1] == 0.0
    assert (g.views[1].optimum_position() != 0).all()


def test_training_path_lands_on_the_axis_with_the_clamp_and_chatters_without(
    qtbot, pane
):
    w, g = pane
    s = w.session
    s.step(200)
    path = g.model.trajectory("l1")
    assert path is not None and len(path) > 100
    assert path[-1, 1] == 0.0  # proximal: exactly on the axis
    np.testing.assert_allclose(path[-1], g.views[0].optimum_position(), atol=1e-6)
    w.controls.rule_box.setCurrentIndex(1)  # naive subgradient
    s.reset()
    s.step(200)
    path = g.model.trajectory("l1")
    tail = path[-60:, 1]
    assert (tail != 0).all()
    assert (np.diff(np.sign(tail)) != 0).sum() > 20  # crossing the axis back and forth


def test_loss_from_two_features_of_the_data(qtbot, make_window):
    w = make_window("--dataset", "two-features")
    g = w.geometry
    assert g.model.source == "data"
    w.session.step(300)
    s = w.session
    path = g.model.trajectory(s.penalty.kind)
    np.testing.assert_allclose(path[-1], s.trainer.w, rtol=1e-6)
    q = g.model.quadratic
    # the contours' centre is the least-squares solution of the whole 2D problem
    X, y = s.data.X, s.data.y
    A = np.column_stack([X, np.ones(len(y))])
    ls = np.linalg.lstsq(A, y, rcond=None)[0][:2]
    np.testing.assert_allclose(q.w_star, ls, rtol=1e-8)
    np.testing.assert_allclose(
        g.views[0].optimum_position(), penalized_optimum(q, s.penalty.lam1), rtol=1e-9
    )


def test_monte_carlo_panel_shows_the_engine_result(qtbot, pane):
    w, g = pane
    g.mc_button.click()
    dlg = g._mc_dialog
    assert dlg.worker is not None  # a first run starts on opening
    dlg.cancel_button.click()
    qtbot.waitUntil(lambda: dlg.worker is None, timeout=30000)
    assert dlg.result.cancelled
    dlg.result = None
    dlg.samples.setValue(60)
    dlg.seed.setValue(2)
    dlg.run_button.click()
    assert not dlg.run_button.isEnabled()  # running on a worker thread
    qtbot.waitUntil(lambda: dlg.result is not None, timeout=60000)
    ref = run_monte_carlo(n_samples=60, seed=2)
    heights = dlg.bars["l1"].opts["height"]
    np.testing.assert_allclose(heights, [ref.exact["l1"][d] for d in ref.dims])
    assert list(dlg.bars["l2"].opts["height"]) == [0.0, 0.0, 0.0]
    assert "L1" in dlg.summary.text()
    dlg.close()


def test_choosing_two_features_of_the_data(qtbot, make_window):
    w = make_window("--dataset", "diabetes")
    g = w.geometry
    g.source_box.setCurrentIndex(1)
    g.source_box.activated.emit(1)
    assert g.model.source == "data" and g.feature_boxes[0].isVisible()
    names = w.session.data.feature_names
    for box, name in zip(g.feature_boxes, ("bmi", "ltg"), strict=True):
        box.setCurrentIndex(names.index(name))
        box.activated.emit(box.currentIndex())
    assert g.model.features == (names.index("bmi"), names.index("ltg"))
    s = w.session
    q = g.model.quadratic
    i, j = g.model.features
    X, y = s.data.X, s.data.y
    others = [k for k in range(X.shape[1]) if k not in (i, j)]
    r = y - X[:, others] @ s.trainer.w[others]
    A = np.column_stack([X[:, i], X[:, j], np.ones(len(y))])
    np.testing.assert_allclose(
        q.w_star, np.linalg.lstsq(A, r, rcond=None)[0][:2], rtol=1e-8
    )


@pytest.mark.parametrize("target", [(2.6, 0.25), (-2.6, -0.25), (0.2, -2.7)])
def test_the_exactly_zero_label_never_covers_w_star(qtbot, pane, target):
    w, g = pane
    view = g.views[0]
    drag(qtbot, view, g.model.w_star, target)
    label = view.optimum_label
    assert label.isVisible() and "exactly" in label.toPlainText()
    box = label.mapRectToView(label.boundingRect())
    star = QtCore.QPointF(*g.model.w_star)
    assert not box.contains(star)
    # ... and it sits at the optimum: one of its corners is there
    opt = view.optimum_position()
    corners = (box.topLeft(), box.topRight(), box.bottomLeft(), box.bottomRight())
    assert min(np.hypot(c.x() - opt[0], c.y() - opt[1]) for c in corners) < 0.3
