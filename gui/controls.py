"""The control panel: dataset, penalty and λ, step size, update rule, batch, run.

Every control edits the run's settings through :meth:`TrainingSession.edit`; the panel
shows ``session.settings`` again on ``datasetLoaded`` and ``settingsChanged`` (with its
own handlers muted, so syncing never echoes back). A dragged λ slider is throttled to
the frame rate: one edit per frame, the last value always applied.
"""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from engine import Penalty
from engine.datasets import dataset_names
from engine.polynomial import MAX_DEGREE, MIN_DEGREE
from engine.settings import DataSource
from engine.thresholds import check_gamma
from gui.throttle import Throttle
from gui.widgets import LogSlider, SciSpinBox

__all__ = ["ControlPanel"]

PENALTIES = (
    ("none", "None"),
    ("l1", "L1"),
    ("l2", "L2"),
    ("elasticnet", "Elastic Net"),
    ("scad", "SCAD"),
    ("mcp", "MCP"),
    ("l0", "L0"),
)
#: The nonconvex penalties, on a row of their own.
NONCONVEX_ROW = ("scad", "mcp", "l0")
SPEEDS = (1, 2, 5, 10, 20, 50, 100, 200, 500)
#: The window's Undo and Redo keys: a number field hands them on to the window.
UNDO_KEYS = ("Ctrl+Z", "Ctrl+Shift+Z", "Ctrl+Y")
#: A dragged slider edits the settings at most this often (seconds): the frame rate.
DRAG_INTERVAL = 1 / 60


def _group(title: str) -> tuple[QtWidgets.QGroupBox, QtWidgets.QFormLayout]:
    box = QtWidgets.QGroupBox(title)
    form = QtWidgets.QFormLayout(box)
    form.setFieldGrowthPolicy(
        QtWidgets.QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow
    )
    form.setContentsMargins(8, 6, 8, 6)
    return box, form


class ControlPanel(QtWidgets.QWidget):
    """All training controls, in four groups."""

    datasetRequested = QtCore.Signal(str)
    #: A λ slider was pressed / released: the edits in between are one drag (Undo
    #: takes them back at once). The drag's last value is applied before it ends.
    dragStarted = QtCore.Signal()
    dragFinished = QtCore.Signal()

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self._syncing = False
        self._pending: dict = {}
        self._drag = Throttle(self._apply_pending, DRAG_INTERVAL, self)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        # Run first: nothing above it changes height (a dataset's description, the
        # Elastic Net's rows), so Play, Step and Reset never move under the mouse
        layout.addWidget(self._build_run())
        layout.addWidget(self._build_data())
        layout.addWidget(self._build_penalty())
        layout.addWidget(self._build_optimizer())
        layout.addStretch(1)
        session.datasetLoaded.connect(self._on_dataset_change)
        session.settingsChanged.connect(self._sync_from_session)
        session.playingChanged.connect(self._on_playing_change)
        session.solveStarted.connect(lambda: self._set_running_enabled(False))
        session.solveFinished.connect(lambda _: self._set_running_enabled(True))
        if session.trainer is not None:
            self._on_dataset_change()
        for box in self.findChildren(QtWidgets.QAbstractSpinBox):
            box.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        """Ctrl+Z in a number field undoes the last change of the run (the value
        typed there and entered), not the typing: the field lets the window's
        Undo and Redo shortcuts through."""
        if event.type() == QtCore.QEvent.Type.ShortcutOverride:
            keys = QtGui.QKeySequence(event.keyCombination()).toString()
            if keys in UNDO_KEYS:
                event.ignore()
                return True
        return super().eventFilter(obj, event)

    def _remeasure(self) -> None:
        """QFormLayout keeps the height of a wrapped label that spans its row as
        measured before the label's style sheet font (the italic description) and
        the dock's width were final: a dataset's description was cut off."""
        for box in self.findChildren(QtWidgets.QGroupBox):
            box.layout().invalidate()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        QtCore.QTimer.singleShot(0, self._remeasure)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._remeasure()

    # -- building -----------------------------------------------------------------
    def _build_data(self):
        box, form = _group("Data")
        self.dataset_box = QtWidgets.QComboBox()
        self.dataset_box.addItems(dataset_names())
        self.dataset_box.setToolTip(
            "The bundled datasets. houses: the seed's 1,000 "
            "candidate features of which 50 matter"
        )
        self.dataset_box.activated.connect(
            lambda i: self.datasetRequested.emit(self.dataset_box.itemText(i))
        )
        self.description = QtWidgets.QLabel()
        self.description.setWordWrap(True)
        self.description.setStyleSheet("font-style: italic;")
        self.shape_label = QtWidgets.QLabel()
        self.shape_label.setWordWrap(True)
        self.standardize_box = QtWidgets.QCheckBox("standardize features")
        self.standardize_box.setToolTip(
            "Center every feature and scale it to standard deviation 1. Penalties "
            "compare weights with each other, so the features must share a scale."
        )
        self.validation_spin = QtWidgets.QDoubleSpinBox()
        self.validation_spin.setRange(0.0, 0.5)
        self.validation_spin.setSingleStep(0.05)
        self.validation_spin.setDecimals(2)
        self._validation_tip = (
            "Share of rows held out to measure the validation "
            "loss (0: no validation curve)"
        )
        self.validation_spin.setToolTip(self._validation_tip)
        self.degree_spin = QtWidgets.QSpinBox()
        self.degree_spin.setObjectName("degree")
        self.degree_spin.setRange(MIN_DEGREE, MAX_DEGREE)
        self.degree_spin.setToolTip(
            "Degree of the polynomial: the features x, x², …, x^degree of the one "
            "input x (a new run on the same points)"
        )
        self.degree_label = QtWidgets.QLabel("Degree")
        self.standardize_box.toggled.connect(lambda _: self._reload_data())
        self.validation_spin.editingFinished.connect(self._reload_data)
        self.degree_spin.valueChanged.connect(self._on_degree_edit)
        form.addRow("Dataset", self.dataset_box)
        form.addRow(self.description)
        form.addRow(self.shape_label)
        form.addRow(self.degree_label, self.degree_spin)
        form.addRow(self.standardize_box)
        form.addRow("Validation share", self.validation_spin)
        return box

    def _on_degree_edit(self, degree: int) -> None:
        src, ds = self.session.settings.source, self.session.dataset
        if ds is not None and ds.polynomial_degree not in (None, degree):
            self._edit(source=DataSource.bundled("polynomial", src.seed, degree))

    def _build_penalty(self):
        box, form = _group("Penalty")
        row = QtWidgets.QHBoxLayout()
        self.penalty_buttons = QtWidgets.QButtonGroup(self)
        tips = {
            "none": "No penalty: plain least squares / logistic regression",
            "l1": "L1 (Lasso): λ‖w‖₁. Its gradient has constant size λ, so every step "
            "moves each weight the same fixed amount toward zero, and weights "
            "that cannot justify themselves land on exactly 0",
            "l2": "L2 (Ridge): (λ/2)‖w‖². Its gradient λw is proportional to the weight: "
            "big weights shrink fast, small ones barely; none reaches 0",
            "elasticnet": "Elastic Net: λ₁‖w‖₁ + (λ₂/2)‖w‖². Some sparsity with L2's "
            "smoothness; keeps groups of correlated features together",
            "scad": "SCAD (Fan & Li): like L1 near 0, then the penalty flattens out, so "
            "large weights are not shrunk. Not convex: the result may depend on the "
            "start. Squared loss only",
            "mcp": "MCP (Zhang): the L1 slope falls to 0 at γλ; large weights are left "
            "unshrunk. Not convex: the result may depend on the start. Squared loss "
            "only",
            "l0": "L0: a fixed cost λ²/2 for every nonzero weight (the hard threshold: "
            "a weight is kept whole or set to 0). Not convex. Squared loss only",
        }
        nonconvex = QtWidgets.QHBoxLayout()
        for i, (kind, label) in enumerate(PENALTIES):
            b = QtWidgets.QRadioButton(label)
            b.setObjectName(f"penalty_{kind}")
            b.setToolTip(tips[kind])
            self.penalty_buttons.addButton(b, i)
            (nonconvex if kind in NONCONVEX_ROW else row).addWidget(b)
        self.penalty_buttons.idClicked.connect(lambda _: self._on_penalty_edit())
        self.gamma_spin = QtWidgets.QDoubleSpinBox()
        self.gamma_spin.setRange(1.01, 100.0)
        self.gamma_spin.setDecimals(2)
        self.gamma_spin.setSingleStep(0.1)
        self.gamma_spin.setKeyboardTracking(False)
        self.gamma_spin.setToolTip(
            "γ: where the penalty stops growing (at |w| = γλ). SCAD needs γ > 2 "
            "(default 3.7), MCP γ > 1 (default 3); smaller γ is closer to L0, larger "
            "closer to L1"
        )
        self.gamma_label = QtWidgets.QLabel("γ")
        nonconvex.addWidget(self.gamma_label)
        nonconvex.addWidget(self.gamma_spin)
        nonconvex.addStretch(1)
        form.addRow(row)
        form.addRow(nonconvex)
        self.gamma_spin.valueChanged.connect(self._on_gamma_edit)
        self.lam1 = LogSlider()
        self.lam1.setToolTip(
            "L1 strength λ₁: each proximal step moves every weight "
            "η·λ₁ toward zero and clamps it at exactly 0"
        )
        self.lam2 = LogSlider()
        self.lam2.setToolTip(
            "L2 strength λ₂: each step shrinks every weight by the "
            "factor 1/(1 + η·λ₂); it never reaches 0"
        )
        self.lam1_label = QtWidgets.QLabel("λ")
        self.lam2_label = QtWidgets.QLabel("λ")
        form.addRow(self.lam1_label, self.lam1)
        form.addRow(self.lam2_label, self.lam2)
        self.alpha_spin = SciSpinBox()
        self.alpha_spin.setToolTip(
            "α = λ₁ + λ₂ (scikit-learn's alpha, glmnet's lambda)"
        )
        self.rho_spin = QtWidgets.QDoubleSpinBox()
        self.rho_spin.setRange(0.0, 1.0)
        self.rho_spin.setSingleStep(0.05)
        self.rho_spin.setDecimals(3)
        self.rho_spin.setKeyboardTracking(False)
        self.rho_spin.setToolTip(
            "ρ = λ₁/(λ₁ + λ₂), the L1 share (scikit-learn's l1_ratio, glmnet's alpha)"
        )
        ar = QtWidgets.QHBoxLayout()
        ar.addWidget(QtWidgets.QLabel("α"))
        ar.addWidget(self.alpha_spin, 1)
        ar.addWidget(QtWidgets.QLabel("ρ"))
        ar.addWidget(self.rho_spin, 1)
        self.alpha_rho = QtWidgets.QWidget()
        self.alpha_rho.setLayout(ar)
        ar.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.alpha_rho)
        self.lam_info = QtWidgets.QLabel()
        self.lam_info.setWordWrap(True)
        self.lam_info.setTextInteractionFlags(
            QtCore.Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.lam_info.setStyleSheet("font-size: 9.5pt;")
        form.addRow(self.lam_info)
        self.lam1.valueChanged.connect(lambda v: self._on_strength_edit("lam1", v))
        self.lam2.valueChanged.connect(lambda v: self._on_strength_edit("lam2", v))
        for strength in (self.lam1, self.lam2):
            strength.slider.sliderPressed.connect(self.dragStarted)
            strength.slider.sliderReleased.connect(self._on_drag_end)
        self.alpha_spin.valueChanged.connect(lambda _: self._on_alpha_rho_edit())
        self.rho_spin.valueChanged.connect(lambda _: self._on_alpha_rho_edit())
        return box

    def _build_optimizer(self):
        box, form = _group("Optimizer")
        self.auto_lr = QtWidgets.QCheckBox("auto (1/L)")
        self.auto_lr.setToolTip(
            "Step size η = 1/L, L the curvature of the loss: "
            "every step lowers the objective"
        )
        self.lr_spin = SciSpinBox()
        self.lr_spin.setObjectName("lr")
        self.lr_spin.setToolTip(
            "Step size η. Safe up to 1/L; gradient descent diverges beyond 2/L"
        )
        lr_row = QtWidgets.QHBoxLayout()
        lr_row.addWidget(self.lr_spin, 1)
        lr_row.addWidget(self.auto_lr)
        form.addRow("Step size η", lr_row)
        self.lr_info = QtWidgets.QLabel()
        self.lr_info.setWordWrap(True)
        form.addRow(self.lr_info)
        self.rule_box = QtWidgets.QComboBox()
        self.rule_box.addItem("proximal (clamp at 0)", "proximal")
        self.rule_box.addItem("naive subgradient", "subgradient")
        self.rule_box.setToolTip(
            "proximal: step on the data loss, then move each weight η·λ₁ toward zero "
            "and clamp it at exactly 0 if it would cross.\nnaive subgradient: add "
            "λ₁·sign(w) to the gradient; small weights jump back and forth across "
            "zero and are never exactly 0"
        )
        form.addRow("Update rule", self.rule_box)
        self.minibatch_box = QtWidgets.QCheckBox("mini-batch")
        self.minibatch_box.setToolTip(
            "Use a random subset of rows for each step "
            "(stochastic gradient); off: all rows"
        )
        self.batch_spin = QtWidgets.QSpinBox()
        self.batch_spin.setRange(1, 10**7)
        self.batch_spin.setValue(32)
        self.batch_spin.setToolTip("Rows per mini-batch")
        brow = QtWidgets.QHBoxLayout()
        brow.addWidget(self.minibatch_box)
        brow.addWidget(self.batch_spin, 1)
        form.addRow("Batch", brow)
        self.auto_lr.toggled.connect(self._on_lr_edit)
        self.lr_spin.valueChanged.connect(lambda _: self._on_lr_edit())
        self.rule_box.currentIndexChanged.connect(
            lambda _: self._edit(rule=self.rule_box.currentData())
        )
        self.minibatch_box.toggled.connect(lambda _: self._on_batch_edit())
        self.batch_spin.valueChanged.connect(lambda _: self._on_batch_edit())
        return box

    def _build_run(self):
        box, form = _group("Run")
        # a style icon, not "▶"/"⏸": U+23F8 is missing from DejaVu (a box on Debian)
        self.play_button = QtWidgets.QPushButton("Play")
        self.play_button.setIcon(
            self.style().standardIcon(QtWidgets.QStyle.StandardPixmap.SP_MediaPlay)
        )
        self.play_button.setObjectName("play")
        self.play_button.setToolTip("Train continuously (Space)")
        self.step_button = QtWidgets.QPushButton("Step")
        self.step_button.setToolTip("One training step (→)")
        self.step10_button = QtWidgets.QPushButton("×10")
        self.step10_button.setToolTip("Ten training steps")
        self.reset_button = QtWidgets.QPushButton("Reset")
        self.reset_button.setToolTip(
            "Back to step 0 with the seeded start (R); the "
            "same seed gives the same start"
        )
        grid = QtWidgets.QGridLayout()
        grid.addWidget(self.play_button, 0, 0, 1, 2)
        grid.addWidget(self.step_button, 0, 2)
        grid.addWidget(self.step10_button, 0, 3)
        grid.addWidget(self.reset_button, 1, 0, 1, 2)
        self.solve_button = QtWidgets.QPushButton("Solve to convergence")
        self.solve_button.setToolTip(
            "Jump to the exact minimum of the objective for "
            "these settings (duality gap below 1e-8), off the "
            "window's thread, with progress and cancel"
        )
        grid.addWidget(self.solve_button, 1, 2, 1, 2)
        form.addRow(grid)
        self.speed_box = QtWidgets.QComboBox()
        for s in SPEEDS:
            self.speed_box.addItem(f"{s} steps per frame", s)
        self.speed_box.setCurrentIndex(SPEEDS.index(20))
        self.speed_box.setToolTip(
            "How many training steps between redraws while "
            "playing (about 60 redraws per second)"
        )
        form.addRow("Speed", self.speed_box)
        self.seed_spin = QtWidgets.QSpinBox()
        self.seed_spin.setRange(0, 2**31 - 1)
        self.seed_spin.setToolTip(
            "Seed of the initial weights and the mini-batch order; "
            "applies at the next reset"
        )
        form.addRow("Seed", self.seed_spin)
        self.play_button.clicked.connect(self.session.toggle_play)
        self.step_button.clicked.connect(lambda: self.session.step(1))
        self.step10_button.clicked.connect(lambda: self.session.step(10))
        self.reset_button.clicked.connect(self.session.reset)
        self.solve_button.clicked.connect(lambda: self.session.solve())
        self.speed_box.currentIndexChanged.connect(
            lambda _: self.session.set_steps_per_frame(self.speed_box.currentData())
        )
        self.seed_spin.valueChanged.connect(lambda v: self._edit(seed=int(v)))
        return box

    # -- controls -> settings ---------------------------------------------------------
    def kind(self) -> str:
        return PENALTIES[max(self.penalty_buttons.checkedId(), 0)][0]

    def _edit(self, **changes) -> None:
        """Edit the settings; a refused edit says why and the controls show the
        settings in force again."""
        if self._syncing:
            return
        self._drag.cancel()
        changes = {**self._pending, **changes}
        self._pending = {}
        try:
            self.session.edit(**changes)
        except ValueError as e:
            QtWidgets.QMessageBox.warning(self, "Cannot use this setting", str(e))
            self._sync_from_session()

    def _on_penalty_edit(self) -> None:
        kind, gamma = self.kind(), self.session.settings.gamma
        changes: dict = {"penalty": kind}
        if kind in ("scad", "mcp") and gamma is not None:
            try:
                check_gamma(kind, gamma)
            except ValueError:  # MCP's γ = 1.5 is too small for SCAD: its default
                changes["gamma"] = None
        self._edit(**changes)

    def _on_gamma_edit(self, value: float) -> None:
        if not self._syncing:
            self._edit(gamma=round(float(value), 2))

    def _on_strength_edit(self, name: str, value: float) -> None:
        if self._syncing:
            return
        slider = self.lam1 if name == "lam1" else self.lam2
        if slider.slider.isSliderDown():  # dragging: one edit per frame
            self._pending[name] = float(value)
            self._drag.request()
        else:
            self._edit(**{name: float(value)})

    def _apply_pending(self) -> None:
        if self._pending:
            self._edit()

    def _on_drag_end(self) -> None:
        self._drag.cancel()
        self._apply_pending()  # the value the slider was released at
        self.dragFinished.emit()

    def _on_alpha_rho_edit(self) -> None:
        if self._syncing:
            return
        pen = Penalty.from_alpha_rho(self.alpha_spin.value(), self.rho_spin.value())
        self._edit(penalty="elasticnet", lam1=pen.lam1, lam2=pen.lam2)

    def _on_lr_edit(self, *_) -> None:
        self._edit(lr="auto" if self.auto_lr.isChecked() else self.lr_spin.value())

    def _on_batch_edit(self) -> None:
        self._edit(
            batch=self.batch_spin.value() if self.minibatch_box.isChecked() else None
        )

    def _reload_data(self) -> None:
        if self.session.dataset is None:
            return
        self._edit(
            standardize=self.standardize_box.isChecked(),
            validation=self.validation_spin.value(),
        )

    # -- session -> controls --------------------------------------------------------
    def _on_dataset_change(self) -> None:
        s = self.session
        self._syncing = True
        try:
            i = self.dataset_box.findText(s.dataset.name)
            if i < 0:
                self.dataset_box.addItem(s.dataset.name)
                i = self.dataset_box.count() - 1
            self.dataset_box.setCurrentIndex(i)
            self.description.setText(s.dataset.description)
            held = s.dataset.holdout
            self.validation_spin.setToolTip(
                self._validation_tip
                if held is None
                else f"This dataset holds out its own {int(held.sum())} rows: they "
                "are the validation rows at any share above 0 (at 0 they are left "
                "out)"
            )
            degree = s.dataset.polynomial_degree
            self.degree_spin.setVisible(degree is not None)
            self.degree_label.setVisible(degree is not None)
            if degree is not None:
                self.degree_spin.setValue(degree)
            d = s.data
            val = "" if d.X_val is None else f", {d.X_val.shape[0]} validation"
            self.shape_label.setText(
                f"{d.n_samples} training rows{val} × {d.n_features} features · "
                f"target <b>{s.dataset.target_name}</b> · {s.loss} loss"
            )
            self.batch_spin.setMaximum(d.n_samples)
            sc = s.scales  # the sliders span this data's units
            self.lam1.set_range(1e-4 * sc.lam_max, 2 * sc.lam_max)
            self.lam2.set_range(1e-5 * sc.curvature, 10 * sc.curvature)
        finally:
            self._syncing = False
        self._sync_from_session()

    def _sync_from_session(self) -> None:
        """Show ``session.settings`` (and the trainer's derived step sizes)."""
        s = self.session
        tr = s.trainer
        if tr is None:
            return
        st = s.settings
        self._syncing = True
        try:
            self.standardize_box.setChecked(st.standardize)
            self.validation_spin.setValue(st.validation)
            self.penalty_buttons.button(
                [k for k, _ in PENALTIES].index(st.penalty)
            ).setChecked(True)
            self.lam1.set_value(st.lam1)
            self.lam2.set_value(st.lam2)
            en = st.penalty == "elasticnet"
            # from the settings, not isVisible(): a window not shown yet is invisible
            uses_l1 = st.penalty in ("l1", "elasticnet", *NONCONVEX_ROW)
            uses_l2 = st.penalty in ("l2", "elasticnet")
            self.lam1.setVisible(uses_l1)
            self.lam1_label.setVisible(uses_l1)
            self.lam2.setVisible(uses_l2)
            self.lam2_label.setVisible(uses_l2)
            self.lam1_label.setText("λ₁" if en else "λ")
            self.lam2_label.setText("λ₂" if en else "λ")
            self.alpha_rho.setVisible(en)
            pen = st.active_penalty
            has_gamma = pen.gamma is not None
            self.gamma_spin.setVisible(has_gamma)
            self.gamma_label.setVisible(has_gamma)
            if has_gamma:
                self.gamma_spin.setMinimum(2.01 if pen.kind == "scad" else 1.01)
                self.gamma_spin.setValue(pen.gamma)
            self.alpha_spin.setValue(pen.alpha)
            self.rho_spin.setValue(pen.rho)
            self._update_lam_info()
            auto = st.lr == "auto"
            self.auto_lr.setChecked(auto)
            self.lr_spin.setEnabled(not auto)
            self.lr_spin.setValue(tr.lr)
            self._update_lr_info()
            self.rule_box.setCurrentIndex(0 if st.rule == "proximal" else 1)
            self.minibatch_box.setChecked(st.batch is not None and not tr.full_batch)
            self.batch_spin.setEnabled(self.minibatch_box.isChecked())
            if st.batch is not None:
                self.batch_spin.setValue(st.batch)
            self.seed_spin.setValue(st.seed)
        finally:
            self._syncing = False

    def _update_lam_info(self) -> None:
        s = self.session
        pen = s.settings.active_penalty
        n = s.data.n_samples
        parts = []
        if pen.kind in ("l1", "elasticnet", *NONCONVEX_ROW):
            parts.append(
                f"λ_max = {s.scales.lam_max:.4g}: from this λ₁ on, every weight "
                "is exactly 0"
            )
        if not pen.convex:
            parts.append(
                "<b>Not convex</b>: training and Solve end at a local minimum, which "
                "may depend on the start (another seed, or Solve from here)"
            )
        if pen.kind != "none":
            parts.append(f"= {pen.sklearn_equivalent(n, s.loss)}")
        if pen.kind == "elasticnet":
            parts.append(f"= {pen.glmnet_equivalent()}")
        self.lam_info.setText("<br>".join(parts))

    def _update_lr_info(self) -> None:
        tr = self.session.trainer
        eta = tr.lr
        text = f"1/L = {tr.lr_safe:.4g}, 2/L = {tr.lr_max:.4g}"
        style = ""
        if tr.divergence is not None or eta > tr.lr_max:
            text += "<br><b>η &gt; 2/L: gradient descent diverges</b>"
            style = "background: #FDE2D4;"
        elif eta > tr.lr_safe * (1 + 1e-9):
            text += "<br>η between 1/L and 2/L: converges, may oscillate"
        self.lr_info.setText(text)
        self.lr_spin.setStyleSheet(style)
        self.lr_spin.setProperty("warning", bool(style))

    def mark_divergence(self) -> None:
        """Highlight the step size after training diverged."""
        self.lr_spin.setStyleSheet("background: #FDE2D4;")
        self.lr_spin.setProperty("warning", True)
        self.lr_info.setText(
            self.lr_info.text().split("<br>")[0]
            + "<br><b>training diverged: lower η</b>"
        )

    def _on_playing_change(self, playing: bool) -> None:
        icon = QtWidgets.QStyle.StandardPixmap
        self.play_button.setText("Pause" if playing else "Play")
        self.play_button.setIcon(
            self.style().standardIcon(
                icon.SP_MediaPause if playing else icon.SP_MediaPlay
            )
        )

    def _set_running_enabled(self, enabled: bool) -> None:
        for w in (
            self.play_button,
            self.step_button,
            self.step10_button,
            self.solve_button,
        ):
            w.setEnabled(enabled)
