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
``w[S] @ G[S]``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .data import TrainingData
from .workspace import Workspace, empty

__all__ = [
    "ColumnGramKernel",
    "ColumnPlan",
    "GramColumns",
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


class GramColumns:
    """Columns of the centred Gram matrix ``G_c = X^T X / n - x_mean x_mean^T``,
    each formed when first asked for: ``X[:, J]^T X / n`` costs ``O(n d |J|)``
    instead of ``O(n d^2)`` for the whole matrix. ``G_c`` is symmetric, so column
    ``j`` is also row ``j``; they are kept as rows of one growing block."""

    def __init__(
        self,
        X: np.ndarray,
        x_mean: np.ndarray,
        centered: bool,
        workspace: Workspace | None = None,
    ):
        self.X = X
        self.n, self.d = X.shape
        self.x_mean = x_mean
        self.centered = centered
        self.workspace = workspace
        self._pos = np.full(self.d, -1, dtype=np.int64)
        self._buf = empty(workspace, "gram", (min(64, self.d), self.d))
        self.k = 0  # columns formed so far

    def rows(self, S: np.ndarray) -> np.ndarray:
        """``G_c[S]``, shape (len(S), d): a new array."""
        new = S[self._pos[S] < 0]
        if new.size:
            self._form(new)
        return self._buf[self._pos[S]]

    def formed(self) -> np.ndarray:
        """Which columns have been formed (a new boolean array)."""
        return self._pos >= 0

    def has(self, S: np.ndarray) -> bool:
        """Whether the columns ``S`` have all been formed."""
        return bool((self._pos[S] >= 0).all())

    def take(self, S: np.ndarray, out: np.ndarray) -> bool:
        """``G_c[S]`` copied into ``out`` when all formed (True), else False."""
        pos = self._pos[S]
        if pos.min(initial=0) < 0:
            return False
        np.take(self._buf, pos, axis=0, out=out, mode="clip")
        return True

    def form(self, J: np.ndarray) -> None:
        """Form the columns ``J`` (distinct, none formed yet) in one product."""
        if J.size:
            self._form(J)

    def _form(self, J: np.ndarray, V: np.ndarray | None = None):
        """Form the columns ``J``; with rows ``V`` (shape (e, n)), also
        ``V X / n`` from the same product, returned (the columns are then left
        unscaled and uncentred: :meth:`finish` does that once ``x_mean`` and
        ``centered`` are known)."""
        k, m = self.k, J.size
        e = 0 if V is None else len(V)
        ws = self.workspace
        if k + m + e > len(self._buf):
            cap = min(self.d + e, max(2 * len(self._buf), k + m + e))
            buf = empty(ws, "gram", (cap, self.d), fresh=True)
            buf[:k] = self._buf[:k]
            self._buf = buf
        XJ = np.take(self.X, J, axis=1, out=empty(ws, "gram_XJ", (self.n, m)))
        A = empty(ws, "gram_X", (m + e, self.n))
        A[:m] = XJ.T
        if e:
            A[m:] = V
        block = self._buf[k : k + m + e]
        np.matmul(A, self.X, out=block)
        block /= self.n
        self._pos[J] = np.arange(k, k + m)
        self.k = k + m
        if e:
            return block[m:].copy()
        self.finish(J)
        return None

    def finish(self, J: np.ndarray) -> None:
        """Centre the columns ``J`` formed together by :meth:`_form`
        (``x_mean`` and ``centered`` set)."""
        if not self.centered and J.size:
            at = self._pos[J[0]]  # formed together: in a row
            block = self._buf[at : at + J.size]
            out = empty(self.workspace, "gram_outer", (J.size, self.d))
            block -= np.multiply.outer(self.x_mean[J], self.x_mean, out=out)


@dataclass(frozen=True)
class ColumnPlan:
    """How a :class:`ColumnGramKernel` starts (the stability lab's resamples).

    ``workspace``: where its columns are kept (:mod:`engine.workspace`).
    ``first``: columns formed at once, with the moments ``x_mean`` and ``c`` out of
    the same matrix product (one pass over ``X`` for all of them; the same numbers
    as :class:`~engine.data.Moments` computes, to rounding). ``abs_max``: a bound on
    ``|X|`` (the full data's, for a resample of its rows), enough to decide
    Moments' test of centred columns without a pass over ``X`` when the means are
    far from 0.
    """

    workspace: Workspace | None = None
    first: np.ndarray | None = None
    abs_max: float | None = None


class ColumnGramKernel(GramKernel):
    """:class:`GramKernel` for a solve whose Gram matrix is not formed yet: the
    moments ``x_mean``, ``y_mean``, ``c``, ``yy`` are computed as
    :class:`~engine.data.Moments` computes them (``O(n d)``; see
    :class:`ColumnPlan` for another way), and products with ``G_c`` read only the
    columns of the nonzero weights, formed as they are first needed
    (:class:`GramColumns`). An L1 solve then forms the columns of its working
    sets, not the whole matrix. What needs the whole matrix (a dense support, ridge,
    least squares) takes ``data.moments``, formed then.
    """

    def __init__(
        self,
        data: TrainingData,
        *,
        sparse_divisor: int = 2,
        plan: ColumnPlan | None = None,
    ):
        X, y = data.X, data.y
        n, d = X.shape
        plan = plan or ColumnPlan()
        self.data = data
        self.y = y
        self.n = n
        self.d = d
        self.workspace = plan.workspace
        self._cols = cols = GramColumns(X, None, False, plan.workspace)
        first = plan.first
        # the expressions of Moments.of, so the numbers are the same
        self.y_mean = float(y.mean())
        yc = y - self.y_mean
        if first is None:
            self.x_mean = X.mean(axis=0)
            self.c = X.T @ yc / n
        else:  # out of the product forming the first columns
            self.x_mean, self.c = cols._form(first, np.stack([np.ones(n), yc]))
        self.yy = float(yc @ yc) / n
        self.has_gram = True
        self._sparse_divisor = sparse_divisor
        # Moments.of's test, 1e-12 (1 + sqrt(max G)), is passed at once by
        # standardized columns; else the largest entry of G is on its diagonal
        # (at most abs_max^2)
        mean_max = float(np.abs(self.x_mean).max(initial=0.0))
        centered = mean_max <= 1e-12
        if not centered and not (
            plan.abs_max is not None and mean_max > 1e-12 * (1 + plan.abs_max)
        ):
            gram_max = float(np.einsum("ij,ij->j", X, X).max(initial=0.0)) / n
            centered = mean_max <= 1e-12 * (1 + np.sqrt(gram_max))
        cols.x_mean, cols.centered = self.x_mean, bool(centered)
        if first is not None:
            cols.finish(first)

    @property
    def columns_formed(self) -> int:
        """How many columns of ``G_c`` have been formed."""
        return self._cols.k

    @property
    def m(self):
        """All the moments, the whole Gram matrix among them (formed when first
        needed)."""
        return self.data.moments

    def rows(self, S: np.ndarray) -> np.ndarray:
        """``G_c[S]`` (its columns ``S``: it is symmetric), shape (len(S), d), the
        columns not formed yet formed now: a new array."""
        return self._cols.rows(S)

    def formed(self) -> np.ndarray:
        """Which columns of ``G_c`` have been formed (a new boolean array)."""
        return self._cols.formed()

    def has(self, S: np.ndarray) -> bool:
        """Whether the columns ``S`` of ``G_c`` have all been formed."""
        return self._cols.has(S)

    def take(self, S: np.ndarray, out: np.ndarray) -> bool:
        """``G_c[S]`` copied into ``out`` (shape (len(S), d)) when its columns
        are all formed (True), else False (nothing copied)."""
        return self._cols.take(S, out)

    def form(self, J: np.ndarray) -> None:
        """Form the columns ``J`` of ``G_c`` (distinct, none formed yet) in one
        matrix product."""
        self._cols.form(J)

    def centered_product(self, w: np.ndarray) -> np.ndarray:
        """``G_c w`` from the columns of the nonzero weights (all of ``G_c`` for a
        dense ``w``)."""
        S = w.nonzero()[0]
        if S.size < self.d // self._sparse_divisor:
            return w[S] @ self._cols.rows(S)
        return self.m.gram_c @ w

    def restricted(self, S: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(G_c[S, S], c[S])`` from the columns ``S``."""
        return self._cols.rows(S)[:, S], self.c[S]
