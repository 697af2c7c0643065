"""An axis whose tick spacing is chosen from its labels' size in its own font.

pyqtgraph spaces ticks by a fixed pixel density, whatever the font: on a small pane,
or on a slide with 14 pt ticks, the labels of a short axis run into each other
("200400600800") and labels near the ends are dropped. :class:`FittedAxis` takes the
smallest round step (1, 2 or 5 × 10^k) for which every label, plus a gap, fits
between two ticks, and writes large numbers compactly (50k, 1.2M).
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6 import QtGui

__all__ = ["FittedAxis", "compact_number"]

#: Room between two labels, in multiples of the font's height.
GAP = 0.8


def compact_number(v: float, step: float) -> str:
    """``v`` as a tick label for ticks ``step`` apart: 50k, -1.5M, 0.25, 800."""
    if v == 0:
        return "0"
    big = max(abs(v), abs(step))
    for div, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if big >= 10 * div:
            digits = max(0, -math.floor(math.log10(step / div) + 1e-9))
            return f"{v / div:.{digits}f}{suffix}"
    digits = max(0, -math.floor(math.log10(step) + 1e-9))
    return f"{v:.{digits}f}"


class FittedAxis(pg.AxisItem):
    """A linear axis whose major ticks are as dense as its labels allow (see the
    module docstring); explicit ticks (``setTicks``) are drawn as given."""

    def _metrics(self) -> QtGui.QFontMetricsF:
        return QtGui.QFontMetricsF(self.style.get("tickFont") or QtGui.QFont())

    def _extent(self, fm, value: float, step: float) -> float:
        """Pixels the label of ``value`` takes along the axis."""
        if self.orientation in ("left", "right"):
            return 0.8 * fm.height()  # as pyqtgraph measures it
        return fm.horizontalAdvance(compact_number(value, step))

    def fitted_ticks(self, lo: float, hi: float, size: float):
        """``(step, values)``: the finest round step whose labels keep a gap between
        them, with the values whose labels lie whole inside the axis; a step that
        leaves at least two labels inside is preferred to one that leaves one."""
        span = hi - lo
        fm = self._metrics()
        gap = (0.4 if self.orientation in ("left", "right") else GAP) * fm.height()
        best = None
        step = 10.0 ** math.floor(math.log10(span / 50))
        while step <= 10 * span:
            for s in (step, 2 * step, 5 * step):
                values = np.arange(math.ceil(lo / s), math.floor(hi / s) + 1) * s
                ext = [self._extent(fm, v, s) for v in values]
                if len(values) > 1 and s / span * size < max(ext) + gap:
                    continue  # the labels would touch
                px = (values - lo) / span * size
                inside = [
                    float(v)
                    for v, p, e in zip(values, px, ext, strict=True)
                    if e / 2 <= p <= size - e / 2
                ]
                if len(inside) >= 2:
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
        return [compact_number(v * scale, spacing * scale) for v in values]
