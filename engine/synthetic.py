"""Synthetic regression data with a known truth: the generator of "when each penalty
wins".

``d`` features come in groups of ``group`` consecutive columns (the last group may be
smaller). Every feature is standard normal; two features of one group are correlated
at ``rho``, features of different groups are independent::

    x_j = sqrt(rho) * z_g + sqrt(1 - rho) * e_j      (j in group g; z, e ~ N(0, 1))

so the covariance ``Sigma`` is block diagonal with blocks ``(1 - rho) I + rho 11^T``.

The truth has ``k`` nonzero coefficients on the **first k features**: whole groups
first (groups of 4 and k = 6 make group 1 and half of group 2 true). All of them are
equal and positive, scaled so that the signal ``x . beta`` has variance exactly 1
(``beta^T Sigma beta = 1``) whatever ``k`` and ``rho``: moving ``k`` spreads the same
signal over more features and changes nothing else, and the noise's standard
deviation ``sigma`` sets the signal-to-noise ratio ``1 / sigma^2`` once and for all.
(A fixed size per coefficient would make a dense truth a much stronger signal, and
the comparison would be between easy and hard problems rather than between sparse and
dense ones.) The target is ``y = x . beta + sigma * eps`` with no intercept.

Since the features have mean 0 and covariance ``Sigma``, the expected squared error
of a model ``(w, b)`` (raw units) on new data from the generator is exactly ::

    E (y - x w - b)^2 = sigma^2 + (w - beta)^T Sigma (w - beta) + b^2

(:func:`excess_error` is the part beyond ``sigma^2``): no test sample needed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .data import Dataset

__all__ = ["Generator", "excess_error", "true_coefficients"]


@dataclass(frozen=True)
class Generator:
    """The distribution data is drawn from (see the module docstring).

    ``n`` rows, ``d`` features in groups of ``group`` correlated at ``rho`` in
    [0, 1), noise of standard deviation ``noise`` > 0.
    """

    n: int = 100
    d: int = 40
    group: int = 4
    rho: float = 0.0
    noise: float = 1.0

    @classmethod
    def of_lab(cls, lab) -> Generator:
        """The generator of a :class:`~engine.settings.LabSettings`' sweep fields."""
        return cls(
            lab.sweep_n, lab.sweep_d, lab.sweep_group, lab.sweep_rho, lab.sweep_noise
        )

    @property
    def groups(self) -> np.ndarray:
        """The group of each feature, 0-based, shape (d,)."""
        return np.arange(self.d) // self.group

    def features(self, rng: np.random.Generator, n: int | None = None) -> np.ndarray:
        """``n`` rows (default ``self.n``) of the features, shape (n, d)."""
        n = self.n if n is None else n
        g = self.groups
        shared = rng.standard_normal((n, int(g[-1]) + 1))
        own = rng.standard_normal((n, self.d))
        return np.sqrt(self.rho) * shared[:, g] + np.sqrt(1.0 - self.rho) * own

    def quadratic(self, v: np.ndarray) -> np.ndarray:
        """``v^T Sigma v`` for each row of ``v`` (shape (..., d)), exactly:
        ``(1 - rho) ||v||^2 + rho * sum over groups of (sum of v in the group)^2``."""
        v = np.asarray(v, dtype=np.float64)
        g = self.groups
        member = np.zeros((self.d, int(g[-1]) + 1))
        member[np.arange(self.d), g] = 1.0
        sums = v @ member
        return (1.0 - self.rho) * (v * v).sum(axis=-1) + self.rho * (sums * sums).sum(
            axis=-1
        )

    def dataset(
        self, k: int, X: np.ndarray, eps: np.ndarray, name: str = "sweep"
    ) -> Dataset:
        """The dataset of features ``X`` (from :meth:`features`) and standard
        noise ``eps`` with ``k`` true features: ``y = X beta + noise * eps``."""
        beta = true_coefficients(self, k)
        y = X @ beta + self.noise * eps
        r = f", correlated at {self.rho:g} within groups of {self.group}"
        return Dataset(
            X,
            y,
            tuple(f"x{j + 1}" for j in range(self.d)),
            name=name,
            true_coef=beta,
            description=(
                f"{self.n} rows, {self.d} features{r if self.rho > 0 else ''}; "
                f"the first {k} are true (signal variance 1), noise sd "
                f"{self.noise:g}. Synthetic, from a seed."
            ),
        )

    def draw(self, k: int, seed) -> Dataset:
        """One dataset with ``k`` true features, reproducible for ``seed`` (an int
        or a sequence of ints, as :func:`numpy.random.default_rng` takes)."""
        rng = np.random.default_rng(seed)
        X = self.features(rng)
        return self.dataset(k, X, rng.standard_normal(self.n))


def true_coefficients(gen: Generator, k: int) -> np.ndarray:
    """The truth with ``k`` true features: the first ``k`` coefficients equal and
    positive, scaled to ``beta^T Sigma beta = 1``; the others 0."""
    if not 1 <= k <= gen.d:
        raise ValueError(f"the number of true features must lie in [1, {gen.d}]")
    beta = np.zeros(gen.d)
    beta[:k] = 1.0
    return beta / np.sqrt(gen.quadratic(beta))


def excess_error(gen: Generator, beta: np.ndarray, w: np.ndarray, b) -> np.ndarray:
    """Expected squared error on new data beyond the noise's ``sigma^2``, of the
    models ``(w, b)`` in raw units (``w`` of shape (..., d), ``b`` matching):
    ``(w - beta)^T Sigma (w - beta) + b^2``. 0 is the truth; 1 is predicting 0
    (the signal's whole variance missed)."""
    return gen.quadratic(np.asarray(w) - beta) + np.asarray(b, dtype=np.float64) ** 2
