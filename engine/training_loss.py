"""The data loss of the training rows and its gradient at a state ``(w, b)``, as the
trainer's steps need them, and the order in which mini-batches visit the rows.

For the squared loss with fewer features than rows, everything goes through the Gram
matrix ``X^T X / n`` (:class:`engine.gram.GramKernel`; ``O(d^2)`` per step instead
of ``O(n d)``, ``O(|S| d)`` for a sparse ``w``); otherwise through the rows::

    D(w, b) = loss(X w + b, y),   grad_w D = X^T dz,   dD/db = sum(dz)

with ``dz`` the derivative of the loss at each row's prediction (divided by ``n``).
A *prediction cache* carries what the next gradient and loss need from one product:
``G w`` in Gram mode, ``X w + b`` otherwise.
"""

from __future__ import annotations

import numpy as np

from .data import TrainingData
from .gram import GramKernel

__all__ = ["BatchOrder", "TrainingLoss"]


class TrainingLoss:
    """``D(w, b)`` on the training rows of ``data`` and its gradient.

    Parameters
    ----------
    data : TrainingData
    loss : a loss of :mod:`engine.losses`
    sparse_divisor : int
        In Gram mode, products read only the support rows below ``d //
        sparse_divisor`` nonzero weights.
    """

    def __init__(self, data: TrainingData, loss, *, sparse_divisor: int):
        self.data = data
        self.loss = loss
        #: The Gram kernel when the squared loss goes through it, else None.
        self.gram = (
            GramKernel(data, sparse_divisor=sparse_divisor)
            if loss.name == "squared" and data.moments.gram is not None
            else None
        )

    def prediction(self, w: np.ndarray, b: float) -> np.ndarray:
        """The prediction cache of ``(w, b)``: ``G w`` (Gram mode) or ``X w + b``."""
        if self.gram is not None:
            return self.gram.gram_product(w)
        return self.data.X @ w + b

    def value(self, w: np.ndarray, b: float, cache: np.ndarray) -> float:
        """``D(w, b)`` from the prediction cache of ``(w, b)``."""
        if self.gram is not None:
            return self.gram.loss(w, b, cache)
        return self.loss.value(cache, self.data.y)

    def gradient(self, w: np.ndarray, b: float, cache: np.ndarray):
        """``(grad_w D, dD/db)`` on all rows, from the prediction cache; the first a
        new array."""
        if self.gram is not None:
            return self.gram.gradient(w, b, cache)
        dz = self.loss.derivative(cache, self.data.y)
        return self.data.X.T @ dz, float(dz.sum())

    def batch_gradient(self, w: np.ndarray, b: float, rows: np.ndarray):
        """``(grad_w D, dD/db)`` of the loss on ``rows`` alone."""
        X, y = self.data.X[rows], self.data.y[rows]
        dz = self.loss.derivative(X @ w + b, y)
        return X.T @ dz, float(dz.sum())


class BatchOrder:
    """Mini-batches drawn without replacement from a permutation of the ``n`` rows,
    reshuffled every epoch (when the rest of the permutation is shorter than a
    batch) from the random stream ``rng``. A deep copy continues the same stream."""

    def __init__(self, n: int, rng: np.random.Generator):
        self.n = n
        self.rng = rng
        self._perm = np.arange(0)
        self._pos = 0

    def next(self, size: int) -> np.ndarray:
        """The rows of the next batch of ``size``, in increasing order."""
        if self._pos + size > len(self._perm):
            self._perm = self.rng.permutation(self.n)
            self._pos = 0
        rows = self._perm[self._pos : self._pos + size]
        self._pos += size
        return np.sort(rows)
