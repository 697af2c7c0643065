"""Datasets and the numeric arrays a model is trained on.

A :class:`Dataset` is what the user chose: raw feature matrix, target, names, task,
and a report of anything that was dropped or converted on the way in. Training works on
a :class:`TrainingData`: the (optionally) standardized training part and validation
part, prepared once by :func:`prepare`.

Standardization uses the population standard deviation (``ddof=0``), computed on the
training rows only so that validation rows never leak into the scaling.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from .standardize import abs_max, block_rows, standardization

__all__ = [
    "HUGE",
    "Dataset",
    "DataError",
    "Moments",
    "TrainingData",
    "prepare",
    "standardization",
    "too_large",
]

TASKS = ("regression", "classification")

#: Numbers beyond this size overflow when squared (losses, Gram matrices and
#: standardization all need squares): a target, or a feature used on its raw scale,
#: is refused beyond it.
HUGE = 1e150


def too_large(
    name: str, what: str, values: np.ndarray, advice: str = "divide it"
) -> str | None:
    """Why ``values`` (a column called ``name``) cannot be used as ``what``, or None:
    a magnitude beyond :data:`HUGE`, whose square overflows. ``advice`` completes
    "… or ``advice`` by a power of ten"."""
    top = float(np.abs(values).max(initial=0.0))
    if top <= HUGE:
        return None
    return (
        f"{what} '{name}' holds values up to {top:.3g}, beyond {HUGE:.0e}, whose "
        f"squares overflow: {advice} by a power of ten"
    )


def all_finite(a: np.ndarray) -> bool:
    """Whether every value of ``a`` is finite: its sum is, unless a value is NaN or
    infinite (or the sum overflows, when each value is checked). One pass and no
    temporary the size of ``a``."""
    with np.errstate(over="ignore", invalid="ignore"):
        if np.isfinite(a.sum()):
            return True
    return bool(np.isfinite(a).all())


class DataError(ValueError):
    """Data that cannot be used, with a message meant for the user."""


@dataclass(frozen=True, eq=False)
class Dataset:
    """A numeric design matrix with its target.

    Attributes
    ----------
    X : ndarray of shape (n_samples, n_features), float64, all finite
    y : ndarray of shape (n_samples,), float64, all finite. For classification the
        two classes are coded -1 and +1; ``class_labels`` keeps the original names.
    feature_names : tuple of str, one per column of ``X``
    target_name : str
    task : 'regression' or 'classification'
    name : str, short identifier ('houses', or the CSV's file name)
    description : str, one or two sentences for the user
    true_coef : ndarray of shape (n_features,) or None
        The coefficients that generated the data (synthetic datasets only), in the
        units of the raw features.
    class_labels : tuple of two str, or None
        Original labels of the classes coded -1 and +1.
    report : tuple of str
        What was dropped, converted or renamed while making this dataset.
    source : dict or None
        Where it came from, enough to make it again: ``{"kind": "bundled", "name",
        "seed"}`` or ``{"kind": "csv", "path", "sha256", "format", "choices", ...}``
        (``sha256`` a :class:`~engine.csv.digest.FileDigest`, or its text in a
        source read from a session file).
    holdout : bool ndarray of shape (n_samples,) or None
        Rows the data itself holds out (a teaching dataset's held-out set, drawn
        apart from the training rows): with a validation share above 0 they are the
        validation rows, whatever the share; never trained on.
    polynomial_degree : int or None
        For the ``polynomial`` dataset, the degree: the features are x, x², …,
        x^degree of the one input x (the first column).
    """

    X: np.ndarray
    y: np.ndarray
    feature_names: tuple[str, ...]
    target_name: str = "y"
    task: str = "regression"
    name: str = "data"
    description: str = ""
    true_coef: np.ndarray | None = None
    class_labels: tuple[str, str] | None = None
    report: tuple[str, ...] = field(default_factory=tuple)
    source: dict | None = None
    holdout: np.ndarray | None = None
    polynomial_degree: int | None = None

    def __post_init__(self):
        X = np.asarray(self.X, dtype=np.float64)
        if not (X.flags.c_contiguous or X.flags.f_contiguous):  # either order will do
            X = np.ascontiguousarray(X)
        y = np.ascontiguousarray(self.y, dtype=np.float64)
        if X.ndim != 2:
            raise DataError(f"X must be a 2-D table, got {X.ndim} dimension(s)")
        n, d = X.shape
        if n < 2:
            raise DataError(f"need at least 2 rows of data, got {n}")
        if d < 1:
            raise DataError("need at least one feature column")
        if y.shape != (n,):
            raise DataError(f"the target has {y.size} values for {n} rows")
        if len(self.feature_names) != d:
            raise DataError(f"{len(self.feature_names)} feature names for {d} columns")
        if not all_finite(X):
            raise DataError("the features contain missing or infinite values")
        if not np.isfinite(y).all():
            raise DataError("the target contains missing or infinite values")
        if self.task not in TASKS:
            raise DataError(f"task must be one of {TASKS}, got {self.task!r}")
        if self.task == "classification" and not np.isin(y, (-1.0, 1.0)).all():
            raise DataError("a classification target must be coded -1/+1")
        problem = too_large(self.target_name, "the target", y, "divide the column")
        if problem:
            raise DataError(problem)
        X.setflags(write=False)
        y.setflags(write=False)
        object.__setattr__(self, "X", X)
        object.__setattr__(self, "y", y)
        object.__setattr__(self, "feature_names", tuple(self.feature_names))
        if self.holdout is not None:
            held = np.array(self.holdout, dtype=bool)
            if held.shape != (n,):
                raise DataError("holdout must mark each row held out or not")
            if held.sum() < 1 or n - held.sum() < 2:
                raise DataError(
                    "the held-out rows must leave at least 2 training rows and "
                    "hold out at least 1"
                )
            held.setflags(write=False)
            object.__setattr__(self, "holdout", held)
        if self.true_coef is not None:
            coef = np.array(self.true_coef, dtype=np.float64)
            if coef.shape != (d,):
                raise DataError("true_coef must have one value per feature")
            coef.setflags(write=False)
            object.__setattr__(self, "true_coef", coef)

    @property
    def n_samples(self) -> int:
        return self.X.shape[0]

    @property
    def n_features(self) -> int:
        return self.X.shape[1]

    @property
    def default_loss(self) -> str:
        """'logistic' for a two-class target, 'squared' otherwise."""
        return "logistic" if self.task == "classification" else "squared"


@dataclass(frozen=True, eq=False)
class TrainingData:
    """The arrays one training run uses, prepared from a :class:`Dataset`.

    ``X``/``y`` are the training rows, ``X_val``/``y_val`` the validation rows (or
    ``None``). When standardized, ``X = (X_raw - mean) / scale`` column by column;
    otherwise ``mean`` is 0 and ``scale`` is 1. ``true_coef`` is expressed in the
    units of ``X`` (multiplied by ``scale``).
    """

    X: np.ndarray
    y: np.ndarray
    X_val: np.ndarray | None
    y_val: np.ndarray | None
    feature_names: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    standardized: bool
    dataset: Dataset
    train_index: np.ndarray
    val_index: np.ndarray | None
    true_coef: np.ndarray | None = None
    notes: tuple[str, ...] = ()
    validation: float = 0.0  # the share asked for, and the seed of the split
    split_seed: int = 0

    @property
    def n_samples(self) -> int:
        return self.X.shape[0]

    @property
    def n_features(self) -> int:
        return self.X.shape[1]

    @cached_property
    def moments(self) -> Moments:
        """Centered second moments for the squared loss, computed once."""
        return Moments.of(self.X, self.y)

    @cached_property
    def curvature(self) -> float:
        """Largest eigenvalue of ``[X, 1]^T [X, 1] / n`` (intercept column included),
        or beyond 200 features a certified upper bound on it, in practice within
        1e-6 of it and at most 4% above (:mod:`engine.curvature`). Computed from the
        Gram matrix of :attr:`moments` when there is one: it is formed once, for
        the trainer and for this.

        The Lipschitz constant of the data-loss gradient is this times the loss's
        curvature (1 for squared, 1/4 for logistic).
        """
        from .curvature import augmented_top_eigenvalue

        if use_gram(self.n_samples, self.n_features):
            m = self.moments
            return augmented_top_eigenvalue(self.X, m.gram, m.x_mean)
        return augmented_top_eigenvalue(self.X)

    def use_moments(self, moments: Moments) -> TrainingData:
        """Give :attr:`moments` computed another way (a cross-validation fold's, by
        downdating the Gram matrix of all training rows) instead of from ``X``;
        before their first use only. Returns ``self``."""
        if "moments" in self.__dict__:
            raise ValueError("the moments of this data are already in use")
        object.__setattr__(self, "moments", moments)  # fills the cached property
        return self

    def raw_coef(self, w: np.ndarray, b: float) -> tuple[np.ndarray, float]:
        """Weights and intercept in the units of the raw features."""
        w_raw = w / self.scale
        return w_raw, float(b - w_raw @ self.mean)


def prepare(
    dataset: Dataset,
    *,
    standardize: bool = True,
    validation: float = 0.0,
    seed: int = 0,
) -> TrainingData:
    """Split ``dataset`` into training and validation rows and standardize.

    Parameters
    ----------
    dataset : Dataset
    standardize : bool, default True
        Center every column and divide it by its standard deviation (ddof=0),
        both computed on the training rows. Penalties compare weights with each other,
        so the features must share a scale for the comparison to mean anything.
    validation : float in [0, 0.9], default 0
        Fraction of rows held out for the validation loss.
    seed : int
        Seed of the random split.
    """
    if not 0.0 <= validation <= 0.9:
        raise DataError(
            f"the validation fraction must lie in [0, 0.9], got {validation}"
        )
    n = dataset.n_samples
    notes: list[str] = []
    n_val = min(max(int(round(validation * n)), 1), n - 2) if validation > 0 else 0
    if validation > 0 and n_val < 1:
        notes.append(
            f"only {n} rows: none held out for validation (a split keeps at least "
            "2 training rows and 1 validation row)"
        )
    if dataset.holdout is not None:
        train_index, val_index = own_split(dataset.holdout, validation, notes)
    elif n_val > 0:
        perm = np.random.default_rng(seed).permutation(n)
        val_index = np.sort(perm[:n_val])
        train_index = np.sort(perm[n_val:])
    else:
        train_index = np.arange(n)
        val_index = None

    X = dataset.X[train_index]
    y = dataset.y[train_index]
    d = dataset.n_features
    if standardize:
        mean, scale, constant = standardization(X)
        if constant.any():
            names = [dataset.feature_names[j] for j in np.flatnonzero(constant)[:5]]
            more = "" if constant.sum() <= 5 else f" and {constant.sum() - 5} more"
            notes.append(
                f"{int(constant.sum())} column(s) are constant on the training rows and "
                f"stay 0 after centering: {', '.join(names)}{more}"
            )
    else:
        problem = raw_scale_problem(dataset)
        if problem:
            raise DataError(problem)
        mean = np.zeros(d)
        scale = np.ones(d)

    def transform(A):  # A is a new C-ordered array (rows taken by index): in place
        if standardize:
            for start in range(0, A.shape[0], block_rows(A)):
                block = A[start : start + block_rows(A)]
                np.subtract(block, mean, out=block)
                np.divide(block, scale, out=block)
        return A

    Xt = transform(X)
    del X
    if val_index is not None:
        X_val = transform(dataset.X[val_index])
        y_val = dataset.y[val_index].copy()
    else:
        X_val = y_val = None
    if dataset.task == "classification" and len(np.unique(y)) < 2:
        raise DataError("the training rows contain only one class")
    true_coef = None if dataset.true_coef is None else dataset.true_coef * scale
    for a in (Xt, y, X_val, y_val, mean, scale):
        if a is not None:
            a.setflags(write=False)
    return TrainingData(
        X=Xt,
        y=y,
        X_val=X_val,
        y_val=y_val,
        feature_names=dataset.feature_names,
        mean=mean,
        scale=scale,
        standardized=standardize,
        dataset=dataset,
        train_index=train_index,
        val_index=val_index,
        true_coef=true_coef,
        notes=tuple(notes),
        validation=float(validation),
        split_seed=int(seed),
    )


def raw_scale_problem(dataset: Dataset) -> str | None:
    """Why ``dataset`` cannot be trained on its raw feature scales, or None.

    Weights start at the target's scale and the loss needs ``(X w)^2``: a feature
    value times the target's largest magnitude (at least 1) must stay below
    :data:`HUGE`, or the squares overflow.
    """
    top_y = max(float(np.abs(dataset.y).max(initial=0.0)), 1.0)
    tops = abs_max(dataset.X)
    j = int(np.argmax(tops))
    if tops[j] * top_y <= HUGE:
        return None
    name = f"the raw feature '{dataset.feature_names[j]}'"
    if top_y > 1:
        what = (
            f"{name} holds values up to {tops[j]:.3g} and the target up to "
            f"{top_y:.3g}: their product is beyond {HUGE:.0e}"
        )
    else:
        what = f"{name} holds values up to {tops[j]:.3g}, beyond {HUGE:.0e}"
    return (
        f"{what}, and its square overflows: standardize the features, or divide "
        "the columns by a power of ten"
    )


#: Use the d x d Gram matrix when it is not much larger than X itself.
GRAM_MAX_RATIO = 2.0


def own_split(holdout: np.ndarray, validation: float, notes: list[str]):
    """``(train_index, val_index)`` of a dataset that holds out its own rows: they
    are the validation rows at any share above 0, and left out at 0 (``notes``
    says which)."""
    held = np.flatnonzero(holdout)
    train_index = np.flatnonzero(~holdout)
    if validation > 0:
        notes.append(
            f"the dataset's own {held.size} held-out rows are the validation rows "
            "(the validation share applies to other data)"
        )
        return train_index, held
    notes.append(
        f"validation share 0: the dataset's {held.size} held-out rows are left out"
    )
    return train_index, None


def use_gram(n_samples: int, n_features: int) -> bool:
    """Whether products with ``X^T X / n`` (d x d) are cheaper than with X (n x d)."""
    return n_features <= GRAM_MAX_RATIO * n_samples


@dataclass(frozen=True, eq=False)
class Moments:
    """Moments of the training rows for the squared loss.

    ``x_mean`` and ``y_mean`` are column and target means, ``c = X^T (y - y_mean) / n``,
    ``yy = var(y)``. ``gram = X^T X / n`` and ``gram_c = gram - x_mean x_mean^T`` (the
    Gram matrix of the centered columns) exist when :func:`use_gram` says so; otherwise
    ``X_c = X - x_mean`` is kept instead.
    """

    x_mean: np.ndarray
    y_mean: float
    c: np.ndarray
    yy: float
    gram: np.ndarray | None
    gram_c: np.ndarray | None
    X_c: np.ndarray | None

    @classmethod
    def of(cls, X: np.ndarray, y: np.ndarray) -> Moments:
        n, d = X.shape
        x_mean = X.mean(axis=0)
        y_mean = float(y.mean())
        yc = y - y_mean
        c = X.T @ yc / n
        yy = float(yc @ yc) / n
        if use_gram(n, d):
            gram = X.T @ X / n
            # standardized columns have means of ~1e-17: no need for a second matrix
            centered = np.abs(x_mean).max(initial=0.0) <= 1e-12 * (
                1 + np.sqrt(gram.max())
            )
            gram_c = gram if centered else gram - np.outer(x_mean, x_mean)
            X_c = None
        else:
            gram = gram_c = None
            X_c = X - x_mean
        return cls(x_mean, y_mean, c, yy, gram, gram_c, X_c)
