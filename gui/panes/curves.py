"""The curves pane: losses and the count of exact zeros, per step.

Top: data loss on the training rows, the penalty, the total objective, and the data
loss on the validation rows when there is a split (log scale by default: the early
fall and the final plateau both show). Bottom: how many weights are exactly 0.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtGui, QtWidgets

from engine.run import solved_text
from gui import theme
from gui.panes.change_markers import ChangeMarkers
from gui.throttle import Throttle
from gui.ticks import FittedAxis

__all__ = ["CurvesPane"]

#: While playing the curves redraw at most this often (seconds): antialiased lines
#: cost several milliseconds and change little from frame to frame.
PLAYING_INTERVAL = 0.1
#: Most points drawn per curve.
MAX_POINTS = 600
#: The step axis spans at least this many steps.
MIN_STEPS = 10


class CurvesPane(QtWidgets.QWidget):
    """Loss curves and the zero count against steps."""

    title = "Loss curves"

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.setObjectName("curves")
        self.log_box = QtWidgets.QCheckBox("log scale")
        self.log_box.setChecked(True)
        self.log_box.setToolTip(
            "Logarithmic loss axis: shows the first steps and the "
            "final plateau together"
        )
        top = QtWidgets.QHBoxLayout()
        self.title = title = QtWidgets.QLabel("Loss and exact zeros per step")
        title.setWordWrap(True)
        title.setStyleSheet("font-size: 11pt;")
        top.addWidget(title, 1)
        top.addWidget(self.log_box)
        # the legend is a label, not a pyqtgraph LegendItem: crisp text, and it is not
        # repainted with every frame of the curves
        self.legend = QtWidgets.QLabel()
        self.legend.setObjectName("curvesLegend")
        self.legend.setWordWrap(True)
        self.legend.setStyleSheet("font-size: 9.5pt;")
        self._legend_entries: list[str] = []
        # the validation score as the status bar and the command line state it
        self.score = QtWidgets.QLabel()
        self.score.setObjectName("curvesScore")
        self.score.setWordWrap(True)
        self.score.setStyleSheet("font-size: 9.5pt;")
        self.score.setToolTip(
            "Data loss D on the validation rows, and R² (squared loss: 1 is a "
            "perfect fit, 0 no better than the mean) or accuracy (logistic loss)"
        )
        self.canvas = pg.GraphicsLayoutWidget()
        self.loss_plot = self.canvas.addPlot(
            row=0, col=0, axisItems={"left": theme.LogAxis("left")}, enableMenu=False
        )
        # its short axis: ticks spaced for their labels (gui.ticks)
        self.zero_plot = self.canvas.addPlot(
            row=1, col=0, axisItems={"left": FittedAxis("left")}, enableMenu=False
        )
        self.canvas.ci.layout.setRowStretchFactor(0, 3)
        self.canvas.ci.layout.setRowStretchFactor(1, 2)
        for p in (self.loss_plot, self.zero_plot):
            theme.style_plot(p)
            p.setMenuEnabled(False)
            p.hideButtons()
            p.showGrid(x=False, y=True, alpha=0.2)
        self.zero_plot.setXLink(self.loss_plot)
        self.loss_plot.setLabel("left", "loss", **theme.LABEL_STYLE)
        self.zero_plot.setLabel("left", "weights = 0", **theme.LABEL_STYLE)
        self.zero_plot.setLabel("bottom", "step", **theme.LABEL_STYLE)
        for p in (self.loss_plot, self.zero_plot):
            p.getAxis("left").setStyle(maxTextLevel=0)  # label the major ticks only

        def curve(plot, color, name, style=None, width=2):
            pen = pg.mkPen(color, width=width)
            if style is not None:
                pen.setStyle(style)
            item = plot.plot([], [], pen=pen, antialias=True)
            dash = "╌╌" if style is not None else "━━"
            # black is the foreground (light on dark, like the line): no colour set
            fg = "" if color == "#000000" else f"color:{color}; "
            self._legend_entries.append(
                f"<span style='{fg}font-weight:bold'>{dash}</span>&nbsp;{name}"
            )
            return item

        from PySide6.QtCore import Qt

        self.objective = curve(
            self.loss_plot, theme.OBJECTIVE, "F = D + penalty", width=2.5
        )
        self.train = curve(self.loss_plot, theme.TRAIN, "D training")
        self.penalty = curve(
            self.loss_plot, theme.PENALTY, "penalty", Qt.PenStyle.DashLine
        )
        self.val = curve(self.loss_plot, theme.VALIDATION, "D validation")
        self.zeros = self.zero_plot.plot(
            [],
            [],
            pen=pg.mkPen(theme.ZERO_COUNT, width=2),
            stepMode=None,
            antialias=True,
        )
        # a solved point (Solve to convergence): a marker on F with its duality gap,
        # so a solve at step 0 is not an empty plot
        self.solved_marker = pg.ScatterPlotItem(
            size=11, symbol="star", pen=pg.mkPen(theme.OBJECTIVE), brush=theme.OBJECTIVE
        )
        self.solved_label = pg.TextItem(anchor=(1.0, 1.0), color=theme.OBJECTIVE)
        # where λ, the penalty, η or the rule changed: labelled above, lines below
        self.markers = ChangeMarkers(self.loss_plot, parent=self)
        self.zero_markers = ChangeMarkers(self.zero_plot, labelled=False, parent=self)
        # invisible: lifts the top of the automatic range above the curves, so the
        # markers' labels have a free strip
        self.headroom = self.loss_plot.plot([], [], pen=pg.mkPen(255, 255, 255, 0))
        self.loss_plot.addItem(self.solved_marker)
        self.loss_plot.addItem(self.solved_label, ignoreBounds=True)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.legend.setText("&nbsp;&nbsp;&nbsp; ".join(self._legend_entries))
        layout.addLayout(top)
        layout.addWidget(self.legend)
        layout.addWidget(self.score)
        layout.addWidget(self.canvas, 1)
        self.log_box.toggled.connect(self._on_log_change)
        session.datasetLoaded.connect(self._on_dataset_change)
        # behind the Cross-validation tab the pane redraws once it is in front again
        self._throttle = Throttle(self._update, PLAYING_INTERVAL, self, pane=self)
        session.stepped.connect(lambda: self._throttle.request(now=not session.playing))
        session.restarted.connect(lambda: self._throttle.request(now=True))
        # a new penalty changes F at the current weights: one redraw per edit
        session.settingsChanged.connect(
            lambda: self._throttle.request(now=not session.playing)
        )
        session.playingChanged.connect(lambda _: self._throttle.request(now=True))
        for p in (self.loss_plot, self.zero_plot):
            session.playingChanged.connect(lambda on, p=p: theme.cache_axes(p, on))
        self._on_log_change(True)
        if session.trainer is not None:
            self._on_dataset_change()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_rows()

    def _fit_rows(self) -> None:
        """A short pane (a laptop's screen, a slide's large fonts) shows the losses
        alone, with the step axis under them: two plots would squeeze the losses
        to a strip and pile their axis titles on each other. The count of exact
        zeros is in the weights pane's counter."""
        tick = self.loss_plot.getAxis("left").style.get("tickFont") or self.font()
        line = QtGui.QFontMetrics(tick).height()
        both = self.canvas.height() >= 12 * line
        if both == self.zero_plot.isVisible():
            return
        self.title.setText("Loss and exact zeros per step" if both else "Loss per step")
        ci = self.canvas.ci
        if both:  # back in its row (a hidden item would keep its room)
            ci.addItem(self.zero_plot, row=1, col=0)
            ci.layout.setRowStretchFactor(0, 3)
            ci.layout.setRowStretchFactor(1, 2)
            self.loss_plot.getAxis("bottom").setLabel("")
            self.loss_plot.getAxis("bottom").showLabel(False)
        else:
            ci.removeItem(self.zero_plot)
            self.loss_plot.setLabel("bottom", "step", **theme.LABEL_STYLE)
        self.zero_plot.setVisible(both)

    def _on_dataset_change(self) -> None:
        d = self.session.data.n_features
        # limits first: the old ones would clamp a range for more features
        self.zero_plot.setLimits(yMin=-0.05 * d, yMax=1.05 * d)
        self.zero_plot.setYRange(0, d, padding=0.05)
        self._update()

    def _on_log_change(self, on: bool) -> None:
        self.loss_plot.setLogMode(y=on)
        self._update()

    def _update(self) -> None:
        tr = self.session.trainer
        if tr is None:
            return
        h = tr.history
        steps = h.steps.astype(float)
        log = self.log_box.isChecked()
        # about one point per pixel: long runs stay cheap to draw
        idx = np.unique(np.linspace(0, len(steps) - 1, MAX_POINTS).astype(int))
        steps = steps[idx]

        def shown(v):
            v = np.asarray(v, dtype=float)[idx]
            return np.where(v > 0, v, np.nan) if log else v  # log scale: no zeros

        # smooth lines when still (screenshots); plain ones while playing (3× cheaper)
        kw = {"connect": "finite", "antialias": not self.session.playing}
        self.objective.setData(steps, shown(h.scalar("objective")), **kw)
        self.train.setData(steps, shown(h.scalar("data_loss")), **kw)
        pen = h.scalar("penalty")
        if tr.penalty.kind == "none":
            self.penalty.setData([], [])
        else:
            self.penalty.setData(steps, shown(pen), **kw)
        val = h.scalar("val_loss")
        if np.isfinite(val).any():
            self.val.setData(steps, shown(val), **kw)
        else:
            self.val.setData([], [])
        self.zeros.setData(steps, h.scalar("n_zero")[idx], **kw)
        self._fit_steps(steps)
        self.markers.update(tr)
        self.zero_markers.update(tr)
        text = self.session.facts().validation_text
        self.score.setText(text)
        self.score.setVisible(bool(text))
        self._update_headroom(steps, log)
        self._update_solved(log)

    def _fit_steps(self, steps) -> None:
        """Fewer than MIN_STEPS steps are drawn over an axis of MIN_STEPS (at step 0
        an axis of steps, not of ±0.4 or 1e-306); then the range follows the run."""
        view = self.loss_plot.getViewBox()
        if steps.size == 0 or steps[-1] - steps[0] < MIN_STEPS:
            first = float(steps[0]) if steps.size else 0.0
            self.loss_plot.setXRange(first, first + MIN_STEPS, padding=0.02)
        elif not view.autoRangeEnabled()[0]:
            view.enableAutoRange(x=True)
            view.updateAutoRange()

    def _update_headroom(self, steps, log: bool) -> None:
        curves = (self.objective, self.train, self.penalty, self.val)
        ys = [c.getData()[1] for c in curves if c.getData()[1] is not None]
        ys = np.concatenate([np.asarray(y, dtype=float) for y in ys] or [[]])
        ys = ys[np.isfinite(ys)]
        # getData gives the values as plotted: their logarithms on the log scale
        room = self.markers.headroom_px()
        height = self.loss_plot.getViewBox().height()
        if not room or ys.size == 0 or height <= 0:
            self.headroom.setData([], [])
            return
        lo, hi = float(ys.min()), float(ys.max())
        up = min(room / height, 0.4)
        top = hi + ((hi - lo) or 1.0) * (1.02 * up) / (1 - up)
        top = 10.0**top if log else top
        self.headroom.setData([steps[0], steps[-1]], [top, top])

    def _update_solved(self, log: bool) -> None:
        tr = self.session.trainer
        res = tr.solution
        if res is None or not np.isfinite(tr.objective) or (log and tr.objective <= 0):
            self.solved_marker.setData([], [])
            self.solved_label.setText("")
            return
        y = np.log10(tr.objective) if log else tr.objective
        self.solved_marker.setData([float(tr.step_count)], [y])
        self.solved_label.setText(solved_text(res))
        first = tr.step_count <= tr.history.steps[0]  # nothing to its left: text right
        self.solved_label.setAnchor((0.0, 1.0) if first else (1.0, 1.0))
        self.solved_label.setPos(float(tr.step_count), y)

    # -- view state and redraw (see gui.panes) ------------------------------------------
    def view_state(self) -> dict:
        """``log``: logarithmic loss axis."""
        return {"log": self.log_box.isChecked()}

    def set_view_state(self, st: dict) -> None:
        """Restore :meth:`view_state`; entries that are missing or wrong are skipped."""
        if isinstance(st.get("log"), bool):
            self.log_box.setChecked(st["log"])

    def refresh_now(self) -> None:
        """Redraw from the current state now, not at the end of the throttle's
        interval (a pending redraw is dropped: it would draw the same), in front or
        not."""
        self._throttle.run_now()

    def figure_controls(self) -> list[QtWidgets.QWidget]:
        """The log-scale box (the title and the legend stay)."""
        return [self.log_box]
