"""The path pane's x axis and heat map, as plain numbers (no drawing).

Three axes for the same path: ``log`` is log10 of the strength (drawn inverted: the
largest on the left); ``norm`` is ‖w‖₁ as a share of its largest value along the
path; ``explained`` is the share of the data loss explained, ``1 − D(w)/D(0)``
(``D(0)``: the data loss of the model without features). Both of the latter grow as
λ falls, so they run left to right like the inverted log axis.
"""

from __future__ import annotations

import numpy as np

__all__ = ["X_CHOICES", "PathX", "entry_order", "heatmap_image"]

#: The x axes: key → text of the pane's menu.
X_CHOICES = {
    "log": "x: log λ",
    "norm": "x: ‖w‖₁ / max",
    "explained": "x: loss explained",
}


class PathX:
    """Where each grid point of a path lies on the chosen x axis, and back."""

    def __init__(self, kind: str = "log"):
        self.kind = kind
        self.la = np.zeros(0)  # log10 of the computed strengths, largest first
        self.xs = np.zeros(0)  # their x on the chosen axis

    @property
    def empty(self) -> bool:
        return self.la.size == 0

    def clear(self) -> None:
        self.la = self.xs = np.zeros(0)

    def set_path(self, path, null_loss: float) -> None:
        """Take the computed points of ``path``; ``null_loss`` is ``D(0)``."""
        n = path.n_computed
        self.la = np.log10(np.maximum(path.alphas[:n], 1e-300))
        coefs = path.coefs[:n]
        if self.kind == "log":
            self.xs = self.la
        elif self.kind == "norm":
            norm = np.abs(coefs).sum(axis=1)
            self.xs = norm / (float(norm.max(initial=0.0)) or 1.0)
        else:
            pen = np.array([path.penalties[i].value(coefs[i]) for i in range(n)])
            data_loss = path.objectives[:n] - pen
            self.xs = 1.0 - data_loss / null_loss if null_loss > 0 else np.zeros(n)

    def bounds(self) -> tuple[float, float]:
        return float(self.xs.min()), float(self.xs.max())

    def weakest(self) -> int:
        """Index of the smallest strength (the end where the names go)."""
        return int(np.argmin(self.la))

    def to_x(self, alpha: float) -> float | None:
        """The x of strength ``alpha`` (None without a path)."""
        if alpha <= 0 or self.empty:
            return None
        if self.kind == "log":
            return float(np.log10(alpha))
        # the grid runs from large to small strengths: interpolate on it reversed
        return float(np.interp(np.log10(alpha), self.la[::-1], self.xs[::-1]))

    def from_x(self, x: float) -> float:
        """The strength at ``x`` (inverse of :meth:`to_x`; clamped to the grid
        on the other axes)."""
        if self.kind == "log" or self.la.size < 2:
            return float(10.0**x)
        rising = np.maximum.accumulate(self.xs)
        return float(10.0 ** np.interp(x, rising, self.la))

    def label(self, strength: str) -> str:
        return self.labels(strength)[0]

    def labels(self, strength: str) -> list[str]:
        """The x axis title, longest first (the first that fits is shown)."""
        if self.kind == "norm":
            return ["‖w‖₁ / max ‖w‖₁"]
        if self.kind == "explained":
            return [
                "share of the data loss explained, 1 − D(w)/D(0)",
                "1 − D(w)/D(0)",
            ]
        return [
            f"{strength} (log scale, strongest on the left)",
            f"{strength} (log scale)",
            strength,
        ]

    def columns(self, n_columns: int) -> np.ndarray:
        """The grid point shown in each heat-map column, from small x to large: the
        grid itself on the log axis (evenly spaced there), else ``n_columns``
        evenly spaced x values."""
        if self.kind == "log":
            return np.argsort(self.xs)
        lo, hi = self.bounds()
        rising = np.maximum.accumulate(self.xs)
        at = np.linspace(lo, hi, n_columns)
        return np.clip(np.searchsorted(rising, at), 0, self.xs.size - 1)


def entry_order(coefs: np.ndarray) -> np.ndarray:
    """Features in the order they become nonzero along the rows of ``coefs`` (from
    the largest strength down); features that never do come last, in their order."""
    nz = coefs != 0
    first = np.where(nz.any(axis=0), nz.argmax(axis=0), coefs.shape[0])
    return np.lexsort((np.arange(first.size), first))


def heatmap_image(coefs: np.ndarray, order: np.ndarray, columns: np.ndarray):
    """Lookup-table indices (see ``theme.diverging_lut``), features in ``order``
    down and the grid points ``columns`` across: 0 where a weight is exactly 0,
    the colour saturating at half the largest weight so small ones show too."""
    W = coefs[columns][:, order].T
    scale = float(np.abs(W).max(initial=0.0)) or 1.0
    idx = np.clip(np.round(W / (0.5 * scale) * 127 + 128), 1, 255).astype(np.ubyte)
    idx[W == 0] = 0
    return idx
