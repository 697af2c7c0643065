"""The bar above the panes that explains a divergence and offers η = 1/L."""

from __future__ import annotations

from PySide6 import QtWidgets

from gui import theme

__all__ = ["DivergenceBanner"]


class DivergenceBanner(QtWidgets.QFrame):
    """A bar above the panes that explains a divergence and offers η = 1/L."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("divergenceBanner")
        self.setStyleSheet(
            f"#divergenceBanner {{ background: {theme.WARNING_BG}; border: 2px solid "
            f"{theme.WARNING_BORDER}; border-radius: 4px; }}"
        )
        self.message = QtWidgets.QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("font-size: 11pt;")
        self.fix_button = QtWidgets.QPushButton("Use η = 1/L")
        self.fix_button.setObjectName("useSafeStep")
        self.fix_button.setToolTip(
            "Set the step size to 1/L and continue from the last finite weights"
        )
        self.close_button = QtWidgets.QToolButton()
        self.close_button.setText("✕")
        self.close_button.setToolTip("Hide this message")
        self.close_button.clicked.connect(self.hide)
        layout = QtWidgets.QHBoxLayout(self)
        icon = QtWidgets.QLabel("⚠")
        icon.setStyleSheet(f"font-size: 18pt; color: {theme.WARNING_BORDER};")
        layout.addWidget(icon)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.fix_button)
        layout.addWidget(self.close_button)
        self.hide()

    def show_divergence(self, div) -> None:
        self.message.setText(
            f"<b>Training diverged at step {div.step} and was paused.</b> {div.reason}"
        )
        # a divergence the step size did not cause offers no step size
        self.fix_button.setVisible(div.suggested_lr is not None)
        self.show()
