"""One view of the constraint geometry: a loss's contours, a region (the diamond, the
circle, the Elastic Net shape, or a shape of the penalty family), the optimum on it,
the corner zones and the training path (see :mod:`gui.panes.geometry`, the pane that
holds one view or three side by side)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from engine.geometry import (
    corner_zones,
    penalized_zero_zones,
    region_boundary,
)
from gui import theme
from gui.geometry_model import KINDS, GeometryModel
from gui.panes.geometry_early import DescentOverlay
from gui.panes.geometry_family import family_picture, shape_kind, title_html
from gui.throttle import Throttle

__all__ = ["GeometryView"]

NAMES = {"l1": "L1", "l2": "L2", "elasticnet": "Elastic Net"}
NORMS = {"l1": "‖w‖₁", "l2": "‖w‖₂", "elasticnet": "ρ‖w‖₁ + (1−ρ)/2‖w‖²"}
REGION_FILL = QtGui.QColor(0, 114, 178, 60)
REGION_EDGE = QtGui.QColor(0, 90, 150)
ZONE_FILL = QtGui.QColor(213, 94, 0, 26)
TOUCH = "#D55E00"
GRID = 220
#: While playing, the training path redraws at most this often (seconds).
PLAYING_INTERVAL = 0.05


def _polygon_item(points, brush, pen=None) -> QtWidgets.QGraphicsPolygonItem:
    poly = QtGui.QPolygonF([QtCore.QPointF(float(x), float(y)) for x, y in points])
    item = QtWidgets.QGraphicsPolygonItem(poly)
    item.setBrush(brush)
    p = QtGui.QPen(pen if pen is not None else QtCore.Qt.PenStyle.NoPen)
    p.setCosmetic(True)
    item.setPen(p)
    return item


class GeometryView(QtWidgets.QWidget):
    """One plot: contours, one region, its optimum, zones and the training path."""

    def __init__(self, model: GeometryModel, kind: str | None = None, parent=None):
        super().__init__(parent)
        self.model = model
        self.fixed_kind = kind  # None: follow the main penalty
        self.title = QtWidgets.QLabel()
        self.title.setTextFormat(QtCore.Qt.TextFormat.RichText)
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-size: 10.5pt;")
        self.plot_widget = pg.PlotWidget(enableMenu=False)  # no menu is built
        self.plot_widget.setMinimumWidth(100)  # three side by side fit a laptop
        self.plot = self.plot_widget.getPlotItem()
        theme.style_plot(self.plot)
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.setAspectLocked(True)
        self.plot.setLabel("bottom", "w₁", **theme.LABEL_STYLE)
        self.plot.setLabel("left", "w₂", **theme.LABEL_STYLE)
        vb = self.plot.getViewBox()
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setLookupTable(self._contour_lut())
        self.image.setZValue(-20)
        vb.addItem(self.image)
        for angle in (0, 90):
            self.plot.addItem(pg.InfiniteLine(angle=angle, pen=pg.mkPen("#505050")))
        self.contours = [
            pg.PlotCurveItem(pen=pg.mkPen("#6B8BA4", width=1)) for _ in range(7)
        ]
        for c in self.contours:
            self.plot.addItem(c)
        self.touch = pg.PlotCurveItem(pen=pg.mkPen(TOUCH, width=2.5), antialias=True)
        self.plot.addItem(self.touch)
        pen = QtGui.QPen(REGION_EDGE)
        pen.setWidthF(2)
        self.region_item = _polygon_item([], QtGui.QBrush(REGION_FILL), pen)
        self.region_item.setZValue(-5)
        vb.addItem(self.region_item)
        self.zone_items = []
        for _ in range(5):
            item = _polygon_item([], QtGui.QBrush(ZONE_FILL))
            item.setZValue(-10)
            vb.addItem(item)
            self.zone_items.append(item)
        self.path = pg.PlotCurveItem(pen=pg.mkPen("#222222", width=1.2))
        self.plot.addItem(self.path)
        self.head = pg.ScatterPlotItem(size=7, brush=pg.mkBrush("#222222"), pen=None)
        self.head.setZValue(5)
        self.plot.addItem(self.head)
        self.optimum = pg.ScatterPlotItem(
            size=13, brush=pg.mkBrush(TOUCH), pen=pg.mkPen("w", width=1.5)
        )
        self.optimum.setZValue(10)
        self.plot.addItem(self.optimum)
        self.optimum_label = pg.TextItem(
            anchor=(-0.05, 1.15), color=TOUCH, fill=pg.mkBrush(255, 255, 255, 215)
        )
        font = QtGui.QFont()
        font.setPointSize(10)
        font.setBold(True)
        self.optimum_label.setFont(font)
        self.plot.addItem(self.optimum_label)
        self._label_at = None  # the optimum the label names, or None
        self.plot.getViewBox().sigResized.connect(self._place_label)
        self.w_star = pg.TargetItem(
            size=16,
            symbol="crosshair",
            pen=pg.mkPen("k", width=2),
            movable=True,
            label="w*",
            # on its own box: readable on the light loss picture and on dark
            labelOpts={"color": "k", "offset": (8, -8), "fill": (255, 255, 255, 200)},
        )
        self.w_star.setZValue(20)
        self.w_star.setToolTip("w*, the minimum of the data loss alone: drag it")
        self.plot.addItem(self.w_star)
        self.w_star.sigPositionChanged.connect(self._on_drag)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.plot_widget, 1)
        self.show_zones = True
        self.descent = DescentOverlay(self.plot)
        self.show_descent = False
        self._extent = 4.0
        self._syncing = False
        model.changed.connect(self.redraw)
        self._path_throttle = Throttle(self.draw_path, PLAYING_INTERVAL, self)
        model.trajectoryChanged.connect(self._on_trajectory_change)

    @staticmethod
    def _contour_lut() -> np.ndarray:
        lo = np.array([236, 243, 249])
        hi = np.array([255, 255, 255])
        t = np.linspace(0, 1, 256)[:, None]
        return np.round(lo + (hi - lo) * t).astype(np.ubyte)

    @property
    def kind(self) -> str | None:
        k = self.fixed_kind or self.model.main_kind
        return k if k in KINDS else None

    # -- drawing ------------------------------------------------------------------
    @property
    def family(self) -> str | None:
        """The shape of the penalty family drawn (``'lq'``, ``'scad'``, ``'mcp'``),
        or None for L1, L2, Elastic Net (gui.panes.geometry_family)."""
        return shape_kind(self.model, self.fixed_kind)

    def redraw(self) -> None:
        m = self.model
        q = m.quadratic
        family = self.family
        kind = self.kind if family is None else None
        picture = None
        if family is not None:
            picture = family_picture(m, family)
            w_opt, t, lam = picture.w, picture.t or 0.0, picture.lam
            reach = picture.shape.axis_reach(t) if picture.shape is not None else 0.0
            size = reach if np.isfinite(reach) else 0.0
        elif kind is None:
            w_opt, t, lam = q.w_star.copy(), 0.0, 0.0
            size = 0.0
        else:
            w_opt, t, lam = m.optimum(kind)
            size = t
        extent = 1.25 * max(np.abs(q.w_star).max(), np.abs(w_opt).max(), size, 1e-6)
        if extent > self._extent or extent < 0.45 * self._extent:
            self._extent = extent
        e = self._extent
        vb = self.plot.getViewBox()
        vb.setRange(xRange=(-e, e), yRange=(-e, e), padding=0)
        # the new transform now, not at the paint: moved by it at the paint, w* and
        # the labels would ask for a second paint of the view
        vb.updateMatrix()
        xs = np.linspace(-e, e, GRID)
        F = q.grid(xs, xs)
        f_opt = float(q.value(w_opt))
        img = np.sqrt(F / max(F.max(), 1e-300))  # more colour steps near the minimum
        self.image.setImage(img, levels=(0, 1))
        self.image.setRect(QtCore.QRectF(-e, -e, 2 * e, 2 * e))
        levels = self._levels(f_opt, float(F.max()))
        for c, lev in zip(self.contours, levels, strict=False):
            c.setData(*q.ellipse(lev))
        for c in self.contours[len(levels) :]:
            c.setData([], [])
        drawn = kind or (
            picture is not None and (picture.shape is not None or family == "l0")
        )
        self.touch.setData(
            *q.ellipse(f_opt)
        ) if f_opt > 0 and drawn else self.touch.setData([], [])
        if picture is not None:
            self._draw_family_region(picture)
        else:
            self._draw_region(kind, t)
        self._draw_zones(kind, t, lam)
        self.optimum.setData([w_opt[0]], [w_opt[1]])
        self._draw_label(w_opt, kind or family)
        with QtCore.QSignalBlocker(self.w_star):
            self._syncing = True
            self.w_star.setPos(QtCore.QPointF(*q.w_star))
            self._syncing = False
        self.w_star.movable = m.source == "own"  # from data, w* follows the training
        self.draw_path()
        descent = self.show_descent and family is None and kind in (None, "l2")
        self.descent.draw(q, descent)
        if picture is not None:
            self.title.setText(title_html(picture, family, m))
        else:
            self._draw_title(kind, w_opt, t, lam)
        if descent:  # what the dots and the dashed line are
            self.title.setText(self.title.text() + "<br>" + self.descent.legend())

    def draw_path(self) -> None:
        """The training path (the only thing that changes on a step of your own loss)."""
        m = self.model
        kind = self.kind
        if self.family is not None:  # the main training's path, on the data's loss
            kind = self.family if m.source == "data" else None
        traj = m.trajectory(kind) if kind else None
        if traj is None and kind in KINDS and m.source == "own":
            m.trainer(kind)
            traj = m.trajectory(kind)
        if traj is not None and len(traj):
            self.path.setData(traj[:, 0], traj[:, 1])
            self.head.setData([traj[-1, 0]], [traj[-1, 1]])
        else:
            self.path.setData([], [])
            self.head.setData([], [])

    @staticmethod
    def _levels(f_opt: float, f_max: float) -> list[float]:
        """Contour levels: the touching one's neighbours, spaced by a factor."""
        base = f_opt if f_opt > 0 else f_max / 64
        levels = [base * 4.0**k for k in (-2, -1, 1, 2, 3)] + [base * 0.5**6]
        return sorted(v for v in levels if 0 < v < f_max)

    def _draw_region(self, kind, t) -> None:
        if kind is None or t <= 0:
            self.region_item.setVisible(False)
            return
        x, y = region_boundary(kind, t, self.model.rho)
        self.region_item.setPolygon(
            QtGui.QPolygonF([QtCore.QPointF(a, b) for a, b in zip(x, y, strict=True)])
        )
        self.region_item.setVisible(True)

    def _draw_family_region(self, picture) -> None:
        """The region of a shape of the family through (or around) its optimum; an
        open region is cut well outside the view."""
        shape = picture.shape
        if shape is None or not picture.t or picture.t >= 2 * shape.p_max:
            # no penalty, or the whole plane (SCAD, MCP: both weights past γλ)
            self.region_item.setVisible(False)
            return
        x, y = shape.boundary(picture.t, reach=4 * self._extent)
        self.region_item.setPolygon(
            QtGui.QPolygonF([QtCore.QPointF(a, b) for a, b in zip(x, y, strict=True)])
        )
        self.region_item.setVisible(True)

    def zones(self, kind, t) -> list:
        """The shaded ``(label, polygon)`` zones for ``kind`` (see engine.geometry)."""
        m = self.model
        reach = 50 * self._extent
        if m.source == "own" and m.view == "constrained":
            return corner_zones(m.quadratic, kind, t, m.rho, reach=reach)
        pen = m.penalty_for(kind)
        return penalized_zero_zones(m.quadratic, pen.lam1, pen.lam2, reach=reach)

    def _draw_zones(self, kind, t, lam) -> None:
        zones = self.zones(kind, t) if self.show_zones and kind is not None else []
        for k, item in enumerate(self.zone_items):
            if k < len(zones):
                poly = zones[k][1]
                item.setPolygon(
                    QtGui.QPolygonF(
                        [QtCore.QPointF(float(a), float(b)) for a, b in poly]
                    )
                )
                item.setVisible(True)
            else:
                item.setVisible(False)

    def _draw_label(self, w, kind) -> None:
        zero = w == 0.0
        if kind is None:
            text = ""
        elif zero.all():
            text = "w₁ = w₂ = 0 exactly"
        elif zero[1]:
            text = "w₂ = 0 exactly"
        elif zero[0]:
            text = "w₁ = 0 exactly"
        else:
            text = ""
        self.optimum_label.setText(text)
        self.optimum_label.setVisible(bool(text))  # its white box would show, empty
        self._label_at = np.array(w, dtype=float) if text else None
        self._place_label()

    def _place_label(self, *_) -> None:
        """The label beside the optimum, on the side away from w* (it never covers
        the target) unless it would not fit between the optimum and that edge of
        the view; placed again when the view is resized."""
        w = self._label_at
        if w is None:
            return
        star = self.model.quadratic.w_star
        right = star[0] >= w[0]
        above = star[1] >= w[1]
        box = self.plot.getViewBox()
        (x0, x1), _ = box.viewRange()
        px = box.viewPixelSize()[0]
        x, ax = float(w[0]), 1.05 if right else -0.05
        if px > 0:
            font = QtGui.QFontMetrics(self.optimum_label.textItem.font())
            need = (font.horizontalAdvance(self.optimum_label.toPlainText()) + 16) * px
            fits_left, fits_right = x - need >= x0, x + need <= x1
            if right and not fits_left:
                # the other side, or else against the view's edge (above or below
                # the optimum, so it still does not cover it)
                x, ax = (x, -0.05) if fits_right else (x0 + 4 * px, 0.0)
            elif not right and not fits_right:
                x, ax = (x, 1.05) if fits_left else (x1 - 4 * px, 1.0)
        self.optimum_label.setAnchor((ax, -0.15 if above else 1.15))
        self.optimum_label.setPos(x, float(w[1]))

    def _draw_title(self, kind, w, t, lam) -> None:
        m = self.model
        if kind is None:
            self.title.setText("No penalty: the optimum is w* itself")
            return
        coords = ", ".join("0 exactly" if v == 0 else f"{v:.3f}" for v in w)
        lam_name = "μ" if m.source == "own" and m.view == "constrained" else "λ"
        if kind == "elasticnet":
            lam_name = "α"
        if self.fixed_kind is not None:  # one of three side by side: two short lines
            short = "EN" if kind == "elasticnet" else NAMES[kind]
            self.title.setText(
                f"<b>{short}</b>: {lam_name} = {lam:.3g} ⇔ t = {t:.3g}"
                f"<br>w = ({coords})"
            )
            self.title.setToolTip(
                f"{NAMES[kind]}: the penalized optimum w at {lam_name} is the optimum "
                f"constrained to the region t = {NORMS[kind]} ≤ {t:.3g}"
            )
            return
        self.title.setText(
            f"<b>{NAMES[kind]}</b>: t = {NORMS[kind]} = {t:.3g} ⇔ {lam_name} = {lam:.3g}"
            f"&nbsp;&nbsp;·&nbsp;&nbsp;optimum w = ({coords})"
        )

    def _on_trajectory_change(self) -> None:
        self._path_throttle.request(now=not self.model.session.playing)

    def refresh_now(self) -> None:
        """Draw the training path now, not at the end of the throttle's interval."""
        self._path_throttle.request(now=True)

    def optimum_position(self) -> np.ndarray:
        x, y = self.optimum.getData()
        return np.array([x[0], y[0]])

    def _on_drag(self) -> None:
        if self._syncing or self.model.source != "own":
            return
        p = self.w_star.pos()
        self.model.set_w_star([p.x(), p.y()])
