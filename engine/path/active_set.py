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
in step 1 too, which saves most second rounds.

The inverse of ``G_KK + lam2 I`` is kept from point to point for a set ``K`` of
features: the support, and features that left it lately (they often come back; their
weights are held at 0 by a small correction, and they leave ``K`` for good when they
are many). Features join ``K`` by bordering (the Schur complement): ``O(k^2)`` per
feature instead of ``O(k^3)`` per solve. Every solve is refined against ``G``
itself until its residual is negligible for the duality gap, and the inverse is
recomputed when that refinement stalls (rounding piled up over many updates, or an
Elastic Net's ``lam2`` moved far from the one it was built for). The rows ``G_K`` are
kept in one block, so the full gradient is one product. Each point is certified by
the full duality gap; when anything fails (a support whose Gram matrix is singular,
no settling) :func:`~engine.path.grid.regularization_path` hands the point to the
general working-set solver.
"""

from __future__ import annotations

import numpy as np

from ..penalties import Penalty

__all__ = ["GramActiveSet"]

#: Zero weights with ``|g_j| > lam1 (1 + VIOLATION)`` join the support; the margin
#: keeps a weight that sits at its kink (rounding either way) from cycling.
VIOLATION = 1e-13
#: A feature whose Schur complement is below this share of its own curvature is (to
#: rounding) a combination of the others': the system would be singular.
SINGULAR = 1e-10
#: Most linear solves at one point before giving up.
MAX_ROUNDS = 200
#: Most refinements of one solve.
MAX_REFINE = 30
#: Features bordered onto the inverse before they are merged into it.
BORDER_MAX = 96


class GramActiveSet:
    """The support, its signs and weights, and the inverse carried along a path of
    squared-loss problems with an L1 part (see the module docstring).

    ``prob`` is a :class:`~engine.problems.SquaredProblem` with a Gram matrix.

    Positions ``0 .. k-1`` of the buffers hold the features ``K`` of the inverse:
    the support, and features that left it (*pinned*: weight 0, not in the support)
    but stay because they often come back; a pinned feature costs a small
    correction per solve, and when there are many they leave for good
    (:meth:`_compact`). The inverse of ``H = G_KK + lam2_M I`` is kept in two
    parts: ``M0``, the inverse for the first ``k0`` features, and a border for the
    ``m = k - k0`` that joined since (``U = M0 G[K0, J]`` and the Schur complement
    ``S = H_JJ - G[J, K0] U``), merged into ``M0`` only every ``BORDER_MAX``
    features: joining costs one product with ``M0`` instead of a rewrite of it.
    """

    def __init__(self, prob):
        self.prob = prob
        self.G = prob.kernel.m.gram_c
        self.c = prob.c
        self.d = self.c.size
        self.reset(np.zeros(self.d))

    # -- state --------------------------------------------------------------------
    def reset(self, w: np.ndarray) -> None:
        """Start from the weights ``w`` (any point: the inverse is rebuilt at the
        next solve)."""
        A = np.flatnonzero(w)
        k = A.size
        self._allocate(max(2 * k, 256))
        self.k = self.k0 = k
        self.K[:k] = A
        self.s[:k] = np.sign(w[A])
        self.x[:k] = w[A]
        self.rows_buf[:k] = self.G[A]
        self.has_M = False  # built at the next solve
        self.lam2_M = 0.0
        self._changes = 0  # counts changes of the inverse (for the kept correction)
        self._correction = None
        self.free = np.zeros(self.d, dtype=bool)  # the support
        self.free[A] = True
        self.g = self.x[:k] @ self.rows_buf[:k] - self.c
        self.solved = []  # (lam1, g) of the last two points, for the prediction

    def _allocate(self, cap: int, keep: int = 0) -> None:
        """Buffers for ``cap`` features, keeping the first ``keep`` (and ``M0``)."""
        cap = min(cap, self.d)
        old = (self.K, self.s, self.x, self.pinned, self.rows_buf) if keep else ()
        M_old = self.M_buf if keep and self.has_M else None
        self.K = np.zeros(cap, dtype=np.intp)
        self.s = np.zeros(cap)
        self.x = np.zeros(cap)
        self.pinned = np.zeros(cap, dtype=bool)
        self.rows_buf = np.empty((cap, self.d))
        self.M_buf = np.empty((cap, cap))
        for new, prev in zip(
            (self.K, self.s, self.x, self.pinned, self.rows_buf), old, strict=False
        ):
            new[:keep] = prev[:keep]
        if M_old is not None:
            self.M_buf[: self.k0, : self.k0] = M_old[: self.k0, : self.k0]

    @property
    def M0(self) -> np.ndarray:
        return self.M_buf[: self.k0, : self.k0]

    @property
    def rows(self) -> np.ndarray:
        """``G[K]``: the Gram matrix's rows of the features in the inverse."""
        return self.rows_buf[: self.k]

    def weights(self) -> np.ndarray:
        w = np.zeros(self.d)
        w[self.K[: self.k]] = self.x[: self.k]
        return w

    # -- changes of the support -------------------------------------------------
    def _join(self, J: np.ndarray, sJ: np.ndarray) -> bool:
        """Features ``J`` join the support with signs ``sJ`` (weights 0): pinned
        ones are freed, the others added to the inverse. False if the system
        becomes singular."""
        k = self.k
        where = np.full(self.d, -1)
        where[self.K[:k]] = np.arange(k)
        pos = where[J]
        back = pos >= 0
        self.pinned[pos[back]] = False
        self.s[pos[back]] = sJ[back]
        if not back.all():
            new = J[~back]
            if not self._add(new):
                self._compact()  # a pinned feature may be what makes it singular
                k = self.k
                if not self._add(new):
                    return False
            self.s[k : self.k] = sJ[~back]
        self.free[J] = True
        return True

    def _add(self, J: np.ndarray) -> bool:
        """Put the features ``J`` into the inverse (weights 0, free), on its
        border."""
        k, m = self.k, J.size
        if k + m > self.K.size:
            self._allocate(max(2 * (k + m), 256), k)
        if self.has_M and (k - self.k0) + m > BORDER_MAX:
            self._merge()
        new_rows = self.rows_buf[k : k + m]
        new_rows[:] = self.G[J]
        if self.has_M:
            k0 = self.k0
            B = new_rows[:, self.K[:k0]].T  # G[K0, J]
            U_new = self.M0 @ B
            m_old = k - k0
            # the border's own Schur complement, bordered in turn: with
            # C = S[old, new] and D = S[new, new], T = D - C^T S_old^{-1} C
            C = new_rows[:, self.K[k0:k]].T - self.U.T @ B  # G[Jold, J] - U^T B
            W = self.S_inv @ C
            T = new_rows[:, J] - B.T @ U_new - C.T @ W
            T[np.diag_indices(m)] += self.lam2_M
            try:
                L = np.linalg.cholesky(T)
            except np.linalg.LinAlgError:
                return False
            if np.diag(L).min() ** 2 <= SINGULAR * (self.G[J, J].max() + self.lam2_M):
                return False
            T_inv = np.linalg.inv(T)
            WT = W @ T_inv
            S_inv = np.empty((m_old + m, m_old + m))
            S_inv[:m_old, :m_old] = self.S_inv + WT @ W.T
            S_inv[:m_old, m_old:] = -WT
            S_inv[m_old:, :m_old] = -WT.T
            S_inv[m_old:, m_old:] = T_inv
            self.S_inv = S_inv
            self._changes += 1
            self.U = np.concatenate([self.U, U_new], axis=1)
        self.K[k : k + m] = J
        self.x[k : k + m] = 0.0
        self.pinned[k : k + m] = False
        self.k = k + m
        return True

    def _merge(self) -> None:
        """The border into ``M0``: ``[[M0 + U S^-1 U^T, -U S^-1], [.., S^-1]]``."""
        k0, k = self.k0, self.k
        if k == k0:
            return
        US = self.U @ self.S_inv
        self.M_buf[:k0, :k0] += US @ self.U.T
        self.M_buf[:k0, k0:k] = -US
        self.M_buf[k0:k, :k0] = -US.T
        self.M_buf[k0:k, k0:k] = self.S_inv
        self._no_border(k)

    def _no_border(self, k0: int) -> None:
        self._changes += 1
        self.k0 = k0
        self.U = np.zeros((k0, 0))
        self.S_inv = np.zeros((0, 0))

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
        self.rows_buf[: F.size] = self.rows_buf[F]
        for a in (self.K, self.s, self.x):
            a[: F.size] = a[F]
        self.pinned[:k] = False
        self.k = F.size
        self._no_border(F.size)

    # -- linear algebra -----------------------------------------------------------
    def _rebuild(self, lam2: float) -> bool:
        """The inverse from scratch (the pinned features dropped first); False if
        ``G_KK + lam2 I`` is singular."""
        self._compact()
        k = self.k
        self._no_border(k)
        self.has_M = False
        if k == 0:
            self.has_M, self.lam2_M = True, lam2
            return True
        H = self.rows[:, self.K[:k]]
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
        self.lam2_M = lam2
        return True

    def _inverse(self, V: np.ndarray) -> np.ndarray:
        """``H^{-1} V`` for a vector or a matrix ``V`` (one column per right-hand
        side), through ``M0`` and the border:
        ``z = S^{-1} (V2 - U^T V1)``, ``H^{-1} V = [M0 V1 - U z; z]``."""
        k0 = self.k0
        if self.k == k0:
            return self.M0 @ V
        V1, V2 = V[:k0], V[k0:]
        z = self.S_inv @ (V2 - self.U.T @ V1)
        return np.concatenate([self.M0 @ V1 - self.U @ z, z])

    def _inverse_rows(self, P: np.ndarray) -> np.ndarray:
        """The rows ``P`` of ``H^{-1}`` (its columns: it is symmetric), from
        ``M0``'s rows and the border: ``O(k |P| m)``."""
        k0 = self.k0
        base = P < k0
        V2 = np.zeros((P.size, self.k - k0))
        V2[np.flatnonzero(~base), P[~base] - k0] = 1.0
        V2[base] -= self.U[P[base]]
        z = V2 @ self.S_inv  # S_inv is symmetric
        out = np.empty((P.size, self.k))
        out[:, k0:] = z
        top = out[:, :k0]
        np.matmul(z, self.U.T, out=top)
        np.negative(top, out=top)
        top[base] += self.M0[P[base]]
        return out

    def _pinned_correction(self, P: np.ndarray):
        """``(H^-1[P, :], (H^-1_PP)^{-1})``, kept while the inverse and ``P``
        stay."""
        key = (self._changes, P.tobytes())
        if self._correction is None or self._correction[0] != key:
            E = self._inverse_rows(P)
            self._correction = (key, E, np.linalg.inv(E[:, P]))
        return self._correction[1:]

    def _apply(self, v: np.ndarray) -> np.ndarray:
        """``(G_FF + lam2_M I)^{-1} v_F`` on the free positions ``F``, 0 on the
        pinned ones ``P``: ``(H^-1_FF - H^-1_FP (H^-1_PP)^{-1} H^-1_PF) v_F``."""
        P = np.flatnonzero(self.pinned[: self.k])
        if P.size == 0:
            return self._inverse(v)
        v = v.copy()
        v[P] = 0.0
        y = self._inverse(v)
        E, EPP_inv = self._pinned_correction(P)
        y -= (EPP_inv @ y[P]) @ E
        y[P] = 0.0
        return y

    def _signed_solve(self, lam1: float, lam2: float) -> np.ndarray | None:
        """The weights on the free positions for their signs (0 on the pinned):
        ``(G_FF + lam2 I) x_F = c_F - lam1 s_F``, from the kept inverse alone
        (refined by :meth:`_settle`). None when the system is singular."""
        if not self.has_M and not self._rebuild(lam2):
            return None
        k = self.k
        return self._apply(self.c[self.K[:k]] - lam1 * self.s[:k])

    def _settle(self, x, lam1: float, lam2: float, target: float):
        """Iterative refinement of ``x`` against ``G`` itself until the residual
        ``r_F = -(g_F + lam1 s_F + lam2 x_F)`` costs at most ``target`` of duality
        gap (``|r|_inf ||x||_1``). Returns ``(x, g)``, or None when it stalls above
        that (the inverse is stale)."""
        k = self.k
        K, s, free = self.K[:k], self.s[:k], ~self.pinned[:k]
        rows = self.rows
        g = x @ rows - self.c
        prev = np.inf
        for _ in range(MAX_REFINE):
            r = -(g[K] + lam1 * s + lam2 * x)
            r[~free] = 0.0
            size = float(np.abs(r).max(initial=0.0))
            if size * float(np.abs(x).sum()) <= target:
                return x, g
            if size > 0.5 * prev:
                return None
            prev = size
            dx = self._apply(r)
            x = x + dx
            g += dx @ rows
        return None

    def _predicted_violators(self, lam1: float) -> np.ndarray | None:
        """Zero weights whose gradient, extrapolated linearly from the last two
        points (the path is piecewise linear), will violate the condition at
        ``lam1``: they join at once rather than after the first solve."""
        if len(self.solved) < 2:
            return None
        (lam_a, g_a), (lam_b, g_b) = self.solved
        if lam_a == lam_b:
            return None
        g = g_b + ((lam1 - lam_b) / (lam_b - lam_a)) * (g_b - g_a)
        return np.abs(g) > lam1

    # -- one point ----------------------------------------------------------------
    def solve(self, pen: Penalty, tol_abs: float):
        """Move to the solution at ``pen`` (lam1 > 0). Returns ``(w, gap, primal,
        g, rounds)`` certified by ``gap <= tol_abs``, or None when this method
        cannot (singular system, no settling, gap above ``tol_abs``)."""
        lam1, lam2 = pen.lam1, pen.lam2
        thresh = lam1 * (1.0 + VIOLATION)
        rounds = 0
        fresh = True  # not solved for at this strength yet
        # Features that joined together and had to leave again at once. One
        # feature joining a stationary support gets the sign it joins with, so when
        # only such features violate, they join one at a time.
        bounced = np.zeros(self.d, dtype=bool)
        predicted = self._predicted_violators(lam1)
        while True:
            g = self.g
            viol = ~self.free & (np.abs(g) > thresh)
            if predicted is not None:
                viol |= predicted & ~self.free
                predicted = None
            if not viol.any() and not fresh:
                break
            fresh = False
            if viol.any():
                if (viol & ~bounced).any():
                    viol &= ~bounced
                    viol = np.flatnonzero(viol)
                    cap = max(20, self.k)
                    if viol.size > cap:  # the worst first
                        viol = viol[np.argsort(-np.abs(g[viol]))[:cap]]
                else:
                    viol = np.flatnonzero(viol)
                    viol = viol[np.argmax(np.abs(g[viol])), None]
                if not self._join(viol, -np.sign(g[viol])):
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
                wrong = free & (s * x <= 0)
                if not wrong.any():
                    settled = self._settle(x, lam1, lam2, 0.1 * tol_abs)
                    if settled is None:
                        if rebuilt or not self._rebuild(lam2):
                            return None
                        rebuilt = True
                        continue
                    x, g = settled
                    wrong = free & (s * x <= 0)
                    if not wrong.any():
                        self.x[:k] = x
                        break
                # toward x only until the first weight reaches zero
                w = self.x[:k]
                with np.errstate(divide="ignore", invalid="ignore"):
                    t_hit = np.where(wrong, w / (w - x), np.inf)
                t_hit[wrong & (w == 0)] = 0.0
                t = float(t_hit.min())
                bounced[self.K[:k][t_hit == 0.0]] = True
                moved = w + t * (x - w)
                drop = free & (
                    (t_hit <= t) | (s * moved < 0) | ((moved == 0) & (w != 0))
                )
                moved[~free] = 0.0
                self.x[:k] = moved
                self._pin(drop)
            self.g = g
        self.solved = [*self.solved[-1:], (lam1, g)]
        k = self.k
        x, K = self.x[:k], self.K[:k]
        lin = float(x @ self.c[K])
        quad = float(x @ (g[K] + self.c[K]))
        gap, primal = self.prob._gap(x, g, quad, lin, pen)
        if not gap <= tol_abs:
            return None
        return self.weights(), gap, primal, g, rounds
