"""Axes a teacher can read: a step axis at step 0 (count labels that never pile up:
``tests/gui/test_ticks.py``)."""

from __future__ import annotations


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
