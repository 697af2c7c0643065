"""Coordinate descent for squared loss under every penalty of :mod:`engine.thresholds`.

The problem is ``D(w, b) + Σ p(w_j)`` with ``D`` the mean squared error / 2. The
intercept is the mean of the residual and never penalized, so the weights solve the
centred problem ``yy/2 − cᵀw + wᵀG_c w/2 + Σ p(w_j)`` (:class:`engine.data.Moments`).
A sweep updates every weight in turn to the exact minimizer along its coordinate
(after a full sweep, the nonzero weights alone until they settle, then a full sweep
again: done when a full sweep changes nothing beyond ``tol``):
with ``a = G_c[j, j]`` (1 on standardized data) and the partial residual
``z = w_j + (c_j − (G_c w)_j)/a``, the new weight is the penalty's thresholding
function of z for a step ``η = 1/a`` (ncvreg's algorithm, Breheny & Huang 2011).

For L1, L2 and Elastic Net the objective is convex and the answer unique. SCAD, MCP
and L0 are not convex: coordinate descent stops at a point no single coordinate can
improve, which may depend on where it started (``w0``); :class:`CDResult` says whether
it converged. The columns' Gram is used when :func:`engine.data.use_gram` formed it,
the centred columns otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .data import TrainingData
from .thresholds import check_gamma, penalty_value, threshold

__all__ = ["CDResult", "coordinate_descent", "objective"]


@dataclass(frozen=True)
class CDResult:
    """``w`` and ``b`` after ``sweeps`` sweeps; ``converged`` when the largest change
    of a weight in the last sweep was at most ``tol`` times the largest weight (or
    everything is 0). ``objective``: D + Σ p at the result."""

    w: np.ndarray
    b: float
    sweeps: int
    converged: bool
    objective: float


def objective(
    data: TrainingData,
    w: np.ndarray,
    kind: str,
    lam1: float,
    lam2: float = 0.0,
    gamma: float | None = None,
) -> float:
    """``D(w, b*) + Σ p(w_j)`` with the best intercept b* for ``w``."""
    m = data.moments
    gw = _gram_times(m, w)
    d = 0.5 * m.yy - float(m.c @ w) + 0.5 * float(w @ gw)
    return d + float(penalty_value(kind, w, lam1, lam2, gamma=gamma).sum())


def _gram_times(m, w: np.ndarray) -> np.ndarray:
    if m.gram_c is not None:
        return m.gram_c @ w
    n = m.X_c.shape[0]
    return m.X_c.T @ (m.X_c @ w) / n


def coordinate_descent(
    data: TrainingData,
    kind: str,
    lam1: float,
    lam2: float = 0.0,
    *,
    gamma: float | None = None,
    w0: np.ndarray | None = None,
    tol: float = 1e-10,
    max_sweeps: int = 10_000,
) -> CDResult:
    """Minimize the penalized squared loss over ``data`` by cyclic coordinate descent
    from ``w0`` (zeros when None). ValueError for a γ the penalty cannot take with
    this data's column scales (SCAD γ > 1 + 1/a, MCP γ > 1/a for every column's
    ``a = G_c[j, j]``)."""
    m = data.moments
    d = data.n_features
    diag = _diagonal(m)
    live = diag > 0  # a constant column has no direction to move in
    if kind in ("scad", "mcp"):
        gamma = check_gamma(kind, gamma, float((1.0 / diag[live]).max(initial=1.0)))
    w = np.zeros(d) if w0 is None else np.array(w0, dtype=float)
    q = _gram_times(m, w)  # G_c w, kept up to date
    X_c = m.X_c
    n = data.n_samples
    sweeps, converged = 0, False
    everything = np.flatnonzero(live)
    full = True  # a sweep over every coordinate (else over the nonzero ones)
    while sweeps < max_sweeps:
        sweeps += 1
        coords = everything if full else everything[w[everything] != 0.0]
        biggest_change = 0.0
        for j in coords:
            a = diag[j]
            z = w[j] + (m.c[j] - q[j]) / a
            new = float(threshold(kind, z, lam1, lam2, eta=1.0 / a, gamma=gamma))
            delta = new - w[j]
            if delta != 0.0:
                w[j] = new
                if m.gram_c is not None:
                    q += delta * m.gram_c[:, j]
                else:
                    q += delta * (X_c.T @ X_c[:, j]) / n
                biggest_change = max(biggest_change, abs(delta))
        settled = biggest_change <= tol * max(1.0, float(np.abs(w).max(initial=0.0)))
        if settled and full:
            converged = True
            break
        # the nonzero weights until they settle, then every weight again to check
        full = settled
    w += 0.0
    b = m.y_mean - float(m.x_mean @ w)
    return CDResult(
        w, b, sweeps, converged, objective(data, w, kind, lam1, lam2, gamma)
    )


def _diagonal(m) -> np.ndarray:
    if m.gram_c is not None:
        return np.diag(m.gram_c).copy()
    n = m.X_c.shape[0]
    return np.einsum("ij,ij->j", m.X_c, m.X_c) / n
