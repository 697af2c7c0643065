"""Stopping early is like L2, on the geometry pane's 2D loss.

Over the contours: the ridge path, every L2 optimum from w = 0 (λ = ∞) to the
minimum w* (λ = 0), as a dashed line, and plain gradient descent without a penalty
from w = 0 (step 0.1/L), as dots (:func:`engine.early_stopping.quadratic_descent`). The
dots follow the dashed line: each number of steps is near the L2 optimum of some λ.
Drawn in the views of L2 and of no penalty.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6 import QtCore

from engine.early_stopping import quadratic_descent
from gui import theme

__all__ = ["DescentOverlay"]

#: Most steps drawn (every one up to 40, then 40 spaced evenly in log(t)).
STEPS = 3000
#: The step, as a share of 1/L: at 1/L the stiffest direction is done in one step
#: and the dots jump; a tenth of it shows the way.
STEP_SHARE = 0.1


class DescentOverlay:
    """The ridge path and gradient descent's iterates on one geometry view."""

    def __init__(self, plot: pg.PlotItem):
        self.ridge = pg.PlotCurveItem(
            pen=pg.mkPen(theme.OBJECTIVE, width=1.8, style=QtCore.Qt.PenStyle.DashLine),
            antialias=True,
        )
        self.dots = pg.ScatterPlotItem(
            size=7, pen=None, brush=pg.mkBrush(theme.PENALTY), antialias=True
        )
        self._drawn = False
        for item, z in ((self.ridge, 6), (self.dots, 7)):
            item.setZValue(z)
            plot.addItem(item)

    @staticmethod
    def legend() -> str:
        """The line under the view's title naming the dots and the dashed line."""
        dots = f"<span style='color:{theme.PENALTY}'><b>●</b></span>"
        return (
            f"{dots} gradient descent, no penalty, steps of 0.1/L &nbsp; "
            "<b>╌╌</b> ridge path (every L2 optimum, 0 to w*)"
        )

    def draw(self, q, shown: bool) -> None:
        """For the 2D loss ``q`` (a Quadratic), or nothing when not ``shown``."""
        if not shown:
            if self._drawn:  # a redraw per training step: nothing to clear twice
                self.ridge.setData([], [])
                self.dots.setData([], [])
                self._drawn = False
            return
        self._drawn = True
        _, iterates, ridge = quadratic_descent(q, STEPS, share=STEP_SHARE)
        self.ridge.setData(ridge[:, 0], ridge[:, 1])
        self.dots.setData(iterates[:, 0], iterates[:, 1])
