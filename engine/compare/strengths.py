"""Which strength each compared penalty gets: L1, L2 and Elastic Net on the same data.

The compare view trains three runs side by side, one per penalty, each at a strength
``alpha`` on its own path's axis (λ₁ for L1, λ₂ for L2, λ₁ + λ₂ for Elastic Net at
the L1 share ρ, :mod:`engine.path.grid`). ``settings.lab.compare_lambda`` says how
``alpha`` is chosen:

* ``'1se'``: each penalty's own λ_1se, from the K-fold cross-validation of its own
  path (:func:`engine.path.cv_for` with the run's folds, shuffling, error measure,
  grid and tolerance): the largest strength whose held-out error is within one
  standard error of the smallest;
* ``'same'``: the run's own strength ``alpha`` (:func:`run_alpha`) for all three: the
  same number in front of each penalty term;
* ``'nonzero'``: L1 and Elastic Net at a strength whose solution keeps as many nonzero
  weights as the run's own solution at its λ (:func:`target_nonzero`), found on the
  path and by bisection in log α between its grid points. L2 keeps every weight
  whatever its strength, so it stays at its λ_1se.

The Elastic Net's share ρ is the run's own when the run is an Elastic Net, else
``settings.lab.compare_l1_ratio`` (:func:`compare_rho`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from ..data import TrainingData
from ..path import (
    PATH_KINDS,
    CVResult,
    cv_for,
    penalty_at,
    regularization_path,
    same_cv,
)
from ..penalties import Penalty
from ..solvers import Cancel, Progress, as_cancel, solve

__all__ = [
    "COMPARED_KINDS",
    "KIND_NAMES",
    "Strength",
    "choose_strengths",
    "compare_rho",
    "compared_settings",
    "nonzero_alpha",
    "run_alpha",
    "same_runs",
    "same_strengths",
    "target_nonzero",
]

#: The compared penalties, in the order they are drawn and printed.
COMPARED_KINDS = ("l1", "l2", "elasticnet")
KIND_NAMES = {"l1": "L1 (Lasso)", "l2": "L2 (ridge)", "elasticnet": "Elastic Net"}
#: Most bisection steps between two grid points when matching a count of nonzeros.
BISECTIONS = 40


@dataclass(frozen=True)
class Strength:
    """One compared penalty's strength and how it was chosen.

    ``alpha`` is on the penalty's own axis, ``penalty`` the penalty it makes;
    ``how`` says in a few words how it was chosen ("λ_1se of its own 5-fold CV",
    "the run's α", "12 nonzero, as the run"); ``cv`` is the penalty's
    cross-validation when one was computed; ``nonzero`` the count of nonzero weights
    that was aimed at ('nonzero' mode, L1 and Elastic Net), else None;
    ``warning``: why the choice may mislead ('' when it should not), e.g. a
    cross-validated error still falling at the smallest strength of the grid.
    """

    kind: str
    alpha: float
    penalty: Penalty
    how: str
    cv: CVResult | None = None
    nonzero: int | None = None
    warning: str = ""

    @property
    def name(self) -> str:
        return KIND_NAMES[self.kind]


def compare_rho(settings) -> float:
    """The compared Elastic Net's L1 share ρ: the run's own for an Elastic Net run
    (with some L1 part), else ``settings.lab.compare_l1_ratio``."""
    if settings.penalty == "elasticnet" and settings.resolved:
        pen = settings.active_penalty
        if 0 < pen.rho < 1:
            return pen.rho
    return settings.lab.compare_l1_ratio


def run_alpha(settings) -> float:
    """The run's strength α of a resolved ``settings``: λ₁ for L1, λ₂ for L2,
    λ₁ + λ₂ for Elastic Net; for the penalty 'none', λ₁ (its data default unless
    set): the strength the run would have as L1."""
    if settings.penalty in PATH_KINDS:
        return float(settings.active_penalty.alpha)
    return float(settings.lam1)


def compared_settings(settings, kind: str, alpha: float):
    """``settings`` for the compared run of ``kind`` at strength ``alpha``: same data,
    split, loss, rule, step size, batch and seed; the penalty ``kind`` with λ₁, λ₂ of
    :func:`engine.path.penalty_at` (the strength the penalty does not use is kept)."""
    pen = penalty_at(kind, compare_rho(settings), alpha)
    changes = {"penalty": kind, "l1_ratio": None, "steps": 0, "solve": False}
    if kind in ("l1", "elasticnet"):
        changes["lam1"] = pen.lam1
    if kind in ("l2", "elasticnet"):
        changes["lam2"] = pen.lam2
    return settings.replace(**changes)


def _kind_settings(settings, kind: str):
    """``settings`` with the penalty ``kind`` (at ρ for Elastic Net), for its path
    and its cross-validation."""
    return compared_settings(settings, kind, max(run_alpha(settings), 1e-12))


def target_nonzero(settings, data: TrainingData, cancel: Cancel = None) -> int:
    """Nonzero weights of the run's solution at its λ (all of them for L2 and for
    no penalty: neither makes a weight exactly 0)."""
    pen = settings.active_penalty
    if pen.lam1 == 0:
        return data.n_features
    res = solve(data, settings.loss, pen, tol=settings.tol, cancel=cancel)
    return int(np.count_nonzero(res.w))


def nonzero_alpha(
    settings, data: TrainingData, kind: str, k: int, cancel: Cancel = None
) -> tuple[float, int]:
    """``(alpha, count)``: a strength of ``kind`` (L1 or Elastic Net at
    :func:`compare_rho`) whose solution has ``k`` nonzero weights, and the count it
    has (the closest reached when no strength gives exactly ``k``: a count can jump
    by two at once).

    The count at a strength is that of the solution :func:`engine.solvers.solve`
    gives from a cold start at the settings' tolerance: the solution the compare
    view shows. The path over the settings' grid brackets ``k``; where ``k`` is
    among its counts, the middle one of the first run of points with ``k`` is tried
    first (the count is steady there); then a bisection in log α between the two
    neighbouring points.
    """
    cancel = as_cancel(cancel)
    rho = compare_rho(settings)

    def count(alpha: float) -> int:
        pen = penalty_at(kind, rho, alpha)
        res = solve(data, settings.loss, pen, tol=settings.tol, cancel=cancel)
        return int(np.count_nonzero(res.w))

    path = regularization_path(
        data,
        settings.loss,
        kind,
        rho=rho,
        n_alphas=settings.path.n_alphas,
        alpha_min_ratio=settings.path.alpha_min_ratio,
        tol=settings.tol,
        cancel=cancel,
    )
    alphas, counts = path.alphas[: path.n_computed], path.n_nonzero
    if not counts.size:
        return float(path.alphas[0]), 0
    hit = np.flatnonzero(counts == k)
    if hit.size:
        run = hit[: np.argmax(np.diff(np.append(hit, hit[-1] + 2)) > 1) + 1]
        alpha = float(alphas[int(run[len(run) // 2])])
        n = count(alpha)
        if n == k:
            return alpha, n
    above = np.flatnonzero(counts > k)
    if not above.size or above[0] == 0:  # never reached, or beyond at the top
        i = int(np.argmin(np.abs(counts - k)))
        return float(alphas[i]), count(float(alphas[i]))
    i = int(above[0])  # counts[i - 1] < k < counts[i] (or == k, not confirmed)
    hi, lo = np.log(alphas[max(i - 1, 0)]), np.log(alphas[i])
    best = (float(alphas[i]), int(counts[i]))
    for _ in range(BISECTIONS):
        if cancel is not None and cancel():
            break
        mid = 0.5 * (hi + lo)
        n = count(float(np.exp(mid)))
        if abs(n - k) < abs(best[1] - k):
            best = (float(np.exp(mid)), n)
        if n == k:
            return float(np.exp(mid)), n
        if n < k:
            hi = mid
        else:
            lo = mid
    return best


def choose_strengths(
    settings,
    data: TrainingData,
    progress: Progress = None,
    cancel: Cancel = None,
    *,
    known_cv: tuple | None = None,
) -> dict[str, Strength] | None:
    """The strength of each of :data:`COMPARED_KINDS` for a resolved ``settings`` on
    its prepared ``data``, as ``settings.lab.compare_lambda`` says; None when
    cancelled. ValueError (one sentence) when a cross-validation cannot be made
    (a fold of one class).

    ``known_cv``: ``(cv_settings, cv)``, a cross-validation already computed (the
    path model's, for the run's own penalty); it is used instead of computing a
    penalty's again when :func:`engine.path.same_cv` says its settings give the
    same one and it is complete."""
    cancel = as_cancel(cancel)
    mode = settings.lab.compare_lambda
    folds = settings.path.folds
    out: dict[str, Strength] = {}
    k = target_nonzero(settings, data, cancel) if mode == "nonzero" else None
    for n, kind in enumerate(COMPARED_KINDS):
        if cancel is not None and cancel():
            return None
        ks = _kind_settings(settings, kind)
        own_alpha = run_alpha(settings) if settings.penalty == kind else None
        if mode == "same":
            alpha = run_alpha(settings)
            out[kind] = _strength(settings, kind, alpha, "the run's α")
            continue
        if mode == "nonzero" and kind != "l2":
            if own_alpha is not None and (kind != "elasticnet" or _same_rho(settings)):
                out[kind] = _strength(settings, kind, own_alpha, "the run's own", k)
                continue
            alpha, got = nonzero_alpha(settings, data, kind, k, cancel)
            how = f"{got} nonzero, as the run" if got == k else f"{got} nonzero"
            out[kind] = _strength(settings, kind, alpha, how, k)
            continue

        def report(f, m, n=n, kind=kind):
            if progress is not None:
                progress((n + f) / len(COMPARED_KINDS), f"{KIND_NAMES[kind]}: {m}")

        cv = _reusable(known_cv, ks)
        if cv is None:
            cv = cv_for(ks, data, progress=report, cancel=cancel)
        if cv.cancelled or cv.alpha_1se is None:
            return None
        how = f"λ_1se of its own {folds}-fold CV"
        if mode == "nonzero":  # L2 keeps every weight: no count to match
            how += " (L2 keeps every weight)"
        warning = ""
        if cv.index_min == cv.alphas.size - 1:
            warning = (
                f"{KIND_NAMES[kind]}: the held-out error is smallest at the grid's "
                "smallest strength; a smaller α_min ratio may find a better λ"
            )
        out[kind] = _strength(settings, kind, cv.alpha_1se, how, cv=cv)
        if warning:
            out[kind] = dataclasses.replace(out[kind], warning=warning)
    if progress is not None:
        progress(1.0, "strengths chosen")
    return out


def _reusable(known_cv, settings) -> CVResult | None:
    """The cross-validation of ``known_cv`` when it is that of ``settings``
    and complete, else None."""
    if known_cv is None:
        return None
    cv_settings, cv = known_cv
    if cv is None or cv_settings is None or cv.cancelled or cv.alpha_1se is None:
        return None
    return cv if same_cv(cv_settings, settings) else None


def _same_rho(settings) -> bool:
    return settings.penalty == "elasticnet" and compare_rho(settings) == (
        settings.active_penalty.rho
    )


def _strength(settings, kind, alpha, how, nonzero=None, cv=None) -> Strength:
    pen = penalty_at(kind, compare_rho(settings), alpha)
    return Strength(kind, float(alpha), pen, how, cv=cv, nonzero=nonzero)


def same_strengths(a, b) -> bool:
    """Whether two resolved settings give the same compared strengths and
    solutions: the same data and preparation, loss, tolerance, grid, folds and
    error measure, way of choosing λ and Elastic Net share, and, unless each
    penalty takes its own λ_1se, the same run penalty and strengths."""
    fields = ("source", "standardize", "validation", "split_seed", "loss", "tol")
    if any(getattr(a, f) != getattr(b, f) for f in fields):
        return False
    if a.source.spec != b.source.spec:
        return False
    pa, pb = a.path, b.path
    grid = ("n_alphas", "alpha_min_ratio", "folds", "shuffle", "metric")
    if any(getattr(pa, f) != getattr(pb, f) for f in grid):
        return False
    if pa.shuffle and a.seed != b.seed:  # the folds are shuffled with the seed
        return False
    if a.lab.compare_lambda != b.lab.compare_lambda:
        return False
    if compare_rho(a) != compare_rho(b):
        return False
    if a.lab.compare_lambda == "1se":
        return True
    return (a.penalty, a.lam1, a.lam2) == (b.penalty, b.lam1, b.lam2)


def same_runs(a, b) -> bool:
    """Whether two resolved settings give the same compared runs: the same
    strengths (:func:`same_strengths`), update rule, step size, batch and seed."""
    train = ("rule", "lr", "batch", "seed")
    return same_strengths(a, b) and all(getattr(a, f) == getattr(b, f) for f in train)
