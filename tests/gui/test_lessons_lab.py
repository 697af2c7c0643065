"""The panes the lessons of issues 16 and 17 talk about show the lessons' numbers:
stability frequencies, the sweep's crossing, the zero band, the posterior's mode and
mean."""

import numpy as np

from engine.lessons import lesson_keys
from tests.gui.helpers import plain_text, type_into


def start(qtbot, window, key):
    window.lessons.actions[key].trigger()
    assert window.lessons.current.key == key
    return window.session


def freq(res, data, names):
    return [round(float(res.frequency[data.feature_names.index(n)]), 2) for n in names]


def test_the_correlated_lesson_shows_its_frequencies_and_rho_1_flips_them(
    qtbot, make_window
):
    w = make_window("--dataset", "houses")
    s = start(qtbot, w, "correlated-features")
    assert w.grid.is_in_front("stability")
    model = s.stability_model
    model.wait()
    assert freq(model.result, s.data, ["A1", "A2", "A3", "B1", "B2", "B3"]) == [
        1.0, 1.0, 1.0, 1.0, 0.9, 0.96,
    ]  # fmt: skip
    type_into(qtbot, w.controls.rho_spin, "1")
    model.wait()
    assert freq(model.result, s.data, ["A1", "A2", "A3", "B1"]) == [
        0.43,
        0.27,
        0.31,
        0.0,
    ]
    assert len(model.result.stable(0.6)) == 0


def test_the_sparse_or_dense_lesson_shows_the_crossing(qtbot, make_window):
    w = make_window("--dataset", "correlated")
    start(qtbot, w, "sparse-or-dense")
    assert w.grid.is_in_front("wins")
    pane = w.panes["wins"]
    pane.wait()
    res = pane.jobs["error"].result
    l1, _ = res.error("l1")
    l2, _ = res.error("l2")
    assert [round(l1[0], 3), round(l2[0], 3), round(l1[-1], 3), round(l2[-1], 3)] == [
        0.059, 0.317, 0.649, 0.359,
    ]  # fmt: skip
    assert round(res.crossover) == 15


def test_the_thresholding_lesson_shows_thirteen_in_the_band(qtbot, make_window):
    w = make_window("--dataset", "correlated")
    start(qtbot, w, "thresholding")
    assert w.grid.is_in_front("threshold")
    pane = w.panes["threshold"]
    pane.refresh_now()
    assert "13 of 20 exactly 0 after the next step" in plain_text(pane.header)
    lo, hi = pane.band.getRegion()
    assert (round(lo, 3), round(hi, 3)) == (-0.106, 0.106)
    assert "zero band |z| ≤ ηλ₁ = 0.106" in pane.band_label.toPlainText()


def test_the_laplace_lesson_shows_mode_and_mean(qtbot, make_window):
    w = make_window("--dataset", "correlated")
    s = start(qtbot, w, "laplace-prior")
    qtbot.waitUntil(lambda: s.trainer.solution is not None, timeout=20000)
    assert w.grid.is_in_front("prior")
    pane = w.panes["prior"]
    pane.refresh_now()
    text = plain_text(pane.caption)
    assert "MAP (1.118, 0)" in text and "(1.105, 0.03138) does not" in text
    assert "Laplace of scale σ²/(nλ₁) = 0.0045" in plain_text(pane.header)
    assert "σ² = 1.007" in plain_text(pane.header)
    np.testing.assert_allclose(pane.posterior.map, s.trainer.w, rtol=0, atol=1e-12)


def test_the_new_lessons_are_the_last_three():
    assert lesson_keys()[-3:] == ("sparse-or-dense", "thresholding", "laplace-prior")
