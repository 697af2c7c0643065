"""Where the run's settings changed: thin dashed vertical lines at those steps, with
a short label ("λ → 0.12", "L1 → L2", "η → 0.5", "rule → subgradient").

The source is the trainer's own record of changes, ``Trainer.events``: ``(step,
kind, value)`` from its ``start_settings`` on, the list a session file saves and
replays. Changes at one step are one marker; markers closer on screen than
:data:`MERGE_PX` are one marker too, labelled with the net change (a dragged λ
slider makes one "λ → 0.5", not fifty). Labels stack in up to :data:`ROWS` rows
at the top of the plot and never overlap; one that finds no room is left out, and
its line still names the change in its tooltip.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui

from engine.penalties import KIND_NAMES
from gui.panes.lambda_axes import compact
from gui.panes.line_labels import RESTYLE_EVENTS

__all__ = ["ChangeMarkers", "change_text", "changes"]

RULE_NAMES = {"proximal": "proximal", "subgradient": "subgradient"}
#: Markers closer than this many pixels are one.
MERGE_PX = 6
#: Rows of labels at the top of the plot.
ROWS = 3
#: Most of a plot's height the rows of labels take.
SHARE = 0.35
#: Pixels between neighbouring labels, and between a label and its line.
PAD_PX = 4
#: Label size in points at the normal font size (it grows with presentation mode).
LABEL_PT = 9.0


def changes(start: dict, events) -> list[tuple[int, dict, dict]]:
    """``(step, before, after)`` for every step where the settings changed, in order;
    ``before``/``after`` have the keys of ``start`` ('penalty', 'lr', 'rule',
    'batch') and 'solved' (True when the weights jumped to a solution there)."""
    state = {**start, "solved": False}
    out: list[tuple[int, dict, dict]] = []
    for step, kind, value in events:
        if not out or out[-1][0] != step:
            before = {**state, "solved": False}
            out.append((step, before, before))
        after = dict(out[-1][2])
        if kind == "state":
            after["solved"] = True
        else:
            after[kind] = value
        out[-1] = (step, out[-1][1], after)
        state = after
    return out


def change_text(before: dict, after: dict) -> str:
    """A short label of what changed from ``before`` to ``after`` ('' if nothing)."""
    parts = []
    p0, p1 = before["penalty"], after["penalty"]
    if p0.kind != p1.kind:
        parts.append(f"{KIND_NAMES[p0.kind]} → {KIND_NAMES[p1.kind]}")
    elif p1.kind != "elasticnet":  # one strength (and SCAD's and MCP's γ)
        lam0, lam1 = (p0.lam2, p1.lam2) if p1.kind == "l2" else (p0.lam1, p1.lam1)
        if lam0 != lam1:
            parts.append(f"λ → {compact(lam1)}")
        if p0.gamma != p1.gamma:
            parts.append(f"γ → {compact(p1.gamma)}")
    elif p1.kind == "elasticnet":
        if p0.lam1 != p1.lam1:
            parts.append(f"λ₁ → {compact(p1.lam1)}")
        if p0.lam2 != p1.lam2:
            parts.append(f"λ₂ → {compact(p1.lam2)}")
    if before["lr"] != after["lr"]:
        lr = after["lr"]
        parts.append("η → auto" if lr == "auto" else f"η → {compact(lr)}")
    if before["rule"] != after["rule"]:
        parts.append(f"rule → {RULE_NAMES.get(after['rule'], after['rule'])}")
    if before["batch"] != after["batch"]:
        parts.append(f"batch → {after['batch']}")
    if after["solved"]:
        parts.append("solved")
    return ", ".join(parts)


class ChangeMarkers(QtCore.QObject):
    """The change markers of one plot against steps. :meth:`update` with the
    trainer after every step or edit; :meth:`place` after a change of the view.
    ``labelled``: False draws the lines only (a plot under a labelled one)."""

    def __init__(self, plot, labelled: bool = True, parent=None):
        super().__init__(parent)
        self.plot, self.labelled = plot, labelled
        self.lines: list[pg.InfiniteLine] = []
        self.labels: list[pg.TextItem] = []
        self._marks: list[tuple[int, dict, dict]] = []
        self._events = None
        self._count = -1
        self._rows_used, self._row_px = 0, 0.0
        #: (step, label) of each marker drawn, labelled or not
        self.marked: list[tuple[int, str]] = []
        plot.getViewBox().sigRangeChanged.connect(lambda *_: self.place())
        plot.getViewBox().sigResized.connect(lambda *_: self.place())
        for view in plot.scene().views() if plot.scene() is not None else ():
            view.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if event.type() in RESTYLE_EVENTS:  # colours for the new background
            QtCore.QTimer.singleShot(0, self, self.place)
        return super().eventFilter(watched, event)

    def update(self, trainer) -> None:
        """Follow ``trainer.events`` (cheap when nothing changed since)."""
        events = None if trainer is None else trainer.events
        n = -1 if events is None else len(events)
        if events is self._events and n == self._count:
            return  # a change of the view places them again by itself
        self._events, self._count = events, n
        self._marks = [] if events is None else changes(trainer.start_settings, events)
        self.place()

    @property
    def _dark(self) -> bool:
        view = self.plot.getViewBox().scene().views()
        return bool(view) and view[0].backgroundBrush().color().lightness() < 128

    def _groups(self, px: float) -> list[tuple[int, str]]:
        """(step, label) of each marker after merging those closer than
        :data:`MERGE_PX` (``px``: steps per pixel)."""
        out: list[tuple[int, str]] = []
        first = last = before = after = None
        for step, b, a in [*self._marks, (None, None, None)]:
            if step is not None and first is not None and (step - last) / px < MERGE_PX:
                last, after = step, a
                continue
            if first is not None:
                text = change_text(before, after)
                if text:
                    out.append((first, text))
            first = last = step
            before, after = b, a
        return out

    def _item(self, k: int) -> tuple[pg.InfiniteLine, pg.TextItem]:
        while len(self.lines) <= k:
            line = pg.InfiniteLine(angle=90, movable=False)
            line.setZValue(1)  # over a heat map and the grey lines, under coloured ones
            self.plot.addItem(line, ignoreBounds=True)
            label = pg.TextItem("", anchor=(0, 0))
            label.textItem.document().setDocumentMargin(1)
            label.setZValue(15)
            label.hide()
            self.plot.addItem(label, ignoreBounds=True)
            self.lines.append(line)
            self.labels.append(label)
        return self.lines[k], self.labels[k]

    def place(self) -> None:
        """Draw the markers in the view now, labels in rows without overlap."""
        if self.plot.getViewBox().scene() is None:
            return
        vb = self.plot.getViewBox()
        box = vb.sceneBoundingRect()
        (x0, x1), _ = vb.viewRange()
        if box.width() <= 0 or x1 <= x0:
            return
        px = (x1 - x0) / box.width()  # steps per pixel (the step axis is not inverted)
        groups = self._groups(px) if self._marks else []
        font = QtGui.QFont()
        scale = max(1.0, vb.scene().views()[0].font().pointSizeF() / 10.0)
        font.setPointSizeF(LABEL_PT * scale)
        colour = "#d0d0d0" if self._dark else "#303030"  # as QColor.name() says
        fill = pg.mkBrush("#1E1F22C8" if self._dark else "#FFFFFFC8")
        dash = "#a0a0a0" if self._dark else "#505050"
        metrics = QtGui.QFontMetricsF(font)
        row_px = metrics.height() + 4
        # a short plot gets fewer rows: the labels keep most of it free for the data
        n_rows = max(1, min(ROWS, int(SHARE * box.height() // row_px)))
        rows: list[float] = [-np.inf] * n_rows  # right end of a row's last label
        self.marked = groups
        used = 0
        for k, (step, text) in enumerate(groups):
            line, label = self._item(k)
            if line.value() != step:
                line.setValue(step)
            if line.pen.color().name() != dash:
                line.setPen(pg.mkPen(dash, width=1, style=QtCore.Qt.PenStyle.DashLine))
            tip = f"step {step:,}: {text}"
            if line.toolTip() != tip:
                line.setToolTip(tip)
            line.show()
            if not self.labelled:
                continue
            x = box.left() + (step - x0) / px
            width = metrics.horizontalAdvance(text) + 2  # the text's 1-pixel margins
            left = (
                x + PAD_PX if x + PAD_PX + width <= box.right() else x - PAD_PX - width
            )
            row = next((r for r in range(n_rows) if left > rows[r] + PAD_PX), None)
            if row is None or left < box.left() or left + width > box.right():
                label.hide()
                continue
            rows[row] = left + width
            used = max(used, row + 1)
            if label.textItem.font() != font:
                label.setFont(font)
            if label.textItem.toPlainText() != text or label.color.name() != colour:
                label.setText(text, color=colour)
                label.fill = fill
            y = box.top() + 2 + row * row_px
            pos = vb.mapSceneToView(QtCore.QPointF(left, y))
            if label.pos() != pos:
                label.setPos(pos)
            label.show()
        self._rows_used = used
        self._row_px = row_px
        for line, label in zip(
            self.lines[len(groups) :], self.labels[len(groups) :], strict=True
        ):
            line.hide()
            label.hide()

    def headroom_px(self) -> float:
        """Pixels the label rows take at the top of the plot (0: no labels): a pane
        that sets its own y range leaves this much room above the data."""
        return self._rows_used * self._row_px + 4 if self._rows_used else 0.0

    def shown_labels(self) -> list[pg.TextItem]:
        return [lb for lb in self.labels if lb.isVisible()]
