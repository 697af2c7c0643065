"""The weights pane: one bar per feature, exact zeros drawn and counted.

Positive weights are blue bars, negative ones vermillion; a weight that is exactly 0.0
is not an invisible zero-height bar but a grey stub across the axis, and the header
counts them: "k of d weights are exactly 0". Up to 30 features the bars lie
horizontally with the feature names beside them; beyond that they stand in a row and
the name under the mouse is shown below the plot. On synthetic data the true
coefficients are drawn as black diamonds and feature selection is scored.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets

from engine.run import selection
from gui import theme

__all__ = ["WeightsPane"]

#: Up to this many features the names are written beside the bars.
MAX_NAMED = 30
BAR = 0.8


class WeightsPane(QtWidgets.QWidget):
    """Bar chart of the current weights, updated on every step."""

    title = "Weights"

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.setObjectName("weights")
        self.header = QtWidgets.QLabel()
        self.header.setObjectName("zeroCounter")
        self.header.setTextFormat(QtCore.Qt.TextFormat.RichText)
        self.header.setStyleSheet("font-size: 14pt;")
        self.header.setWordWrap(True)
        self.header.setToolTip(
            "Weights that are exactly 0.0: their features are switched off. The L1 "
            "clamp makes them; L2 only shrinks weights and never lands on 0."
        )
        self.sort_box = QtWidgets.QComboBox()
        self.sort_box.addItems(["feature order", "sorted by |w|"])
        self.sort_box.setToolTip(
            "Keep the features in their order, or sort the bars by "
            "the size of the weight (largest first)"
        )
        self.truth_box = QtWidgets.QCheckBox("true coefficients")
        self.truth_box.setChecked(True)
        self.truth_box.setToolTip(
            "Synthetic data only: mark the coefficients that generated the data "
            "(black diamonds) and score which features L1 kept"
        )
        self.fit_button = QtWidgets.QPushButton("Fit view")
        self.fit_button.setToolTip("Zoom to show every bar (after zooming or panning)")
        bottom = QtWidgets.QHBoxLayout()

        self.plot_widget = pg.PlotWidget()
        self.plot = self.plot_widget.getPlotItem()
        theme.style_plot(self.plot)
        self.plot.showGrid(x=False, y=True, alpha=0.25)
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.pos_bars = pg.BarGraphItem(
            x=[], height=[], width=BAR, pen=None, brush=theme.POSITIVE
        )
        self.neg_bars = pg.BarGraphItem(
            x=[], height=[], width=BAR, pen=None, brush=theme.NEGATIVE
        )
        self.zero_bars = pg.BarGraphItem(
            x=[], height=[], width=BAR, pen=None, brush=theme.ZERO
        )
        self.truth = pg.ScatterPlotItem(
            size=9, symbol="d", pen=pg.mkPen(theme.TRUTH, width=1.5), brush=None
        )
        self.axis_line = pg.InfiniteLine(angle=0, pen=pg.mkPen("#404040", width=1))
        for item in (
            self.zero_bars,
            self.pos_bars,
            self.neg_bars,
            self.axis_line,
            self.truth,
        ):
            self.plot.addItem(item)
        self.footer = QtWidgets.QLabel(" ")
        self.footer.setObjectName("weightsFooter")
        self.footer.setStyleSheet("font-size: 10pt;")
        # one line that may be cut at the right, never a tall column of words
        self.footer.setMinimumWidth(1)
        self.footer.setSizePolicy(
            QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Preferred
        )

        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        # the counter gets the whole width; the view options sit below the bars
        bottom.addWidget(self.footer, 1)
        bottom.addWidget(self.truth_box)
        bottom.addWidget(self.sort_box)
        bottom.addWidget(self.fit_button)
        layout.addWidget(self.header)
        layout.addWidget(self.plot_widget, 1)
        layout.addLayout(bottom)

        self._limit = 1.0
        self._zero_key = None
        self._auto_range = True
        self._order = np.arange(0)
        # bar position under the pointer (None: not over the bars); the read-out is
        # rebuilt from the live weight on every redraw, never kept as stale text
        self._hover_at: int | None = None
        self.horizontal = False
        self.sort_box.currentIndexChanged.connect(self._on_sort_change)
        self.truth_box.toggled.connect(lambda _: self._update_bars())
        self.fit_button.clicked.connect(self.fit_view)
        self._options_visible = True
        self._small_pt = 10.0  # see refresh_text
        self.plot.getViewBox().sigRangeChangedManually.connect(self._on_manual_range)
        self.plot.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.plot_widget.viewport().installEventFilter(self)
        session.datasetLoaded.connect(self._on_dataset_change)
        session.stepped.connect(self._update_bars)
        session.settingsChanged.connect(self._update_bars)  # the counter names λ
        session.restarted.connect(self.fit_view)
        if session.trainer is not None:
            self._on_dataset_change()

    # -- data shape changes -----------------------------------------------------
    def _on_dataset_change(self) -> None:
        data = self.session.data
        d = data.n_features
        self.horizontal = d <= MAX_NAMED
        self.set_options_visible(self._options_visible)
        units = f"{self.session.dataset.target_name} per SD of the feature"
        if not data.standardized:
            units = "raw feature units"
        if self.session.loss == "logistic":
            units = "log-odds per SD" if data.standardized else "log-odds per unit"
        value_label = f"weight w ({units})"
        value_axis, feature_axis = (
            ("bottom", "left") if self.horizontal else ("left", "bottom")
        )
        self.plot.setLabel(value_axis, value_label, **theme.LABEL_STYLE)
        self.plot.setLabel(feature_axis, "feature", **theme.LABEL_STYLE)
        self.plot.getAxis(feature_axis).setTicks(None)
        self.axis_line.setAngle(90 if self.horizontal else 0)
        self.plot.showGrid(x=self.horizontal, y=not self.horizontal, alpha=0.25)
        self.plot.invertY(self.horizontal)  # first feature on top
        self._on_sort_change()

    def _on_sort_change(self) -> None:
        self._update_bars()
        self.fit_view()

    # -- per-step update ------------------------------------------------------------
    def order(self) -> np.ndarray:
        """Feature index drawn at each position (0, 1, ... along the feature axis)."""
        w = self.session.trainer.w
        if self.sort_box.currentIndex() == 1:
            return np.argsort(-np.abs(w), kind="stable")
        return np.arange(w.size)

    def _update_bars(self) -> None:
        tr = self.session.trainer
        if tr is None:
            return
        w = tr.w
        d = w.size
        order = self.order()
        self._order = order
        wo = w[order]
        pos = np.arange(d, dtype=float)
        zero = wo == 0.0
        show_truth = (
            self.truth_box.isChecked() and self.session.data.true_coef is not None
        )
        truth = self.session.data.true_coef if show_truth else None
        limit = float(np.abs(w).max(initial=0.0))
        if truth is not None:
            limit = max(limit, float(np.abs(truth).max()))
        if self._auto_range and (limit > self._limit or limit < 0.25 * self._limit):
            self._limit = 1.15 * limit if limit > 0 else 1.0
            self._apply_range()
        stub = 0.012 * self._limit
        for item, mask in ((self.pos_bars, wo > 0), (self.neg_bars, wo < 0)):
            self._set_bars(item, pos[mask], np.minimum(wo[mask], 0), np.abs(wo[mask]))
        nz = int(zero.sum())
        key = (self.horizontal, stub, pos[zero].tobytes())
        if key != self._zero_key:  # the zero set rarely changes: skip the rebuild
            self._zero_key = key
            self._set_bars(
                self.zero_bars, pos[zero], np.full(nz, -stub), np.full(nz, 2 * stub)
            )
        if truth is not None:
            t = truth[order]
            keep = t != 0
            xy = (t[keep], pos[keep]) if self.horizontal else (pos[keep], t[keep])
            self.truth.setData(*xy)
        else:
            self.truth.setData([], [])
        if self.horizontal:
            names = self.session.data.feature_names
            self.plot.getAxis("left").setTicks(
                [[(i, names[j]) for i, j in enumerate(order)]]
            )
        self._update_text(tr, w, truth)

    def _set_bars(self, item, at, start, length) -> None:
        if self.horizontal:
            item.setOpts(y=at, x0=start, width=length, height=BAR, x=None, y0=None)
        else:
            item.setOpts(x=at, y0=start, height=length, width=BAR, y=None, x0=None)

    def _update_text(self, tr, w, truth) -> None:
        d = w.size
        k = tr.n_zero
        self.header.setText(
            f"<b>{k}</b> of {d} weights are exactly&nbsp;0"  # lines break before ·
            f"<span style='font-size:{self._small_pt:g}pt'> &nbsp;·&nbsp;"
            f"<nobr>{tr.penalty.label()}</nobr> &nbsp;·&nbsp;step&nbsp;{tr.step_count}"
            + (" &nbsp;·&nbsp;<nobr>solved</nobr>" if tr.solution is not None else "")
            + "</span>"
        )
        parts = []
        sel = selection(w, self.session.data.true_coef)
        if sel is not None:
            parts.append(sel.text)
        if self._hover_at is not None and self._hover_at < len(self._order):
            parts.append(self.describe(int(self._order[self._hover_at])))
        text = "     ".join(parts) if parts else " "
        self.footer.setText(text)
        self.footer.setToolTip(text)

    # -- view range -----------------------------------------------------------------
    def _apply_range(self) -> None:
        vb = self.plot.getViewBox()
        d = max(len(self._order), 1)
        lim = self._limit
        if self.horizontal:
            vb.setRange(xRange=(-lim, lim), yRange=(-0.6, d - 0.4), padding=0)
        else:
            vb.setRange(xRange=(-0.6, d - 0.4), yRange=(-lim, lim), padding=0)

    def fit_view(self) -> None:
        """Zoom to all bars and follow the weights again."""
        self._auto_range = True
        tr = self.session.trainer
        if tr is None:
            return
        limit = float(np.abs(tr.w).max(initial=0.0))
        truth = self.session.data.true_coef
        if truth is not None and self.truth_box.isChecked():
            limit = max(limit, float(np.abs(truth).max()))
        self._limit = 1.15 * limit if limit > 0 else 1.0
        self._apply_range()
        self._update_bars()

    def _on_manual_range(self, *_) -> None:
        self._auto_range = False

    # -- hover ----------------------------------------------------------------------
    def _on_mouse_moved(self, scene_pos) -> None:
        tr = self.session.trainer
        vb = self.plot.getViewBox()
        at = None
        if tr is not None and vb.sceneBoundingRect().contains(scene_pos):
            p = vb.mapSceneToView(scene_pos)
            i = int(round(p.y() if self.horizontal else p.x()))
            if 0 <= i < len(self._order):
                at = i
        self._set_hover(at)

    def _set_hover(self, at: int | None) -> None:
        """Describe the bar at position ``at`` below the plot (None: no read-out)."""
        if at == self._hover_at:
            return
        self._hover_at = at
        tr = self.session.trainer
        if tr is not None:
            self._update_text(tr, tr.w, None)

    def eventFilter(self, watched, event) -> bool:
        # the scene reports no move once the pointer has left the plot
        if event.type() == QtCore.QEvent.Type.Leave:
            self._set_hover(None)
        return super().eventFilter(watched, event)

    def set_options_visible(self, on: bool) -> None:
        """Show or hide the view options below the bars (hidden on slides); the
        true-coefficients box only exists for synthetic data."""
        self._options_visible = on
        data = self.session.data
        self.truth_box.setVisible(
            on and data is not None and data.true_coef is not None
        )
        self.sort_box.setVisible(on)
        self.fit_button.setVisible(on)

    def refresh_text(self) -> None:
        """Redraw the counter line after a change of font size: the settings after
        the counter are 5/7 of its size (10 pt on screen, 15 pt presenting)."""
        self.header.ensurePolished()
        self._small_pt = round(self.header.font().pointSizeF() * 5 / 7, 1)
        tr = self.session.trainer
        if tr is not None:
            self._update_text(tr, tr.w, None)

    def describe(self, j: int) -> str:
        """One line about feature ``j``: name, weight, since when it is 0, truth."""
        tr = self.session.trainer
        name = self.session.data.feature_names[j]
        w = tr.w[j]
        if w == 0.0:
            since = tr.zero_events.is_zero_since(j)
            text = f"{name}: w = 0 exactly" + (
                f" since step {since}" if since >= 0 else ""
            )
        else:
            text = f"{name}: w = {w:.4g}"
        truth = self.session.data.true_coef
        if truth is not None:
            text += f" (true {truth[j]:.4g})"
        return text

    # -- view state and redraw (see gui.panes) ------------------------------------------
    def view_state(self) -> dict:
        """``sorted``: 0 feature order, 1 sorted by |w|; ``truth``: true coefficients
        drawn."""
        return {
            "sorted": self.sort_box.currentIndex(),
            "truth": self.truth_box.isChecked(),
        }

    def set_view_state(self, st: dict) -> None:
        """Restore :meth:`view_state`; entries that are missing or wrong are skipped."""
        if st.get("sorted") in (0, 1):
            self.sort_box.setCurrentIndex(st["sorted"])
        if isinstance(st.get("truth"), bool):
            self.truth_box.setChecked(st["truth"])

    def refresh_now(self) -> None:
        """Redraw from the current state (the bars are not throttled: one call)."""
        self._update_bars()

    def figure_controls(self) -> list[QtWidgets.QWidget]:
        """The view options below the bars (the counter and score line stay)."""
        return [self.truth_box, self.sort_box, self.fit_button]
