"""Tick labels spaced for their size in their font (gui.ticks)."""

import itertools

import pytest
from PySide6 import QtGui

from gui.ticks import FittedAxis, compact_labels


@pytest.mark.parametrize(
    ("values", "step", "labels"),
    [
        ([-50000, 0, 50000], 50000, ["-50k", "0", "50k"]),
        ([5000, 10000, 15000], 5000, ["5k", "10k", "15k"]),
        ([2000, 4000], 2000, ["2000", "4000"]),
        ([1e6, 1.5e6], 5e5, ["1.0M", "1.5M"]),
        ([0, 0.25, 0.5], 0.25, ["0", "0.25", "0.50"]),
        ([0.001, 0.002], 0.001, ["0.001", "0.002"]),
    ],
)
def test_labels_share_one_unit_and_show_the_step(values, step, labels):
    assert compact_labels(values, step) == labels


@pytest.mark.parametrize("orientation", ["left", "bottom"])
@pytest.mark.parametrize("size", [50, 120, 400])
@pytest.mark.parametrize("point_size", [10, 14])
def test_labels_never_touch_and_lie_inside_the_axis(
    qtbot, orientation, size, point_size
):
    axis = FittedAxis(orientation)
    font = QtGui.QFont()
    font.setPointSize(point_size)
    axis.setTickFont(font)
    lo, hi = -50.0, 1050.0
    ((step, values),) = axis.tickValues(lo, hi, size)
    assert values, "at least one label"
    fm = QtGui.QFontMetricsF(font)
    strings = axis.tickStrings(values, 1.0, step)
    px = [(v - lo) / (hi - lo) * size for v in values]
    if orientation == "left":
        ext = [0.8 * fm.height()] * len(values)
    else:
        ext = [fm.horizontalAdvance(t) for t in strings]
    spans = [(p - e / 2, p + e / 2) for p, e in zip(px, ext, strict=True)]
    for a0, a1 in spans:
        assert 0 <= a0 and a1 <= size
    for (a0, a1), (b0, b1) in itertools.combinations(spans, 2):
        assert a1 < b0 or b1 < a0
