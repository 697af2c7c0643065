"""Running long work off the GUI thread, with progress and a stop flag."""

from __future__ import annotations

import threading

from PySide6 import QtCore

from engine.csv import CSVCancelled
from engine.data import DataError
from engine.session_file import ReplayCancelled

__all__ = ["Worker"]


class Worker(QtCore.QThread):
    """Runs ``fn(progress, cancel)`` off the GUI thread; ``done`` gets the result, or
    the exception when it failed (reported to the user, never a crash)."""

    progressed = QtCore.Signal(float, str)
    done = QtCore.Signal(object)

    def __init__(self, fn, parent=None):
        super().__init__(parent)
        self.fn = fn
        self.stop = threading.Event()

    def run(self):
        try:
            res = self.fn(lambda f, m: self.progressed.emit(f, m), self.stop.is_set)
        except (DataError, CSVCancelled, ReplayCancelled, MemoryError) as e:
            res = e
        except Exception as e:  # reported in the window, never a crash of the thread
            res = DataError(f"unexpected problem: {type(e).__name__}: {e}")
        self.done.emit(res)
