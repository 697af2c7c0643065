"""What the path and cross-validation panes share: the λ axis, the nonzero-count axis
on top, and the one λ cursor.

Both panes plot against ``x = log10(α)`` in plain view coordinates (so lines, images,
error bars and the cursor all use the same numbers; pyqtgraph's log mode transforms
curves only) with the x axis inverted: the largest α on the left, as glmnet draws it.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore

from gui import theme
from gui.log_ticks import fitting_ticks
from gui.throttle import Throttle

__all__ = [
    "CountAxis",
    "LambdaCursor",
    "StrengthAxis",
    "compact",
    "label_inside",
    "strength_name",
]

#: A dragged cursor edits λ at most this often (seconds): the frame rate.
DRAG_INTERVAL = 1 / 60


def strength_name(kind: str) -> str:
    """The strength a path runs over: λ for L1 and L2, α = λ₁ + λ₂ for Elastic Net
    (the names the λ controls use)."""
    return "α" if kind == "elasticnet" else "λ"


def compact(v: float) -> str:
    """A strength as a slide shows it, to 3 significant digits and without an
    exponent from 0.001 to 99,999: 0.00448, 0.05, 79.5, 1130; else 3.2e-5."""
    v = float(v)
    if v == 0 or not math.isfinite(v):
        return f"{v:g}"
    e = math.floor(math.log10(abs(v)))
    if -3 <= e < 5:
        text = f"{round(v, 2 - e):.{max(0, 2 - e)}f}"
        return text.rstrip("0").rstrip(".") if "." in text else text
    return f"{v / 10.0**e:.3g}e{e}"


def label_inside(line: pg.InfiniteLine, prefer: str = "right") -> None:
    """Put a vertical line's label on the ``prefer``red side of the line on screen
    ('left' or 'right'), or on the other side if it is cut off less there at the
    edge of the plot. Measured on screen: an inverted x axis needs no special case."""
    vb = line.getViewBox()
    label = getattr(line, "label", None)
    if vb is None or label is None or not line.isVisible():
        return
    vb.updateMatrix()  # the view's transform is brought up to date lazily, at paint
    box = vb.sceneBoundingRect()
    x = line.mapToScene(QtCore.QPointF(0, 0)).x()

    def place(anchor) -> tuple[float, bool]:
        """(overflow in pixels, whether the label is on the preferred side)"""
        label.anchors = [anchor, anchor]
        label.updatePosition()
        r = label.sceneBoundingRect()
        cut = max(box.left() - r.left(), 0.0) + max(r.right() - box.right(), 0.0)
        return cut, (r.center().x() > x) == (prefer == "right")

    a, b = (0, 0.5), (1, 0.5)
    cut_a, good_a = place(a)
    cut_b, good_b = place(b)
    if (cut_a, not good_a) < (cut_b, not good_b):
        place(a)


class StrengthAxis(pg.AxisItem):
    """An axis in ``log10`` units labelled with the strengths themselves: ticks at
    powers of ten, and at 2× and 5× when less than three decades are shown, as many
    as fit without overlapping (:func:`gui.log_ticks.fitting_ticks`). With
    ``log = False`` a plain axis (the path pane's other x axes)."""

    log = True

    def set_log(self, on: bool) -> None:
        if on != self.log:
            self.log = on
            self.picture = None
            self.update()

    def tickValues(self, minVal, maxVal, size):
        if not self.log:
            return super().tickValues(minVal, maxVal, size)
        lo, hi = sorted((minVal, maxVal))
        if not (np.isfinite(lo) and np.isfinite(hi)) or hi - lo <= 0:
            return []
        if hi - lo < 0.6:  # less than a factor 4: let pyqtgraph place them
            return super().tickValues(minVal, maxVal, size)
        # as many labels as fit: a small pane or presentation fonts get fewer
        values = fitting_ticks(
            lo,
            hi,
            size,
            self.style.get("tickFont") or self.font(),
            self.orientation in ("left", "right"),
            lambda v: compact(10.0**v),
            fine=hi - lo < 3,
        )
        return [(1.0, values)]

    def tickStrings(self, values, scale, spacing):
        if not self.log:
            return super().tickStrings(values, scale, spacing)
        return [compact(10.0**v) for v in values]


class CountAxis(pg.AxisItem):
    """The top axis: how many weights are nonzero at each tick (glmnet's ``df``).

    ``set_counts(x, counts)`` gives the count at each grid point ``x``; a tick shows the
    count of the grid point nearest to it. About one tick per 70 pixels, evenly
    spread over the computed points.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._x = np.zeros(0)
        self._counts = np.zeros(0, dtype=int)

    def set_counts(self, x, counts) -> None:
        self._x = np.asarray(x, dtype=float)
        self._counts = np.asarray(counts, dtype=int)
        self.picture = None
        self.update()

    def tickValues(self, minVal, maxVal, size):
        if self._x.size == 0:
            return []
        lo, hi = sorted((minVal, maxVal))
        inside = self._x[(self._x >= lo) & (self._x <= hi)]
        if inside.size == 0:
            return []
        n = int(max(2, min(12, size // 70)))
        # evenly spread on screen over the computed points (glmnet's df at its ticks)
        return [(1.0, list(np.linspace(inside.min(), inside.max(), n)))]

    def tickStrings(self, values, scale, spacing):
        out = []
        for v in values:
            if self._x.size == 0:
                out.append("")
                continue
            i = int(np.argmin(np.abs(self._x - v)))
            out.append(str(int(self._counts[i])))
        return out


class LambdaCursor(QtCore.QObject):
    """The λ cursor on a plot: a vertical line at the settings' strength.

    Dragging it moves the run along its path through :meth:`PathModel.move_cursor`,
    at most once per frame, from grid point to grid point (stored solutions: no
    solve holds up a frame); the release puts λ exactly where the pointer let go;
    :meth:`sync` puts it where the settings are. ``to_x`` maps a strength to the
    plot's x (None: not drawable), ``from_x`` maps back.
    """

    def __init__(self, plot, model, to_x, from_x, parent=None):
        super().__init__(parent)
        self.model = model
        self.to_x, self.from_x = to_x, from_x
        pen = pg.mkPen(theme.CURSOR, width=2, style=QtCore.Qt.PenStyle.DashLine)
        self.line = pg.InfiniteLine(
            angle=90,
            movable=True,
            pen=pen,
            hoverPen=pg.mkPen(theme.CURSOR, width=4),
            label="",
            labelOpts={"position": 0.95, "color": theme.CURSOR},
        )
        self.line.setZValue(20)
        self.line.setToolTip("Drag to change λ; every pane follows")
        plot.addItem(self.line)
        self._pending: float | None = None
        self._syncing = False
        self._throttle = Throttle(self._apply, DRAG_INTERVAL, self)
        self.line.sigPositionChanged.connect(self._on_drag)
        self.line.sigPositionChanged.connect(lambda *_: label_inside(self.line))
        plot.getViewBox().sigXRangeChanged.connect(lambda *_: label_inside(self.line))
        plot.getViewBox().sigResized.connect(lambda *_: label_inside(self.line))
        self.line.sigPositionChangeFinished.connect(self._on_release)

    @property
    def dragging(self) -> bool:
        return bool(self.line.moving)

    def sync(self, kind: str | None, alpha: float | None) -> None:
        """Show the cursor at ``alpha`` (hidden when None or not drawable)."""
        x = None if alpha is None else self.to_x(alpha)
        if x is None or not np.isfinite(x):
            self.line.hide()
            return
        self.line.show()
        self.line.label.setFormat(f" {strength_name(kind)} = {compact(alpha)}")
        if self.dragging:
            return  # the line is where the pointer put it
        self._syncing = True
        try:
            self.line.setValue(x)
        finally:
            self._syncing = False

    def set_bounds(self, lo: float | None, hi: float | None) -> None:
        """Keep a dragged cursor inside ``[lo, hi]`` (plot x)."""
        self._syncing = True
        try:
            self.line.setBounds((lo, hi))
        finally:
            self._syncing = False

    def _on_drag(self) -> None:
        # only the pointer edits λ: a line moved by the program (its bounds, a
        # sync) never does
        if self._syncing or not self.line.moving:
            return
        self._pending = self.from_x(float(self.line.value()))
        self._throttle.request()

    def _on_release(self) -> None:
        # exactly where the pointer let go (while dragging, λ moved along the grid)
        self._pending = self.from_x(float(self.line.value()))
        self._throttle.request(now=True)

    def _apply(self) -> None:
        alpha, self._pending = self._pending, None
        if alpha is not None and np.isfinite(alpha) and alpha >= 0:
            self.model.move_cursor(alpha, snap=self.dragging)


def lambda_plot() -> tuple[pg.PlotWidget, pg.PlotItem, CountAxis]:
    """A plot against λ as glmnet draws it: log λ on the bottom, strongest on the
    left, the number of nonzero weights along the top; ``(widget, plot, top axis)``."""
    count_axis = CountAxis("top")
    widget = pg.PlotWidget(
        axisItems={"bottom": StrengthAxis("bottom"), "top": count_axis},
        enableMenu=False,  # no context menu: none is built (start-up)
    )
    plot = widget.getPlotItem()
    theme.style_plot(plot)
    plot.setMenuEnabled(False)
    plot.hideButtons()
    plot.showAxis("top")
    plot.setLabel("top", "nonzero weights", **theme.LABEL_STYLE)
    plot.invertX(True)
    return widget, plot, count_axis
