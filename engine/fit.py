"""How well a model fits its rows: the numbers of the fit pane, the status bar and
the command line, computed once.

For squared loss: the mean squared error (MSE, in the target's units squared), its
root (RMSE) and R² (:func:`engine.losses.r_squared`) on the training rows and on the
held-out (validation) rows. For logistic loss: the accuracy and the mean deviance,
``2 log(1 + exp(-y z))`` per row (as cross-validation's 'deviance').

Overfitting reads off these numbers: a training error far below the held-out error
(and, on data from a known curve, below the noise) means the model follows the noise
of its training rows.

Also the pictures' numbers: the fitted curve of the ``polynomial`` dataset at any
``x`` (:func:`polynomial_curve`), and a logistic model's probability over two of its
features with the others at their training mean (:func:`probability_grid`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .data import TrainingData
from .losses import accuracy, r_squared, sigmoid
from .polynomial import design, kept_powers, power_name

__all__ = [
    "FitFacts",
    "RowsFit",
    "boundary_line",
    "error_path",
    "fit_facts",
    "logit_on",
    "logit_plane",
    "polynomial_curve",
    "probability_grid",
]


@dataclass(frozen=True)
class RowsFit:
    """The fit on one set of rows: ``error`` is the MSE (squared loss) or the mean
    deviance (logistic), ``score`` R² or the accuracy."""

    rows: int
    error: float
    score: float

    @property
    def rmse(self) -> float:
        return float(np.sqrt(self.error))


def _rows_fit(loss: str, z: np.ndarray, y: np.ndarray) -> RowsFit:
    if loss == "logistic":
        dev = float(np.mean(2.0 * np.logaddexp(0.0, -y * z))) if y.size else np.nan
        return RowsFit(int(y.size), dev, accuracy(z, y))
    mse = float(np.mean((y - z) ** 2)) if y.size else float("nan")
    return RowsFit(int(y.size), mse, r_squared(z, y))


@dataclass(frozen=True)
class FitFacts:
    """The fit of ``(w, b)``: training rows, held-out rows (None without them), and
    for the polynomial the powers whose weight is not exactly 0."""

    loss: str
    train: RowsFit
    held_out: RowsFit | None
    powers: tuple[int, ...] | None = None
    degree: int | None = None

    @property
    def error_name(self) -> str:
        return "deviance" if self.loss == "logistic" else "MSE"

    @property
    def score_name(self) -> str:
        return "accuracy" if self.loss == "logistic" else "R²"

    def _part(self, what: str, r: RowsFit, root: bool) -> str:
        def num(v, fmt):
            return format(v, fmt) if np.isfinite(v) else "–"

        name, error = self.error_name, r.error
        if root and self.loss != "logistic":
            name, error = "RMSE", r.rmse
        return (
            f"{what} {name} {num(error, '.4g')}, "
            f"{self.score_name} {num(r.score, '.3f')}"
        )

    def _text(self, root: bool) -> str:
        parts = [self._part("training", self.train, root)]
        if self.held_out is not None:
            parts.append(self._part("held-out", self.held_out, root))
        return "fit: " + " · ".join(parts)

    @property
    def text(self) -> str:
        """'fit: training MSE 0.03431, R² 0.929 · held-out MSE 0.2261, R² 0.562'."""
        return self._text(root=False)

    @property
    def rmse_text(self) -> str:
        """The same with the root of the MSE, in the target's own units (squared
        loss; the deviance for logistic loss): 'fit: training RMSE 0.1852, …'."""
        return self._text(root=True)

    @property
    def powers_text(self) -> str:
        """'powers kept: x, x², x¹⁵ (3 of 15)'; '' unless the data is the
        polynomial."""
        if self.powers is None:
            return ""
        if len(self.powers) == self.degree:
            return f"powers kept: all {self.degree} (x to {power_name(self.degree)})"
        names = ", ".join(power_name(k) for k in self.powers) or "none"
        return f"powers kept: {names} ({len(self.powers)} of {self.degree})"

    @property
    def overfit_ratio(self) -> float:
        """Held-out error over training error (NaN without held-out rows)."""
        if self.held_out is None or not self.train.error > 0:
            return float("nan")
        return self.held_out.error / self.train.error


def fit_facts(data: TrainingData, loss: str, w: np.ndarray, b: float) -> FitFacts:
    """The fit of the model ``(w, b)`` on ``data``'s training and held-out rows."""
    with np.errstate(all="ignore"):  # a diverged model: its numbers are NaN
        train = _rows_fit(loss, data.X @ w + b, data.y)
        held = None
        if data.X_val is not None and data.y_val is not None:
            held = _rows_fit(loss, data.X_val @ w + b, data.y_val)
    degree = data.dataset.polynomial_degree
    powers = None if degree is None else tuple(kept_powers(w))
    return FitFacts(loss, train, held, powers, degree)


def polynomial_curve(
    data: TrainingData, w: np.ndarray, b: float, x: np.ndarray
) -> np.ndarray:
    """The fitted polynomial at the inputs ``x`` (raw units): the features of ``x``
    standardized with the training rows' mean and scale, times ``w``, plus ``b``."""
    degree = data.dataset.polynomial_degree
    if degree is None:
        raise ValueError("the data is not the polynomial dataset")
    F = design(x, degree)
    if data.standardized:
        F = (F - data.mean) / data.scale
    return F @ w + b


def logit_on(
    data: TrainingData, w: np.ndarray, b: float, features: tuple[int, ...]
) -> tuple[float, tuple[float, ...]]:
    """``(alpha, slopes)``: the logistic model's linear predictor over the raw values
    of ``features``, ``alpha + sum_k slopes[k] * u_k``, every other feature at its
    training mean (0 once standardized)."""
    idx = list(features)
    slopes = tuple(float(w[i] / data.scale[i]) for i in idx)
    others = 0.0  # standardized columns have training mean 0
    if not data.standardized:
        mean = data.X.mean(axis=0)
        mean[idx] = 0.0
        others = float(mean @ w)
    shift = sum(s * data.mean[i] for s, i in zip(slopes, idx, strict=True))
    alpha = float(b) + others - shift
    return float(alpha), slopes


def logit_plane(
    data: TrainingData, w: np.ndarray, b: float, pair: tuple[int, int]
) -> tuple[float, float, float]:
    """``(alpha, beta, gamma)``: the logistic model's linear predictor over the raw
    values ``u`` of feature ``pair[0]`` and ``v`` of ``pair[1]``,
    ``alpha + beta u + gamma v``, every other feature at its training mean (0 once
    standardized). Its zero line is the decision boundary P = 1/2."""
    alpha, (beta, gamma) = logit_on(data, w, b, tuple(pair))
    return alpha, beta, gamma


def probability_grid(
    data: TrainingData,
    w: np.ndarray,
    b: float,
    pair: tuple[int, int],
    xs: np.ndarray,
    ys: np.ndarray,
) -> np.ndarray:
    """P(class +1) of the logistic model over the raw values ``xs`` of feature
    ``pair[0]`` and ``ys`` of ``pair[1]`` (shape ``(len(ys), len(xs))``), every
    other feature at its training mean (:func:`logit_plane`)."""
    alpha, beta, gamma = logit_plane(data, w, b, pair)
    xs, ys = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
    return sigmoid(alpha + beta * xs[None, :] + gamma * ys[:, None])


def boundary_line(
    plane: tuple[float, float, float],
    xlim: tuple[float, float],
    ylim: tuple[float, float],
) -> tuple[np.ndarray, np.ndarray]:
    """Two points of the decision boundary ``alpha + beta u + gamma v = 0`` spanning
    the frame ``xlim × ylim`` (empty arrays when both slopes are 0: no boundary)."""
    alpha, beta, gamma = plane
    if beta == 0.0 and gamma == 0.0:
        return np.array([]), np.array([])
    if abs(gamma) >= abs(beta) * (ylim[1] - ylim[0]) / (xlim[1] - xlim[0]):
        u = np.array(xlim, dtype=float)
        return u, -(alpha + beta * u) / gamma
    v = np.array(ylim, dtype=float)
    return -(alpha + gamma * v) / beta, v


def error_path(data: TrainingData, loss: str, path) -> tuple[np.ndarray, np.ndarray]:
    """The training and held-out error (MSE, or mean deviance for logistic loss) of
    every computed solution of ``path`` (a :class:`~engine.path.PathResult`): the
    bias–variance picture against λ. The held-out errors are NaN without held-out
    rows."""
    k = path.n_computed
    coefs, b = path.coefs[:k], path.intercepts[:k]

    def errors(X, y):
        with np.errstate(all="ignore"):
            Z = X @ coefs.T + b  # one column per λ
            if loss == "logistic":
                return np.mean(2.0 * np.logaddexp(0.0, -y[:, None] * Z), axis=0)
            return np.mean((y[:, None] - Z) ** 2, axis=0)

    train = errors(data.X, data.y)
    if data.X_val is None or data.y_val is None or not len(data.y_val):
        return train, np.full(k, np.nan)
    return train, errors(data.X_val, data.y_val)
