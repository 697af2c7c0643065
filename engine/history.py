"""Bounded per-step records of a training run.

:class:`History` keeps, for every recorded step, the data loss, the penalty, the total
objective, the validation loss (NaN without a validation split), the number of weights
that are exactly zero, and a float64 snapshot of the weights (float32 would overflow
to infinity for weights beyond 3.4e38, which a target near 1e50 gives).

Memory stays bounded on runs of any length by *decimation*: records are kept for steps
that are multiples of ``stride``; when the buffer is full every other record is dropped
and the stride doubles. A run of any length is therefore covered end to end by between
``capacity / 2`` and ``capacity`` evenly spaced records, and the most recent step is
always available as well (``latest``).

The validation loss is computed lazily: each record keeps the intercept beside the
weights, and the losses of the records not yet computed are worked out together, in
one matrix product of the validation rows with their weight snapshots, when
:meth:`History.scalar` asks for them (a pane drawing the curves, a summary). They are
the numbers a direct computation at each step would give (to rounding: the products
are summed in another order); a run that nobody draws never pays for them.

:class:`ZeroEvents` logs when each weight became exactly zero or left zero: per-weight
counters and most recent steps (bounded by the number of weights) and a ring buffer of
the latest ``capacity`` individual events.
"""

from __future__ import annotations

import numpy as np

__all__ = ["History", "ZeroEvents", "SCALARS"]

#: Names of the per-step scalar records.
SCALARS = ("data_loss", "penalty", "objective", "val_loss", "n_zero")

#: Largest weight-snapshot buffer, in bytes.
WEIGHT_BUDGET = 64 * 2**20

#: Weight snapshots moved at once when the buffer is thinned out.
DECIMATE_ROWS = 64


class History:
    """Decimating record of scalars and weight snapshots, one row per kept step."""

    def __init__(self, n_features: int, capacity: int | None = None, validation=None):
        """``validation``: None without validation rows, else a callable
        ``(W, b) -> losses`` giving the validation loss of each weight row of ``W``
        (shape (m, d)) with its intercept ``b[i]``."""
        self.validation = validation
        if capacity is None:
            capacity = WEIGHT_BUDGET // (8 * max(n_features, 1))
            capacity = int(np.clip(capacity, 256, 4096))
        self.capacity = capacity - capacity % 2
        self.n_features = n_features
        self._steps = np.zeros(self.capacity, dtype=np.int64)
        self._scalars = np.zeros((len(SCALARS), self.capacity))
        self._intercepts = np.zeros(self.capacity)
        self._weights = np.zeros((self.capacity, n_features), dtype=np.float64)
        self.clear()

    def clear(self) -> None:
        self.stride = 1
        self._size = 0
        self._val_from = 0  # the records from here on wait for their validation loss
        self._latest_step: int | None = None
        self._latest_values: list | None = None
        self._latest_w: np.ndarray | None = None
        self._latest_b = 0.0

    def __len__(self) -> int:
        return self._size

    @property
    def latest(self) -> dict | None:
        """The most recent step's record: ``{'step': ..., <SCALARS>...}``."""
        if self._latest_step is None:
            return None
        self._latest_validation()
        return {
            "step": self._latest_step,
            **dict(zip(SCALARS, self._latest_values, strict=True)),
        }

    def record(
        self,
        step: int,
        w: np.ndarray,
        b: float,
        data_loss: float,
        penalty: float,
        n_zero: int,
    ) -> None:
        """Record the state ``(w, b)`` at ``step`` with its data loss, penalty and
        number of zero weights (the objective is their sum; the validation loss is
        computed when asked for)."""
        val = float("nan") if self.validation is None else None
        self._latest_step = step
        self._latest_values = [data_loss, penalty, data_loss + penalty, val, n_zero]
        self._latest_w = w
        self._latest_b = b
        size = self._size
        if size and self._steps[size - 1] == step:
            size = self._size = size - 1  # the state at this step changed: replace it
        elif step % self.stride:
            return
        if size == self.capacity:
            self._decimate()
            if step % self.stride:
                return
            size = self._size
        self._steps[size] = step
        sc = self._scalars
        sc[0, size] = data_loss
        sc[1, size] = penalty
        sc[2, size] = data_loss + penalty
        sc[3, size] = float("nan")
        sc[4, size] = n_zero
        self._val_from = min(self._val_from, size)
        self._intercepts[size] = b
        self._weights[size] = w
        self._size = size + 1

    def record_block(
        self, first_step: int, block, n_zero: int, w_last: np.ndarray
    ) -> None:
        """Record the steps ``first_step, first_step + 1, ...`` of a block taken on a
        fixed support (:class:`engine.fixed_support.FixedSupportBlock`: the weights
        are zero outside ``block.support`` and ``block.weights[i]`` on it), as
        :meth:`record` called for each would; ``w_last``: the last state's weights,
        all of them."""
        support, weights, b = block.support, block.weights, block.intercepts
        data_loss, penalty = block.data_loss, block.penalty
        m = len(b)
        end = first_step + m
        size = self._size
        if size and self._steps[size - 1] >= first_step:
            raise ValueError("a block of steps must follow the recorded ones")
        pos = first_step
        while True:
            stride = self.stride
            s0 = -(-pos // stride) * stride  # the first step at or after pos kept
            if s0 >= end:
                break
            if size == self.capacity:
                self._decimate()
                size = self._size
                continue
            count = min(-(-(end - s0) // stride), self.capacity - size)
            rows = slice(size, size + count)
            lo = s0 - first_step
            i = slice(lo, lo + (count - 1) * stride + 1, stride)  # rows of the block
            self._steps[rows] = np.arange(s0, s0 + count * stride, stride)
            sc = self._scalars
            sc[0, rows] = data_loss[i]
            sc[1, rows] = penalty[i]
            np.add(data_loss[i], penalty[i], out=sc[2, rows])
            sc[3, rows] = np.nan
            sc[4, rows] = n_zero
            self._val_from = min(self._val_from, size)
            self._intercepts[rows] = b[i]
            W = self._weights[rows]
            W.fill(0.0)
            W[:, support] = weights[i]
            size = self._size = size + count
            pos = s0 + (count - 1) * stride + 1
        last_loss, last_pen = float(data_loss[-1]), float(penalty[-1])
        self._latest_step = end - 1
        self._latest_values = [
            last_loss,
            last_pen,
            last_loss + last_pen,
            float("nan") if self.validation is None else None,
            n_zero,
        ]
        self._latest_w = w_last
        self._latest_b = float(b[-1])

    def _decimate(self) -> None:
        keep = np.flatnonzero(self._steps[: self._size] % (2 * self.stride) == 0)
        k = len(keep)
        self._steps[:k] = self._steps[keep]
        self._intercepts[:k] = self._intercepts[keep]
        self._val_from = int(np.searchsorted(keep, self._val_from))
        self._scalars[:, :k] = self._scalars[:, keep]
        # in place, a few rows at a time: keep[i] >= i, so every row is read before
        # it is written over, and no temporary the size of the buffer (whose fresh
        # pages cost more than the copy) is made
        W = self._weights
        for lo in range(0, k, DECIMATE_ROWS):
            rows = keep[lo : lo + DECIMATE_ROWS]
            W[lo : lo + rows.size] = W[rows]
        self._size = k
        self.stride *= 2

    def _with_latest(self) -> bool:
        return self._latest_step is not None and (
            self._size == 0 or self._steps[self._size - 1] != self._latest_step
        )

    def _latest_validation(self) -> None:
        if self._latest_values[3] is None:
            w = np.asarray(self._latest_w, dtype=np.float64)[None, :]
            loss = self.validation(w, np.array([self._latest_b]))
            self._latest_values[3] = float(loss[0])

    def _kept_validation(self) -> None:
        """The validation losses of the kept records not computed yet, together."""
        todo = slice(self._val_from, self._size)
        if self._val_from < self._size:
            W = self._weights[todo]
            self._scalars[3, todo] = self.validation(W, self._intercepts[todo])
            self._val_from = self._size

    @property
    def steps(self) -> np.ndarray:
        """Step numbers of the records, the latest step included."""
        s = self._steps[: self._size]
        if self._with_latest():
            s = np.append(s, self._latest_step)
        return s

    def scalar(self, name: str) -> np.ndarray:
        """Values of one of :data:`SCALARS` at :attr:`steps`."""
        i = SCALARS.index(name)
        if name == "val_loss" and self.validation is not None:
            self._kept_validation()
        v = self._scalars[i, : self._size]
        if self._with_latest():
            if i == 3:
                self._latest_validation()
            v = np.append(v, self._latest_values[i])
        return v

    def weights(self) -> np.ndarray:
        """Weight snapshots, shape (len(steps), n_features), float64."""
        W = self._weights[: self._size]
        if self._with_latest():
            W = np.vstack([W, np.asarray(self._latest_w, dtype=np.float64)[None, :]])
        return W


class ZeroEvents:
    """When each weight became exactly zero (+1) or left zero (-1).

    Per weight: ``times_zeroed``, ``times_revived``, ``last_zeroed`` and
    ``last_revived`` (-1 when never), ``first_zeroed``. All events of the latest
    ``capacity`` are kept in order in a ring buffer, see :meth:`events`.
    """

    def __init__(self, n_features: int, capacity: int = 100_000):
        self.capacity = capacity
        self._buf = np.zeros((capacity, 3), dtype=np.int64)
        self.n_features = n_features
        self.clear()

    def clear(self) -> None:
        d = self.n_features
        self.times_zeroed = np.zeros(d, dtype=np.int64)
        self.times_revived = np.zeros(d, dtype=np.int64)
        self.first_zeroed = np.full(d, -1, dtype=np.int64)
        self.last_zeroed = np.full(d, -1, dtype=np.int64)
        self.last_revived = np.full(d, -1, dtype=np.int64)
        self._total = 0

    @property
    def total(self) -> int:
        """Number of events since the last clear (including those no longer kept)."""
        return self._total

    def record(self, step: int, zeroed: np.ndarray, revived: np.ndarray) -> None:
        """Log the feature indices that became zero and left zero at ``step``."""
        if zeroed.size:
            self.times_zeroed[zeroed] += 1
            self.last_zeroed[zeroed] = step
            first = zeroed[self.first_zeroed[zeroed] < 0]
            self.first_zeroed[first] = step
        if revived.size:
            self.times_revived[revived] += 1
            self.last_revived[revived] = step
        for idx, kind in ((zeroed, 1), (revived, -1)):
            idx = idx[-self.capacity :]
            m = idx.size
            if m:
                pos = (self._total + np.arange(m)) % self.capacity
                self._buf[pos, 0] = step
                self._buf[pos, 1] = idx
                self._buf[pos, 2] = kind
                self._total += m

    def events(self) -> np.ndarray:
        """The kept events, oldest first: array of rows (step, feature, kind)."""
        k = min(self._total, self.capacity)
        start = self._total - k
        idx = (np.arange(start, self._total)) % self.capacity
        return self._buf[idx].copy()

    def is_zero_since(self, j: int) -> int:
        """Step since which weight ``j`` has been exactly zero, or -1 if it is not."""
        z = self.last_zeroed[j]
        return int(z) if z > self.last_revived[j] else -1
