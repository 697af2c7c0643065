"""The penalized problems the solvers work on, with duality gaps.

For a penalty ``h(w) = lam1 ||w||_1 + lam2/2 ||w||^2`` and a loss written per sample
as ``phi_i(z_i)`` with ``z = X w + b``, the Fenchel dual of ::

    min_{w, b}  sum_i phi_i(z_i) + h(w)

is ``max_v  -sum_i phi_i*(v_i) - h*(-X^T v)`` subject to ``sum_i v_i = 0`` (the
unpenalized intercept). From any ``w`` the solvers build the dual point
``v = phi'(z)`` at the best intercept for ``w`` (so ``sum v = 0``), scaled by
``kappa = min(1, lam1 / ||X^T v||_inf)`` when ``lam2 = 0`` so that ``h*`` is finite.
The duality gap ``P(w) - D(v)`` bounds how far the objective is from its minimum and
goes to zero at the solution.

The squared loss eliminates the intercept by centering (``b = mean(y) - mean(X) w``)
and works on the centered Gram matrix when that is cheaper than X.
"""

from __future__ import annotations

from functools import cached_property

import numpy as np

from .data import TrainingData, use_gram
from .gram import GramKernel, moments_formed
from .gram_columns import ColumnGramKernel, ColumnPlan
from .losses import LogisticLoss, SquaredLoss, sigmoid, softplus
from .penalties import Penalty

__all__ = ["LogisticProblem", "SquaredProblem", "make_problem"]

#: Working sets up to this size get their own Lipschitz constant (else the full one).
EXACT_L_MAX = 600
#: Largest support solved exactly by a linear system (O(k^3)).
POLISH_MAX = 400
#: Largest support for the sign-pattern guess (by conjugate gradients beyond POLISH_MAX).
CG_MAX = 4000
#: Most columns of ``[X, 1]`` for Newton's method and the exact gap without a penalty.
NEWTON_MAX = 1000
#: Largest single-precision copy of X kept by a logistic problem (bytes).
SINGLE_MAX_BYTES = 1 << 28


def _dual_scale(g: np.ndarray, pen: Penalty, gmax: float | None = None) -> float:
    """``kappa`` that makes ``-kappa X^T v`` dual feasible when lam2 = 0
    (``gmax``: ``||g||_inf`` when known)."""
    if pen.lam2 > 0:
        return 1.0
    if gmax is None:
        gmax = float(np.abs(g).max(initial=0.0))
    return 1.0 if gmax <= pen.lam1 else pen.lam1 / gmax


class SquaredProblem:
    """``(1/2n) ||y_c - X_c w||^2 + h(w)`` on centered data."""

    loss = SquaredLoss
    has_intercept = False

    def __init__(self, data: TrainingData, *, columns: bool | ColumnPlan = False):
        """``columns``: when the Gram matrix is not formed yet, form only the
        columns the solve needs (:class:`~engine.gram_columns.ColumnGramKernel`): for an
        L1 solve, whose working sets are a few features; a
        :class:`~engine.gram_columns.ColumnPlan` says how."""
        self.data = data
        if (
            columns
            and not moments_formed(data)
            and use_gram(data.n_samples, data.n_features)
        ):
            plan = columns if isinstance(columns, ColumnPlan) else None
            self.kernel = ColumnGramKernel(data, sparse_divisor=2, plan=plan)
        else:
            self.kernel = GramKernel(data, sparse_divisor=2)
        self.d = data.n_features
        self.n = data.n_samples
        self.c = self.kernel.c
        self.yy = self.kernel.yy

    # -- full problem -------------------------------------------------------------
    def intercept(self, w: np.ndarray, b: float | None = None) -> float:
        return self.kernel.best_intercept(w)

    def null_objective(self) -> float:
        """Objective at w = 0 with the best intercept: var(y) / 2."""
        return 0.5 * self.yy

    def check(self, w: np.ndarray, b: float, pen: Penalty):
        """Full gradient and duality gap at ``w``: ``(gap, primal, g, b)``.

        Without a penalty the gap is the exact suboptimality ``1/2 g^T G_c^+ g``
        (the gap at the best dual point; the scaled point below would give none).
        """
        Gw = self.kernel.centered_product(w)
        g = Gw - self.c
        lin = float(w @ self.c)
        if pen.lam1 == 0 and pen.lam2 == 0:
            primal = self.kernel.profile_loss(float(w @ Gw), lin)
            return self.kernel.suboptimality(w), primal, g, self.intercept(w)
        return (
            *self.gap_and_primal(w, g, float(w @ Gw), lin, pen),
            g,
            self.intercept(w),
        )

    def gap_and_primal(
        self, w, g, quad, lin, pen: Penalty, gmax: float | None = None
    ) -> tuple[float, float]:
        """Duality gap and primal objective at ``w`` (its nonzero weights will do)
        from ``g = G w - c`` over all features, ``quad = w.G w`` and ``lin = w.c``
        (and ``gmax = ||g||_inf`` when known: the same numbers, sooner)."""
        data_loss = self.kernel.profile_loss(quad, lin)
        primal = data_loss + pen.value(w)
        kappa = _dual_scale(g, pen, gmax)
        dual = kappa * (self.yy - lin) - kappa * kappa * data_loss
        if gmax is not None and pen.lam2 == 0:
            dual -= pen.conjugate(None, kappa * gmax)
        else:
            dual -= pen.conjugate(kappa * g)
        return max(primal - dual, 0.0), primal

    def lam1_max(self) -> float:
        """Smallest lam1 for which w = 0 is optimal (lam2 = 0): ``||X_c^T y_c||_inf/n``."""
        return float(np.abs(self.c).max(initial=0.0))

    def closed_form(self, lam2: float) -> np.ndarray:
        """The minimizer when lam1 = 0 (ridge; least squares, minimum norm, if lam2 = 0)."""
        return self.kernel.ridge_solution(lam2)

    # -- restricted to a working set ----------------------------------------------
    def sub(self, S: np.ndarray) -> _SquaredSub:
        return _SquaredSub(self, S)


class _SquaredSub:
    """The problem restricted to the features ``S`` (the others held at 0)."""

    def __init__(self, prob: SquaredProblem, S: np.ndarray):
        self.prob = prob
        self.S = S
        self.k = S.size
        self.G, self.c = prob.kernel.restricted(S)

    @cached_property
    def L(self) -> float:
        """Largest eigenvalue of the restricted Gram matrix (a safe upper estimate)."""
        return top_eigenvalue_sym(self.G, lambda: self.prob.data.curvature)

    def start(self, w: np.ndarray, b: float) -> np.ndarray:
        return w[self.S].copy()

    def grad(self, x: np.ndarray) -> np.ndarray:
        return self.G @ x - self.c

    def gap(self, x: np.ndarray, pen: Penalty) -> float:
        Gx = self.G @ x
        return self.prob.gap_and_primal(
            x, Gx - self.c, float(x @ Gx), float(x @ self.c), pen
        )[0]

    def scatter(self, x: np.ndarray) -> tuple[np.ndarray, float]:
        w = np.zeros(self.prob.d)
        w[self.S] = x
        return w, self.prob.intercept(w)

    def _signed_solve(self, A: np.ndarray, s: np.ndarray, pen: Penalty, x0=None):
        """``(G_AA + lam2 I) w_A = c_A - lam1 s``, or None if singular.

        Direct for supports up to POLISH_MAX, else conjugate gradients from ``x0``.
        """
        rhs = self.c[A] - pen.lam1 * s
        if A.size > POLISH_MAX:
            G, lam2 = self.G, pen.lam2
            full = np.zeros(self.k)

            def matvec(p):  # (G_AA + lam2 I) p without copying G_AA
                full[A] = p
                return (G @ full)[A] + lam2 * p

            return conjugate_gradient(
                matvec, rhs, np.zeros(A.size) if x0 is None else x0
            )
        if A.size == self.k:
            M = self.G + pen.lam2 * np.eye(self.k) if pen.lam2 else self.G
        else:
            M = self.G.take(A, 0).take(A, 1)
            if pen.lam2:
                M[np.diag_indices_from(M)] += pen.lam2
        try:
            return np.linalg.solve(M, rhs)
        except np.linalg.LinAlgError:
            return None

    def polish(self, x: np.ndarray, pen: Penalty) -> np.ndarray | None:
        """Exact solution for the sign pattern of ``x``: on its support ``A``,
        ``(G_AA + lam2 I) w_A = c_A - lam1 sign(x_A)``. None if the signs disagree."""
        A = np.flatnonzero(x)
        if A.size == 0 or A.size > POLISH_MAX:
            return None
        s = np.sign(x[A])
        wA = self._signed_solve(A, s, pen)
        if wA is None or not np.array_equal(np.sign(wA), s):
            return None
        out = np.zeros_like(x)
        out[A] = wA
        return out

    def active_set(self, x: np.ndarray, pen: Penalty, max_rounds: int = 12):
        """Guess the support and signs and solve for them exactly.

        Starting from the signs of ``x`` (and ``-sign(gradient)`` for zero weights that
        violate the optimality condition), solve the linear system on the support, drop
        weights whose sign disagrees, add violators, and repeat until nothing changes.
        Returns the solution, or None when the guess does not settle (then FISTA takes
        over). Exact to rounding when it succeeds: this is what makes the weights equal
        to a reference solver's, not merely close.
        """
        if pen.lam1 == 0:
            return None
        k = self.k
        s = np.sign(x)
        g = self.grad(x)
        x = x.copy()
        thresh = pen.lam1 * (1 + 1e-12)
        for _ in range(max_rounds):
            viol = (s == 0) & (np.abs(g) > thresh)
            s[viol] = -np.sign(g[viol])
            for _ in range(max_rounds):  # solve, dropping weights of the wrong sign
                A = np.flatnonzero(s)
                if A.size == 0:
                    wA = np.zeros(0)
                    break
                if A.size > CG_MAX:
                    return None
                wA = self._signed_solve(A, s[A], pen, x[A])
                if wA is None:
                    return None
                wrong = np.sign(wA) != s[A]
                if not wrong.any():
                    break
                s[A[wrong]] = 0.0
                x[A] = np.where(wrong, 0.0, wA)
            else:
                return None
            x = np.zeros(k)
            x[A] = wA
            g = self.G @ x - self.c
            if not ((s == 0) & (np.abs(g) > thresh)).any():
                return x
        return None


def conjugate_gradient(matvec, b, x, rtol=1e-9, max_iter=500):
    """Solve ``M x = b`` from ``x``, M symmetric positive definite given as ``matvec``;
    None if it fails."""
    r = b - matvec(x)
    p = r.copy()
    rs = float(r @ r)
    stop = (rtol * float(np.linalg.norm(b))) ** 2
    for _ in range(max_iter):
        if rs <= stop:
            return x
        Mp = matvec(p)
        curv = float(p @ Mp)
        if curv <= 0:
            return None
        a = rs / curv
        x = x + a * p
        r -= a * Mp
        rs_new = float(r @ r)
        p = r + (rs_new / rs) * p
        rs = rs_new
    return x if rs <= stop * 1e6 else None


def top_eigenvalue_sym(G: np.ndarray, upper) -> float:
    """Largest eigenvalue of the symmetric positive semidefinite ``G``.

    Exact for small matrices; beyond that 40 power iterations with a 12% margin (the
    Rayleigh quotient approaches from below), never above the known bound ``upper``
    (a number, or a callable giving it: evaluated only when needed, as the bound of
    the whole matrix may cost more than the working set's own).
    """
    k = G.shape[0]
    if k == 0:
        return 1.0
    if k <= 120:
        return max(float(np.linalg.eigvalsh(G)[-1]), 1e-300)
    v = np.ones(k) + np.random.default_rng(0).uniform(-0.5, 0.5, k)
    lam = 0.0
    for _ in range(40):
        u = G @ v
        lam = float(np.linalg.norm(u))
        if lam == 0:
            return 1e-300
        v = u / lam
    if callable(upper):
        upper = upper()
    return max(min(1.12 * float(v @ (G @ v)), upper), 1e-300)


class LogisticProblem:
    """``(1/n) sum log(1 + exp(-y (X w + b))) + h(w)`` with y in {-1, +1}."""

    loss = LogisticLoss
    has_intercept = True

    def __init__(self, data: TrainingData):
        self.data = data
        self.X = data.X
        self.y = data.y
        self.n, self.d = data.X.shape

    @cached_property
    def X_single(self) -> np.ndarray | None:
        """Standardized X in single precision (half the bytes to read), kept for
        the solves of this problem; None for columns on their raw scales (a large
        mean against a small spread leaves few significant digits of ``X p``) or
        when the copy would pass ``SINGLE_MAX_BYTES``. Good for approximate
        curvature products only: values, gradients and gaps are computed from X."""
        X = self.X
        if not getattr(self.data, "standardized", False):
            return None
        if X.dtype != np.float64 or X.size * 4 > SINGLE_MAX_BYTES:
            return None
        return np.ascontiguousarray(X, dtype=np.float32)

    def best_intercept(self, z0: np.ndarray, b: float) -> float:
        """``argmin_b D(z0 + b)`` by Newton's method from ``b``."""
        with np.errstate(over="ignore", invalid="ignore"):  # margins of 1e300
            return self._best_intercept(z0, b)

    def _best_intercept(self, z0: np.ndarray, b: float) -> float:
        y = self.y
        m = -y * (z0 + b)
        f_old = softplus(m).sum()
        for _ in range(50):
            s = sigmoid(m)
            grad = float(-(y * s).sum())
            hess = float((s * (1 - s)).sum())
            if hess <= 0:
                break
            step = grad / hess
            b_new = b - step
            # each loss is computed once: the accepted one is the next start's
            m = -y * (z0 + b_new)
            f_new = softplus(m).sum()
            while f_new > f_old + 1e-12 * abs(f_old):
                step *= 0.5
                b_new = b - step
                m = -y * (z0 + b_new)
                f_new = softplus(m).sum()
                if abs(step) < 1e-300:
                    break
            b, f_old = b_new, f_new
            if abs(step) <= 1e-15 * (1 + abs(b)):
                break
        return b

    def intercept(self, w: np.ndarray, b: float) -> float:
        return self.best_intercept(self.X @ w, b)

    def null_objective(self) -> float:
        """Objective at w = 0 with the best intercept: the entropy of the classes."""
        b = LogisticLoss.null_intercept(self.y)
        return LogisticLoss.value(np.full(self.n, b), self.y)

    def check(self, w: np.ndarray, b: float, pen: Penalty):
        """Full gradient and duality gap at ``w`` with its best intercept."""
        S = np.flatnonzero(w)
        z0 = self.X[:, S] @ w[S] if S.size < self.d // 2 else self.X @ w
        b = self.best_intercept(z0, b)
        z = z0 + b
        v = LogisticLoss.derivative(z, self.y)
        g = self.X.T @ v
        return (*self.gap_and_primal(w, z, v, g, pen), g, b)

    def gap_and_primal(self, w, z, v, g, pen: Penalty):
        """Duality gap and primal objective at ``w`` (its nonzero weights will do)
        from ``z = X w + b``, ``v = D'(z)`` (summing to 0: ``b`` is the best
        intercept) and ``g = X^T v`` over all features."""
        primal = LogisticLoss.value(z, self.y) + pen.value(w)
        kappa = _dual_scale(g, pen)
        dual = -LogisticLoss.conjugate_sum(kappa * v, self.y) - pen.conjugate(kappa * g)
        return max(primal - dual, 0.0), primal

    def separates(self, w: np.ndarray, b: float) -> bool:
        """Whether ``(w, b)`` classifies every training row strictly correctly.

        Then ``t (w, b)`` does too for every ``t > 1``, with a smaller loss: without a
        penalty the loss has no minimum (its infimum 0 is not attained).
        """
        return bool((self.y * (self.X @ w + b) > 0).all())

    def unpenalized_gap(self, w: np.ndarray, b: float) -> float:
        """Duality gap of the unpenalized problem at ``(w, b)``.

        The dual asks for ``v`` with ``[X, 1]^T v = 0``; the point ``v = phi'(z)`` is
        projected onto that subspace (least squares on ``[X, 1]``) and the gap is
        ``D(w, b) + sum_i phi_i*(v_i)``. Infinite when the projected point leaves the
        domain of ``phi*`` (far from the minimum, or no minimum at all).
        """
        A = np.column_stack([self.X, np.ones(self.n)])
        z = A[:, :-1] @ w + b
        v = LogisticLoss.derivative(z, self.y)
        v = v - A @ np.linalg.lstsq(A, v, rcond=None)[0]
        s = -self.n * v * self.y
        if s.min() < -1e-12 or s.max() > 1 + 1e-12:
            return float("inf")
        primal = LogisticLoss.value(z, self.y)
        return max(primal + LogisticLoss.conjugate_sum(v, self.y), 0.0)

    def newton_unpenalized(self, w: np.ndarray, b: float, max_iter: int = 100):
        """Minimize the loss alone by Newton's method with backtracking, from
        ``(w, b)``. Returns ``(w, b, n_iter, separable)``; stops as soon as ``(w, b)``
        separates the classes (there is no minimum then)."""
        n, y = self.n, self.y
        A = np.column_stack([self.X, np.ones(n)])
        u = np.append(w, b)
        f = LogisticLoss.value(A @ u, y)
        it = 0
        for it in range(1, max_iter + 1):
            z = A @ u
            if (y * z > 0).all():
                return u[:-1], float(u[-1]), it, True
            sg = sigmoid(-y * z)
            grad = A.T @ (-y * sg / n)
            H = (A.T * (sg * (1 - sg) / n)) @ A
            with np.errstate(all="ignore"):  # a near-singular H on raw scales
                step = np.linalg.lstsq(H, grad, rcond=None)[0]
                dec = float(grad @ step)
            if not (np.isfinite(step).all() and dec > 1e-30 * max(1.0, f)):
                break
            t = 1.0
            while True:
                u_new = u - t * step
                f_new = LogisticLoss.value(A @ u_new, y)
                if f_new <= f - 0.25 * t * dec or t < 1e-10:
                    break
                t *= 0.5
            if f_new > f:
                break  # no more progress in floating point
            u, f = u_new, f_new
        return u[:-1], float(u[-1]), it, self.separates(u[:-1], float(u[-1]))

    def lam1_max(self) -> float:
        b = LogisticLoss.null_intercept(self.y)
        v = LogisticLoss.derivative(np.full(self.n, b), self.y)
        return float(np.abs(self.X.T @ v).max(initial=0.0))

    def sub(self, S: np.ndarray) -> _LogisticSub:
        return _LogisticSub(self, S)


class _LogisticSub:
    """Restricted to features ``S``; the variables are ``(w_S, b)``."""

    def __init__(self, prob: LogisticProblem, S: np.ndarray):
        self.prob = prob
        self.S = S
        self.k = S.size
        self.X = prob.X if self.k == prob.d else prob.X[:, S]
        if self.k <= EXACT_L_MAX:
            A = np.column_stack([self.X, np.ones(prob.n)])
            self.L = 0.25 * float(np.linalg.eigvalsh(A.T @ A)[-1]) / prob.n
        else:
            self.L = 0.25 * prob.data.curvature

    def start(self, w: np.ndarray, b: float) -> np.ndarray:
        return np.append(w[self.S], b)

    def grad(self, x: np.ndarray) -> np.ndarray:
        dz = LogisticLoss.derivative(self.X @ x[:-1] + x[-1], self.prob.y)
        return np.append(self.X.T @ dz, dz.sum())

    def gap(self, x: np.ndarray, pen: Penalty) -> float:
        p = self.prob
        z0 = self.X @ x[:-1]
        z = z0 + p.best_intercept(z0, x[-1])
        v = LogisticLoss.derivative(z, p.y)
        return p.gap_and_primal(x[:-1], z, v, self.X.T @ v, pen)[0]

    def scatter(self, x: np.ndarray) -> tuple[np.ndarray, float]:
        w = np.zeros(self.prob.d)
        w[self.S] = x[:-1]
        return w, float(x[-1])

    def polish(self, x: np.ndarray, pen: Penalty) -> np.ndarray | None:
        """Newton's method on the support of ``x`` with its signs held fixed."""
        A = np.flatnonzero(x[:-1])
        if A.size > 2000:
            return None
        s = np.sign(x[A])
        y, n = self.prob.y, self.prob.n
        M = np.column_stack([self.X[:, A], np.ones(n)])
        reg = np.append(np.full(A.size, pen.lam2), 0.0)
        lin = np.append(pen.lam1 * s, 0.0)

        def f(u):
            return LogisticLoss.value(M @ u, y) + lin @ u + 0.5 * (reg * u) @ u

        u = np.append(x[A], x[-1])
        fu = f(u)
        for _ in range(50):
            z = M @ u
            sg = sigmoid(-y * z)
            grad = M.T @ (-y * sg / n) + lin + reg * u
            H = (M.T * (sg * (1 - sg) / n)) @ M + np.diag(reg)
            try:
                step = np.linalg.solve(H, grad)
            except np.linalg.LinAlgError:
                return None
            dec = float(grad @ step)
            t = 1.0
            while True:
                u_new = u - t * step
                f_new = f(u_new)
                if f_new <= fu - 0.25 * t * dec or t < 1e-10:
                    break
                t *= 0.5
            u, fu = u_new, f_new
            if dec < 1e-28 * max(1.0, abs(fu)):
                break
        if not np.array_equal(np.sign(u[:-1]), s):
            return None
        out = np.zeros_like(x)
        out[A] = u[:-1]
        out[-1] = u[-1]
        return out


def make_problem(data: TrainingData, loss: str, *, columns: bool | ColumnPlan = False):
    """The problem object for ``loss`` ('squared' or 'logistic') on ``data``;
    ``columns``: see :class:`SquaredProblem`."""
    if loss == "squared":
        return SquaredProblem(data, columns=columns)
    if loss == "logistic":
        if not np.isin(data.y, (-1.0, 1.0)).all():
            raise ValueError("logistic loss needs a two-class target coded -1/+1")
        return LogisticProblem(data)
    raise ValueError(f"unknown loss {loss!r}; choose 'squared' or 'logistic'")
