"""The regularization path: solutions along a decreasing grid of strengths.

The objective at every grid point is ::

    F(w, b) = D(w, b) + lam1 * ||w||_1 + (lam2 / 2) * ||w||_2**2

with the penalty set by one total strength ``alpha`` and the L1 share ``rho``:

* 'l1': ``lam1 = alpha`` (``rho = 1``);
* 'l2': ``lam2 = alpha`` (``rho = 0``);
* 'elasticnet': ``lam1 = rho * alpha``, ``lam2 = (1 - rho) * alpha``.

The default grid has ``n_alphas`` geometric values from ``alpha_max`` down to
``alpha_min_ratio * alpha_max``. With an L1 part ``alpha_max = lambda_max / rho``, the
smallest strength at which every weight is exactly 0 (glmnet's and scikit-learn's
first point); a pure L2 penalty never zeroes a weight, so there ``alpha_max = 10 L_D``
(``L_D`` the curvature of the data loss), where the weights are shrunk to about a
tenth of their least-squares size.

:func:`regularization_path` solves along the grid from the point before. With an L1
part it carries the support, its signs and a kept inverse from point to point and
solves each point exactly (:mod:`~engine.path.active_set` for squared loss with a Gram
matrix, :mod:`~engine.path.logistic` for logistic loss); a point they cannot settle,
and every point of the other cases, goes to the working-set solver with warm starts
and the sequential strong rule (Tibshirani et al., 2012) for the first working set.
Every point is certified to the relative duality gap ``tol``. :func:`solution_at` gives the model at any
strength (the stored solution on the grid, an exact warm-started solve between grid
points); :func:`path_for`, :func:`current_alpha` and :func:`strengths_at` connect the
path with a :class:`~engine.settings.RunSettings`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from ..data import TrainingData
from ..penalties import Penalty
from ..problems import make_problem
from ..solvers import Cancel, Progress, as_cancel, lambda_max, solve, solve_problem
from .active_set import GramActiveSet
from .logistic import LogisticActiveSet

__all__ = [
    "PATH_KINDS",
    "PathResult",
    "alpha_grid",
    "alpha_max",
    "current_alpha",
    "path_for",
    "penalty_at",
    "regularization_path",
    "rho_of",
    "same_path",
    "solution_at",
    "strengths_at",
]

#: Penalty kinds that have a path.
PATH_KINDS = ("l1", "l2", "elasticnet")
#: A strength within this relative distance of a grid point is that grid point.
ON_GRID = 1e-12
#: Points of a pure L2 path from which one eigendecomposition beats a solve each.
RIDGE_EIGEN_MIN = 20
#: Points in a row the exact active set hands over before the path stops asking it.
GIVE_UP = 3
#: Two L1 shares closer than this (relative) give the same path: a strength edit at
#: fixed share moves the share by a few units in the last place.
SAME_RHO = 1e-9


def _check_kind(kind: str, rho: float) -> float:
    """The L1 share of ``kind``; ValueError for a kind without a path or a bad rho."""
    if kind not in PATH_KINDS:
        raise ValueError(
            f"a path needs a penalty: 'l1', 'l2' or 'elasticnet', not {kind!r}"
        )
    if kind == "elasticnet" and not 0 <= rho <= 1:
        raise ValueError(f"rho must lie in [0, 1] for an Elastic Net path, got {rho}")
    return {"l1": 1.0, "l2": 0.0, "elasticnet": float(rho)}[kind]


def penalty_at(kind: str, rho: float, alpha: float) -> Penalty:
    """The penalty of total strength ``alpha`` for ``kind`` at the L1 share ``rho``
    (used by 'elasticnet' only)."""
    if kind == "l1":
        return Penalty.l1(alpha)
    if kind == "l2":
        return Penalty.l2(alpha)
    return Penalty.from_alpha_rho(alpha, rho)


def alpha_max(data: TrainingData, loss: str, kind: str, rho: float = 1.0) -> float:
    """First (largest) strength of the default grid.

    ``lambda_max / rho`` with an L1 part (every weight exactly 0 there); ``10 L_D``
    for a pure L2 penalty ('l2', or 'elasticnet' with ``rho = 0``).
    """
    share = _check_kind(kind, rho)
    if share == 0:
        return 10.0 * make_problem(data, loss).loss.curvature * data.curvature
    return lambda_max(data, loss, share)


def alpha_grid(
    data: TrainingData,
    loss: str,
    kind: str,
    *,
    rho: float = 1.0,
    n_alphas: int = 100,
    alpha_min_ratio: float = 1e-3,
) -> np.ndarray:
    """``n_alphas`` geometric strengths from :func:`alpha_max` down to
    ``alpha_min_ratio * alpha_max``, largest first (the first exactly
    ``alpha_max``)."""
    if n_alphas < 2:
        raise ValueError(f"a path needs at least 2 strengths, got {n_alphas}")
    if not 0 < alpha_min_ratio < 1:
        raise ValueError(
            "the smallest strength's ratio to the largest must lie in (0, 1), "
            f"got {alpha_min_ratio}"
        )
    top = alpha_max(data, loss, kind, rho)
    if top == 0:  # a constant target: nothing to explain, every strength gives w = 0
        return np.zeros(n_alphas)
    return np.geomspace(top, top * alpha_min_ratio, n_alphas)


@dataclass
class PathResult:
    """Solutions along a grid of strengths.

    ``alphas`` is the total strength at each grid point (λ₁ for 'l1', λ₂ for 'l2',
    λ₁ + λ₂ for 'elasticnet'), ``rho`` the L1 share and ``penalties`` the penalty at
    each point; ``coefs`` has shape (n_points, n_features) and ``intercepts``,
    ``objectives``, ``gaps`` one value per point. Only the first ``len(penalties)``
    points were computed when ``cancelled``. ``elapsed`` is in seconds.
    """

    kind: str
    rho: float
    alphas: np.ndarray
    penalties: list[Penalty] = field(default_factory=list)
    coefs: np.ndarray | None = None
    intercepts: np.ndarray | None = None
    objectives: np.ndarray | None = None
    gaps: np.ndarray | None = None
    n_iter: int = 0
    elapsed: float = 0.0
    cancelled: bool = False

    @property
    def n_computed(self) -> int:
        """Points solved (all of them unless cancelled)."""
        return len(self.penalties)

    @property
    def n_nonzero(self) -> np.ndarray:
        return np.count_nonzero(self.coefs, axis=1)

    def penalty_at(self, alpha: float) -> Penalty:
        """The penalty of this path's kind and share at strength ``alpha``."""
        return penalty_at(self.kind, self.rho, alpha)


def regularization_path(
    data: TrainingData,
    loss: str,
    kind: str = "l1",
    *,
    rho: float = 0.5,
    n_alphas: int = 100,
    alpha_min_ratio: float = 1e-3,
    alphas: np.ndarray | None = None,
    tol: float = 1e-8,
    max_iter: int = 100_000,
    progress: Progress = None,
    cancel: Cancel = None,
) -> PathResult:
    """Solutions for a decreasing grid of strengths, with warm starts.

    Parameters
    ----------
    data : TrainingData
    loss : {'squared', 'logistic'}
    kind : {'l1', 'l2', 'elasticnet'}
    rho : float in [0, 1]
        The L1 share for 'elasticnet' (ignored otherwise).
    n_alphas, alpha_min_ratio :
        The default grid (:func:`alpha_grid`).
    alphas : ndarray, optional
        An explicit grid (sorted decreasing for the warm starts to help).
    tol : float
        Every point is solved to ``gap <= tol * F_null``.
    max_iter : int
        Most FISTA iterations per point of the working-set solver.
        ``PathResult.n_iter`` counts those, and the linear solves or Newton steps of
        the exact active sets.
    progress, cancel :
        ``progress(fraction, "i of n strengths")`` after each point; ``cancel()``
        (or a ``threading.Event``) stops before the next one, and the result holds
        the points done, marked ``cancelled``.
    """
    start = time.perf_counter()
    cancel = as_cancel(cancel)
    share = _check_kind(kind, rho)
    if alphas is None:
        alphas = alpha_grid(
            data,
            loss,
            kind,
            rho=share,
            n_alphas=n_alphas,
            alpha_min_ratio=alpha_min_ratio,
        )
    alphas = np.array(alphas, dtype=np.float64)
    if alphas.ndim != 1 or not (np.isfinite(alphas).all() and (alphas >= 0).all()):
        raise ValueError("the strengths of a path must be finite numbers >= 0")
    prob = make_problem(data, loss)
    d = data.n_features
    tol_abs = tol * max(prob.null_objective(), 1e-300)
    result = PathResult(kind=kind, rho=share, alphas=alphas)
    coefs, intercepts, objectives, gaps = [], [], [], []
    w = np.zeros(d)
    b = prob.loss.null_intercept(data.y)
    g = None
    prev_lam1 = None
    exact, failures = None, 0
    ridge = None  # a pure L2 path solved from one eigendecomposition
    if loss == "squared" and share == 0 and prob.kernel.has_gram:
        if np.count_nonzero(alphas) >= RIDGE_EIGEN_MIN:
            ridge = prob.kernel.ridge_path()
    if share > 0 and loss == "logistic":
        exact = LogisticActiveSet(prob)
    elif share > 0 and prob.kernel.has_gram:
        exact = GramActiveSet(prob)
    for i, alpha in enumerate(alphas):
        if cancel is not None and cancel():
            result.cancelled = True
            break
        pen = penalty_at(kind, share, alpha)
        done = None
        if exact is not None and pen.lam1 > 0:
            done = exact.solve(pen, tol_abs)
            failures = 0 if done is not None else failures + 1
        elif ridge is not None and pen.lam1 == 0 and pen.lam2 > 0:
            w_ridge = ridge(pen.lam2)
            gap, primal, g_ridge, b_ridge = prob.check(w_ridge, b, pen)
            if gap <= tol_abs:
                done = (w_ridge, b_ridge, gap, primal, g_ridge, 1)
        if done is None:  # the general working-set solver
            strong = None
            if exact is not None and pen.lam1 > 0:
                w_start = exact.weights()  # where the active set got to
            else:
                w_start = w
                if g is not None and pen.lam1 > 0 and prev_lam1 is not None:
                    strong = np.flatnonzero(np.abs(g) >= 2 * pen.lam1 - prev_lam1)
                if len(coefs) >= 2 and alphas[i - 1] != alphas[i - 2]:
                    # the path is piecewise linear in alpha: extrapolate the last
                    # segment, keeping weights that would cross zero at zero
                    t = (alpha - alphas[i - 1]) / (alphas[i - 1] - alphas[i - 2])
                    w_start = w + t * (w - coefs[-2])
                    w_start[np.sign(w_start) != np.sign(w)] = 0.0
            w, b, gap, primal, it, _, g, _ = solve_problem(
                prob, pen, w_start, b, tol_abs, max_iter, cancel, None, first_set=strong
            )
            if exact is not None and pen.lam1 > 0:
                exact.reset(w, b)
                if failures == GIVE_UP:  # a singular support, most likely: for good
                    exact = None
        else:
            w, b, gap, primal, g, it = done
        prev_lam1 = pen.lam1
        result.n_iter += it
        result.penalties.append(pen)
        coefs.append(w.copy())
        intercepts.append(float(b))
        objectives.append(primal)
        gaps.append(gap)
        if progress is not None:
            progress((i + 1) / len(alphas), f"{i + 1} of {len(alphas)} strengths")
    result.coefs = np.array(coefs).reshape(len(coefs), d)
    result.intercepts = np.array(intercepts, dtype=np.float64)
    result.objectives = np.array(objectives, dtype=np.float64)
    result.gaps = np.array(gaps, dtype=np.float64)
    result.elapsed = float(time.perf_counter() - start)
    return result


def solution_at(
    path: PathResult,
    alpha: float,
    data: TrainingData,
    loss: str,
    *,
    tol: float,
    cancel: Cancel = None,
) -> tuple[np.ndarray, float, dict]:
    """The model ``(w, b, info)`` at strength ``alpha`` of ``path``'s kind and share.

    On the grid (within a relative ``1e-12`` of a computed point) the stored
    solution; between grid points an exact solve to the relative duality gap
    ``tol``, warm-started from the nearest computed point with a larger strength
    (the path runs from large to small: that point's support is the best guess).

    ``info`` holds ``on_grid`` (bool), ``index`` (the grid point returned or started
    from; None for a cold start), ``alpha``, ``penalty``, ``gap``, ``rel_gap``,
    ``converged``, ``cancelled`` and ``message``.
    """
    alpha = float(alpha)
    if not (np.isfinite(alpha) and alpha >= 0):
        raise ValueError(f"the strength must be a finite number >= 0, got {alpha!r}")
    pen = path.penalty_at(alpha)
    done = np.asarray(path.alphas[: path.n_computed])
    near = np.flatnonzero(np.abs(done - alpha) <= ON_GRID * alpha)
    if near.size:
        i = int(near[np.argmin(np.abs(done[near] - alpha))])
        f_null = make_problem(data, loss).null_objective()
        gap = float(path.gaps[i])
        rel = gap / f_null if f_null > 0 else 0.0
        info = {
            "on_grid": True,
            "index": i,
            "alpha": float(done[i]),
            "penalty": path.penalties[i],
            "gap": gap,
            "rel_gap": rel,
            "converged": bool(rel <= tol) if np.isfinite(rel) else False,
            "cancelled": False,
            "message": f"path solution {i + 1} of {len(path.alphas)}",
        }
        return path.coefs[i].copy(), float(path.intercepts[i]), info
    larger = np.flatnonzero(done > alpha)
    if larger.size:
        i = int(larger[np.argmin(done[larger])])
        w0, b0 = path.coefs[i], float(path.intercepts[i])
    else:
        i, w0, b0 = None, None, None
    res = solve(data, loss, pen, w0=w0, b0=b0, tol=tol, cancel=cancel)
    info = {
        "on_grid": False,
        "index": i,
        "alpha": alpha,
        "penalty": pen,
        "gap": res.gap,
        "rel_gap": res.rel_gap,
        "converged": res.converged,
        "cancelled": res.cancelled,
        "message": res.message,
    }
    return res.w, res.b, info


# -- the path of a run's settings ----------------------------------------------------
def _penalty_kind(settings) -> str:
    if settings.penalty not in PATH_KINDS:
        raise ValueError(
            "a regularization path needs a penalty: choose L1, L2 or Elastic Net "
            f"(the penalty is {settings.penalty!r})"
        )
    return settings.penalty


def rho_of(settings) -> float:
    """The L1 share of a resolved ``settings``' penalty: 1 for L1, 0 for L2,
    ``lam1 / (lam1 + lam2)`` for Elastic Net (1 when both are 0)."""
    kind = _penalty_kind(settings)
    if kind == "elasticnet":
        return settings.active_penalty.rho
    return 1.0 if kind == "l1" else 0.0


def current_alpha(settings) -> float:
    """The strength of a resolved ``settings`` on its path's axis: λ₁ for L1, λ₂ for
    L2, λ₁ + λ₂ for Elastic Net."""
    _penalty_kind(settings)
    return settings.active_penalty.alpha


def strengths_at(settings, alpha: float) -> dict:
    """The changes ``{'lam1': ..., 'lam2': ...}`` that put ``settings`` at strength
    ``alpha`` of its path, keeping the L1 share (for ``settings.replace(**changes)``).

    L1 changes λ₁ only and L2 λ₂ only; Elastic Net sets ``lam1 = rho * alpha`` and
    ``lam2 = alpha - lam1``.
    """
    kind = _penalty_kind(settings)
    alpha = float(alpha)
    if not (np.isfinite(alpha) and alpha >= 0):
        raise ValueError(f"the strength must be a finite number >= 0, got {alpha!r}")
    if kind == "l1":
        return {"lam1": alpha}
    if kind == "l2":
        return {"lam2": alpha}
    lam1 = rho_of(settings) * alpha
    return {"lam1": lam1, "lam2": max(alpha - lam1, 0.0)}


def same_path(a, b) -> bool:
    """Whether two resolved settings have the same path: the same data and
    preparation, loss, penalty kind, L1 share (to a relative ``1e-9``), grid and
    tolerance. A strength change at a fixed share (:func:`strengths_at`) keeps the
    path."""
    fields = ("source", "standardize", "validation", "split_seed", "loss", "penalty")
    if any(getattr(a, f) != getattr(b, f) for f in fields):
        return False
    if a.source.spec != b.source.spec or a.tol != b.tol:
        return False
    if (a.path.n_alphas, a.path.alpha_min_ratio) != (
        b.path.n_alphas,
        b.path.alpha_min_ratio,
    ):
        return False
    if a.penalty not in PATH_KINDS:
        return True
    ra, rb = rho_of(a), rho_of(b)
    return abs(ra - rb) <= SAME_RHO * max(abs(ra), abs(rb))


def path_for(
    settings, data: TrainingData, progress: Progress = None, cancel: Cancel = None
) -> PathResult:
    """The path of a resolved ``settings`` on its prepared ``data``: the penalty's
    kind at its L1 share (:func:`rho_of`), the grid of ``settings.path``
    (``n_alphas``, ``alpha_min_ratio``), every point solved to ``settings.tol``.

    ValueError, with one sentence, for the penalty 'none'.
    """
    kind = _penalty_kind(settings)
    if not settings.resolved:
        raise ValueError("the settings are not resolved for the data yet")
    return regularization_path(
        data,
        settings.loss,
        kind,
        rho=rho_of(settings),
        n_alphas=settings.path.n_alphas,
        alpha_min_ratio=settings.path.alpha_min_ratio,
        tol=settings.tol,
        progress=progress,
        cancel=cancel,
    )
