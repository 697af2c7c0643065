"""Solving to convergence.

:func:`solve` minimizes ::

    F(w, b) = D(w, b) + lam1 * ||w||_1 + (lam2 / 2) * ||w||_2**2

to a relative duality gap ``tol`` (the gap divided by the objective of the null model
``w = 0`` with its best intercept: ``var(y)/2`` for squared loss, the class entropy for
logistic loss). With an L1 part it works on a growing *working set* of features:
FISTA with gradient restart on the working set, an exact polish on the support and sign
pattern found (a linear solve for squared loss, Newton's method for logistic), then a
check of the optimality conditions of all features; violators join the working set.
Ridge and least squares (lam1 = 0, squared loss) are solved in closed form. Logistic
loss goes to Newton's method first (:mod:`engine.logistic_newton`): truncated Newton
for a pure L2 penalty, Newton on the support with its signs held for an L1 part (the
path's exact solver); each result is certified by the duality gap as any other, and a
point those cannot settle goes to the working-set solver.
FISTA stops early when the rate of its last doubling of iterations says it would need
more than twice its budget (separable classes under a weak penalty); the result then
says why it stopped and what to change (:mod:`engine.solve_outcome`).
Without any penalty (lam1 = lam2 = 0, whatever the penalty's kind) logistic loss is
minimized by Newton's method; when the classes are separable no minimum exists and the
result says so instead of reporting a meaningless gap.

The regularization path (:mod:`engine.path`) builds on :func:`solve_problem`, the
solve of one problem object from a warm start.

:func:`solve` accepts ``progress(fraction, message)`` and ``cancel() -> bool``
callables so a GUI can show progress and stop it; a cancelled run returns what it has,
marked ``cancelled``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .data import DataError, TrainingData
from .fista import fista
from .logistic_newton import active_set_l1, newton_l2
from .penalties import Penalty
from .problems import NEWTON_MAX, make_problem
from .solve_outcome import no_iteration_message, why_stopped

__all__ = [
    "Cancel",
    "Progress",
    "SolveResult",
    "as_cancel",
    "lambda_max",
    "solve",
    "solve_problem",
]

Progress = Callable[[float, str], None] | None
Cancel = Callable[[], bool] | None


@dataclass
class SolveResult:
    """Outcome of :func:`solve`.

    ``gap`` is the duality gap ``F(w, b) - (dual objective)`` at the returned point, an
    upper bound on ``F(w, b) - min F``; ``rel_gap = gap / F_null`` is what ``tol``
    bounds (``F_null`` the objective of ``w = 0`` at its best intercept). Without a
    penalty the gap is taken at the best dual point: exactly ``F(w, b) - min F`` for
    squared loss. ``gap`` and ``rel_gap`` are NaN when there is no certificate:
    logistic loss without a penalty on separable classes (no minimum exists) or with
    more than ``NEWTON_MAX - 1`` features (then ``grad_norm`` says how stationary the
    point is).
    """

    w: np.ndarray
    b: float
    penalty: Penalty
    objective: float
    gap: float
    tol: float
    converged: bool
    n_iter: int
    elapsed: float
    message: str
    cancelled: bool = False
    grad_norm: float = float("nan")
    rel_gap: float = float("nan")

    @property
    def n_nonzero(self) -> int:
        return int(np.count_nonzero(self.w))


def _working_set(g, w, pen, extra, cap_min=20):
    """Support of ``w``, ``extra`` features, and the worst KKT violators."""
    inside = w != 0
    if extra is not None:
        inside[extra] = True
    viol = np.flatnonzero((np.abs(g) > pen.lam1) & ~inside)
    cap = max(cap_min, int(inside.sum()))
    if viol.size > cap:
        viol = viol[np.argsort(-np.abs(g[viol]))[:cap]]
    inside[viol] = True
    return np.flatnonzero(inside), viol.size


def _working_set_solve(
    prob, pen, w, b, tol_abs, max_iter, cancel, progress, extra=None, first_set=None
):
    """The working-set loop. Returns ``(w, b, gap, primal, n_iter, converged, g)``.

    ``first_set``, when given, is the first working set (on a path: the previous
    support and the strong set), which saves the full check of the starting point.
    """
    d = prob.d
    if first_set is not None:
        S = np.union1d(first_set, np.flatnonzero(w))
        gap, primal, g = np.inf, np.inf, None
    else:
        gap, primal, g, b = prob.check(w, b, pen)
        if pen.lam1 == 0:
            S = np.arange(d)
        else:
            S, _ = _working_set(g, w, pen, extra)
    gap0 = max(gap, tol_abs) if np.isfinite(gap) else None
    n_iter = 0
    sub_tol = 0.3 * tol_abs
    for _outer in range(200):
        if gap <= tol_abs or n_iter >= max_iter:
            break
        if cancel is not None and cancel():
            break
        sub = prob.sub(S)
        x0 = sub.start(w, b)
        guess = sub.active_set(x0, pen) if hasattr(sub, "active_set") else None
        stalled = False
        if guess is not None and sub.gap(guess, pen) <= sub_tol:
            candidates = [guess]
        else:
            if guess is not None:
                x0 = guess
            x, it, status = fista(sub, pen, x0, sub_tol, max_iter - n_iter, cancel)
            n_iter += it
            stalled = status == "stalled"
            candidates = [x]
            polished = sub.polish(x, pen)
            if polished is not None:
                candidates.insert(0, polished)
        best = None
        for cand in candidates:
            w_c, b_c = sub.scatter(cand)
            res = prob.check(w_c, b_c, pen)
            if best is None or res[0] < best[2][0]:
                best = (w_c, b_c, res)
            if res[0] <= tol_abs:
                break
        w, _, (gap, primal, g, b) = best
        if gap0 is None:
            gap0 = max(gap, tol_abs)
        if stalled and gap > tol_abs:
            break  # more rounds of the same would stall the same way
        if progress is not None and gap > 0:
            frac = np.log(gap0 / gap) / np.log(gap0 / tol_abs) if gap0 > tol_abs else 1
            progress(float(np.clip(frac, 0, 1)), f"duality gap {gap:.3g}")
        if gap <= tol_abs:
            break
        if pen.lam1 > 0:
            S_new, n_new = _working_set(g, w, pen, S)
        else:
            n_new = 0
        if n_new:
            S = S_new
        else:
            sub_tol *= 0.1
            if sub_tol < 1e-16 * prob.null_objective():
                break  # at the limit of floating point; the gap is as small as it gets
    return w, b, gap, primal, n_iter, gap <= tol_abs, g


def as_cancel(cancel):
    """``cancel`` as a callable (or None): a ``threading.Event`` becomes its ``is_set``."""
    if cancel is None or callable(cancel):
        return cancel
    return cancel.is_set  # a threading.Event


def solve(
    data: TrainingData,
    loss: str,
    penalty: Penalty,
    *,
    w0: np.ndarray | None = None,
    b0: float | None = None,
    tol: float = 1e-8,
    max_iter: int = 100_000,
    progress: Progress = None,
    cancel: Cancel = None,
) -> SolveResult:
    """Minimize the penalized objective to a relative duality gap ``tol``.

    Parameters
    ----------
    data : TrainingData
    loss : {'squared', 'logistic'}
    penalty : Penalty
    w0, b0 : warm start (default: zeros and the best constant)
    tol : float, default 1e-8
        Stop when ``gap <= tol * F_null`` with ``F_null`` the objective of ``w = 0`` at
        its best intercept.
    max_iter : int
        Most FISTA iterations in all.
    progress, cancel : callables, see the module docstring. ``cancel`` may also be a
        ``threading.Event``.
    """
    start = time.perf_counter()
    cancel = as_cancel(cancel)
    if not penalty.convex:
        return _solve_nonconvex(data, loss, penalty, w0, tol, start, progress)
    # an L1 solve on data whose Gram matrix is not formed yet forms only the
    # columns of its working sets
    prob = make_problem(data, loss, columns=penalty.lam1 > 0)
    d = data.n_features
    w = np.zeros(d) if w0 is None else np.array(w0, dtype=np.float64)
    if w.shape != (d,) or not np.isfinite(w).all():
        w = np.zeros(d)
    b = prob.loss.null_intercept(data.y) if b0 is None or not np.isfinite(b0) else b0
    f_null = prob.null_objective()
    tol_abs = tol * max(f_null, 1e-300)
    w_start = w.copy()
    fast = None
    if loss == "logistic" and penalty.lam1 > 0:
        fast = active_set_l1(prob, penalty, w, b, tol_abs)
    if fast is not None:
        w, b, gap, primal, n_iter, converged, g = fast
        message = None
    else:
        w, b, gap, primal, n_iter, converged, g, message = solve_problem(
            prob, penalty, w, b, tol_abs, max_iter, cancel, progress
        )
    if message is None and converged and n_iter == 0:
        message = no_iteration_message(prob, penalty, w, w_start, gap)
    elif message is None:
        message = (
            f"duality gap {gap:.3g} ≤ {tol:g} × F_null"
            if converged
            else f"stopped at duality gap {gap:.3g} (target {tol_abs:.3g}): "
            + why_stopped(prob, data, penalty, w, b)
        )
    cancelled = bool(cancel is not None and not converged and cancel())
    if cancelled:
        message = "cancelled"
    gnorm = (
        float(np.abs(g + penalty.lam2 * w).max(initial=0.0))
        if penalty.lam1 == 0
        else (float("nan"))
    )
    if progress is not None:
        progress(1.0, message)
    return SolveResult(
        w=w,
        b=float(b),
        penalty=penalty,
        objective=primal,
        gap=gap,
        tol=tol,
        converged=converged,
        n_iter=n_iter,
        elapsed=time.perf_counter() - start,
        message=message,
        cancelled=cancelled,
        grad_norm=gnorm,
        rel_gap=_relative(gap, f_null),
    )


def _solve_nonconvex(data, loss, penalty, w0, tol, start, progress) -> SolveResult:
    """SCAD, MCP or L0 by coordinate descent from ``w0``: a point no coordinate can
    improve, with no duality gap to certify it (the objective is not convex)."""
    from .nonconvex import coordinate_descent

    if loss != "squared":
        raise DataError("SCAD, MCP and L0 are fitted with squared loss here")
    d = data.n_features
    ok = w0 is not None and np.shape(w0) == (d,) and np.isfinite(w0).all()
    res = coordinate_descent(
        data,
        penalty.kind,
        penalty.lam1,
        gamma=penalty.gamma,
        w0=np.asarray(w0, dtype=float) if ok else None,
        tol=min(tol, 1e-6) * 1e-4,  # on the change of a weight: well below it
    )
    message = (
        f"a local minimum by coordinate descent ({res.sweeps} sweeps; not convex: "
        "another start may end elsewhere)"
        if res.converged
        else f"coordinate descent stopped after {res.sweeps} sweeps without settling"
    )
    if progress is not None:
        progress(1.0, message)
    return SolveResult(
        w=res.w,
        b=res.b,
        penalty=penalty,
        objective=res.objective,
        gap=float("nan"),
        tol=tol,
        converged=res.converged,
        n_iter=res.sweeps,
        elapsed=time.perf_counter() - start,
        message=message,
    )


def _relative(gap: float, f_null: float) -> float:
    """``gap / F_null``; a constant target (``F_null = 0``) has nothing to explain."""
    if f_null > 0:
        return gap / f_null
    return 0.0 if gap == 0 else float("inf") if gap > 0 else float("nan")


def solve_problem(prob, pen, w, b, tol_abs, max_iter, cancel, progress, first_set=None):
    """One problem object (:func:`~engine.problems.make_problem`), whatever its
    penalty, from the warm start ``(w, b)`` to an absolute duality gap ``tol_abs``.

    ``first_set``, when given, is the first working set (on a path: the previous
    support and the strong set).

    Returns ``(w, b, gap, primal, n_iter, converged, g, message)``; ``message`` is
    None for the working-set solver (the caller words it).
    """
    if prob.loss.name == "squared" and pen.lam1 == 0:
        w = prob.closed_form(pen.lam2)
        gap, primal, g, b = prob.check(w, b, pen)
        converged = gap <= tol_abs
        message = (
            "exact: closed form (linear solve)"
            if converged
            else (
                f"closed form (linear solve) left a duality gap {gap:.3g} above the "
                f"target {tol_abs:.3g}: the system is badly conditioned"
            )
        )
        return w, b, gap, primal, 1, converged, g, message
    if pen.lam1 == 0 and pen.lam2 == 0:
        return _solve_unpenalized(prob, w, b, tol_abs, max_iter, cancel)
    if prob.loss.name == "logistic" and pen.lam1 == 0:
        done = newton_l2(prob, pen, w, b, tol_abs, max_iter, cancel)
        if done is not None and (done[5] or (cancel is not None and cancel())):
            return (*done, None)
    return (
        *_working_set_solve(
            prob, pen, w, b, tol_abs, max_iter, cancel, progress, first_set=first_set
        ),
        None,
    )


#: Said when the classes are separable and nothing penalizes the weights.
NO_MINIMUM = (
    "no minimum: the two classes of the training rows are perfectly separable, so "
    "without a penalty the weights grow without bound and the loss only approaches "
    "0; use λ > 0"
)


def _solve_unpenalized(prob, w, b, tol_abs, max_iter, cancel):
    """Logistic loss without penalty (lam1 = lam2 = 0).

    Newton's method when ``[X, 1]`` has at most ``NEWTON_MAX`` columns, certified by
    the exact duality gap (:meth:`LogisticProblem.unpenalized_gap`); beyond that FISTA
    until the gradient vanishes (no gap: NaN). Separable classes have no minimum: the
    result is not converged and says so.
    """
    pen = Penalty.none()
    d = prob.d
    exact = d + 1 <= NEWTON_MAX
    separable = False
    if exact:
        w, b, n_iter, separable = prob.newton_unpenalized(w, b)
    else:
        sub = prob.sub(np.arange(d))
        x = sub.start(w, b)
        n_iter = 0
        scale = np.sqrt(tol_abs)
        while n_iter < max_iter:
            x, it, _ = fista(sub, pen, x, -1.0, min(500, max_iter - n_iter), cancel)
            n_iter += it
            separable = prob.separates(x[:-1], x[-1])
            if separable or np.abs(sub.grad(x)).max() <= scale:
                break
            if cancel is not None and cancel():
                break
        w, b = sub.scatter(x)
    _, primal, g, b = prob.check(w, b, pen)
    if separable:
        return w, b, float("nan"), primal, n_iter, False, g, NO_MINIMUM
    if exact:
        gap = prob.unpenalized_gap(w, b)
        converged = gap <= tol_abs
    else:
        gap = float("nan")
        converged = float(np.abs(g).max(initial=0.0)) <= np.sqrt(tol_abs)
    if converged:
        message = (
            f"duality gap {gap:.3g} without a penalty" if exact else "gradient vanished"
        )
    else:
        message = (
            "stopped before the minimum: the classes may be nearly separable "
            "(the weights then grow very large); use λ > 0"
        )
    return w, b, gap, primal, n_iter, converged, g, message


def lambda_max(data: TrainingData, loss: str, rho: float = 1.0) -> float:
    """Smallest total strength ``alpha`` at which every weight is exactly zero,
    for an L1 share ``rho`` > 0: ``||X^T phi'(b_null)||_inf / rho``.

    Rounded up where needed so that ``rho * alpha`` (the L1 strength at that alpha)
    is not below ``||X^T phi'(b_null)||_inf``: the weights there are exactly 0.
    """
    if rho <= 0:
        raise ValueError(
            "with no L1 part (rho = 0) no finite strength zeroes every weight"
        )
    lam1 = make_problem(data, loss).lam1_max()
    alpha = lam1 / rho
    while rho * alpha < lam1:
        alpha = float(np.nextafter(alpha, np.inf))
    return alpha
