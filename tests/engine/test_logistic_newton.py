"""Logistic solves by Newton's method, certified by the duality gap and matched
against scikit-learn (no Qt)."""

import warnings

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from engine import Penalty, lambda_max, prepare, solve
from engine.logistic_newton import active_set_l1, newton_l2
from engine.losses import LogisticLoss
from engine.problems import make_problem

from .problems import classification

TOL = 1e-10


def sklearn_objective(data, pen, est):
    """Our objective at scikit-learn's weights and intercept."""
    w, b = est.coef_[0], float(est.intercept_[0])
    return pen.value(w) + LogisticLoss.value(data.X @ w + b, data.y)


def fit(est, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return est.fit(X, y)


@pytest.mark.parametrize("shape", [(300, 10), (60, 90)])
@pytest.mark.parametrize("lam", [1e-1, 1e-3])
def test_newton_l2_reaches_lbfgs_objective_with_a_certified_gap(shape, lam):
    data = prepare(classification(*shape, k=3, seed=2))
    prob = make_problem(data, "logistic")
    pen = Penalty.l2(lam)
    tol_abs = TOL * prob.null_objective()
    b0 = LogisticLoss.null_intercept(data.y)
    w, b, gap, primal, _, converged, _ = newton_l2(
        prob, pen, np.zeros(data.n_features), b0, tol_abs, 10**5, None
    )
    assert converged and gap <= tol_abs
    # the certificate is the problem's own, at the point returned
    assert prob.check(w, b, pen)[0] <= tol_abs
    sk = fit(
        LogisticRegression(
            C=1 / (data.n_samples * lam), solver="lbfgs", tol=1e-12, max_iter=10**5
        ),
        data.X,
        data.y,
    )
    assert primal <= sklearn_objective(data, pen, sk) + tol_abs
    np.testing.assert_allclose(w, sk.coef_[0], atol=1e-4 * max(1, np.abs(w).max()))


def test_solve_l2_logistic_says_it_is_certified():
    data = prepare(classification(400, 20, k=4, seed=5))
    res = solve(data, "logistic", Penalty.l2(1e-3), tol=1e-8)
    assert res.converged and res.rel_gap <= 1e-8
    assert np.count_nonzero(res.w) == 20


@pytest.mark.parametrize("frac", [0.5, 0.1])
def test_active_set_l1_matches_liblinear_objective_and_is_certified(frac):
    data = prepare(classification(400, 30, k=4, seed=3))
    prob = make_problem(data, "logistic")
    lam = frac * lambda_max(data, "logistic")
    pen = Penalty.l1(lam)
    tol_abs = TOL * prob.null_objective()
    done = active_set_l1(
        prob, pen, np.zeros(30), LogisticLoss.null_intercept(data.y), tol_abs
    )
    assert done is not None
    w, b, gap, primal, _, converged, _ = done
    assert converged and gap <= tol_abs
    assert prob.check(w, b, pen)[0] <= tol_abs
    # liblinear penalizes the intercept as a feature of value intercept_scaling: at
    # 1e4 that penalty is negligible and its objective comes within reach of ours
    sk = fit(
        LogisticRegression(
            C=1 / (data.n_samples * lam),
            l1_ratio=1.0,
            solver="liblinear",
            intercept_scaling=1e4,
            tol=1e-6,
            max_iter=10**5,
        ),
        data.X,
        data.y,
    )
    assert primal <= sklearn_objective(data, pen, sk) + tol_abs
    assert (w == 0).sum() > 0


def test_l1_from_a_warm_start_lands_on_the_same_solution():
    data = prepare(classification(300, 15, k=4, seed=1))
    lam = 0.2 * lambda_max(data, "logistic")
    cold = solve(data, "logistic", Penalty.l1(lam), tol=TOL)
    warm_start = solve(data, "logistic", Penalty.l1(2 * lam), tol=TOL)
    warm = solve(
        data, "logistic", Penalty.l1(lam), w0=warm_start.w, b0=warm_start.b, tol=TOL
    )
    assert cold.converged and warm.converged
    np.testing.assert_allclose(warm.w, cold.w, atol=1e-6)
    np.testing.assert_array_equal(warm.w == 0, cold.w == 0)


def test_extreme_data_ends_in_a_certified_point_or_the_general_solver():
    """Columns of size 1e3 unstandardized saturate the curvature: Newton's methods
    may give up, the solve still ends with a finite, certified answer."""
    rng = np.random.default_rng(0)
    ds = classification(40, 3, k=2, seed=0)
    X = ds.X * np.array([1.0, 1e3, 3e2]) + rng.normal(0, 1, 3)
    data = prepare(type(ds)(X, ds.y, ds.feature_names, task="classification"),
                   standardize=False)  # fmt: skip
    for pen in (Penalty.l1(1e-3), Penalty.l2(1e-6)):
        res = solve(data, "logistic", pen, tol=1e-8)
        assert np.isfinite(res.w).all() and np.isfinite(res.b)
        if res.converged:
            assert res.rel_gap <= 1e-8
