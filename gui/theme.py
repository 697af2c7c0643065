"""Colours, fonts and pyqtgraph defaults shared by every pane.

Colours come from the Okabe–Ito palette, which stays distinguishable for the common
forms of colour blindness: blue for positive weights, vermillion for negative ones,
grey for weights that are exactly zero, black for the true coefficients.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtGui, QtWidgets

from gui.log_ticks import fitting_ticks

POSITIVE = "#0072B2"  # blue
NEGATIVE = "#D55E00"  # vermillion
ZERO = "#8C8C8C"  # grey: exactly 0.0
TRUTH = "#000000"
TRAIN = "#0072B2"
VALIDATION = "#E69F00"  # orange
PENALTY = "#CC79A7"  # reddish purple
OBJECTIVE = "#000000"
ZERO_COUNT = "#009E73"  # bluish green
CURSOR = "#000000"  # the λ cursor of the path and CV panes (light on dark)
CV_MEAN = "#D55E00"  # held-out error (glmnet draws it red)
CV_TRAIN = "#0072B2"
#: The penalties wherever they are compared side by side (column titles, lines):
#: colours apart from the weights' signs (blue > 0, vermillion < 0).
PENALTY_COLOURS = {"l1": "#009E73", "l2": "#E69F00", "elasticnet": "#882255"}
BIAS = "#56B4E9"  # sky blue: bias² of the bias–variance view
VARIANCE = "#CC79A7"  # reddish purple: its variance
WARNING_BG = "#FFF4E5"
WARNING_BORDER = "#D55E00"

#: Distinct line colours, one per feature (trajectories, the path): Okabe–Ito
#: without black and yellow, which vanish on a dark or a white slide, plus purple
#: and brown.
LINE_COLOURS = (
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#E69F00",
    "#56B4E9",
    "#7F3C8D",
    "#A6761D",
)

AXIS_FONT_PT = 10
#: The style of axis labels (``plot.setLabel(..., **LABEL_STYLE)``) in the current
#: theme and presentation mode: :class:`gui.actions.appearance.Appearance` keeps it up
#: to date (:func:`set_label_style`), so a label a pane sets later (a new x axis, a
#: refresh before an export) matches the others instead of reverting to dark 11 pt.
LABEL_STYLE = {"font-size": "11pt", "color": "#202020"}


def set_label_style(color: str = "#202020", size_pt: float = 11) -> None:
    """Axis labels set from now on: ``color`` at ``size_pt`` points."""
    LABEL_STYLE.update({"font-size": f"{size_pt:g}pt", "color": color})


def configure_pyqtgraph() -> None:
    """White background, black foreground, no global antialiasing (bars stay crisp
    and fast; curves turn it on for themselves); axis labels dark at 11 pt."""
    pg.setConfigOptions(
        background="w", foreground="k", antialias=False, imageAxisOrder="row-major"
    )
    set_label_style()


def style_plot(plot: pg.PlotItem) -> None:
    """Readable axes for slides: larger tick font, dark text."""
    font = QtGui.QFont()
    font.setPointSize(AXIS_FONT_PT)
    for name in ("left", "bottom", "right", "top"):
        axis = plot.getAxis(name)
        # major ticks only: cleaner on slides, and pyqtgraph's grid lines for the minor
        # levels cost over 10 ms per repaint
        axis.setStyle(maxTickLevel=0)
        axis.enableAutoSIPrefix(False)  # plain numbers; and no label rebuild per frame
        axis.setTickFont(font)
        axis.setTextPen("#202020")
        axis.setPen("#606060")


def cache_axes(plot: pg.PlotItem, on: bool) -> None:
    """Keep each axis of ``plot`` (its tick labels, and its grid lines, which span
    the whole plot) as a pixmap while ``on``. A grid makes every change of the data
    repaint the axis, tick text included: 2–4 ms per frame of the weights pane. Only
    while playing: a pixmap of the axes would end up in an SVG figure."""
    mode = (
        QtWidgets.QGraphicsItem.CacheMode.DeviceCoordinateCache
        if on
        else QtWidgets.QGraphicsItem.CacheMode.NoCache
    )
    for name in ("left", "bottom", "right", "top"):
        plot.getAxis(name).setCacheMode(mode)


def diverging_lut(n: int = 255) -> np.ndarray:
    """RGBA lookup table: index 0 is exact zero (grey), 1..n run from vermillion
    (negative) through white to blue (positive)."""
    neg = np.array(QtGui.QColor(NEGATIVE).getRgb()[:3], dtype=float)
    pos = np.array(QtGui.QColor(POSITIVE).getRgb()[:3], dtype=float)
    white = np.array([255.0, 255.0, 255.0])
    t = np.linspace(-1, 1, n)[:, None]
    rgb = np.where(t < 0, white + (neg - white) * (-t), white + (pos - white) * t)
    lut = np.empty((n + 1, 4), dtype=np.ubyte)
    lut[0] = (*QtGui.QColor(ZERO).getRgb()[:3], 255)
    lut[1:, :3] = np.round(rgb).astype(np.ubyte)
    lut[1:, 3] = 255
    return lut


def _short_power(v: float) -> str:
    """The label of 10**v on a log axis: 1e9, 2e-3, 5e0."""
    return f"{10**v:.0e}".replace("e+0", "e").replace("e-0", "e-").replace("e+", "e")


class LogAxis(pg.AxisItem):
    """A log-scale axis that labels powers of ten only (1e9, 1e10), as many as fit
    without overlapping (every second or fifth decade on a short axis), unless the
    range spans less than a decade, where every tick gets a compact label (2e9, 5e9)."""

    def tickValues(self, minVal, maxVal, size):
        lo, hi = sorted((minVal, maxVal))
        if not self.logMode or not np.isfinite([lo, hi]).all():
            return super().tickValues(minVal, maxVal, size)
        font = self.style.get("tickFont") or self.font()
        vertical = self.orientation in ("left", "right")
        if hi - lo < 1.2:  # within about a decade: 1, 2, 5 × 10^k, as many as fit
            values = fitting_ticks(
                lo, hi, size, font, vertical, lambda v: _short_power(v), fine=True
            )
            if values:
                return [(1.0, values)]
            # no 1, 2 or 5 inside: the ends' mantissas, at most two labels
            return [(1.0, [v for v in (lo, hi) if np.isfinite(v)][:2])]
        values = fitting_ticks(lo, hi, size, font, vertical, lambda v: _short_power(v))
        return [(1.0, values)]

    def tickStrings(self, values, scale, spacing):
        if not self.logMode:
            return super().tickStrings(values, scale, spacing)
        lo, hi = self.range
        few = (hi - lo) < 1.2
        out = []
        for v in values:
            out.append(_short_power(v) if few or abs(v - round(v)) < 1e-6 else "")
        return out
