"""The trajectories pane: every weight over the training steps.

Up to 30 features: one line per weight, so a weight marching to zero and staying
there is a line that lands on the axis. Beyond that: a heat map, features down and
steps across, white near zero, blue positive, vermillion negative and grey exactly
zero, so 1,000 weights turning to zero are a picture that goes grey.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets

from gui import theme
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
        self.plot_widget = pg.PlotWidget()
        self.plot = self.plot_widget.getPlotItem()
        theme.style_plot(self.plot)
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.setLabel("bottom", "step", **theme.LABEL_STYLE)

        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setLookupTable(theme.diverging_lut())
        self.image.setLevels((0, 255))
        self.zero_line = pg.InfiniteLine(angle=0, pen=pg.mkPen("#404040", width=1))
        self.lines: list[pg.PlotDataItem] = []
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
        self._heatmap_throttle = Throttle(self._update_heatmap, HEATMAP_INTERVAL, self)
        session.datasetLoaded.connect(self._on_dataset_change)
        session.stepped.connect(self._update)
        session.restarted.connect(self._update)
        session.playingChanged.connect(lambda _: self._update(force=True))
        if session.trainer is not None:
            self._on_dataset_change()

    def _on_dataset_change(self) -> None:
        self._follow = True
        data = self.session.data
        d = data.n_features
        for item in self.lines:
            self.plot.removeItem(item)
        self.lines = []
        for item in (self.image, self.zero_line):
            if item.scene() is not None:
                self.plot.removeItem(item)
        if self.plot.legend is not None:
            self.plot.legend.scene().removeItem(self.plot.legend)
            self.plot.legend = None
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
            if d <= 12:
                self.plot.addLegend(offset=(-10, 10), labelTextSize="9pt")
            for j, name in enumerate(data.feature_names):
                pen = pg.mkPen(theme.QUALITATIVE[j % len(theme.QUALITATIVE)], width=2)
                line = pg.PlotDataItem([], [], pen=pen, name=name, antialias=True)
                self.plot.addItem(line)
                self.lines.append(line)
            self.header.setText(
                f"Each of the {d} weights over the steps; a weight at "
                "exactly 0 runs along the axis"
            )
        self._update(force=True)

    def _update(self, force: bool = False) -> None:
        if self.session.trainer is None:
            return
        if self.heatmap:
            self._heatmap_throttle.request(now=force is True)
            return
        h = self.session.trainer.history
        steps = h.steps
        idx = np.unique(np.linspace(0, len(steps) - 1, MAX_POINTS).astype(int))
        steps = steps[idx]
        W = h.weights()[idx]
        smooth = not self.session.playing
        for j, line in enumerate(self.lines):
            line.setData(steps, W[:, j], antialias=smooth)
        if self._follow:
            lo, hi = float(W.min(initial=0.0)), float(W.max(initial=0.0))
            pad = 0.05 * (hi - lo or 1.0)
            self.plot.getViewBox().setRange(
                xRange=(0, max(int(steps[-1]), 1)),
                yRange=(lo - pad, hi + pad),
                padding=0,
            )

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
            self.plot.getViewBox().setRange(
                xRange=(0, last), yRange=(-0.5, d - 0.5), padding=0
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
