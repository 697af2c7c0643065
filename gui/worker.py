"""Running long work off the GUI thread, with progress and a stop flag."""

from __future__ import annotations

import sys
import threading
import weakref

from PySide6 import QtCore

from engine.data import DataError

__all__ = ["Worker"]


class Worker(QtCore.QThread):
    """Runs ``fn(progress, cancel)`` off the GUI thread; ``done`` gets the result, or
    the exception when it failed (reported to the user, never a crash)."""

    progressed = QtCore.Signal(float, str)
    done = QtCore.Signal(object)

    #: Every worker not yet finished (closing the window stops them all).
    _live: weakref.WeakSet = weakref.WeakSet()

    def __init__(self, fn, parent=None):
        super().__init__(parent)
        self.fn = fn
        self.stop = threading.Event()
        Worker._live.add(self)
        self.finished.connect(lambda: Worker._live.discard(self))

    @classmethod
    def running(cls) -> list[Worker]:
        """The workers whose threads are running now."""
        return [w for w in list(cls._live) if w.isRunning()]

    @classmethod
    def stop_all(cls, timeout_ms: int = 10_000) -> bool:
        """Ask every running worker to stop and wait for them (the window is closing:
        a thread destroyed while running aborts the process). Whether all stopped."""
        workers = cls.running()
        for w in workers:
            w.stop.set()
        return all(w.wait(timeout_ms) for w in workers)

    def run(self):
        try:
            res = self.fn(lambda f, m: self.progressed.emit(f, m), self.stop.is_set)
        except (DataError, MemoryError) as e:
            res = e
        except Exception as e:  # reported in the window, never a crash of the thread
            if not _cancelled(e):
                e = DataError(f"unexpected problem: {type(e).__name__}: {e}")
            res = e
        self.done.emit(res)


def _cancelled(e: Exception) -> bool:
    """Whether ``e`` is a CSV import or a session replay the user stopped. Neither
    ``engine.csv`` (and pandas with it) nor ``engine.session_file`` is imported for
    this: only an import or a replay raises them, after loading their module."""
    kinds = [
        getattr(sys.modules.get(module), name, None)
        for module, name in (
            ("engine.csv", "CSVCancelled"),
            ("engine.session_file", "ReplayCancelled"),
        )
    ]
    return any(kind is not None and isinstance(e, kind) for kind in kinds)
