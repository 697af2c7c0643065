"""Controls the path and cross-validation panes both carry.

:class:`CursorControls` makes the buttons that set λ to λ_min or λ_1se, the choice
between jumping to the path's solution and training on, and the Compute button
shown after a cancel; each pane places them in its own layout. :class:`MessageStack`
shows a pane's plot, or a sentence in its place when there is nothing to plot.
"""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from gui import theme
from gui.flow_layout import FlowLayout
from gui.panes.lambda_axes import compact, strength_name

__all__ = ["CursorControls", "MessageStack", "compact_combo", "path_summary"]

LABELS = {"l1": "L1", "l2": "L2 (ridge)", "elasticnet": "Elastic Net"}


def compact_combo(items, tip: str) -> QtWidgets.QComboBox:
    """A combo box of ``(key, text)`` items that may shrink below its longest text
    (the bottom row of the window shares its width between two panes)."""
    box = QtWidgets.QComboBox()
    for key, text in items:
        box.addItem(text, key)
    box.setSizeAdjustPolicy(
        QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
    )
    box.setMinimumContentsLength(9)
    box.setToolTip(tip)
    return box


def path_summary(path, heatmap: bool, has_truth: bool, note: str) -> str:
    """The path pane's line above the plot: which path, over which strengths, what
    the colours mean, and a note (a cancel) in vermillion."""
    name = strength_name(path.kind)
    share = f" (ρ = {path.rho:.3g})" if path.kind == "elasticnet" else ""
    text = (
        f"<b>{LABELS[path.kind]} path</b>{share}: {name} from "
        f"{compact(path.alphas[0])} to {compact(path.alphas[-1])}"
    )
    if heatmap:
        square = "<span style='color:{}'>■</span>"
        text += (
            f" · {square.format(theme.POSITIVE)} w &gt; 0 "
            f"{square.format(theme.NEGATIVE)} w &lt; 0 "
            f"{square.format(theme.ZERO)} <b>exactly 0</b>"
        )
    if has_truth:
        text += " · ▸ true features" if heatmap else " · ◇ true coefficients"
    if note:
        text += f"<br><span style='color:{theme.NEGATIVE}'>{note}</span>"
    return text


class CursorControls(QtCore.QObject):
    """λ_min and λ_1se buttons, the cursor mode and Compute, for one pane."""

    def __init__(self, model, parent: QtWidgets.QWidget, *, jump: bool = True):
        super().__init__(parent)
        self.model = model
        self.session = model.session
        self.min_button = QtWidgets.QToolButton()
        self.min_button.setText("λ_min")
        self.min_button.setObjectName("lambdaMin")
        self.min_button.setToolTip(
            "Set λ to λ_min, the strength with the smallest cross-validated error (M)"
        )
        self.se_button = QtWidgets.QToolButton()
        self.se_button.setText("λ_1se")
        self.se_button.setObjectName("lambda1se")
        self.se_button.setToolTip(
            "Set λ to λ_1se, the largest strength whose cross-validated error is "
            "within one standard error of the smallest: a simpler model that "
            "predicts about as well (Shift+M)"
        )
        for b in (self.min_button, self.se_button):
            b.setFocusPolicy(QtCore.Qt.FocusPolicy.TabFocus)
        #: The cursor mode, on one pane only (None on the others).
        self.jump_box = None
        if jump:
            self.jump_box = QtWidgets.QCheckBox("jump to solution")
            self.jump_box.setObjectName("cursorJump")
            self.jump_box.setToolTip(
                "On: moving the λ cursor puts the weights on the path's solution at that "
                "λ at once (the stored one on the grid, an exact solve between grid "
                "points).\nOff: the cursor only changes λ, and training goes on step by "
                "step from the current weights"
            )
            self.jump_box.toggled.connect(self._on_jump_edit)
        self.compute_button = QtWidgets.QToolButton()
        self.compute_button.setText("Compute")
        self.compute_button.setToolTip(
            "Finish the path and its cross-validation (they were cancelled)"
        )
        self.compute_button.hide()
        self.min_button.clicked.connect(lambda: model.go_to_cv("min"))
        self.se_button.clicked.connect(lambda: model.go_to_cv("1se"))
        self.compute_button.clicked.connect(model.compute)
        model.cvChanged.connect(self.sync)
        model.pathChanged.connect(self.sync)
        model.busyChanged.connect(lambda _: self.sync())
        self.session.settingsChanged.connect(self.sync)

    def header(self, name: str) -> tuple[QtWidgets.QLabel, QtWidgets.QHBoxLayout]:
        """A pane's top row: its summary label (object name ``name``) and, on the
        right, the cursor mode (when this pane has it), λ_min, λ_1se and Compute."""
        summary = QtWidgets.QLabel()
        summary.setObjectName(name)
        summary.setWordWrap(True)
        summary.setStyleSheet("font-size: 10.5pt;")
        row = QtWidgets.QHBoxLayout()
        row.addWidget(summary, 1)
        # the buttons wrap onto a second line in a narrow pane, never widen it
        buttons = QtWidgets.QWidget()
        flow = FlowLayout(buttons)
        for b in self.widgets():
            flow.addWidget(b)
        row.addWidget(buttons, 0, QtCore.Qt.AlignmentFlag.AlignTop)
        return summary, row

    def widgets(self) -> list[QtWidgets.QWidget]:
        """The cursor mode (when this pane has it), λ_min, λ_1se and Compute: the
        controls of :meth:`header`'s row."""
        found = (self.jump_box, self.min_button, self.se_button, self.compute_button)
        return [b for b in found if b is not None]

    def _on_jump_edit(self, on: bool) -> None:
        s = self.session
        mode = "jump" if on else "train"
        if s.trainer is not None and s.settings.path.cursor != mode:
            s.edit(path=s.settings.path.replace(cursor=mode))

    def sync(self) -> None:
        m = self.model
        cv = m.cv if m.cv_is_current() else None
        for button, alpha, index in (
            (self.min_button, None if cv is None else cv.alpha_min, "index_min"),
            (self.se_button, None if cv is None else cv.alpha_1se, "index_1se"),
        ):
            button.setEnabled(alpha is not None)
            base = button.property("baseTip")
            if base is None:
                base = button.toolTip()
                button.setProperty("baseTip", base)
            if alpha is None:
                button.setToolTip(f"{base}\n(no cross-validation yet)")
                continue
            nz = cv.n_nonzero[getattr(cv, index)] if cv.n_nonzero is not None else None
            keeps = "" if nz is None else f", keeping {int(nz)} nonzero weights"
            button.setToolTip(
                f"{base}\nHere: {button.text()} = {compact(alpha)}{keeps}"
            )
        if self.jump_box is not None:
            with QtCore.QSignalBlocker(self.jump_box):
                st = self.session.settings
                self.jump_box.setChecked(st.path.cursor == "jump")
        cancelled = (m.path_is_current() and m.path.cancelled) or (
            m.cv_is_current() and m.cv.cancelled
        )
        self.compute_button.setVisible(bool(cancelled) and not m.busy)


class MessageStack(QtWidgets.QStackedWidget):
    """A plot, or a sentence in its place."""

    def __init__(self, plot_widget: QtWidgets.QWidget, parent=None):
        super().__init__(parent)
        self.message = QtWidgets.QLabel()
        self.message.setObjectName("paneMessage")
        self.message.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("font-size: 13pt; color: #606060;")
        self.addWidget(plot_widget)
        self.addWidget(self.message)

    def show_message(self, text: str | None) -> None:
        """Show ``text`` instead of the plot; None shows the plot."""
        if text is None:
            self.setCurrentIndex(0)
        else:
            self.message.setText(text)
            self.setCurrentIndex(1)
