"""The regularization path: its grid, its weights (equal to scikit-learn's at the same
strengths), the model between grid points, and the path of a run's settings.

Conversions (DESIGN.md section 1): ``lasso_path(alphas=α)``; ``enet_path(alphas=α,
l1_ratio=ρ)``; ``Ridge(alpha=n·λ₂)``; ``LogisticRegression(C=1/(n·λ₁))``.
"""

import threading
import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression, Ridge, enet_path, lasso_path

from engine import Penalty, lambda_max, prepare, solve
from engine.datasets import load_dataset
from engine.path import (
    alpha_grid,
    current_alpha,
    path_for,
    regularization_path,
    rho_of,
    same_path,
    solution_at,
    strengths_at,
)
from engine.problems import make_problem
from engine.settings import DataSource, RunSettings, resolve

from .problems import classification, regression

TOL = 1e-13
REL = 1e-6

DATA = {
    "houses": lambda: load_dataset("houses"),
    "correlated": lambda: load_dataset("correlated"),
    "diabetes": lambda: load_dataset("diabetes"),
    "n>d": lambda: regression(120, 30),
    "d>n": lambda: regression(40, 100, k=4, seed=1),
}
#: Houses is 2000 x 1000: its grid stops at 5% of alpha_max to stay fast.
GRID = {"houses": (10, 0.05)}


def quiet(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return fn(*args, **kwargs)


def assert_same_weights(w, ref):
    ref = np.ravel(ref)
    scale = max(np.abs(ref).max(), 1e-12)
    assert np.abs(w - ref).max() <= REL * scale, np.abs(w - ref).max() / scale
    np.testing.assert_array_equal(w == 0.0, ref == 0.0)


def centred(data):
    return data.X - data.X.mean(axis=0), data.y - data.y.mean()


# -- the grid ----------------------------------------------------------------------
@pytest.mark.parametrize("kind, rho", [("l1", 1.0), ("elasticnet", 0.3)])
@pytest.mark.parametrize("loss", ["squared", "logistic"])
def test_the_first_strength_zeroes_every_weight_and_the_second_does_not(
    kind, rho, loss
):
    ds = load_dataset("correlated") if loss == "squared" else classification(150, 10)
    data = prepare(ds, validation=0)
    path = regularization_path(data, loss, kind, rho=rho, n_alphas=20, tol=1e-10)
    assert path.alphas[0] == lambda_max(data, loss, rho)
    assert rho * path.alphas[0] >= make_problem(data, loss).lam1_max()
    assert (path.coefs[0] == 0.0).all()
    assert (path.coefs[1] != 0.0).any()


def test_the_grid_is_geometric_from_alpha_max_to_its_ratio():
    data = prepare(load_dataset("diabetes"), validation=0)
    grid = alpha_grid(data, "squared", "l1", n_alphas=7, alpha_min_ratio=1e-2)
    assert grid.size == 7 and grid[0] == lambda_max(data, "squared")
    assert grid[-1] == pytest.approx(1e-2 * grid[0], rel=1e-14)
    np.testing.assert_allclose(grid[1:] / grid[:-1], 10 ** (-2 / 6), rtol=1e-12)
    # a pure L2 penalty never zeroes a weight: its grid starts at 10 L_D
    l2 = alpha_grid(data, "squared", "l2", n_alphas=5)
    assert l2[0] == pytest.approx(10 * data.curvature, rel=1e-14)
    # Elastic Net with no L1 share is ridge, on the same grid
    np.testing.assert_array_equal(
        alpha_grid(data, "squared", "elasticnet", rho=0.0, n_alphas=5), l2
    )


def test_bad_grids_and_kinds_are_refused():
    data = prepare(regression(40, 5), validation=0)
    with pytest.raises(ValueError, match="at least 2"):
        alpha_grid(data, "squared", "l1", n_alphas=1)
    with pytest.raises(ValueError, match=r"\(0, 1\)"):
        alpha_grid(data, "squared", "l1", alpha_min_ratio=1.0)
    with pytest.raises(ValueError, match="needs a penalty"):
        regularization_path(data, "squared", "none")
    with pytest.raises(ValueError, match="rho"):
        regularization_path(data, "squared", "elasticnet", rho=1.5)


# -- the weights equal scikit-learn's ---------------------------------------------
@pytest.mark.parametrize("name", DATA)
def test_lasso_path_equals_sklearn_lasso_path(name):
    data = prepare(DATA[name](), validation=0)
    n_alphas, ratio = GRID.get(name, (30, 1e-2))
    path = regularization_path(
        data, "squared", "l1", n_alphas=n_alphas, alpha_min_ratio=ratio, tol=TOL
    )
    X, y = centred(data)
    alphas, coefs, _ = quiet(
        lasso_path, X, y, alphas=path.alphas, tol=1e-15, max_iter=10**6
    )
    np.testing.assert_array_equal(alphas, path.alphas)
    for k in range(len(alphas)):
        assert_same_weights(path.coefs[k], coefs[:, k])
    assert path.n_nonzero[0] == 0 and path.n_nonzero[1] > 0


@pytest.mark.parametrize("rho", [0.3, 0.8])
@pytest.mark.parametrize("name", ["correlated", "diabetes", "d>n"])
def test_elastic_net_path_equals_sklearn_enet_path(name, rho):
    data = prepare(DATA[name](), validation=0)
    path = regularization_path(
        data,
        "squared",
        "elasticnet",
        rho=rho,
        n_alphas=25,
        alpha_min_ratio=1e-2,
        tol=TOL,
    )
    X, y = centred(data)
    _, coefs, _ = quiet(
        enet_path, X, y, l1_ratio=rho, alphas=path.alphas, tol=1e-15, max_iter=10**6
    )
    for k in range(len(path.alphas)):
        assert_same_weights(path.coefs[k], coefs[:, k])
        assert path.penalties[k].lam1 == rho * path.alphas[k]
    assert path.n_nonzero[0] == 0 and path.n_nonzero[1] > 0


@pytest.mark.parametrize("name", ["correlated", "diabetes", "d>n"])
def test_ridge_path_equals_sklearn_ridge(name):
    data = prepare(DATA[name](), validation=0)
    path = regularization_path(data, "squared", "l2", n_alphas=6, tol=TOL)
    for alpha, w, b in zip(path.alphas, path.coefs, path.intercepts, strict=True):
        sk = Ridge(alpha=data.n_samples * alpha, solver="svd").fit(data.X, data.y)
        assert_same_weights(w, sk.coef_)
        assert b == pytest.approx(sk.intercept_, rel=REL)
    assert (path.n_nonzero == data.n_features).all()  # shrinkage, no zeros


def test_logistic_l1_path_equals_sklearn_at_each_strength():
    # saga leaves the intercept unpenalized (liblinear would penalize it)
    data = prepare(classification(150, 10, seed=6), validation=0)
    path = regularization_path(
        data, "logistic", "l1", n_alphas=12, alpha_min_ratio=0.05, tol=1e-12
    )
    assert path.n_nonzero[0] == 0 and path.n_nonzero[-1] > 3
    for k in (1, 3, 8, 11):
        lam = path.alphas[k]
        sk = quiet(
            LogisticRegression(
                C=1 / (150 * lam),
                l1_ratio=1.0,
                solver="saga",
                tol=1e-13,
                max_iter=10**6,
            ).fit,
            data.X,
            data.y,
        )
        assert_same_weights(path.coefs[k], sk.coef_)
        assert path.intercepts[k] == pytest.approx(sk.intercept_[0], abs=1e-6)


@pytest.mark.parametrize("kind", ["l2", "elasticnet"])
@pytest.mark.parametrize("loss", ["squared", "logistic"])
def test_paths_for_every_penalty_agree_with_single_solves(kind, loss):
    ds = regression(70, 8, seed=2) if loss == "squared" else classification(120, 8)
    data = prepare(ds)
    path = regularization_path(
        data, loss, kind, rho=0.5, n_alphas=8, alpha_min_ratio=1e-2, tol=TOL
    )
    for pen, w, gap in zip(path.penalties, path.coefs, path.gaps, strict=True):
        ref = solve(data, loss, pen, tol=TOL)
        # F is lam2-strongly convex in w: a gap g puts w within sqrt(2 g / lam2) of
        # the minimizer, what two certified points can differ by at most
        bound = np.sqrt(2 * gap / pen.lam2) + np.sqrt(2 * ref.gap / pen.lam2)
        atol = max(1e-7 * max(np.abs(ref.w).max(), 1), bound)
        np.testing.assert_allclose(w, ref.w, atol=atol)
    if kind == "l2":
        assert (path.n_nonzero == 8).all()
    # stronger penalties give smaller weights
    assert np.abs(path.coefs[0]).sum() < np.abs(path.coefs[-1]).sum()


def test_a_path_grid_may_end_at_zero_strength():
    rng = np.random.default_rng(11)
    X = rng.standard_normal((120, 4))
    t = X @ np.array([1.0, -2.0, 0.5, 0.0]) + 2.0 * rng.standard_normal(120)
    from engine import Dataset

    ds = Dataset(X, np.where(t > 0, 1.0, -1.0), tuple("abcd"), task="classification")
    data = prepare(ds)
    path = regularization_path(data, "logistic", "l1", alphas=[0.05, 0.01, 0.0])
    ref = solve(data, "logistic", Penalty.none())
    np.testing.assert_allclose(path.coefs[-1], ref.w, rtol=1e-6)
    assert path.gaps[-1] <= 1e-8 * make_problem(data, "logistic").null_objective()


# -- running it ----------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["l1", "l2", "elasticnet"])
@pytest.mark.parametrize("loss", ["squared", "logistic"])
def test_path_elapsed_is_the_time_in_seconds(kind, loss):
    ds = regression(60, 6, seed=3) if loss == "squared" else classification(100, 6)
    path = regularization_path(prepare(ds), loss, kind, n_alphas=5)
    assert type(path.elapsed) is float and path.elapsed >= 0


def test_progress_counts_the_strengths_and_cancel_keeps_the_points_done():
    data = prepare(regression(80, 200, k=5, seed=3))
    seen = []
    regularization_path(
        data, "squared", "l1", n_alphas=10, progress=lambda f, m: seen.append((f, m))
    )
    assert seen[3] == (0.4, "4 of 10 strengths") and seen[-1][0] == 1.0
    calls = []

    def cancel_after_three():
        calls.append(1)
        return len(calls) > 3

    path = regularization_path(
        data, "squared", "l1", n_alphas=50, cancel=cancel_after_three
    )
    assert path.cancelled and 0 < path.n_computed < 50
    assert path.coefs.shape == (path.n_computed, 200)
    assert path.intercepts.shape == (path.n_computed,)
    stop = threading.Event()
    stop.set()
    path = regularization_path(data, "squared", "l1", n_alphas=5, cancel=stop)
    assert path.cancelled and path.n_computed == 0 and path.coefs.shape == (0, 200)


# -- the model at any strength -----------------------------------------------------
@pytest.mark.parametrize("loss", ["squared", "logistic"])
def test_solution_at_a_grid_point_is_the_stored_solution(loss):
    ds = load_dataset("correlated") if loss == "squared" else classification(150, 10)
    data = prepare(ds)
    path = regularization_path(data, loss, "elasticnet", rho=0.6, n_alphas=10)
    k = 4
    w, b, info = solution_at(path, path.alphas[k] * (1 + 1e-13), data, loss, tol=1e-8)
    np.testing.assert_array_equal(w, path.coefs[k])
    assert b == path.intercepts[k]
    assert info["on_grid"] and info["index"] == k and info["converged"]
    w[:] = 7.0  # a copy: the path is not changed through it
    assert (path.coefs[k] != 7.0).any()


@pytest.mark.parametrize("kind", ["l1", "l2", "elasticnet"])
@pytest.mark.parametrize("loss", ["squared", "logistic"])
def test_solution_between_grid_points_is_an_exact_solve(kind, loss):
    ds = load_dataset("correlated") if loss == "squared" else classification(150, 10)
    data = prepare(ds)
    path = regularization_path(data, loss, kind, rho=0.6, n_alphas=10, tol=TOL)
    alpha = np.sqrt(path.alphas[5] * path.alphas[6])
    w, b, info = solution_at(path, alpha, data, loss, tol=TOL)
    assert not info["on_grid"] and info["index"] == 5  # the next larger strength
    assert info["converged"] and info["rel_gap"] <= TOL
    ref = solve(data, loss, path.penalty_at(alpha), tol=TOL)
    assert_same_weights(w, ref.w)
    assert info["penalty"] == path.penalty_at(alpha)
    # beyond the first strength: a cold start, and every L1 weight is 0
    w, _, info = solution_at(path, 2 * path.alphas[0], data, loss, tol=1e-8)
    assert info["index"] is None
    if kind != "l2":
        assert (w == 0.0).all()


# -- the path of a run's settings --------------------------------------------------
def settings_for(penalty, **changes):
    s = RunSettings(
        source=DataSource.bundled("correlated"), validation=0.0, penalty=penalty
    )
    data = prepare(load_dataset("correlated"), validation=0.0)
    return resolve(s.replace(**changes), data), data


@pytest.mark.parametrize("penalty", ["l1", "l2", "elasticnet"])
def test_path_for_uses_the_settings_penalty_grid_and_tolerance(penalty):
    s, data = settings_for(penalty, lam1=0.3, lam2=0.1, tol=1e-10)
    s = s.replace(path=s.path.replace(n_alphas=7, alpha_min_ratio=0.01))
    path = path_for(s, data)
    rho = {"l1": 1.0, "l2": 0.0, "elasticnet": 0.75}[penalty]
    assert path.kind == penalty and path.rho == pytest.approx(rho, rel=1e-15)
    ref = regularization_path(
        data,
        "squared",
        penalty,
        rho=rho_of(s),
        n_alphas=7,
        alpha_min_ratio=0.01,
        tol=1e-10,
    )
    np.testing.assert_array_equal(path.alphas, ref.alphas)
    np.testing.assert_array_equal(path.coefs, ref.coefs)


def test_path_for_refuses_no_penalty_with_a_sentence():
    s, data = settings_for("none")
    with pytest.raises(ValueError, match="needs a penalty.*'none'"):
        path_for(s, data)
    with pytest.raises(ValueError, match="needs a penalty"):
        current_alpha(s)


@pytest.mark.parametrize("penalty", ["l1", "l2", "elasticnet"])
def test_a_strength_on_the_path_keeps_the_share_and_the_path(penalty):
    s, data = settings_for(penalty, lam1=0.3, lam2=0.1)
    assert current_alpha(s) == {"l1": 0.3, "l2": 0.1, "elasticnet": 0.4}[penalty]
    for alpha in np.geomspace(5.0, 1e-4, 37):
        changes = strengths_at(s, alpha)
        moved = s.replace(**changes)
        assert current_alpha(moved) == pytest.approx(alpha, rel=1e-15)
        assert rho_of(moved) == pytest.approx(rho_of(s), rel=1e-14)
        assert same_path(s, moved)
        if penalty == "l1":
            assert changes == {"lam1": alpha} and moved.lam2 == s.lam2
        if penalty == "l2":
            assert changes == {"lam2": alpha} and moved.lam1 == s.lam1
    # a new share is a new Elastic Net path; L1 and L2 paths have no share
    assert same_path(s, s.replace(lam1=0.2)) == (penalty != "elasticnet")
    assert not same_path(s, s.replace(loss="squared", standardize=False))
    assert not same_path(s, s.replace(path=s.path.replace(n_alphas=50)))
    assert same_path(s, s.replace(path=s.path.replace(folds=3)))
