"""Data losses D(w, b) of a linear model, as functions of the linear predictor.

Both losses are written per sample as ``phi_i(z_i)`` with ``z = X w + b`` so that the
trainer and the solvers share one formula for values, gradients and dual bounds:

* squared (regression)::

      D = (1/2n) * sum_i (y_i - z_i)**2

* logistic (binary classification, targets mapped to -1/+1)::

      D = (1/n) * sum_i log(1 + exp(-y_i z_i))

The gradient with respect to ``w`` is ``X.T @ dz`` and with respect to ``b`` is
``dz.sum()``, where ``dz = derivative(z, y)`` already carries the ``1/n``.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "LOSSES",
    "LogisticLoss",
    "SquaredLoss",
    "accuracy",
    "get_loss",
    "r_squared",
    "sigmoid",
    "softplus",
]


def softplus(t: np.ndarray) -> np.ndarray:
    """``log(1 + exp(t))`` without overflow: ``max(t, 0) + log1p(exp(-|t|))``.

    The formula of ``np.logaddexp(0, t)``, to the last bit or one rounding apart,
    and about four times as fast (numpy's logaddexp is not vectorized)."""
    return np.maximum(t, 0.0) + np.log1p(np.exp(-np.abs(t)))


def sigmoid(t: np.ndarray) -> np.ndarray:
    """Logistic function ``1 / (1 + exp(-t))`` without overflow for any finite ``t``."""
    e = np.exp(-np.abs(t))
    return np.where(t >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


class SquaredLoss:
    """Half mean squared error, ``(1/2n) ||y - z||**2``."""

    name = "squared"
    #: Upper bound on the second derivative of one sample's loss (times n).
    curvature = 1.0

    @staticmethod
    def value(z: np.ndarray, y: np.ndarray) -> float:
        r = y - z
        return 0.5 * float(r @ r) / len(y)

    @staticmethod
    def values(Z: np.ndarray, y: np.ndarray) -> np.ndarray:
        """:meth:`value` of each row of ``Z`` (shape (m, n_samples)), at once."""
        R = y - Z
        return 0.5 * np.einsum("ij,ij->i", R, R) / len(y)

    @staticmethod
    def derivative(z: np.ndarray, y: np.ndarray) -> np.ndarray:
        """``dD/dz``, of shape (n_samples,), including the 1/n factor."""
        return (z - y) / len(y)

    @staticmethod
    def conjugate_sum(v: np.ndarray, y: np.ndarray) -> float:
        """``sum_i phi_i*(v_i)`` with ``phi_i*(v) = v y_i + n v**2 / 2``."""
        n = len(y)
        return float(v @ y) + 0.5 * n * float(v @ v)

    @staticmethod
    def null_intercept(y: np.ndarray) -> float:
        """The best constant prediction: the mean of y."""
        return float(np.mean(y))


class LogisticLoss:
    """Mean logistic loss ``(1/n) sum log(1 + exp(-y z))`` for targets in {-1, +1}."""

    name = "logistic"
    curvature = 0.25

    @staticmethod
    def value(z: np.ndarray, y: np.ndarray) -> float:
        return float(np.mean(softplus(-y * z)))

    @staticmethod
    def values(Z: np.ndarray, y: np.ndarray) -> np.ndarray:
        """:meth:`value` of each row of ``Z`` (shape (m, n_samples)), at once."""
        return softplus(-y * Z).mean(axis=1)

    @staticmethod
    def derivative(z: np.ndarray, y: np.ndarray) -> np.ndarray:
        return -y * sigmoid(-y * z) / len(y)

    @staticmethod
    def conjugate_sum(v: np.ndarray, y: np.ndarray) -> float:
        """``sum_i phi_i*(v_i)``: the negative binary entropy of ``s = -n v y`` / n.

        Finite only for ``s`` in [0, 1]; ``s`` is clipped to that interval, which the
        callers guarantee up to rounding.
        """
        n = len(y)
        s = np.clip(-n * v * y, 0.0, 1.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            ent = np.where(s > 0, s * np.log(s), 0.0) + np.where(
                s < 1, (1 - s) * np.log1p(-s), 0.0
            )
        return float(ent.sum()) / n

    @staticmethod
    def null_intercept(y: np.ndarray) -> float:
        """The log-odds of the positive class, clipped away from +-infinity."""
        p = np.clip(np.mean(y > 0), 1e-12, 1 - 1e-12)
        return float(np.log(p / (1 - p)))


def r_squared(z: np.ndarray, y: np.ndarray) -> float:
    """Coefficient of determination of predictions ``z`` for targets ``y``::

        R² = 1 - sum_i (y_i - z_i)**2 / sum_i (y_i - mean(y))**2

    1 is a perfect fit, 0 is no better than predicting the mean of ``y`` (of these
    rows), below 0 is worse. As scikit-learn's ``r2_score``: a constant ``y`` gives 1
    for a perfect fit and 0 otherwise; fewer than two rows give NaN.
    """
    y = np.asarray(y, dtype=float)
    if y.size < 2:
        return float("nan")
    r = y - z
    ss_res = float(r @ r)
    yc = y - y.mean()
    ss_tot = float(yc @ yc)
    if ss_tot == 0.0:
        return 1.0 if ss_res == 0.0 else 0.0
    return 1.0 - ss_res / ss_tot


def accuracy(z: np.ndarray, y: np.ndarray) -> float:
    """Share of rows whose class the linear predictor ``z`` gets right, for targets
    ``y`` in {-1, +1}: the prediction is +1 where ``z > 0``, else -1 (as
    scikit-learn's ``LogisticRegression.predict``). NaN without rows."""
    y = np.asarray(y, dtype=float)
    if y.size == 0:
        return float("nan")
    return float(np.mean(np.where(z > 0, 1.0, -1.0) == y))


LOSSES = {"squared": SquaredLoss, "logistic": LogisticLoss}


def get_loss(name: str):
    """Return the loss class called ``name`` ('squared' or 'logistic')."""
    try:
        return LOSSES[name]
    except KeyError:
        raise ValueError(
            f"unknown loss {name!r}; choose one of {', '.join(LOSSES)}"
        ) from None
