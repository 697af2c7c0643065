"""The trajectories pane: every weight over the training steps.

Up to 30 features: one line per weight, so a weight marching to zero and staying
there is a line that lands on the axis; the strongest are coloured and named at their
ends (:mod:`gui.panes.line_labels`), hovering a line names it with its value. Beyond that: a heat map, features down and
steps across, white near zero, blue positive, vermillion negative and grey exactly
zero, so 1,000 weights turning to zero are a picture that goes grey.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets

from gui import theme
from gui.panes.change_markers import ChangeMarkers
from gui.panes.line_labels import ALL_COLOURED, FeatureLines
from gui.throttle import Throttle

__all__ = ["TrajectoriesPane"]

MAX_LINES = 30
#: Most points drawn per line, and most columns of the heat map.
MAX_POINTS = 600
#: The heat map is rebuilt at most this often (seconds); lines every step.
HEATMAP_INTERVAL = 0.15


class TrajectoriesPane(QtWidgets.QWidget):
    """Weights against steps: lines for few features, a heat map for many."""

    title = "Trajectories"

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.setObjectName("trajectories")
        self.header = QtWidgets.QLabel()
        self.header.setStyleSheet("font-size: 11pt;")
        self.header.setWordWrap(True)
        self.plot_widget = pg.PlotWidget(enableMenu=False)  # no menu is built
        self.plot = self.plot_widget.getPlotItem()
        theme.style_plot(self.plot)
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.setLabel("bottom", "step", **theme.LABEL_STYLE)

        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setLookupTable(theme.diverging_lut())
        self.image.setLevels((0, 255))
        self.zero_line = pg.InfiniteLine(angle=0, pen=pg.mkPen("#404040", width=1))
        self.feature_lines = FeatureLines(self.plot, self.plot_widget, self.describe)
        self.markers = ChangeMarkers(self.plot, parent=self)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.header)
        layout.addWidget(self.plot_widget, 1)
        self.heatmap = False
        self._follow = True  # follow the data until the user zooms or pans
        self.plot.getViewBox().sigRangeChangedManually.connect(self._on_manual_range)
        self.plot_widget.setToolTip(
            "Drag to pan, wheel to zoom; double-click to follow the training again"
        )
        self.plot.scene().sigMouseClicked.connect(self._on_click)
        self.plot.scene().sigMouseMoved.connect(self.hover_at)
        self.plot.getViewBox().sigResized.connect(self._on_resize)
        self.plot.getViewBox().sigRangeChanged.connect(self._on_view_change)
        self.plot_widget.viewport().installEventFilter(self)
        self._heatmap_throttle = Throttle(self._update_heatmap, HEATMAP_INTERVAL, self)
        # behind the Path tab the pane draws nothing until it is in front again
        self._redraw = Throttle(self._update, 0.0, self, pane=self)
        self._remark = Throttle(self._update_markers, 0.0, self, pane=self)
        session.datasetLoaded.connect(self._on_dataset_change)
        session.stepped.connect(self._redraw.request)
        session.restarted.connect(self._redraw.request)
        # a change while paused is marked at once, before the next step
        session.settingsChanged.connect(self._remark.request)
        session.playingChanged.connect(lambda _: self._update(force=True))
        session.playingChanged.connect(lambda on: theme.cache_axes(self.plot, on))
        if session.trainer is not None:
            self._on_dataset_change()

    def _on_dataset_change(self) -> None:
        self._follow = True
        data = self.session.data
        d = data.n_features
        self.feature_lines.clear()
        for item in (self.image, self.zero_line):
            if item.scene() is not None:
                self.plot.removeItem(item)
        self.heatmap = d > MAX_LINES
        if self.heatmap:
            self.plot.addItem(self.image)
            self.plot.setLabel("left", "feature (index)", **theme.LABEL_STYLE)
            self.plot.invertY(True)
            self.header.setText(
                f"All {d} weights over the steps: <span style='color:{theme.POSITIVE}'>"
                f"blue &gt; 0</span>, <span style='color:{theme.NEGATIVE}'>vermillion "
                f"&lt; 0</span>, white near 0, <span style='color:{theme.ZERO}'>"
                "<b>grey exactly 0</b></span>"
            )
        else:
            self.plot.invertY(False)
            self.plot.addItem(self.zero_line)
            self.plot.setLabel("left", "weight w", **theme.LABEL_STYLE)
            self.feature_lines.build(data.feature_names)
            strongest = (
                f"; the {self.feature_lines.k} largest |w| now in colour"
                if d > ALL_COLOURED
                else ""
            )
            self.header.setText(
                f"Each of the {d} weights over the steps; a weight at "
                f"exactly 0 runs along the axis{strongest}"
            )
        self._update(force=True)

    def _update_markers(self) -> None:
        if self.session.trainer is not None:
            self.markers.update(self.session.trainer)

    def _update(self, force: bool = False) -> None:
        if self.session.trainer is None:
            return
        self.markers.update(self.session.trainer)
        if self.heatmap:
            self._heatmap_throttle.request(now=force is True)
            return
        h = self.session.trainer.history
        steps = h.steps
        idx = np.unique(np.linspace(0, len(steps) - 1, MAX_POINTS).astype(int))
        steps = steps[idx]
        W = h.weights()[idx]
        lines = self.feature_lines
        lines.set_data(steps, W, antialias=not self.session.playing)
        lines.set_strength(np.abs(W[-1]))
        if self._follow:
            lo, hi = float(W.min(initial=0.0)), float(W.max(initial=0.0))
            pad = 0.05 * (hi - lo or 1.0)
            vb = self.plot.getViewBox()
            last = max(int(steps[-1]), 1)
            # room for the names right of the lines' ends, and for the change
            # markers' labels above the lines
            share = min(lines.label_width() / max(vb.width(), 1.0), 0.4)
            up = min(self.markers.headroom_px() / max(vb.height(), 1.0), 0.4)
            top = hi + pad + (hi - lo + 2 * pad) * up / (1 - up)
            vb.setRange(
                xRange=(0, last / (1 - share)),
                yRange=(lo - pad, top),
                padding=0,
            )
        lines.top_margin = self.markers.headroom_px()
        lines.place_labels()

    def _on_resize(self, *_) -> None:
        # the room kept for the names is a share of the width: fit it again
        if self._follow and not self.heatmap:
            self._update(force=True)
        else:
            self._on_view_change()

    def _on_view_change(self, *_) -> None:
        if not self.heatmap:
            self.feature_lines.place_labels()

    def describe(self, j: int, i: int) -> str:
        """One line about feature ``j`` at drawn point ``i``."""
        lines = self.feature_lines
        w = float(lines.Y[i, j])
        value = "0 exactly" if w == 0 else f"{w:.4g}"
        name = self.session.data.feature_names[j]
        return f"{name}: w = {value} at step {int(lines.x[i]):,}"

    def hover_at(self, scene_pos) -> int | None:
        """Highlight the line under ``scene_pos`` (a scene position, as the
        pointer's moves report it) and name it; the feature, or None."""
        if self.heatmap:
            return None
        return self.feature_lines.hover(scene_pos)

    def eventFilter(self, watched, event) -> bool:
        # the scene reports no move once the pointer has left the plot
        if event.type() == QtCore.QEvent.Type.Leave:
            self.feature_lines.set_hover(None)
        return super().eventFilter(watched, event)

    def _on_manual_range(self, *_) -> None:
        self._follow = False

    def _on_click(self, event) -> None:
        if event.double():
            self._follow = True
            self._update(force=True)

    def heatmap_image(self) -> np.ndarray:
        """Indices into the lookup table, features × recorded steps (0 = exact zero),
        at most MAX_POINTS steps evenly chosen."""
        W = self.session.trainer.history.weights()
        idx = np.unique(np.linspace(0, len(W) - 1, MAX_POINTS).astype(int))
        W = W[idx].T
        scale = float(np.abs(W).max(initial=0.0)) or 1.0
        # the colour saturates at half the largest weight so small weights show too
        idx = np.clip(np.round(W / (0.5 * scale) * 127 + 128), 1, 255).astype(np.ubyte)
        idx[W == 0] = 0
        return idx

    def _update_heatmap(self) -> None:
        # a request made for the previous data may fire after the switch to lines
        # (a session opened right after start-up): it must not set the view range
        if not self.heatmap or self.session.trainer is None:
            return
        h = self.session.trainer.history
        steps = h.steps
        img = self.heatmap_image()
        self.image.setImage(img, autoLevels=False, levels=(0, 255))
        last = max(int(steps[-1]), 1)
        d = img.shape[0]
        self.image.setRect(QtCore.QRectF(0, -0.5, last, d))
        if self._follow:
            vb = self.plot.getViewBox()
            # the first feature on top, under the change markers' labels
            up = min(self.markers.headroom_px() / max(vb.height(), 1.0), 0.4)
            vb.setRange(
                xRange=(0, last), yRange=(-0.5 - d * up / (1 - up), d - 0.5), padding=0
            )

    # -- view state and redraw (see gui.panes) ------------------------------------------
    def view_state(self) -> dict:
        """``follow``: the view follows the training; when it does not (the user
        zoomed or panned), ``range`` is the shown ``[[x0, x1], [y0, y1]]``."""
        if self._follow:
            return {"follow": True}
        (x0, x1), (y0, y1) = self.plot.getViewBox().viewRange()
        return {"follow": False, "range": [[x0, x1], [y0, y1]]}

    def set_view_state(self, st: dict) -> None:
        """Restore :meth:`view_state`; entries that are missing or wrong are skipped."""
        rng = st.get("range")
        try:
            (x0, x1), (y0, y1) = ((float(a), float(b)) for a, b in rng)
        except (TypeError, ValueError):
            rng = None
        else:
            if not (np.isfinite([x0, x1, y0, y1]).all() and x0 < x1 and y0 < y1):
                rng = None
        if st.get("follow") is False and rng is not None:
            self._follow = False
            self.plot.getViewBox().setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0)
        elif st.get("follow") is True:
            self._follow = True
            self.refresh_now()

    def refresh_now(self) -> None:
        """Redraw from the current state now; the heat map bypasses its throttle."""
        self._update(force=True)

    def figure_controls(self) -> list[QtWidgets.QWidget]:
        """None: the header and the plot are all a figure."""
        return []
