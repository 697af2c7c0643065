"""The data loss on the validation rows, for one state or for many at once."""

from __future__ import annotations

import numpy as np

__all__ = ["ValidationLoss"]


class ValidationLoss:
    """The data loss on the validation rows, for one state or many at once.

    :meth:`of` is the direct computation for the current state; calling it with the
    weight snapshots of several steps computes their losses in one matrix product
    (what :class:`~engine.history.History` does when the losses are asked for),
    over the features nonzero in at least one of them; the rows of ``X_val^T`` of
    those features are kept until they change (a sparse run's support mostly stays).
    The data is read-only and shared by copies of a trainer.
    """

    #: Snapshots per matrix product (bounds the temporary predictions).
    CHUNK = 256

    def __init__(self, X_val: np.ndarray, y_val: np.ndarray, loss):
        self.X_val_T = np.ascontiguousarray(X_val.T)  # one row per feature
        self.y_val = y_val
        self.loss = loss
        self._kept = (np.arange(0), self.X_val_T[:0])  # (features, their rows)

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
                Z = Wc[:, cols] @ self._rows(cols)
            else:
                Z = Wc @ self.X_val_T
            Z += b[lo : lo + self.CHUNK, None]
            out[lo : lo + len(Wc)] = self.loss.values(Z, self.y_val)
        return out

    def _rows(self, cols: np.ndarray) -> np.ndarray:
        """``X_val^T[cols]``, kept for the next call with the same features."""
        kept, rows = self._kept
        if kept.size != cols.size or (kept != cols).any():
            rows = self.X_val_T[cols]
            self._kept = (cols, rows)  # replaced at once: copies share it safely
        return rows
