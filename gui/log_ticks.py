"""Ticks on logarithmic axes that never crowd: labels only as many as fit.

An axis in ``log10`` units (the loss axis, the λ axes) labels powers of ten; when
the axis is short (a small pane, the large fonts of presentation mode) it labels
every second, third, fifth... decade instead, so that no two labels overlap. When
there is room and few decades it adds 2× and 5× (:func:`fitting_ticks`).
"""

from __future__ import annotations

import math

from PySide6 import QtGui

__all__ = ["decade_candidates", "fitting_ticks", "label_extents", "labels_fit"]

#: Pixels kept free between neighbouring labels.
GAP_PX = 6
#: Steps (in decades) between labelled powers of ten, densest first.
DECADE_STEPS = (1, 2, 3, 5, 10, 20, 50, 100)


def label_extents(strings, font: QtGui.QFont, vertical: bool) -> list[float]:
    """Pixels each label takes along the axis: its width on a horizontal axis,
    the text height on a vertical one."""
    metrics = QtGui.QFontMetricsF(font)
    if vertical:
        return [metrics.height() for _ in strings]
    return [metrics.horizontalAdvance(s) for s in strings]


def labels_fit(values, extents, lo: float, hi: float, size: float) -> bool:
    """Whether labels centred at ``values`` (axis units, ``[lo, hi]`` drawn over
    ``size`` pixels) with ``extents`` pixels each leave :data:`GAP_PX` between
    neighbours."""
    if hi <= lo:
        return False
    px = sorted(
        ((v - lo) / (hi - lo) * size, e) for v, e in zip(values, extents, strict=True)
    )
    return all(
        b - a >= (ea + eb) / 2 + GAP_PX
        for (a, ea), (b, eb) in zip(px, px[1:], strict=False)
    )


def decade_candidates(lo: float, hi: float, fine: bool):
    """Tick sets for ``[lo, hi]`` in ``log10`` units, densest first: with ``fine``
    the decades with 2× and 5× between them, then every decade, then every
    ``k``-th decade for the ``k`` of :data:`DECADE_STEPS`."""
    first, last = math.floor(lo), math.ceil(hi)
    if fine:
        vals = [k + math.log10(m) for k in range(first, last + 1) for m in (1, 2, 5)]
        yield [v for v in vals if lo <= v <= hi]
    for step in DECADE_STEPS:
        yield [
            float(k) for k in range(first, last + 1) if k % step == 0 and lo <= k <= hi
        ]


def fitting_ticks(lo, hi, size, font, vertical, text, fine=False) -> list[float]:
    """The densest of :func:`decade_candidates` whose labels (``text(value)``) do
    not overlap on an axis of ``size`` pixels; at least one tick when any decade
    is in range (a single label always fits)."""
    lo, hi = sorted((lo, hi))
    last: list[float] = []
    for values in decade_candidates(lo, hi, fine):
        if not values:
            continue
        last = values
        extents = label_extents([text(v) for v in values], font, vertical)
        if len(values) == 1 or labels_fit(values, extents, lo, hi, size):
            return values
    return last[:1]
