"""Axes a teacher can read: a step axis at step 0, count labels that never pile up."""

from __future__ import annotations

from PySide6 import QtGui

from gui.log_ticks import fitting_linear_ticks, label_extents, labels_fit


def test_the_curves_step_axis_at_step_0_is_an_axis_of_steps(make_window):
    w = make_window("--dataset", "houses")
    pane = w.panes["curves"]
    pane.refresh_now()
    lo, hi = pane.loss_plot.getViewBox().viewRange()[0]
    assert lo <= 0 and 10 <= hi <= 11
    w.session.step(50)
    pane.refresh_now()
    lo, hi = pane.loss_plot.getViewBox().viewRange()[0]
    assert 50 <= hi <= 55  # then the range follows the run


def test_count_labels_fit_a_short_axis_in_presentation_fonts():
    font = QtGui.QFont()
    font.setPointSize(14)
    for size in (40, 60, 90, 200):
        values = fitting_linear_ticks(0, 1050, size, font, True, lambda v: f"{v:g}")
        assert values, size
        extents = label_extents([f"{v:g}" for v in values], font, True)
        assert len(values) == 1 or labels_fit(values, extents, 0, 1050, size)
    dense = fitting_linear_ticks(0, 1050, 600, font, True, lambda v: f"{v:g}")
    assert len(dense) >= 5  # room: more labels
