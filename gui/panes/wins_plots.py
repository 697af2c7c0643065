"""The two plots of the "which penalty wins" pane.

:class:`ErrorAgainstK`: the excess error of L1, L2 and Elastic Net (each at its CV
λ_min) against the number of true features k, ±1 standard error bands, where L2
overtakes L1, and the two regions named. :class:`BiasVarianceAgainstLambda`: bias²,
variance and the error measured on new data against λ (log scale, strongest on the
left, as on the path and CV panes), the noise floor σ² and the best λ.

Items are built once; :meth:`show` only sets their data.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui

from engine.sweep import KINDS
from gui import theme
from gui.panes.lambda_axes import compact, label_inside, lambda_plot, strength_name
from gui.ticks import FittedAxis, fit_axis_label

__all__ = ["NAMES", "BiasVarianceAgainstLambda", "ErrorAgainstK", "glyph"]

NAMES = {"l1": "L1", "l2": "L2", "elasticnet": "Elastic Net"}
GUIDE = "#404040"


def glyph(colour: str, mark: str = "━") -> str:
    """A coloured mark for a summary line (the plots' legend)."""
    return f"<span style='color:{colour}'><b>{mark}</b></span>"


def _text(colour: str, anchor) -> pg.TextItem:
    item = pg.TextItem("", color=colour, anchor=anchor, fill=(255, 255, 255, 210))
    font = QtGui.QFont()
    font.setPointSize(theme.AXIS_FONT_PT)
    font.setBold(True)
    item.setFont(font)
    item.setZValue(30)
    return item


#: The names of the two regions, longest first.
REGION_NAMES = (
    ("sparse truth: L1 wins", "dense truth: L2 wins"),
    ("sparse: L1 wins", "dense: L2 wins"),
    ("L1 wins", "L2 wins"),
)


class ErrorAgainstK:
    """Excess error against k for the three penalties."""

    def __init__(self):
        self.widget = pg.PlotWidget(
            axisItems={"left": FittedAxis("left"), "bottom": FittedAxis("bottom")},
            enableMenu=False,
        )
        plot = self.plot = self.widget.getPlotItem()
        theme.style_plot(plot)
        plot.setMenuEnabled(False)
        plot.hideButtons()
        plot.showGrid(x=False, y=True, alpha=0.2)
        self._y_labels = [
            "excess error on new data (MSE − σ²)",
            "excess error (MSE − σ²)",
            "excess error",
        ]
        self._x_labels: list[str] = []
        plot.setLabel("left", self._y_labels[0], **theme.LABEL_STYLE)
        self.lines, self.bands, self._edges = {}, {}, {}
        for kind in KINDS:
            colour = theme.PENALTY_COLOURS[kind]
            lo, hi = pg.PlotDataItem([], []), pg.PlotDataItem([], [])
            band = pg.FillBetweenItem(lo, hi, brush=pg.mkBrush(_alpha(colour, 55)))
            line = pg.PlotDataItem(
                [],
                [],
                pen=pg.mkPen(colour, width=2.5),
                symbol="o",
                symbolSize=5,
                symbolPen=None,
                symbolBrush=colour,
                antialias=True,
            )
            line.setObjectName(kind)
            for item in (band, line):
                plot.addItem(item)
            self.lines[kind], self.bands[kind], self._edges[kind] = line, band, (lo, hi)
        self.crossover = pg.InfiniteLine(
            angle=90,
            pen=pg.mkPen(GUIDE, width=1.5, style=QtCore.Qt.PenStyle.DashLine),
            label="",
            # at the foot of the line: the curves cross well above 0 (y starts at 0)
            labelOpts={"position": 0.06, "color": GUIDE, "fill": (255, 255, 255, 220)},
        )
        plot.addItem(self.crossover)
        vb = plot.getViewBox()
        fit = lambda *_: label_inside(self.crossover, "right")  # noqa: E731
        vb.sigXRangeChanged.connect(fit)
        vb.sigResized.connect(fit)
        vb.sigResized.connect(self._fit_labels)
        self.left_text = _text(theme.PENALTY_COLOURS["l1"], (0, 0))
        self.right_text = _text(theme.PENALTY_COLOURS["l2"], (1, 0))
        for item in (self.left_text, self.right_text):
            plot.addItem(item, ignoreBounds=True)
        self.k_star: float | None = None
        self._regions = False  # the two regions are named (L2 overtakes L1)

    def show(self, res) -> None:
        """Draw a :class:`engine.sweep.SweepResult`."""
        ks = res.ks.astype(float)
        mean, se = res.mean, res.se
        se = np.where(np.isfinite(se), se, 0.0)
        for i, kind in enumerate(KINDS):
            ok = np.isfinite(mean[i])
            self.lines[kind].setData(ks[ok], mean[i][ok])
            lo, hi = self._edges[kind]
            lo.setData(ks[ok], (mean[i] - se[i])[ok])
            hi.setData(ks[ok], (mean[i] + se[i])[ok])
        d = res.generator.d
        self._x_labels = [
            f"true features k (of {d}; whole groups first)",
            f"true features k (of {d})",
            "k",
        ]
        self.plot.setLabel("bottom", self._x_labels[0], **theme.LABEL_STYLE)
        self._fit_labels()
        ys = np.concatenate([(mean + se).ravel(), (mean - se).ravel()])
        ys = ys[np.isfinite(ys)]
        y0 = 0.0
        y1 = float(ys.max()) if ys.size else 1.0
        top = y1 * 1.22  # room above the curves for the two region names
        pad = 0.035 * (ks[-1] - ks[0] or 1.0)  # room for the last tick label
        self.plot.getViewBox().setRange(
            xRange=(ks[0] - pad, ks[-1] + 2 * pad), yRange=(y0, top), padding=0
        )
        k_star = self.k_star = res.crossover
        if k_star is not None:
            self.crossover.setValue(k_star)
            self.crossover.label.setFormat(f"L2 wins from k ≈ {k_star:.0f}")
            self.crossover.show()
            label_inside(self.crossover, "right")
            self._regions = True
            self._fit_regions()
        else:
            self._regions = False
            self.crossover.hide()
            self.left_text.setText(_no_crossing_text(res))
            self.right_text.setText("")
        self.left_text.setPos(ks[0], top)
        self.right_text.setPos(ks[-1], top)

    def _fit_regions(self) -> None:
        """The longest names of the two regions that fit side by side above the
        curves (a narrow cell: 'sparse: L1 wins', then 'L1 wins')."""
        room = 0.9 * self.plot.getViewBox().width()
        for left, right in REGION_NAMES:
            self.left_text.setText(left)
            self.right_text.setText(right)
            used = sum(
                t.textItem.boundingRect().width()
                for t in (self.left_text, self.right_text)
            )
            if used <= room:
                return

    def _fit_labels(self, *_) -> None:
        """The longest axis titles that fit (a small cell, presentation fonts)."""
        if getattr(self, "_regions", False):  # (not yet during __init__)
            self._fit_regions()
        fit_axis_label(self.plot, "left", self._y_labels)
        if self._x_labels:
            fit_axis_label(self.plot, "bottom", self._x_labels)

    def clear(self) -> None:
        for kind in KINDS:
            self.lines[kind].setData([], [])
            for edge in self._edges[kind]:
                edge.setData([], [])
        self.crossover.hide()
        self.left_text.setText("")
        self.right_text.setText("")


def _no_crossing_text(res) -> str:
    diff = res.mean[0] - res.mean[1]
    diff = diff[np.isfinite(diff)]
    if diff.size == 0:
        return ""
    if (diff > 0).all():
        return "L2 wins at every k"
    if diff[-1] <= 0:
        return "L2 never overtakes L1 for good"
    return ""


def _alpha(colour: str, a: int) -> QtGui.QColor:
    c = QtGui.QColor(colour)
    c.setAlpha(a)
    return c


class BiasVarianceAgainstLambda:
    """Bias², variance and error against λ for one penalty."""

    def __init__(self):
        self.widget, self.plot, _ = lambda_plot()
        plot = self.plot
        plot.hideAxis("top")  # no nonzero counts: many fits per strength
        plot.showGrid(x=False, y=True, alpha=0.2)
        self._y_labels = ["squared error on new data", "squared error", "error"]
        self._x_labels: list[str] = []
        plot.setLabel("left", self._y_labels[0], **theme.LABEL_STYLE)

        def line(colour, name, width=2.5, style=QtCore.Qt.PenStyle.SolidLine):
            item = pg.PlotDataItem(
                [], [], pen=pg.mkPen(colour, width=width, style=style), antialias=True
            )
            item.setObjectName(name)
            plot.addItem(item)
            return item

        self.error = line(theme.OBJECTIVE, "error", 3)
        self.bias2 = line(theme.BIAS, "bias2")
        self.variance = line(theme.VARIANCE, "variance")
        self.noise = pg.InfiniteLine(
            angle=0,
            pen=pg.mkPen(theme.ZERO, width=1.5, style=QtCore.Qt.PenStyle.DashLine),
            label="",
            # just above the line, toward the weak end: the error curve is high
            # there and the variance low
            labelOpts={
                "position": 0.25,  # the x axis is inverted: the right side
                "color": GUIDE,
                "anchors": [(0.5, 1), (0.5, 1)],
            },
        )
        self.best = pg.InfiniteLine(
            angle=90,
            pen=pg.mkPen(GUIDE, width=1.5, style=QtCore.Qt.PenStyle.DotLine),
            label="",
            # between the variance (low) and the noise floor: a free band
            labelOpts={"position": 0.3, "color": GUIDE, "fill": (255, 255, 255, 220)},
        )
        for item in (self.noise, self.best):
            plot.addItem(item)
        vb = plot.getViewBox()
        fit = lambda *_: label_inside(self.best, "right")  # noqa: E731
        vb.sigXRangeChanged.connect(fit)
        vb.sigResized.connect(fit)
        vb.sigResized.connect(self._fit_labels)

    def show(self, res) -> None:
        """Draw a :class:`engine.bias_variance.BiasVariance`."""
        ok = np.isfinite(res.bias2) & (res.alphas > 0)
        x = np.log10(res.alphas[ok])
        self.error.setData(x, res.error[ok])
        self.bias2.setData(x, res.bias2[ok])
        self.variance.setData(x, res.variance[ok])
        self.noise.setValue(res.noise2)
        self.noise.label.setFormat(f"noise σ² = {res.noise2:.3g}")
        name = strength_name(res.kind)
        self._x_labels = [f"{name} (log scale, strongest on the left)", name]
        self.plot.setLabel("bottom", self._x_labels[0], **theme.LABEL_STYLE)
        self._fit_labels()
        i = res.index_best
        if i is not None and ok[i]:
            self.best.setValue(np.log10(res.alphas[i]))
            self.best.label.setFormat(f"best {name} = {compact(res.alphas[i])}")
            self.best.show()
            label_inside(self.best, "right")
        else:
            self.best.hide()
        if x.size:
            ys = np.concatenate([res.error[ok], res.bias2[ok], res.variance[ok]])
            pad = 0.03 * (x.max() - x.min() or 1.0)
            self.plot.getViewBox().setRange(
                xRange=(x.min() - pad, x.max() + pad),
                yRange=(0.0, 1.05 * float(ys.max())),
                padding=0,
            )

    def _fit_labels(self, *_) -> None:
        fit_axis_label(self.plot, "left", self._y_labels)
        if self._x_labels:
            fit_axis_label(self.plot, "bottom", self._x_labels)

    def clear(self) -> None:
        for item in (self.error, self.bias2, self.variance):
            item.setData([], [])
        self.best.hide()
