"""The curvature of the data loss: an upper bound on the largest eigenvalue, certified.

The step size ``'auto'`` is ``η = 1/L`` with ``L = curvature · λ_max(A^T A) + λ₂`` and
``A = [X, 1] / sqrt(n)`` (:func:`engine.settings.lipschitz`). Any ``L`` at or above the
true one keeps gradient steps safe; one far above it only slows them down. The exact
``λ_max`` by ``eigvalsh`` costs O(d³) with a large constant (0.1–0.5 s at d = 1000,
12 s at d = 20000), more than forming the Gram matrix. Instead:

1. a few Lanczos iterations (full reorthogonalization, fixed start vector) give the
   largest Ritz value ``θ ≤ λ_max``, usually correct to many digits;
2. ``μ = θ (1 + δ)`` is **certified** as an upper bound by a Cholesky factorization
   of ``μ I − M``: it succeeds only if ``μ I − M`` is positive definite, that is
   ``μ > λ_max(M)`` (up to rounding of order ``d · ε · μ``). A factorization costs ``d³/3`` flops of level-3 BLAS, about a
   quarter of ``eigvalsh``. ``δ`` grows (:data:`MARGINS`) until one succeeds; past
   the last, the exact value is taken.

The result is a deterministic function of ``M``, so the command line, the window and
a session file compute the same ``L`` and the same η. Rounding in the factorization
is of order ``d · ε · μ``, several orders of magnitude below the smallest margin;
that margin (1e-6) keeps η within a millionth of ``1/λ_max``, so runs and the
numbers lessons quote are those of the exact value.

Small matrices (at most :data:`EXACT_MAX` rows) use ``eigvalsh`` directly: it costs
microseconds there, and lessons quote ``η = 1/L`` for them. Matrices too large to
factor in reasonable time (over :data:`CERTIFY_MAX` rows) get the Lanczos value with
:data:`UNCERTIFIED_MARGIN`, capped by the proven bound ``trace(M)``.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "CERTIFY_MAX",
    "EXACT_MAX",
    "MARGINS",
    "certified_top_eigenvalue",
    "lanczos_top",
]

#: Up to this many rows the exact largest eigenvalue is cheap: taken as it is.
EXACT_MAX = 200
#: Beyond this many rows a Cholesky factorization costs seconds: not certified.
CERTIFY_MAX = 4000
#: Relative margins tried above the Lanczos value, in order.
MARGINS = (1e-6, 1e-4, 0.01, 0.04)
#: Margin of an uncertified Lanczos value (only beyond :data:`CERTIFY_MAX` rows).
UNCERTIFIED_MARGIN = 0.02
#: Lanczos iterations at most, and the relative change of θ that stops them.
LANCZOS_STEPS = 60
LANCZOS_TOL = 1e-11


def lanczos_top(matvec, dim: int, steps: int = LANCZOS_STEPS) -> float:
    """The largest Ritz value of a symmetric positive semidefinite operator after at
    most ``steps`` Lanczos iterations: a lower bound on its largest eigenvalue.

    ``matvec(v)`` returns ``M v`` for ``v`` of shape ``(dim,)``. The start vector is
    fixed (a seeded random vector), so the result is the same on every call. Each
    new vector is orthogonalized against all previous ones (twice), which keeps
    the Ritz values clean of the copies plain Lanczos makes.
    """
    steps = max(1, min(steps, dim))
    q = np.random.default_rng(0).standard_normal(dim)
    q /= np.linalg.norm(q)
    Q = np.empty((steps, dim))
    alpha, beta = np.empty(steps), np.empty(steps)
    theta = 0.0
    for k in range(steps):
        Q[k] = q
        u = matvec(q)
        alpha[k] = float(q @ u)
        for _ in range(2):
            u -= Q[: k + 1].T @ (Q[: k + 1] @ u)
        beta[k] = float(np.linalg.norm(u))
        T = np.diag(alpha[: k + 1])
        if k:
            T += np.diag(beta[:k], 1) + np.diag(beta[:k], -1)
        new = float(np.linalg.eigvalsh(T)[-1])
        if k and abs(new - theta) <= LANCZOS_TOL * abs(new):
            return new
        theta = new
        if beta[k] <= 1e-14 * max(abs(theta), 1e-300):  # an invariant subspace
            break
        q = u / beta[k]
    return theta


def _above(M: np.ndarray, mu: float) -> bool:
    """Whether ``μ I − M`` is positive definite (so ``μ > λ_max(M)``)."""
    A = -M
    A.flat[:: M.shape[0] + 1] += mu
    try:
        np.linalg.cholesky(A)
    except np.linalg.LinAlgError:
        return False
    return True


def certified_top_eigenvalue(M: np.ndarray) -> float:
    """An upper bound on the largest eigenvalue of the symmetric positive
    semidefinite ``M``, at most ``1 + MARGINS[-1]`` times it (in practice
    ``1 + MARGINS[0]``: the Lanczos value is correct to about 1e-9), and exact for small matrices.

    See the module's docstring for how it is found and certified.
    """
    dim = M.shape[0]
    if dim == 0:
        return 1.0
    if dim <= EXACT_MAX:
        return max(float(np.linalg.eigvalsh(M)[-1]), 1e-300)
    theta = lanczos_top(lambda v: M @ v, dim)
    if theta <= 0:
        return max(float(np.linalg.eigvalsh(M)[-1]), 1e-300)
    if dim > CERTIFY_MAX:
        cap = float(np.trace(M))  # the sum of the eigenvalues, all >= 0
        return max(min(theta * (1 + UNCERTIFIED_MARGIN), cap), theta)
    for delta in MARGINS:
        mu = theta * (1 + delta)
        if _above(M, mu):
            return mu
    return max(float(np.linalg.eigvalsh(M)[-1]), 1e-300)


def augmented_top_eigenvalue(
    X: np.ndarray, gram: np.ndarray | None = None, x_mean: np.ndarray | None = None
) -> float:
    """Certified upper bound (:func:`certified_top_eigenvalue`) on the largest
    eigenvalue of ``A^T A`` with ``A = [X, 1] / sqrt(n)``, the intercept column
    included.

    With ``gram = X^T X / n`` and ``x_mean`` (the column means) that matrix is
    ``[[gram, x_mean], [x_meanᵀ, 1]]`` and nothing is read from ``X``; without them
    the smaller side is used, ``(X Xᵀ + 1 1ᵀ) / n`` (the same nonzero eigenvalues)
    when ``n`` is at most :data:`CERTIFY_MAX`, otherwise products with ``X``.
    """
    n, d = X.shape
    if gram is not None:
        if x_mean is None:
            x_mean = X.mean(axis=0)
        if d + 1 <= CERTIFY_MAX:
            M = np.empty((d + 1, d + 1))
            M[:d, :d] = gram
            M[:d, d] = M[d, :d] = x_mean
            M[d, d] = 1.0
            return certified_top_eigenvalue(M)

        def matvec(v):
            return np.append(gram @ v[:d] + v[d] * x_mean, x_mean @ v[:d] + v[d])

        cap = float(np.trace(gram)) + 1.0
    elif n <= CERTIFY_MAX:
        return certified_top_eigenvalue((X @ X.T + 1.0) / n)
    else:

        def matvec(v):
            Av = X @ v[:d] + v[d]
            return np.append(X.T @ Av, Av.sum()) / n

        cap = float(np.einsum("ij,ij->", X, X)) / n + 1.0
    theta = lanczos_top(matvec, d + 1)
    return max(min(theta * (1 + UNCERTIFIED_MARGIN), cap), theta, 1e-300)
