"""Bias², variance and error against λ from fresh draws of a known truth."""

import numpy as np
import pytest

from engine.bias_variance import N_TEST, bias_variance, bias_variance_for
from engine.settings import LabSettings, RunSettings
from engine.synthetic import Generator

GEN = Generator(100, 40, 4, 0.0, 1.0)


@pytest.fixture(scope="module", params=["l1", "l2", "elasticnet"])
def result(request):
    return bias_variance(GEN, 4, request.param, draws=40, seed=0)


def test_the_error_measured_directly_is_bias2_plus_variance_plus_noise(result):
    # the test targets' noise: its mean square is sigma^2 within about
    # sigma^2 sqrt(2 / N_TEST) = 0.02; the cross term adds less
    total = result.bias2 + result.variance + result.noise2
    tol = 5 * result.noise2 * np.sqrt(2 / N_TEST)
    np.testing.assert_allclose(result.error, total, atol=tol)


def test_bias2_rises_with_lambda_while_variance_falls(result):
    # alphas run from large to small
    b, v = result.bias2, result.variance
    assert b[0] > 0.8 and b[-1] < 0.05  # the null model's bias is the signal (1)
    assert v[0] < 0.05 and v[-1] > 0.4
    # along the grid (from small λ to large): bias² rises and variance falls at
    # nearly every step (Monte Carlo noise may flatten a step at the ends)
    assert np.mean(np.diff(b) <= 1e-3) > 0.9
    assert np.mean(np.diff(v) >= -1e-3) > 0.9


def test_the_best_strength_lies_inside_the_grid(result):
    assert 0 < result.index_best < result.alphas.size - 1


def test_l1_has_the_smaller_best_error_on_a_sparse_truth_and_l2_on_a_dense_one():
    best = {}
    for k in (4, 40):
        for kind in ("l1", "l2"):
            r = bias_variance(GEN, k, kind, draws=30, seed=1)
            best[k, kind] = np.nanmin(r.bias2 + r.variance)
    assert best[4, "l1"] < best[4, "l2"]
    assert best[40, "l2"] < best[40, "l1"]


def test_the_settings_choose_the_runs_penalty_k_and_draws():
    lab = LabSettings(sweep_n=50, sweep_d=6, sweep_group=2, sweep_k=9, sweep_draws=3)
    r = bias_variance_for(RunSettings(penalty="l2", lab=lab))
    assert (r.kind, r.k, r.draws_done, r.generator.d) == ("l2", 6, 3, 6)
    r = bias_variance_for(RunSettings(penalty="none", lab=lab))
    assert r.kind == "l1"


def test_a_cancel_keeps_the_draws_done():
    seen = []

    def cancel():
        return len(seen) >= 3

    r = bias_variance(
        Generator(50, 6, 2),
        2,
        "l2",
        draws=20,
        progress=lambda f, m: seen.append(f),
        cancel=cancel,
    )
    assert r.cancelled and r.draws_done == 3 and np.isfinite(r.bias2).all()
