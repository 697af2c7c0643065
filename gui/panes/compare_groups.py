"""The groups of correlated features in the compare pane: a shaded band behind each
group's bars in every column, and the group's name in a narrow column of its own."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6 import QtCore, QtGui

from engine.compare import group_label

__all__ = ["GROUP_COLUMN_PX", "GroupColumn"]

#: Width of the column naming the groups.
GROUP_COLUMN_PX = 76
#: Grey that shows on a white and on a dark background, two shades in turn.
SHADES = ((128, 128, 128, 40), (128, 128, 128, 60))


class GroupColumn:
    """The column naming the groups (made once, in ``graphics`` at ``column``,
    its rows linked to ``rows_of``), and the bands it draws in the bar columns."""

    def __init__(self, graphics, column: int, rows_of: pg.PlotItem):
        self.plot = plot = graphics.addPlot(row=0, col=column)
        plot.setMenuEnabled(False)
        plot.hideButtons()
        plot.setMouseEnabled(x=False, y=False)
        plot.invertY(True)
        plot.hideAxis("left")
        axis = plot.getAxis("bottom")  # kept (blank) so that the rows line up
        axis.setStyle(showValues=False, tickLength=0)
        axis.setTicks([[], []])
        axis.setOpacity(0.0)
        plot.setYLink(rows_of)
        plot.setXRange(0, 1, padding=0)
        plot.setMaximumWidth(GROUP_COLUMN_PX)
        plot.setMinimumWidth(GROUP_COLUMN_PX)
        #: (plot, item) of everything drawn for the groups now.
        self.items: list = []

    def labels(self) -> list[str]:
        """The group names written (elided parts joined), for tests."""
        return [
            item.toPlainText()
            for plot, item in self.items
            if isinstance(item, pg.TextItem)
        ]

    def draw(self, columns, groups, order, names, fg: str) -> None:
        """Bands behind each group's rows in every plot of ``columns`` and the
        group's name beside them, for the features drawn in ``order``; text in the
        theme's colour ``fg``. A group with fewer than two members drawn is left
        out."""
        for plot, item in self.items:
            plot.removeItem(item)
        self.items = []
        self.plot.setTitle(f"<span style='color:{fg}'>groups</span>", size="10pt")
        pos = {int(j): i for i, j in enumerate(order)}
        font = QtGui.QFont()
        font.setPointSizeF(8.5)
        fm = QtGui.QFontMetricsF(font)
        room = GROUP_COLUMN_PX - 8
        for g, members in enumerate(groups):
            at = sorted(pos[int(j)] for j in members if int(j) in pos)
            if len(at) < 2:
                continue
            for plot in columns:
                band = pg.LinearRegionItem(
                    values=(at[0] - 0.48, at[-1] + 0.48),
                    orientation="horizontal",
                    movable=False,
                    brush=pg.mkBrush(*SHADES[g % 2]),
                    pen=pg.mkPen(128, 128, 128, 140, width=1),
                )
                band.setZValue(-10)
                plot.addItem(band)
                self.items.append((plot, band))
            text = group_label(names, members)
            parts = [text]
            if fm.horizontalAdvance(text) > room:  # "a & b" on two lines
                parts = text.replace(" & ", "\n& ").split("\n")
            short = "\n".join(
                fm.elidedText(p, QtCore.Qt.TextElideMode.ElideRight, room)
                for p in parts
            )
            label = pg.TextItem(short, color=fg, anchor=(0, 0.5))
            label.setFont(font)
            label.setToolTip(text)
            label.setPos(0.02, 0.5 * (at[0] + at[-1]))
            bracket = pg.PlotDataItem(
                [0.0, 0.0], [at[0] - 0.4, at[-1] + 0.4], pen=pg.mkPen(fg, width=2)
            )
            for item in (label, bracket):
                self.plot.addItem(item)
                self.items.append((self.plot, item))
