"""The penalty family on the geometry pane (issue 17), driven with its real controls:
the shape box, the q slider; a run with SCAD, MCP or L0 draws its own shape."""

import numpy as np
import pytest
from PySide6 import QtCore, QtGui

from engine.geometry import Quadratic, constrained_optimum
from engine.penalty_shapes import (
    FamilyShape,
    family_constrained_optimum,
    family_penalized_optimum,
    l0_penalized_optimum,
)


@pytest.fixture
def pane(make_window):
    w = make_window("--dataset", "correlated", "--penalty", "l1")
    g = w.geometry
    assert g.model.source == "own"
    return w, g


def choose_shape(qtbot, g, family):
    """Pick ``family`` in the shape box with the keyboard, as a user does."""
    box = g.family_controls.shape_box
    box.setFocus()
    target = box.findData(family)
    while box.currentIndex() != target:
        key = (
            QtCore.Qt.Key.Key_Down
            if box.currentIndex() < target
            else QtCore.Qt.Key.Key_Up
        )
        qtbot.keyClick(box, key)
    assert g.model.family == family


def region_points(view):
    poly = view.region_item.polygon()
    return np.array([(p.x(), p.y()) for p in poly])


def own_quadratic(m):
    return Quadratic.from_shape(m.w_star, (1.0, m.elongation), m.angle)


def test_the_q_slider_changes_the_ball_and_its_optimum_to_the_engine_values(
    qtbot, pane
):
    w, g = pane
    view = g.views[0]
    m = g.model
    choose_shape(qtbot, g, "lq")
    slider = g.family_controls.q_slider
    assert slider.isVisibleTo(g) and g.family_controls.q_label.text() == "q = 1"
    f = own_quadratic(m)
    # q = 1 is the diamond: the same optimum as the L1 drawing, exactly
    ref = constrained_optimum(f, "l1", m.t)
    np.testing.assert_allclose(view.optimum_position(), ref.w, atol=1e-12)
    before = region_points(view)
    slider.setFocus()
    qtbot.keyClick(slider, QtCore.Qt.Key.Key_PageDown)  # a page is 0.5: q = 0.5
    assert m.q == 0.5 and g.family_controls.q_label.text() == "q = 0.5"
    after = region_points(view)
    assert after.shape != before.shape or not np.allclose(after, before)
    shape = FamilyShape("lq", 0.5)
    x, y = shape.boundary(m.t, reach=4 * view._extent)
    np.testing.assert_allclose(after, np.column_stack([x, y]), atol=1e-12)
    res = family_constrained_optimum(f, shape, m.t)
    np.testing.assert_array_equal(view.optimum_position(), res.w)
    text = view.title.text()
    assert "Not convex" in text and "global search" in text
    # q = 2 is the disk, convex: no warning
    for _ in range(3):
        qtbot.keyClick(slider, QtCore.Qt.Key.Key_PageUp)
    assert m.q == 2.0
    ref = constrained_optimum(f, "l2", m.t)
    np.testing.assert_allclose(view.optimum_position(), ref.w, atol=1e-12)
    assert "Not convex" not in view.title.text()


def test_q_half_puts_the_optimum_on_a_spike_exactly(qtbot, pane):
    w, g = pane
    view = g.views[0]
    m = g.model
    choose_shape(qtbot, g, "lq")
    g.family_controls.q_slider.setValue(10)  # q = 0.5
    m.set_w_star([2.0, 1.6])
    m.set_shape(elongation=1.0)  # round contours
    opt = view.optimum_position()
    assert opt[1] == 0.0 and opt[0] == pytest.approx(m.t)
    assert "w₂ = 0 exactly" in view.optimum_label.toPlainText()


def test_scad_and_mcp_in_the_penalized_view_are_the_engine_optimum(qtbot, pane):
    w, g = pane
    view = g.views[0]
    m = g.model
    g.view_box.setCurrentIndex(g.view_box.findData("penalized"))
    for kind in ("scad", "mcp"):
        choose_shape(qtbot, g, kind)
        assert not g.family_controls.q_slider.isVisibleTo(g)
        res = family_penalized_optimum(own_quadratic(m), FamilyShape(kind, lam=m.lam))
        np.testing.assert_array_equal(view.optimum_position(), res.w)
        assert kind.upper() in view.title.text() and "Not convex" in view.title.text()
        assert not g.zones_box.isEnabled()  # the zones are L1's and EN's
    choose_shape(qtbot, g, "run")
    assert view.title.text().startswith("<b>L1</b>")
    assert g.zones_box.isEnabled()
    choose_shape(qtbot, g, "mcp")
    qtbot.mouseClick(g.side_box, QtCore.Qt.MouseButton.LeftButton)  # L1 | L2 | EN
    assert g.side_box.isChecked() and len(g.views) == 3
    assert g.zones_box.isEnabled() and not g.family_controls.isVisibleTo(g)


def test_a_run_with_scad_draws_its_shape_with_its_gamma(qtbot, make_window):
    w = make_window("--dataset", "two-features", "--penalty", "mcp", "--gamma", "2.5")
    g = w.geometry
    view = g.views[0]
    m = g.model
    assert m.source == "data" and m.family == "run" and view.family == "mcp"
    pen = w.session.penalty
    res = family_penalized_optimum(
        m.quadratic, FamilyShape("mcp", lam=pen.lam1, gamma=2.5)
    )
    np.testing.assert_array_equal(view.optimum_position(), res.w)
    assert "MCP (γ = 2.5)" in view.title.text()


def test_a_run_with_l0_draws_its_exact_optimum(qtbot, make_window):
    w = make_window("--dataset", "two-features", "--penalty", "l0")
    g = w.geometry
    view = g.views[0]
    res = l0_penalized_optimum(g.model.quadratic, w.session.penalty.lam1)
    np.testing.assert_array_equal(view.optimum_position(), res.w)
    assert "<b>L0</b>" in view.title.text()


def test_the_shape_and_q_are_kept_in_the_view_state(qtbot, pane):
    w, g = pane
    choose_shape(qtbot, g, "lq")
    g.family_controls.q_slider.setValue(30)  # q = 1.5
    st = g.view_state()
    assert st["family"] == "lq" and st["q"] == 1.5
    choose_shape(qtbot, g, "scad")
    g.set_view_state(st)
    assert g.model.family == "lq" and g.model.q == 1.5
    assert g.family_controls.shape_box.currentData() == "lq"
    assert g.family_controls.q_slider.value() == 30
    g.set_view_state({**st, "family": "cubic", "q": float("nan")})  # skipped
    assert g.model.family == "lq" and g.model.q == 1.5
    assert g.family_controls in g.figure_controls()


def test_the_family_figure_keeps_its_title_and_hides_its_controls(qtbot, pane):
    from gui import export

    w, g = pane
    choose_shape(qtbot, g, "lq")
    g.family_controls.q_slider.setValue(10)
    with w.figures.figure("geometry", with_controls=False) as widget:
        assert not g.family_controls.isVisibleTo(g)
        img = export.render_pixmap(widget).toImage()
    assert img.width() > 200 and img.format() != QtGui.QImage.Format.Format_Invalid
    assert "Not convex" in g.views[0].title.text()
