"""The stability pane, driven as a user drives it: B, the kind of resample and the
threshold edit the run's settings; the bars and the paths show the engine's
frequencies; the computation runs off the GUI thread, only while someone looks, and
can be cancelled."""

import csv

import numpy as np
from PySide6 import QtWidgets

from engine.stability import stability_for
from gui.stability_model import NO_LAB

from .helpers import click, plain_text, type_into

TIMEOUT = 60_000


def show_stability(w):
    pane = w.panes["stability"]
    w.grid.tabs_of["stability"].setCurrentWidget(pane)
    return pane


def wait_current(qtbot, model):
    qtbot.waitUntil(lambda: model.is_current() and not model.busy, timeout=TIMEOUT)


def test_nothing_is_resampled_while_nobody_looks(make_window, qtbot):
    w = make_window("--dataset", "correlated")
    model = w.session.stability_model
    qtbot.wait(400)  # longer than the debounce
    assert model.started == 0 and model.result is None
    show_stability(w)
    wait_current(qtbot, model)
    assert model.started == 1


def test_changing_B_shows_the_engines_frequencies(make_window, qtbot):
    w = make_window("--dataset", "correlated")
    pane = show_stability(w)
    model = w.session.stability_model
    wait_current(qtbot, model)
    type_into(qtbot, pane.b_spin, "30")
    assert w.session.settings.lab.resamples == 30
    qtbot.waitUntil(
        lambda: model.result is not None and model.result.B == 30, timeout=TIMEOUT
    )
    wait_current(qtbot, model)
    s = w.session
    ref = stability_for(s.settings, s.data)
    assert ref.B == 30
    np.testing.assert_array_equal(model.result.frequency, ref.frequency)
    # the bars are the engine's frequencies of the features shown
    np.testing.assert_array_equal(pane.bars.heights, ref.frequency[pane.bars.shown])
    assert "30 half-samples of 60 rows" in plain_text(pane.summary)
    # bootstraps through the combo box
    pane.kind_box.setCurrentIndex(pane.kind_box.findData("bootstrap"))
    assert s.settings.lab.resample == "bootstrap"
    qtbot.waitUntil(
        lambda: model.result is not None and model.result.resample == "bootstrap",
        timeout=TIMEOUT,
    )
    assert "30 bootstraps of 120 rows" in plain_text(pane.summary)


def test_the_threshold_edits_the_settings_without_resampling(make_window, qtbot):
    w = make_window("--dataset", "correlated")
    pane = show_stability(w)
    model = w.session.stability_model
    wait_current(qtbot, model)
    started = model.started
    type_into(qtbot, pane.threshold_spin, "0.95")
    assert w.session.settings.lab.threshold == 0.95
    qtbot.wait(400)
    assert model.started == started and model.is_current()
    res = model.result
    stable = res.stable(0.95).size
    assert f"{stable} of 20 features selected in ≥ 95%" in plain_text(pane.summary)
    assert pane.bars.line.value() == 0.95
    # the dragged line edits the same setting
    pane.bars.thresholdMoved.emit(0.7)
    assert w.session.settings.lab.threshold == 0.7
    assert pane.threshold_spin.value() == 0.7


def test_the_stability_paths_view(make_window, qtbot):
    w = make_window("--dataset", "correlated")
    pane = show_stability(w)
    model = w.session.stability_model
    wait_current(qtbot, model)
    pane.view_box.setCurrentIndex(pane.view_box.findData("paths"))
    res = model.result
    assert pane.plots.currentWidget() is pane.paths.widget
    for j in range(20):
        x, y = pane.paths.lines[j].getData()
        np.testing.assert_array_equal(y, res.path_frequency[: res.n_path, j])
        np.testing.assert_allclose(10.0**x, res.alphas[: res.n_path])
    # true features in the highlight colour
    truth = w.session.data.true_coef != 0
    widths = [pane.paths.lines[j].opts["pen"].widthF() for j in range(20)]
    assert all((widths[j] > 2) == truth[j] for j in range(20))
    # the λ cursor is the run's λ, shared with the path pane
    assert np.isclose(10.0 ** pane.paths.cursor.line.value(), res.alpha)
    assert pane.view_state() == {"view": "paths"}


def long_lab(make_window, qtbot):
    """A window computing 3,000 resamples, some of them done: ``(window, pane,
    model)``."""
    w = make_window("--dataset", "correlated")
    pane = show_stability(w)
    model = w.session.stability_model
    wait_current(qtbot, model)
    type_into(qtbot, pane.b_spin, "3000")
    qtbot.waitUntil(
        lambda: model.busy and pane.cancel_button.isVisible(), timeout=TIMEOUT
    )
    qtbot.waitUntil(lambda: pane.progress.value() > 0, timeout=TIMEOUT)
    return w, pane, model


def stopped(qtbot, model):
    """The result once ``model`` stopped: cancelled with some resamples done."""
    qtbot.waitUntil(lambda: not model.busy, timeout=TIMEOUT)
    res = model.result
    assert res.cancelled and 0 < res.done < 3000
    return res


def test_cancel_keeps_the_resamples_done_and_run_finishes(make_window, qtbot):
    w, pane, model = long_lab(make_window, qtbot)
    click(qtbot, pane.cancel_button)
    res = stopped(qtbot, model)
    assert "Cancelled after" in plain_text(pane.summary)
    assert pane.run_button.isVisible()
    np.testing.assert_array_equal(pane.bars.heights, res.frequency[pane.bars.shown])


def test_l2_has_nothing_to_select(make_window, qtbot):
    w = make_window("--dataset", "correlated", "--penalty", "l2")
    pane = show_stability(w)
    qtbot.wait(300)
    assert pane.stack.currentIndex() == 1
    assert pane.stack.message.text() == NO_LAB
    assert w.session.stability_model.started == 0


def test_the_pane_shows_the_exported_numbers(make_window, qtbot, tmp_path, capsys):
    import cli

    out = tmp_path / "s.csv"
    argv = ["--dataset", "correlated", "--stability", "25", "--seed", "3"]
    assert cli.main(["--headless", *argv, "--export-stability", str(out)]) == 0
    capsys.readouterr()
    with open(out, newline="") as f:
        exported = {name: float(v) for name, v in list(csv.reader(f))[1:]}
    w = make_window(*argv)
    pane = show_stability(w)
    wait_current(qtbot, w.session.stability_model)
    names = w.session.data.feature_names
    shown = {
        names[j]: h for j, h in zip(pane.bars.shown, pane.bars.heights, strict=True)
    }
    assert shown and all(exported[k] == v for k, v in shown.items())


def test_houses_shows_the_features_ranked_around_the_threshold(make_window, qtbot):
    w = make_window("--stability", "5")
    pane = show_stability(w)
    model = w.session.stability_model
    wait_current(qtbot, model)
    res = model.result
    shown = pane.bars.shown
    assert 5 <= shown.size <= 25
    # a run of the ranking by frequency, most frequent first ...
    ranked = res.top(1000)
    first, last = pane.shown_ranks()
    np.testing.assert_array_equal(shown, ranked[first - 1 : last])
    assert (np.diff(res.frequency[shown]) <= 0).all()
    np.testing.assert_array_equal(pane.bars.heights, res.frequency[shown])
    # ... with the threshold inside it: stably selected ones and others
    f = res.frequency[shown]
    assert (f >= 0.6).any() and (f < 0.6).any()
    assert f"ranks {first}–{last} by frequency shown" in plain_text(pane.summary)
    # the paths view draws the most frequently selected
    pane.view_box.setCurrentIndex(pane.view_box.findData("paths"))
    np.testing.assert_array_equal(pane.shown_features(), ranked[:25])
    assert isinstance(pane.figure_controls()[0], QtWidgets.QComboBox)


def test_a_new_lambda_keeps_the_plot_while_it_is_redone(make_window, qtbot):
    w = make_window("--dataset", "correlated")
    pane = show_stability(w)
    model = w.session.stability_model
    wait_current(qtbot, model)
    pane.view_box.setCurrentIndex(pane.view_box.findData("paths"))
    old = model.result
    lam = 2 * w.session.settings.lam1
    w.session.path_model.move_cursor(lam)  # what dragging the cursor does
    assert w.session.settings.lam1 == lam
    # the last result stays on screen, marked, with the cursor at the new λ
    assert pane.stack.currentIndex() == 0 and model.result is old
    assert "Resampling for the new settings" in plain_text(pane.summary)
    assert np.isclose(10.0 ** pane.paths.cursor.line.value(), lam)
    wait_current(qtbot, model)
    assert model.result.alpha == lam and "Resampling" not in plain_text(pane.summary)


def test_a_new_lambda_refits_at_lambda_only_and_keeps_the_paths(make_window, qtbot):
    """A λ move does not resample the paths again: each resample is refitted at
    the new λ only, and the frequencies there are a fresh computation's."""
    w = make_window("--dataset", "correlated")
    s = w.session
    show_stability(w)
    model = s.stability_model
    wait_current(qtbot, model)
    first = model.result
    for factor in (1.6, 0.8):
        s.path_model.move_cursor(factor * s.settings.lam1)
        wait_current(qtbot, model)
    res = model.result
    assert model.started == 1 and model.refitted == 2
    assert res.path_frequency is first.path_frequency
    fresh = stability_for(s.settings, s.data)
    assert res.alpha == fresh.alpha
    np.testing.assert_array_equal(res.frequency, fresh.frequency)
    np.testing.assert_allclose(res.coefs, fresh.coefs, atol=1e-8)
    # another B is other resamples: their paths are computed anew
    type_into(qtbot, w.panes["stability"].b_spin, "30")
    wait_current(qtbot, model)
    assert model.started == 2 and model.refitted == 2


def test_escape_stops_the_lab_as_its_cancel_button_does(make_window, qtbot):
    from PySide6 import QtCore

    w, pane, model = long_lab(make_window, qtbot)
    assert not w.session.solving
    qtbot.keyClick(w, QtCore.Qt.Key.Key_Escape)
    stopped(qtbot, model)
    assert "Stopped the stability lab" in w.statusBar().currentMessage()
