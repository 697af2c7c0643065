"""The fit pane: the model's own picture, live.

What the weights do to the predictions, so overfitting can be seen and not only read
off a loss curve:

* the ``polynomial`` dataset: the fitted curve through the training points, against
  the held-out points and the curve they come from (L2 calms the wiggles; L1 switches
  whole powers off: the powers kept are listed);
* other data with squared loss: predicted against actual, training and validation
  rows apart, with R² and the RMSE;
* logistic loss: the probability of the second class shaded over two features, the
  decision boundary, the rows by class, with the accuracy and the deviance.

The numbers under the title are :func:`engine.fit.fit_facts`, the same the command
line prints. The two features of the boundary default to the two the geometry pane
opens on (the largest |w| of the solution, :func:`engine.feature_pair.solution_pair`).
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6 import QtWidgets

from engine.feature_pair import solution_pair
from engine.fit import fit_facts
from gui import theme
from gui.flow_layout import FlowLayout
from gui.panes.fit_errors import ErrorsPlot
from gui.panes.fit_views import (
    BoundaryView,
    CurveView,
    ProbabilityView,
    ScatterView,
)
from gui.throttle import Throttle

__all__ = ["FitPane"]

#: While playing the picture redraws at most this often (seconds).
PLAYING_INTERVAL = 0.1


class FitPane(QtWidgets.QWidget):
    """The fitted model over its data."""

    title = "Fit"

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.setObjectName("fit")
        self.heading = QtWidgets.QLabel()
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-size: 11pt;")
        self.legend = QtWidgets.QLabel()
        self.legend.setObjectName("fitLegend")
        self.legend.setWordWrap(True)
        self.legend.setStyleSheet("font-size: 9.5pt;")
        self.facts = QtWidgets.QLabel()
        self.facts.setObjectName("fitFacts")
        self.facts.setWordWrap(True)
        self.facts.setStyleSheet("font-size: 9.5pt;")
        self.facts.setToolTip(
            "Training rows against held-out rows: a training error far below the "
            "held-out error means the model follows its training rows' noise "
            "(overfitting). MSE: mean squared error; R²: 1 is a perfect fit, 0 no "
            "better than the mean; deviance: 2 × the mean logistic loss. The loss "
            "pane's and the status bar's D is half of these (D = MSE/2, or the mean "
            "logistic loss)"
        )
        # the two features of the decision boundary
        self.x_box = QtWidgets.QComboBox()
        self.y_box = QtWidgets.QComboBox()
        for box, axis in ((self.x_box, "across"), (self.y_box, "up")):
            box.setToolTip(f"The feature {axis} the picture (the others at their mean)")
            box.setSizeAdjustPolicy(
                QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToContents
            )
            box.activated.connect(self._on_pair_choice)
        self.x_label, self.y_label = QtWidgets.QLabel("x:"), QtWidgets.QLabel("y:")
        self.errors_box = QtWidgets.QCheckBox("errors against λ")
        self.errors_box.setChecked(True)
        self._errors_tip = (
            "Below the picture: the training and held-out error along the "
            "regularization path, the bias–variance U-curve, with the λ cursor"
        )
        self.errors_box.setToolTip(self._errors_tip)
        self.pair_row = QtWidgets.QWidget()
        options = QtWidgets.QWidget()
        row = FlowLayout(options)
        pair = FlowLayout(self.pair_row)
        for w in (self.x_label, self.x_box, self.y_label, self.y_box):
            pair.addWidget(w)
        row.addWidget(self.pair_row)
        row.addWidget(self.errors_box)
        self.canvas = pg.PlotWidget(enableMenu=False)
        # its height comes from the stretch it shares with the errors below
        self.canvas.setSizePolicy(
            QtWidgets.QSizePolicy.Policy.Expanding, QtWidgets.QSizePolicy.Policy.Ignored
        )
        self.plot = self.canvas.getPlotItem()
        theme.style_plot(self.plot)
        self.plot.hideButtons()
        self.plot.setMouseEnabled(False, False)
        self.plot.showGrid(x=True, y=True, alpha=0.15)
        self.views = {
            "curve": CurveView(self.plot),
            "scatter": ScatterView(self.plot),
            "boundary": BoundaryView(self.plot),
            "probability": ProbabilityView(self.plot),
        }
        self.mode = ""
        self.errors = ErrorsPlot(session, self)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        for w in (self.heading, self.legend, self.facts, options):
            layout.addWidget(w)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.errors, 1)
        self.errors_box.toggled.connect(self._on_errors_toggle)
        # without a path the errors are one line of text: the picture takes the room
        self.errors.drawnChanged.connect(
            lambda on: layout.setStretchFactor(self.errors, 1 if on else 0)
        )
        layout.setStretchFactor(self.errors, 0)
        # behind the Geometry tab the pane redraws once it is in front again
        self._throttle = Throttle(self._update, PLAYING_INTERVAL, self, pane=self)
        session.datasetLoaded.connect(self._on_dataset_change)
        session.stepped.connect(lambda: self._throttle.request(now=not session.playing))
        session.restarted.connect(lambda: self._throttle.request(now=True))
        session.settingsChanged.connect(
            lambda: self._throttle.request(now=not session.playing)
        )
        session.playingChanged.connect(lambda on: theme.cache_axes(self.plot, on))
        session.playingChanged.connect(lambda _: self._throttle.request(now=True))
        if session.trainer is not None:
            self._on_dataset_change()

    # -- the data -----------------------------------------------------------------------
    def _on_dataset_change(self) -> None:
        s = self.session
        data = s.data
        if data.dataset.polynomial_degree is not None and s.loss == "squared":
            mode = "curve"
        elif s.loss == "logistic" and data.n_features >= 2:
            mode = "boundary"
        elif s.loss == "logistic":
            mode = "probability"
        else:
            mode = "scatter"
        self.mode = mode
        for key, view in self.views.items():
            view.show(key == mode)
        names = data.feature_names
        for box in (self.x_box, self.y_box):
            box.blockSignals(True)
            box.clear()
            box.addItems(list(names))
            box.blockSignals(False)
        self.pair_row.setVisible(mode == "boundary")
        if mode == "boundary":
            pair = (0, 1) if data.n_features == 2 else self._default_pair()
            self.x_box.setCurrentIndex(pair[0])
            self.y_box.setCurrentIndex(pair[1])
            self.views["boundary"].load(data, pair)
        else:
            self.views[mode].load(data)
        self._frame()
        self._throttle.request(now=True)

    def _default_pair(self) -> tuple[int, int]:
        s = self.session
        try:
            return solution_pair(s.data, s.loss, s.penalty)
        except ValueError:
            return (0, 1)

    def _on_pair_choice(self, _=None) -> None:
        i, j = self.x_box.currentIndex(), self.y_box.currentIndex()
        if i == j:  # one feature against itself says nothing: the other moves
            old = self.views["boundary"].pair
            j = old[0] if old[0] != i else (i + 1) % self.x_box.count()
        self.set_pair((i, j))

    def set_pair(self, pair: tuple[int, int]) -> None:
        """Draw the decision boundary over features ``pair`` (indices)."""
        if self.mode != "boundary":
            return
        d = self.session.data.n_features
        i, j = (int(pair[0]), int(pair[1]))
        if not (0 <= i < d and 0 <= j < d) or i == j:
            return
        self.x_box.setCurrentIndex(i)
        self.y_box.setCurrentIndex(j)
        self.views["boundary"].load(self.session.data, (i, j))
        self._frame()
        self._throttle.request(now=True)

    def _frame(self) -> None:
        view = self.views[self.mode]
        (x0, x1), (y0, y1) = view.frame()
        self.plot.disableAutoRange()
        self.plot.setXRange(x0, x1, padding=0)
        self.plot.setYRange(y0, y1, padding=0)
        self.plot.setLabel("bottom", view.axes[0], **theme.LABEL_STYLE)
        self.plot.setLabel("left", view.axes[1], **theme.LABEL_STYLE)
        if self.mode in ("boundary", "probability"):
            labels = self.session.dataset.class_labels or ("−1", "+1")
            entries = view.legend(labels)
        else:
            entries = view.legend()
        self.legend.setText("&nbsp;&nbsp;&nbsp; ".join(entries))

    # -- redraw -------------------------------------------------------------------------
    def _update(self) -> None:
        s = self.session
        if s.trainer is None or not self.mode:
            return
        self.views[self.mode].update(s)
        facts = fit_facts(s.data, s.loss, s.trainer.w, s.trainer.b)
        # predicted against actual: errors in the target's units, beside the axes
        text = facts.rmse_text if self.mode == "scatter" else facts.text
        lines = [text.removeprefix("fit: ")]
        if facts.powers_text:
            lines.append(facts.powers_text)
        self.facts.setText("<br>".join(lines))
        self.heading.setText(self._heading(facts))

    def _heading(self, facts) -> str:
        if self.mode == "curve":
            return f"The fitted polynomial of degree {facts.degree}"
        if self.mode == "boundary":
            other = self.session.data.n_features - 2
            if other > 0:  # a cut through the other features
                rest = (
                    "the third at its mean"
                    if other == 1
                    else (f"the other {other} at their mean")
                )
                return f"Decision boundary and P(class) over two features, {rest}"
            return "Decision boundary and P(class) over two features"
        if self.mode == "probability":
            return "P(class) against the one feature"
        return "Predicted against actual"

    # -- the errors against λ: the path is computed while they are on screen --------
    def _short(self) -> bool:
        """Too short for two plots (a laptop's screen, a lesson's layout): the
        picture alone, the errors against λ are on the cross-validation pane."""
        line = self.fontMetrics().height()
        return self.height() < 24 * line

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        short = self._short()
        self.errors_box.setEnabled(not short)
        self.errors_box.setToolTip(
            "The pane is too short for two plots: make it taller (or see the "
            "Cross-validation pane)"
            if short
            else self._errors_tip
        )
        shown = self.errors_box.isChecked() and not short
        if shown != self.errors.isVisible():
            self.errors.setVisible(shown)
            if shown:
                self.errors.refresh()

    def _on_errors_toggle(self, on: bool) -> None:
        self.errors.setVisible(on and not self._short())
        self.session.path_model.watch(self, on and self.isVisible())
        if on:
            self.errors.refresh()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.session.path_model.watch(self, self.errors_box.isChecked())
        self.errors.refresh()

    def hideEvent(self, event) -> None:
        super().hideEvent(event)
        self.session.path_model.watch(self, False)

    # -- view state and redraw (see gui.panes) --------------------------------------------
    def view_state(self) -> dict:
        """``errors``: the errors against λ drawn; ``pair``: the boundary's two
        features, by name."""
        st = {"errors": self.errors_box.isChecked()}
        names = self.session.data.feature_names if self.session.data else ()
        i, j = self.x_box.currentIndex(), self.y_box.currentIndex()
        if self.mode == "boundary" and min(i, j) >= 0:
            st["pair"] = [names[i], names[j]]
        return st

    def set_view_state(self, st: dict) -> None:
        """Restore :meth:`view_state`; entries that are missing or wrong are skipped."""
        if isinstance(st.get("errors"), bool):
            self.errors_box.setChecked(st["errors"])
        pair = st.get("pair")
        names = self.session.data.feature_names if self.session.data else ()
        if (
            isinstance(pair, list)
            and len(pair) == 2
            and all(isinstance(p, str) and p in names for p in pair)
        ):
            self.set_pair((names.index(pair[0]), names.index(pair[1])))

    def refresh_now(self) -> None:
        """Redraw from the current state now, shown or hidden (figures)."""
        self._throttle.run_now()
        self.errors.refresh(force=True)

    def figure_controls(self) -> list[QtWidgets.QWidget]:
        """The two feature boxes of the decision boundary with their labels, the
        errors box, and the λ cursor's line is not a control (it shows λ)."""
        return [self.x_label, self.x_box, self.y_label, self.y_box, self.errors_box]
