"""The thresholding functions and coordinate descent for every penalty, including the
nonconvex SCAD, MCP and L0: checked against a brute-force minimization, the closed
form on an orthonormal design, and scikit-learn for the convex ones."""

import numpy as np
import pytest
from sklearn.linear_model import ElasticNet, Lasso

from engine.data import Dataset, prepare
from engine.datasets import load_dataset
from engine.nonconvex import coordinate_descent, objective
from engine.thresholds import (
    ALL_KINDS,
    check_gamma,
    penalty_value,
    threshold,
    zero_band,
)

KINDS_GAMMA = [
    ("l1", None),
    ("l2", None),
    ("elasticnet", None),
    ("scad", 3.7),
    ("scad", 2.5),
    ("mcp", 3.0),
    ("mcp", 1.5),
    ("l0", None),
]


@pytest.mark.parametrize("kind,gamma", KINDS_GAMMA)
@pytest.mark.parametrize("eta", [1.0, 0.5])
def test_each_threshold_is_the_minimizer_of_one_weights_update(kind, gamma, eta):
    lam1, lam2 = 0.8, 0.6
    u = np.linspace(-8, 8, 160_001)  # a grid of step 1e-4
    pen = penalty_value(kind, u, lam1, lam2, gamma=gamma)
    for z in np.linspace(-6, 6, 97):
        brute = u[np.argmin(0.5 * (u - z) ** 2 + eta * pen)]
        got = float(threshold(kind, z, lam1, lam2, eta=eta, gamma=gamma))
        assert abs(got - brute) <= 2e-4, (kind, z, got, brute)


def test_the_zero_band_is_where_the_update_gives_exactly_zero():
    lam1, eta = 0.7, 0.5
    for kind in ("l1", "elasticnet", "scad", "mcp", "l0"):
        t = zero_band(kind, lam1, eta=eta)
        inside = np.linspace(-t, t, 101)
        outside = np.array([-t - 1e-9, t + 1e-9, -3.0, 3.0])
        assert (threshold(kind, inside, lam1, 0.3, eta=eta) == 0.0).all()
        assert (threshold(kind, outside, lam1, 0.3, eta=eta) != 0.0).all()
    assert zero_band("l2", lam1) == 0.0
    assert threshold("l2", np.array([1e-12]), 0.0, 5.0)[0] != 0.0  # L2 only shrinks


def test_penalty_shapes_are_continuous_and_flat_beyond_gamma_lambda():
    lam, eps = 1.0, 1e-9
    for kind, gamma in [("scad", 3.7), ("mcp", 3.0)]:
        for knot in (lam, gamma * lam):
            left, right = penalty_value(
                kind, np.array([knot - eps, knot + eps]), lam, gamma=gamma
            )
            assert abs(left - right) < 1e-8
        far = penalty_value(kind, np.array([10.0, 100.0]), lam, gamma=gamma)
        assert far[0] == far[1]  # a large weight costs no more: no shrinkage


@pytest.mark.parametrize(
    "kind,gamma,message",
    [
        ("scad", 2.0, "SCAD needs γ > 2"),
        ("mcp", 1.0, "MCP needs γ > 1"),
        ("l1", 3.0, "γ goes with"),
    ],
)
def test_a_gamma_out_of_range_is_refused_in_one_sentence(kind, gamma, message):
    with pytest.raises(ValueError, match=message):
        check_gamma(kind, gamma)


def orthonormal_data(n=200, d=6, seed=0):
    """XᵀX/n = I on centred columns, so every penalty's solution is its threshold of
    Xᵀy/n."""
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((n, d))
    A -= A.mean(axis=0)
    Q, _ = np.linalg.qr(A)
    X = Q * np.sqrt(n)
    coef = np.array([5.0, -3.0, 1.2, 0.4, 0.0, 0.0])
    y = X @ coef + 0.5 * rng.standard_normal(n) + 2.0
    ds = Dataset(X, y, tuple(f"x{j}" for j in range(d)), target_name="y", name="ortho")
    return prepare(ds, standardize=False, validation=0.0)


@pytest.mark.parametrize("kind,gamma", KINDS_GAMMA)
def test_on_an_orthonormal_design_the_solution_is_the_threshold_of_xty(kind, gamma):
    data = orthonormal_data()
    m = data.moments
    assert np.allclose(m.gram_c, np.eye(6), atol=1e-12)
    lam1, lam2 = 0.9, 0.4
    res = coordinate_descent(data, kind, lam1, lam2, gamma=gamma)
    expected = threshold(kind, m.c, lam1, lam2, gamma=gamma)
    assert res.converged
    np.testing.assert_allclose(res.w, expected, rtol=0, atol=1e-12)
    assert ((res.w == 0.0) == (expected == 0.0)).all()  # the same exact zeros


def test_scad_and_mcp_leave_a_large_weight_unshrunk_where_l1_shrinks_it_by_lambda():
    data = orthonormal_data()
    c0 = data.moments.c[0]  # about 5: far beyond γλ
    lam = 0.9
    lasso = coordinate_descent(data, "l1", lam).w[0]
    assert lasso == pytest.approx(c0 - lam, abs=1e-12)
    for kind in ("scad", "mcp", "l0"):
        assert coordinate_descent(data, kind, lam).w[0] == pytest.approx(c0, abs=1e-12)


@pytest.mark.parametrize("kind", ["l1", "elasticnet"])
def test_coordinate_descent_agrees_with_scikit_learn_on_correlated_data(kind):
    data = prepare(load_dataset("correlated"), validation=0.0)
    lam1, lam2 = 0.3, (0.2 if kind == "elasticnet" else 0.0)
    res = coordinate_descent(data, kind, lam1, lam2, tol=1e-13)
    if kind == "l1":
        ref = Lasso(alpha=lam1, tol=1e-14, max_iter=100_000)
    else:
        ref = ElasticNet(
            alpha=lam1 + lam2,
            l1_ratio=lam1 / (lam1 + lam2),
            tol=1e-14,
            max_iter=100_000,
        )
    ref.fit(data.X, data.y)
    np.testing.assert_allclose(res.w, ref.coef_, atol=1e-9)
    assert res.b == pytest.approx(ref.intercept_, abs=1e-9)
    assert ((res.w == 0.0) == (ref.coef_ == 0.0)).all()


@pytest.mark.parametrize("kind,gamma", [("scad", 3.7), ("mcp", 3.0), ("l0", None)])
def test_a_nonconvex_solution_is_a_fixed_point_of_every_coordinates_update(kind, gamma):
    data = prepare(load_dataset("correlated"), validation=0.0)
    m = data.moments
    for w0 in (
        None,
        np.linalg.lstsq(data.X - m.x_mean, data.y - m.y_mean, rcond=None)[0],
    ):
        res = coordinate_descent(data, kind, 0.4, gamma=gamma, w0=w0)
        assert res.converged
        z = res.w + (m.c - m.gram_c @ res.w) / np.diag(m.gram_c)
        np.testing.assert_allclose(
            threshold(kind, z, 0.4, gamma=gamma, eta=1.0), res.w, atol=1e-8
        )
        assert res.objective == pytest.approx(
            objective(data, res.w, kind, 0.4, gamma=gamma)
        )


def test_every_kind_is_known():
    assert set(ALL_KINDS) == {"none", "l1", "l2", "elasticnet", "scad", "mcp", "l0"}
    with pytest.raises(ValueError, match="unknown penalty"):
        threshold("lq", np.zeros(2), 1.0)
