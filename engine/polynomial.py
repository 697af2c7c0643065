"""The ``polynomial`` teaching dataset: one input ``x``, the features x, x², …, x^degree.

The slide every regularization lecture has: about 30 noisy points from a smooth curve
and a polynomial of high degree that wiggles through them. Without a penalty the
fitted curve follows the noise (training error far below the noise, held-out error
large); L2 calms the wiggles, L1 switches whole powers off.

The data are drawn from a seed: ``N_TRAIN`` training points with ``x`` spread evenly
over [-1, 1] (each jittered within its slot, so no two coincide and the ends are
covered), and ``N_HELD_OUT`` held-out points with ``x`` uniform over the same
interval, from the same curve :func:`curve` with normal noise of standard deviation
``NOISE``. The held-out rows are the dataset's own validation rows
(``Dataset.holdout``): the same for every degree, so errors compare across degrees.

Standardized like every dataset (on the training rows), so a penalty treats each power
alike; :func:`design` gives the features of any ``x`` (the fit pane's grid) to be
standardized with the training rows' mean and scale.
"""

from __future__ import annotations

import numpy as np

from .data import DataError, Dataset

__all__ = [
    "DEFAULT_DEGREE",
    "MAX_DEGREE",
    "N_HELD_OUT",
    "N_TRAIN",
    "NOISE",
    "curve",
    "design",
    "feature_names",
    "kept_powers",
    "power_name",
    "polynomial_dataset",
]

#: Degrees the dataset offers; the default overfits 30 points without a penalty.
MIN_DEGREE, MAX_DEGREE, DEFAULT_DEGREE = 1, 20, 15
N_TRAIN = 30
N_HELD_OUT = 60
#: Standard deviation of the noise: its square, 0.09, is the error of the true curve.
NOISE = 0.3


def curve(x: np.ndarray) -> np.ndarray:
    """The smooth curve the points are drawn from: ``sin(1.2 π x)``."""
    return np.sin(1.2 * np.pi * np.asarray(x, dtype=np.float64))


def check_degree(degree) -> int:
    """``degree`` as an int, or DataError naming the allowed range."""
    try:
        value = int(degree)
    except (TypeError, ValueError):
        value = None
    if (
        value is None
        or isinstance(degree, bool)
        or value != degree
        or not MIN_DEGREE <= value <= MAX_DEGREE
    ):
        raise DataError(
            f"the polynomial's degree must be a whole number from {MIN_DEGREE} to "
            f"{MAX_DEGREE}, got {degree!r}"
        )
    return value


def design(x: np.ndarray, degree: int) -> np.ndarray:
    """The raw features of ``x``: columns x, x², …, x^degree."""
    x = np.asarray(x, dtype=np.float64)
    return x[:, None] ** np.arange(1, degree + 1)


def power_name(k: int) -> str:
    """'x', 'x²', …, 'x¹⁵': a power as the panes, the summary and the feature names
    write it."""
    sup = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
    return "x" if k == 1 else "x" + str(k).translate(sup)


def feature_names(degree: int) -> tuple[str, ...]:
    """'x', 'x²', …, one name per power."""
    return tuple(power_name(k) for k in range(1, degree + 1))


def _features_text(degree: int) -> str:
    """'x, x², …, x¹⁵' (or all of them, for a low degree)."""
    if degree <= 3:
        return ", ".join(power_name(k) for k in range(1, degree + 1))
    return f"x, x², …, {power_name(degree)}"


def kept_powers(w: np.ndarray) -> list[int]:
    """The powers whose weight is not exactly 0 (1 for x, 2 for x², …)."""
    return [int(j) + 1 for j in np.flatnonzero(np.asarray(w) != 0.0)]


def sample(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(x, y, x_held_out, y_held_out)`` drawn from ``seed``; independent of the
    degree, so every degree sees the same points."""
    rng = np.random.default_rng(seed)
    slots = np.linspace(-1.0, 1.0, N_TRAIN + 1)
    x = slots[:-1] + (slots[1] - slots[0]) * rng.uniform(0.05, 0.95, N_TRAIN)
    y = curve(x) + NOISE * rng.standard_normal(N_TRAIN)
    xh = np.sort(rng.uniform(-1.0, 1.0, N_HELD_OUT))
    yh = curve(xh) + NOISE * rng.standard_normal(N_HELD_OUT)
    return x, y, xh, yh


def polynomial_dataset(seed: int = 0, degree: int = DEFAULT_DEGREE) -> Dataset:
    """The ``polynomial`` dataset of ``degree`` (1 to 20) drawn from ``seed``: the
    training rows first, then the held-out rows (``Dataset.holdout``)."""
    degree = check_degree(degree)
    x, y, xh, yh = sample(seed)
    xs = np.concatenate([x, xh])
    holdout = np.zeros(xs.size, dtype=bool)
    holdout[N_TRAIN:] = True
    return Dataset(
        design(xs, degree),
        np.concatenate([y, yh]),
        feature_names(degree),
        target_name="y",
        name="polynomial",
        holdout=holdout,
        polynomial_degree=degree,
        description=(
            f"{N_TRAIN} noisy points from the curve sin(1.2πx) (noise SD {NOISE}) and "
            f"{N_HELD_OUT} held-out points from the same curve; "
            f"{'the feature is' if degree == 1 else 'the features are'} "
            f"{_features_text(degree)}. Without a penalty a high degree wiggles through the "
            "noise: L2 calms the wiggles, L1 switches whole powers off."
        ),
    )
