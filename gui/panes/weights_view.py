"""View choices of the weights pane: which bars, in which units, and labels that fit.

With 1,000 features the few dozen a Lasso keeps are half-pixel bars; the pane can show
only the nonzero weights, or the 10 or 20 largest, while its counter keeps saying how
many are exactly 0. Weights are per standard deviation of a feature (what the
penalty compares) or per unit of the raw feature, ``w_j / sd_j``
(:meth:`engine.data.TrainingData.raw_coef`). Axis labels and feature-name ticks are
chosen from the font's metrics, so that nothing is cut or piled up on a small pane
or on a slide.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6 import QtCore, QtGui

__all__ = [
    "SHOW",
    "UNITS",
    "fit_axis_label",
    "label_width",
    "name_ticks",
    "shown_features",
    "value_labels",
]

#: Which bars are drawn: key, combo text, most bars (None: no limit).
SHOW = (
    ("all", "all weights", None),
    ("nonzero", "nonzero only", None),
    ("top10", "top 10 by |w|", 10),
    ("top20", "top 20 by |w|", 20),
)
#: Units of the weights: key, combo text.
UNITS = (("sd", "per SD"), ("raw", "per unit"))


def shown_features(w: np.ndarray, order: np.ndarray, show: str) -> np.ndarray:
    """Feature indices drawn, position by position: ``order`` (feature order or
    sorted by |w|) with only the nonzero weights, or only the ``k`` largest nonzero
    ``|w|`` (ties by index), for ``show`` = 'nonzero' / 'top10' / 'top20'."""
    if show == "all":
        return order
    keep = w[order] != 0.0
    limit = dict((key, k) for key, _, k in SHOW).get(show)
    if limit is not None and keep.sum() > limit:
        nz = np.flatnonzero(w)
        top = nz[np.argsort(-np.abs(w[nz]), kind="stable")[:limit]]
        keep = np.isin(order, top)
    return order[keep]


def value_labels(target: str, loss: str, raw: bool) -> list[str]:
    """Texts for the value axis, longest first: the first that fits is used."""
    what = "log-odds" if loss == "logistic" else target
    unit = "unit" if raw else "SD"
    return [
        f"weight w ({what} per {unit} of the feature)",
        f"w ({what} per {unit} of feature)",
        f"w ({what} per {unit})",
        f"w (per {unit})",
        "w",
    ]


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


def name_ticks(
    names: list[str], px_per_bar: float, font: QtGui.QFont, max_px: float
) -> list[tuple[int, str]]:
    """Ticks ``(position, name)`` for bars ``px_per_bar`` pixels apart: every k-th
    name, k chosen so that the lines of text (``font``) do not overlap, and names
    wider than ``max_px`` elided in the middle (whole in the bar's hover text)."""
    fm = QtGui.QFontMetricsF(font)
    line = fm.height() * 1.1
    step = max(1, math.ceil(line / px_per_bar)) if px_per_bar > 0 else len(names)
    ticks = []
    for i in range(0, len(names), max(step, 1)):
        text = fm.elidedText(names[i], QtCore.Qt.TextElideMode.ElideMiddle, max_px)
        ticks.append((i, text))
    return ticks
