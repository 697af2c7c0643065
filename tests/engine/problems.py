"""Small reproducible problems for the engine tests (no Qt)."""

import numpy as np

from engine import Dataset


def regression(n=120, d=30, *, k=5, rho=0.0, seed=0, offset=5.0, scales=False):
    """y = X beta + noise with ``k`` true features; ``rho`` correlates neighbours."""
    rng = np.random.default_rng(seed)
    Z = rng.standard_normal((n, d))
    if rho:
        Z[:, 1:] = rho * Z[:, :-1] + np.sqrt(1 - rho**2) * Z[:, 1:]
    if scales:  # very different column scales and means, for the unstandardized case
        Z = Z * np.geomspace(0.1, 50, d) + np.linspace(-3, 10, d)
    k = min(k, d)
    beta = np.zeros(d)
    beta[:k] = np.linspace(3, 1, k) * np.where(np.arange(k) % 2, -1, 1)
    if scales:
        beta[:k] /= Z[:, :k].std(axis=0)
    y = Z @ beta + rng.standard_normal(n) + offset
    return Dataset(Z, y, tuple(f"x{j}" for j in range(d)), true_coef=beta)


def classification(n=200, d=12, *, k=4, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    beta = np.zeros(d)
    beta[:k] = np.linspace(2, 0.7, k)
    y = np.where(X @ beta + 0.3 + rng.logistic(size=n) > 0, 1.0, -1.0)
    return Dataset(X, y, tuple(f"x{j}" for j in range(d)), task="classification")
