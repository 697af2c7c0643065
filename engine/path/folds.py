"""The folds of K-fold cross-validation and the training data of each fold.

:func:`kfold_indices` splits the rows exactly like scikit-learn's ``KFold``.
:func:`fold_data` prepares one fold the way :func:`~engine.data.prepare` prepares the
whole data: when the data is standardized, every column is centred and scaled with the
mean and the standard deviation (``ddof=0``) of **that fold's training rows only**,
and the held-out rows are transformed with them, so the held-out rows never leak into
the scaling. Unstandardized data is left as it is (the solver centres it through the
intercept, like scikit-learn's ``LassoCV``).

For the squared loss the solver works on the fold's Gram matrix. Rather than compute
it from the fold's ``n_t`` training rows (``n_t d^2`` operations per fold),
:func:`fold_data` downdates the centred Gram matrix of all ``n`` training rows,
``n G_c``, by the fold's held-out rows (``n_h d^2``) and corrects the centring and
scaling algebraically. With ``X0 = X - mean(X)``, fold mean ``m`` and scale ``s``::

    S     = n G_c - X0_held^T X0_held            (X0^T X0 over the training rows)
    C     = S - n_t (m - mean(X)) (m - mean(X))^T  (centred at the fold's mean)
    G_f   = C / (n_t s s^T)                       (the fold's centred Gram matrix)

All K folds then cost about one Gram matrix (each row is held out once) instead of
K - 1 of them. The Gram matrix is downdated in the units of ``data.X`` (centred and
scaled on all training rows, so nothing cancels badly); standardizing commutes with
that affine change of units, so ``m`` and ``s`` are the fold's raw mean and scale
expressed in them.
"""

from __future__ import annotations

import numpy as np

from ..data import Moments, TrainingData, standardization, use_gram

__all__ = ["downdate_worthwhile", "fold_data", "kfold_indices"]


def kfold_indices(
    n: int, k: int, shuffle: bool = False, seed: int = 0
) -> list[tuple[np.ndarray, np.ndarray]]:
    """``(training rows, held-out rows)`` of each of ``k`` folds of ``n`` rows.

    Exactly scikit-learn's ``KFold(k).split`` (or ``KFold(k, shuffle=True,
    random_state=seed)``): the rows, in order or shuffled by
    ``np.random.RandomState(seed).shuffle``, are cut into ``k`` contiguous blocks, the
    first ``n % k`` of them one row larger; both index arrays come sorted. Seeds of
    2**32 and more (which scikit-learn refuses) seed the generator with their two
    32-bit halves.
    """
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 2:
        raise ValueError(f"cross-validation needs at least 2 folds, got {k!r}")
    if k > n:
        raise ValueError(
            f"{k} folds need at least {k} training rows, but there are only {n}"
        )
    order = np.arange(n)
    if shuffle:
        seed = int(seed)
        if not 0 <= seed < 2**64:
            raise ValueError(f"the seed must be a whole number >= 0, got {seed}")
        state = seed if seed < 2**32 else [seed & 0xFFFFFFFF, seed >> 32]
        np.random.RandomState(state).shuffle(order)
    sizes = np.full(k, n // k, dtype=int)
    sizes[: n % k] += 1
    folds = []
    start = 0
    for size in sizes:
        held = np.zeros(n, dtype=bool)
        held[order[start : start + size]] = True
        folds.append((np.flatnonzero(~held), np.flatnonzero(held)))
        start += size
    return folds


def downdate_worthwhile(k: int) -> bool:
    """Whether downdating the full Gram matrix beats computing each fold's.

    Downdating costs the full Gram matrix (unless already computed) plus one pass
    over every held-out row, about ``2 n d^2``; computing costs ``(k - 1) n d^2``.
    """
    return k >= 3


def fold_data(
    data: TrainingData, train: np.ndarray, held: np.ndarray, *, downdate: bool
) -> TrainingData:
    """The fold of ``data`` that trains on the rows ``train`` and holds out ``held``
    (positions among ``data``'s training rows).

    The result's ``X``/``y`` are the fold's training rows and ``X_val``/``y_val``
    its held-out rows; when ``data.standardized`` both come from the raw rows
    (``data.dataset.X``), standardized with the mean and scale (``mean``, ``scale``)
    of the fold's training rows. With ``downdate`` and a Gram matrix to downdate
    (the fold uses one too), the fold's moments come from the full Gram matrix (see
    the module docstring).
    """
    rows, rows_held = data.train_index[train], data.train_index[held]
    yT, y_held = data.y[train], data.y[held]
    if data.standardized:
        X, X_held, mean, scale, constant, m, s = _standardized_fold(data, train, held)
    else:
        X, X_held = data.X[train], data.X[held]
        mean, scale, constant = data.mean, data.scale, None
        m, s = X.mean(axis=0), np.ones(X.shape[1])
    for a in (X, yT, X_held, y_held, mean, scale):
        a.setflags(write=False)
    fold = TrainingData(
        X=X,
        y=yT,
        X_val=X_held,
        y_val=y_held,
        feature_names=data.feature_names,
        mean=mean,
        scale=scale,
        standardized=data.standardized,
        dataset=data.dataset,
        train_index=rows,
        val_index=rows_held,
        true_coef=None if data.true_coef is None else data.true_coef * s,
        notes=(),
        validation=data.validation,
        split_seed=data.split_seed,
    )
    n_t, d = X.shape
    if downdate and use_gram(n_t, d) and data.moments.gram_c is not None:
        fold.use_moments(_downdated_moments(data, held, X, yT, m, s, constant))
    return fold


def _standardized_fold(data: TrainingData, train: np.ndarray, held: np.ndarray):
    """The fold's rows standardized on its training rows: ``(X, X_held, mean,
    scale, constant, m, s)``.

    ``mean``/``scale``/``constant`` are :func:`~engine.data.standardization` of the
    fold's raw training rows, ``m``/``s`` the same mean and scale in the units of
    ``data.X``. They are computed from ``data.X`` (the rows standardized on all
    training rows, so well scaled): ``X = (X_d - m) / s`` with ``X_d`` the fold's
    rows of ``data.X`` equals ``(X_raw - mean) / scale`` with ``mean = data.mean +
    m data.scale`` and ``scale = s data.scale``, and the arrays are transformed in
    place instead of through temporaries of the raw rows. A column is constant on
    the fold exactly when its rows of ``data.X`` are all equal; like
    ``standardization`` it keeps the scale 1 and becomes 0.
    """
    X = data.X[train]
    n_t, d = X.shape
    m = X.mean(axis=0)
    constant = X.max(axis=0) == X.min(axis=0)
    var = np.zeros(d)
    for start in range(0, n_t, 64):  # in small blocks: no temporary as large as X
        block = X[start : start + 64] - m
        var += np.einsum("ij,ij->j", block, block)
    s = np.sqrt(var / n_t)
    mean = data.mean + m * data.scale
    scale = np.where(constant, 1.0, s * data.scale)
    if not (np.isfinite(mean).all() and np.isfinite(scale).all()):
        # beyond the range of floating point in raw units: standardize the raw rows
        raw = data.dataset.X
        mean, scale, constant = standardization(raw[data.train_index[train]])
        m, s = (mean - data.mean) / data.scale, scale / data.scale
    else:
        s = scale / data.scale
    X -= m
    X /= s
    X[:, constant] = 0.0
    X_held = data.X[held]
    X_held -= m
    X_held /= s
    return X, X_held, mean, scale, constant, m, s


def _downdated_moments(data, held, X, y, m, s, constant) -> Moments:
    """The fold's :class:`Moments` with its Gram matrix from the full one.

    ``X``/``y`` are the fold's (transformed) training rows, ``m``/``s`` the fold's
    mean and scale in the units of ``data.X``, ``constant`` its constant columns
    (None when not standardized). The centring correction rides along with the
    held-out rows as one more row, so one product does both::

        Z     = [X0_held; sqrt(n_t) (m - mean(X))] / s
        G_f   = (n G_c / (s s^T) - Z^T Z) / n_t
    """
    full = data.moments
    n = data.n_samples
    n_t = X.shape[0]
    Z = np.empty((held.size + 1, X.shape[1]))
    np.subtract(data.X[held], full.x_mean, out=Z[:-1])
    np.subtract(m, full.x_mean, out=Z[-1])
    Z[-1] *= np.sqrt(n_t)
    scaled = not (s == 1.0).all()
    if scaled:
        Z /= s
    gram_c = Z.T @ Z
    gram_c *= -1.0 / n_t
    total = full.gram_c * (n / n_t)
    if scaled:
        total /= s
        total /= s[:, None]
    gram_c += total
    del total
    if constant is not None and constant.any():
        gram_c[constant, :] = 0.0
        gram_c[:, constant] = 0.0
    x_mean = X.mean(axis=0)
    y_mean = float(y.mean())
    yc = y - y_mean
    c = X.T @ yc / n_t
    yy = float(yc @ yc) / n_t
    # as Moments.of: standardized columns have means of ~1e-17, one matrix will do
    centered = np.abs(x_mean).max(initial=0.0) <= 1e-12 * (
        1 + np.sqrt(np.abs(gram_c).max(initial=0.0))
    )
    gram = gram_c if centered else gram_c + np.outer(x_mean, x_mean)
    return Moments(x_mean, y_mean, c, yy, gram, gram_c, None)
