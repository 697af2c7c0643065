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
from PySide6 import QtCore, QtGui, QtWidgets

from gui.flow_layout import FlowLayout

__all__ = [
    "SHOW",
    "UNITS",
    "WeightsOptions",
    "hidden_text",
    "name_ticks",
    "place_names",
    "shown_features",
    "value_labels",
]

#: Which bars are drawn: key, combo text, most bars (None: no limit).
SHOW = (
    ("all", "all", None),
    ("nonzero", "nonzero only", None),
    ("top10", "top 10", 10),
    ("top20", "top 20", 20),
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


def place_names(plot, names: list[str]) -> None:
    """Write ``names`` (one per bar, from y = 0 down) on the left axis of ``plot``,
    spaced for the pixels a bar gets on screen and elided past 40% of the plot's
    width."""
    vb = plot.getViewBox()
    y0, y1 = vb.viewRange()[1]
    px_per_bar = vb.height() / max(y1 - y0, 1e-9)
    axis = plot.getAxis("left")
    font = axis.style.get("tickFont") or QtGui.QFont()
    widest = max(80.0, 0.4 * plot.width())
    axis.setTicks([name_ticks(names, px_per_bar, font, widest)])


def hidden_text(show: str, n_zero: int, n_shown: int, d: int) -> str:
    """What the bars leave out, for the counter line (rich text): ' · 952 zeros not
    shown' (nonzero only), ' · top 10 of 48 nonzero' (top k), '' (all)."""
    if show == "all":
        return ""
    n_nonzero = d - n_zero
    if show == "nonzero" or n_shown >= n_nonzero:
        return f" &nbsp;·&nbsp;<nobr>{n_zero} zeros not shown</nobr>"
    return f" &nbsp;·&nbsp;<nobr>top {n_shown} of {n_nonzero} nonzero</nobr>"


class WeightsOptions(QtWidgets.QWidget):
    """The weights pane's view options, in two short rows that fit a narrow pane:
    which bars, their order; their units, the true coefficients, Fit view."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.sort_box = QtWidgets.QComboBox()
        self.sort_box.addItems(["feature order", "sorted by |w|"])
        self.sort_box.setToolTip(
            "Keep the features in their order, or sort the bars by "
            "the size of the weight (largest first)"
        )
        self.show_box = QtWidgets.QComboBox()
        for key, text, _ in SHOW:
            self.show_box.addItem(text, key)
        self.show_box.setToolTip(
            "Which bars are drawn: every weight, only the nonzero ones, or the 10 or "
            "20 largest |w| (ranked per SD, whatever the units drawn). The counter "
            "above still counts every exact 0."
        )
        self.units_box = QtWidgets.QComboBox()
        for key, text in UNITS:
            self.units_box.addItem(text, key)
        self.units_box.setToolTip(
            "per SD: the weight of the standardized feature (what the penalty "
            "compares). per unit: w / SD, the change of the prediction per unit of "
            "the raw feature, with the intercept to match (data trained on raw "
            "scales has only these)"
        )
        self.truth_box = QtWidgets.QCheckBox("true coefficients")
        self.truth_box.setChecked(True)
        self.truth_box.setToolTip(
            "Synthetic data only: mark the coefficients that generated the data "
            "(black diamonds) and score which features L1 kept"
        )
        self.fit_button = QtWidgets.QPushButton("Fit view")
        self.fit_button.setToolTip("Zoom to show every bar (after zooming or panning)")

        # one row in a wide pane, wrapped onto more in a narrow one
        flow = FlowLayout(self)
        for wdg in (self.show_box, self.sort_box, self.units_box, self.truth_box):
            flow.addWidget(wdg)
        flow.addStretch()
        flow.addWidget(self.fit_button)

    def set_shown(self, on: bool, has_truth: bool) -> None:
        """Show or hide the options (hidden on slides); the true-coefficients box
        only for data with known coefficients."""
        self.setVisible(on)
        self.truth_box.setVisible(on and has_truth)
