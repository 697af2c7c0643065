"""The stability lab at a new strength of the run, its paths kept.

A move of the run's strength α alone (the λ cursor) changes only the fits at α:
:func:`engine.stability.stability_selection` puts α into each resample's chain of
warm starts along the grid, but every grid point is an exact fit (certified by the
relative duality gap) whatever chain led to it, so the stability paths over the
grid do not depend on α. :func:`stability_at` refits each of the ``B`` resamples
at the new α only, warm-started from its solution at the old one, and keeps the
paths, when they reach the new α (:func:`paths_reach`).

What that costs, against a fresh computation: one exact fit per resample instead
of a path (on ``houses``, about a quarter of the time; the rows of each resample are
still copied and the Gram columns of its support formed, in one product with its
moments, into buffers kept from one resample to the next:
:class:`~engine.gram_columns.ColumnPlan`).
"""

from __future__ import annotations

import dataclasses
import time

import numpy as np

from .data import TrainingData
from .gram_columns import ColumnPlan
from .path.grid import ON_GRID, penalty_at
from .problems import make_problem
from .resample import resample_data
from .solvers import Cancel, Progress, as_cancel, solve_problem
from .stability import StabilityResult
from .stability_path import MAX_ITER, exact_solver
from .workspace import Workspace

__all__ = ["paths_reach", "stability_at"]


def _position(alphas: np.ndarray, alpha: float) -> int:
    """Where ``alpha`` goes in the decreasing grid: its index when on it, else
    the index it would be inserted at."""
    near = np.flatnonzero(np.abs(alphas - alpha) <= ON_GRID * max(alpha, 1e-300))
    return int(near[0]) if near.size else int(np.searchsorted(-alphas, -alpha))


def paths_reach(result: StabilityResult, alpha: float) -> bool:
    """Whether ``result``'s paths serve a run at strength ``alpha``: every
    resample was fitted (not cancelled) and every path reached ``alpha`` (or the
    whole grid). A path stops at the first point at or below the run's strength
    where it selects too many features; at or above the point where each
    stopped, a new strength would not let any path go further, so the paths a
    fresh computation gives are the first points of these."""
    if result.cancelled or result.done < result.B:
        return False
    if result.n_path >= result.alphas.size:
        return True
    return _position(result.alphas, float(alpha)) < result.n_path


def stability_at(
    result: StabilityResult,
    data: TrainingData,
    alpha: float,
    *,
    tol: float = 1e-8,
    progress: Progress = None,
    cancel: Cancel = None,
) -> StabilityResult:
    """``result`` (of ``data``) at the run's new strength ``alpha``, its paths
    kept: each resample is fitted at ``alpha`` alone, warm-started from its
    solution at the old strength, to the relative duality gap ``tol`` (the exact
    fit a full computation makes there). ValueError when the paths do not reach
    ``alpha`` (:func:`paths_reach`): compute them anew.

    The paths kept may reach further down the grid than a fresh computation's
    (which stops its paths sooner below a larger strength); every point on them
    is an exact fit all the same. When cancelled, the result holds the resamples
    refitted so far (``done``), marked ``cancelled``."""
    start = time.perf_counter()
    cancel = as_cancel(cancel)
    alpha = float(alpha)
    if not (np.isfinite(alpha) and alpha >= 0):
        raise ValueError(f"the strength must be a finite number >= 0, got {alpha!r}")
    if not paths_reach(result, alpha):
        raise ValueError("the stability paths do not reach this strength")
    pen = penalty_at(result.kind, result.rho, alpha)
    d = result.coefs.shape[1]
    coefs = []
    buf = np.empty((result.rows, d))
    work = Workspace()  # the solver's buffers, reused too
    abs_max = float(np.abs(data.X).max(initial=0.0))
    cancelled = False
    for r in range(result.B):
        if cancel is not None and cancel():
            cancelled = True
            break
        sub = resample_data(data, result.indices[r], out=buf)
        w_old = result.coefs[r]
        # the columns of its support at the old strength formed at once
        plan = ColumnPlan(work, np.flatnonzero(w_old), abs_max)
        w = _fit(sub, result.loss, pen, w_old, tol, cancel, plan)
        if w is None:
            cancelled = True
            break
        coefs.append(w)
        if progress is not None:
            progress((r + 1) / result.B, f"{r + 1} of {result.B} resamples at λ")
    done = len(coefs)
    coefs = np.array(coefs).reshape(done, d)
    with np.errstate(invalid="ignore", divide="ignore"):
        frequency = (coefs != 0.0).sum(axis=0) / done if done else np.full(d, np.nan)
    return dataclasses.replace(
        result,
        alpha=alpha,
        coefs=coefs,
        frequency=frequency,
        done=done,
        cancelled=cancelled,
        elapsed=float(time.perf_counter() - start),
    )


def _fit(data, loss, pen, w_start, tol, cancel, plan=True):
    """The weights of one resample's exact fit at ``pen`` from ``w_start``
    (``plan``: how its Gram columns are formed); None when cancelled."""
    prob = make_problem(data, loss, columns=plan)
    tol_abs = tol * max(prob.null_objective(), 1e-300)
    b = prob.loss.null_intercept(data.y)
    exact = exact_solver(prob, loss) if pen.lam1 > 0 else None
    if exact is not None:
        exact.reset(w_start, b)
        done = exact.solve(pen, tol_abs)
        if done is not None:
            return done[0]
    w = solve_problem(prob, pen, w_start, b, tol_abs, MAX_ITER, cancel, None)[0]
    if cancel is not None and cancel():
        return None
    return w
