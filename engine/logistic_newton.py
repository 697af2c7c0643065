"""Logistic loss with a penalty, solved by Newton's method.

The objective (``lam1 = 0``, ``lam2 > 0``) ::

    F(w, b) = (1/n) sum_i log(1 + exp(-y_i (x_i.w + b))) + (lam2 / 2) ||w||^2

is smooth and strongly convex in ``w``. With ``u = (w, b)``, ``A = [X, 1]`` and
``omega_i = sigma(y_i z_i) sigma(-y_i z_i) / n`` its Hessian is ::

    H = A^T diag(omega) A + diag(lam2, ..., lam2, 0).

Each Newton system ``H p = -grad F`` is solved inexactly by conjugate gradients
(products ``A^T (omega * (A p))``: two passes over X, never an ``n d^2`` matrix), the
intercept's equation scaled against the features' (standardized columns have about
the same curvature), to a relative residual ``min(0.5, sqrt(|grad F|))`` (a
truncated Newton method: superlinear near the solution). A backtracking line search
keeps every step downhill. Once a full step's Newton decrement (about twice the
distance to the minimum) is below ``tol_abs``, the intercept moves to its best value
for ``w``, where the duality gap of :class:`~engine.problems.LogisticProblem`
certifies the point; the method stops when that gap is at most ``tol_abs``.

A logistic problem with an L1 part goes to the path's Newton on the support
(:func:`active_set_l1`).
"""

from __future__ import annotations

import numpy as np

from .losses import LogisticLoss, sigmoid
from .penalties import Penalty

__all__ = ["active_set_l1", "newton_l2"]

#: Most conjugate-gradient steps for one Newton system.
CG_MAX = 250
#: Most Newton steps.
NEWTON_STEPS = 100


def newton_l2(prob, pen: Penalty, w, b, tol_abs, max_iter, cancel):
    """Minimize ``prob`` (a :class:`~engine.problems.LogisticProblem`) under the L2
    penalty ``pen`` from ``(w, b)`` to a duality gap ``tol_abs``.

    Returns ``(w, b, gap, primal, n_iter, converged, g)`` as the working-set solver
    does (``n_iter``: conjugate-gradient steps, each two passes over X), or None
    when the curvature breaks down (then the caller's general solver takes over).
    """
    # on extreme data the curvature underflows to 0 on the way: such a point is
    # not certified (NaN gap), and the working-set solver takes it
    with np.errstate(all="ignore"):
        return _newton(prob, pen, w, b, tol_abs, max_iter, cancel)


def _newton(prob, pen: Penalty, w, b, tol_abs, max_iter, cancel):
    X, y, n = prob.X, prob.y, prob.n
    lam2 = pen.lam2
    w = np.array(w, dtype=np.float64)
    b = prob.best_intercept(X @ w, b)
    z = X @ w + b
    f = LogisticLoss.value(z, y) + pen.value(w)
    n_iter = 0
    gap, g = np.inf, None
    certify_below = tol_abs
    for _ in range(NEWTON_STEPS):
        s = sigmoid(-y * z)
        v = -y * s / n
        g = X.T @ v
        grad = np.append(g + lam2 * w, v.sum())
        omega = s * (1.0 - s) / n
        gnorm = float(np.linalg.norm(grad))
        step, it = _conjugate_gradient(
            X, omega, lam2, -grad, min(0.5, np.sqrt(gnorm)) * gnorm
        )
        n_iter += it
        if step is None:
            return None
        slope = float(grad @ step)
        if not slope < 0:
            return None
        if cancel is not None and cancel():
            break
        dw, db = step[:-1], float(step[-1])
        dz = X @ dw + db
        t = 1.0
        while True:
            w_new = w + t * dw
            f_new = LogisticLoss.value(z + t * dz, y) + pen.value(w_new)
            if f_new <= f + 1e-4 * t * slope + 1e-15 * abs(f):
                break
            t *= 0.5
            if t < 1e-12:
                return None
        w, b, z, f = w_new, b + t * db, z + t * dz, f_new
        # the Newton decrement -slope is about twice the distance to the minimum
        # before the step (and the full step squares it): certify, at the best
        # intercept where the dual point is feasible, only from there on
        if (t == 1.0 and -slope <= certify_below) or n_iter >= max_iter:
            gap, f_b, b_b, z_b, g_b = _certify(prob, pen, w, b, z)
            if gap <= tol_abs or n_iter >= max_iter:
                return w, b_b, gap, f_b, n_iter, gap <= tol_abs, g_b
            certify_below = 0.01 * -slope  # not yet: a few more steps
    gap, f, b, z, g = _certify(prob, pen, w, b, z)
    return w, b, gap, f, n_iter, gap <= tol_abs, g


def _certify(prob, pen, w, b, z):
    """``(gap, primal, b, z, g)`` at ``w`` with its best intercept."""
    z0 = z - b
    b = prob.best_intercept(z0, b)
    z = z0 + b
    v = LogisticLoss.derivative(z, prob.y)
    g = prob.X.T @ v
    gap, primal = prob.gap_and_primal(w, z, v, g, pen)
    return gap, primal, b, z, g


def _conjugate_gradient(X, omega, lam2, r, stop):
    """Solve ``H p = r`` (``H`` the Hessian of the module docstring) by conjugate
    gradients, to ``|residual| <= stop``. The intercept's equation is scaled by its
    own curvature ``sum(omega)`` against the features' mean one (a diagonal
    preconditioner). Returns ``(p, steps)``; p is None if the curvature is not
    positive."""
    d = X.shape[1]
    sw = float(omega.sum())
    diag = np.ones(d + 1)
    diag[d] = sw / (sw + lam2) if sw > 0 else 1.0
    x = np.zeros(d + 1)
    res = r.copy()
    zr = res / diag
    p = zr.copy()
    rz = float(res @ zr)
    for it in range(1, CG_MAX + 1):
        Ap = X @ p[:d] + p[d]
        wAp = omega * Ap
        Hp = np.append(X.T @ wAp + lam2 * p[:d], wAp.sum())
        curv = float(p @ Hp)
        if not curv > 0:
            return None, it
        a = rz / curv
        x += a * p
        res -= a * Hp
        if float(np.linalg.norm(res)) <= stop:
            return x, it
        zr = res / diag
        rz_new = float(res @ zr)
        p = zr + (rz_new / rz) * p
        rz = rz_new
    return x, CG_MAX


def active_set_l1(prob, pen: Penalty, w, b, tol_abs):
    """Logistic loss with an L1 part (``lam1 > 0``) by Newton's method on the
    support with its signs held (:class:`~engine.path.logistic.LogisticActiveSet`,
    the path's exact solver, here for one strength from ``(w, b)``).

    Returns ``(w, b, gap, primal, n_iter, converged, g)`` certified by
    ``gap <= tol_abs``, or None when that method cannot settle the point.
    """
    # engine.path builds on engine.solvers, which calls this: imported when used
    from .path.logistic import LogisticActiveSet

    # on extreme data the curvature underflows to 0 on the way: such a point is
    # not certified, and the working-set solver takes it
    with np.errstate(all="ignore"):
        active = LogisticActiveSet(prob)
        if np.any(w):
            active.reset(np.asarray(w, dtype=np.float64), b)
        try:
            done = active.solve(pen, tol_abs)
        except ZeroDivisionError:  # every curvature weight underflowed to 0
            done = None
    if done is None or not (np.isfinite(done[0]).all() and np.isfinite(done[1])):
        return None
    w, b, gap, primal, g, steps = done
    return w, b, gap, primal, steps, True, g
