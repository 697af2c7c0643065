"""The data loss on the validation rows, for one state or for many at once."""

from __future__ import annotations

import numpy as np

__all__ = ["ValidationLoss"]


class ValidationLoss:
    """The data loss on the validation rows, for one state or many at once.

    :meth:`of` is the direct computation for the current state; calling it with the
    weight snapshots of several steps computes their losses in one matrix product
    (what :class:`~engine.history.History` does when the losses are asked for),
    over the features nonzero in at least one of them. The data is read-only and
    shared by copies of a trainer.
    """

    #: Snapshots per matrix product (bounds the temporary predictions).
    CHUNK = 256

    def __init__(self, X_val: np.ndarray, y_val: np.ndarray, loss):
        self.X_val_T = np.ascontiguousarray(X_val.T)  # one row per feature
        self.y_val = y_val
        self.loss = loss

    def __deepcopy__(self, memo) -> ValidationLoss:
        return self

    def of(self, w: np.ndarray, b: float) -> float:
        """``D_val(w, b)``: the loss of ``X_val w + b``."""
        return float(self(w[None, :], np.array([b]))[0])

    def __call__(self, W: np.ndarray, b: np.ndarray) -> np.ndarray:
        """The loss of ``X_val W[i] + b[i]`` for each row ``W[i]``."""
        out = np.empty(len(W))
        d = W.shape[1]
        for lo in range(0, len(W), self.CHUNK):
            Wc = W[lo : lo + self.CHUNK]
            cols = np.flatnonzero(Wc.any(axis=0))
            if cols.size < d // 4:
                Z = Wc[:, cols] @ self.X_val_T[cols]
            else:
                Z = Wc @ self.X_val_T
            Z += b[lo : lo + self.CHUNK, None]
            out[lo : lo + len(Wc)] = self.loss.values(Z, self.y_val)
        return out
