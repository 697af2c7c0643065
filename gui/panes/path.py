"""The path pane: every weight's solution over a grid of λ (the regularization path).

glmnet's ``plot.glmnet``, made live: the weights against log λ, largest λ on the left
(where L1 has every weight exactly 0), the number of nonzero weights along the top.
Up to 30 features one line per weight (a weight that is exactly 0 runs exactly on the
axis), the strongest at the λ cursor coloured and named at their ends as in the
trajectories pane (:mod:`gui.panes.line_labels`); beyond 30 a heat map, features down and λ across, grey where a weight is
exactly 0, the features in order of entry. On synthetic data the true coefficients
are marked. The x axis can also be ‖w‖₁ as a share of its largest value, or the share
of the data loss explained (see :mod:`gui.panes.path_x`).

The dashed line is the λ cursor (:class:`gui.panes.lambda_axes.LambdaCursor`): drag
it, or click anywhere in the plot, and the run moves to that λ.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets

from engine.path import rho_of
from engine.problems import make_problem
from gui import theme
from gui.flow_layout import FlowLayout
from gui.panes.lambda_axes import (
    LambdaCursor,
    compact,
    lambda_plot,
    strength_name,
)
from gui.panes.line_labels import FeatureLines
from gui.panes.path_early import EarlyStoppingDots
from gui.panes.path_parts import (
    CursorControls,
    MessageStack,
    compact_combo,
    path_summary,
)
from gui.panes.path_x import X_CHOICES, PathX, entry_order, heatmap_image
from gui.ticks import fit_axis_label

__all__ = ["PathPane"]

#: Up to this many features one line per weight; beyond, a heat map.
MAX_LINES = 30
#: Columns of the heat map on an axis other than log λ.
HEATMAP_COLUMNS = 300


class PathPane(QtWidgets.QWidget):
    """Weights against λ along the path, with the λ cursor."""

    title = "Path"

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.model = session.path_model
        self.setObjectName("path")
        self.controls = CursorControls(self.model, self)
        self.summary, top = self.controls.header("pathSummary")

        self.plot_widget, self.plot, self.count_axis = lambda_plot()
        self.zero_line = pg.InfiniteLine(angle=0, pen=pg.mkPen("#404040", width=1))
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setLookupTable(theme.diverging_lut())
        self.image.setLevels((0, 255))
        self.truth = pg.ScatterPlotItem(size=9, pen=pg.mkPen(theme.TRUTH, width=1.5))
        self.truth.setZValue(10)
        self.plot.addItem(self.truth)
        self.feature_lines = FeatureLines(self.plot, self.plot_widget, self.describe)
        self.x = PathX()
        self.cursor = LambdaCursor(
            self.plot, self.model, self.x.to_x, self.x.from_x, self
        )
        self.readout = self.feature_lines.readout
        self.readout.setObjectName("pathReadout")
        self.stack = MessageStack(self.plot_widget)

        self.x_box = compact_combo(
            X_CHOICES.items(),
            "The x axis: log λ (largest on the left, like glmnet); ‖w‖₁ as a share of "
            "its largest value on the path; or the share of the data loss explained, "
            "1 − D(w)/D(0)",
        )
        self.x_box.setMinimumContentsLength(13)
        self.order_box = compact_combo(
            [("entry", "order of entry"), ("feature", "feature order")],
            "Heat map rows: in the order the weights become nonzero as λ falls (the "
            "first to enter on top), or in the data's feature order",
        )
        self.rho_spin = QtWidgets.QDoubleSpinBox()
        self.rho_spin.setRange(0.0, 1.0)
        self.rho_spin.setSingleStep(0.05)
        self.rho_spin.setDecimals(3)
        self.rho_spin.setKeyboardTracking(False)
        self.rho_spin.setPrefix("ρ = ")
        self.rho_spin.setToolTip(
            "ρ = λ₁/(λ₁ + λ₂), the L1 share of the Elastic Net path (scikit-learn's "
            "l1_ratio); changing it keeps α = λ₁ + λ₂ and computes a new path"
        )
        self.early = EarlyStoppingDots(self.plot)
        options = FlowLayout()  # wraps in a narrow pane
        for widget in (self.x_box, self.order_box, self.rho_spin, self.early.box):
            options.addWidget(widget)
        options.addStretch()
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.stack, 1)
        layout.addLayout(options)

        self.heatmap = False
        self._order = np.zeros(0, dtype=int)  # feature shown at each row / line
        self.x_box.currentIndexChanged.connect(lambda _: self.refresh_now())
        self.order_box.currentIndexChanged.connect(lambda _: self.refresh_now())
        self.rho_spin.valueChanged.connect(self._on_rho_edit)
        self.early.box.toggled.connect(lambda _: self.refresh_now())
        scene = self.plot.scene()
        scene.sigMouseMoved.connect(self.hover_at)
        scene.sigMouseClicked.connect(self._on_click)
        self._x_labels: list[str] = []
        self.plot.getViewBox().sigResized.connect(self._on_resize)
        self.plot.getViewBox().sigResized.connect(self._fit_x_label)
        self.plot.getViewBox().sigRangeChanged.connect(lambda *_: self._place_labels())
        self.plot_widget.viewport().installEventFilter(self)
        session.datasetLoaded.connect(self._on_dataset_change)
        session.settingsChanged.connect(self._sync_controls)
        self.model.pathChanged.connect(self.refresh_now)
        self.model.progressed.connect(self._on_progress)
        if session.trainer is not None:
            self._on_dataset_change()

    # -- building ---------------------------------------------------------------------
    def _on_dataset_change(self) -> None:
        data = self.session.data
        d = data.n_features
        self.feature_lines.clear()
        for item in (self.image, self.zero_line):
            if item.scene() is not None:
                self.plot.removeItem(item)
        self.truth.setData([], [])
        self.heatmap = d > MAX_LINES
        self.order_box.setVisible(self.heatmap)
        self.plot.invertY(self.heatmap)  # the first feature on top
        if self.heatmap:
            self.plot.addItem(self.image)
            self.plot.setLabel("left", "feature", **theme.LABEL_STYLE)
            self.truth.setSymbol("t2")  # ▸ beside the rows of the true features
        else:
            self.plot.addItem(self.zero_line)
            self.plot.setLabel("left", "weight w", **theme.LABEL_STYLE)
            self.feature_lines.build(data.feature_names)
            self.truth.setSymbol("d")
        self.refresh_now()

    # -- drawing ----------------------------------------------------------------------
    @property
    def x_kind(self) -> str:
        return self.x_box.currentData()

    def refresh_now(self) -> None:
        """Redraw from the model's path now."""
        s = self.session
        if s.trainer is None:
            return
        path = self.model.path
        has = path is not None and path.n_computed > 0
        self.stack.show_message(None if has else self.model.path_note)
        self.x.kind = self.x_kind
        if not has:
            self.x.clear()
            self.early.draw(s, path, self.x, False)
            self.summary.setText("")  # the note is in the middle of the pane
            self._sync_controls()
            return
        self.x.set_path(path, make_problem(s.data, s.loss).null_objective())
        self.plot.invertX(self.x_kind == "log")
        self.plot.getAxis("bottom").set_log(self.x_kind == "log")
        name = strength_name(path.kind)
        self._x_labels = self.x.labels(name)
        self.plot.setLabel("bottom", self._x_labels[0], **theme.LABEL_STYLE)
        self._fit_x_label()
        self.x_box.setItemText(self.x_box.findData("log"), f"x: log {name}")
        self.count_axis.set_counts(self.x.xs, path.n_nonzero[: path.n_computed])
        if self.heatmap:
            self._draw_heatmap(path)
        else:
            self._draw_lines(path)
        self.early.draw(s, path, self.x, self._early_shown())
        self._set_range(path)
        self._update_summary(path)
        self._sync_controls()

    def _draw_lines(self, path) -> None:
        coefs = path.coefs[: path.n_computed]
        self.feature_lines.set_data(self.x.xs, coefs)
        self._rank_lines()
        truth = self.session.data.true_coef
        if truth is not None:  # at the weak end: where the path comes closest
            keep = np.flatnonzero(truth != 0)
            end = self.x.xs[self.x.weakest()]
            self.truth.setData(np.full(keep.size, end), truth[keep], brush=None)
        self._order = np.arange(coefs.shape[1])

    def _rank_lines(self) -> None:
        """Colour and name the largest |w| at the λ cursor (ties, such as the
        weights that are 0 there, by |w| at the weak end)."""
        lines, path = self.feature_lines, self.model.path
        if self.heatmap or path is None or self.x.empty or not lines.lines:
            return
        coefs = path.coefs[: path.n_computed]
        at = self.x.to_x(self.model.alpha) if self.model.alpha is not None else None
        i = self.x.weakest() if at is None else int(np.argmin(np.abs(self.x.xs - at)))
        weak = np.abs(coefs[self.x.weakest()])
        scale = float(weak.max(initial=0.0)) or 1.0
        lines.set_strength(np.abs(coefs[i]) + 1e-9 * weak / scale)

    def _draw_heatmap(self, path) -> None:
        coefs = path.coefs[: path.n_computed]
        entry = self.order_box.currentData() == "entry"
        self._order = entry_order(coefs) if entry else np.arange(coefs.shape[1])
        img = heatmap_image(coefs, self._order, self.x.columns(HEATMAP_COLUMNS))
        lo, hi = self.x.bounds()
        step = (hi - lo) / max(img.shape[1] - 1, 1) or 1.0
        d = img.shape[0]
        self.image.setImage(img, autoLevels=False, levels=(0, 255))
        self.image.setRect(QtCore.QRectF(lo - step / 2, -0.5, hi - lo + step, d))
        truth = self.session.data.true_coef
        if truth is not None:  # ▸ left of the image (the strong end on screen)
            rows = np.flatnonzero(truth[self._order] != 0).astype(float)
            x = hi + 3 * step if self.x_kind == "log" else lo - 3 * step
            self.truth.setData(np.full(rows.size, x), rows, brush=theme.TRUTH)

    def _set_range(self, path) -> None:
        lo, hi = self.x.bounds()
        pad = 0.04 * ((hi - lo) or 1.0)
        x0, x1 = lo - pad, hi + pad
        vb = self.plot.getViewBox()
        self.cursor.set_bounds(lo, hi)
        if self.heatmap:
            d = path.coefs.shape[1]
            vb.setRange(xRange=(x0 - pad, x1 + pad), yRange=(-0.5, d - 0.5), padding=0)
            return
        coefs = path.coefs[: path.n_computed]
        top, bottom = float(coefs.max(initial=0.0)), float(coefs.min(initial=0.0))
        truth = self.session.data.true_coef
        if truth is not None:
            top, bottom = max(top, float(truth.max())), min(bottom, float(truth.min()))
        ypad = 0.06 * ((top - bottom) or 1.0)
        if self.feature_lines.labels:
            # room for the names on the weak side (the right on screen)
            width = self.feature_lines.label_width() + 6
            share = min(width / max(vb.width(), 1.0), 0.4)
            extra = (x1 - x0) * share / (1 - share)
            x0, x1 = (x0 - extra, x1) if self.x_kind == "log" else (x0, x1 + extra)
        vb.setRange(xRange=(x0, x1), yRange=(bottom - ypad, top + ypad), padding=0)
        self._place_labels()

    def _on_resize(self, *_) -> None:
        # the room kept for the names is a share of the width: fit it again
        path = self.model.path
        if path is not None and not self.x.empty and self.feature_lines.labels:
            self._set_range(path)
        self._place_labels()

    def _place_labels(self) -> None:
        """Names at the lines' weak ends, nudged apart so that none overlap."""
        if not self.heatmap and not self.x.empty:
            self.feature_lines.place_labels()

    def _early_shown(self) -> bool:
        return self.early.box.isChecked() and self.early.available(
            self.session, self.heatmap
        )

    def _update_summary(self, path) -> None:
        has_truth = self.session.data.true_coef is not None
        note = self.model.path_note
        text = path_summary(path, self.heatmap, has_truth, note)
        if self._early_shown():
            text += "<br>" + self.early.summary()
        self.summary.setText(text)

    # -- following the settings --------------------------------------------------------
    def _sync_controls(self) -> None:
        s = self.session
        en = s.trainer is not None and s.settings.penalty == "elasticnet"
        self.rho_spin.setVisible(en)
        self.early.box.setVisible(
            s.trainer is not None and self.early.available(s, self.heatmap)
        )
        if en:
            with QtCore.QSignalBlocker(self.rho_spin):
                self.rho_spin.setValue(rho_of(s.settings))
        path = self.model.path
        has = path is not None and not self.x.empty
        self.cursor.sync(path.kind if has else None, self.model.alpha if has else None)
        if has:
            self._rank_lines()

    def _on_rho_edit(self, rho: float) -> None:
        s = self.session
        if s.trainer is None or s.settings.penalty != "elasticnet":
            return
        alpha = s.settings.active_penalty.alpha
        s.edit(lam1=rho * alpha, lam2=(1.0 - rho) * alpha)

    def _on_progress(self, frac: float, message: str) -> None:
        if self.model.path is None and message.startswith("path"):
            self.stack.show_message(f"{self.model.path_note}\n{message}")

    # -- pointer ----------------------------------------------------------------------
    def _on_click(self, event) -> None:
        """A click in the plot puts the cursor there; a double click fits the view."""
        if self.x.empty or event.button() != QtCore.Qt.MouseButton.LeftButton:
            return
        if event.double():
            self.refresh_now()
            return
        vb = self.plot.getViewBox()
        if vb.sceneBoundingRect().contains(event.scenePos()):
            lo, hi = self.x.bounds()
            x = min(max(vb.mapSceneToView(event.scenePos()).x(), lo), hi)
            self.model.move_cursor(self.x.from_x(x))

    def hover_at(self, scene_pos) -> int | None:
        """Highlight and name the line (or heat map row) under ``scene_pos``, a
        scene position as the pointer's moves report it; the feature, or None."""
        vb = self.plot.getViewBox()
        path = self.model.path
        if path is None or self.x.empty:
            self.feature_lines.set_hover(None)
            return None
        if not self.heatmap:
            return self.feature_lines.hover(scene_pos)
        at = None
        if vb.sceneBoundingRect().contains(scene_pos):
            p = vb.mapSceneToView(scene_pos)
            i = int(np.argmin(np.abs(self.x.xs - p.x())))
            row = int(round(p.y()))
            if 0 <= row < self._order.size:
                at = (int(self._order[row]), i)
        self.feature_lines.set_hover(at)
        return None if at is None else at[0]

    def describe(self, j: int, i: int) -> str:
        """One line about feature ``j`` at grid point ``i`` of the path."""
        path = self.model.path
        name = self.session.data.feature_names[j]
        w = path.coefs[i, j]
        value = "0 exactly" if w == 0 else f"{w:.4g}"
        strength = f"{strength_name(path.kind)} = {compact(path.alphas[i])}"
        text = f"{name}: w = {value} at {strength}"
        truth = self.session.data.true_coef
        if truth is not None:
            text += f" (true {truth[j]:.4g})"
        return text

    def eventFilter(self, watched, event) -> bool:
        # the scene reports no move once the pointer has left the plot
        if event.type() == QtCore.QEvent.Type.Leave:
            self.feature_lines.set_hover(None)
        return super().eventFilter(watched, event)

    # -- on screen: the path is computed while someone looks --------------------------
    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.model.watch(self, True)

    def hideEvent(self, event) -> None:
        super().hideEvent(event)
        self.model.watch(self, False)

    # -- view state (see gui.panes) -----------------------------------------------------
    def _fit_x_label(self, *_) -> None:
        """The longest x axis title that fits the pane's width."""
        if self._x_labels:
            fit_axis_label(self.plot, "bottom", self._x_labels)

    def view_state(self) -> dict:
        """``x``: 'log', 'norm' or 'explained'; ``order``: heat map rows in 'entry'
        or 'feature' order; ``early``: gradient descent's iterates drawn."""
        return {
            "x": self.x_kind,
            "order": self.order_box.currentData(),
            "early": self.early.box.isChecked(),
        }

    def set_view_state(self, st: dict) -> None:
        """Restore :meth:`view_state`; entries that are missing or wrong are skipped."""
        if isinstance(st.get("early"), bool):
            self.early.box.setChecked(st["early"])
        for box, key in ((self.x_box, "x"), (self.order_box, "order")):
            value = st.get(key)
            if isinstance(value, str) and box.findData(value) >= 0:
                box.setCurrentIndex(box.findData(value))

    def figure_controls(self) -> list[QtWidgets.QWidget]:
        """The cursor buttons and the options below the plot (the summary line,
        which names the path, its strengths and ρ, stays)."""
        return [
            *self.controls.widgets(),
            self.x_box,
            self.order_box,
            self.rho_spin,
            self.early.box,
        ]
