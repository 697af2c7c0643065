"""Light and dark themes, and the presentation mode for lecture rooms.

Presentation mode (F5) makes fonts and lines larger, hides the controls and shows a
caption line with the current settings; it applies to exports too. The palette is the
Okabe–Ito one in both themes (distinguishable with the common colour blindnesses).
Exports use a white background by default, whatever the theme on screen.
"""

from __future__ import annotations

import re

import pyqtgraph as pg
from PySide6 import QtGui, QtWidgets

__all__ = ["Appearance"]

_FONT_PT = re.compile(r"font-size:\s*([\d.]+)pt")

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

    @property
    def colours(self) -> dict:
        return DARK if self.dark else LIGHT

    def set_dark(self, dark: bool) -> None:
        self.dark = bool(dark)
        app = QtWidgets.QApplication.instance()
        app.setPalette(_dark_palette() if self.dark else self._light_palette)
        self.restyle()

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
        factor = self.PRESENT_PT / self.BASE_PT if self.presenting else 1.0
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

    def restyle(self) -> None:
        c = self.colours
        tick_pt = 14 if self.presenting else 10
        label_pt = 15 if self.presenting else 11
        line = self.PRESENT_LINE if self.presenting else 1.0
        tick_font = QtGui.QFont()
        tick_font.setPointSize(tick_pt)
        seen_views = set()
        for view, plot in self.plots():
            if id(view) not in seen_views:
                view.setBackground(c["background"])
                seen_views.add(id(view))
            for name in ("left", "bottom", "right", "top"):
                axis = plot.getAxis(name)
                axis.setTickFont(tick_font)
                axis.setTextPen(c["foreground"])
                axis.setPen(c["axis"])
                if axis.labelText:
                    axis.setLabel(
                        axis.labelText,
                        units=axis.labelUnits,
                        **{"font-size": f"{label_pt}pt", "color": c["foreground"]},
                    )
            for item in plot.items:
                self._scale_pen(item, line)
                if isinstance(item, pg.TextItem):  # labels inside plots
                    self._scale_text(item)
            legend = plot.legend
            if legend is not None:
                legend.setLabelTextColor(c["foreground"])
                legend.setBrush(pg.mkBrush(c["background"] + "D0"))
        self._scale_label_fonts()
        self.window.on_appearance_change()

    def _scale_text(self, item) -> None:
        font = item.textItem.font()
        base = getattr(item, "_l1l2_pt", None)
        if base is None:
            base = item._l1l2_pt = font.pointSizeF()
            item._l1l2_colour = item.color.name()
        factor = self.PRESENT_PT / self.BASE_PT if self.presenting else 1.0
        if base > 0 and font.pointSizeF() != base * factor:
            font.setPointSizeF(base * factor)
            item.setFont(font)
        if item._l1l2_colour == "#000000":  # black text is drawn light on dark
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
