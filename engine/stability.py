"""Stability selection: how often each feature is selected over resamples of the rows.

For ``B`` resamples of the training rows (:mod:`engine.resample`: half-samples
without replacement, Meinshausen & Bühlmann 2010, or bootstraps), drawn from the
run's seed, the model is fitted along the full data's grid of strengths (so the
frequencies line up over λ) and at the run's own strength α. The **selection
frequency** of feature ``j`` at α is the share of resamples whose weight ``w_j`` is
not exactly 0 (``w_j != 0.0``: the L1 part's exact zeros, never a rounding
threshold). A feature whose frequency reaches the threshold ``π`` (0.6 to 0.9 in
the paper) is *stably selected*.

Every resample's fit is exact: the same solvers as the regularization path
(:mod:`engine.path`), certified by the relative duality gap ``tol``, so a fit equals
scikit-learn's ``Lasso(alpha=λ₁)`` / ``ElasticNet(alpha=λ₁+λ₂, l1_ratio=ρ)`` on the
same rows of the standardized training data (the full data's standardization: see
:mod:`engine.resample`).

What makes ``B`` paths cheap (squared loss):

* **only the columns the path needs, and a walk down the path**: see
  :mod:`engine.stability_path` (a resample's Gram matrix is never formed whole; a
  Lasso path goes from one strength to the next a change of the support at a time,
  as LARS does);
* **stopping where selection stops meaning anything**: below the run's α, a
  resample's path stops at the first strength where it selects more than
  ``STOP_SHARE`` (a tenth) of its rows and more than ``STOP_MIN`` (40) features.
  Stability selection is about the strengths where few features are selected (the
  paper's bound on the expected number of false selections, ``q² / ((2π − 1) p)``,
  needs ``q² ≪ p`` selected features); toward the bottom of the grid a half-sample
  selects almost as many features as it has rows, and those strengths cost most of
  a path's time (over 95 % on ``houses``, where a tenth of a half-sample's 800 rows is
  80 features). The stability paths are given down to the smallest strength every
  resample reached (:attr:`StabilityResult.n_path`); ``stop_share=None`` computes
  the whole grid (about 28 times slower on ``houses``: see
  ``benchmarks/stability_bench.py``).

A move of the run's strength alone (the λ cursor) changes only the fits at it: the
run's α is put into each resample's chain of warm starts, but every grid point is
an exact fit whatever chain led to it. ``stability_at`` refits each resample at
the new α, warm-started from its solution at the old one, and keeps the paths
(when they reach the new α): :mod:`engine.stability_move`.

Logistic loss goes through the same loop with the path's exact logistic solver.
An L2 penalty selects nothing (every weight is nonzero): the lab needs an L1 part.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from .data import TrainingData
from .gram_columns import ColumnPlan
from .path.grid import (
    ON_GRID,
    alpha_grid,
    current_alpha,
    penalty_at,
    rho_of,
    same_path,
)
from .resample import resample_data, resample_indices, resample_rows
from .solvers import Cancel, Progress, as_cancel
from .stability_path import LIKELY, ColumnActiveSet, resample_path
from .workspace import Workspace

__all__ = [
    "STOP_SHARE",
    "ColumnActiveSet",
    "StabilityResult",
    "same_paths",
    "same_stability",
    "stability_for",
    "stability_selection",
]

#: Below the run's strength a resample's path stops once it selects more than this
#: share of its (distinct) rows (see the module docstring) ...
STOP_SHARE = 0.1
#: ... and more than this many features (small data: the whole grid).
STOP_MIN = 40


@dataclass
class StabilityResult:
    """Selection frequencies over resamples.

    ``alphas``: the full data's grid (largest first); ``alpha``: the run's strength.
    ``frequency`` (shape (d,)): the share of the ``done`` resamples with ``w_j != 0``
    at ``alpha``; ``path_frequency`` (shape (n_alphas, d)): the same at each grid
    point, NaN below the first ``n_path`` points (where the paths stopped, see the
    module docstring). ``coefs`` (shape (done, d)): each resample's weights at
    ``alpha``; ``indices`` (shape (B, rows)): the resamples' rows (positions among
    the training rows). Only ``done`` of the ``B`` resamples were fitted when
    ``cancelled``.
    """

    kind: str
    rho: float
    loss: str
    resample: str
    B: int
    seed: int
    alphas: np.ndarray
    alpha: float
    indices: np.ndarray
    coefs: np.ndarray
    frequency: np.ndarray
    path_frequency: np.ndarray
    n_path: int
    done: int
    cancelled: bool = False
    elapsed: float = 0.0

    @property
    def rows(self) -> int:
        """Rows in each resample."""
        return int(self.indices.shape[1])

    def stable(self, threshold: float) -> np.ndarray:
        """Indices of the features whose frequency at α reaches ``threshold``,
        most frequent first (ties: in the data's order)."""
        f = self.frequency
        chosen = np.flatnonzero(f >= threshold)
        return chosen[np.argsort(-f[chosen], kind="stable")]

    def top(self, k: int) -> np.ndarray:
        """Indices of the ``k`` most frequently selected features at α (over the
        whole computed path too, to break ties), most frequent first."""
        with np.errstate(invalid="ignore"):
            along = np.nanmean(self.path_frequency[: max(self.n_path, 1)], axis=0)
        along = np.nan_to_num(along)
        order = np.lexsort((-along, -self.frequency))
        return order[:k]


def stability_selection(
    data: TrainingData,
    loss: str,
    kind: str,
    *,
    rho: float = 1.0,
    alphas: np.ndarray,
    alpha: float,
    B: int = 100,
    resample: str = "half",
    seed: int = 0,
    tol: float = 1e-8,
    stop_share: float | None = STOP_SHARE,
    progress: Progress = None,
    cancel: Cancel = None,
) -> StabilityResult:
    """Selection frequencies of ``B`` resamples of ``data``'s training rows.

    Parameters
    ----------
    data : TrainingData
    loss : {'squared', 'logistic'}
    kind : {'l1', 'elasticnet'}
        The penalty; ``rho`` is the Elastic Net's L1 share (> 0).
    alphas : ndarray
        The grid of total strengths (the full data's path grid, decreasing).
    alpha : float
        The run's strength: the frequencies at it are ``frequency``.
    B, resample, seed :
        The resamples (:func:`engine.resample.resample_indices`).
    tol : float
        Relative duality gap every fit is certified to.
    stop_share : float or None
        Below ``alpha`` a path stops once it selects more than this share of its
        rows; None: the whole grid.
    progress, cancel :
        ``progress(fraction, "40 of 100 resamples")`` after each resample;
        ``cancel()`` stops before the next point, and the result holds the
        resamples done, marked ``cancelled``.

    ValueError, with one sentence, for a penalty without an L1 part or a resample
    of one class (logistic loss).
    """
    start = time.perf_counter()
    cancel = as_cancel(cancel)
    if kind == "l1":
        rho = 1.0
    elif kind != "elasticnet" or not rho > 0:
        raise ValueError(
            "stability selection counts exact zeros: it needs an L1 part "
            "(choose L1 or Elastic Net)"
        )
    alphas = np.asarray(alphas, dtype=np.float64)
    alpha = float(alpha)
    if not (np.isfinite(alpha) and alpha >= 0):
        raise ValueError(f"the strength must be a finite number >= 0, got {alpha!r}")
    n, d = data.n_samples, data.n_features
    indices = resample_indices(n, B, resample, seed)
    # the run's strength on the grid, or put in its place (the paths go through it)
    near = np.flatnonzero(np.abs(alphas - alpha) <= ON_GRID * max(alpha, 1e-300))
    if near.size:
        run_alphas, at, inserted = alphas, int(near[0]), False
    else:
        at = int(np.searchsorted(-alphas, -alpha))
        run_alphas, inserted = np.insert(alphas, at, alpha), True
    cap = None if stop_share is None else stop_share * resample_rows(n, resample)
    if cap is not None:
        cap = max(cap, STOP_MIN)
    counts = np.zeros((alphas.size, d))
    joined = np.zeros(d)  # in how many resamples each feature was ever selected
    reached = alphas.size
    coefs = []
    cancelled = False
    buf = np.empty((indices.shape[1], d))  # one resample's rows, reused
    work = Workspace()  # and its solver's buffers
    abs_max = float(np.abs(data.X).max(initial=0.0)) if loss == "squared" else None
    pens = [penalty_at(kind, rho, a) for a in run_alphas]
    for r in range(B):
        rows = indices[r]
        sub = resample_data(data, rows, out=buf)
        if loss == "logistic" and np.unique(sub.y).size < 2:
            raise ValueError(
                f"resample {r + 1} holds only one class: too few rows of one class "
                "to resample"
            )
        if resample == "bootstrap" and cap is not None:
            distinct = np.unique(rows).size
            cap_r = max(stop_share * distinct, STOP_MIN)
        else:
            cap_r = cap
        likely = np.flatnonzero(joined >= LIKELY * r) if r else np.arange(0)
        plan = ColumnPlan(work, likely, abs_max)
        out = resample_path(sub, loss, pens, at, tol, cap_r, cancel, plan)
        if out is None:
            cancelled = True
            break
        nonzero, w_at = out
        if inserted:
            del nonzero[at]
        k = len(nonzero)
        nonzero = np.array(nonzero)
        counts[:k] += nonzero
        joined += nonzero.any(axis=0)
        reached = min(reached, k)
        coefs.append(w_at)
        if progress is not None:
            progress((r + 1) / B, f"{r + 1} of {B} resamples")
    done = len(coefs)
    coefs = np.array(coefs).reshape(done, d)
    with np.errstate(invalid="ignore", divide="ignore"):
        frequency = (coefs != 0.0).sum(axis=0) / done if done else np.full(d, np.nan)
        path_frequency = counts / done if done else np.full((alphas.size, d), np.nan)
    n_path = reached if done else 0
    path_frequency[n_path:] = np.nan
    return StabilityResult(
        kind=kind,
        rho=float(rho),
        loss=loss,
        resample=resample,
        B=int(B),
        seed=int(seed),
        alphas=alphas,
        alpha=alpha,
        indices=indices,
        coefs=coefs,
        frequency=frequency,
        path_frequency=path_frequency,
        n_path=int(n_path),
        done=done,
        cancelled=cancelled,
        elapsed=float(time.perf_counter() - start),
    )


def stability_for(
    settings,
    data: TrainingData,
    progress: Progress = None,
    cancel: Cancel = None,
    *,
    stop_share: float | None = STOP_SHARE,
) -> StabilityResult:
    """The stability lab of a resolved ``settings`` on its prepared ``data``: its
    penalty's kind and L1 share, the grid of ``settings.path`` (the full data's,
    as :func:`engine.path.path_for` computes it), the strength of the run,
    ``settings.lab``'s resamples (``resamples``, ``resample``) drawn with the run's
    ``seed``, every fit solved to ``settings.tol``."""
    if not settings.resolved:
        raise ValueError("the settings are not resolved for the data yet")
    if settings.penalty not in ("l1", "elasticnet"):
        raise ValueError(
            "stability selection counts exact zeros: it needs an L1 part "
            f"(choose L1 or Elastic Net; the penalty is {settings.penalty!r})"
        )
    rho = rho_of(settings)
    alphas = alpha_grid(
        data,
        settings.loss,
        settings.penalty,
        rho=rho,
        n_alphas=settings.path.n_alphas,
        alpha_min_ratio=settings.path.alpha_min_ratio,
    )
    if alphas[0] == 0:
        raise ValueError("the target is constant: there is nothing to select")
    lab = settings.lab
    return stability_selection(
        data,
        settings.loss,
        settings.penalty,
        rho=rho,
        alphas=alphas,
        alpha=current_alpha(settings),
        B=lab.resamples,
        resample=lab.resample,
        seed=settings.seed,
        tol=settings.tol,
        stop_share=stop_share,
        progress=progress,
        cancel=cancel,
    )


def same_paths(a, b) -> bool:
    """Whether two resolved settings give the same resamples and stability paths
    over the grid: the same path (:func:`~engine.path.grid.same_path`), seed and
    resamples; the strength may differ (:func:`stability_at`)."""
    if not same_path(a, b) or a.seed != b.seed:
        return False
    return (a.lab.resamples, a.lab.resample) == (b.lab.resamples, b.lab.resample)


def same_stability(a, b) -> bool:
    """Whether two resolved settings give the same stability result: the same
    paths (:func:`same_paths`) and strength (the threshold only reads the
    result)."""
    return same_paths(a, b) and current_alpha(a) == current_alpha(b)
