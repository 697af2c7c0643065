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


def test_a_short_loss_pane_shows_the_losses_alone_with_their_step_axis(
    make_window, qtbot
):
    w = make_window("--dataset", "diabetes", "--steps", "50")
    pane = w.panes["curves"]
    assert pane.zero_plot.isVisible()
    w.resize(1366, 768)
    w.set_presentation(True)  # 15 pt on a laptop's screen: no room for two plots
    try:
        qtbot.waitUntil(lambda: not pane.zero_plot.isVisible(), timeout=3000)
        assert pane.loss_plot.getAxis("bottom").labelText == "step"
        assert pane.title.text() == "Loss per step"
        # ... and the geometry pane's options make room for its plot on the slide
        assert not w.geometry.view_box.isVisible()
        assert not w.geometry.source_box.isVisible()
    finally:
        w.set_presentation(False)
    w.resize(1728, 972)
    qtbot.waitUntil(lambda: pane.zero_plot.isVisible(), timeout=3000)
    assert w.geometry.view_box.isVisible() and w.geometry.source_box.isVisible()


def test_the_lambda_axis_title_shortens_to_fit_a_narrow_pane(make_window, qtbot):
    from gui.ticks import label_width
    from tests.gui.test_path_panes import ready

    w = make_window("--dataset", "diabetes")
    for key in ("path", "cv"):
        pane = ready(w, key)
        axis = pane.plot.getAxis("bottom")
        assert axis.labelText.endswith("(log scale, strongest on the left)")
        w.resize(820, 700)  # the window's narrowest: each bottom pane ~220 px
        qtbot.waitUntil(lambda a=axis: "strongest" not in a.labelText, timeout=3000)
        assert label_width(axis, axis.labelText) <= axis.geometry().width()
        w.resize(1728, 972)
        qtbot.waitUntil(lambda a=axis: "strongest" in a.labelText, timeout=3000)
