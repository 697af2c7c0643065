"""The status bar's progress and Cancel for the path and its cross-validation.

They compute on their own whenever the settings need a new path (see
:mod:`gui.path_model`), so they get their own bar beside the one of Solve.
"""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

__all__ = ["PathStatus"]


class PathStatus(QtCore.QObject):
    """A progress bar and a Cancel button in ``bar`` while ``model`` computes."""

    def __init__(self, bar: QtWidgets.QStatusBar, model, index: int, parent=None):
        super().__init__(parent or bar)
        self.model = model
        self.progress = QtWidgets.QProgressBar()
        self.progress.setObjectName("pathProgress")
        self.progress.setRange(0, 1000)
        self.progress.setMaximumWidth(220)
        self.progress.setFormat("path… %p%")
        self.progress.setToolTip(
            "Computing the regularization path and its cross-validation"
        )
        self.cancel_button = QtWidgets.QPushButton("Cancel")
        self.cancel_button.setObjectName("cancelPath")
        self.cancel_button.setToolTip(
            "Stop computing the path (Esc); what is done is kept, and Compute in the "
            "path or CV pane finishes it"
        )
        self.cancel_button.clicked.connect(model.cancel)
        # permanent widgets: a temporary status message would hide normal ones
        bar.insertPermanentWidget(index, self.progress)
        bar.insertPermanentWidget(index + 1, self.cancel_button)
        self.progress.hide()
        self.cancel_button.hide()
        model.busyChanged.connect(self._on_busy)
        model.progressed.connect(self._on_progress)

    def _on_busy(self, busy: bool) -> None:
        if busy:
            self.progress.setValue(0)
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)

    def _on_progress(self, frac: float, message: str) -> None:
        self.progress.setValue(int(frac * 1000))
        label = "cross-validation" if message.startswith("cross") else "path"
        self.progress.setFormat(f"{label}… %p%")
        self.progress.setToolTip(message)
