"""The stability pane's two plots.

:class:`FrequencyBars`: one horizontal bar per feature, its selection frequency at
the run's λ, the names down the left; bars at or above the threshold in blue, the
others grey; the threshold a dashed vertical line that can be dragged; a black ◆
right of the bar of each true feature (synthetic data).

:class:`StabilityPaths`: each feature's selection frequency against λ (log axis,
largest on the left, as the path pane draws it), true features in blue and the
others grey, the threshold a dashed horizontal line, the run's λ the shared λ cursor
(:class:`gui.panes.lambda_axes.LambdaCursor`), and along the top the mean number of
features a resample selects.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui

from gui import theme
from gui.panes.lambda_axes import LambdaCursor, lambda_plot, strength_name

__all__ = ["SELECTED", "UNSELECTED", "FrequencyBars", "StabilityPaths"]

#: Bars at or above the threshold, and true features' stability paths.
SELECTED = theme.POSITIVE
#: Bars below the threshold, and the other features' paths.
UNSELECTED = "#B4B4B4"
THRESHOLD = theme.NEGATIVE


def _threshold_line(angle: int) -> pg.InfiniteLine:
    line = pg.InfiniteLine(
        angle=angle,
        movable=True,
        pen=pg.mkPen(THRESHOLD, width=2, style=QtCore.Qt.PenStyle.DashLine),
        hoverPen=pg.mkPen(THRESHOLD, width=4),
        label="",
        labelOpts={"position": 0.92 if angle == 90 else 0.9, "color": THRESHOLD},
    )
    line.setBounds((0.5, 0.99))
    line.setZValue(15)
    line.setToolTip("The threshold π: drag it (0.5 to 0.99)")
    return line


class FrequencyBars(QtCore.QObject):
    """Horizontal bars of the selection frequencies at λ (see the module
    docstring). ``thresholdMoved`` carries a dragged threshold's new value."""

    thresholdMoved = QtCore.Signal(float)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.widget = pg.PlotWidget(enableMenu=False)
        plot = self.plot = self.widget.getPlotItem()
        theme.style_plot(plot)
        plot.setMenuEnabled(False)
        plot.hideButtons()
        plot.invertY(True)  # the first feature on top
        plot.setMouseEnabled(False, False)
        plot.setLabel("bottom", "selection frequency at λ", **theme.LABEL_STYLE)
        self.bars = pg.BarGraphItem(x0=[], y=[], height=0.72, width=[], pen=None)
        plot.addItem(self.bars)
        self.truth = pg.ScatterPlotItem(
            symbol="d", size=9, pen=pg.mkPen(theme.TRUTH), brush=theme.TRUTH
        )
        self.truth.setZValue(10)
        plot.addItem(self.truth)
        self.line = _threshold_line(90)
        plot.addItem(self.line)
        self.line.sigPositionChangeFinished.connect(
            lambda: self.thresholdMoved.emit(round(float(self.line.value()), 2))
        )
        #: The features shown, top to bottom, and their frequencies.
        self.shown = np.zeros(0, dtype=int)
        self.heights = np.zeros(0)

    def draw(self, names, freq, order, threshold: float, truth) -> None:
        """Bars of ``freq[order]`` named by ``names``; ``truth`` the true
        coefficients (or None)."""
        k = order.size
        f = freq[order]
        self.shown, self.heights = order, f
        brushes = [pg.mkBrush(SELECTED if v >= threshold else UNSELECTED) for v in f]
        self.bars.setOpts(
            x0=np.zeros(k), y=np.arange(k), width=f, height=0.72, brushes=brushes
        )
        axis = self.plot.getAxis("left")
        labels = [str(names[j]) for j in order]
        axis.setTicks([list(enumerate(labels))])
        # wide enough for the longest name (pyqtgraph drops what does not fit)
        font = axis.style.get("tickFont") or axis.font()
        metrics = QtGui.QFontMetrics(font)
        widest = max((metrics.horizontalAdvance(t) for t in labels), default=0)
        axis.setWidth(min(widest + 16, 260))
        if truth is not None:
            rows = np.flatnonzero(truth[order] != 0)
            self.truth.setData(f[rows] + 0.035, rows.astype(float))
        else:
            self.truth.setData([], [])
        self.set_threshold(threshold)
        self.plot.getViewBox().setRange(
            xRange=(0, 1.1), yRange=(-0.6, max(k, 1) - 0.4), padding=0
        )

    def set_threshold(self, threshold: float) -> None:
        if not self.line.moving:
            self.line.setValue(threshold)
        self.line.label.setFormat(f"π = {threshold:.2f}")
        f = self.heights
        if f.size:
            brushes = [
                pg.mkBrush(SELECTED if v >= threshold else UNSELECTED) for v in f
            ]
            self.bars.setOpts(brushes=brushes)

    def clear(self) -> None:
        self.shown, self.heights = np.zeros(0, dtype=int), np.zeros(0)
        self.bars.setOpts(x0=[], y=[], width=[], brushes=None)
        self.truth.setData([], [])
        self.plot.getAxis("left").setTicks([[]])


class StabilityPaths(QtCore.QObject):
    """Selection frequency against λ (see the module docstring)."""

    thresholdMoved = QtCore.Signal(float)

    def __init__(self, path_model, parent=None):
        super().__init__(parent)
        self.widget, self.plot, self.count_axis = lambda_plot()
        self.plot.setLabel("left", "selection frequency", **theme.LABEL_STYLE)
        self.plot.setLabel("top", "features selected per resample (mean)")
        self.plot.setMouseEnabled(False, False)
        self.lines: list[pg.PlotDataItem] = []
        self.line = _threshold_line(0)
        self.plot.addItem(self.line)
        self.line.sigPositionChangeFinished.connect(
            lambda: self.thresholdMoved.emit(round(float(self.line.value()), 2))
        )
        self.cursor = LambdaCursor(
            self.plot,
            path_model,
            lambda a: np.log10(a) if a > 0 else None,
            lambda x: 10.0**x,
            self,
        )
        # where the paths stopped (below it every resample selects many features)
        self.stopped = pg.LinearRegionItem(
            movable=False, brush=pg.mkBrush(0, 0, 0, 18), pen=pg.mkPen(None)
        )
        self.stopped.setZValue(-10)
        self.stopped.hide()
        self.plot.addItem(self.stopped)
        self.stopped_text = pg.TextItem("", color="#606060", anchor=(0.5, 0))
        self.plot.addItem(self.stopped_text)

    def _ensure_lines(self, k: int) -> None:
        while len(self.lines) < k:
            item = pg.PlotDataItem(connect="finite", antialias=True)
            self.plot.addItem(item)
            self.lines.append(item)
        for item in self.lines[k:]:
            item.setData([], [])

    def draw(self, result, order, threshold: float, highlight, names) -> None:
        """One line per feature of ``order``; ``highlight`` (a boolean mask over
        the features) in blue, on top."""
        m = result.n_path
        xs = np.log10(result.alphas[:m])
        self.plot.setLabel(
            "bottom", f"{strength_name(result.kind)} (log scale)", **theme.LABEL_STYLE
        )
        self._ensure_lines(order.size)
        for item, j in zip(self.lines, order, strict=False):
            on = bool(highlight[j])
            item.setData(xs, result.path_frequency[:m, j])
            item.setPen(
                pg.mkPen(SELECTED if on else UNSELECTED, width=2.2 if on else 1.2)
            )
            item.setZValue(5 if on else 1)
            item.setToolTip(str(names[j]))
        self.count_axis.set_counts(
            xs, np.round(np.nansum(result.path_frequency[:m], axis=1)).astype(int)
        )
        all_x = np.log10(result.alphas)
        lo, hi = float(all_x.min()), float(all_x.max())
        pad = 0.03 * (hi - lo or 1.0)
        self.plot.getViewBox().setRange(
            xRange=(lo - pad, hi + pad), yRange=(-0.03, 1.05), padding=0
        )
        if m < result.alphas.size:
            edge = float(xs[-1]) if m else hi
            self.stopped.setRegion((lo - pad, edge))
            self.stopped.show()
            self.stopped_text.setText("not computed:\nmany features selected")
            self.stopped_text.setPos((lo + edge) / 2, 0.5)
        else:
            self.stopped.hide()
            self.stopped_text.setText("")
        self.cursor.set_bounds(lo, hi)
        self.cursor.sync(result.kind, result.alpha)
        self.set_threshold(threshold)

    def set_threshold(self, threshold: float) -> None:
        if not self.line.moving:
            self.line.setValue(threshold)
        self.line.label.setFormat(f"π = {threshold:.2f}")

    def clear(self) -> None:
        self._ensure_lines(0)
        self.stopped.hide()
        self.stopped_text.setText("")
        self.count_axis.set_counts([], [])
