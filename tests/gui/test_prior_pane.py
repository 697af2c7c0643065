"""The prior pane (issue 17): the penalty as a prior of one weight, and the
posterior of two weights with its mode (the engine's optimum) and its mean."""

import numpy as np
import pytest

from engine.geometry import Quadratic, penalized_optimum
from engine.prior import noise_variance, posterior_2d, prior_density
from tests.gui.helpers import click, plain_text


def shown(qtbot, make_window, *argv):
    w = make_window(*argv)
    w.grid.show_pane("prior")
    pane = w.panes["prior"]
    qtbot.waitUntil(pane.isVisible)
    pane.refresh_now()
    return w, pane


def test_on_two_features_the_mode_is_on_the_axis_and_the_mean_is_not(
    qtbot, make_window
):
    w, pane = shown(qtbot, make_window, "--dataset", "two-features", "--lam", "1.34")
    click(qtbot, w.controls.solve_button)
    qtbot.waitUntil(lambda: not w.session.solving, timeout=30000)
    pane.refresh_now()
    s, tr = w.session, w.session.trainer
    assert tr.w[1] == 0.0 and tr.w[0] != 0.0  # the engine's optimum: x2 exactly 0
    post = pane.posterior
    assert pane.pair() == (0, 1)
    np.testing.assert_allclose(post.map, tr.w, atol=1e-9)
    assert post.map[1] == 0.0
    assert abs(post.mean[1]) > 0.01
    x, y = pane.map_point.getData()
    assert (x[0], y[0]) == (post.map[0], post.map[1])
    mx, my = pane.mean_point.getData()
    assert my[0] == post.mean[1]
    text = plain_text(pane.caption)
    assert (
        "puts x2 at exactly 0" in text and "the mode is sparse, the mean is not" in text
    )
    sigma2, _ = noise_variance(s.data, "squared")
    n, lam = s.data.n_samples, tr.penalty.lam1
    assert f"Laplace of scale σ²/(nλ₁) = {sigma2 / (n * lam):.3g}" in plain_text(
        pane.header
    )
    wx, dens = pane.prior_curve.getData()
    np.testing.assert_allclose(dens, prior_density(wx, lam, 0.0, sigma2, n))


def test_l2_draws_a_gaussian_prior_and_the_pair_can_be_chosen(qtbot, make_window):
    w, pane = shown(
        qtbot,
        make_window,
        "--dataset",
        "correlated",
        "--penalty",
        "l2",
        "--steps",
        "50",
    )
    s, tr = w.session, w.session.trainer
    assert "L2 is a prior" in plain_text(pane.header)
    assert "Gaussian of variance" in plain_text(pane.header)
    names = s.data.feature_names
    pane.second.setCurrentIndex(names.index("B2"))
    pane.first.setCurrentIndex(names.index("A1"))
    pane.refresh_now()
    i, j = names.index("A1"), names.index("B2")
    q = Quadratic.from_data(s.data.X, s.data.y, tr.w, tr.b, i, j, s.loss)
    np.testing.assert_allclose(
        pane.posterior.map, penalized_optimum(q, 0.0, tr.penalty.lam2), atol=1e-12
    )
    ref = posterior_2d(q, 0.0, tr.penalty.lam2, pane.sigma2, s.data.n_samples)
    np.testing.assert_allclose(pane.posterior.mean, ref.mean)
    assert pane.post_plot.getAxis("bottom").labelText == "w[A1]"
    assert pane.view_state() == {"pair": ["A1", "B2"]}
    pane.set_view_state({"pair": ["C1", "nope"]})  # skipped: no such feature
    assert pane.view_state() == {"pair": ["A1", "B2"]}
    pane.set_view_state({"pair": ["C1", "D3"]})
    assert pane.pair() == (names.index("C1"), names.index("D3"))


def test_without_a_penalty_the_pane_says_the_prior_is_flat(qtbot, make_window):
    w, pane = shown(
        qtbot, make_window, "--dataset", "two-features", "--penalty", "none"
    )
    assert pane.posterior is None
    assert "prior is flat" in pane.caption.text()
    click(qtbot, w.controls.penalty_buttons.button(1))  # L1
    pane.refresh_now()
    assert pane.posterior is not None
    assert pytest.approx(pane.posterior.density.sum()) == 1.0


def test_the_posterior_is_of_the_geometry_panes_two_weights(qtbot, make_window):
    w, pane = shown(qtbot, make_window, "--dataset", "diabetes", "--steps", "20")
    geo, names = w.panes["geometry"], w.session.data.feature_names
    assert pane.pair() == geo.model.features  # one pair for both 2D views
    geo.select_features(names.index("bmi"), names.index("ltg"))
    pane.refresh_now()
    assert pane.pair() == (names.index("bmi"), names.index("ltg"))
    assert (pane.first.currentText(), pane.second.currentText()) == ("bmi", "ltg")
    assert pane.post_plot.getAxis("bottom").labelText == "w[bmi]"
    # and the other way round: the geometry pane's boxes and loss follow
    pane.second.setCurrentIndex(names.index("bp"))
    assert geo.model.features == (names.index("bmi"), names.index("bp"))
    assert [b.currentText() for b in geo.feature_boxes] == ["bmi", "bp"]
