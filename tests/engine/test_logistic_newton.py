"""Logistic solves by Newton's method, certified by the duality gap and matched
against scikit-learn (no Qt)."""

import warnings

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from engine import (
    Dataset,
    Penalty,
    lambda_max,
    logistic_newton,
    prepare,
    problems,
    solve,
)
from engine.logistic_newton import active_set_l1, newton_l2
from engine.losses import LogisticLoss, softplus
from engine.problems import make_problem

from .problems import classification

TOL = 1e-10


def liblinear_l1(data, lam, max_iter):
    """liblinear's L1 logistic regression at our λ (C = 1/(nλ)), its intercept a
    feature of value 1e4: the penalty it puts on it is then negligible."""
    est = LogisticRegression(
        C=1 / (data.n_samples * lam),
        l1_ratio=1.0,
        solver="liblinear",
        intercept_scaling=1e4,
        tol=1e-6,
        max_iter=max_iter,
    )
    return fit(est, data.X, data.y)


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
    sk = liblinear_l1(data, lam, max_iter=10**5)
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


def _classes(n, d, *, shift=0.3, scale=1.0, seed=0):
    """Random classes: ``shift`` unbalances them, ``scale`` separates them."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    beta = np.zeros(d)
    beta[: min(5, d)] = scale * np.linspace(1.5, 0.5, min(5, d))
    y = np.where(X @ beta + shift + rng.logistic(size=n) > 0, 1.0, -1.0)
    return prepare(
        Dataset(X, y, tuple(f"x{j}" for j in range(d)), task="classification")
    )


L2_CASES = {
    "tall": (dict(n=400, d=30, seed=1), 1e-3),
    "wide": (dict(n=60, d=200, seed=2), 1e-3),
    "unbalanced": (dict(n=500, d=20, shift=-3.5, seed=3), 1e-3),
    "nearly separable, weak penalty": (dict(n=200, d=10, scale=12, seed=4), 1e-6),
    "intercept far from the null one": (
        dict(n=300, d=8, shift=2.5, scale=3, seed=5),
        1e-2,
    ),
}


@pytest.mark.parametrize("case", list(L2_CASES))
def test_newton_l2_agrees_with_lbfgs_to_what_the_gap_certifies(case):
    shape, lam = L2_CASES[case]
    data = _classes(**shape)
    pen = Penalty.l2(lam)
    res = solve(data, "logistic", pen, tol=TOL)
    assert res.converged and res.rel_gap <= TOL
    # Newton's method settled it (not the general solver it hands over to)
    prob = make_problem(data, "logistic")
    start = LogisticLoss.null_intercept(data.y)
    tol_abs = TOL * prob.null_objective()
    done = newton_l2(prob, pen, np.zeros(data.n_features), start, tol_abs, 10**5, None)
    assert done is not None and done[5]
    sk = fit(
        LogisticRegression(
            C=1 / (data.n_samples * lam), solver="lbfgs", tol=1e-14, max_iter=10**6
        ),
        data.X,
        data.y,
    )
    f_sk = sklearn_objective(data, pen, sk)
    assert res.objective <= f_sk + res.gap
    # F is lam-strongly convex in w: both points are within sqrt(2 excess / lam) of
    # the minimizer, the excess of ours bounded by its gap
    excess_sk = max(f_sk - res.objective + res.gap, 0.0)
    radius = np.sqrt(2 * res.gap / lam) + np.sqrt(2 * excess_sk / lam)
    assert np.linalg.norm(res.w - sk.coef_[0]) <= radius + 1e-9
    if case == "intercept far from the null one":
        assert abs(res.b - LogisticLoss.null_intercept(data.y)) > 0.5
        assert res.b == pytest.approx(sk.intercept_[0], abs=1e-4)


def test_the_l2_gap_at_the_best_intercept_is_the_gradient_norm():
    """The certificate newton_l2 aims at: ``|X^T v + lam w|^2 / (2 lam)``."""
    data = _classes(200, 15, seed=6)
    prob = make_problem(data, "logistic")
    pen = Penalty.l2(1e-2)
    w = np.random.default_rng(0).normal(0, 0.3, 15)
    gap, _, g, b = prob.check(w, 0.0, pen)
    v = LogisticLoss.derivative(data.X @ w + b, data.y)
    assert abs(v.sum()) < 1e-12  # the best intercept
    assert gap == pytest.approx(np.sum((g + pen.lam2 * w) ** 2) / (2 * pen.lam2))


def test_newton_l2_stops_at_the_gap_not_far_below_it():
    """The last Newton system is solved only as far as the certificate needs, and
    the certificate holds at the point returned."""
    data = _classes(400, 50, seed=7)
    prob = make_problem(data, "logistic")
    pen = Penalty.l2(1e-3)
    for tol in (1e-4, 1e-8, 1e-12):
        tol_abs = tol * prob.null_objective()
        w, b, gap, primal, _, converged, g = newton_l2(
            prob, pen, np.zeros(50), 0.0, tol_abs, 10**5, None
        )
        assert converged and gap <= tol_abs
        check = prob.check(w, b, pen)
        assert check[0] == pytest.approx(gap, rel=1e-6, abs=1e-15)
        assert check[1] == pytest.approx(primal, rel=1e-12)
        np.testing.assert_allclose(check[2], g, rtol=1e-9, atol=1e-15)


def test_blocked_hessian_products_give_the_same_solution(monkeypatch):
    """Blocks of a few rows (as a long X gets) against one block of all rows."""
    data = _classes(300, 40, seed=8)
    pen = Penalty.l2(1e-3)
    whole = solve(data, "logistic", pen, tol=TOL)
    monkeypatch.setattr(logistic_newton, "BLOCK_BYTES", 8 * 40 * 7)  # 7 rows
    blocked = solve(data, "logistic", pen, tol=TOL)
    assert blocked.converged and blocked.rel_gap <= TOL
    bound = np.sqrt(2 * whole.gap / 1e-3) + np.sqrt(2 * blocked.gap / 1e-3)
    assert np.linalg.norm(blocked.w - whole.w) <= bound + 1e-12


@pytest.mark.parametrize("case", ["tall", "nearly separable, weak penalty"])
def test_single_precision_products_give_the_solution_of_double_ones(case, monkeypatch):
    """Curvature products from X in single precision only steer the Newton steps:
    the point returned is certified in double, as with double products only."""
    shape, lam = L2_CASES[case]
    data = _classes(**shape)
    pen = Penalty.l2(lam)
    prob = make_problem(data, "logistic")
    assert prob.X_single is not None and prob.X_single.dtype == np.float32
    mixed = solve(data, "logistic", pen, tol=TOL)
    monkeypatch.setattr(logistic_newton, "SINGLE_RESIDUAL", np.inf)
    double = solve(data, "logistic", pen, tol=TOL)
    assert mixed.converged and double.converged
    assert mixed.rel_gap <= TOL and double.rel_gap <= TOL
    bound = np.sqrt(2 * mixed.gap / lam) + np.sqrt(2 * double.gap / lam)
    assert np.linalg.norm(mixed.w - double.w) <= bound + 1e-12
    assert abs(mixed.objective - double.objective) <= mixed.gap + double.gap


def test_no_single_precision_copy_of_raw_columns():
    """A column of mean 1e3 and spread 1 keeps 4 significant digits in single
    precision: raw columns get double-precision products only."""
    ds = classification(100, 4, seed=9)
    X = ds.X + np.array([1e3, 0.0, -5e2, 0.0])
    data = prepare(
        type(ds)(X, ds.y, ds.feature_names, task="classification"), standardize=False
    )
    assert make_problem(data, "logistic").X_single is None
    res = solve(data, "logistic", Penalty.l2(1e-3), tol=TOL)
    assert res.converged and res.rel_gap <= TOL


def test_no_single_precision_copy_of_a_large_x(monkeypatch):
    monkeypatch.setattr(problems, "SINGLE_MAX_BYTES", 1000)
    data = _classes(100, 5, seed=9)
    prob = make_problem(data, "logistic")
    assert prob.X_single is None
    res = solve(data, "logistic", Penalty.l2(1e-3), tol=TOL)
    assert res.converged and res.rel_gap <= TOL


def test_newton_l2_certifies_raw_columns_whose_intercept_moves_the_gradient():
    """Columns of large means on their raw scales tie the intercept to the weights:
    the best intercept of a nearly stationary point can leave the gradient of w
    above the certifying one; the Newton steps go on from the point, not from
    that intercept, until the gap is certified."""
    rng = np.random.default_rng(0)
    n, d = 400, 12
    X = rng.standard_normal((n, d))
    X[:, 1:] = 0.999 * X[:, :1] + 0.045 * X[:, 1:]
    X = X * np.geomspace(1, 3e3, d) + np.linspace(-100, 1000, d)
    z = X[:, :5] @ np.ones(5) / np.abs(X[:, :5]).mean()
    y = np.where(z + rng.logistic(size=n) > 0, 1.0, -1.0)
    ds = Dataset(X, y, tuple(f"x{j}" for j in range(d)), task="classification")
    data = prepare(ds, standardize=False)
    prob = make_problem(data, "logistic")
    pen = Penalty.l2(1e-2)
    tol_abs = 1e-8 * prob.null_objective()
    done = newton_l2(prob, pen, np.zeros(d), 0.0, tol_abs, 10**5, None)
    assert done is not None
    w, b, gap, _, _, converged, _ = done
    assert converged and gap <= tol_abs
    assert prob.check(w, b, pen)[0] <= tol_abs


@pytest.mark.parametrize("shape", [(150, 400), (600, 120)])
def test_l1_from_zero_with_many_violators_matches_liblinear(shape):
    """At 0.05 lam_max most features violate at w = 0: the working sets grow in
    rounds, the early ones solved only roughly; the end point is certified and
    matches liblinear's objective."""
    data = _classes(*shape, seed=10)
    prob = make_problem(data, "logistic")
    lam = 0.05 * lambda_max(data, "logistic")
    pen = Penalty.l1(lam)
    tol_abs = TOL * prob.null_objective()
    start = LogisticLoss.null_intercept(data.y)
    done = active_set_l1(prob, pen, np.zeros(data.n_features), start, tol_abs)
    assert done is not None
    w, b, gap, primal, _, converged, _ = done
    assert converged and gap <= tol_abs
    assert prob.check(w, b, pen)[0] <= tol_abs
    sk = liblinear_l1(data, lam, max_iter=10**6)
    assert primal <= sklearn_objective(data, pen, sk) + tol_abs
    assert 20 < np.count_nonzero(w) < data.n_features


def test_softplus_is_logaddexp_to_a_rounding():
    rng = np.random.default_rng(0)
    t = np.concatenate(
        [rng.standard_normal(10**5) * s for s in (1e-3, 1.0, 30.0, 1e3)]
        + [np.array([0.0, -0.0, 710.0, -745.0, 1e308, -1e308, np.inf, -np.inf])]
    )
    ref = np.logaddexp(0.0, t)
    np.testing.assert_allclose(softplus(t), ref, rtol=5e-16, atol=0)
    z = t[:-8]
    y = np.where(rng.random(z.size) > 0.5, 1.0, -1.0)
    loss = LogisticLoss.value(z, y)
    assert loss == pytest.approx(np.mean(np.logaddexp(0.0, -y * z)), rel=1e-15)
