"""The stability pane: how often each feature is selected over resamples of the rows.

Stability selection (Meinshausen & Bühlmann 2010): B resamples of the training rows
(half-samples, or bootstraps), each fitted at the run's λ and along the path's grid
(:mod:`engine.stability`, computed by ``session.stability_model`` off the GUI
thread). Two views:

* **Frequencies at λ**: one bar per feature, blue at or above the threshold π
  (stably selected), grey below; ◆ marks the true features of synthetic data;
* **Stability paths**: each feature's frequency against λ, true features (or, on
  real data, the stably selected ones) in blue, the threshold and the λ cursor
  shared with the path and CV panes.

Up to :data:`MAX_SHOWN` features all are shown in the data's order (groups stay
together); beyond, the most frequently selected, most frequent first, with a note.
The controls edit the run's settings (``settings.lab``): B, the kind of resample
and the threshold (also by dragging its line).
"""

from __future__ import annotations

import numpy as np
from PySide6 import QtCore, QtWidgets

from engine.path import current_alpha
from engine.settings import MAX_RESAMPLES, SettingsError
from gui import theme
from gui.flow_layout import FlowLayout
from gui.panes.lambda_axes import compact, strength_name
from gui.panes.path_parts import MessageStack, compact_combo
from gui.panes.stability_views import SELECTED, FrequencyBars, StabilityPaths

__all__ = ["MAX_SHOWN", "StabilityPane"]

#: Features shown one by one; beyond, the most frequently selected.
MAX_SHOWN = 25
#: Height of a bar's row (pixels) for its name to be legible.
ROW_PX = 15
VIEWS = {"bars": "Frequencies at λ", "paths": "Stability paths"}
KINDS = {"half": "half-samples", "bootstrap": "bootstraps"}
PENALTY_NAMES = {"l1": "L1", "elasticnet": "Elastic Net"}


class StabilityPane(QtWidgets.QWidget):
    """Selection frequencies over resamples, as bars at λ or as paths over λ."""

    title = "Stability"

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.model = session.stability_model
        self.setObjectName("stability")
        self.summary = QtWidgets.QLabel()
        self.summary.setObjectName("stabilitySummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(QtCore.Qt.TextFormat.RichText)

        self.bars = FrequencyBars(self)
        self.paths = StabilityPaths(session.path_model, self)
        self.plots = QtWidgets.QStackedWidget()
        self.plots.addWidget(self.bars.widget)
        self.plots.addWidget(self.paths.widget)
        self.stack = MessageStack(self.plots)

        self.view_box = compact_combo(
            VIEWS.items(),
            "Bars: each feature's selection frequency at the run's λ. Paths: the "
            "frequencies over the whole grid of λ",
        )
        self.b_spin = QtWidgets.QSpinBox()
        self.b_spin.setObjectName("stabilityResamples")
        self.b_spin.setRange(2, MAX_RESAMPLES)
        self.b_spin.setPrefix("B = ")
        self.b_spin.setKeyboardTracking(False)
        self.b_spin.setToolTip(
            "Resamples of the training rows, drawn with the run's seed; each is "
            "fitted along the whole path"
        )
        self.kind_box = compact_combo(
            KINDS.items(),
            "Half-samples: ⌊n/2⌋ rows without replacement (Meinshausen & Bühlmann); "
            "bootstraps: n rows with replacement",
        )
        self.threshold_spin = QtWidgets.QDoubleSpinBox()
        self.threshold_spin.setObjectName("stabilityThreshold")
        self.threshold_spin.setRange(0.5, 0.99)
        self.threshold_spin.setSingleStep(0.05)
        self.threshold_spin.setDecimals(2)
        self.threshold_spin.setKeyboardTracking(False)
        self.threshold_spin.setPrefix("π = ")
        self.threshold_spin.setToolTip(
            "The threshold: a feature selected in at least this share of the "
            "resamples is stably selected (0.6 to 0.9 in the paper)"
        )
        self.run_button = QtWidgets.QPushButton("Run")
        self.run_button.setToolTip(
            "Compute the resamples now (or finish a cancelled run)"
        )
        self.cancel_button = QtWidgets.QPushButton("Cancel")
        self.cancel_button.setToolTip("Stop; the resamples done so far are kept")
        self.progress = QtWidgets.QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setMaximumWidth(160)
        self.progress.setFormat("%p%")
        options = FlowLayout()
        for w in (
            self.view_box,
            self.b_spin,
            self.kind_box,
            self.threshold_spin,
            self.run_button,
            self.cancel_button,
            self.progress,
        ):
            options.addWidget(w)
        options.addStretch()
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(self.stack, 1)
        layout.addLayout(options)

        self.view_box.currentIndexChanged.connect(self._on_view_change)
        self.b_spin.valueChanged.connect(self._on_resamples_edit)
        self.kind_box.currentIndexChanged.connect(self._on_kind_edit)
        self.threshold_spin.valueChanged.connect(self._on_threshold_edit)
        self.bars.thresholdMoved.connect(self._on_threshold_edit)
        self.paths.thresholdMoved.connect(self._on_threshold_edit)
        self.run_button.clicked.connect(self.model.compute)
        self.cancel_button.clicked.connect(self.model.cancel)
        self.model.resultChanged.connect(self.refresh_now)
        self.bars.plot.getViewBox().sigResized.connect(self._on_resize)
        self.model.busyChanged.connect(self._on_busy)
        self.model.progressed.connect(self._on_progress)
        session.settingsChanged.connect(self._sync_controls)
        session.settingsChanged.connect(self._sync_cursor)
        session.datasetLoaded.connect(self.refresh_now)
        self._on_busy(self.model.busy)
        self.refresh_now()

    # -- controls → settings ----------------------------------------------------------
    def _edit_lab(self, **changes) -> None:
        s = self.session
        if s.trainer is None:
            return
        lab = s.settings.lab
        if all(getattr(lab, k) == v for k, v in changes.items()):
            return
        try:
            s.edit(lab=lab.replace(**changes))
        except SettingsError:
            self._sync_controls()

    def _on_resamples_edit(self, value: int) -> None:
        self._edit_lab(resamples=int(value))

    def _on_kind_edit(self, _index: int) -> None:
        self._edit_lab(resample=self.kind_box.currentData())

    def _on_threshold_edit(self, value: float) -> None:
        self._edit_lab(threshold=min(max(round(float(value), 2), 0.5), 0.99))

    def _on_view_change(self, _index: int) -> None:
        self.plots.setCurrentIndex(0 if self.view == "bars" else 1)
        self.refresh_now()

    @property
    def view(self) -> str:
        return self.view_box.currentData()

    def _sync_controls(self) -> None:
        """Settings → controls, without echo."""
        s = self.session
        lab = s.settings.lab
        for w, set_value in (
            (self.b_spin, lambda: self.b_spin.setValue(lab.resamples)),
            (
                self.kind_box,
                lambda: self.kind_box.setCurrentIndex(
                    self.kind_box.findData(lab.resample)
                ),
            ),
            (self.threshold_spin, lambda: self.threshold_spin.setValue(lab.threshold)),
        ):
            blocked = w.blockSignals(True)
            try:
                set_value()
            finally:
                w.blockSignals(blocked)
        self.bars.set_threshold(lab.threshold)
        self.paths.set_threshold(lab.threshold)
        res = self.model.result
        self.run_button.setVisible(
            not self.model.busy and (res is None or res.cancelled)
        )

    def _sync_cursor(self) -> None:
        """The λ cursor at the run's λ (the result may be of an earlier one, being
        redone)."""
        s = self.session
        if s.trainer is not None and self.model.has_lab and self.model.result:
            self.paths.cursor.sync(s.settings.penalty, current_alpha(s.settings))

    def _on_busy(self, busy: bool) -> None:
        if busy:
            self.progress.setValue(0)
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        self._sync_controls()

    def _on_progress(self, frac: float, message: str) -> None:
        self.progress.setValue(int(frac * 1000))
        self.progress.setFormat(message)

    # -- drawing ----------------------------------------------------------------------
    def _on_resize(self, *_) -> None:
        res = self.model.result
        if self.view == "bars" and res is not None and res.done:
            if self.shown_features().size != self.bars.shown.size:
                self.refresh_now()

    def rows_that_fit(self) -> int:
        """Bars that fit the plot's height legibly (at least 5, at most
        :data:`MAX_SHOWN`)."""
        height = self.bars.plot.getViewBox().height()
        return int(min(MAX_SHOWN, max(5, height // ROW_PX)))

    def shown_features(self) -> np.ndarray:
        """The features drawn, top to bottom: all that fit, in the data's order
        (groups stay together). When not all fit: up to :data:`MAX_SHOWN`
        features, the most frequently selected in the data's order; beyond, the
        features ranked by frequency around the threshold (half of the rows at
        or above it, half below: the borderline ones, and the noise that comes
        close), most frequent first; the paths view draws the most frequent."""
        res = self.model.result
        d = self.session.data.n_features
        k = self.rows_that_fit() if self.view == "bars" else MAX_SHOWN
        if d <= k:
            return np.arange(d)
        if d <= MAX_SHOWN:
            return np.sort(res.top(k))
        ranked = res.top(d)
        if self.view == "paths":
            return ranked[:k]
        stable = res.stable(self.session.settings.lab.threshold).size
        start = int(min(max(stable - k // 2, 0), d - k))
        return ranked[start : start + k]

    def shown_ranks(self) -> tuple[int, int]:
        """``(first, last)``: the ranks by frequency (from 1) of the features
        shown, a run of the ranking when there are more than
        :data:`MAX_SHOWN` features."""
        res = self.model.result
        shown = self.shown_features()
        ranked = res.top(res.frequency.size)
        first = int(np.flatnonzero(ranked == shown[0])[0])
        return first + 1, first + shown.size

    def refresh_now(self) -> None:
        """Redraw from the model's result now."""
        s = self.session
        self._sync_controls()
        if s.trainer is None:
            return
        res = self.model.result
        if res is None or res.done == 0:
            self.bars.clear()
            self.paths.clear()
            self.summary.setText("")
            self.stack.show_message(self.model.note or "No resamples yet: Run")
            return
        self.stack.show_message(None)
        data = s.data
        lab = s.settings.lab
        order = self.shown_features()
        truth = data.true_coef
        if self.view == "bars":
            self.bars.draw(
                data.feature_names, res.frequency, order, lab.threshold, truth
            )
        else:
            highlight = (
                truth != 0 if truth is not None else res.frequency >= lab.threshold
            )
            self.paths.draw(res, order, lab.threshold, highlight, data.feature_names)
            self._sync_cursor()
        self.summary.setText(self.summary_text())

    def summary_text(self) -> str:
        """The line above the plot: which resamples, how many stably selected (and
        of the true features, how many), what the colours mean, and a note."""
        res, s = self.model.result, self.session
        lab, data = s.settings.lab, s.data
        name = strength_name(res.kind)
        share = f" (ρ = {res.rho:.3g})" if res.kind == "elasticnet" else ""
        stable = res.stable(lab.threshold)
        text = (
            f"<b>{PENALTY_NAMES[res.kind]}{share}, {name} = {compact(res.alpha)}</b>"
            f" · {res.done} {KINDS[res.resample]} of {res.rows} rows · "
            f"<b>{stable.size}</b> of {data.n_features} features selected in ≥ "
            f"{lab.threshold:.0%}"
        )
        truth = data.true_coef
        blue = f"<span style='color:{SELECTED}'>■</span>"
        if truth is not None:
            hits = int((truth[stable] != 0).sum())
            text += f" ({hits} of {int((truth != 0).sum())} true)"
            key = "◆ true" if self.view == "bars" else f"{blue} true features"
        else:
            key = f"{blue} stably selected"
        text += f" · {key}"
        k = self.shown_features().size
        if k < data.n_features:
            first, last = (1, k)
            if data.n_features > MAX_SHOWN:
                first, last = self.shown_ranks()
            text += (
                f" · top {k} shown"
                if first == 1
                else f" · ranks {first}–{last} by frequency shown"
            )
        if self.view == "paths" and res.n_path < res.alphas.size:
            text += (
                f" · paths end at {name} = {compact(res.alphas[res.n_path - 1])} "
                "(a tenth of the rows selected)"
            )
        note = self.model.note
        if note:
            text += f"<br><span style='color:{theme.NEGATIVE}'>{note}</span>"
        return text

    # -- who looks ----------------------------------------------------------------------
    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.model.watch(self, True)

    def hideEvent(self, event) -> None:
        super().hideEvent(event)
        self.model.watch(self, False)

    # -- view state (see gui.panes) -------------------------------------------------------
    def view_state(self) -> dict:
        """``view``: 'bars' or 'paths'. (B, the resamples and the threshold are run
        settings, ``settings.lab``.)"""
        return {"view": self.view}

    def set_view_state(self, st: dict) -> None:
        """Restore :meth:`view_state`; entries that are missing or wrong are skipped."""
        i = self.view_box.findData(st.get("view"))
        if i >= 0:
            self.view_box.setCurrentIndex(i)

    def figure_controls(self) -> list[QtWidgets.QWidget]:
        """Everything below the plot (the summary line stays)."""
        return [
            self.view_box,
            self.b_spin,
            self.kind_box,
            self.threshold_spin,
            self.run_button,
            self.cancel_button,
            self.progress,
        ]
