"""Logistic loss with a penalty, solved by Newton's method.

The objective (``lam1 = 0``, ``lam2 > 0``) ::

    F(w, b) = (1/n) sum_i log(1 + exp(-y_i (x_i.w + b))) + (lam2 / 2) ||w||^2

is smooth and strongly convex in ``w``. With ``u = (w, b)``, ``A = [X, 1]`` and
``omega_i = sigma(y_i z_i) sigma(-y_i z_i) / n`` its Hessian is ::

    H = A^T diag(omega) A + diag(lam2, ..., lam2, 0).

At the best intercept for ``w`` (where ``sum_i v_i = 0``, ``v = D'(z)``) the
duality gap of :class:`~engine.problems.LogisticProblem` is exactly ::

    gap = |X^T v + lam2 w|^2 / (2 lam2),

so a gradient below ``sqrt(2 lam2 tol_abs)`` certifies the point. Each Newton system
``H p = -grad F`` is solved inexactly by conjugate gradients (products
``A^T (omega * (A p))`` block by block of rows, so that a block read for ``A p``
is still in the cache for ``A^T``; never an ``n d^2`` matrix), the intercept's
equation scaled against the features' (standardized columns have about the same
curvature), to a relative residual given by Eisenstat and Walker's forcing terms (a
truncated Newton method: superlinear near the solution) but never below half the
certifying gradient: the last system is solved only as far as the certificate
needs. The conjugate gradients also return ``A p``, so the backtracking line search
that keeps every step downhill costs no pass over X. Once the gradient is below
the certifying one, the gap is taken at the best intercept for ``w``; the method
stops when it is at most ``tol_abs``. If not (moving the intercept moved the
gradient of ``w``: columns of large means on their raw scales), the steps go on
from ``(w, b)``, asking for a gradient ten times smaller.

A Newton system asked a relative residual of at least ``SINGLE_RESIDUAL`` (all of
them but the last few, as a rule) takes its products from the problem's copy of X
in single precision (:attr:`~engine.problems.LogisticProblem.X_single`): half the
bytes to read, and the direction only steers the step. The change of the linear
predictor ``z`` comes from those products too, until the gradient first reaches
the certifying one: there ``z = X w + b`` is formed again in double, and from then
on every step's ``X dw`` is. Until then, while the last gradient was at least
``SINGLE_GRADIENT`` (a thousand times the error of one in single precision on
standardized columns), the gradient is taken from the single-precision copy too.
Values, the line search, the gradient near the certificate and the gap are in
double precision; a system single precision cannot settle (no descent, or
``CG_MAX`` steps) is solved again in double.

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
#: Largest forcing term (relative residual of a Newton system).
ETA_MAX = 0.5
#: Eisenstat and Walker's choice 2 of the forcing terms: gamma and alpha.
EW_GAMMA, EW_ALPHA = 0.9, (1.0 + 5**0.5) / 2
#: Bytes of X per block of rows in a Hessian product (about half a core's L2 cache).
BLOCK_BYTES = 1 << 20
#: Smallest relative residual asked of conjugate gradients in single precision.
SINGLE_RESIDUAL = 1e-3
#: Smallest norm of the last gradient for a gradient in single precision (standardized
#: columns: about 1000 times its error).
SINGLE_GRADIENT = 1e-4


def newton_l2(prob, pen: Penalty, w, b, tol_abs, max_iter, cancel):
    """Minimize ``prob`` (a :class:`~engine.problems.LogisticProblem`) under the L2
    penalty ``pen`` from ``(w, b)`` to a duality gap ``tol_abs``.

    Returns ``(w, b, gap, primal, n_iter, converged, g)`` as the working-set solver
    does (``n_iter``: conjugate-gradient steps, each a product with the Hessian),
    or None when the curvature breaks down (then the caller's general solver takes
    over).
    """
    # on extreme data the curvature underflows to 0 on the way: such a point is
    # not certified (NaN gap), and the working-set solver takes it
    with np.errstate(all="ignore"):
        return _newton(prob, pen, w, b, tol_abs, max_iter, cancel)


def _newton(prob, pen: Penalty, w, b, tol_abs, max_iter, cancel):
    X, y, n = prob.X, prob.y, prob.n
    lam2 = pen.lam2
    hess = _Curvature(X)
    # the same products from X in single precision, half the bytes to read, for the
    # systems asked a relative residual within its reach
    X_single = prob.X_single
    hess_single = None if X_single is None else _Curvature(X_single)
    w = np.array(w, dtype=np.float64)
    z0 = X @ w if w.any() else np.zeros(n)
    if w.any() or (y == y[0]).all():
        b = prob.best_intercept(z0, b)
    else:  # the best intercept of w = 0: the log-odds of the two classes
        b = LogisticLoss.null_intercept(y)
    z = z0 + b
    f = LogisticLoss.value(z, y) + pen.value(w)
    # at the best intercept the gap is |grad_w F|^2 / (2 lam2) (module docstring):
    # a gradient below grad_goal certifies the point
    grad_goal = np.sqrt(2.0 * lam2 * tol_abs)
    best_b = True  # b is the best intercept for w: the gap is at hand
    n_iter = 0
    gap, g = np.inf, None
    prev = None
    exact_z, drift, gnorm_prev = False, False, 0.0
    for _ in range(NEWTON_STEPS):
        s = sigmoid(-y * z)
        v = -y * s / n
        if drift and gnorm_prev >= SINGLE_GRADIENT:
            # z is from single-precision products already: so may this gradient
            # be, far from the certifying one (its error is about 1e-7)
            g = (X_single.T @ v.astype(np.float32)).astype(np.float64)
        else:
            g = X.T @ v
        grad = np.append(g + lam2 * w, v.sum())
        gnorm = gnorm_prev = float(np.linalg.norm(grad))
        if best_b:
            gap, f = prob.gap_and_primal(w, z, v, g, pen)
            if gap <= tol_abs or n_iter >= max_iter:
                return w, b, gap, f, n_iter, gap <= tol_abs, g
        elif gnorm <= grad_goal or n_iter >= max_iter:
            if drift:  # z formed again in double, and so from now on
                z = X @ w + b
                drift = False
            exact_z = True
            # the gap at the best intercept for w
            gap, f_b, b_b, _, g_b = _certify(prob, pen, w, b, z)
            if gap <= tol_abs or n_iter >= max_iter:
                return w, b_b, gap, f_b, n_iter, gap <= tol_abs, g_b
            # not yet (moving b moves the gradient of w): on from (w, b), asking
            # the next points for a smaller gradient
            grad_goal *= 0.1
        best_b = False
        # the truncated Newton forcing term, never tighter than the gradient the
        # certificate asks of the next point (half of it: room for the model's error)
        eta = _forcing(gnorm, prev)
        prev = (gnorm, eta)
        stop = max(eta * gnorm, 0.5 * grad_goal)
        omega = s * (1.0 - s) / n
        step, dz, it = None, None, 0
        if hess_single is not None and stop >= SINGLE_RESIDUAL * gnorm:
            step, dz, it = _conjugate_gradient(hess_single, omega, lam2, -grad, stop)
            n_iter += it
            if step is None or it == CG_MAX or not float(grad @ step) < 0:
                step = None  # beyond single precision: again in double, as all
                hess_single = None  # the systems to come
            elif exact_z:
                dz = X @ step[:-1] + step[-1]
            else:  # z from single-precision products, made exact before the gap
                drift = True
        if step is None:
            step, dz, it = _conjugate_gradient(hess, omega, lam2, -grad, stop)
            n_iter += it
        if step is None:
            return None
        slope = float(grad @ step)
        if not slope < 0:
            return None
        if cancel is not None and cancel():
            break
        dw, db = step[:-1], float(step[-1])
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
    if drift:
        z = X @ w + b
    gap, f, b, z, g = _certify(prob, pen, w, b, z)
    return w, b, gap, f, n_iter, gap <= tol_abs, g


def _forcing(gnorm, prev):
    """The relative residual asked of a Newton system: Eisenstat and Walker's
    (1996) choice 2, ``gamma (|g_k| / |g_k-1|)^alpha``, from what the last step
    achieved, safeguarded against falling fast while the steps still fall short;
    ``ETA_MAX`` at the first step. ``prev`` is ``(|g_k-1|, eta_k-1)`` or None."""
    if prev is None:
        return ETA_MAX
    eta = EW_GAMMA * (gnorm / prev[0]) ** EW_ALPHA
    floor = EW_GAMMA * prev[1] ** EW_ALPHA
    if floor > 0.1:
        eta = max(eta, floor)
    return min(eta, ETA_MAX)


def _certify(prob, pen, w, b, z):
    """``(gap, primal, b, z, g)`` at ``w`` with its best intercept."""
    z0 = z - b
    b = prob.best_intercept(z0, b)
    z = z0 + b
    v = LogisticLoss.derivative(z, prob.y)
    g = prob.X.T @ v
    gap, primal = prob.gap_and_primal(w, z, v, g, pen)
    return gap, primal, b, z, g


class _Curvature:
    """Products ``X^T (omega * (X p + c))`` block by block of rows: a block of
    ``BLOCK_BYTES`` stays in the cache between its two products, so X is read
    once per product instead of twice. In the precision of X (double, or its
    single-precision copy)."""

    def __init__(self, X):
        self.X = X
        n, d = X.shape
        rows = max(16, BLOCK_BYTES // (X.itemsize * max(d, 1)))
        if rows >= n or not X.flags.c_contiguous:
            rows = n
        self.blocks = [slice(i, min(i + rows, n)) for i in range(0, n, rows)]
        self.Ap = np.empty(n, dtype=X.dtype)
        self.omega = None
        self.omega_x = None

    def product(self, omega, p, c):
        """``(X^T (omega * Ap), Ap)`` with ``Ap = X p + c`` (kept until the next
        call)."""
        X, Ap = self.X, self.Ap
        if omega is not self.omega:  # a new Newton system: omega in X's precision
            self.omega = omega
            self.omega_x = omega.astype(X.dtype, copy=False)
        om = self.omega_x
        p = p.astype(X.dtype, copy=False)
        out = np.zeros(X.shape[1])
        for rows in self.blocks:
            Xb = X[rows]
            a = Ap[rows]
            np.matmul(Xb, p, out=a)
            a += c
            out += Xb.T @ (om[rows] * a)
        return out, Ap


def _conjugate_gradient(hess, omega, lam2, r, stop):
    """Solve ``H p = r`` (``H`` the Hessian of the module docstring) by conjugate
    gradients, to ``|residual| <= stop``. The intercept's equation is scaled by its
    own curvature ``sum(omega)`` against the features' mean one (a diagonal
    preconditioner). Returns ``(p, A p, steps)`` with ``A = [X, 1]``: the change
    of the linear predictor comes with the solution, not from another pass over
    X. p is None if the curvature is not positive."""
    d = r.size - 1
    sw = float(omega.sum())
    diag = np.ones(d + 1)
    diag[d] = sw / (sw + lam2) if sw > 0 else 1.0
    x = np.zeros(d + 1)
    Ax = np.zeros(omega.size)
    res = r.copy()
    zr = res / diag
    p = zr.copy()
    rz = float(res @ zr)
    Hp = np.empty(d + 1)
    for it in range(1, CG_MAX + 1):
        XtwAp, Ap = hess.product(omega, p[:d], p[d])
        Hp[:d] = XtwAp + lam2 * p[:d]
        Hp[d] = float(omega @ Ap)
        curv = float(p @ Hp)
        if not curv > 0:
            return None, None, it
        a = rz / curv
        x += a * p
        Ax += a * Ap
        res -= a * Hp
        if float(np.linalg.norm(res)) <= stop:
            return x, Ax, it
        zr = res / diag
        rz_new = float(res @ zr)
        p = zr + (rz_new / rz) * p
        rz = rz_new
    return x, Ax, CG_MAX


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
