"""Converged weights equal scikit-learn's to 1e-6 relative, with identical zero sets.

Conversions (DESIGN.md section 1): Lasso(alpha=lam1); ElasticNet(alpha=lam1+lam2,
l1_ratio=lam1/(lam1+lam2)); Ridge(alpha=n*lam2); LogisticRegression(C=1/(n*lam)).
The paths are compared with scikit-learn's in test_path.py.
"""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import (
    ElasticNet,
    Lasso,
    LogisticRegression,
    Ridge,
)

from engine import Penalty, lambda_max, prepare, solve
from engine.datasets import load_dataset

from .problems import classification, regression

TOL = 1e-13
REL = 1e-6

REGRESSION = {
    "n>d": lambda: regression(120, 30),
    "d>n": lambda: regression(40, 100, k=4, seed=1),
    "correlated": lambda: regression(100, 20, rho=0.9, seed=2),
    "raw-scales": lambda: regression(150, 15, scales=True, seed=3),
    "diabetes": lambda: load_dataset("diabetes"),
}


def assert_same_weights(w, ref, b=None, ref_b=None):
    ref = np.ravel(ref)
    scale = max(np.abs(ref).max(), 1e-12)
    assert np.abs(w - ref).max() <= REL * scale, np.abs(w - ref).max() / scale
    np.testing.assert_array_equal(w == 0.0, ref == 0.0)
    if b is not None:
        assert abs(b - ref_b) <= REL * max(1.0, abs(ref_b))


def fit(est, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", FutureWarning)
        return est.fit(X, y)


@pytest.mark.parametrize("standardize", [True, False])
@pytest.mark.parametrize("name", REGRESSION)
@pytest.mark.parametrize("frac", [0.5, 0.1, 0.02])
def test_lasso(name, standardize, frac):
    data = prepare(REGRESSION[name](), standardize=standardize)
    lam = frac * lambda_max(data, "squared")
    res = solve(data, "squared", Penalty.l1(lam), tol=TOL)
    assert res.converged
    sk = fit(Lasso(alpha=lam, tol=1e-15, max_iter=10**6), data.X, data.y)
    assert_same_weights(res.w, sk.coef_, res.b, sk.intercept_)


@pytest.mark.parametrize("standardize", [True, False])
@pytest.mark.parametrize("name", REGRESSION)
@pytest.mark.parametrize("rho", [0.2, 0.7])
def test_elastic_net(name, standardize, rho):
    data = prepare(REGRESSION[name](), standardize=standardize)
    alpha = 0.1 * lambda_max(data, "squared", rho)
    pen = Penalty.from_alpha_rho(alpha, rho)
    res = solve(data, "squared", pen, tol=TOL)
    assert res.converged
    sk = fit(
        ElasticNet(alpha=pen.alpha, l1_ratio=pen.rho, tol=1e-15, max_iter=10**6),
        data.X,
        data.y,
    )
    assert_same_weights(res.w, sk.coef_, res.b, sk.intercept_)


@pytest.mark.parametrize("standardize", [True, False])
@pytest.mark.parametrize("name", REGRESSION)
@pytest.mark.parametrize("lam", [10.0, 0.1, 1e-3])
def test_ridge(name, standardize, lam):
    data = prepare(REGRESSION[name](), standardize=standardize)
    res = solve(data, "squared", Penalty.l2(lam), tol=TOL)
    assert res.converged
    sk = fit(Ridge(alpha=data.n_samples * lam, solver="svd"), data.X, data.y)
    assert_same_weights(res.w, sk.coef_, res.b, sk.intercept_)
    assert res.n_nonzero == data.n_features  # L2 leaves no exact zero


LOGISTIC = {
    "n>d": lambda: classification(200, 12),
    "d>n": lambda: classification(50, 80, k=3, seed=4),
}


@pytest.mark.parametrize("name", LOGISTIC)
@pytest.mark.parametrize("frac", [0.5, 0.15])
def test_logistic_l1(name, frac):
    data = prepare(LOGISTIC[name]())
    lam = frac * lambda_max(data, "logistic")
    res = solve(data, "logistic", Penalty.l1(lam), tol=TOL)
    assert res.converged
    sk = fit(
        LogisticRegression(
            C=1 / (data.n_samples * lam),
            l1_ratio=1.0,
            solver="saga",
            tol=1e-13,
            max_iter=10**6,
        ),
        data.X,
        data.y,
    )
    assert_same_weights(res.w, sk.coef_, res.b, sk.intercept_[0])
    assert (res.w == 0).sum() > 0


@pytest.mark.parametrize("name", LOGISTIC)
@pytest.mark.parametrize("lam", [0.1, 0.01])
def test_logistic_l2(name, lam):
    data = prepare(LOGISTIC[name]())
    res = solve(data, "logistic", Penalty.l2(lam), tol=TOL)
    assert res.converged
    sk = fit(
        LogisticRegression(
            C=1 / (data.n_samples * lam), solver="newton-cg", tol=1e-14, max_iter=10**4
        ),
        data.X,
        data.y,
    )
    assert_same_weights(res.w, sk.coef_, res.b, sk.intercept_[0])
