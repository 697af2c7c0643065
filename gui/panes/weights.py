"""The weights pane: one bar per feature, exact zeros drawn and counted.

Positive weights are blue bars, negative ones vermillion; a weight that is exactly 0.0
is not an invisible zero-height bar but a grey stub across the axis, and the header
counts them: "k of d weights are exactly 0". Up to 30 features the bars lie
horizontally with the feature names beside them; beyond that they stand in a row and
the name under the mouse is shown below the plot. On synthetic data the true
coefficients are drawn as black diamonds and feature selection is scored.

View choices (see :mod:`gui.panes.weights_view`): all bars, only the nonzero ones or
the 10 / 20 largest |w| (the counter still counts every exact zero); weights per SD
of the feature or per unit of the raw feature.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from engine.run import selection
from gui import theme
from gui.panes.weights_view import (
    WeightsOptions,
    hidden_text,
    place_names,
    shown_features,
    value_labels,
)
from gui.throttle import Throttle
from gui.ticks import FittedAxis, fit_axis_label
from gui.widgets import WrappingLabel

__all__ = ["WeightsPane"]

#: Up to this many features the names are written beside the bars.
MAX_NAMED = 30
BAR = 0.8
#: Seconds between updates of the counter and score lines while playing.
TEXT_INTERVAL = 0.05


class WeightsPane(QtWidgets.QWidget):
    """Bar chart of the current weights, updated on every step."""

    title = "Weights"

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.setObjectName("weights")
        self.header = WrappingLabel()
        self.header.setObjectName("zeroCounter")
        self.header.setTextFormat(QtCore.Qt.TextFormat.RichText)
        self.header.setStyleSheet("font-size: 14pt;")
        self.header.setWordWrap(True)
        self.header.setToolTip(
            "Weights that are exactly 0.0: their features are switched off. The L1 "
            "clamp makes them; L2 only shrinks weights and never lands on 0."
        )
        # the view options (their widgets stay reachable as this pane's attributes)
        self.options = WeightsOptions()
        opts = self.options
        self.sort_box, self.show_box, self.units_box = (
            opts.sort_box,
            opts.show_box,
            opts.units_box,
        )
        self.truth_box, self.fit_button = opts.truth_box, opts.fit_button

        self.plot_widget = pg.PlotWidget(
            axisItems={"left": FittedAxis("left"), "bottom": FittedAxis("bottom")},
            enableMenu=False,  # no context menu: none is built (start-up)
        )
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
        # the whole width of the pane, wrapped between its parts: never cut
        self.footer.setWordWrap(True)
        self.footer.setMinimumWidth(1)
        self.footer.setSizePolicy(
            QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Preferred
        )

        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        # the counter and the score line get the whole width; the view options sit
        # below them
        layout.addWidget(self.header)
        layout.addWidget(self.plot_widget, 1)
        layout.addWidget(self.footer)
        layout.addWidget(self.options)

        self._limit = 1.0
        self._zero_key = None
        self._auto_range = True
        self._order = np.arange(0)
        # bar position under the pointer (None: not over the bars); the read-out is
        # rebuilt from the live weight on every redraw, never kept as stale text
        self._hover_at: int | None = None
        self.horizontal: bool | None = None  # None: axes still to be laid out
        self._feature_label = "feature"
        self.sort_box.currentIndexChanged.connect(self._on_sort_change)
        self.show_box.currentIndexChanged.connect(self._on_sort_change)
        self.units_box.currentIndexChanged.connect(self._on_units_change)
        self.truth_box.toggled.connect(lambda _: self._update_bars())
        self.fit_button.clicked.connect(self.fit_view)
        self._options_visible = True
        self._small_pt = 10.0  # see refresh_text
        vb = self.plot.getViewBox()
        vb.sigRangeChangedManually.connect(self._on_manual_range)
        # the feature names are spaced for the pixels one bar gets
        vb.sigResized.connect(self.fit_labels)
        vb.sigYRangeChanged.connect(self._update_name_ticks)
        self.plot.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.plot_widget.viewport().installEventFilter(self)
        self._text_throttle = Throttle(self._refresh_counter, TEXT_INTERVAL, self)
        session.datasetLoaded.connect(self._on_dataset_change)
        session.stepped.connect(self._update_bars)
        # the counter names λ; the bars change with the weights (a step or a jump)
        session.settingsChanged.connect(
            lambda: self._text_throttle.request(now=not session.playing)
        )
        session.restarted.connect(self.fit_view)
        session.playingChanged.connect(self._on_playing_change)
        if session.trainer is not None:
            self._on_dataset_change()

    # -- data shape changes -----------------------------------------------------
    def _on_dataset_change(self) -> None:
        self.horizontal = None  # lay the axes out anew
        self._order = np.arange(0)
        self.set_options_visible(self._options_visible)
        # raw scales: the weights are per unit already, there is nothing to convert
        self.units_box.setEnabled(self.session.data.standardized)
        self._on_sort_change()

    def _lay_out_axes(self, horizontal: bool) -> None:
        """Orientation: horizontal bars with the names beside them for a few, a row
        of vertical bars for many (a reset, not a per-step update)."""
        self.horizontal = horizontal
        value_axis, feature_axis = (
            ("bottom", "left") if horizontal else ("left", "bottom")
        )
        for side in ("left", "bottom"):
            self.plot.getAxis(side).setTicks(None)
        self._feature_label = "feature"
        if self.show_key != "all" and not horizontal:
            self._feature_label = "feature (point at a bar for its name)"
        self.plot.setLabel(value_axis, "w", **theme.LABEL_STYLE)
        self.plot.setLabel(feature_axis, "feature", **theme.LABEL_STYLE)
        self.axis_line.setAngle(90 if horizontal else 0)
        self.plot.showGrid(x=horizontal, y=not horizontal, alpha=0.25)
        self.plot.invertY(horizontal)  # first feature on top
        self._zero_key = None
        self.fit_labels()

    def fit_labels(self) -> None:
        """Axis labels that fit their axis in the current font (shorter forms on a
        small pane or a slide) and feature names spaced so they never overlap."""
        if self.session.data is None or self.horizontal is None:
            return
        value_axis, feature_axis = (
            ("bottom", "left") if self.horizontal else ("left", "bottom")
        )
        texts = value_labels(
            self.session.dataset.target_name, self.session.loss, self.raw_units
        )
        fit_axis_label(self.plot, value_axis, texts)
        fit_axis_label(self.plot, feature_axis, [self._feature_label, "feature"])
        if self._auto_range and self.horizontal:
            self._apply_range()  # the room beyond the end names is in pixels
        self._update_name_ticks()

    @property
    def show_key(self) -> str:
        """'all', 'nonzero', 'top10' or 'top20' (see :data:`weights_view.SHOW`)."""
        return self.show_box.currentData()

    @property
    def raw_units(self) -> bool:
        """Weights per unit of the raw feature (w / SD) rather than per SD."""
        data = self.session.data
        return (
            data is not None
            and data.standardized
            and self.units_box.currentData() == "raw"
        )

    def _on_sort_change(self) -> None:
        self._update_bars()
        self.fit_view()

    def _on_units_change(self) -> None:
        self.fit_labels()
        self.fit_view()

    # -- per-step update ------------------------------------------------------------
    def order(self) -> np.ndarray:
        """Feature index drawn at each position (0, 1, ... along the feature axis):
        every feature, or those the view shows (nonzero only, top k)."""
        w = self.session.trainer.w
        if self.sort_box.currentIndex() == 1:
            order = np.argsort(-np.abs(w), kind="stable")
        else:
            order = np.arange(w.size)
        return shown_features(w, order, self.show_key)

    def shown_values(self) -> tuple[np.ndarray, float, np.ndarray | None]:
        """``(w, b, truth)`` in the units shown: per SD of the feature, or per unit
        of the raw feature (``w / sd`` and the intercept that keeps every
        prediction, :meth:`engine.data.TrainingData.raw_coef`). ``truth`` is None
        unless drawn."""
        tr, data = self.session.trainer, self.session.data
        truth = data.true_coef if self.truth_box.isChecked() else None
        if not self.raw_units:
            return tr.w, tr.b, truth
        w, b = data.raw_coef(tr.w, tr.b)
        return w, b, None if truth is None else truth / data.scale

    def _update_bars(self) -> None:
        tr = self.session.trainer
        if tr is None:
            return
        w, _, truth = self.shown_values()
        d = w.size
        order = self.order()
        n_shown = len(order)
        horizontal = (d if self.show_key == "all" else n_shown) <= MAX_NAMED
        relaid = horizontal != self.horizontal
        resized = relaid or n_shown != len(self._order)
        self._order = order
        if relaid:
            self._lay_out_axes(horizontal)
        wo = w[order]
        pos = np.arange(n_shown, dtype=float)
        zero = wo == 0.0
        limit = float(np.abs(w).max(initial=0.0))
        if truth is not None:
            limit = max(limit, float(np.abs(truth).max()))
        if self._auto_range and (
            resized or limit > self._limit or limit < 0.25 * self._limit
        ):
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
            self._update_name_ticks()
        # the bars follow every step; the counter and score lines, text that takes
        # a layout, at most TEXT_INTERVAL apart while playing
        self._text_throttle.request(now=not self.session.playing)

    def _on_playing_change(self, playing: bool) -> None:
        theme.cache_axes(self.plot, playing)
        if not playing and self.session.trainer is not None:
            self._update_bars()  # paused: the counter says the last step at once

    def _update_name_ticks(self, *_) -> None:
        """The feature names beside horizontal bars (every k-th where the bars are
        closer than a line of text)."""
        if self.horizontal and self.session.data is not None:
            names = self.session.data.feature_names
            place_names(self.plot, [names[j] for j in self._order])

    def _set_bars(self, item, at, start, length) -> None:
        if self.horizontal:
            item.setOpts(y=at, x0=start, width=length, height=BAR, x=None, y0=None)
        else:
            item.setOpts(x=at, y0=start, height=length, width=BAR, y=None, x0=None)

    def _refresh_counter(self) -> None:
        tr = self.session.trainer
        if tr is not None:
            self._update_text(tr, tr.w, None)

    def _update_text(self, tr, w, truth) -> None:
        d = w.size
        k = tr.n_zero
        self.header.setText(
            f"<b>{k}</b> of {d} weights are exactly&nbsp;0"  # lines break before ·
            f"<span style='font-size:{self._small_pt:g}pt'>"
            + hidden_text(self.show_key, k, len(self._order), d)
            + f" &nbsp;·&nbsp;<nobr>{tr.penalty.label()}</nobr>"
            f" &nbsp;·&nbsp;step&nbsp;{tr.step_count}"
            + (" &nbsp;·&nbsp;<nobr>solved</nobr>" if tr.solution is not None else "")
            + "</span>"
        )
        parts = []
        sel = selection(w, self.session.data.true_coef)
        if sel is not None:
            parts.append(sel.text)
        _, b, _ = self.shown_values()
        parts.append(f"intercept b = {b:.4g}")
        if self._hover_at is not None and self._hover_at < len(self._order):
            parts.append(self.describe(int(self._order[self._hover_at])))
        text = "\u00a0\u00a0· ".join(parts) if parts else " "
        self.footer.setText(text)
        self.footer.setToolTip(text)

    # -- view range -----------------------------------------------------------------
    def _apply_range(self) -> None:
        vb = self.plot.getViewBox()
        d = max(len(self._order), 1)
        lim = self._limit
        if self.horizontal:
            # room for half a line of text beyond the first and the last name
            axis = self.plot.getAxis("left")
            line = QtGui.QFontMetricsF(axis.style.get("tickFont") or self.font())
            px_per_bar = max(vb.height(), 1.0) / (d + 0.2)
            pad = max(0.6, 0.6 * line.height() / px_per_bar)
            vb.setRange(xRange=(-lim, lim), yRange=(-pad, d - 1 + pad), padding=0)
        else:
            vb.setRange(xRange=(-0.6, d - 0.4), yRange=(-lim, lim), padding=0)

    def fit_view(self) -> None:
        """Zoom to all bars and follow the weights again."""
        self._auto_range = True
        tr = self.session.trainer
        if tr is None:
            return
        w, _, truth = self.shown_values()
        limit = float(np.abs(w).max(initial=0.0))
        if truth is not None:
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
        self.options.set_shown(on, data is not None and data.true_coef is not None)

    def refresh_text(self) -> None:
        """Redraw the counter line after a change of font size: the settings after
        the counter are 5/7 of its size (10 pt on screen, 15 pt presenting)."""
        self.header.ensurePolished()
        self._small_pt = round(self.header.font().pointSizeF() * 5 / 7, 1)
        tr = self.session.trainer
        if tr is not None:
            self._update_text(tr, tr.w, None)
        self.fit_labels()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.fit_labels()

    def describe(self, j: int) -> str:
        """One line about feature ``j``: name, weight, since when it is 0, truth."""
        tr = self.session.trainer
        name = self.session.data.feature_names[j]
        weights, _, _ = self.shown_values()
        w = weights[j]
        if w == 0.0:
            since = tr.zero_events.is_zero_since(j)
            text = f"{name}: w = 0 exactly" + (
                f" since step {since}" if since >= 0 else ""
            )
        else:
            text = f"{name}: w = {w:.4g}"
        truth = self.session.data.true_coef
        if truth is not None:
            if self.raw_units:
                truth = truth / self.session.data.scale
            text += f" (true {truth[j]:.4g})"
        return text

    # -- view state and redraw (see gui.panes) ------------------------------------------
    def view_state(self) -> dict:
        """``sorted``: 0 feature order, 1 sorted by |w|; ``truth``: true coefficients
        drawn; ``show``: 'all', 'nonzero', 'top10' or 'top20'; ``units``: 'sd' (per
        SD of the feature) or 'raw' (per unit of the raw feature)."""
        return {
            "sorted": self.sort_box.currentIndex(),
            "truth": self.truth_box.isChecked(),
            "show": self.show_key,
            "units": self.units_box.currentData(),
        }

    def set_view_state(self, st: dict) -> None:
        """Restore :meth:`view_state`; entries that are missing or wrong are skipped."""
        if st.get("sorted") in (0, 1):
            self.sort_box.setCurrentIndex(st["sorted"])
        if isinstance(st.get("truth"), bool):
            self.truth_box.setChecked(st["truth"])
        for box, key in ((self.show_box, "show"), (self.units_box, "units")):
            i = box.findData(st.get(key)) if isinstance(st.get(key), str) else -1
            if i >= 0:
                box.setCurrentIndex(i)

    def refresh_now(self) -> None:
        """Redraw from the current state, the counter and score lines too."""
        self._update_bars()
        self._text_throttle.request(now=True)

    def figure_controls(self) -> list[QtWidgets.QWidget]:
        """The view options below the bars (the counter and score line stay)."""
        return [self.options]
