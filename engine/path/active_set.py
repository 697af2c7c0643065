"""Exact Lasso and Elastic Net solutions along a path, from the Gram matrix.

For squared loss the solution at strengths ``(lam1 > 0, lam2)`` is fixed by its
support ``A`` and signs ``s``: on ``A``, ::

    (G_AA + lam2 I) w_A = c_A - lam1 s_A,        w = 0 outside A,

with ``G`` the centred Gram matrix and ``c = X_c^T y_c / n``; it is optimal when the
signs of ``w_A`` are ``s`` and every zero weight has ``|g_j| <= lam1``, where
``g = G w - c``. Along a decreasing grid the support changes by a few features from one
point to the next, so :class:`GramActiveSet` carries it over and finds the next one
by a primal active-set method (Lawson and Hanson's; the feature-sign search of Lee et
al., 2007):

1. zero weights that violate ``|g_j| <= lam1`` join ``A`` with the sign ``-sign(g_j)``;
2. the linear system above is solved for the signs ``s`` on ``A``;
3. if a weight's sign disagrees, the weights move from where they are toward that
   solution only until the first of them reaches zero, which leaves ``A`` (the
   objective decreases all the way: on that segment it is the convex quadratic whose
   minimum is the solution), and step 2 follows;
4. otherwise the solution is taken, the full gradient computed, and step 1 follows
   until no zero weight violates its condition.

Zero weights whose gradient, extrapolated linearly from the two points before
(the path is piecewise linear in the strength), would violate their condition join
in step 1 too, which saves most second rounds. Joining them all at once, some join
only to leave again (correlated features: one of them takes what the others would
have explained). An active set with :attr:`GramActiveSet.walk` set (the stability
lab's) instead walks a Lasso path (``lam2 = 0``) down from the last point, one change
of the support at a time, as LARS does (:meth:`GramActiveSet._walk`): a feature
joins where its gradient reaches the bound, a weight leaves where it reaches 0.
The weights it arrives at are refined and checked as in step 4, and any doubt
(a tie, rounding) hands the point to the method above; so does a support of
``WALK_MAX`` features or more (the walk's product per change grows with it). The
change the walk sees ahead of a point is kept for the next one: a piece of the path
that spans several points costs one look ahead.

The inverse of ``G_KK + lam2 I`` is kept from point to point for a set ``K`` of
features: the support, and features that left it lately
(:class:`~engine.path.kept_inverse.KeptInverse`); features join ``K`` by bordering
(the Schur complement, :mod:`~engine.path.border`), ``O(k^2)`` per feature
instead of ``O(k^3)`` per solve.
Every solve is refined against ``G`` itself, by conjugate gradients preconditioned
with the kept inverse, until its residual is negligible for the duality gap; the
inverse is recomputed when that takes more than a few steps (rounding piled up over
many updates, or an Elastic Net's ``lam2`` moved far from the one it was built
for). The rows ``G_K`` are kept in one block, so the full gradient is one product.
Each point is certified by the full duality gap; when anything fails (a support whose Gram matrix is singular,
no settling) :func:`~engine.path.grid.regularization_path` hands the point to the
general working-set solver.
"""

from __future__ import annotations

import numpy as np

from ..penalties import Penalty
from ..workspace import empty
from .kept_inverse import KeptInverse

__all__ = ["GramActiveSet"]

#: Zero weights with ``|g_j| > lam1 (1 + VIOLATION)`` join the support; the margin
#: keeps a weight that sits at its kink (rounding either way) from cycling.
VIOLATION = 1e-13
#: Most linear solves at one point before giving up.
MAX_ROUNDS = 200
#: Most conjugate-gradient refinements of one solve.
MAX_REFINE = 50
#: Refinements beyond which the inverse is rebuilt at the next solve.
CG_REBUILD = 8
#: Most changes of the support one walk down the path follows (see ``_walk``).
MAX_EVENTS = 64
#: A walk goes on while the inverse holds fewer features than this: each change
#: costs a product with their rows, and each leave a compaction of the inverse
#: (``O(k^2)``); beyond, the general loop, which joins many features per product,
#: is cheaper.
WALK_MAX = 160


class GramActiveSet(KeptInverse):
    """The support, its signs and weights, and the inverse carried along a path of
    squared-loss problems with an L1 part (see the module docstring).

    ``prob`` is a :class:`~engine.problems.SquaredProblem` with a Gram matrix. The
    rows ``G[K]`` are kept, one per position, so the full gradient is one product.
    """

    #: Whether a Lasso solve walks down the path from the last point
    #: (:meth:`_walk`) rather than joining the predicted violators at once.
    walk = False
    #: During a walk, the rate at which it closes in on each zero weight.
    rate = None

    def __init__(self, prob):
        self.prob = prob
        self.G = prob.kernel.m.gram_c
        self.c = prob.c
        self.d = self.c.size
        self.reset(np.zeros(self.d))

    def reset(self, w: np.ndarray, b: float | None = None) -> None:
        """Start from the weights ``w`` (any point: the inverse is rebuilt at the
        next solve; the intercept ``b`` follows from ``w``)."""
        self._start(w)
        self._stale = False  # the last refinement was slow: rebuild the inverse
        self._ahead = None  # a walk's last heading (see _walk)
        self.g = self.x[: self.k] @ self.rows - self.c

    @property
    def rows(self) -> np.ndarray:
        """``G[K]``: the Gram matrix's rows of the features in the inverse."""
        return self.rows_buf[: self.k]

    # -- what is kept per position ---------------------------------------------------
    def _grow(self, cap: int, keep: int) -> None:
        old = self.rows_buf if keep else None
        self.rows_buf = empty(self.workspace, "rows", (cap, self.d), fresh=keep > 0)
        if old is not None:
            self.rows_buf[:keep] = old[:keep]

    def _store(self, J: np.ndarray, at: int) -> None:
        self.rows_buf[at : at + J.size] = self.G[J]

    def _block(self, J: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        k = self.k
        new_rows = self.rows_buf[k : k + J.size]
        return new_rows[:, self.K[:k]].T, new_rows[:, J]

    def _column(self, j: int) -> tuple[np.ndarray, float]:
        k = self.k
        row = self.rows_buf[k]
        return row[self.K[:k]], float(row[j])

    def _matrix(self) -> np.ndarray:
        return self.rows[:, self.K[: self.k]]

    def _permute(self, F: np.ndarray) -> None:
        self.rows_buf[: F.size] = self.rows_buf[F]

    # -- one point ----------------------------------------------------------------
    def _signed_solve(self, lam1: float, lam2: float) -> np.ndarray | None:
        """The weights on the free positions for their signs (0 on the pinned):
        ``(G_FF + lam2 I) x_F = c_F - lam1 s_F``, from the kept inverse alone
        (refined by :meth:`_settle`); the inverse is rebuilt first when it is
        missing or its last refinement was slow. None when the system is
        singular."""
        if not self.has_M or self._stale:
            if not self._rebuild(lam2):
                return None
        self._stale = False
        k = self.k
        return self._apply(self.c[self.K[:k]] - lam1 * self.s[:k])

    def _settle(self, x, lam1: float, lam2: float, target: float):
        """Refine ``x`` against ``G`` itself by conjugate gradients preconditioned
        with the kept inverse, until the residual ``r_F = -(g_F + lam1 s_F + lam2
        x_F)`` costs at most ``target`` of duality gap (``|r|_inf ||x||_1``).

        With the inverse built for this ``lam2`` one step does; an Elastic Net's
        ``lam2`` moves from point to point, and the preconditioned steps absorb
        that until more than ``CG_REBUILD`` are needed (the inverse is then
        rebuilt at the next solve). Returns ``(x, g)``, or None when it stalls."""
        k = self.k
        K, s, free = self.K[:k], self.s[:k], ~self.pinned[:k]
        rows = self.rows
        g = x @ rows - self.c
        p = rz = None
        for it in range(MAX_REFINE + 1):
            r = -(g[K] + lam1 * s + lam2 * x)
            r[~free] = 0.0
            size = float(np.abs(r).max(initial=0.0))
            if size * float(np.abs(x).sum()) <= target:
                self._stale = it > CG_REBUILD
                return x, g
            if it == MAX_REFINE:
                break
            z = self._apply(r)
            rz_new = float(r @ z)
            p = z if p is None else z + (rz_new / rz) * p
            rz = rz_new
            q = p @ rows  # G[:, F] p over all features
            Hp = q[K] + lam2 * p
            Hp[~free] = 0.0
            curv = float(p @ Hp)
            if not curv > 0:
                break
            a = rz / curv
            x = x + a * p
            g += a * q
        self._stale = True
        return None

    def _walk(self, lam1: float) -> np.ndarray | None:
        """Follow the Lasso's path (``lam2 = 0``: piecewise linear in ``lam1``)
        from the last point solved down to ``lam1``, one change of the support
        at a time (the homotopy of LARS): a feature joins when its gradient
        reaches the bound, a weight leaves when it reaches 0. Returns the
        weights at ``lam1`` on the free positions, the support and signs set
        for them (``self.g``: the gradient where the walk last changed the
        support); None when the walk stopped short. The solve that follows
        checks all of it and corrects what a tie or rounding got wrong.

        Each change is found by :meth:`_heading`; the one a walk sees ahead of
        ``lam1`` is kept for the next walk, which starts where this one ends
        with nothing changed (its refined weights aside)."""
        lam, g = self.solved[-1]
        left = lam - lam1  # how far down the strength is still to go
        if self.pinned[: self.k].any():
            self._compact()  # so that the positions are the support (k < WALK_MAX)
        gone = []  # features that left on the way
        new = -1  # the position of a feature that just joined (weight 0)
        found = None
        for _ in range(MAX_EVENTS):
            if not self.has_M or self._stale or self.lam2_M != 0.0:
                break
            ahead = self._ahead
            self._ahead = None
            if ahead is None or ahead[0] != self._changes:
                ahead = self._heading(lam, g, gone, new)
            _, b, e, lam_next, j, i, rate = ahead
            self.rate = rate
            x = self.x[: self.k]
            if not lam_next > lam1:  # no change before lam1
                found = x + left * b  # (the gradient there: _walked computes it)
                self._ahead = ahead
                break
            step = lam - lam_next
            x += step * b
            g = g + step * e
            lam -= step
            left -= step
            if j >= 0:
                new = self.k  # not in the inverse: no pinned positions here
                if not self._join_one(j, -1.0 if g[j] > 0 else 1.0):
                    break
            else:
                new = -1
                x[i] = 0.0
                gone.append(int(self.K[i]))
                drop = np.zeros(self.k, dtype=bool)
                drop[i] = True
                self._pin(drop)
                self._compact()
        self.g = g
        self.rate = None
        return found

    def _heading(self, lam: float, g: np.ndarray, gone: list, new: int):
        """Where the Lasso path goes from ``lam`` (gradient ``g``, the weights
        ``self.x``): ``(changes, b, e, lam_next, j, i, rate)``. Per unit of
        ``lam`` the weights change by ``b = H^-1 s`` and the gradient by
        ``e = G[:, F] b``, so ``g_j`` reaches ``+-lam`` after ``(lam -+ g_j) /
        (1 +- e_j)`` (its ``rate``, the reciprocal) and ``x_i`` reaches 0 after
        ``-x_i / b_i``; the next change is at ``lam_next`` (``-inf``: none), a
        join of ``j`` (else ``j = -1``) or the leave of position ``i``. Features
        in ``gone`` (they left on the way) do not join again, the position
        ``new`` (weight 0, just joined) does not leave."""
        k = self.k
        s = self.s[:k]
        b = self.M0 @ s if k == self.k0 else self._apply(s)
        e = b @ self.rows
        with np.errstate(divide="ignore", invalid="ignore"):
            rate = np.maximum((1.0 + e) / (lam - g), (1.0 - e) / (lam + g))
            rate[self.K[:k]] = -np.inf
            if gone:
                rate[gone] = -np.inf
            j = int(rate.argmax())
            r_join, r_drop, i = rate[j], 0.0, -1
            if k:
                fall = b / self.x[:k]  # minus the rate at which x_i closes in on 0
                if new >= 0:
                    fall[new] = 0.0
                i = int(fall.argmin())
                r_drop = -fall[i]
        r = max(r_join, r_drop)
        lam_next = lam - 1.0 / r if r > 0 else -np.inf
        if not r_join >= r_drop:
            j = -1
        return self._changes, b, e, lam_next, j, i, rate

    def _walked(self, x, lam1: float, tol_abs: float) -> float | None:
        """The weights ``x`` a walk gave (every position free), refined
        (:meth:`_settle`, whose first test is made here) and checked: the
        largest ``|g_j|`` when their signs hold and no zero weight violates its
        condition (``self.x``, ``self.g`` set), else None (the general loop
        takes over)."""
        k = self.k
        K, s = self.K[:k], self.s[:k]
        g = x @ self.rows
        g -= self.c
        size = float(np.abs(g[K] + lam1 * s).max(initial=0.0))
        if size * float(np.abs(x).sum()) <= 0.1 * tol_abs:
            self._stale = False
        else:
            settled = self._settle(x, lam1, 0.0, 0.1 * tol_abs)
            if settled is None:
                return None
            x, g = settled
        if (s * x <= 0).any():
            return None
        size = np.abs(g)
        gmax = float(size.max(initial=0.0))
        size[K] = 0.0
        if float(size.max(initial=0.0)) > lam1 * (1.0 + VIOLATION):
            return None
        self.x[:k] = x
        self.g = g
        return gmax

    def solve(self, pen: Penalty, tol_abs: float):
        """Move to the solution at ``pen`` (lam1 > 0). Returns ``(w, b, gap,
        primal, g, rounds)`` certified by ``gap <= tol_abs``, or None when this method
        cannot (singular system, no settling, gap above ``tol_abs``).

        A Lasso solve of a :attr:`walk` active set walks down the path from the
        last point (:meth:`_walk`); the general loop below takes over when what
        it finds does not check out."""
        if self.walk and pen.lam2 == 0 and self.solved and self.k < WALK_MAX:
            x = self._walk(pen.lam1)
            if x is not None and not self.pinned[: self.k].any():
                gmax = self._walked(x, pen.lam1, tol_abs)
                if gmax is not None:
                    return self._certified(pen, tol_abs, 1, gmax)
            return self._loop(pen, tol_abs, None)
        return self._loop(pen, tol_abs, self._predicted(pen.lam1))

    def _loop(self, pen: Penalty, tol_abs: float, predicted):
        """The active-set method of the module docstring, from the support and
        weights where they are, ``predicted`` features joining first."""
        self._ahead = None
        lam1, lam2 = pen.lam1, pen.lam2
        thresh = lam1 * (1.0 + VIOLATION)
        rounds = 0
        fresh = True  # not solved for at this strength yet
        bounced = np.zeros(self.d, dtype=bool)
        while True:
            g = self.g
            viol = self._violators(g, thresh, bounced, predicted)
            predicted = None
            if viol is None and not fresh:
                break
            # one feature joining a support solved at this strength cannot get
            # the wrong sign (unless the inverse has drifted)
            single = not fresh and viol is not None and viol.size == 1
            fresh = False
            if viol is not None and not self._join(viol, -np.sign(g[viol])):
                return None
            rebuilt = False
            while True:
                rounds += 1
                if rounds > MAX_ROUNDS:
                    return None
                x = self._signed_solve(lam1, lam2)
                if x is None:
                    return None
                k = self.k
                free, s = ~self.pinned[:k], self.s[:k]
                # the signs are judged on the refined solution when the inverse
                # was built for another ridge part (an Elastic Net path)
                if lam2 != self.lam2_M or not (free & (s * x <= 0)).any():
                    settled = self._settle(x, lam1, lam2, 0.1 * tol_abs)
                    if settled is None:  # rebuilt at the next solve, once
                        if rebuilt:
                            return None
                        rebuilt = True
                        continue
                    x, g = settled
                    if not (free & (s * x <= 0)).any():
                        self.x[:k] = x
                        break
                if self._step_toward(x, bounced) == 0.0 and single:
                    if rebuilt:
                        return None
                    rebuilt = self._stale = True
            self.g = g
        return self._certified(pen, tol_abs, rounds)

    def _certified(self, pen: Penalty, tol_abs: float, rounds: int, gmax=None):
        """The solution reached (``self.x``, ``self.g``, whose largest ``|g_j|``
        is ``gmax`` when known), certified by its duality gap: ``(w, b, gap,
        primal, g, rounds)``, or None when the gap is above ``tol_abs``."""
        g = self.g
        self.solved = [*self.solved[-1:], (pen.lam1, g)]
        k = self.k
        x, K = self.x[:k], self.K[:k]
        cK = self.c[K]
        lin = float(x @ cK)
        quad = float(x @ (g[K] + cK))
        gap, primal = self.prob.gap_and_primal(x, g, quad, lin, pen, gmax)
        if not gap <= tol_abs:
            return None
        w = self.weights()
        return w, self.prob.intercept(w), gap, primal, g, rounds
