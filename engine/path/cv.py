"""K-fold cross-validation along the regularization path, with λ_min and λ_1se.

The training rows are split into K folds (:func:`kfold_indices`, scikit-learn's
``KFold``); for each fold the path is computed on the other K - 1 folds, prepared on
their own (:func:`~engine.path.folds.fold_data`), over the **full data's** grid of
strengths, and the error of every grid point is measured on the held-out fold:

* 'mse': mean squared error ``mean((y - X w - b)^2)`` (not halved), squared loss;
* 'deviance': mean of ``-2 log-likelihood`` per row, ``2 log(1 + exp(-y z))`` with
  ``z = X w + b`` (glmnet's binomial deviance; no clipping of the probabilities),
  logistic loss;
* 'misclassification': the share of held-out rows on the wrong side (``z > 0`` is
  the class +1), logistic loss;
* 'auto': 'mse' for squared loss and 'deviance' for logistic loss.

``mean`` is the unweighted mean over the folds (scikit-learn's
``mse_path_.mean(axis=1)``), ``se = std(ddof=1) / sqrt(K)``. ``alpha_min`` has the
smallest mean (ties: the largest strength); ``alpha_1se`` is the largest strength
whose mean is at most ``mean[min] + se[min]`` (glmnet's ``lambda.1se``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from ..data import TrainingData
from ..solvers import Cancel, Progress, as_cancel
from .folds import downdate_worthwhile, fold_data, kfold_indices
from .grid import PathResult, alpha_grid, regularization_path, rho_of, same_path

__all__ = [
    "CVResult",
    "best_indices",
    "cross_validate",
    "cv_for",
    "error_measure",
    "held_out_error",
    "kfold_indices",
    "same_cv",
]

#: The measure each (loss, metric) pair means; other pairs are refused.
MEASURES = {
    ("squared", "auto"): "mse",
    ("squared", "mse"): "mse",
    ("squared", "deviance"): "mse",  # glmnet: the Gaussian deviance is the MSE
    ("logistic", "auto"): "deviance",
    ("logistic", "deviance"): "deviance",
    ("logistic", "misclassification"): "misclassification",
}


def error_measure(loss: str, metric: str) -> str:
    """The held-out error measure of ``metric`` for ``loss`` ('auto' resolved);
    ValueError with one sentence for a pair that does not go together."""
    try:
        return MEASURES[(loss, metric)]
    except KeyError:
        if loss not in ("squared", "logistic"):
            raise ValueError(
                f"unknown loss {loss!r}; choose 'squared' or 'logistic'"
            ) from None
        allowed = [m for (lo, m) in MEASURES if lo == loss]
        raise ValueError(
            f"the error measure {metric!r} does not go with {loss} loss; choose "
            f"one of {', '.join(allowed)}"
        ) from None


def held_out_error(measure: str, y: np.ndarray, z: np.ndarray) -> np.ndarray:
    """The error ``measure`` of the predictions ``z`` (shape (n_rows, n_alphas),
    ``X w + b``) of the targets ``y``: one value per column."""
    if measure == "mse":
        return np.mean((y[:, None] - z) ** 2, axis=0)
    if measure == "deviance":
        return np.mean(2.0 * np.logaddexp(0.0, -y[:, None] * z), axis=0)
    if measure == "misclassification":
        return np.mean(np.where(z > 0, 1.0, -1.0) != y[:, None], axis=0)
    raise ValueError(f"unknown error measure {measure!r}")


def _predictions(X: np.ndarray, coefs: np.ndarray, intercepts: np.ndarray):
    """``X w + b`` for every row of ``coefs``, reading only the columns that some
    weight uses (few on an L1 path)."""
    used = np.flatnonzero((coefs != 0).any(axis=0))
    if used.size == X.shape[1]:
        return X @ coefs.T + intercepts
    return X[:, used] @ coefs[:, used].T + intercepts


def _training_error(measure: str, fold: TrainingData, res: PathResult) -> np.ndarray:
    """The error ``measure`` on the fold's own training rows at each computed point.

    The mean squared error and the deviance are twice the data loss, which the
    path already holds (the objective less the penalty): no pass over the rows.
    """
    if measure in ("mse", "deviance"):
        penalty = np.array(
            [p.value(w) for p, w in zip(res.penalties, res.coefs, strict=True)]
        )
        return 2.0 * (res.objectives - penalty)
    z = _predictions(fold.X, res.coefs, res.intercepts)
    return held_out_error(measure, fold.y, z)


def incomplete(path: PathResult | None) -> bool:
    """No path, or one cancelled before its last strength."""
    return path is None or path.n_computed < path.alphas.size


@dataclass
class CVResult:
    """Cross-validated error along a grid of strengths.

    ``fold_errors`` has shape (folds, n_alphas), NaN where not computed (a cancelled
    run); ``mean``, ``se`` and ``train_mean`` are over the ``folds_done`` complete
    folds (all NaN when none is; ``se`` too when only one is). ``train_mean`` is the mean over the folds of the error on each
    fold's own training rows. ``n_nonzero`` is the full path's count of nonzero
    weights when the path was given (and complete), else None. ``index_min``/``alpha_min`` and
    ``index_1se``/``alpha_1se`` are None when no fold is complete. ``metric`` is the
    measure used ('mse', 'deviance' or 'misclassification').
    """

    alphas: np.ndarray
    fold_errors: np.ndarray
    mean: np.ndarray
    se: np.ndarray
    train_mean: np.ndarray
    n_nonzero: np.ndarray | None
    index_min: int | None
    alpha_min: float | None
    index_1se: int | None
    alpha_1se: float | None
    metric: str
    folds: int
    shuffle: bool
    seed: int
    folds_done: int
    cancelled: bool = False
    elapsed: float = 0.0


def best_indices(alphas: np.ndarray, mean: np.ndarray, se: np.ndarray):
    """``(index_min, index_1se)``: the smallest mean (ties: the largest strength),
    and the largest strength whose mean is at most ``mean[min] + se[min]``; None
    when every mean is NaN."""
    ok = np.isfinite(mean)
    if not ok.any():
        return None, None
    lowest = mean[ok].min()
    ties = np.flatnonzero(ok & (mean == lowest))
    i_min = int(ties[np.argmax(alphas[ties])])
    bound = mean[i_min] + (se[i_min] if np.isfinite(se[i_min]) else 0.0)
    within = np.flatnonzero(ok & (mean <= bound))
    return i_min, int(within[np.argmax(alphas[within])])


def cross_validate(
    data: TrainingData,
    loss: str,
    kind: str,
    *,
    rho: float = 0.5,
    alphas: np.ndarray | None = None,
    folds: int = 5,
    shuffle: bool = False,
    seed: int = 0,
    metric: str = "auto",
    tol: float = 1e-8,
    path: PathResult | None = None,
    max_iter: int = 100_000,
    progress: Progress = None,
    cancel: Cancel = None,
) -> CVResult:
    """K-fold cross-validated error of the path of ``kind`` over the training rows
    of ``data``.

    Parameters
    ----------
    data : TrainingData
        Prepared data; only its training rows take part.
    loss : {'squared', 'logistic'}
    kind : {'l1', 'l2', 'elasticnet'}
    rho : float in [0, 1]
        The L1 share for 'elasticnet'.
    alphas : ndarray, optional
        The grid: the full data's path grid. Default: ``path.alphas`` when ``path``
        is given, else :func:`~engine.path.grid.alpha_grid` of ``data``.
    folds : int >= 2, at most the number of training rows
    shuffle, seed : the folds of ``KFold(folds, shuffle=True, random_state=seed)``
    metric : {'auto', 'mse', 'deviance', 'misclassification'}
    tol : float
        Every point of every fold's path is solved to this relative duality gap.
    path : PathResult, optional
        The full data's path, for ``n_nonzero``.
    progress, cancel :
        ``progress(fraction, "fold 2 of 5, 40 of 100 strengths")``; ``cancel()`` (or
        a ``threading.Event``) stops the run, which returns what it has, marked
        ``cancelled``.

    ValueError, with one sentence, for fewer than 2 folds, more folds than training
    rows, a measure that does not go with the loss, or a fold whose training rows
    hold only one class (logistic loss).
    """
    start = time.perf_counter()
    cancel = as_cancel(cancel)
    measure = error_measure(loss, metric)
    split = kfold_indices(data.n_samples, folds, shuffle, seed)
    if loss == "logistic":
        for k, (train, _) in enumerate(split):
            if np.unique(data.y[train]).size < 2:
                raise ValueError(
                    f"the training rows of fold {k + 1} of {folds} hold only one "
                    "class; use fewer folds or shuffle the rows"
                )
    if alphas is None:
        if path is not None:
            alphas = path.alphas
        else:
            alphas = alpha_grid(data, loss, kind, rho=rho)
    alphas = np.array(alphas, dtype=np.float64)
    if path is not None and not np.array_equal(path.alphas, alphas):
        raise ValueError("the path given was computed on another grid of strengths")
    n_alphas = alphas.size
    errors = np.full((folds, n_alphas), np.nan)
    train_errors = np.full((folds, n_alphas), np.nan)
    downdate = loss == "squared" and downdate_worthwhile(folds)
    complete = np.zeros(folds, dtype=bool)
    cancelled = False
    for k, (train, held) in enumerate(split):
        if cancel is not None and cancel():
            cancelled = True
            break
        if progress is not None:
            progress(k / folds, f"fold {k + 1} of {folds}, preparing")
        fold = fold_data(data, train, held, downdate=downdate)

        def fold_progress(frac, message, k=k):
            progress((k + frac) / folds, f"fold {k + 1} of {folds}, {message}")

        res = regularization_path(
            fold,
            loss,
            kind,
            rho=rho,
            alphas=alphas,
            tol=tol,
            max_iter=max_iter,
            progress=None if progress is None else fold_progress,
            cancel=cancel,
        )
        m = res.n_computed
        if m:
            coefs, b = res.coefs, res.intercepts
            z_held = _predictions(fold.X_val, coefs, b)
            errors[k, :m] = held_out_error(measure, fold.y_val, z_held)
            train_errors[k, :m] = _training_error(measure, fold, res)
        if res.cancelled:
            cancelled = True
            break
        complete[k] = True
    if complete.any():
        mean = errors[complete].mean(axis=0)
        train_mean = train_errors[complete].mean(axis=0)
        K = int(complete.sum())
        if K > 1:
            # errors of a target near 1e149 are near 1e298: their squares would
            # overflow, so the deviation is taken of the errors divided by the largest
            big = np.abs(errors[complete]).max(axis=0)
            big = np.where(big > 0, big, 1.0)
            se = (errors[complete] / big).std(axis=0, ddof=1) * big / np.sqrt(K)
        else:
            se = np.full(n_alphas, np.nan)
    else:
        mean, se, train_mean = (np.full(n_alphas, np.nan) for _ in range(3))
    i_min, i_1se = best_indices(alphas, mean, se)
    if progress is not None and not cancelled:
        progress(1.0, f"{folds} folds, {n_alphas} strengths")
    return CVResult(
        alphas=alphas,
        fold_errors=errors,
        mean=mean,
        se=se,
        train_mean=train_mean,
        n_nonzero=None if incomplete(path) else path.n_nonzero,
        index_min=i_min,
        alpha_min=None if i_min is None else float(alphas[i_min]),
        index_1se=i_1se,
        alpha_1se=None if i_1se is None else float(alphas[i_1se]),
        metric=measure,
        folds=folds,
        shuffle=bool(shuffle),
        seed=int(seed),
        folds_done=int(complete.sum()),
        cancelled=cancelled,
        elapsed=float(time.perf_counter() - start),
    )


def cv_for(
    settings,
    data: TrainingData,
    path: PathResult | None = None,
    progress: Progress = None,
    cancel: Cancel = None,
) -> CVResult:
    """Cross-validation of a resolved ``settings`` on its prepared ``data``: its
    penalty's kind and L1 share, the grid of ``settings.path`` (or of ``path``, the
    full data's path, when given), ``settings.path``'s folds, shuffle and measure,
    the run's seed and tolerance.

    A measure that does not go with the loss (misclassification with squared loss,
    after a switch to a numeric target) falls back to the loss's own ('auto');
    ``CVResult.metric`` says which was used.
    """
    rho = rho_of(settings)  # ValueError for the penalty 'none'
    metric = settings.path.metric
    if (settings.loss, metric) not in MEASURES:
        metric = "auto"
    alphas = None
    if path is None:
        alphas = alpha_grid(
            data,
            settings.loss,
            settings.penalty,
            rho=rho,
            n_alphas=settings.path.n_alphas,
            alpha_min_ratio=settings.path.alpha_min_ratio,
        )
    return cross_validate(
        data,
        settings.loss,
        settings.penalty,
        rho=rho,
        alphas=alphas,
        folds=settings.path.folds,
        shuffle=settings.path.shuffle,
        seed=settings.seed,
        metric=metric,
        tol=settings.tol,
        path=path,
        progress=progress,
        cancel=cancel,
    )


def same_cv(a, b) -> bool:
    """Whether two resolved settings give the same cross-validation: the same path
    (:func:`~engine.path.grid.same_path`), folds, shuffling (and seed, when
    shuffled) and measure."""
    if not same_path(a, b):
        return False
    pa, pb = a.path, b.path
    if (pa.folds, pa.shuffle, pa.metric) != (pb.folds, pb.shuffle, pb.metric):
        return False
    return not pa.shuffle or a.seed == b.seed
