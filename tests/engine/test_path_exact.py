"""The exact path solvers: the kept inverse, the squared-loss active set and the
logistic Newton active set. Every point is certified by its duality gap, equals an
independent solve, keeps its zeros exactly 0.0, and is computed by the active set
itself unless its system is singular (then the general solver takes over)."""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression, Ridge, enet_path, lasso_path

from engine import Penalty, prepare, solve
from engine.datasets import load_dataset
from engine.path import grid, regularization_path
from engine.path.active_set import GramActiveSet
from engine.problems import make_problem

from .problems import classification, regression

TOL = 1e-13


def quiet(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return fn(*args, **kwargs)


@pytest.fixture
def no_fallback(monkeypatch):
    """Fail the test if the general working-set solver is asked for a point."""

    def refuse(*args, **kwargs):
        raise AssertionError("the general solver was asked for a path point")

    monkeypatch.setattr(grid, "solve_problem", refuse)


def assert_certified(data, loss, path, tol):
    f_null = make_problem(data, loss).null_objective()
    assert (path.gaps <= tol * f_null).all(), path.gaps.max() / f_null


def active_on_random_gram(seed: int, first: int, lam2: float):
    """``(rng, G, act)``: an active set over a random positive definite ``G`` (150
    features), the first ``first`` features joined and the inverse built."""
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((400, 150))
    data = prepare(regression(400, 150, seed=seed), standardize=False)
    G = A.T @ A / 400
    act = GramActiveSet(make_problem(data, "squared"))
    act.G = G  # any symmetric positive definite matrix will do
    act.reset(np.zeros(150))
    assert act._join(np.arange(first), np.ones(first))
    assert act._rebuild(lam2)
    return rng, G, act


def assert_solves_on_the_free_features(rng, G, act, lam2, rtol, atol):
    """The kept inverse applied to a random vector: ``(G_FF + lam2 I)^-1 v_F`` on
    the free positions F, exactly 0 on the pinned."""
    k = act.k
    K, free = act.K[:k], ~act.pinned[:k]
    v = rng.standard_normal(k)
    got = act._apply(v)
    F = K[free]
    want = np.linalg.solve(G[np.ix_(F, F)] + lam2 * np.eye(F.size), v[free])
    np.testing.assert_allclose(got[free], want, rtol=rtol, atol=atol)
    assert (got[~free] == 0.0).all()


# -- the kept inverse ------------------------------------------------------------
def test_the_kept_inverse_solves_on_the_free_features_after_joins_pins_and_merges():
    lam2 = 0.01
    rng, G, act = active_on_random_gram(3, 10, lam2)
    order = rng.permutation(np.arange(10, 150))
    for start in range(0, 140, 7):  # joins on the border, merged every BORDER_MAX
        J = order[start : start + 7]
        assert act._join(J, np.ones(J.size))
        pin = np.zeros(act.k, dtype=bool)
        pin[rng.choice(act.k, 2, replace=False)] = True
        act._pin(pin & ~act.pinned[: act.k])  # pinned features: some compacted
        assert_solves_on_the_free_features(rng, G, act, lam2, 1e-9, 1e-12)


def test_one_feature_joins_the_inverse_itself_between_borders_pins_and_merges():
    # single joins go into M0 at once (a rank-one update); several at once, onto
    # the border; the solves on the free features stay exact through all of it
    rng, G, act = active_on_random_gram(4, 5, 0.0)
    order = rng.permutation(np.arange(5, 150))
    at, step = 0, 0
    while at < order.size:
        m = 3 if step % 10 == 9 else 1
        J = order[at : at + m]
        at, step = at + J.size, step + 1
        if J.size == 1:
            assert act._join_one(int(J[0]), 1.0)
        else:
            assert act._join(J, np.ones(J.size))
            if step % 20 == 0:
                act._merge()  # single joins go into M0 again
        if step % 7 == 0:
            pin = np.zeros(act.k, dtype=bool)
            pin[rng.choice(act.k, 2, replace=False)] = True
            act._pin(pin & ~act.pinned[: act.k])
        assert_solves_on_the_free_features(rng, G, act, 0.0, 1e-8, 1e-11)
        k = act.k
        np.testing.assert_array_equal(act.where[act.K[:k]], np.arange(k))


def test_a_certificate_from_the_largest_gradient_is_the_same_number():
    data = prepare(regression(150, 40, seed=2))
    prob = make_problem(data, "squared")
    rng = np.random.default_rng(2)
    lam = 0.3 * prob.lam1_max()
    for lam2 in (0.0, 0.1):
        pen = Penalty.elastic_net(lam, lam2) if lam2 else Penalty.l1(lam)
        w = np.where(rng.random(40) < 0.2, rng.standard_normal(40), 0.0)
        g = prob.kernel.centered_product(w) - prob.c
        quad, lin = float(w @ (g + prob.c)), float(w @ prob.c)
        gmax = float(np.abs(g).max())
        assert prob.gap_and_primal(w, g, quad, lin, pen, gmax) == (
            prob.gap_and_primal(w, g, quad, lin, pen)
        )


# -- squared loss ------------------------------------------------------------------
def path_and_lasso_path(make):
    """``(data, path, coefs)``: the app's 60-λ Lasso path of ``make()`` and
    scikit-learn's ``lasso_path`` on the same centred rows and grid (``coefs`` one
    row per λ), checked to agree within 1e-6 of the largest weight."""
    data = prepare(make(), validation=0)
    path = regularization_path(
        data, "squared", "l1", n_alphas=60, alpha_min_ratio=1e-3, tol=TOL
    )
    X, y = data.X - data.X.mean(axis=0), data.y - data.y.mean()
    _, coefs, _ = quiet(lasso_path, X, y, alphas=path.alphas, tol=1e-13, max_iter=10**6)
    assert np.abs(path.coefs - coefs.T).max() <= 1e-6 * np.abs(coefs).max()
    return data, path, coefs.T


@pytest.mark.parametrize(
    "make",
    [
        lambda: regression(150, 60, k=12, rho=0.7, seed=5),  # many sign changes
        lambda: load_dataset("diabetes"),
        lambda: load_dataset("correlated"),
    ],
)
def test_the_lasso_path_is_lasso_path_and_the_active_set_computes_it(make, no_fallback):
    data, path, coefs = path_and_lasso_path(make)
    # (at alpha_max scikit-learn's coordinate descent may leave a 1e-16 behind)
    assert (path.coefs[0] == 0.0).all()
    np.testing.assert_array_equal(path.coefs[1:] == 0.0, coefs[1:] == 0.0)
    assert_certified(data, "squared", path, TOL)


@pytest.mark.parametrize(
    "make",
    [
        lambda: regression(150, 60, k=12, rho=0.7, seed=5),  # many sign changes
        lambda: load_dataset("correlated"),
    ],
)
def test_a_walk_down_the_lasso_path_is_lasso_path(make, no_fallback, monkeypatch):
    # the stability lab's walk (one change of the support at a time), on the path
    calls = {"walk": 0, "loop": 0}
    walk, loop = GramActiveSet._walk, GramActiveSet._loop

    def counted(name, fn):
        def call(self, *args):
            calls[name] += 1
            return fn(self, *args)

        return call

    monkeypatch.setattr(GramActiveSet, "walk", True)
    monkeypatch.setattr(GramActiveSet, "_walk", counted("walk", walk))
    monkeypatch.setattr(GramActiveSet, "_loop", counted("loop", loop))
    data, path, coefs = path_and_lasso_path(make)
    np.testing.assert_array_equal(path.coefs[1:] == 0.0, coefs[1:] == 0.0)
    assert_certified(data, "squared", path, TOL)
    assert calls["walk"] >= 50 and calls["loop"] <= 10  # the walk did the work


def test_the_elastic_net_path_refines_against_its_changing_ridge_part(no_fallback):
    data = prepare(regression(250, 90, k=12, rho=0.5, seed=8), validation=0)
    path = regularization_path(
        data, "squared", "elasticnet", rho=0.3, alpha_min_ratio=1e-3, tol=TOL
    )
    X, y = data.X - data.X.mean(axis=0), data.y - data.y.mean()
    _, coefs, _ = quiet(
        enet_path, X, y, l1_ratio=0.3, alphas=path.alphas, tol=1e-13, max_iter=10**6
    )
    assert np.abs(path.coefs - coefs.T).max() <= 1e-6 * np.abs(coefs).max()
    np.testing.assert_array_equal(path.coefs[1:] == 0.0, coefs.T[1:] == 0.0)


def test_a_singular_support_goes_to_the_general_solver_and_stays_certified():
    # d <= 2n: the Gram matrix is used, but near alpha_min the support reaches n,
    # where G_AA is singular
    data = prepare(regression(60, 100, k=8, seed=2), validation=0)
    path = regularization_path(data, "squared", "l1", alpha_min_ratio=1e-4, tol=1e-10)
    assert path.n_nonzero.max() >= 55
    assert_certified(data, "squared", path, 1e-10)
    for i in (10, 60, 99):
        ref = solve(data, "squared", path.penalties[i], tol=1e-12)
        assert path.objectives[i] == pytest.approx(ref.objective, rel=1e-9)


def test_houses_path_weights_are_exact_zeros_or_solve_their_sign_pattern():
    data = prepare(load_dataset("houses"), validation=0.2)
    path = regularization_path(data, "squared", "l1", tol=1e-8)
    assert_certified(data, "squared", path, 1e-8)
    G, c = data.moments.gram_c, data.moments.c
    for i in (20, 60, 99):
        w, lam = path.coefs[i], path.alphas[i]
        A = np.flatnonzero(w)
        exact = np.linalg.solve(G[np.ix_(A, A)], c[A] - lam * np.sign(w[A]))
        np.testing.assert_allclose(w[A], exact, rtol=1e-9, atol=1e-12)
        assert np.abs(G[np.ix_(A, A)] @ w[A] - c[A])[0] <= lam * (1 + 1e-9)


def test_a_long_ridge_path_comes_from_one_eigendecomposition(no_fallback):
    data = prepare(load_dataset("correlated"), validation=0)
    path = regularization_path(data, "squared", "l2", n_alphas=40, tol=TOL)
    assert path.alphas.size >= grid.RIDGE_EIGEN_MIN
    assert_certified(data, "squared", path, TOL)
    for i in (0, 17, 39):
        alpha = path.alphas[i]
        sk = Ridge(alpha=data.n_samples * alpha, solver="svd").fit(data.X, data.y)
        np.testing.assert_allclose(path.coefs[i], sk.coef_, rtol=1e-9, atol=1e-12)
        assert path.intercepts[i] == pytest.approx(sk.intercept_, rel=1e-9)


# -- logistic loss ------------------------------------------------------------------
@pytest.mark.parametrize("kind, rho", [("l1", 1.0), ("elasticnet", 0.6)])
def test_the_logistic_path_equals_single_solves_and_newton_computes_it(
    kind, rho, no_fallback
):
    data = prepare(classification(400, 40, k=8, seed=6), validation=0)
    path = regularization_path(
        data, "logistic", kind, rho=rho, n_alphas=40, alpha_min_ratio=1e-3, tol=TOL
    )
    assert_certified(data, "logistic", path, TOL)
    assert path.n_nonzero[-1] > 30
    for i in (5, 20, 39):
        ref = solve(data, "logistic", path.penalties[i], tol=TOL)
        scale = np.abs(ref.w).max()
        assert np.abs(path.coefs[i] - ref.w).max() <= 1e-6 * scale
        np.testing.assert_array_equal(path.coefs[i] == 0.0, ref.w == 0.0)
        assert path.intercepts[i] == pytest.approx(ref.b, abs=1e-6)


def test_the_logistic_l1_path_is_logistic_regressions_at_each_strength(no_fallback):
    data = prepare(classification(200, 15, k=5, seed=1), validation=0)
    path = regularization_path(data, "logistic", "l1", n_alphas=15, tol=TOL)
    for i in (3, 9, 14):
        sk = quiet(
            LogisticRegression(
                C=1 / (200 * path.alphas[i]),
                l1_ratio=1.0,
                solver="saga",
                tol=1e-13,
                max_iter=10**6,
            ).fit,
            data.X,
            data.y,
        )
        coef = sk.coef_.ravel()
        assert np.abs(path.coefs[i] - coef).max() <= 1e-6 * np.abs(coef).max()
        np.testing.assert_array_equal(path.coefs[i] == 0.0, coef == 0.0)


def test_a_logistic_path_with_more_features_than_rows_is_certified():
    data = prepare(classification(60, 150, k=5, seed=4), validation=0)
    path = regularization_path(data, "logistic", "l1", n_alphas=30, tol=1e-10)
    assert_certified(data, "logistic", path, 1e-10)
    assert path.n_nonzero[-1] <= 60
