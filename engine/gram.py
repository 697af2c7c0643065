"""The squared loss computed from second moments: one kernel for trainer and solvers.

With ``G = X^T X / n``, ``c = X^T (y - mean(y)) / n``, ``yy = var(y)`` and the column
means ``x_mean``, the squared loss of a linear model and its gradient need no pass over
the samples::

    D(w, b) = (1/2n) ||y - X w - b||^2
            = 1/2 (yy - 2 w.c + w.G w + 2 (b - y_mean) x_mean.w + (b - y_mean)^2)
    dD/dw   = G w + (b - y_mean) x_mean - c
    dD/db   = x_mean.w + b - y_mean

At the best intercept ``b = y_mean - x_mean.w`` the loss depends on ``w`` only through
the centered Gram matrix ``G_c = G - x_mean x_mean^T``::

    min_b D(w, b) = 1/2 (yy - 2 w.c + w.G_c w),    gradient  G_c w - c

Products with ``G`` cost O(d^2), or O(k d) when only ``k`` weights are nonzero (L1):
then only the ``k`` rows of the support are read. Those rows are copied into one block
that is kept until the support changes, so a run whose support is stable reads a
contiguous block and copies nothing; the arithmetic is the same, bit for bit, as
``w[S] @ G[S]``. A solve whose Gram matrix is not formed forms only the columns it
needs: :mod:`engine.gram_columns`.
"""

from __future__ import annotations

import numpy as np

from .data import TrainingData

__all__ = [
    "GramKernel",
    "SupportProduct",
    "moments_formed",
]


class SupportProduct:
    """``w @ M`` (``M @ w`` when ``M`` is symmetric) for a matrix with one row per
    weight, reading only the rows of the nonzero weights when they are fewer than
    ``len(w) // sparse_divisor``.

    The block of support rows is cached and rebuilt only when the support changes.
    """

    def __init__(self, M: np.ndarray, *, symmetric: bool, sparse_divisor: int):
        self.M = M
        self.symmetric = symmetric
        self.sparse_divisor = sparse_divisor
        self._support: np.ndarray | None = None
        self._rows: np.ndarray | None = None
        #: How many times a block of support rows was copied (once per new support).
        self.row_copies = 0

    def __call__(self, w: np.ndarray) -> np.ndarray:
        if np.count_nonzero(w) < w.size // self.sparse_divisor:
            S = w.nonzero()[0]
            return w[S] @ self.rows(S)
        return self.M @ w if self.symmetric else w @ self.M

    def rows(self, S: np.ndarray) -> np.ndarray:
        """``M[S]``, the block kept for the support ``S`` (read-only: shared)."""
        kept = self._support
        if kept is None or kept.size != S.size or (kept != S).any():
            self._rows = self.M[S]
            self._rows.setflags(write=False)
            self._support = S
            self.row_copies += 1
        return self._rows


class GramKernel:
    """Squared-loss values and gradients from the moments of the training rows.

    Parameters
    ----------
    data : TrainingData
        Its ``moments``: ``x_mean``, ``y_mean``, ``c``, ``yy``, and either
        ``gram``/``gram_c`` or the centered matrix ``X_c`` (when ``d`` is much larger
        than ``n``).
    sparse_divisor : int
        Products read only the support rows below ``d // sparse_divisor`` nonzero
        weights. The trainer uses 4, the solvers 2 (each keeps its own rounding).
    """

    def __init__(self, data: TrainingData, *, sparse_divisor: int = 4):
        moments = data.moments
        self.m = moments
        self.y = data.y
        self.n = data.n_samples
        self.x_mean = moments.x_mean
        self.y_mean = moments.y_mean
        self.c = moments.c
        self.yy = moments.yy
        self.has_gram = moments.gram is not None
        self.d = self.c.size
        self._sparse_divisor = sparse_divisor
        if self.has_gram:
            self._G = SupportProduct(
                moments.gram, symmetric=True, sparse_divisor=sparse_divisor
            )
            self._Gc = (
                self._G
                if moments.gram_c is moments.gram
                else SupportProduct(
                    moments.gram_c, symmetric=True, sparse_divisor=sparse_divisor
                )
            )
        self._Xc_support: np.ndarray | None = None
        self._Xc_cols: np.ndarray | None = None

    # -- with a free intercept (the trainer) --------------------------------------
    def gram_product(self, w: np.ndarray) -> np.ndarray:
        """``G w`` with the uncentered Gram matrix."""
        return self._G(w)

    def gram_rows(self, S: np.ndarray) -> np.ndarray:
        """``G[S]``, the rows of the uncentered Gram matrix over the support ``S``:
        the block :meth:`gram_product` keeps for a sparse ``w`` (read-only)."""
        return self._G.rows(S)

    def loss(self, w: np.ndarray, b: float, Gw: np.ndarray) -> float:
        """``D(w, b) = 1/2 (yy - 2 w.c + w.Gw + 2 (b - y_mean) x_mean.w
        + (b - y_mean)^2)`` from ``Gw = G w``."""
        bc = b - self.y_mean
        xw = float(self.x_mean @ w)
        return 0.5 * (
            self.yy - 2.0 * float(w @ self.c) + float(w @ Gw) + 2 * bc * xw + bc * bc
        )

    def gradient(self, w: np.ndarray, b: float, Gw: np.ndarray):
        """``(G w + (b - y_mean) x_mean - c, x_mean.w + b - y_mean)``."""
        bc = b - self.y_mean
        return Gw + bc * self.x_mean - self.c, float(self.x_mean @ w) + bc

    # -- at the best intercept (the solvers) --------------------------------------
    def centered_product(self, w: np.ndarray) -> np.ndarray:
        """``G_c w``, through ``X_c^T (X_c w) / n`` when there is no Gram matrix."""
        if self.has_gram:
            return self._Gc(w)
        Xc = self.m.X_c
        S = np.flatnonzero(w)
        if S.size < self.d // self._sparse_divisor:
            if self._Xc_support is None or not np.array_equal(S, self._Xc_support):
                self._Xc_cols = Xc[:, S]
                self._Xc_support = S
            Xw = self._Xc_cols @ w[S]
        else:
            Xw = Xc @ w
        return Xc.T @ Xw / self.n

    def profile_loss(self, quad: float, lin: float) -> float:
        """``min_b D(w, b) = 1/2 (yy - 2 lin + quad)`` with ``quad = w.G_c w`` and
        ``lin = w.c``."""
        return 0.5 * (self.yy - 2.0 * lin + quad)

    def best_intercept(self, w: np.ndarray) -> float:
        """``y_mean - x_mean.w``."""
        return float(self.y_mean - self.x_mean @ w)

    def restricted(self, S: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(G_c[S, S], c[S])``: the problem on the features ``S`` alone."""
        if self.has_gram:
            G = self.m.gram_c.take(S, 0).take(S, 1)
        else:
            XS = self.m.X_c[:, S]
            G = XS.T @ XS / self.n
        return G, self.c[S]

    def ridge_solution(self, lam2: float) -> np.ndarray:
        """``argmin_w min_b D(w, b) + lam2/2 ||w||^2``: ``(G_c + lam2 I) w = c``;
        the minimum-norm least-squares solution when ``lam2 = 0``."""
        if self.has_gram:
            A = self.m.gram_c + lam2 * np.eye(self.d)
            try:
                return np.linalg.solve(A, self.c)
            except np.linalg.LinAlgError:
                return np.linalg.lstsq(A, self.c, rcond=None)[0]
        Xc = self.m.X_c
        yc = self.y - self.y_mean
        if lam2 > 0:  # the n x n system (d > n here)
            K = Xc @ Xc.T / self.n + lam2 * np.eye(self.n)
            return Xc.T @ np.linalg.solve(K, yc / self.n)
        return np.linalg.lstsq(Xc, yc, rcond=None)[0]

    def ridge_path(self):
        """``lam2 -> ridge_solution(lam2)`` for many ``lam2 > 0`` at ``O(d^2)``
        each, from one eigendecomposition ``G_c = V diag(mu) V^T`` (``O(d^3)``
        once): ``w = V ((V^T c) / (mu + lam2))``. Gram matrix only."""
        mu, V = np.linalg.eigh(self.m.gram_c)
        Vc = V.T @ self.c
        return lambda lam2: V @ (Vc / (mu + lam2))

    def suboptimality(self, w: np.ndarray) -> float:
        """``min_b D(w, b) - min_{w, b} D``, exactly: ``1/2 g^T G_c^+ g`` with
        ``g = G_c w - c``, the gradient at the best intercept.

        This is the duality gap of the unpenalized problem at the best dual point
        (the residual projected onto the orthogonal complement of the columns).
        """
        if self.has_gram:
            g = self.centered_product(w) - self.c
            delta = np.linalg.lstsq(self.m.gram_c, g, rcond=None)[0]
            return max(0.5 * float(g @ delta), 0.0)
        Xc = self.m.X_c
        r = Xc @ w - (self.y - self.y_mean)
        delta = np.linalg.lstsq(Xc, r, rcond=None)[0]
        Pr = Xc @ delta  # the part of the residual the columns can still explain
        return 0.5 * float(Pr @ Pr) / self.n


def moments_formed(data: TrainingData) -> bool:
    """Whether ``data.moments`` (the Gram matrix among them) has been computed."""
    return "moments" in vars(data)
