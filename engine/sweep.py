"""When each penalty wins: held-out error of L1, L2 and Elastic Net against the
number of true features k.

For every k of a grid from 1 to d (:func:`k_grid`) and every repeat, data is drawn
from the generator of :mod:`engine.synthetic` (``n`` rows, ``d`` features in
correlated groups, the first ``k`` features true, the signal's variance 1 whatever
``k``), and each penalty is fitted at **its own cross-validated λ_min** (the strength
with the smallest K-fold cross-validated mean squared error,
:func:`engine.path.cross_validate` on the standardized data, over a grid of
:data:`SWEEP_ALPHAS` strengths spanning three decades from the top of the penalty's
path), then solved on all ``n`` rows at that strength. Its error is the **excess
error** on new data from the generator, computed exactly from the truth
(:func:`engine.synthetic.excess_error`): ``E (y - x w - b)^2 - sigma^2``. 0 is the
truth itself; 1 is the null model (the whole signal missed).

A repeat draws the features and the noise once and uses them for every k and every
penalty (common random numbers): the curves are smooth in k, and the penalties are
compared on the same data. The mean and its standard error (``std / sqrt(R)``) are
over the ``R`` repeats.

The seed's rules, as this module measures them: L1 wins on a sparse truth (few true
features), L2 on a dense one (most features true), and where the true features come
in groups of correlated features, Elastic Net beats L1 and keeps more of each true
group. :attr:`SweepResult.crossover` is where L2 overtakes L1.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass

import numpy as np

from .data import prepare
from .path import alpha_grid, cross_validate, penalty_at
from .solvers import Cancel, Progress, as_cancel, solve
from .synthetic import Generator, excess_error, true_coefficients

__all__ = [
    "KINDS",
    "SWEEP_ALPHAS",
    "SweepResult",
    "fit_at_cv",
    "k_grid",
    "run_sweep",
    "same_sweep",
    "sweep_for",
]

#: The penalties compared, in the order of every array of a :class:`SweepResult`.
KINDS = ("l1", "l2", "elasticnet")
#: Strengths of each cross-validation's grid, over three decades: λ_min is placed
#: within a factor 1.44 of itself, where the error curve is flat (it moves the
#: excess error by a few percent of itself, less than its standard error over the
#: repeats). The app's 100-strength grid would make the sweep 3-4× slower.
SWEEP_ALPHAS = 20
#: Largest d at which every k from 1 to d is in the grid; beyond, this many values.
ALL_K_UP_TO = 20
K_POINTS = 20


def k_grid(d: int) -> np.ndarray:
    """The numbers of true features a sweep visits: every k from 1 to ``d`` for
    ``d <= 20``, else 20 values evenly spread from 1 to ``d`` (every second k for
    d = 40: a sweep of every k there takes twice as long and its curves are no
    smoother than the repeats make them)."""
    if d <= ALL_K_UP_TO:
        return np.arange(1, d + 1)
    return np.unique(np.round(np.linspace(1, d, K_POINTS)).astype(int))


@dataclass
class SweepResult:
    """Errors of the penalties :data:`KINDS` at their CV λ against k.

    Arrays of shape (3, repeats, len(ks)), indexed like ``KINDS``, NaN where not
    computed (a cancelled sweep): ``errors``, the excess error on new data;
    ``recall``, the share of the true features with a nonzero weight; ``selected``,
    the number of nonzero weights; ``alphas``, the CV λ_min (λ for L1 and L2,
    α = λ₁ + λ₂ for Elastic Net, in standardized units).
    """

    generator: Generator
    ks: np.ndarray
    l1_ratio: float
    errors: np.ndarray
    recall: np.ndarray
    selected: np.ndarray
    alphas: np.ndarray
    repeats: int
    seed: int
    folds: int
    cancelled: bool = False
    elapsed: float = 0.0

    @property
    def repeats_done(self) -> int:
        """Repeats complete at every k and for every penalty."""
        return int(np.isfinite(self.errors).all(axis=(0, 2)).sum())

    @property
    def mean(self) -> np.ndarray:
        """Mean excess error over the repeats, shape (3, len(ks)); NaN where none."""
        return _nanmean(self.errors)

    @property
    def se(self) -> np.ndarray:
        """Standard error of :attr:`mean`; NaN with fewer than 2 repeats."""
        count = np.isfinite(self.errors).sum(axis=1)
        ok = count >= 2
        sd = np.full(count.shape, np.nan)
        with np.errstate(invalid="ignore"):
            dev = self.errors - self.mean[:, None, :]
            ss = np.nansum(dev * dev, axis=1)
        sd[ok] = np.sqrt(ss[ok] / (count[ok] - 1) / count[ok])
        return sd

    def error(self, kind: str) -> tuple[np.ndarray, np.ndarray]:
        """``(mean, se)`` of ``kind``'s excess error against :attr:`ks`."""
        i = KINDS.index(kind)
        return self.mean[i], self.se[i]

    def mean_recall(self, kind: str) -> np.ndarray:
        """Mean share of the true features that ``kind`` keeps, against ks."""
        return _nanmean(self.recall[KINDS.index(kind)][None])[0]

    @property
    def crossover(self) -> float | None:
        """The k from which L2's mean error stays below L1's (linearly
        interpolated between the two grid points where the difference changes
        sign for the last time); None when L2 does not win at the largest k, or
        wins at every k."""
        return crossing(self.ks, self.mean[0] - self.mean[1])

    def copy(self, **changes) -> SweepResult:
        """A copy with its own arrays (and ``changes``)."""
        arrays = {
            name: getattr(self, name).copy()
            for name in ("errors", "recall", "selected", "alphas")
        }
        return dataclasses.replace(self, **arrays, **changes)

    def table(self) -> list[tuple]:
        """One row per k: ``(k, mean L1, se L1, mean L2, se L2, mean EN, se EN)``."""
        mean, se = self.mean, self.se
        return [
            (int(k), *(v for i in range(3) for v in (mean[i, j], se[i, j])))
            for j, k in enumerate(self.ks)
        ]


def crossing(x: np.ndarray, diff: np.ndarray) -> float | None:
    """Where ``diff`` (against ``x``) turns positive for good: the zero of the
    straight line between the last point with ``diff <= 0`` and the next; None when
    the last finite ``diff`` is not positive, or every one is."""
    ok = np.isfinite(diff)
    x, diff = np.asarray(x, dtype=float)[ok], diff[ok]
    if diff.size == 0 or diff[-1] <= 0:
        return None
    below = np.flatnonzero(diff <= 0)
    if below.size == 0:
        return None
    i = int(below[-1])
    t = -diff[i] / (diff[i + 1] - diff[i])
    return float(x[i] + t * (x[i + 1] - x[i]))


def _nanmean(a: np.ndarray) -> np.ndarray:
    count = np.isfinite(a).sum(axis=1)
    total = np.nansum(a, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def fit_at_cv(
    data,
    kind: str,
    *,
    l1_ratio: float = 0.5,
    n_alphas: int = SWEEP_ALPHAS,
    folds: int = 5,
    shuffle: bool = False,
    seed: int = 0,
    tol: float = 1e-8,
    cancel: Cancel = None,
):
    """``(w, b, alpha_min)`` of ``kind`` on prepared squared-loss ``data``: K-fold
    cross-validation over ``n_alphas`` strengths, then the solve on all training
    rows at λ_min (``w``, ``b`` in the units of ``data``). None when cancelled."""
    cv = cross_validate(
        data,
        "squared",
        kind,
        rho=l1_ratio,
        alphas=alpha_grid(data, "squared", kind, rho=l1_ratio, n_alphas=n_alphas),
        folds=folds,
        shuffle=shuffle,
        seed=seed,
        tol=tol,
        cancel=cancel,
    )
    if cv.cancelled or cv.alpha_min is None:
        return None
    res = solve(
        data,
        "squared",
        penalty_at(kind, l1_ratio, cv.alpha_min),
        tol=tol,
        cancel=cancel,
    )
    if res.cancelled:
        return None
    return res.w, res.b, cv.alpha_min


def run_sweep(
    gen: Generator,
    *,
    repeats: int = 5,
    seed: int = 0,
    l1_ratio: float = 0.5,
    folds: int = 5,
    shuffle: bool = False,
    tol: float = 1e-8,
    ks: np.ndarray | None = None,
    n_alphas: int = SWEEP_ALPHAS,
    progress: Progress = None,
    cancel: Cancel = None,
    partial=None,
) -> SweepResult:
    """The sweep of the module docstring over ``ks`` (default :func:`k_grid`),
    ``repeats`` draws of the data seeded by ``(seed, repeat)``; Elastic Net at the
    L1 share ``l1_ratio``. ``progress(fraction, "repeat 2 of 5, k = 13")``;
    ``cancel()`` stops it, and the result holds what was done, marked
    ``cancelled``. ``partial(result)``, after each repeat but the last, gets a copy
    of the result so far (marked ``cancelled``: it is incomplete), for a view to
    draw while the sweep goes on."""
    start = time.perf_counter()
    cancel = as_cancel(cancel)
    ks = k_grid(gen.d) if ks is None else np.asarray(ks, dtype=int)
    shape = (len(KINDS), repeats, ks.size)
    errors, recall, selected, alphas = (np.full(shape, np.nan) for _ in range(4))
    res = SweepResult(
        gen,
        ks,
        float(l1_ratio),
        errors,
        recall,
        selected,
        alphas,
        repeats,
        int(seed),
        folds,
    )
    total = repeats * ks.size
    for r in range(repeats):
        rng = np.random.default_rng([int(seed), r])
        X = gen.features(rng)
        eps = rng.standard_normal(gen.n)
        for j, k in enumerate(ks):
            if progress is not None:
                done = r * ks.size + j
                progress(done / total, f"repeat {r + 1} of {repeats}, k = {k}")
            data = prepare(gen.dataset(int(k), X, eps))
            beta = true_coefficients(gen, int(k))
            for i, kind in enumerate(KINDS):
                fit = fit_at_cv(
                    data,
                    kind,
                    l1_ratio=l1_ratio,
                    n_alphas=n_alphas,
                    folds=folds,
                    shuffle=shuffle,
                    seed=seed,
                    tol=tol,
                    cancel=cancel,
                )
                if fit is None:
                    res.cancelled = True
                    res.elapsed = time.perf_counter() - start
                    return res
                w, b, alpha = fit
                w_raw, b_raw = data.raw_coef(w, b)
                errors[i, r, j] = excess_error(gen, beta, w_raw, b_raw)
                recall[i, r, j] = np.count_nonzero(w[: int(k)]) / k
                selected[i, r, j] = np.count_nonzero(w)
                alphas[i, r, j] = alpha
        if partial is not None and r < repeats - 1:
            partial(res.copy(cancelled=True, elapsed=time.perf_counter() - start))
    if progress is not None:
        progress(1.0, f"{repeats} repeats of {ks.size} values of k")
    res.elapsed = time.perf_counter() - start
    return res


def sweep_for(settings, progress: Progress = None, cancel: Cancel = None, partial=None):
    """The sweep of ``settings``: the generator of ``settings.lab``, its
    ``sweep_repeats``, the Elastic Net at ``lab.compare_l1_ratio`` (the L1 share
    of the Elastic Net compared with L1 and L2), the folds and shuffling of
    ``settings.path``, the run's seed and tolerance."""
    lab = settings.lab
    return run_sweep(
        Generator.of_lab(lab),
        repeats=lab.sweep_repeats,
        seed=settings.seed,
        l1_ratio=lab.compare_l1_ratio,
        folds=settings.path.folds,
        shuffle=settings.path.shuffle,
        tol=settings.tol,
        progress=progress,
        cancel=cancel,
        partial=partial,
    )


#: The settings a sweep depends on (:func:`sweep_for`).
_LAB_FIELDS = (
    "sweep_n",
    "sweep_d",
    "sweep_group",
    "sweep_rho",
    "sweep_noise",
    "sweep_repeats",
    "compare_l1_ratio",
)


def same_sweep(a, b) -> bool:
    """Whether two settings give the same sweep."""
    if any(getattr(a.lab, f) != getattr(b.lab, f) for f in _LAB_FIELDS):
        return False
    pa, pb = a.path, b.path
    return (a.seed, a.tol, pa.folds, pa.shuffle) == (
        b.seed,
        b.tol,
        pb.folds,
        pb.shuffle,
    )
