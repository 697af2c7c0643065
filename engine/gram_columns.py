"""Columns of the centred Gram matrix formed as a solve first needs them.

An L1 solve whose Gram matrix ``G_c = X^T X / n - x_mean x_mean^T`` is not formed
yet reads only the columns of its working sets: :class:`ColumnGramKernel` is the
:class:`~engine.gram.GramKernel` whose products with ``G_c`` read those columns,
each formed when first asked for (:class:`GramColumns`: ``X[:, J]^T X / n``, one
matrix product for a batch ``J``, ``O(n d |J|)`` instead of ``O(n d^2)`` for the
whole matrix). The stability lab forms a resample's columns this way
(:class:`ColumnPlan`: where the buffers come from, which columns to form at once,
with the moments out of the same product).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .data import TrainingData
from .gram import GramKernel
from .workspace import Workspace, empty

__all__ = ["ColumnGramKernel", "ColumnPlan", "GramColumns"]


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
        first = min(64, self.d)
        if workspace is not None:
            first = workspace.rows("gram", first, self.d)
        self._buf = empty(workspace, "gram", (first, self.d))
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
