"""The Bayesian view (issue 17): L1 is a Laplace prior and L2 a Gaussian one; the
penalized optimum is the posterior mode; the posterior mean is not sparse."""

import numpy as np
import pytest

from engine.data import Dataset, prepare
from engine.datasets import load_dataset
from engine.geometry import Quadratic
from engine.penalties import Penalty
from engine.prior import noise_variance, posterior_2d, prior_density, prior_scale_text
from engine.solvers import lambda_max, solve


@pytest.mark.parametrize(
    "lam1,lam2", [(0.1, 0.0), (0.0, 0.1), (0.05, 0.2), (2.0, 1e-4)]
)
def test_each_prior_is_a_density(lam1, lam2):
    sigma2, n = 1.3, 150

    # the two halves on fine grids (the Laplace's kink at 0 is a grid point)
    scales = []
    if lam1 > 0:
        scales.append(sigma2 / (n * lam1))  # the Laplace's
    if lam2 > 0:
        scales.append(np.sqrt(sigma2 / (n * lam2)))  # the Gaussian's
    reach = 60 * min(scales)
    w = np.linspace(0.0, reach, 2_000_001)
    half = np.trapezoid(prior_density(w, lam1, lam2, sigma2, n), w)
    total = 2 * half
    assert total == pytest.approx(1.0, rel=1e-6)


def test_the_scales_are_the_ones_the_window_states():
    sigma2, n, lam = 2.0, 100, 0.05
    b = sigma2 / (n * lam)  # Laplace scale
    w = np.array([0.0, 0.3, -1.0])
    np.testing.assert_allclose(
        prior_density(w, lam, 0.0, sigma2, n), np.exp(-np.abs(w) / b) / (2 * b)
    )
    var = sigma2 / (n * lam)
    np.testing.assert_allclose(
        prior_density(w, 0.0, lam, sigma2, n),
        np.exp(-(w**2) / (2 * var)) / np.sqrt(2 * np.pi * var),
    )
    assert prior_scale_text(lam, 0.0, sigma2, n) == "Laplace of scale σ²/(nλ₁) = 0.4"
    assert "Gaussian of variance σ²/(nλ₂) = 0.4" in prior_scale_text(0, lam, sigma2, n)
    with pytest.raises(ValueError, match="flat"):
        prior_density(w, 0.0, 0.0, sigma2, n)


def two_feature_problem():
    data = prepare(load_dataset("two-features"), validation=0.0)
    w0 = np.zeros(2)
    q = Quadratic.from_data(data.X, data.y, w0, float(data.y.mean()), 0, 1)
    return data, q


def test_the_map_is_the_engines_optimum_and_the_mean_is_off_the_axis():
    data, q = two_feature_problem()
    sigma2, how = noise_variance(data, "squared")
    assert sigma2 == pytest.approx(1.0, rel=0.15) and "197 degrees" in how
    lam1 = 0.6 * lambda_max(data, "squared")  # x1 in, x2 exactly 0 (it enters at ~0.42)
    post = posterior_2d(q, lam1, 0.0, sigma2, data.n_samples)
    engine = solve(data, "squared", Penalty.l1(lam1), tol=1e-14)
    np.testing.assert_allclose(post.map, engine.w, atol=1e-10)
    assert post.map[1] == 0.0 and engine.w[1] == 0.0
    assert post.map[0] != 0.0
    # the grid's highest cell is next to the mode
    i = np.unravel_index(np.argmax(post.density), post.density.shape)
    cell = np.array([post.xs[1] - post.xs[0], post.ys[1] - post.ys[0]])
    assert np.all(np.abs(np.array([post.xs[i[1]], post.ys[i[0]]]) - post.map) <= cell)
    # the mean is not sparse: far from the axis in posterior-grid cells
    assert abs(post.mean[1]) > 5 * cell[1]
    assert post.density.sum() == pytest.approx(1.0)
    lv = post.levels()
    assert lv[0] > lv[1] > lv[2] > 0


def test_under_l2_map_and_mean_agree_the_posterior_is_gaussian():
    data, q = two_feature_problem()
    sigma2, _ = noise_variance(data, "squared")
    post = posterior_2d(q, 0.0, 0.5, sigma2, data.n_samples)
    cell = np.array([post.xs[1] - post.xs[0], post.ys[1] - post.ys[0]])
    np.testing.assert_allclose(post.mean, post.map, atol=0.5 * cell.max())
    assert (post.map != 0.0).all()


def test_sigma2_is_the_target_variance_when_there_are_too_few_rows():
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((10, 12)), rng.standard_normal(10)
    names = tuple(f"x{j}" for j in range(12))
    data = prepare(Dataset(X, y, names, target_name="y", name="wide"), validation=0.0)
    sigma2, how = noise_variance(data, "squared")
    assert "fewer rows" in how
    assert sigma2 == pytest.approx(np.var(data.y, ddof=1))
    assert noise_variance(data, "logistic") == (1.0, "logistic loss: σ² = 1")
