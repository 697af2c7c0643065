"""Light and dark themes, and the presentation mode for lecture rooms.

Presentation mode (F5) makes fonts and lines larger, hides the controls and shows a
caption line with the current settings; it applies to exports too. The palette is the
Okabe–Ito one in both themes (distinguishable with the common colour blindnesses).
Exports use a white background by default, whatever the theme on screen.

Plots are restyled generically, like a style sheet, so a pane need not know the theme:
every text item and legend in every plot grows with the presentation fonts; text,
legend labels and lines drawn in black (no colour meaning of their own: "the
foreground") are drawn in the theme's foreground, except text on its own box (a
label with a fill keeps the colour chosen for that box). The window restyles when a
dataset is loaded, since panes then rebuild their legends.
"""

from __future__ import annotations

import math
import re

import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from gui import theme

__all__ = ["Appearance"]

_FONT_PT = re.compile(r"font-size:\s*([\d.]+)pt")
#: QFont::SizeResolved (PySide6 does not expose QFont::ResolveProperties): a font
#: whose ``resolveMask()`` has this bit was given a size of its own.
_SIZE_RESOLVED = 0x0002

LIGHT = {"background": "#FFFFFF", "foreground": "#202020", "axis": "#606060"}
DARK = {"background": "#1E1F22", "foreground": "#E6E6E6", "axis": "#A0A0A0"}


def _dark_palette() -> QtGui.QPalette:
    p = QtGui.QPalette()
    C = QtGui.QColor
    R = QtGui.QPalette.ColorRole
    for role, colour in (
        (R.Window, "#2B2D30"),
        (R.WindowText, "#E6E6E6"),
        (R.Base, "#1E1F22"),
        (R.AlternateBase, "#2B2D30"),
        (R.Text, "#E6E6E6"),
        (R.Button, "#3C3F41"),
        (R.ButtonText, "#E6E6E6"),
        (R.Highlight, "#2F65CA"),
        (R.HighlightedText, "#FFFFFF"),
        (R.ToolTipBase, "#3C3F41"),
        (R.ToolTipText, "#E6E6E6"),
        (R.PlaceholderText, "#909090"),
    ):
        p.setColor(role, C(colour))
    p.setColor(QtGui.QPalette.ColorGroup.Disabled, R.Text, C("#808080"))
    p.setColor(QtGui.QPalette.ColorGroup.Disabled, R.ButtonText, C("#808080"))
    return p


class Appearance:
    """Applies theme and presentation settings to every plot of a window."""

    BASE_PT = 10
    PRESENT_PT = 15
    PRESENT_LINE = 1.8

    def __init__(self, window):
        self.window = window
        self.dark = False
        self.presenting = False
        app = QtWidgets.QApplication.instance()
        self._light_palette = app.palette()
        self._base_font = app.font()
        window.session.datasetLoaded.connect(self.restyle)  # new legends, new lines
        theme.set_label_style(LIGHT["foreground"], 11)

    @property
    def colours(self) -> dict:
        return DARK if self.dark else LIGHT

    def set_dark(self, dark: bool) -> None:
        self.dark = bool(dark)
        app = QtWidgets.QApplication.instance()
        app.setPalette(_dark_palette() if self.dark else self._light_palette)
        self._repolish()
        self.restyle()

    def _repolish(self) -> None:
        """Widgets with a style sheet of their own (titles, counters, legends) keep the
        palette they were polished with: polish them anew, so their text takes the
        new theme's colour like every other label."""
        for w in self.window.findChildren(QtWidgets.QWidget):
            if w.styleSheet():
                w.style().unpolish(w)
                w.style().polish(w)
                w.update()

    def set_presenting(self, on: bool) -> None:
        self.presenting = bool(on)
        app = QtWidgets.QApplication.instance()
        font = QtGui.QFont(self._base_font)
        font.setPointSize(self.PRESENT_PT if on else self.BASE_PT)
        app.setFont(font)
        for w in self.window.findChildren(QtWidgets.QWidget):
            w.setFont(font)
        self.restyle()

    def _scale_label_fonts(self) -> None:
        """Labels that set their own size (titles, counters, legends) grow with the
        rest in presentation mode: their style's ``font-size: Npt`` is scaled."""
        factor = self.factor
        skip = getattr(self.window, "caption", None)  # sized by the window itself
        for w in self.window.findChildren(QtWidgets.QWidget):
            if w is skip:
                continue
            base = getattr(w, "_l1l2_style", None)
            if base is None:
                base = w.styleSheet()
                if "font-size" not in base:
                    continue
                w._l1l2_style = base
            scaled = _FONT_PT.sub(
                lambda m: f"font-size: {float(m.group(1)) * factor:g}pt", base
            )
            if scaled != w.styleSheet():
                w.setStyleSheet(scaled)

    # -- plots ----------------------------------------------------------------------
    def plots(self):
        """Every pyqtgraph PlotItem in the window."""
        for view in self.window.findChildren(pg.GraphicsView):
            for item in view.scene().items():
                if isinstance(item, pg.PlotItem):
                    yield view, item

    @property
    def factor(self) -> float:
        """Presentation font size over the normal one (1 when not presenting)."""
        return self.PRESENT_PT / self.BASE_PT if self.presenting else 1.0

    def restyle(self) -> None:
        c = self.colours
        tick_pt = 14 if self.presenting else 10
        label_pt = 15 if self.presenting else 11
        line = self.PRESENT_LINE if self.presenting else 1.0
        tick_font = QtGui.QFont()
        tick_font.setPointSize(tick_pt)
        theme.set_label_style(c["foreground"], label_pt)  # for labels set later
        for view in self.window.findChildren(pg.GraphicsView):
            view.setBackground(c["background"])
            for item in view.scene().items():  # children too (a target's label)
                if isinstance(item, pg.TextItem):  # labels inside plots
                    self._scale_text(item)
                elif isinstance(item, pg.LegendItem):
                    self._style_legend(item)
        for _view, plot in self.plots():
            for name in ("left", "bottom", "right", "top"):
                axis = plot.getAxis(name)
                axis.setTickFont(tick_font)
                axis.setTextPen(c["foreground"])
                axis.setPen(c["axis"])
                if axis.labelText:
                    axis.setLabel(
                        axis.labelText, units=axis.labelUnits, **theme.LABEL_STYLE
                    )
            for item in plot.items:
                self._scale_pen(item, line)
        self._scale_label_fonts()
        self.window.on_appearance_change()

    def _style_legend(self, legend: pg.LegendItem) -> None:
        """Label text in the foreground colour, at the presentation size, on a box of
        the background colour; the samples draw their lines' pens (restyled with the
        lines)."""
        c = self.colours
        base = getattr(legend, "_l1l2_pt", None)
        if base is None:
            size = _FONT_PT.search(f"font-size: {legend.labelTextSize() or ''}")
            base = legend._l1l2_pt = float(size.group(1)) if size else 9.0
        legend.setLabelTextSize(f"{base * self.factor:g}pt")
        legend.setLabelTextColor(c["foreground"])
        legend.setBrush(pg.mkBrush(c["background"] + "D0"))
        for _sample, label in legend.items:  # the setters above only store options
            label.setText(label.text)
        legend.updateSize()
        self._fit_legend(legend)

    @staticmethod
    def _fit_legend(legend: pg.LegendItem) -> None:
        """As many columns as the legend needs to fit the height of its plot (large
        presentation fonts would push the last entries off the bottom)."""
        parent, n = legend.parentItem(), len(legend.items)
        if parent is None or n == 0:
            return
        room = parent.boundingRect().height() - 20  # its offset, and a margin
        legend.setColumnCount(1)
        row = legend.boundingRect().height() / n
        if room > 0 and row > 0:
            legend.setColumnCount(max(1, min(n, math.ceil(n / max(1, room // row)))))

    def _scale_text(self, item) -> None:
        font = item.textItem.font()
        base = getattr(item, "_l1l2_pt", None)
        if base is None:
            # a size of its own, or the application's font as it was before any
            # presentation mode (a label made while presenting would grow twice)
            own = font.resolveMask() & _SIZE_RESOLVED
            base = font.pointSizeF() if own else self._base_font.pointSizeF()
            item._l1l2_pt = base
            item._l1l2_colour = item.color.name()
        factor = self.factor
        if base > 0 and font.pointSizeF() != base * factor:
            font.setPointSizeF(base * factor)
            item.setFont(font)
        # black text on the plot itself is drawn light on dark; on its own box (a
        # fill) it keeps the colour chosen for that box
        boxed = item.fill.style() != QtCore.Qt.BrushStyle.NoBrush
        if item._l1l2_colour in ("#000000", "#202020") and not boxed:
            item.setColor(self.colours["foreground"])

    def _scale_pen(self, item, factor: float) -> None:
        """Lines ``factor`` × their designed width, and black drawn light on the dark
        theme (both remembered from the first visit)."""
        if isinstance(item, pg.InfiniteLine):  # a cursor: its label goes with it
            pen = pg.mkPen(item.pen)
            if getattr(item, "label", None) is not None:
                self._scale_text(item.label)
        elif isinstance(item, (pg.PlotDataItem, pg.PlotCurveItem)):
            pen = pg.mkPen(item.opts["pen"])
        elif isinstance(item, pg.ScatterPlotItem):
            pen = pg.mkPen(item.opts["pen"])
            factor = 1.0
        else:
            return
        base = getattr(item, "_l1l2_base", None)
        if base is None:
            base = (pen.widthF() or 1.0, pen.color().name())
            item._l1l2_base = base
        pen.setWidthF(base[0] * factor)
        if base[1] == "#000000":
            pen.setColor(QtGui.QColor(self.colours["foreground"]))
        item.setPen(pen)
