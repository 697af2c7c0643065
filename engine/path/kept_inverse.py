"""A support with its signs and weights, and the inverse of its curvature matrix kept
while features join and leave: the linear algebra of the exact path solvers
(:mod:`engine.path.active_set` for squared loss, :mod:`engine.path.logistic` for
logistic loss).

Positions ``0 .. k-1`` of the buffers hold the features ``K`` of the inverse: the
support, and features that left it (*pinned*: weight exactly 0, not in the support)
but stay because they often come back. The inverse of ``H = H_KK + lam2_M I`` (``H``
the curvature matrix of the data loss over the features ``K``: the centred Gram
matrix for squared loss) is kept as :mod:`engine.path.border` describes: ``M0`` and
a border for the features that joined since, so joining costs ``O(k^2)`` per
feature, never a new factorization.

When more than an eighth of the positions are pinned they leave the inverse for
good (:meth:`KeptInverse._compact`, by the formula :mod:`engine.path.border`
solves on the free positions with).

A subclass stores what its curvature needs per position (rows of the Gram matrix,
columns of X) and gives the blocks of ``H``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

import numpy as np

from ..workspace import Workspace, empty
from .border import BORDER_MAX, DIRECT_MAX, SINGULAR, BorderedInverse

__all__ = ["BORDER_MAX", "SINGULAR", "KeptInverse"]

#: Buffers start with room for this many features (or all of them).
FIRST_CAPACITY = 256


class KeptInverse(BorderedInverse, ABC):
    """Positions, signs, weights and the kept inverse (see the module docstring).

    Subclasses implement the abstract :meth:`_grow`, :meth:`_store`, :meth:`_block`,
    :meth:`_matrix` and :meth:`_permute` for what they keep per position (a class
    missing one cannot be instantiated).
    """

    d: int
    #: Where the big buffers come from (:mod:`engine.workspace`); None: new ones.
    workspace: Workspace | None = None

    # -- what a subclass keeps per position -------------------------------------
    @abstractmethod
    def _grow(self, cap: int, keep: int) -> None:
        """Room for ``cap`` positions, keeping the first ``keep``."""

    @abstractmethod
    def _store(self, J: np.ndarray, at: int) -> None:
        """What the features ``J`` need, at positions ``at, at + 1, ...``."""

    @abstractmethod
    def _block(self, J: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(H[K, J], H[J, J])`` for the features ``K`` of the first ``k``
        positions and new features ``J`` (already stored), without ``lam2``, at the
        curvature the inverse was built for."""

    @abstractmethod
    def _matrix(self) -> np.ndarray:
        """``H_KK`` (a new array) at the current point, for a rebuild."""

    @abstractmethod
    def _permute(self, F: np.ndarray) -> None:
        """Keep the positions ``F`` (sorted), moved to the front."""

    # -- state --------------------------------------------------------------------
    def _start(self, w: np.ndarray) -> None:
        """The support and signs of ``w``; the inverse is built at the next solve."""
        A = np.flatnonzero(w)
        k = A.size
        self.k = self.k0 = 0
        self.has_M = False
        self._allocate(max(2 * k, FIRST_CAPACITY))
        self.K[:k] = A
        self.where = np.full(self.d, -1, dtype=np.intp)  # positions by feature
        self.where[A] = np.arange(k)
        self.s[:k] = np.sign(w[A])
        self.x[:k] = w[A]
        self._store(A, 0)
        self.k = self.k0 = k
        self.lam2_M = 0.0
        self.S_buf = None
        self._changes = 0  # counts changes of the inverse (for the kept correction)
        self._correction = None
        self._no_border(k)
        self.free = np.zeros(self.d, dtype=bool)  # the support
        self.free[A] = True
        self.solved = []  # (lam1, g) of the last two points, for the prediction

    def _allocate(self, cap: int, keep: int = 0) -> None:
        """Buffers for ``cap`` positions, keeping the first ``keep`` (and ``M0``)."""
        cap = min(cap, self.d)
        old = (self.K, self.s, self.x, self.pinned) if keep else ()
        M_old = self.M_buf if keep and self.has_M else None
        self.K = np.zeros(cap, dtype=np.intp)
        self.s = np.zeros(cap)
        self.x = np.zeros(cap)
        self.pinned = np.zeros(cap, dtype=bool)
        self.M_buf = empty(self.workspace, "inverse", (cap, cap), fresh=keep > 0)
        for new, prev in zip((self.K, self.s, self.x, self.pinned), old, strict=False):
            new[:keep] = prev[:keep]
        if M_old is not None:
            self.M_buf[: self.k0, : self.k0] = M_old[: self.k0, : self.k0]
        self._grow(cap, keep)

    def weights(self) -> np.ndarray:
        w = np.zeros(self.d)
        w[self.K[: self.k]] = self.x[: self.k]
        return w

    # -- changes of the support -------------------------------------------------
    def _join(self, J: np.ndarray, sJ: np.ndarray) -> bool:
        """Features ``J`` join the support with signs ``sJ`` (weights 0): pinned
        ones are freed, the others added to the inverse. False if the system
        becomes singular."""
        pos = self.where[J]
        back = pos >= 0
        if back.any():
            self.pinned[pos[back]] = False
            self.s[pos[back]] = sJ[back]
        if not back.all():
            new, s_new = J[~back], sJ[~back]
            k = self.k
            if not self._add(new):
                self._compact()  # a pinned feature may be what makes it singular
                k = self.k
                if not self._add(new):
                    return False
            self.s[k : self.k] = s_new
        self.free[J] = True
        return True

    def _add(self, J: np.ndarray) -> bool:
        """Put the features ``J`` into the inverse (weights 0, free), on its
        border."""
        k, m = self.k, J.size
        if k + m > self.K.size:
            self._allocate(max(2 * (k + m), FIRST_CAPACITY), k)
        if self.has_M and (k - self.k0) + m > BORDER_MAX:
            self._merge()
        self._store(J, k)
        if self.has_M:
            if m == 1 and k == self.k0 and k < DIRECT_MAX:
                if not self._direct(J):
                    return False
            elif not self._border(J):
                return False
        self.K[k : k + m] = J
        self.where[J] = np.arange(k, k + m)
        self.x[k : k + m] = 0.0
        self.pinned[k : k + m] = False
        self.k = k + m
        return True

    def _join_one(self, j: int, sign: float) -> bool:
        """:meth:`_join` for one feature ``j`` with the sign ``sign`` (the usual
        case, a new feature into ``M0`` itself, without the general steps)."""
        pos, k = int(self.where[j]), self.k
        if pos >= 0:
            self.pinned[pos] = False
        elif self.has_M and k == self.k0 and k < min(DIRECT_MAX, self.K.size):
            J = np.array([j])
            self._store(J, k)
            if not self._direct(J):
                return self._join(J, np.array([sign]))
            self.K[k] = j
            self.where[j] = k
            self.x[k] = 0.0
            self.pinned[k] = False
            self.k, pos = k + 1, k
        else:
            pos = k
            if not self._add(np.array([j])):
                return self._join(np.array([j]), np.array([sign]))
        self.s[pos] = sign
        self.free[j] = True
        return True

    def _pin(self, drop: np.ndarray) -> None:
        """Positions ``drop`` (a mask over the first ``k``) leave the support; their
        weights are 0."""
        self.x[: self.k][drop] = 0.0
        self.pinned[: self.k] |= drop
        self.free[self.K[: self.k][drop]] = False
        if self.pinned[: self.k].sum() > max(8, self.k // 8):
            self._compact()

    def _compact(self) -> None:
        """The pinned features leave the inverse: ``M_FF - M_FP M_PP^{-1} M_PF``."""
        k = self.k
        P = np.flatnonzero(self.pinned[:k])
        if P.size == 0:
            return
        F = np.flatnonzero(~self.pinned[:k])
        if self.has_M:
            self._merge()
            M = self.M0
            MFP = M[np.ix_(F, P)]
            try:
                corr = MFP @ np.linalg.solve(M[np.ix_(P, P)], MFP.T)
            except np.linalg.LinAlgError:
                self.has_M = False
            else:
                self.M_buf[: F.size, : F.size] = M[np.ix_(F, F)] - corr
        self._permute(F)
        self.where[self.K[P]] = -1
        for a in (self.K, self.s, self.x):
            a[: F.size] = a[F]
        self.where[self.K[: F.size]] = np.arange(F.size)
        self.pinned[:k] = False
        self.k = F.size
        self._no_border(F.size)

    def _step_toward(self, target: np.ndarray, bounced: np.ndarray) -> float:
        """Move the weights toward ``target`` only until the first free weight
        whose sign disagrees reaches zero, and pin the weights that reach zero.

        Features pinned without moving at all (they joined with a sign their
        solution does not have) are marked in ``bounced``. Returns the share of
        the way moved.
        """
        k = self.k
        free, s, w = ~self.pinned[:k], self.s[:k], self.x[:k]
        wrong = free & (s * target <= 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            t_hit = np.where(wrong, w / (w - target), np.inf)
        t_hit[wrong & (w == 0)] = 0.0
        t = float(t_hit.min())
        bounced[self.K[:k][t_hit == 0.0]] = True
        moved = w + t * (target - w)
        drop = free & ((t_hit <= t) | (s * moved < 0) | ((moved == 0) & (w != 0)))
        moved[~free] = 0.0
        self.x[:k] = moved
        self._pin(drop)
        return t

    # -- linear algebra (the rest: :class:`BorderedInverse`) -----------------------
    def _rebuild(self, lam2: float) -> bool:
        """The inverse from scratch at the current point (the pinned features
        dropped first); False if ``H_KK + lam2 I`` is singular."""
        self._compact()
        k = self.k
        self._no_border(k)
        self.has_M = False
        self.lam2_M = lam2
        if k == 0:
            self.has_M = True
            return True
        H = self._matrix()
        H[np.diag_indices(k)] += lam2
        try:
            L = np.linalg.cholesky(H)
        except np.linalg.LinAlgError:
            return False
        if np.diag(L).min() ** 2 <= SINGULAR * np.diag(H).max():
            return False
        Linv = np.linalg.inv(L)
        np.matmul(Linv.T, Linv, out=self.M_buf[:k, :k])
        self.has_M = True
        return True

    def _predicted(self, lam1: float) -> np.ndarray | None:
        """Zero weights whose gradient, extrapolated linearly from the last two
        points solved (``self.solved``: ``(lam1, g)`` pairs; the path is
        piecewise linear for squared loss, nearly so for logistic), will violate
        the condition at ``lam1``: they join at once rather than after the first
        solve."""
        if len(self.solved) < 2:
            return None
        (lam_a, g_a, *_), (lam_b, g_b, *_) = self.solved
        if lam_a == lam_b:
            return None
        g = g_b + ((lam1 - lam_b) / (lam_b - lam_a)) * (g_b - g_a)
        return np.abs(g) > lam1

    def _violators(self, g: np.ndarray, thresh: float, bounced: np.ndarray, extra):
        """The zero weights that join next: those with ``|g_j| > thresh`` (and
        ``extra``), the worst ``max(20, k)`` first. One feature joining a
        stationary support gets the sign it joins with; several may not, and some
        may leave again at once (``bounced``): when only those violate, one joins
        at a time. None when nothing violates."""
        viol = ~self.free & (np.abs(g) > thresh)
        if extra is not None:
            viol |= extra & ~self.free
        if not viol.any():
            return None
        if (viol & ~bounced).any():
            viol = np.flatnonzero(viol & ~bounced)
            cap = max(20, self.k)
            if viol.size > cap:
                viol = viol[np.argsort(-np.abs(g[viol]))[:cap]]
            return viol
        viol = np.flatnonzero(viol)
        return viol[np.argmax(np.abs(g[viol])), None]
