"""An axis whose tick spacing is chosen from its labels' size in its own font.

pyqtgraph spaces ticks by a fixed pixel density, whatever the font: on a small pane,
or on a slide with 14 pt ticks, the labels of a short axis run into each other
("200400600800") and labels near the ends are dropped. :class:`FittedAxis` takes the
smallest round step (1, 2 or 5 × 10^k) for which every label, plus a gap, fits
between two ticks, keeps the labels that lie whole inside the axis, and writes large
numbers compactly (50k, 1.2M).
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6 import QtGui

__all__ = ["FittedAxis", "compact_labels", "fit_axis_label", "label_width"]

#: Room between two labels of a horizontal axis, in multiples of the font's height
#: (a vertical axis keeps one line: its labels are one line tall).
GAP = 1.5


def compact_labels(values, step: float) -> list[str]:
    """Tick labels for ``values`` ``step`` apart, in one unit for the whole axis:
    ['-50k', '0', '50k'], ['0.25', '0.50'], ['200', '400']."""
    values = [float(v) for v in values]
    big = max([abs(step), *map(abs, values)])
    div, suffix = 1.0, ""
    for d, sfx, start in ((1e9, "G", 1e9), (1e6, "M", 1e6), (1e3, "k", 1e4)):
        if big >= start:
            div, suffix = d, sfx
            break
    digits = max(0, -math.floor(math.log10(step / div) + 1e-9))
    while digits < 12 and abs(round(step / div, digits) - step / div) > 1e-9 * big:
        digits += 1  # a step such as 0.25 needs one more digit than its magnitude
    return ["0" if v == 0 else f"{v / div:.{digits}f}{suffix}" for v in values]


class FittedAxis(pg.AxisItem):
    """A linear axis whose major ticks are as dense as its labels allow (see the
    module docstring); explicit ticks (``setTicks``) are drawn as given."""

    def _metrics(self) -> QtGui.QFontMetricsF:
        return QtGui.QFontMetricsF(self.style.get("tickFont") or QtGui.QFont())

    def _extents(self, fm, values, step: float) -> list[float]:
        """Pixels each label of ``values`` takes along the axis."""
        if self.orientation in ("left", "right"):
            return [0.8 * fm.height()] * len(values)  # as pyqtgraph measures it
        return [fm.horizontalAdvance(t) for t in compact_labels(values, step)]

    def fitted_ticks(self, lo: float, hi: float, size: float):
        """``(step, values)``: the finest round step whose labels keep a gap between
        them, with the values whose labels lie whole inside the axis; a step that
        leaves at least two labels inside is preferred to one that leaves one."""
        span = hi - lo
        fm = self._metrics()
        gap = (1.0 if self.orientation in ("left", "right") else GAP) * fm.height()
        best = None
        step = 10.0 ** math.floor(math.log10(span / 50))
        while step <= 10 * span:
            for s in (step, 2 * step, 5 * step):
                values = np.arange(math.ceil(lo / s), math.floor(hi / s) + 1) * s
                ext = self._extents(fm, values, s)
                px = (values - lo) / span * size
                kept = [
                    (float(v), e)
                    for v, p, e in zip(values, px, ext, strict=True)
                    if e / 2 <= p <= size - e / 2
                ]
                inside = [v for v, _ in kept]
                if len(kept) >= 2:
                    if s / span * size < max(e for _, e in kept) + gap:
                        continue  # the labels would touch
                    return s, inside
                if inside and best is None:
                    best = (s, inside)
            step *= 10
        return best or (span, [])

    def tickValues(self, minVal, maxVal, size):
        lo, hi = sorted((minVal * self.scale, maxVal * self.scale))
        if self._tickSpacing is not None or self.logMode or not (hi > lo and size > 0):
            return super().tickValues(minVal, maxVal, size)
        step, values = self.fitted_ticks(lo, hi, size)
        return [(step / self.scale, [v / self.scale for v in values])]

    def tickStrings(self, values, scale, spacing):
        return compact_labels([v * scale for v in values], spacing * scale)


def label_width(axis, text: str) -> float:
    """Width in pixels of ``text`` as axis label of ``axis`` (its label style's
    font size), measured without setting it."""
    font = QtGui.QFont(axis.label.font())
    size = str(axis.labelStyle.get("font-size", ""))
    if size.endswith("pt"):
        font.setPointSizeF(float(size[:-2]))
    elif size.endswith("px"):
        font.setPixelSize(round(float(size[:-2])))
    return QtGui.QFontMetricsF(font).horizontalAdvance(text)


def fit_axis_label(plot, side: str, texts: list[str]) -> str:
    """Label axis ``side`` of ``plot`` with the first of ``texts`` that fits along
    the axis (in its label font), else the last; returns the text chosen."""
    axis = plot.getAxis(side)
    vertical = side in ("left", "right")
    room = axis.geometry().height() if vertical else axis.geometry().width()
    if room <= 0:  # not laid out yet: take the longest and fit again on resize
        room = float("inf")
    chosen = next((t for t in texts if label_width(axis, t) <= room - 12), texts[-1])
    if axis.labelText != chosen:
        axis.setLabel(chosen, **axis.labelStyle)
        # pyqtgraph places the label on a resize only, for the width of the text it
        # had then: place it again for this one
        axis.resizeEvent(None)
    return chosen
