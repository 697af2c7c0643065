"""Solving to convergence: progress, cancel, logistic loss, edge cases (the path:
test_path.py)."""

import threading
import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LinearRegression, LogisticRegression

from engine import (
    Dataset,
    Penalty,
    Trainer,
    lambda_max,
    prepare,
    solve,
)
from engine.datasets import load_dataset
from engine.problems import make_problem

from .problems import classification, regression


def test_progress_is_reported_and_ends_at_one():
    data = prepare(regression(80, 200, k=5, seed=3))
    seen = []
    res = solve(
        data,
        "squared",
        Penalty.l1(0.01 * lambda_max(data, "squared")),
        tol=1e-12,
        progress=lambda f, m: seen.append(f),
    )
    assert res.converged and seen[-1] == 1.0
    assert all(0.0 <= f <= 1.0 for f in seen)


def test_cancel_stops_a_solve():
    data = prepare(regression(80, 200, k=5, seed=3))
    stop = threading.Event()
    stop.set()
    res = solve(data, "squared", Penalty.l1(0.01), tol=1e-14, cancel=stop)
    assert res.cancelled and not res.converged


def test_lambda_max_is_exactly_where_every_weight_becomes_zero():
    for loss, ds in (("squared", regression(60, 10)), ("logistic", classification())):
        data = prepare(ds)
        lm = lambda_max(data, loss)
        assert (solve(data, loss, Penalty.l1(lm * 1.0001)).w == 0).all()
        assert (solve(data, loss, Penalty.l1(lm * 0.99)).w != 0).sum() >= 1


def test_no_penalty_is_least_squares():
    data = prepare(regression(50, 5, scales=True), standardize=False)
    res = solve(data, "squared", Penalty.none())
    sk = LinearRegression().fit(data.X, data.y)
    np.testing.assert_allclose(res.w, sk.coef_, rtol=1e-9)
    assert res.converged and res.message.startswith("exact")
    assert 0 <= res.gap and res.rel_gap <= res.tol


def test_logistic_without_standardization_matches_sklearn():
    ds = classification(200, 6, seed=8)
    X = ds.X * np.array([1, 10, 0.1, 5, 2, 0.5]) + 3
    from engine import Dataset

    data = prepare(
        Dataset(X, ds.y, ds.feature_names, task="classification"), standardize=False
    )
    lam = 0.2 * lambda_max(data, "logistic")
    res = solve(data, "logistic", Penalty.l1(lam), tol=1e-13)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        sk = LogisticRegression(
            C=1 / (200 * lam), l1_ratio=1.0, solver="saga", tol=1e-14, max_iter=10**6
        ).fit(data.X, data.y)
    np.testing.assert_allclose(res.w, sk.coef_[0], atol=1e-6 * np.abs(sk.coef_).max())
    np.testing.assert_array_equal(res.w == 0, sk.coef_[0] == 0)


ZERO_PENALTIES = [
    Penalty.none(),
    Penalty.l1(0.0),
    Penalty.l2(0.0),
    Penalty.elastic_net(0.0, 0.0),
]


@pytest.mark.parametrize("pen", ZERO_PENALTIES, ids=lambda p: p.kind)
def test_squared_loss_at_lambda_zero_is_the_exact_least_squares_solution(pen):
    data = prepare(load_dataset("diabetes"))
    res = solve(data, "squared", pen)
    sk = LinearRegression().fit(data.X, data.y)
    np.testing.assert_allclose(res.w, sk.coef_, rtol=1e-9)
    np.testing.assert_allclose(res.b, sk.intercept_, rtol=1e-12)
    assert res.converged and res.message == "exact: closed form (linear solve)"
    assert np.isfinite(res.gap) and 0 <= res.gap
    assert res.rel_gap == pytest.approx(res.gap / (0.5 * np.var(data.y)), rel=1e-9)
    assert res.rel_gap <= 1e-8


def separable_or_not(separable: bool) -> Dataset:
    rng = np.random.default_rng(11)
    X = rng.standard_normal((120, 4))
    t = X @ np.array([1.0, -2.0, 0.5, 0.0])
    if not separable:
        t = t + 2.0 * rng.standard_normal(120)
    y = np.where(t > 0, 1.0, -1.0)
    return Dataset(X, y, ("a", "b", "c", "d"), task="classification")


@pytest.mark.parametrize("pen", ZERO_PENALTIES, ids=lambda p: p.kind)
def test_logistic_at_lambda_zero_is_unpenalized_logistic_regression(pen):
    data = prepare(separable_or_not(False))
    res = solve(data, "logistic", pen)
    sk = LogisticRegression(C=np.inf, tol=1e-12, max_iter=10**4).fit(data.X, data.y)
    assert res.converged and np.isfinite(res.gap) and res.rel_gap <= 1e-8
    np.testing.assert_allclose(res.w, sk.coef_[0], rtol=1e-6)
    np.testing.assert_allclose(res.b, sk.intercept_[0], rtol=1e-6, atol=1e-8)


def test_unpenalized_logistic_gap_bounds_the_distance_to_the_minimum():
    data = prepare(separable_or_not(False))
    prob = make_problem(data, "logistic")
    best = solve(data, "logistic", Penalty.none())
    rng = np.random.default_rng(12)
    for scale in (1e-3, 1e-2, 1e-1):
        w = best.w + scale * rng.standard_normal(4)
        b = prob.best_intercept(data.X @ w, best.b)
        F = prob.check(w, b, Penalty.none())[1]
        assert F - best.objective > 0
        assert prob.unpenalized_gap(w, b) >= F - best.objective


@pytest.mark.parametrize("pen", ZERO_PENALTIES, ids=lambda p: p.kind)
def test_separable_classes_without_penalty_have_no_minimum_and_say_so(pen):
    data = prepare(separable_or_not(True))
    res = solve(data, "logistic", pen)
    assert not res.converged and "separable" in res.message
    assert np.isnan(res.gap) and np.isnan(res.rel_gap)
    assert np.isfinite(res.w).all() and np.isfinite(res.objective)
    assert (data.y * (data.X @ res.w + res.b) > 0).all()
    # training step by step is fine: the loss keeps falling toward 0
    tr = Trainer(data, loss="logistic", penalty=pen)
    tr.step(100)
    assert (
        tr.divergence is None and 0 < tr.objective < tr.history.scalar("objective")[0]
    )


@pytest.mark.parametrize("pen", ZERO_PENALTIES[1:], ids=lambda p: p.kind)
@pytest.mark.parametrize("loss", ["squared", "logistic"])
def test_a_zero_strength_trains_exactly_like_no_penalty(pen, loss):
    ds = regression(80, 6) if loss == "squared" else separable_or_not(False)
    data = prepare(ds)
    for rule in ("proximal", "subgradient"):
        a = Trainer(data, loss=loss, penalty=pen, rule=rule)
        b = Trainer(data, loss=loss, penalty=Penalty.none(), rule=rule)
        a.step(100)
        b.step(100)
        np.testing.assert_array_equal(a.w, b.w)
        assert a.b == b.b and a.objective == b.objective
