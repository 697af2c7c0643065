"""Exact L1 and Elastic Net logistic solutions along a path: Newton's method on the
support, with the curvature kept from strength to strength.

With the support ``F`` and the signs ``s`` fixed, the objective with the intercept
at its best value for ``w``, ::

    phi_s(w) = min_b D(X_F w_F + b) + lam1 s.w_F + (lam2 / 2) ||w_F||^2,

is smooth and strictly convex. Its gradient is ``X_F^T v + lam1 s + lam2 w_F`` with
``v = D'(z)`` at the best intercept (so ``sum v = 0``) and its Hessian is the
weighted Gram matrix of the weighted-centred columns, ::

    H = X_F^T (Omega - omega omega^T / sum(omega)) X_F + lam2 I,
    omega_i = sigma(y_i z_i) sigma(-y_i z_i) / n,   Omega = diag(omega).

Newton's method on ``phi_s`` is the working-set solver's sign-pattern polish. Here
each Newton system is solved by conjugate gradients preconditioned with the inverse
of ``H`` at an earlier point, kept across strengths by
:class:`~engine.path.kept_inverse.KeptInverse` (bordered at that point's ``omega``
as features join, rebuilt at the current point when the conjugate gradients need
more than ``CG_REBUILD`` steps): the curvature changes slowly along a path, so a
Newton step costs a few products with ``X_F`` and with the kept inverse, not a new
``n k^2`` matrix and its factorization.

Signs and support are handled as for squared loss (:mod:`engine.path.active_set`):
zero weights violating ``|g_j| <= lam1`` join with the sign ``-sign(g_j)``; a Newton
step that would flip a weight's sign stops where the first one reaches zero, which
leaves the support; a backtracking line search keeps every step downhill. When
more features violate than join at once (from far away: a cold start), another
round follows, and that working set is solved only to a residual of ``LOOSE``
``lam1`` (enough to rank the next violators); when such a round grows the working
set by half or more, the kept inverse is built again at the current curvature
rather than bordered at the old one. Each Newton system is solved only as far as
the point it leads to needs. Each point is certified by the full duality
gap; a point this method cannot settle goes to the general working-set solver.
"""

from __future__ import annotations

import numpy as np

from ..losses import LogisticLoss, sigmoid
from ..penalties import Penalty
from .kept_inverse import KeptInverse

__all__ = ["LogisticActiveSet"]

#: Zero weights with ``|g_j| > lam1 (1 + VIOLATION)`` join the support.
VIOLATION = 1e-13
#: Most Newton steps at one point before giving up.
MAX_STEPS = 200
#: Conjugate-gradient steps beyond which the kept inverse is rebuilt.
CG_REBUILD = 8
#: Most conjugate-gradient steps for one Newton system.
CG_MAX = 100
#: A working set that more violators will join is solved to a residual of at most
#: this share of lam1.
LOOSE = 0.1
JOIN_FORCING = 0.1


def _weighted_gram(A: np.ndarray, om: np.ndarray) -> np.ndarray:
    """``A diag(om) A^T`` for weights ``om >= 0``, as ``B B^T`` with
    ``B = A sqrt(om)``: a symmetric rank-k update, half the work (and a third of
    the time here) of the general product ``(A om) A^T``."""
    B = A * np.sqrt(om)
    return B @ B.T


class LogisticActiveSet(KeptInverse):
    """The support, its signs and weights, the intercept, and the kept inverse
    carried along a path of logistic problems with an L1 part (see the module
    docstring).

    ``prob`` is a :class:`~engine.problems.LogisticProblem`. The columns
    ``X[:, K]`` are kept, one row per position.
    """

    def __init__(self, prob):
        self.prob = prob
        self.X = prob.X
        self.y = prob.y
        self.n, self.d = self.X.shape
        self.reset(np.zeros(self.d), LogisticLoss.null_intercept(self.y))

    def reset(self, w: np.ndarray, b: float) -> None:
        """Start from ``(w, b)`` (the inverse is rebuilt at the next solve)."""
        self._start(w)
        self.omega_M = None
        self._stale = False  # the conjugate gradients were slow with this inverse
        self.b = float(b)
        self._point()
        self.g = self.X.T @ self.v

    @property
    def cols(self) -> np.ndarray:
        """``X[:, K].T``: one row per position."""
        return self.cols_buf[: self.k]

    # -- what is kept per position ---------------------------------------------------
    def _grow(self, cap: int, keep: int) -> None:
        old = self.cols_buf if keep else None
        self.cols_buf = np.empty((cap, self.n))
        if old is not None:
            self.cols_buf[:keep] = old[:keep]

    def _store(self, J: np.ndarray, at: int) -> None:
        self.cols_buf[at : at + J.size] = self.X[:, J].T

    def _block(self, J: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        k, om = self.k, self.omega_M
        XJ = self.cols_buf[k : k + J.size]
        WJ = XJ * om
        qJ = WJ.sum(axis=1)
        qK = self.cols @ om
        sw = float(om.sum())
        HKJ = self.cols @ WJ.T - np.outer(qK, qJ / sw)
        return HKJ, _weighted_gram(XJ, om) - np.outer(qJ, qJ / sw)

    def _matrix(self) -> np.ndarray:
        om = self._curvature()
        self.omega_M = om
        A = self.cols
        q = A @ om
        return _weighted_gram(A, om) - np.outer(q, q / float(om.sum()))

    def _permute(self, F: np.ndarray) -> None:
        self.cols_buf[: F.size] = self.cols_buf[F]

    # -- the current point ----------------------------------------------------------
    def _point(self) -> None:
        """``z``, the best intercept and ``v = D'(z)`` at the current weights."""
        z0 = self.x[: self.k] @ self.cols
        self.b = self.prob.best_intercept(z0, self.b)
        self.z = z0 + self.b
        self.v = LogisticLoss.derivative(self.z, self.y)

    def _curvature(self) -> np.ndarray:
        """``omega_i = sigma(y_i z_i) sigma(-y_i z_i) / n`` at the current point."""
        p = sigmoid(-self.y * self.z)
        return p * (1.0 - p) / self.n

    def _objective(self, z: np.ndarray, x: np.ndarray, lam1, lam2) -> float:
        """``phi_s`` at weights ``x`` (signs consistent) and predictions ``z``."""
        s = self.s[: self.k]
        return (
            LogisticLoss.value(z, self.y)
            + lam1 * float(s @ x)
            + 0.5 * lam2 * float(x @ x)
        )

    def _residual(self, lam1: float, lam2: float) -> np.ndarray:
        """Minus the gradient of ``phi_s`` on the free positions (0 on the
        pinned)."""
        k = self.k
        r = -(self.cols @ self.v + lam1 * self.s[:k] + lam2 * self.x[:k])
        r[self.pinned[:k]] = 0.0
        return r

    def _newton_direction(self, lam1: float, lam2: float, enough=0.0, r=None):
        """``(r, H^{-1} r)`` with ``r`` the residual (given, or computed here): the
        Newton step on the free positions by conjugate gradients preconditioned
        with the kept inverse, to a relative residual ``min(0.1, |r|)``, or to
        ``|residual| <= enough`` (what the caller needs of the next point) if that
        is larger. The inverse is rebuilt here first (which may drop pinned
        positions, and then r is computed again) when it is missing or was slow
        last time. None if the curvature is singular."""
        if not self.has_M or self._stale:
            if not self._rebuild(lam2):
                return None
            r = None
        self._stale = False
        if r is None:
            r = self._residual(lam1, lam2)
        A = self.cols
        pinned = self.pinned[: self.k]
        om = self._curvature()
        q = A @ om
        sw = float(om.sum())

        rnorm = float(np.linalg.norm(r))
        stop = max(min(0.1, rnorm) * rnorm, enough)
        delta = np.zeros_like(r)
        change = np.zeros(self.n)  # X_K delta, from the products' X_K p
        res = r.copy()
        z = self._apply(res)
        p = z.copy()
        rz = float(res @ z)
        it = 0
        while it < CG_MAX:
            it += 1
            pA = p @ A
            Hp = A @ (om * pA) - q * (float(q @ p) / sw) + lam2 * p
            Hp[pinned] = 0.0
            curv = float(p @ Hp)
            if not curv > 0:
                return None
            a = rz / curv
            delta += a * p
            change += a * pA
            res -= a * Hp
            if float(np.linalg.norm(res)) <= stop:
                break
            z = self._apply(res)
            rz_new = float(res @ z)
            p = z + (rz_new / rz) * p
            rz = rz_new
        self._stale = it > CG_REBUILD
        return r, delta, change

    def _line_step(self, r, delta, change, lam1, lam2, bounced) -> bool:
        """Move along the Newton direction ``delta`` (``change = X_K delta``): to
        the full step, or to where the first weight of the wrong sign reaches zero
        (which then leaves the support), backtracking while the objective does not
        fall enough. False if no step helps."""
        k = self.k
        free, s, w = ~self.pinned[:k], self.s[:k], self.x[:k].copy()
        target = w + delta
        wrong = free & (s * target <= 0)
        t_cross = np.inf
        if wrong.any():
            with np.errstate(divide="ignore", invalid="ignore"):
                t_hit = np.where(wrong, w / (w - target), np.inf)
            t_hit[wrong & (w == 0)] = 0.0
            t_cross = float(t_hit.min())
            if t_cross == 0.0:  # joined with a sign their solution does not have
                bounced[self.K[:k][t_hit == 0.0]] = True
                self._pin(t_hit == 0.0)
                return True
        t = min(1.0, t_cross)
        f0 = self._objective(self.z, w, lam1, lam2)
        slope = -float(r @ delta)
        cols = self.cols
        z_w = self.z - self.b  # X_K w
        # the best intercept moves by -(omega . dz) / sum(omega) to first order:
        # the 1-D Newton's method starts there
        p = -self.n * self.y * self.v  # sigma(-y z)
        om = p * (1.0 - p)
        drift = -float(om @ change) / max(float(om.sum()), 1e-300)
        while True:
            x_new = w + t * delta
            z0 = z_w + t * change
            crossing = t == t_cross
            if crossing:
                drop = free & ((t_hit <= t) | (s * x_new <= 0))
                z0 -= x_new[drop] @ cols[drop]
                x_new[drop] = 0.0
            b = self.prob.best_intercept(z0, self.b + t * drift)
            f = self._objective(z0 + b, x_new, lam1, lam2)
            # (near the solution the decrease is below rounding: take the step)
            if f <= f0 + 1e-4 * t * slope + 1e-15 * abs(f0):
                break
            t *= 0.5
            if t < 1e-12:
                return False
        self.x[:k] = x_new
        self.b = b
        self.z = z0 + b
        self.v = LogisticLoss.derivative(self.z, self.y)
        if crossing:
            self._pin(drop)
        return True

    def _extrapolate(self, lam1: float) -> None:
        """Start from the weights extrapolated linearly from the last two points
        (nearly on the path, which is nearly piecewise linear): weights that would
        cross zero leave the support at once, new ones start at 0."""
        if len(self.solved) < 2:
            return
        (lam_a, _, w_a), (lam_b, _, w_b) = self.solved
        if lam_a == lam_b:
            return
        k = self.k
        x, s, free = self.x[:k], self.s[:k], ~self.pinned[:k]
        t = (lam1 - lam_b) / (lam_b - lam_a)
        K = self.K[:k]
        guess = w_b[K] + t * (w_b[K] - w_a[K])
        guess[(x == 0) | ~free] = 0.0
        leave = free & (x != 0) & (s * guess <= 0)
        guess[leave] = 0.0
        self.x[:k] = guess
        if leave.any():
            self._pin(leave)
        self._point()

    # -- one point ----------------------------------------------------------------
    def solve(self, pen: Penalty, tol_abs: float):
        """Move to the solution at ``pen`` (lam1 > 0). Returns ``(w, b, gap, primal,
        g, steps)`` certified by ``gap <= tol_abs``, or None when this method
        cannot (singular curvature, no settling, gap above ``tol_abs``)."""
        lam1, lam2 = pen.lam1, pen.lam2
        thresh = lam1 * (1.0 + VIOLATION)
        # the residual r costs about |r|_inf ||w||_1 of duality gap; should the
        # certificate still fail, the Newton steps go on to a smaller residual
        target = 0.1 * tol_abs
        steps = 0
        fresh = True
        bounced = np.zeros(self.d, dtype=bool)
        predicted = self._predicted(lam1)
        self._stale = False
        loose = False  # the last working set was solved only roughly
        while True:
            g = self.g
            viol = self._violators(g, thresh, bounced, predicted)
            predicted = None
            if viol is None and not fresh:
                x = self.x[: self.k]
                gap, primal = self.prob.gap_and_primal(x, self.z, self.v, g, pen)
                if gap <= tol_abs:
                    break
                if not loose:
                    target *= 0.01
                if target < 1e-12 * tol_abs:
                    return None
            fresh = False
            # more violators than join now: another round follows, and this
            # working set's solution only has to rank them
            loose = viol is not None and (
                int(np.count_nonzero(~self.free & (np.abs(g) > thresh))) > viol.size
            )
            if loose and 2 * viol.size >= self.k:
                # far from the solution (a cold start: the working set grows by
                # half or more) the curvature moves far between rounds: the
                # inverse is built again at the next Newton step, with the joining
                # features (not bordered at an old point)
                self.has_M = False
            if viol is not None and not self._join(viol, -np.sign(g[viol])):
                return None
            if steps == 0:
                self._extrapolate(lam1)
            while True:
                k = self.k
                x, free = self.x[:k], ~self.pinned[:k]
                r = self._residual(lam1, lam2)
                size = float(np.abs(r).max(initial=0.0))
                joining = (free & (x == 0)).any()  # they have not moved yet
                norm1 = float(np.abs(x).sum())
                if not joining and size * norm1 <= target:
                    break
                if not joining and loose and size <= LOOSE * lam1:
                    break
                steps += 1
                if steps > MAX_STEPS:
                    return None
                # the residual this working set asks for, with room for the step's
                # change of |x|_1 and of the model (none while weights join: their
                # step makes |x|_1)
                if joining:
                    enough = JOIN_FORCING * float(np.linalg.norm(r))
                else:
                    enough = 0.25 * (LOOSE * lam1 if loose else target / norm1)
                step = self._newton_direction(lam1, lam2, enough, r)
                if step is None or not self._line_step(*step, lam1, lam2, bounced):
                    return None
            self.g = self.X.T @ self.v
        self.solved = [*self.solved[-1:], (lam1, g, self.weights())]
        return self.weights(), self.b, gap, primal, g, steps
