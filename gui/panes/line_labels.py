"""One line per feature, the strongest named at their ends: the trajectories and
path panes' lines.

With up to :data:`ALL_COLOURED` features every line has its own colour and its name
at its right end. With more, only the ``k`` largest ``|w|`` (at the current step,
or at the λ cursor) keep a colour and a name; the rest are thin light grey, so a
colour means "one of the strongest" and no two coloured lines share a colour. A
feature keeps its colour while it stays among the strongest. The names are pushed
apart vertically so they never overlap and stay inside the view; as many as fit.

Hovering a line highlights it (a wide pale band under a thicker copy) and names it
with its value in a read-out at the bottom of the plot.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from gui import theme

__all__ = ["ALL_COLOURED", "LINE_COLOURS", "FeatureLines", "spread_between"]

#: The line colours (one palette for the window: :data:`gui.theme.LINE_COLOURS`).
LINE_COLOURS = theme.LINE_COLOURS
#: Up to this many features every line is coloured and named.
ALL_COLOURED = len(LINE_COLOURS)
#: Grey for the lines that are not among the strongest, on light / dark backgrounds.
GREY_LIGHT, GREY_DARK = "#CCCCCC", "#56585C"
WIDTH, GREY_WIDTH, HOVER_WIDTH = 2.0, 1.0, 3.5
#: The hover read-out names a line within this many pixels of the pointer.
HOVER_PX = 12
#: Pixels between a line's end and its name.
GAP_PX = 6
#: Longest name shown at a line's end (longer ones end in "…").
NAME_CHARS = 22
#: Events after which the window restyles its plots (theme, presentation mode):
#: the colours are chosen again once it has.
RESTYLE_EVENTS = (QtCore.QEvent.Type.PaletteChange, QtCore.QEvent.Type.FontChange)


def spread_between(ys, gap: float, lo: float, hi: float) -> np.ndarray:
    """Positions as near ``ys`` as they can be with at least ``gap`` between
    neighbours, all inside ``[lo, hi]`` when they fit (``hi - lo >= gap·(n-1)``)."""
    ys = np.asarray(ys, dtype=float)
    order = np.argsort(ys, kind="stable")
    p = np.clip(ys[order], lo, hi)
    for k in range(1, p.size):  # push up what overlaps the one below
        p[k] = max(p[k], p[k - 1] + gap)
    if p.size:
        p[-1] = min(p[-1], hi)
    for k in range(p.size - 2, -1, -1):  # then down from the top
        p[k] = min(p[k], p[k + 1] - gap)
    out = np.empty_like(p)
    out[order] = p
    return out


def _short(name: str) -> str:
    return name if len(name) <= NAME_CHARS else name[: NAME_CHARS - 1] + "…"


class FeatureLines(QtCore.QObject):
    """The lines of one plot, their end labels, the hover highlight and read-out.

    The pane calls :meth:`build` with the feature names, :meth:`set_data` with the
    x values and the weights (one column per feature), :meth:`set_strength` with
    what ranks the features, and :meth:`place_labels` after a change of the view.
    ``describe(j, i)`` gives the read-out text of feature ``j`` at point ``i``.
    """

    def __init__(self, plot, plot_widget, describe, k: int = 8, parent=None):
        super().__init__(parent)
        self.plot, self.plot_widget, self.describe = plot, plot_widget, describe
        self.k = k
        self.lines: list[pg.PlotDataItem] = []
        self.names: list[str] = []
        self.labels: dict[int, pg.TextItem] = {}  # feature → its end label
        self._pool: list[pg.TextItem] = []
        self.colour_of: dict[int, str] = {}  # coloured features → their colour
        self.x = np.zeros(0)
        self.Y = np.zeros((0, 0))
        self._strength = np.zeros(0)
        #: (the coloured features strongest first, the grey) as last drawn
        self._ranking: tuple | None = None
        self._widths: list[float] = []  # the pen widths set last, before any factor
        self.halo = pg.PlotDataItem([], [], antialias=True)
        self.halo.setZValue(8)
        self.hover_line = pg.PlotDataItem([], [], antialias=True)
        self.hover_line.setZValue(9)
        self.hovered: int | None = None
        #: Pixels at the top of the view kept free of labels (for other labels)
        self.top_margin = 0.0
        self.readout = QtWidgets.QLabel(plot_widget)
        self.readout.setStyleSheet(
            "background: rgba(255, 255, 255, 215); color: #202020; padding: 1px 4px;"
            " font-size: 9.5pt;"
        )
        self.readout.hide()
        self._label_font = QtGui.QFont()
        self._label_font.setPointSizeF(9.5)
        plot_widget.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if event.type() in RESTYLE_EVENTS and self.lines:
            # after the restyle (it follows the event): grey for this background
            QtCore.QTimer.singleShot(
                0, self, lambda: self.set_strength(self._strength, restyled=True)
            )
        return super().eventFilter(watched, event)

    # -- building ---------------------------------------------------------------------
    def clear(self) -> None:
        for item in (*self.lines, *self._pool, self.halo, self.hover_line):
            if item.scene() is not None:
                self.plot.removeItem(item)
        self.lines, self.labels, self.colour_of, self.names = [], {}, {}, []
        self._pool = []
        self.x, self.Y, self._strength = np.zeros(0), np.zeros((0, 0)), np.zeros(0)
        self._ranking = None
        self.set_hover(None)

    def build(self, names) -> None:
        """One line per feature (after :meth:`clear`)."""
        self.clear()
        self.names = list(names)
        for _ in self.names:
            line = pg.PlotDataItem([], [], pen=pg.mkPen(self.grey, width=GREY_WIDTH))
            self.plot.addItem(line)
            self.lines.append(line)
        self._widths = [GREY_WIDTH] * len(self.lines)
        for _ in range(min(len(self.names), self.k)):
            label = pg.TextItem("", anchor=(0, 0.5))
            label.setFont(self._label_font)
            label.textItem.document().setDocumentMargin(1)  # rows close together
            label.setZValue(12)
            label.hide()
            self.plot.addItem(label)
            self._pool.append(label)
        self.plot.addItem(self.halo)
        self.plot.addItem(self.hover_line)
        self._strength = np.zeros(len(self.names))
        self.set_strength(self._strength)

    @property
    def grey(self) -> str:
        bg = self.plot_widget.backgroundBrush().color()
        return GREY_DARK if bg.lightness() < 128 else GREY_LIGHT

    # -- data and ranking -------------------------------------------------------------
    def set_data(self, x, Y, antialias: bool = True) -> None:
        """The lines' points: ``x`` of shape (n,), ``Y`` of shape (n, features)."""
        self.x, self.Y = np.asarray(x, dtype=float), np.asarray(Y)
        for j, line in enumerate(self.lines):
            line.setData(self.x, self.Y[:, j], antialias=antialias)
        if self.hovered is not None:
            self._draw_hover()

    def coloured(self) -> list[int]:
        """Features drawn in colour, strongest first."""
        return sorted(self.colour_of, key=lambda j: -self._strength[j])

    def set_strength(self, strength, *, restyled: bool = False) -> None:
        """Colour the ``k`` features of largest ``strength`` (all of them when there
        are at most :data:`ALL_COLOURED`), grey the rest, and name the coloured.

        Nothing is redone when the coloured features and their order are those of
        the last call (a move of the λ cursor mostly keeps them); ``restyled``: the
        window's colours or sizes changed, so pens and labels are set again."""
        s = np.nan_to_num(np.abs(np.asarray(strength, dtype=float)))
        self._strength = s
        d = len(self.lines)
        order = np.argsort(-s, kind="stable")[: d if d <= ALL_COLOURED else self.k]
        ranking = (order.tolist(), self.grey)
        if ranking == self._ranking and not restyled:
            return
        self._ranking = ranking
        if d <= ALL_COLOURED:
            top = list(range(d))
            wanted = {j: LINE_COLOURS[j] for j in top}
        else:
            top = [int(j) for j in order]
            kept = {j: c for j, c in self.colour_of.items() if j in top}
            free = [c for c in LINE_COLOURS if c not in kept.values()]
            for j in top:  # a newcomer takes its own colour if free, else the next
                if j not in kept:
                    own = LINE_COLOURS[j % len(LINE_COLOURS)]
                    kept[j] = own if own in free else free[0]
                    free.remove(kept[j])
            wanted = kept
        self.colour_of = wanted
        grey = self.grey.lower()  # QColor.name() is lower case
        for j, line in enumerate(self.lines):
            colour = wanted.get(j, grey).lower()
            width = WIDTH if j in wanted else GREY_WIDTH
            line.setZValue(2 if j in wanted else 0)
            pen = pg.mkPen(line.opts["pen"])
            if pen.color().name() != colour:
                # keep the factor a presentation restyle gave the width
                factor = pen.widthF() / self._widths[j] if self._widths[j] else 1.0
                line.setPen(pg.mkPen(colour, width=width * factor))
                self._widths[j] = width
        # the labels are a fixed pool, given out again: a presentation restyle
        # sized them all alike
        self.labels = {j: lb for j, lb in self.labels.items() if j in wanted}
        free = [lb for lb in self._pool if lb not in self.labels.values()]
        for j, colour in wanted.items():
            label = self.labels.get(j)
            if label is None:
                label = self.labels[j] = free.pop()
                label.setText(_short(self.names[j]))
            if label.color.name() != colour.lower():
                label.setColor(colour)
        for label in free:
            label.hide()
        # the zero line and the change markers pass behind the names, not through
        bg = QtGui.QColor(self.plot_widget.backgroundBrush().color())
        bg.setAlpha(200)
        for label in self.labels.values():
            if label.fill.color() != bg:
                label.fill = pg.mkBrush(bg)
                label.update()
        self.place_labels()

    # -- end labels -------------------------------------------------------------------
    def label_width(self) -> float:
        """Pixels the end labels need right of the lines' ends."""
        if not self.labels:
            return 0.0
        return max(lb.boundingRect().width() for lb in self.labels.values()) + GAP_PX

    def _right_end(self) -> int:
        """Index of the point at the right end of the lines on screen."""
        vb = self.plot.getViewBox()
        a = vb.mapViewToScene(QtCore.QPointF(self.x[0], 0)).x()
        b = vb.mapViewToScene(QtCore.QPointF(self.x[-1], 0)).x()
        return -1 if b >= a else 0

    def place_labels(self) -> None:
        """Names beside the coloured lines' right ends, apart and inside the view;
        the weakest go when not all fit."""
        if not self.labels or self.x.size == 0:
            return
        vb = self.plot.getViewBox()
        box = vb.sceneBoundingRect()
        end = self._right_end()
        order = self.coloured()
        height = max(lb.boundingRect().height() for lb in self.labels.values())
        gap = height + 1.0  # a pixel between neighbours
        room = box.height() - min(self.top_margin, box.height() / 2)
        fit = int((room - height - 2) // gap) + 1 if room > height + 2 else 0
        shown, hidden = order[:fit], order[fit:]
        for j in hidden:
            self.labels[j].hide()
        if not shown:
            return
        scene = [
            vb.mapViewToScene(QtCore.QPointF(self.x[end], float(self.Y[end, j])))
            for j in shown
        ]
        ys = spread_between(
            [p.y() for p in scene],
            gap,
            box.top() + min(self.top_margin, box.height() / 2) + height / 2 + 1,
            box.bottom() - height / 2 - 1,
        )
        for j, p, y in zip(shown, scene, ys, strict=True):
            label = self.labels[j]
            width = label.boundingRect().width()
            x = min(max(p.x() + GAP_PX, box.left()), box.right() - width - 1)
            label.setPos(vb.mapSceneToView(QtCore.QPointF(x, y)))
            label.show()

    def shown_labels(self) -> list[int]:
        return [j for j, lb in self.labels.items() if lb.isVisible()]

    # -- hover --------------------------------------------------------------------------
    def line_at(self, scene_pos) -> tuple[int, int] | None:
        """(feature, point index) of the line within :data:`HOVER_PX` of
        ``scene_pos``, the nearest; None if none."""
        vb = self.plot.getViewBox()
        if self.x.size == 0 or not vb.sceneBoundingRect().contains(scene_pos):
            return None
        p = vb.mapSceneToView(scene_pos)
        i = int(np.argmin(np.abs(self.x - p.x())))
        px = np.abs(self.Y[i].astype(float) - p.y()) / max(
            vb.viewPixelSize()[1], 1e-300
        )
        j = int(np.argmin(px))
        return (j, i) if px[j] <= HOVER_PX else None

    def hover(self, scene_pos) -> int | None:
        """Highlight the line under ``scene_pos`` (None: none there); its feature."""
        at = self.line_at(scene_pos)
        self.set_hover(at)
        return None if at is None else at[0]

    def set_hover(self, at) -> None:
        """Highlight ``at = (feature, point index)`` and show its read-out, or
        nothing (None)."""
        j = None if at is None else at[0]
        if j != self.hovered:
            self.hovered = j
            self._draw_hover()
        if at is None:
            self.readout.hide()
            return
        self.readout.setText(self.describe(*at))
        self.readout.adjustSize()
        bottom = self.plot.getViewBox().sceneBoundingRect().bottom()
        y = self.plot_widget.mapFromScene(QtCore.QPointF(0, bottom)).y()
        self.readout.move(60, y - self.readout.height() - 4)
        self.readout.show()

    def _draw_hover(self) -> None:
        j = self.hovered
        if j is None or j >= len(self.lines) or self.x.size == 0:
            self.halo.setData([], [])
            self.hover_line.setData([], [])
            return
        plain = GREY_LIGHT if self.grey == GREY_DARK else "#303030"
        colour = pg.mkColor(self.colour_of.get(j, plain))
        self.hover_line.setPen(pg.mkPen(colour, width=HOVER_WIDTH))
        colour.setAlpha(80)
        self.halo.setPen(pg.mkPen(colour, width=10))
        y = self.Y[:, j]
        self.halo.setData(self.x, y)
        self.hover_line.setData(self.x, y)
