"""A solve converges, or says precisely why not and what to change; a solve that
needs no iteration says what it did instead."""

import numpy as np
import pytest
from sklearn.linear_model import Lasso

from engine import Penalty, prepare
from engine.data import Dataset
from engine.datasets import load_dataset
from engine.solvers import lambda_max, solve


@pytest.fixture(scope="module")
def separable():
    """42 rows × 39 features whose two classes a line separates."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((42, 39))
    y = np.where(X[:, 0] + 0.5 * X[:, 1] > 0, 1.0, -1.0)
    names = tuple(f"x{j}" for j in range(39))
    return Dataset(X, y, names, task="classification")


def test_at_lambda_max_the_start_is_the_minimum_and_says_so():
    data = prepare(load_dataset("diabetes"))
    lam = lambda_max(data, "squared")
    res = solve(data, "squared", Penalty.l1(lam))
    assert res.converged and res.n_iter == 0 and not res.w.any()
    assert res.message.startswith("already at the minimum: every weight is 0 for λ ≥")

    # scikit-learn agrees on λ_max: all zero at it, not just below it
    def lasso(alpha):
        return Lasso(alpha=alpha, tol=1e-12, max_iter=100_000).fit(data.X, data.y)

    assert not lasso(lam).coef_.any()
    assert lasso(0.95 * lam).coef_.any()


def test_a_solve_without_iterations_names_its_linear_solve():
    data = prepare(load_dataset("diabetes"))
    res = solve(data, "squared", Penalty.l1(0.05 * lambda_max(data, "squared")))
    assert res.converged and res.n_iter == 0
    assert res.message.startswith("exact: linear solve on the active set of 7")
    ref = Lasso(alpha=res.penalty.lam1, tol=1e-12, max_iter=100_000)
    assert res.w == pytest.approx(ref.fit(data.X, data.y).coef_, abs=1e-6)


@pytest.mark.parametrize("standardize", [True, False])
def test_separable_classes_with_a_weak_penalty_stop_early_and_say_why(
    separable, standardize
):
    """Bounded by the data's size: 42 rows, and far fewer iterations than the
    100,000 allowed (the solver sees it would need millions)."""
    data = prepare(separable, standardize=standardize)
    res = solve(data, "logistic", Penalty.l1(1e-9))
    assert not res.converged and res.n_iter < 100_000
    assert "the classes are separable" in res.message
    assert "use a larger λ" in res.message
    assert np.isfinite(res.w).all() and np.isfinite(res.objective)


def test_separable_classes_with_a_real_penalty_converge(separable):
    data = prepare(separable)
    res = solve(data, "logistic", Penalty.l2(0.01))
    assert res.converged and res.rel_gap <= 1e-8


def test_raw_scales_far_apart_are_named_when_a_solve_stops_short():
    rng = np.random.default_rng(3)
    X = rng.standard_normal((20, 40)) * np.logspace(-3, 3, 40)
    y = X[:, :3] @ [1.0, 2.0, 3.0] + rng.standard_normal(20)
    data = prepare(Dataset(X, y, tuple(f"x{j}" for j in range(40))), standardize=False)
    pen = Penalty.l1(1e-4 * lambda_max(data, "squared"))
    res = solve(data, "squared", pen, max_iter=20, tol=1e-14)
    assert not res.converged  # 20 iterations to a gap of 1e-14: too few
    assert "raw feature scales differ by a factor of 7.7e+05" in res.message
    assert "standardize the features" in res.message
