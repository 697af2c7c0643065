"""The thresholding pane: what one update does to one weight.

The x axis is a weight's pre-update value ``z = w − η∇D(w)`` (where a plain gradient
step would put it), the y axis the weight after the penalty's part of the step. The
curve is the current penalty's thresholding function at the current λ and η
(:func:`engine.thresholds.threshold`): for L1 the soft threshold, whose flat stretch
over the band |z| ≤ ηλ₁ is the seed's clamp; for L2 a line through 0 of slope
1/(1 + ηλ₂), which reaches 0 only at z = 0. Every weight of the run is a point at
(z_j, its next value): grey when it lands on exactly 0, blue or vermillion by sign.
Under the naive subgradient rule the points leave the curve (the update depends on
the sign of w, not on z alone) and none lands on 0.

The other penalties' curves at the same strength can be drawn faintly behind, to
compare shapes. Hovering a point names its feature.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets

from engine.penalties import KIND_NAMES
from engine.thresholds import DEFAULT_GAMMA, threshold, update, zero_band
from gui import theme
from gui.throttle import Throttle

__all__ = ["ThresholdPane"]

#: Half-width of the zoomed view, in zero bands (ηλ₁).
BAND_WIDTHS = 4.0
#: Points on a curve.
CURVE_POINTS = 801
#: Shapes drawn faintly behind the current one, in this order, with their colours.
SHAPES = {
    "l1": ("L1: soft threshold", theme.POSITIVE),
    "l2": ("L2: proportional shrinkage", theme.VALIDATION),
    "elasticnet": ("Elastic Net", theme.ZERO_COUNT),
    "scad": ("SCAD (γ = 3.7)", theme.PENALTY),
    "mcp": ("MCP (γ = 3)", theme.NEGATIVE),
    "l0": ("L0: hard threshold", "#56B4E9"),
}
#: (λ₁, λ₂) of each shape at one strength λ: the Elastic Net splits it half and half.
SAME_STRENGTH = {
    "l1": lambda lam: (lam, 0.0),
    "l2": lambda lam: (0.0, lam),
    "elasticnet": lambda lam: (lam / 2, lam / 2),
    "scad": lambda lam: (lam, 0.0),
    "mcp": lambda lam: (lam, 0.0),
    "l0": lambda lam: (lam, 0.0),
}


def _fmt(v: float) -> str:
    return f"{v:.3g}"


class ThresholdPane(QtWidgets.QWidget):
    """The current penalty's map from z to the new weight, with every weight on it."""

    title = "Thresholding"

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.setObjectName("threshold")
        self.header = QtWidgets.QLabel()
        self.header.setStyleSheet("font-size: 11pt;")
        self.header.setWordWrap(True)
        self.header.setTextFormat(QtCore.Qt.TextFormat.RichText)
        self.shapes_box = QtWidgets.QCheckBox("Other penalties' shapes")
        self.shapes_box.setToolTip(
            "Draw the other penalties at the same strength faintly behind (L1, L2, "
            "Elastic Net, and the nonconvex SCAD, MCP and L0, which leave large "
            "weights unshrunk), to compare what each does to a weight"
        )
        self.all_box = QtWidgets.QCheckBox("All weights")
        self.all_box.setToolTip(
            "Show every weight's z; otherwise the view is a few zero bands wide, "
            "where the clamp acts"
        )
        self.plot_widget = pg.PlotWidget(enableMenu=False)
        self.plot = self.plot_widget.getPlotItem()
        theme.style_plot(self.plot)
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.setLabel(
            "bottom", "pre-update value z = w − η∇D(w)", **theme.LABEL_STYLE
        )
        self.plot.setLabel("left", "new weight", **theme.LABEL_STYLE)
        self.legend = self.plot.addLegend(
            offset=(-8, -8), labelTextSize="10pt", brush=pg.mkBrush(255, 255, 255, 215)
        )
        grey = pg.mkPen("#9A9A9A", width=1, style=QtCore.Qt.PenStyle.DashLine)
        self.identity = pg.PlotDataItem(pen=grey, name="no penalty: w = z")
        self.band = pg.LinearRegionItem(
            orientation="vertical",
            movable=False,
            brush=pg.mkBrush(140, 140, 140, 45),
            pen=pg.mkPen(None),
        )
        self.band.setZValue(-20)
        self.band_label = pg.TextItem(color="#404040", anchor=(0.5, 1.0))
        self.faint = {
            kind: pg.PlotDataItem(pen=pg.mkPen(colour, width=1.5), name=name)
            for kind, (name, colour) in SHAPES.items()
        }
        for item in self.faint.values():
            item.setOpacity(0.35)
        self.curve = pg.PlotDataItem(pen=pg.mkPen("#000000", width=3))
        self.points = pg.ScatterPlotItem(size=8, pen=pg.mkPen("#FFFFFF", width=0.5))
        self.points.setZValue(10)
        for item in (self.band, self.identity, *self.faint.values(), self.curve):
            self.plot.addItem(item)
        self.plot.addItem(self.points)
        self.plot.addItem(self.band_label, ignoreBounds=True)
        self.caption = QtWidgets.QLabel()
        self.caption.setWordWrap(True)
        self.caption.setStyleSheet("color: #303030;")
        top = QtWidgets.QHBoxLayout()
        top.addWidget(self.header, 1)
        boxes = QtWidgets.QVBoxLayout()
        boxes.addWidget(self.shapes_box)
        boxes.addWidget(self.all_box)
        top.addLayout(boxes)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.plot_widget, 1)
        layout.addWidget(self.caption)
        #: What is drawn: the points' z and new values, and their feature names.
        self.z = np.zeros(0)
        self.beyond = 0  # points outside the view
        self._brushes = [
            pg.mkBrush(c) for c in (theme.ZERO, theme.POSITIVE, theme.NEGATIVE)
        ]
        self._legend_for = None  # the legend's entries (penalty, shapes behind)
        self.new = np.zeros(0)
        self._names: tuple[str, ...] = ()
        self._redraw = Throttle(self._update, 0.0, self, pane=self)
        for box in (self.shapes_box, self.all_box):
            box.toggled.connect(lambda _: self._redraw.request(now=True))
        for signal in (
            session.stepped,
            session.restarted,
            session.settingsChanged,
            session.datasetLoaded,
        ):
            signal.connect(self._redraw.request)
        self.plot.scene().sigMouseMoved.connect(self._hover)
        if session.trainer is not None:
            self._redraw.request()  # behind a tab: drawn when shown

    # -- drawing -----------------------------------------------------------------------
    def _update(self) -> None:
        tr = self.session.trainer
        if tr is None:
            return
        pen = tr.penalty
        kind, lam1, lam2, eta, rule = pen.kind, pen.lam1, pen.lam2, tr.lr, tr.rule
        g_w, _ = tr.data_gradient()
        w = tr.w
        self.z = w - eta * g_w
        gamma = pen.gamma
        self.new = update(rule, kind, self.z, w, lam1, lam2, eta=eta, gamma=gamma)
        self._names = self.session.data.feature_names

        half = zero_band(kind, lam1, eta=eta)
        reach = float(np.abs(self.z).max(initial=0.0))
        # around the zero band (a few of its widths), or every weight
        zoomed = half > 0 and not self.all_box.isChecked()
        top = BAND_WIDTHS * half if zoomed else max(1.1 * reach, 3.0 * half, 1e-12)
        if zoomed and kind in DEFAULT_GAMMA:  # SCAD and MCP bend back up to z at γλ
            top = max(top, 1.25 * gamma * lam1)
        self.beyond = int((np.abs(self.z) > top).sum())
        zs = np.linspace(-top, top, CURVE_POINTS)
        if half > 0:
            zs = np.union1d(zs, [-half, half])  # the band's edges sharp
        self.identity.setData(zs, zs)
        self.curve.setData(zs, threshold(kind, zs, lam1, lam2, eta=eta, gamma=gamma))
        shapes = self.shapes_box.isChecked()
        # the other shapes at the same strength: λ = λ₁ (or λ₂ for L2 when λ₁ is 0)
        lam = lam1 or lam2
        for other, item in self.faint.items():
            show = shapes and other != kind and lam > 0
            if show:
                l1, l2 = SAME_STRENGTH[other](lam)
                try:
                    item.setData(zs, threshold(other, zs, l1, l2, eta=eta))
                except ValueError:  # SCAD's or MCP's γ too small for so long a step
                    show = False
            item.setVisible(show)
        self._rebuild_legend(shapes, kind)

        self.band.setVisible(half > 0)
        self.band_label.setVisible(half > 0)
        if half > 0:
            self.band.setRegion((-half, half))
            edge = "λ√η" if kind == "l0" else "ηλ₁"
            self.band_label.setText(f"zero band |z| ≤ {edge} = {_fmt(half)}")
            self.band_label.setPos(0.0, 0.8 * top)

        zero = self.new == 0.0
        # one brush per sign, made once: every point refers to its sign's (this
        # runs on every step while playing)
        sign = np.where(zero, 0, np.where(self.new > 0, 1, 2))
        brushes = [self._brushes[k] for k in sign.tolist()]
        self.points.setData(self.z, self.new, brush=brushes)
        self.plot.setXRange(-top, top, padding=0.02)
        self.plot.setYRange(-top, top, padding=0.02)
        self._texts(kind, lam1, lam2, eta, rule, int(zero.sum()), half, gamma)

    def _rebuild_legend(self, shapes: bool, kind: str) -> None:
        entries = (kind, tuple(o for o, i in self.faint.items() if i.isVisible()))
        if entries == self._legend_for:
            return  # the same entries: not rebuilt on every step
        self._legend_for = entries
        self.legend.clear()
        self.legend.addItem(self.curve, f"{KIND_NAMES[kind]} (the current penalty)")
        self.legend.addItem(self.identity, "no penalty: new = z")
        if shapes:
            for other, item in self.faint.items():
                if item.isVisible():
                    self.legend.addItem(item, SHAPES[other][0] + " (same λ)")

    def _texts(self, kind, lam1, lam2, eta, rule, n_zero, half, gamma) -> None:
        d = self.z.size
        strengths = {
            "none": "",
            "l1": f"λ₁ = {_fmt(lam1)}",
            "l2": f"λ₂ = {_fmt(lam2)}",
            "elasticnet": f"λ₁ = {_fmt(lam1)}, λ₂ = {_fmt(lam2)}",
        }.get(kind, f"λ = {_fmt(lam1)}" + (f", γ = {gamma:g}" if gamma else ""))
        self.header.setText(
            f"<b>What one step does to each weight</b>: {KIND_NAMES[kind]}"
            + (f", {strengths}" if strengths else "")
            + f", η = {_fmt(eta)}. <span style='color:{theme.ZERO}'>"
            f"<b>{n_zero} of {d}</b> exactly 0 after the next step</span>"
        )
        if rule != "proximal":
            text = (
                "Naive subgradient rule: each weight moves by ηλ₁·sign(w), whatever z "
                "is, so the points leave the curve and step over 0 instead of "
                "stopping on it."
            )
        elif kind == "l0":
            text = (
                f"The hard threshold: every z with |z| ≤ λ√η = {_fmt(half)} is set to "
                "exactly 0, every other z is kept whole: no shrinkage at all."
            )
        elif kind in ("scad", "mcp"):
            text = (
                f"Every z in the grey band (|z| ≤ ηλ = {_fmt(half)}) is set to exactly "
                f"0; beyond γλ = {_fmt(gamma * lam1)} the weight is kept whole: large "
                "weights are not shrunk, unlike L1's."
            )
        elif half > 0:
            text = (
                f"Every z in the grey band (width 2ηλ₁ = {_fmt(2 * half)}) is set to "
                "exactly 0: the clamp. Outside it, the weight moves ηλ₁ toward 0"
                + (" and shrinks by 1/(1 + ηλ₂)." if kind == "elasticnet" else ".")
            )
        elif kind == "l2":
            text = (
                f"A line through 0 of slope 1/(1 + ηλ₂) = {_fmt(1 / (1 + eta * lam2))}: "
                "every weight shrinks in proportion and none reaches 0 unless z is 0."
            )
        else:
            text = "Without a penalty the new weight is z itself."
        if self.beyond:
            text += (
                f" {self.beyond} weight{'s' if self.beyond > 1 else ''} lie beyond "
                "this view (All weights shows them)."
            )
        self.caption.setText(text)

    def _hover(self, pos) -> None:
        if self.z.size == 0:
            return
        vb = self.plot.getViewBox()
        if not vb.sceneBoundingRect().contains(pos):
            self.plot_widget.setToolTip("")
            return
        p = vb.mapSceneToView(pos)
        px = vb.viewPixelSize()
        dist = np.hypot((self.z - p.x()) / px[0], (self.new - p.y()) / px[1])
        j = int(np.argmin(dist))
        if dist[j] > 8:
            self.plot_widget.setToolTip("")
            return
        self.plot_widget.setToolTip(
            f"{self._names[j]}: z = {self.z[j]:.4g} → new weight {self.new[j]:.4g}"
            + (" (exactly 0)" if self.new[j] == 0.0 else "")
        )

    # -- the pane surface --------------------------------------------------------------
    def view_state(self) -> dict:
        """``shapes``: the other penalties' curves drawn behind; ``all``: the view
        holds every weight (else a few zero bands)."""
        return {"shapes": self.shapes_box.isChecked(), "all": self.all_box.isChecked()}

    def set_view_state(self, st: dict) -> None:
        """Restore :meth:`view_state`; entries that are missing or wrong are skipped."""
        if isinstance(st.get("shapes"), bool):
            self.shapes_box.setChecked(st["shapes"])
        if isinstance(st.get("all"), bool):
            self.all_box.setChecked(st["all"])

    def refresh_now(self) -> None:
        """Redraw from the current state now, in front or not."""
        self._redraw.run_now()

    def figure_controls(self) -> list[QtWidgets.QWidget]:
        """The two boxes (the title, legend and caption stay)."""
        return [self.shapes_box, self.all_box]
