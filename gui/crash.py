"""An unexpected error in the window: one dialog, a log file, Play stopped, app kept.

Python calls ``sys.excepthook`` for an exception nothing caught, and PySide6 calls
it for one raised in a slot or an event handler (a timer's tick, a button's click).
:class:`CrashReporter` takes that place while the window runs: it writes the
traceback to a log file, pauses training (a failing tick would otherwise fail 60
times a second), and shows one dialog with the message, where the details were
written and a "Copy details" button. Errors while that dialog is open are logged and
counted, not shown again. The run's state is left as it was, so the user can save
the session or go on.
"""

from __future__ import annotations

import datetime
import os
import sys
import traceback
from pathlib import Path

from PySide6 import QtCore, QtWidgets

__all__ = ["CrashReporter", "log_file"]

#: A log larger than this (bytes) is moved to ``…log.1`` before the next entry.
MAX_LOG = 1_000_000


def log_file() -> Path:
    """``$L1L2_LOG_DIR/l1l2-explorer.log`` if that is set (tests), else in the
    platform's folder for applications' state, ``l1l2-explorer/l1l2-explorer.log``
    (``~/.local/state/…`` on Linux)."""
    folder = os.environ.get("L1L2_LOG_DIR")
    if not folder:
        root = QtCore.QStandardPaths.writableLocation(
            QtCore.QStandardPaths.StandardLocation.GenericStateLocation
        )
        folder = Path(root or Path.home() / ".local" / "state") / "l1l2-explorer"
    return Path(folder) / "l1l2-explorer.log"


def _write_log(path: Path, text: str) -> str:
    """Append ``text`` to the log; the reason if that failed, else ''."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() and path.stat().st_size > MAX_LOG:
            os.replace(path, path.with_name(path.name + ".1"))
        with open(path, "a", encoding="utf-8") as f:
            f.write(text)
    except OSError as e:
        return e.strerror or str(e)
    return ""


class CrashReporter(QtCore.QObject):
    """Reports uncaught exceptions of a main window's process (see the module)."""

    def __init__(self, window, parent=None):
        super().__init__(parent or window)
        self.window = window
        self.count = 0  # exceptions reported since the start
        self.unseen = 0  # exceptions while the dialog was open
        self.dialog: QtWidgets.QMessageBox | None = None
        self._previous = None

    def install(self) -> None:
        self._previous = sys.excepthook
        sys.excepthook = self.report

    def uninstall(self) -> None:
        if self._previous is not None:
            sys.excepthook = self._previous
            self._previous = None

    def report(self, kind, error, tb) -> None:
        """The hook: log, pause, tell the user once."""
        if issubclass(kind, KeyboardInterrupt):  # Ctrl+C in the terminal: quit
            QtWidgets.QApplication.quit()
            return
        self.count += 1
        details = "".join(traceback.format_exception(kind, error, tb))
        stamp = datetime.datetime.now().isoformat(timespec="seconds")
        path = log_file()
        failed = _write_log(path, f"--- {stamp}\n{details}\n")
        print(details, file=sys.stderr, end="")
        session = getattr(self.window, "session", None)
        if session is not None:
            session.pause()
        if self.dialog is not None:
            self.unseen += 1
            return
        where = (
            f"The details were written to {path}."
            if not failed
            else f"The details could not be written to {path} ({failed})."
        )
        message = str(error) or kind.__name__
        self.dialog = box = QtWidgets.QMessageBox(self.window)
        box.setIcon(QtWidgets.QMessageBox.Icon.Critical)
        box.setWindowTitle("Something went wrong")
        box.setText(f"Something went wrong: {message}")
        box.setInformativeText(
            "Training is paused; the data, the settings and the weights are as they "
            f"were, so you can save the session or go on. {where}"
        )
        box.setDetailedText(details)
        copy = box.addButton(
            "Copy details", QtWidgets.QMessageBox.ButtonRole.ActionRole
        )
        copy.clicked.disconnect()  # an action button would close the dialog
        copy.clicked.connect(
            lambda: QtWidgets.QApplication.clipboard().setText(details)
        )
        box.addButton(QtWidgets.QMessageBox.StandardButton.Close)
        box.finished.connect(self._closed)
        box.open()  # window-modal, without a nested event loop inside the hook

    def _closed(self) -> None:
        self.dialog = None
        self.unseen = 0
