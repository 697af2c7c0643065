"""The Gram kernel shared by the trainer and the solvers (no Qt)."""

import numpy as np
import pytest
from sklearn.linear_model import LinearRegression

from engine import Penalty, Trainer, lambda_max, prepare
from engine.gram import GramKernel, SupportProduct

from .problems import regression


def loss_from_X(data, w, b):
    r = data.y - data.X @ w - b
    return 0.5 * float(r @ r) / data.n_samples


@pytest.fixture
def raw():
    """Unstandardized columns with large means: G and the centered G_c differ."""
    return prepare(regression(60, 8, scales=True), standardize=False)


def test_loss_and_gradient_with_a_free_intercept_match_the_formulas_on_X(raw):
    kernel = GramKernel(raw)
    rng = np.random.default_rng(1)
    w, b = rng.standard_normal(8), 3.7
    Gw = kernel.gram_product(w)
    np.testing.assert_allclose(kernel.loss(w, b, Gw), loss_from_X(raw, w, b), rtol=1e-9)
    r = raw.y - raw.X @ w - b
    g_w, g_b = kernel.gradient(w, b, Gw)
    np.testing.assert_allclose(g_w, -raw.X.T @ r / 60, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(g_b, -r.sum() / 60, atol=1e-9)


@pytest.mark.parametrize("shape", [(60, 8), (20, 70)])  # with and without a Gram matrix
def test_profile_loss_is_the_loss_at_the_best_intercept(shape):
    data = prepare(regression(*shape, scales=True), standardize=False)
    kernel = GramKernel(data)
    assert kernel.has_gram == (shape[1] < shape[0])
    w = np.random.default_rng(2).standard_normal(shape[1]) * 0.1
    w[::3] = 0.0
    Gcw = kernel.centered_product(w)
    value = kernel.profile_loss(float(w @ Gcw), float(w @ kernel.c))
    b = kernel.best_intercept(w)
    np.testing.assert_allclose(value, loss_from_X(data, w, b), rtol=1e-9)
    # and no other intercept does better
    assert value <= loss_from_X(data, w, b + 1e-3)
    assert value <= loss_from_X(data, w, b - 1e-3)


@pytest.mark.parametrize("shape", [(60, 8), (20, 70)])
def test_suboptimality_is_exactly_the_distance_to_the_least_squares_objective(shape):
    data = prepare(regression(*shape, scales=True), standardize=False)
    kernel = GramKernel(data)
    sk = LinearRegression().fit(data.X, data.y)
    best = loss_from_X(data, sk.coef_, sk.intercept_)
    w = sk.coef_ + np.random.default_rng(3).standard_normal(shape[1]) * 0.01
    excess = loss_from_X(data, w, kernel.best_intercept(w)) - best
    assert excess > 0
    np.testing.assert_allclose(kernel.suboptimality(w), excess, rtol=1e-6)
    assert kernel.suboptimality(sk.coef_) <= 1e-12 * kernel.yy


def test_ridge_solution_solves_the_normal_equations(raw):
    kernel = GramKernel(raw)
    w = kernel.ridge_solution(0.3)
    Gc = raw.moments.gram_c
    np.testing.assert_allclose(Gc @ w + 0.3 * w, kernel.c, atol=1e-10)


def test_support_product_is_bit_for_bit_the_plain_product_and_copies_once_per_support():
    rng = np.random.default_rng(4)
    A = rng.standard_normal((40, 40))
    G = A @ A.T
    prod = SupportProduct(G, symmetric=True, sparse_divisor=4)
    w = np.zeros(40)
    supports = [[], [3], [3, 7], [3, 7], [3, 7], [7], list(range(20)), [7]]
    for k, S in enumerate(supports):
        w[:] = 0.0
        w[S] = rng.standard_normal(len(S))
        S_ = np.flatnonzero(w)
        expected = w[S_] @ G[S_] if S_.size < 10 else G @ w
        np.testing.assert_array_equal(prod(w), expected)
        assert prod(w).tobytes() == expected.tobytes(), k
    # [], [3], [3, 7] (three times: one copy), [7], (dense: none), [7] again: no copy
    assert prod.row_copies == 4


def test_non_symmetric_product_is_w_times_M():
    rng = np.random.default_rng(5)
    M = rng.standard_normal((30, 12))
    prod = SupportProduct(M, symmetric=False, sparse_divisor=4)
    w = np.zeros(30)
    w[[2, 9]] = [1.5, -0.5]
    np.testing.assert_array_equal(prod(w), w[[2, 9]] @ M[[2, 9]])
    w = rng.standard_normal(30)
    np.testing.assert_array_equal(prod(w), w @ M)


def test_l1_training_copies_the_support_rows_only_when_the_support_changes():
    data = prepare(regression(200, 60, seed=6))
    lam = 0.3 * lambda_max(data, "squared")
    tr = Trainer(data, penalty=Penalty.l1(lam), init="zeros")
    supports = [()]
    for _ in range(300):
        tr.step()
        S = tuple(np.flatnonzero(tr.w))
        assert len(S) < 60 // 4  # every product reads only the support rows
        if S != supports[-1]:
            supports.append(S)
    assert len(supports) > 2
    assert tr._loss.gram._G.row_copies == len(supports)


def test_column_kernel_products_match_the_whole_gram_matrix(raw):
    from engine.gram_columns import ColumnGramKernel

    cols = ColumnGramKernel(raw)
    full = GramKernel(raw)
    rng = np.random.default_rng(3)
    w = np.zeros(8)
    w[[1, 5]] = rng.standard_normal(2)
    np.testing.assert_allclose(
        cols.centered_product(w), full.centered_product(w), rtol=1e-12, atol=1e-12
    )
    S = np.array([0, 2, 5])
    for a, b in zip(cols.restricted(S), full.restricted(S), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(cols.c, full.c)
    assert cols.yy == full.yy


@pytest.mark.parametrize("standardize", [False, True])
def test_columns_planned_with_the_moments_are_the_moments_and_the_columns(standardize):
    # the stability lab's plan: the first columns and the moments in one product,
    # Moments' test of centred columns decided from a bound on |X|
    from engine.gram_columns import ColumnGramKernel, ColumnPlan
    from engine.workspace import Workspace

    data = prepare(regression(60, 8, scales=True), standardize=standardize)
    full = GramKernel(data)
    first = np.array([1, 4, 6])
    bound = float(np.abs(data.X).max())
    for plan in (
        ColumnPlan(Workspace(), first, bound),
        ColumnPlan(None, np.arange(0), None),
    ):
        cols = ColumnGramKernel(data, plan=plan)
        np.testing.assert_allclose(cols.x_mean, full.x_mean, rtol=1e-13, atol=1e-15)
        np.testing.assert_allclose(cols.c, full.c, rtol=1e-12, atol=1e-13)
        assert cols.yy == full.yy and cols.y_mean == full.y_mean
        assert cols.columns_formed == plan.first.size
        S = np.array([0, 1, 4, 7])
        np.testing.assert_allclose(
            cols.rows(S), full.m.gram_c[S], rtol=1e-11, atol=1e-11
        )
        assert cols._cols.centered == (full.m.gram_c is full.m.gram)


def test_a_cold_lasso_solve_forms_only_the_columns_it_needs():
    from engine import solve
    from engine.gram import moments_formed
    from engine.problems import make_problem
    from engine.solvers import solve_problem

    ds = regression(400, 120, k=5, seed=4)
    lam = 0.2 * lambda_max(prepare(ds), "squared")
    cold_data = prepare(ds)
    prob = make_problem(cold_data, "squared", columns=True)
    w, *_ = solve_problem(
        prob, Penalty.l1(lam), np.zeros(120), 0.0, 1e-10 * prob.null_objective(),
        10**5, None, None,
    )  # fmt: skip
    assert not moments_formed(cold_data)
    assert 0 < prob.kernel.columns_formed < 120
    warm_data = prepare(ds)
    assert warm_data.moments.gram is not None  # formed, as the trainer forms it
    warm = solve(warm_data, "squared", Penalty.l1(lam), tol=1e-10)
    cold = solve(prepare(ds), "squared", Penalty.l1(lam), tol=1e-10)
    assert cold.converged and cold.rel_gap <= 1e-10
    np.testing.assert_allclose(cold.w, warm.w, atol=1e-10)
    np.testing.assert_array_equal(cold.w == 0, warm.w == 0)
