"""The "which penalty wins" pane, driven as a user does: its boxes edit the run's
settings, the sweep follows on the worker, the lines are the engine's numbers."""

import numpy as np
import pytest

from engine.bias_variance import bias_variance_for
from engine.sweep import KINDS, sweep_for
from tests.gui.helpers import click, plain_text, type_into

SMALL = (
    "--dataset", "diabetes", "--sweep-n", "60", "--sweep-d", "8",
    "--sweep-group", "2", "--sweep-repeats", "2",
)  # fmt: skip


def shown(window):
    window.grid.show_pane("wins")
    return window.panes["wins"]


def settled(qtbot, job, timeout=60_000):
    qtbot.waitUntil(lambda: job.is_current() and not job.busy, timeout=timeout)


def lines_of(pane):
    return {k: pane.error_plot.lines[k].getData() for k in KINDS}


def test_the_pane_is_a_tab_behind_the_loss_curves_and_computes_only_when_shown(
    qtbot, make_window
):
    w = make_window(*SMALL)
    pane = w.panes["wins"]
    assert not w.grid.is_in_front("wins")
    s = w.session
    s.edit(lab=s.settings.lab.replace(sweep_rho=0.5))
    qtbot.wait(400)  # past the debounce
    assert pane.job.started == 0 and pane.job.result is None
    shown(w)
    settled(qtbot, pane.job)
    assert pane.job.started == 1


def test_changing_the_correlation_in_its_box_redraws_the_engines_sweep(
    qtbot, make_window
):
    w = make_window(*SMALL)
    pane = shown(w)
    settled(qtbot, pane.job)
    before = lines_of(pane)
    type_into(qtbot, pane.corr_spin, "0.9")
    s = w.session
    assert s.settings.lab.sweep_rho == 0.9  # the box edits the one settings
    settled(qtbot, pane.job)
    after = lines_of(pane)
    expected = sweep_for(s.settings)
    for i, kind in enumerate(KINDS):
        x, y = after[kind]
        assert not np.allclose(y, before[kind][1])
        np.testing.assert_array_equal(x, expected.ks)
        np.testing.assert_allclose(y, expected.mean[i], rtol=1e-12)
    assert "correlation 0.9" in plain_text(pane.summary)
    assert "true features kept" in plain_text(pane.summary)


def test_settings_edited_elsewhere_show_in_the_boxes(qtbot, make_window):
    w = make_window(*SMALL)
    pane = w.panes["wins"]
    s = w.session
    s.edit(lab=s.settings.lab.replace(sweep_noise=2.5, sweep_n=80))
    assert pane.noise_spin.value() == 2.5 and pane.n_spin.value() == 80


def test_a_smaller_d_than_the_group_takes_the_group_down_with_it(qtbot, make_window):
    w = make_window(*SMALL)
    pane = w.panes["wins"]
    type_into(qtbot, pane.group_spin, "4")
    type_into(qtbot, pane.d_spin, "3")
    lab = w.session.settings.lab
    assert (lab.sweep_d, lab.sweep_group) == (3, 3)


def test_cancel_keeps_the_repeats_done_and_compute_finishes(qtbot, make_window):
    w = make_window(*SMALL)
    pane = shown(w)
    job = pane.job
    s = w.session
    s.edit(lab=s.settings.lab.replace(sweep_repeats=60))
    qtbot.waitUntil(lambda: job.busy, timeout=5000)
    qtbot.waitUntil(lambda: pane.cancel_button.isVisible(), timeout=5000)
    qtbot.wait(300)
    click(qtbot, pane.cancel_button)
    qtbot.waitUntil(lambda: not job.busy, timeout=30_000)
    res = job.result
    assert res.cancelled and res.repeats_done < 60
    assert "Cancelled after" in plain_text(pane.summary)
    assert pane.compute_button.isVisible() and not pane.cancel_button.isVisible()
    click(qtbot, pane.compute_button)
    qtbot.waitUntil(lambda: job.busy, timeout=5000)
    job.cancel()
    qtbot.waitUntil(lambda: not job.busy, timeout=30_000)


def test_the_bias_variance_view_is_of_the_runs_penalty(qtbot, make_window):
    w = make_window(*SMALL, "--penalty", "l1")
    pane = shown(w)
    pane.view_box.setCurrentIndex(pane.view_box.findData("bias"))
    pane.view_box.activated.emit(pane.view_box.currentIndex())
    s = w.session
    type_into(qtbot, pane.draws_spin, "10")  # the view's own draws, not B
    assert s.settings.lab.sweep_draws == 10 and s.settings.lab.resamples == 100
    job = pane.jobs["bias"]
    settled(qtbot, job)
    assert job.result.kind == "l1"
    expected = bias_variance_for(s.settings)
    x, y = pane.bias_plot.bias2.getData()
    np.testing.assert_allclose(10.0**x, expected.alphas)
    np.testing.assert_allclose(y, expected.bias2, rtol=1e-12)
    assert pane.jobs["error"].started == 0  # the other view was never shown
    s.edit(penalty="l2")
    settled(qtbot, job)
    assert job.result.kind == "l2" and "L2" in plain_text(pane.summary)
    assert pane.view_state() == {"view": "bias"}
    # each penalty in turn, whatever the run's: Elastic Net chosen in the view
    box = pane.bias_penalty_box
    assert box.isVisibleTo(pane) and box.currentData() == "run"
    box.setCurrentIndex(box.findData("elasticnet"))
    box.activated.emit(box.currentIndex())
    assert s.settings.lab.bias_penalty == "elasticnet" and s.settings.penalty == "l2"
    settled(qtbot, job)
    assert job.result.kind == "elasticnet"
    assert job.result.l1_ratio == s.settings.lab.compare_l1_ratio
    np.testing.assert_allclose(
        pane.bias_plot.variance.getData()[1], bias_variance_for(s.settings).variance
    )


def test_the_figure_waits_for_the_sweep_and_leaves_the_controls_out(qtbot, make_window):
    w = make_window(*SMALL)
    with w.figures.figure("wins") as widget:  # in a tab behind: never shown
        assert widget.job.is_current() and not widget.job.busy
        assert not widget.corr_spin.isVisible()
    assert widget.error_plot.lines["l1"].getData()[1].size == 8


@pytest.mark.parametrize("rho", ["0", "0.9"])
def test_the_command_line_table_has_the_panes_numbers(qtbot, make_window, capsys, rho):
    from cli import main

    assert main(["--headless", "--sweep", *SMALL, "--sweep-rho", rho]) == 0
    rows = [
        line.split()
        for line in capsys.readouterr().out.splitlines()
        if line.strip()[:1].isdigit()
    ]
    table = np.array(
        [[float(r[0]), float(r[1]), float(r[4]), float(r[7])] for r in rows]
    )
    w = make_window(*SMALL, "--sweep-rho", rho)
    pane = shown(w)
    settled(qtbot, pane.job)
    for i, kind in enumerate(KINDS):
        x, y = pane.error_plot.lines[kind].getData()
        np.testing.assert_array_equal(x, table[:, 0])
        np.testing.assert_allclose(y, table[:, i + 1], atol=5e-5)


def test_the_crossover_is_marked_where_the_engine_puts_it(qtbot, make_window):
    w = make_window(*SMALL)
    pane = shown(w)
    settled(qtbot, pane.job)
    k_star = pane.job.result.crossover
    line = pane.error_plot.crossover
    if k_star is None:
        assert not line.isVisible()
    else:
        assert line.value() == pytest.approx(k_star)
        assert f"k ≈ {k_star:.0f}" in line.label.format


def test_closing_the_window_while_the_sweep_computes_stops_it(qtbot, make_window):
    from gui.worker import Worker

    w = make_window(*SMALL)
    pane = shown(w)
    s = w.session
    s.edit(lab=s.settings.lab.replace(sweep_repeats=100))
    qtbot.waitUntil(lambda: pane.job.busy, timeout=5000)
    w.close()
    assert Worker.running() == []


def test_the_curves_appear_after_the_first_repeat_and_fill_in(qtbot, make_window):
    w = make_window(*SMALL)
    pane = shown(w)
    job = pane.job
    s = w.session
    seen = []  # the pane when the first partial result came (after the pane drew it)

    def first_partial():
        if job.busy and job.result is not None and not seen:
            line = pane.error_plot.lines["l1"].getData()[1]
            seen.append((job.result, line.size, plain_text(pane.summary)))

    job.changed.connect(first_partial)
    s.edit(lab=s.settings.lab.replace(sweep_repeats=20))
    qtbot.waitUntil(lambda: bool(seen), timeout=60_000)
    early, drawn, summary = seen[0]
    assert early.cancelled and 1 <= early.repeats_done < 20  # incomplete, so marked
    assert drawn == 8  # drawn already
    assert "Computing" in summary
    settled(qtbot, job)
    assert not job.result.cancelled and job.result.repeats_done == 20
    np.testing.assert_allclose(
        job.result.errors[:, : early.repeats_done],
        early.errors[:, : early.repeats_done],
    )


def test_the_region_names_shorten_to_fit_a_narrow_plot(qtbot):
    from engine.settings import RunSettings
    from engine.sweep import sweep_for
    from gui.panes.wins_plots import REGION_NAMES, ErrorAgainstK

    s = RunSettings()
    res = sweep_for(
        s.replace(lab=s.lab.replace(sweep_d=8, sweep_group=2, sweep_repeats=2))
    )
    assert res.crossover is not None
    view = ErrorAgainstK()
    widget = view.widget
    qtbot.addWidget(widget)
    widget.resize(900, 400)
    widget.show()
    qtbot.waitExposed(widget)
    view.show(res)
    assert view.left_text.toPlainText() == REGION_NAMES[0][0]
    widget.resize(260, 400)
    qtbot.waitUntil(lambda: view.left_text.toPlainText() != REGION_NAMES[0][0])
    texts = [view.left_text, view.right_text]
    used = sum(t.textItem.boundingRect().width() for t in texts)
    assert used <= 0.9 * widget.getPlotItem().getViewBox().width() or (
        view.left_text.toPlainText() == REGION_NAMES[-1][0]
    )
