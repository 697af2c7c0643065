"""The thresholding pane (issue 17): the current penalty's map from the pre-update
value z to the new weight, with every weight of the run on it, live."""

import numpy as np
from PySide6 import QtCore

from engine.thresholds import threshold, zero_band
from tests.gui.helpers import click, plain_text

RIGHT = QtCore.Qt.Key.Key_Right


def shown(qtbot, make_window, *argv):
    w = make_window(*argv)
    w.grid.show_pane("threshold")
    pane = w.panes["threshold"]
    qtbot.waitUntil(lambda: pane.isVisible())
    pane.refresh_now()
    return w, pane


def z_of(session):
    tr = session.trainer
    g, _ = tr.data_gradient()
    return tr.w - tr.lr * g


def test_every_weight_sits_on_the_soft_threshold_and_the_band_is_the_clamp(
    qtbot, make_window
):
    w, pane = shown(qtbot, make_window, "--dataset", "correlated", "--steps", "30")
    s, tr = w.session, w.session.trainer
    z = z_of(s)
    pen = tr.penalty
    x, y = pane.points.getData()
    np.testing.assert_array_equal(x, z)
    expected = threshold("l1", z, pen.lam1, eta=tr.lr)
    np.testing.assert_array_equal(y, expected)
    half = zero_band("l1", pen.lam1, eta=tr.lr)
    assert pane.band.isVisible() and pane.band.getRegion() == (-half, half)
    inside = np.abs(z) <= half
    assert inside.any() and (y[inside] == 0.0).all() and (y[~inside] != 0.0).all()
    n_zero = int((expected == 0.0).sum())
    assert f"{n_zero} of 20 exactly 0 after the next step" in plain_text(pane.header)
    # the next step makes exactly these weights
    w.session.step(1)
    np.testing.assert_array_equal(tr.w, expected)


def test_the_pane_follows_a_step_and_a_switch_to_l2(qtbot, make_window):
    w, pane = shown(qtbot, make_window, "--dataset", "correlated", "--steps", "5")
    before = pane.points.getData()[0].copy()
    click(qtbot, w.controls.step_button)
    pane.refresh_now()
    assert not np.array_equal(pane.points.getData()[0], before)
    click(qtbot, w.controls.penalty_buttons.button(2))  # L2
    pane.refresh_now()
    assert w.session.trainer.penalty.kind == "l2"
    assert not pane.band.isVisible()
    x, y = pane.curve.getData()
    slope = 1 / (1 + w.session.trainer.lr * w.session.trainer.penalty.lam2)
    np.testing.assert_allclose(y, x * slope, rtol=1e-12)
    assert (pane.points.getData()[1] != 0.0).all()  # L2 only shrinks
    assert "slope 1/(1 + ηλ₂)" in pane.caption.text()


def test_the_subgradient_rule_puts_points_off_the_curve_and_none_on_zero(
    qtbot, make_window
):
    w, pane = shown(
        qtbot,
        make_window,
        "--dataset",
        "correlated",
        "--rule",
        "subgradient",
        "--steps",
        "50",
    )
    x, y = pane.points.getData()
    on_curve = threshold(
        "l1", x, w.session.trainer.penalty.lam1, eta=w.session.trainer.lr
    )
    assert not np.allclose(y, on_curve)
    assert (y != 0.0).all()
    assert "Naive subgradient" in pane.caption.text()


def test_all_weights_widens_the_view_and_the_view_state_keeps_it(qtbot, make_window):
    w, pane = shown(qtbot, make_window, "--dataset", "houses", "--steps", "100")
    (x0, x1), _ = pane.plot.viewRange()
    assert "lie beyond this view" in pane.caption.text()
    click(qtbot, pane.all_box)
    (a0, a1), _ = pane.plot.viewRange()
    assert a1 - a0 > 2 * (x1 - x0)
    z = pane.points.getData()[0]
    assert a0 <= z.min() and z.max() <= a1
    assert "beyond" not in pane.caption.text()
    click(qtbot, pane.shapes_box)
    assert pane.faint["l2"].isVisible() and not pane.faint["l1"].isVisible()
    assert pane.view_state() == {"shapes": True, "all": True}
    pane.set_view_state({"shapes": False, "all": "yes"})  # a wrong entry is skipped
    assert pane.view_state() == {"shapes": False, "all": True}
    assert set(pane.figure_controls()) == {pane.shapes_box, pane.all_box}
