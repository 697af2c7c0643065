"""Stopping early is like L2: unpenalized gradient descent's iterates against the
ridge path.

Gradient descent on the squared loss from ``w = 0`` with step ``η`` moves, along each
eigenvector of ``G_c = X_cᵀX_c/n`` (eigenvalue ``μ``), a share ``1 − (1 − ημ)^t`` of
the way to the least-squares solution after ``t`` steps. Ridge at strength ``λ₂``
goes a share ``μ / (μ + λ₂)``. Both keep the directions of large ``μ`` and hold back
those of small ``μ``; so after ``t`` steps the iterate lies near the ridge solution
of some ``λ₂``, roughly ``1/(η t)``: few steps act like a large λ₂, many like a small
one (Friedman & Popescu 2004; Ali, Kolter & Tibshirani 2019).

:func:`early_stopping` runs the app's own :class:`~engine.trainer.Trainer` (no
penalty, weights from 0, the step size 1/L) and finds for each recorded iterate
``w_t`` the nearest point of the ridge path, ``λ₂(t) = argmin ‖w_t − w_ridge(λ₂)‖``,
and the relative distance ``‖w_t − w_ridge(λ₂(t))‖ / ‖w_t‖``. The path pane draws the
iterates over the ridge path in ‖w‖ terms and the geometry pane over the contours.
Squared loss only (the ridge path has a closed form).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .data import TrainingData
from .penalties import Penalty
from .trainer import Trainer

__all__ = [
    "SHOWN_RECORDS",
    "SHOWN_STEPS",
    "EarlyStopping",
    "early_stopping",
    "quadratic_descent",
    "recorded_steps",
]

#: Steps and recorded iterates the path pane draws (and the lesson states).
SHOWN_STEPS = 5_000
SHOWN_RECORDS = 100
#: λ₂ searched from this share of the largest eigenvalue of G_c ...
LAM_LO = 1e-10
#: ... to this multiple of it.
LAM_HI = 1e6
GRID = 600
#: Golden-section steps refining each λ₂ (the bracket shrinks 0.618× each).
REFINE = 60


@dataclass(frozen=True)
class EarlyStopping:
    """Unpenalized gradient descent's iterates and the ridge solutions nearest them.

    ``steps`` are the recorded step counts (0 first), ``iterates`` and ``ridge`` have
    one row per recorded step; ``lam2`` is the nearest ridge solution's strength
    (inf at step 0, where ``w = 0``), ``distance`` the relative distance
    ``‖w_t − w_ridge‖ / ‖w_t‖`` (0 at step 0). ``lr`` is the step size η.
    """

    steps: np.ndarray
    iterates: np.ndarray
    ridge: np.ndarray
    lam2: np.ndarray
    distance: np.ndarray
    lr: float

    @property
    def heuristic_lam2(self) -> np.ndarray:
        """``1 / (η t)``, the rule of thumb for λ₂(t) (inf at step 0)."""
        with np.errstate(divide="ignore"):
            return 1.0 / (self.lr * self.steps)

    @property
    def norms(self) -> np.ndarray:
        """‖w_t‖₂ of each recorded iterate."""
        return np.linalg.norm(self.iterates, axis=1)


def recorded_steps(steps: int, count: int = 120) -> np.ndarray:
    """0 and about ``count`` step counts up to ``steps``, spaced evenly in log(t)
    (the iterates move most in the first steps)."""
    if steps < 1:
        return np.zeros(1, dtype=np.int64)
    t = np.unique(np.round(np.geomspace(1, steps, count)).astype(np.int64))
    return np.concatenate([[0], t])


def early_stopping(
    data: TrainingData, steps: int, *, count: int = 120, lr: float | str = "auto"
) -> EarlyStopping:
    """Gradient descent without a penalty from ``w = 0`` for ``steps`` steps of
    ``lr`` (1/L by default), recorded at :func:`recorded_steps`, against the ridge
    path of ``data`` (squared loss)."""
    tr = Trainer(data, loss="squared", penalty=Penalty.none(), init="zeros", lr=lr)
    at = recorded_steps(steps, count)
    W = np.empty((at.size, data.n_features))
    for k, t in enumerate(at):
        tr.step(int(t) - tr.step_count)
        W[k] = tr.w
    m = data.moments
    G = m.gram_c
    if G is None:  # wide data: no Gram matrix kept
        Xc = data.X - m.x_mean
        G = Xc.T @ Xc / data.n_samples
    mu, V = np.linalg.eigh(G)
    mu = np.maximum(mu, 0.0)
    Vc = V.T @ m.c
    A = W @ V  # iterates in the eigenbasis
    lam = np.array([_nearest_lam(a, mu, Vc) for a in A])
    R = np.zeros_like(W)
    finite = np.isfinite(lam)
    R[finite] = (Vc / (mu + lam[finite, None])) @ V.T
    norms = np.linalg.norm(W, axis=1)
    dist = np.zeros(at.size)
    moved = norms > 0
    dist[moved] = np.linalg.norm(W[moved] - R[moved], axis=1) / norms[moved]
    return EarlyStopping(at, W, R, lam, dist, tr.lr)


def _nearest_lam(a: np.ndarray, mu: np.ndarray, Vc: np.ndarray) -> float:
    """``argmin_λ ‖a − Vc / (μ + λ)‖`` over λ > 0 (coordinates in the eigenbasis);
    inf for ``a = 0`` (the ridge path's end at λ = ∞)."""
    if not np.any(a):
        return float("inf")
    top = max(float(mu.max()), np.finfo(float).tiny)
    grid = np.geomspace(LAM_LO * top, LAM_HI * top, GRID)

    def dist2(lam):
        return np.sum((a - Vc / (mu + lam)) ** 2, axis=-1)

    k = int(np.argmin(dist2(grid[:, None])))
    lo, hi = np.log(grid[max(k - 1, 0)]), np.log(grid[min(k + 1, GRID - 1)])
    golden = (np.sqrt(5.0) - 1.0) / 2.0
    c, d = hi - golden * (hi - lo), lo + golden * (hi - lo)
    fc, fd = dist2(np.exp(c)), dist2(np.exp(d))
    for _ in range(REFINE):
        if fc <= fd:
            hi, d, fd = d, c, fc
            c = hi - golden * (hi - lo)
            fc = dist2(np.exp(c))
        else:
            lo, c, fc = c, d, fd
            d = lo + golden * (hi - lo)
            fd = dist2(np.exp(d))
    return float(np.exp(c if fc <= fd else d))


def quadratic_descent(q, steps: int = 200, count: int = 40, share: float = 1.0):
    """On a 2D loss ``f(w) = 1/2 (w − w*)ᵀ H (w − w*)`` (a
    :class:`~engine.geometry.Quadratic`, the geometry pane's): gradient descent without a penalty from ``w = 0`` with step
    ``share/λ_max(H)``, every step until it is within 0.1 % of ``w*`` along every
    direction (or ``steps``; beyond ``count`` steps at :func:`recorded_steps`),
    shape ``(k, 2)``, and the
    ridge path ``w(λ) = (H + λI)⁻¹ H w*`` from ``w = 0`` (λ = ∞) to ``w*`` (λ = 0),
    shape ``(m, 2)``; returned as ``(steps, iterates, ridge)``, ``steps`` the step
    counts of the iterates. ``share``: the step is ``share / λ_max(H)`` (small steps show
    the way better; at 1 the stiffest direction is done in one step)."""
    H, w_star = np.asarray(q.H, dtype=float), np.asarray(q.w_star, dtype=float)
    mu, V = np.linalg.eigh(H)
    eta = share / float(mu.max())
    # up to where the slowest direction has come 99.9 % of the way (at most steps)
    slow = 1.0 - eta * float(mu.min())
    need = np.log(1e-3) / np.log(slow) if 0.0 < slow < 1.0 else 1.0
    last = int(min(steps, max(np.ceil(need), 1)))
    at = np.arange(last + 1) if last <= count else recorded_steps(last, count)
    # in the eigenbasis each coordinate moves a share 1 − (1 − η μ)^t of the way
    target = V.T @ w_star
    shares = 1.0 - (1.0 - eta * mu[None, :]) ** at[:, None]
    iterates = (shares * target) @ V.T
    lams = np.geomspace(1e4 * mu.max(), 1e-4 * mu.min(), 200)
    ridge = ((mu / (mu + lams[:, None])) * target) @ V.T
    ridge = np.vstack([np.zeros(w_star.size), ridge, w_star])
    return at, iterates, ridge
