"""SCAD, MCP and L0 in the window (issue 17): chosen with the penalty buttons,
trained with their thresholding functions, solved by coordinate descent; γ in its
box; every pane copes."""

import numpy as np
import pytest

from engine.nonconvex import coordinate_descent
from engine.thresholds import threshold
from gui.panes import PANE_KEYS
from tests.gui.helpers import click, plain_text, type_into


def button(w, kind):
    return w.controls.findChild(
        type(w.controls.penalty_buttons.buttons()[0]), f"penalty_{kind}"
    )


def refresh_all(w):
    for key in PANE_KEYS:
        w.grid.show_pane(key)
        w.panes[key].refresh_now()


@pytest.mark.parametrize("kind", ["scad", "mcp", "l0"])
def test_each_nonconvex_penalty_trains_with_its_threshold_and_every_pane_draws(
    qtbot, make_window, kind
):
    w = make_window("--dataset", "correlated")
    click(qtbot, button(w, kind))
    s, tr = w.session, w.session.trainer
    assert s.settings.penalty == kind and tr.penalty.kind == kind
    assert w.controls.gamma_spin.isVisible() == (kind != "l0")
    assert "Not convex" in w.controls.lam_info.text()
    before_w = tr.w.copy()
    g, _ = tr.data_gradient()
    z = before_w - tr.lr * g
    click(qtbot, w.controls.step_button)
    pen = tr.penalty
    np.testing.assert_array_equal(
        tr.w, threshold(kind, z, pen.lam1, eta=tr.lr, gamma=pen.gamma)
    )
    click(qtbot, w.controls.solve_button)
    qtbot.waitUntil(lambda: not s.solving, timeout=30000)
    ref = coordinate_descent(s.data, kind, pen.lam1, gamma=pen.gamma, w0=tr.w)
    assert tr.solution is not None and tr.solution.converged
    np.testing.assert_allclose(tr.w, ref.w, atol=1e-8)
    assert (tr.w == 0.0).sum() > 0
    refresh_all(w)  # no pane raises (pytest-qt fails the test on an exception)
    th = w.panes["threshold"]
    assert {"scad": "SCAD", "mcp": "MCP", "l0": "L0"}[kind] in plain_text(th.header)
    assert "integrate" in w.panes["prior"].caption.text()


def test_gamma_is_edited_in_its_box_and_a_bad_one_is_refused(
    qtbot, make_window, capture_errors
):
    w = make_window("--dataset", "correlated", "--penalty", "mcp")
    assert w.session.trainer.penalty.gamma == 3.0
    type_into(qtbot, w.controls.gamma_spin, "1.5")
    assert w.session.settings.gamma == 1.5
    assert w.session.trainer.penalty.gamma == 1.5
    # MCP's 1.5 is too small for SCAD: switching takes SCAD's default
    click(qtbot, button(w, "scad"))
    assert w.session.trainer.penalty.gamma == 3.7
    assert w.controls.gamma_spin.minimum() == pytest.approx(2.01)


def test_the_subgradient_rule_is_refused_for_a_nonconvex_penalty(
    qtbot, make_window, monkeypatch
):
    from PySide6 import QtWidgets

    shown = []
    monkeypatch.setattr(QtWidgets.QMessageBox, "warning", lambda *a: shown.append(a[2]))
    w = make_window("--dataset", "correlated", "--penalty", "scad")
    w.controls.rule_box.setCurrentIndex(1)
    assert shown and "proximal rule" in shown[0]
    assert w.session.settings.rule == "proximal"
    assert w.controls.rule_box.currentIndex() == 0
