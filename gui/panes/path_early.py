"""Stopping early is like L2: gradient descent's iterates over the ridge path.

On an L2 path of squared loss (lines, not the heat map), the path pane can also draw
where plain gradient descent goes: no penalty, from ``w = 0``, step 1/L
(:func:`engine.early_stopping.early_stopping`, the app's own trainer). Each recorded
iterate ``w_t`` is a column of dots, one per weight, at its place on the pane's x
axis: its own ‖w_t‖₁ as a share of the path's largest on the ‖w‖₁ axis, or the
strength of the ridge solution nearest to it on the λ axes. The dots lie on or near
the ridge lines: a few steps act like a large λ, many like a small one.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtWidgets

from engine.early_stopping import SHOWN_RECORDS, SHOWN_STEPS, early_stopping
from gui import theme

__all__ = ["EarlyStoppingDots"]


class EarlyStoppingDots:
    """The dots on the path plot and the box that shows them."""

    def __init__(self, plot: pg.PlotItem):
        self.plot = plot
        self.dots = pg.ScatterPlotItem(
            size=5, pen=None, brush=pg.mkBrush(theme.OBJECTIVE), antialias=True
        )
        self.dots.setZValue(15)
        self.box = QtWidgets.QCheckBox("gradient descent, no penalty")
        self.box.setObjectName("earlyStopping")
        self._tip = (
            "Dots: plain gradient descent without a penalty, from w = 0 with step "
            "1/L, one column per recorded step. They run along the ridge path: "
            "stopping after few steps is like a large λ, after many like a small one"
        )
        self.box.setToolTip(self._tip)
        self._data = None
        self.result = None
        self._added = False

    def available(self, session, heatmap: bool) -> bool:
        """Only on the lines of an L2 path of squared loss."""
        s = session.settings
        return not heatmap and s.penalty == "l2" and s.loss == "squared"

    def run_for(self, data):
        """Gradient descent's iterates on ``data`` (kept while the data is)."""
        if self._data is not data:
            # about 100 of the steps, spaced evenly in log(t)
            es = early_stopping(data, SHOWN_STEPS, count=SHOWN_RECORDS)
            self._data, self.result = data, es
        return self.result

    def draw(self, session, path, x, shown: bool) -> None:
        """Dots for ``path`` on the pane's axis ``x`` (:class:`PathX`), or none."""
        if not shown or x.empty:
            self.dots.setData([], [])
            self._show(False)
            return
        es = self.run_for(session.data)
        W = es.iterates[1:]
        if x.kind == "norm":
            top = float(np.abs(path.coefs[: path.n_computed]).sum(axis=1).max())
            xs = np.abs(W).sum(axis=1) / (top or 1.0)
            keep = xs <= 1.0  # beyond the path's weakest point: off its axis
        else:
            xs = np.array([x.to_x(lam) or np.nan for lam in es.lam2[1:]])
            lo = float(np.min(path.alphas[: path.n_computed]))
            keep = es.lam2[1:] >= lo
        d = W.shape[1]
        px = np.repeat(xs[keep], d)
        py = W[keep].ravel()
        self.dots.setData(px, py)
        self._show(True)
        self.box.setToolTip(f"{self._tip}\n{self.distance_text()}")

    def _show(self, on: bool) -> None:
        if on and not self._added:
            self.plot.addItem(self.dots)
            self._added = True
        elif not on and self._added:
            self.plot.removeItem(self.dots)
            self._added = False

    def summary(self) -> str:
        """A few words for the pane's summary: what the dots are."""
        es = self.result
        if es is None:
            return ""
        return f"<b>●</b> gradient descent, no penalty, {int(es.steps[-1]):,} steps"

    def distance_text(self) -> str:
        """How near the ridge path the iterates stay (the box's tooltip)."""
        es = self.result
        if es is None:
            return ""
        far = float(es.distance[es.steps >= 3].max(initial=0.0))
        return (
            f"From the third step on, every iterate is within {far:.0%} of its "
            "length of a ridge solution"
        )
