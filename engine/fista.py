"""FISTA with gradient restart on a working-set subproblem, and when to call it
stalled: the inner solver of :mod:`engine.solvers`.

A subproblem (``prob.sub(S)`` of :mod:`engine.problems`) gives ``k`` (the number of
penalized variables, first in ``x``), ``L`` (a Lipschitz constant of its gradient),
``grad(x)`` and ``gap(x, pen)``.
"""

from __future__ import annotations

import numpy as np

from .penalties import Penalty

__all__ = ["STALL_FACTOR", "STALL_START", "fista", "stalled"]


#: FISTA's progress is measured from this many iterations on, at every doubling.
STALL_START = 20000

#: FISTA stops as stalled when, at the rate of the last doubling of its iterations,
#: it would need this many times its remaining budget to reach the tolerance.
STALL_FACTOR = 2


def fista(sub, pen: Penalty, x0, tol, max_iter, cancel, check_every=10):
    """FISTA with gradient-based restart on a working-set subproblem.

    Returns ``(x, iterations, status)``, status ``'reached'`` (the gap is below
    ``tol``), ``'stalled'`` (the gap shrinks so slowly, like ``t^-p`` over the last
    doubling of the iterations ``t``, that the budget is far too small: a penalty
    too weak on separable classes, badly conditioned features) or ``'stopped'``
    (budget used up, or cancelled).
    """
    k = sub.k
    eta = 1.0 / sub.L
    x = x0.copy()
    y = x.copy()
    t = 1.0
    mark, gap_mark = STALL_START, None
    for it in range(1, max_iter + 1):
        x_new = y - eta * sub.grad(y)
        x_new[:k] = pen.prox(x_new[:k], eta)
        if (y - x_new) @ (x_new - x) > 0:  # momentum points uphill: restart
            t = 1.0
            y = x_new.copy()
        else:
            t_new = 0.5 * (1.0 + np.sqrt(1.0 + 4.0 * t * t))
            y = x_new + ((t - 1.0) / t_new) * (x_new - x)
            t = t_new
        x = x_new
        if it % check_every == 0:
            gap = sub.gap(x, pen)
            if gap <= tol:
                return x, it, "reached"
            if cancel is not None and cancel():
                return x, it, "stopped"
            if it == mark and tol > 0:
                if gap_mark is not None and stalled(gap_mark, gap, it, tol, max_iter):
                    return x, it, "stalled"
                mark, gap_mark = 2 * mark, gap
    return x, max_iter, "stopped"


def stalled(gap_half: float, gap: float, it: int, tol: float, budget: int) -> bool:
    """Whether a gap that went from ``gap_half`` at ``it / 2`` iterations to
    ``gap`` at ``it`` needs over ``STALL_FACTOR * budget`` iterations to reach
    ``tol`` at that rate (``gap ~ t^-p``)."""
    if not (np.isfinite(gap) and np.isfinite(gap_half)) or gap <= 0:
        return False
    p = np.log(gap_half / gap) / np.log(2.0)
    if p <= 0:
        return True  # no progress over a doubling
    if gap <= tol:
        return False
    # in logarithms: (gap / tol) ** (1 / p) overflows for a slow rate
    log_needed = np.log(max(it, 1)) + np.log(gap / tol) / p
    return bool(log_needed > np.log(STALL_FACTOR * budget))
