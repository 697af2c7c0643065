"""The "which penalty wins" pane: the seed's when-to-use rules, measured.

Two views of synthetic data with a known truth (:mod:`engine.synthetic`: ``n`` rows,
``d`` features in groups correlated at a chosen correlation, the first ``k`` features
true, the signal's variance 1):

- **error against k** (:mod:`engine.sweep`): the excess error on new data of L1, L2
  and Elastic Net, each at its own cross-validated λ_min, as the truth goes from
  sparse (k = 1) to dense (k = d); where L2 overtakes L1.
- **bias² and variance against λ** (:mod:`engine.bias_variance`): for the run's
  penalty, over fresh training sets from the generator. The run's λ cursor is not
  drawn: it is a strength on the run's own data, not on this generator's.

The generator's settings are run settings (``settings.lab``); the controls edit them
through the controller, and each view's computation follows them on the worker
(:class:`gui.lab_job.LabJob`) while the view is on screen.
"""

from __future__ import annotations

import numpy as np
from PySide6 import QtCore, QtWidgets

from engine.bias_variance import bias_variance_for, same_bias_variance
from engine.sweep import KINDS, same_sweep, sweep_for
from gui import theme
from gui.flow_layout import FlowLayout
from gui.lab_job import LabJob
from gui.panes.path_parts import MessageStack, compact_combo
from gui.panes.wins_plots import (
    NAMES,
    BiasVarianceAgainstLambda,
    ErrorAgainstK,
    glyph,
)

__all__ = ["WinsPane"]

VIEWS = (
    ("error", "error against k"),
    ("bias", "bias² and variance against λ"),
)
#: The bias–variance view's penalty: the run's, or one of the three.
BIAS_CHOICES = (
    ("run", "the run's penalty"),
    ("l1", "L1"),
    ("l2", "L2"),
    ("elasticnet", "Elastic Net"),
)


def _spin(prefix: str, lo, hi, tip: str, *, decimals: int | None = None, step=None):
    if decimals is None:
        box = QtWidgets.QSpinBox()
    else:
        box = QtWidgets.QDoubleSpinBox()
        box.setDecimals(decimals)
    box.setRange(lo, hi)
    if step is not None:
        box.setSingleStep(step)
    box.setPrefix(prefix)
    box.setKeyboardTracking(False)  # one edit when typing is done, not per digit
    box.setToolTip(tip)
    return box


class WinsPane(QtWidgets.QWidget):
    """L1, L2 and Elastic Net against the number of true features; bias² and
    variance against λ."""

    title = "Which penalty wins"

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.setObjectName("wins")
        self.jobs = {
            "error": LabJob(
                session, "sweep over k", sweep_for, same_sweep, self, partial=True
            ),
            "bias": LabJob(
                session,
                "bias–variance decomposition",
                bias_variance_for,
                same_bias_variance,
                self,
            ),
        }
        self.summary = QtWidgets.QLabel()
        self.summary.setObjectName("winsSummary")
        self.summary.setWordWrap(True)
        self.summary.setToolTip(
            "Synthetic data: the signal has variance 1 whatever k, so the noise σ "
            "sets the signal-to-noise ratio 1/σ². Excess error 0 is the truth "
            "itself, 1 the null model. Bias² and variance are of the run's penalty"
        )
        self.summary.setTextFormat(QtCore.Qt.TextFormat.RichText)
        self.error_plot = ErrorAgainstK()
        self.bias_plot = BiasVarianceAgainstLambda()
        self.plots = QtWidgets.QStackedWidget()
        self.plots.addWidget(self.error_plot.widget)
        self.plots.addWidget(self.bias_plot.widget)
        self.stack = MessageStack(self.plots)

        self.view_box = compact_combo(
            VIEWS,
            "Error against k: each penalty at its cross-validated λ as the truth "
            "goes from sparse to dense. Bias² and variance against λ: for the run's "
            "penalty, over fresh training sets",
        )
        self.n_spin = _spin("n = ", 20, 5000, "Rows of each synthetic training set")
        self.d_spin = _spin("d = ", 2, 200, "Features of the synthetic data")
        self.group_spin = _spin(
            "groups of ",
            1,
            200,
            "Features come in groups of this size, correlated within a group; the "
            "true features fill whole groups first",
        )
        self.corr_spin = _spin(
            "correlation ",
            0.0,
            0.99,
            "Correlation of two features of the same group (0: independent "
            "features). At 0.9 L1 keeps one feature of a group, Elastic Net more",
            decimals=2,
            step=0.1,
        )
        self.noise_spin = _spin(
            "noise σ = ",
            0.05,
            20.0,
            "Standard deviation of the noise; the signal's variance is 1, so the "
            "signal-to-noise ratio is 1/σ²",
            decimals=2,
            step=0.25,
        )
        self.repeats_spin = _spin(
            "repeats ",
            1,
            100,
            "Training sets drawn at each k: the curves are their mean, the bands "
            "±1 standard error",
        )
        self.k_spin = _spin(
            "k = ", 1, 1000, "True features of the bias–variance view (at most d)"
        )
        self.draws_spin = _spin(
            "draws ",
            2,
            10_000,
            "Fresh training sets the bias and variance are measured over",
        )
        self.bias_penalty_box = compact_combo(
            BIAS_CHOICES,
            "The penalty whose bias², variance and error are drawn: the run's, or L1, "
            "L2 or Elastic Net (at the L1 share of the comparison)",
        )
        self.fields = {
            "sweep_n": self.n_spin,
            "sweep_d": self.d_spin,
            "sweep_group": self.group_spin,
            "sweep_rho": self.corr_spin,
            "sweep_noise": self.noise_spin,
            "sweep_repeats": self.repeats_spin,
            "sweep_k": self.k_spin,
            "sweep_draws": self.draws_spin,
        }
        self.progress = QtWidgets.QProgressBar()
        self.progress.setObjectName("winsProgress")
        self.progress.setRange(0, 1000)
        self.progress.setMaximumWidth(200)
        self.cancel_button = QtWidgets.QPushButton("Cancel")
        self.cancel_button.setObjectName("cancelWins")
        self.cancel_button.setToolTip("Stop; what is done so far is kept and shown")
        self.compute_button = QtWidgets.QPushButton("Compute")
        self.compute_button.setToolTip("Finish the cancelled computation")
        self.progress.hide()
        self.cancel_button.hide()
        self.compute_button.hide()

        options = FlowLayout()  # wraps in a narrow pane
        for w in (self.view_box, self.bias_penalty_box, *self.fields.values()):
            options.addWidget(w)
        options.addWidget(self.progress)
        options.addWidget(self.cancel_button)
        options.addWidget(self.compute_button)
        options.addStretch()
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(self.stack, 1)
        layout.addLayout(options)

        self.view_box.activated.connect(lambda _: self._on_view_change())
        self.bias_penalty_box.activated.connect(
            lambda _: self._on_lab_edit(
                "bias_penalty", self.bias_penalty_box.currentData()
            )
        )
        for field, box in self.fields.items():
            box.valueChanged.connect(lambda v, f=field: self._on_lab_edit(f, v))
        self.cancel_button.clicked.connect(lambda: self.job.cancel())
        self.compute_button.clicked.connect(lambda: self.job.compute())
        for job in self.jobs.values():
            job.changed.connect(self.refresh_now)
            job.busyChanged.connect(self._on_busy)
            job.progressed.connect(self._on_progress)
        session.settingsChanged.connect(self._sync_controls)
        self._sync_controls()
        self._on_view_change()

    # -- which view -----------------------------------------------------------------
    @property
    def view(self) -> str:
        return self.view_box.currentData()

    @property
    def job(self) -> LabJob:
        """The computation of the view shown."""
        return self.jobs[self.view]

    @property
    def busy(self) -> bool:
        """Whether either view's computation is running."""
        return any(job.busy for job in self.jobs.values())

    def cancel(self) -> None:
        """Stop both views' computations (Esc); what they did is kept and shown."""
        for job in self.jobs.values():
            if job.busy:
                job.cancel()

    def _on_view_change(self) -> None:
        error = self.view == "error"
        self.plots.setCurrentIndex(0 if error else 1)
        self.repeats_spin.setVisible(error)
        self.k_spin.setVisible(not error)
        self.draws_spin.setVisible(not error)
        self.bias_penalty_box.setVisible(not error)
        self._update_watch()
        self._on_busy(self.job.busy)
        self.refresh_now()

    def _update_watch(self) -> None:
        shown = self.isVisible()
        for view, job in self.jobs.items():
            job.watch(self, shown and view == self.view)

    # -- drawing ----------------------------------------------------------------------
    def refresh_now(self) -> None:
        """Redraw the view shown from its computation's last result."""
        job = self.job
        res = job.result
        if res is None:
            self.stack.show_message(job.note or f"The {job.name} computes when shown")
            self.summary.setText("")
            return
        self.stack.show_message(None)
        if self.view == "error":
            self.error_plot.show(res)
            text = self._error_summary(res)
        else:
            self.bias_plot.show(res)
            text = self._bias_summary(res)
        note = self._note(job, res)
        if note:
            text += f"<br><span style='color:{theme.NEGATIVE}'>{note}</span>"
        self.summary.setText(text)
        self.compute_button.setVisible(
            job.is_current() and res.cancelled and not job.busy
        )

    def _note(self, job: LabJob, res) -> str:
        if job.busy or job.note.startswith(("Computing", "Could not")):
            return job.note
        if res.cancelled:
            if self.view == "error":
                done = f"{res.repeats_done} of {res.repeats} repeats"
            else:
                done = f"{res.draws_done} of {res.draws} draws"
            return f"Cancelled after {done}: Compute to finish"
        return ""

    def _error_summary(self, res) -> str:
        gen = res.generator
        legend = " ".join(
            glyph(theme.PENALTY_COLOURS[k]) + " " + NAMES[k] for k in KINDS
        )
        text = (
            f"{legend} at each one's CV λ_min: mean ± 1 SE of "
            f"{max(res.repeats_done, 1)} draws<br>"
            f"n = {gen.n}, d = {gen.d} in groups of {gen.group}, correlation "
            f"{gen.rho:g}, noise σ = {gen.noise:g}"
        )
        if gen.rho > 0 and gen.group > 1:  # Elastic Net's point: whole groups kept
            kept = ", ".join(
                f"{NAMES[k]} {100 * _mean(res.mean_recall(k)):.0f} %"
                for k in ("l1", "elasticnet")
            )
            text += f"<br>true features kept (mean over k): {kept}"
        return text

    def _bias_summary(self, res) -> str:
        gen = res.generator
        name = NAMES[res.kind]
        if res.kind == "elasticnet":
            name += f" (L1 share {res.l1_ratio:.2g})"
        colour = theme.PENALTY_COLOURS[res.kind]
        return (
            f"<span style='color:{colour}'><b>{name}</b></span> over "
            f"{res.draws_done} fresh training sets: {glyph(theme.OBJECTIVE)} "
            f"error {glyph(theme.BIAS)} bias² {glyph(theme.VARIANCE)} variance<br>"
            f"k = {res.k} of d = {gen.d} true, n = {gen.n}, groups of {gen.group}, "
            f"correlation {gen.rho:g}, noise σ = {gen.noise:g}"
        )

    def _on_busy(self, _busy: bool) -> None:
        busy = self.job.busy
        if busy:
            self.progress.setValue(0)
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        if busy:
            self.compute_button.hide()

    def _on_progress(self, frac: float, message: str) -> None:
        if self.sender() is not self.job:
            return
        self.progress.setValue(int(frac * 1000))
        self.progress.setFormat(f"{message} · %p%")
        self.progress.setToolTip(message)

    # -- settings <-> controls ----------------------------------------------------------
    def _sync_controls(self) -> None:
        lab = self.session.settings.lab
        for field, box in self.fields.items():
            with QtCore.QSignalBlocker(box):
                box.setValue(getattr(lab, field))
        box = self.bias_penalty_box
        with QtCore.QSignalBlocker(box):
            box.setCurrentIndex(max(box.findData(lab.bias_penalty), 0))

    def _on_lab_edit(self, field: str, value) -> None:
        s = self.session
        lab = s.settings.lab
        if getattr(lab, field) == value:
            return
        changes = {field: value}
        if field == "sweep_d" and lab.sweep_group > value:
            changes["sweep_group"] = int(value)  # a group cannot outgrow d
        try:
            s.edit(lab=lab.replace(**changes))
        except ValueError as e:
            QtWidgets.QMessageBox.warning(self, "Cannot use this setting", str(e))
            self._sync_controls()

    # -- on screen: computed while someone looks ----------------------------------------
    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._update_watch()

    def hideEvent(self, event) -> None:
        super().hideEvent(event)
        self._update_watch()

    def wait(self, timeout_s: float = 600.0) -> None:
        """Compute what the view shown needs and block until it is there (figures,
        tests)."""
        self.job.wait(timeout_s)
        self.refresh_now()

    # -- view state (see gui.panes) -----------------------------------------------------
    def view_state(self) -> dict:
        """``view``: 'error' (against k) or 'bias' (bias² and variance against λ).
        (The generator's settings are run settings, ``settings.lab``.)"""
        return {"view": self.view}

    def set_view_state(self, st: dict) -> None:
        """Restore :meth:`view_state`; entries that are missing or wrong are skipped."""
        i = self.view_box.findData(st.get("view"))
        if i >= 0:
            self.view_box.setCurrentIndex(i)
            self._on_view_change()

    def figure_controls(self) -> list[QtWidgets.QWidget]:
        """Everything below the plot (the summary names what is drawn)."""
        return [
            self.view_box,
            self.bias_penalty_box,
            *self.fields.values(),
            self.progress,
            self.cancel_button,
            self.compute_button,
        ]


def _mean(values) -> float:
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    return float(v.mean()) if v.size else float("nan")
