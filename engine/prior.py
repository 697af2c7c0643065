"""The Bayesian view: a penalty is a prior, the penalized optimum a posterior mode.

For squared loss with Gaussian noise of variance σ², the likelihood of the weights is
``exp(−n·D(w)/σ²)`` (D the mean squared error / 2), so a prior ``exp(−n·P(w)/σ²)``
gives the posterior ``exp(−n·F(w)/σ²)``, F = D + P the app's objective:

* L1, ``P = λ₁‖w‖₁``: each weight Laplace with scale ``σ²/(nλ₁)``;
* L2, ``P = λ₂‖w‖²/2``: each weight Gaussian with variance ``σ²/(nλ₂)``;
* Elastic Net: the product of the two, normalized.

The maximum a posteriori estimate (MAP) is the minimizer of F: the lasso is a posterior
mode, and a mode can sit exactly on an axis (a corner of the diamond). The posterior
mean averages over the whole posterior; a density that is positive on both sides of 0
does not average to exactly 0, so the mean is not sparse. For logistic loss the
likelihood is ``exp(−n·D(w))``: the same with σ² = 1.

:func:`noise_variance` estimates σ² from the least-squares residuals of the training
rows. :func:`posterior_2d` evaluates the posterior of two weights on a grid (the
others held at the run's values, the intercept integrated out under a flat prior,
which for squared loss is the geometry pane's :class:`~engine.geometry.Quadratic`)
and integrates it for the mean.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .data import TrainingData
from .geometry import Quadratic, penalized_optimum

__all__ = [
    "Posterior2D",
    "noise_variance",
    "posterior_2d",
    "prior_density",
    "prior_scale_text",
]


def noise_variance(data: TrainingData, loss: str) -> tuple[float, str]:
    """σ² and how it was found: for squared loss the least-squares residual variance
    ``RSS/(n − d − 1)`` when there are more rows than features + 1, else the target's
    variance (a bound: no fit is trusted then); 1 for logistic loss."""
    if loss == "logistic":
        return 1.0, "logistic loss: σ² = 1"
    n, d = data.X.shape
    yc = data.y - data.y.mean()
    if n > d + 1:
        dof = n - d - 1
        how = f"least-squares residuals, {dof} degrees of freedom"
        m = data.moments
        if m.gram_c is not None:  # from the Gram matrix the run has: O(d³), not O(nd²)
            coef, *_ = np.linalg.lstsq(m.gram_c, m.c, rcond=None)
            rss = n * max(m.yy - float(m.c @ coef), 0.0)
            return rss / dof, how
        Xc = data.X - data.X.mean(axis=0)
        coef, *_ = np.linalg.lstsq(Xc, yc, rcond=None)
        r = yc - Xc @ coef
        return float(r @ r) / dof, how
    return float(yc @ yc) / max(
        n - 1, 1
    ), "the target's variance (fewer rows than features)"


def prior_density(
    w: np.ndarray, lam1: float, lam2: float, sigma2: float, n: int
) -> np.ndarray:
    """The prior density of one weight at ``w``: Laplace of scale σ²/(nλ₁) (λ₂ = 0),
    Gaussian of variance σ²/(nλ₂) (λ₁ = 0), or their product normalized (both).
    ValueError without a penalty (a flat prior has no density)."""
    w = np.asarray(w, dtype=float)
    a, c = n * lam1 / sigma2, n * lam2 / sigma2  # exp(−a|w| − c w²/2)
    if a <= 0 and c <= 0:
        raise ValueError("without a penalty the prior is flat: it has no density")
    if c <= 0:
        return 0.5 * a * np.exp(-a * np.abs(w))
    if a <= 0:
        return math.sqrt(c / (2 * math.pi)) * np.exp(-0.5 * c * w * w)
    # ∫ exp(−a|w| − c w²/2) dw = 2 √(2π/c) e^{s²/2} P(Z > s), s = a/√c
    s = a / math.sqrt(c)
    norm = 2 * math.sqrt(2 * math.pi / c) * _mills(s)
    return np.exp(-a * np.abs(w) - 0.5 * c * w * w) / norm


def _mills(s: float) -> float:
    """``e^{s²/2} · P(Z > s)`` for a standard normal Z (Mills' ratio times φ√2π),
    without overflow."""
    if s < 30:
        return math.exp(0.5 * s * s) * 0.5 * math.erfc(s / math.sqrt(2))
    # asymptotic series of the Mills ratio: (1/s)(1 − 1/s² + 3/s⁴ − …)/√(2π)
    return (1 / s) * (1 - 1 / s**2 + 3 / s**4 - 15 / s**6) / math.sqrt(2 * math.pi)


def prior_scale_text(lam1: float, lam2: float, sigma2: float, n: int) -> str:
    """The prior in words with its scale, e.g. 'Laplace, scale σ²/(nλ₁) = 0.012'."""
    parts = []
    if lam1 > 0:
        parts.append(f"Laplace of scale σ²/(nλ₁) = {sigma2 / (n * lam1):.3g}")
    if lam2 > 0:
        parts.append(f"Gaussian of variance σ²/(nλ₂) = {sigma2 / (n * lam2):.3g}")
    return " × ".join(parts) if parts else "flat (no penalty)"


@dataclass(frozen=True)
class Posterior2D:
    """The posterior of two weights on a grid: ``density`` of shape (len(ys),
    len(xs)), normalized to sum 1 over the cells; ``map`` the exact mode (the
    penalized optimum of the two-weight problem); ``mean`` the grid integral."""

    xs: np.ndarray
    ys: np.ndarray
    density: np.ndarray
    map: np.ndarray
    mean: np.ndarray
    sigma2: float

    def levels(self, masses=(0.5, 0.9, 0.99)) -> list[float]:
        """Density values whose upper sets hold these posterior masses (highest
        density regions), for contours."""
        flat = np.sort(self.density.ravel())[::-1]
        cum = np.cumsum(flat)
        return [
            float(flat[min(np.searchsorted(cum, m), flat.size - 1)]) for m in masses
        ]


def posterior_2d(
    q: Quadratic,
    lam1: float,
    lam2: float,
    sigma2: float,
    n: int,
    *,
    cells: int = 401,
) -> Posterior2D:
    """``exp(−n(f(w) + λ₁‖w‖₁ + λ₂‖w‖²/2)/σ²)`` over two weights on a grid of
    ``cells`` × ``cells``: first (coarsely) over ±6 standard deviations of the likelihood's
    Gaussian part around the mode, then again over the box where the density is
    above 1e-9 of its peak (a strong Laplace prior squeezes the posterior far
    tighter than the likelihood)."""
    mode = penalized_optimum(q, lam1, lam2)
    # the curvature of −log posterior is n(H + λ₂I)/σ²: its inverse gives the spread
    cov = np.linalg.inv(q.H + lam2 * np.eye(2)) * sigma2 / n
    sd = np.sqrt(np.diag(cov))
    lo, hi = mode - 6 * sd, mode + 6 * sd
    xs, ys, p = _grid(q, lam1, lam2, sigma2, n, lo, hi, max(cells // 4, 51))
    rows, cols = np.nonzero(p >= 1e-9 * p.max())
    dx, dy = xs[1] - xs[0], ys[1] - ys[0]
    lo = np.array([xs[cols.min()] - 2 * dx, ys[rows.min()] - 2 * dy])
    hi = np.array([xs[cols.max()] + 2 * dx, ys[rows.max()] + 2 * dy])
    lo, hi = np.minimum(lo, mode - dx), np.maximum(hi, mode + dy)
    xs, ys, p = _grid(q, lam1, lam2, sigma2, n, lo, hi, cells)
    W = np.stack(np.meshgrid(xs, ys), axis=-1)
    mean = np.array([float((p * W[..., 0]).sum()), float((p * W[..., 1]).sum())])
    return Posterior2D(xs, ys, p, mode, mean, sigma2)


def _grid(q, lam1, lam2, sigma2, n, lo, hi, cells):
    """The normalized posterior on a ``cells`` × ``cells`` grid over [lo, hi]."""
    xs = np.linspace(lo[0], hi[0], cells)
    ys = np.linspace(lo[1], hi[1], cells)
    W = np.stack(np.meshgrid(xs, ys), axis=-1)
    F = q.value(W) + lam1 * np.abs(W).sum(-1) + 0.5 * lam2 * (W * W).sum(-1)
    logp = -(n / sigma2) * (F - F.min())
    p = np.exp(logp)
    p /= p.sum()
    return xs, ys, p
