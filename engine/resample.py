"""Resamples of the training rows for the stability lab, drawn from the run's seed.

* ``'half'``: ``B`` half-samples, each ``⌊n/2⌋`` of the ``n`` training rows drawn
  without replacement (stability selection, Meinshausen & Bühlmann 2010);
* ``'bootstrap'``: ``B`` bootstraps, each ``n`` rows drawn with replacement (a row
  drawn twice counts twice in the loss).

A resample is trained on the rows of ``data.X`` as they are: standardized with the
mean and standard deviation of **all** training rows, not re-standardized on its own.
So every resample penalizes the same features on the same scale, and the full data's
grid of strengths means the same on each of them: a resample's fit at λ is exactly
scikit-learn's ``Lasso(alpha=λ)`` / ``ElasticNet`` fitted (with an intercept) on
those rows of ``data.X``. (Cross-validation folds, :mod:`engine.path.folds`, are
re-standardized instead: there the held-out rows must not leak into the scaling; a
resample has no held-out rows to protect.)
"""

from __future__ import annotations

import numpy as np

from .data import TrainingData

__all__ = ["resample_data", "resample_indices", "resample_rows"]


def resample_rows(n: int, kind: str) -> int:
    """Rows in one resample of ``n`` training rows: ``⌊n/2⌋`` or ``n``."""
    if kind == "half":
        return n // 2
    if kind == "bootstrap":
        return n
    raise ValueError(f"unknown kind of resample {kind!r}; choose half or bootstrap")


def resample_indices(n: int, B: int, kind: str, seed: int) -> np.ndarray:
    """The ``B`` resamples of ``n`` rows, shape ``(B, resample_rows(n, kind))``,
    each row sorted: the positions among the training rows.

    Drawn from ``np.random.default_rng(seed)``, one resample after the other, so
    the first ``k`` resamples of ``B`` are the same whatever ``B``."""
    m = resample_rows(n, kind)
    if m < 2:
        raise ValueError(f"{n} training rows are too few to resample")
    if isinstance(B, bool) or not isinstance(B, int | np.integer) or B < 1:
        raise ValueError(
            f"the number of resamples must be a whole number >= 1, got {B!r}"
        )
    rng = np.random.default_rng(seed)
    out = np.empty((B, m), dtype=np.intp)
    for b in range(B):
        if kind == "half":
            out[b] = np.sort(rng.permutation(n)[:m])
        else:
            out[b] = np.sort(rng.integers(0, n, size=n))
    return out


def resample_data(
    data: TrainingData, rows: np.ndarray, out: np.ndarray | None = None
) -> TrainingData:
    """The training data of one resample: the rows ``rows`` (positions among
    ``data``'s training rows, repeats allowed) of ``data.X`` and ``data.y``, in the
    full training standardization (see the module docstring); no validation rows.

    ``out``: an array of shape ``(len(rows), d)`` to hold the rows, reused from one
    resample to the next (a new array of 6 MB per resample costs more in page
    faults than copying the rows); the previous resample's data is then no longer
    valid."""
    if out is not None:
        out.setflags(write=True)
    X = np.take(data.X, rows, axis=0, out=out, mode="clip")  # "raise" copies twice
    y = data.y[rows]
    X.setflags(write=False)
    y.setflags(write=False)
    return TrainingData(
        X=X,
        y=y,
        X_val=None,
        y_val=None,
        feature_names=data.feature_names,
        mean=data.mean,
        scale=data.scale,
        standardized=data.standardized,
        dataset=data.dataset,
        train_index=data.train_index[rows],
        val_index=None,
        true_coef=data.true_coef,
        validation=data.validation,
        split_seed=data.split_seed,
    )
