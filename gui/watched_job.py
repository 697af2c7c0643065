"""A computation of the session's settings kept current on the worker, for whoever
looks: the common part of the labs' models.

A :class:`WatchedJob` computes only for someone: while a viewer is on screen
(:meth:`watch`), for a figure or a test (:meth:`wait`), or when asked (``compute``,
the pane's Compute or Run button, which sets ``_requested``). Edits arriving in a
burst start one computation after ``debounce_ms``; :meth:`cancel` stops the running
one and keeps what it did, :meth:`_stop` stops it and forgets it (stale).

A subclass says what is needed and how to run it: ``_needed()`` (whether the current
settings lack a result), ``_run()`` (start the computation with :meth:`_launch`) and
``_on_done(worker, result)``.
"""

from __future__ import annotations

import time

from PySide6 import QtCore, QtWidgets

from gui.worker import Worker

__all__ = ["WatchedJob"]


class WatchedJob(QtCore.QObject):
    """The watching, debouncing, waiting and stopping of one computation."""

    #: A computation started (True) or ended (False).
    busyChanged = QtCore.Signal(bool)
    #: Progress of the running computation: fraction and what it is at.
    progressed = QtCore.Signal(float, str)

    def __init__(self, session, debounce_ms: int, parent=None):
        super().__init__(parent or session)
        self.session = session
        self._watchers: set[int] = set()
        self._forced = 0  # callers of wait() in progress
        self._requested = False  # asked for by a button, whoever looks
        self._worker: Worker | None = None
        self._timer = QtCore.QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(debounce_ms)
        self._timer.timeout.connect(self._start_next)

    # -- state ------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return self._worker is not None

    @property
    def wanted(self) -> bool:
        return bool(self._watchers) or self._forced > 0 or self._requested

    def watch(self, viewer, shown: bool) -> None:
        """``viewer`` (a pane) is on screen (``shown``) or not; while any is, what
        the settings need is computed."""
        if shown:
            self._watchers.add(id(viewer))
            if self._needed() and not self.busy:
                self._timer.start()
        else:
            self._watchers.discard(id(viewer))

    # -- running ------------------------------------------------------------------------
    def _start_next(self) -> None:
        if not self._needed():
            self._requested = False
        elif not self.busy and self.wanted:
            self._run()

    def _launch(self, work) -> Worker:
        """A worker running ``work(progress, cancel)``, its progress and end
        connected, marked as this job's running one (the caller starts it)."""
        worker = Worker(work, self)
        worker.progressed.connect(self.progressed)
        worker.done.connect(lambda res, w=worker: self._on_done(w, res))
        self._worker = worker
        return worker

    # -- cancel, wait, stop -----------------------------------------------------------
    def cancel(self) -> None:
        """Stop the running computation; what it has done so far is kept and shown."""
        self._requested = False
        if self._worker is not None:
            self._worker.stop.set()

    def _stop(self) -> None:
        """Stop the running computation and forget it: its result is stale."""
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.stop.set()
            self.busyChanged.emit(False)

    def wait(self, timeout_s: float = 600.0) -> None:
        """Compute the result if it is missing and block until it is there
        (figures, tests); events are processed meanwhile. A cancel ends the wait."""
        self._forced += 1
        try:
            if self._needed() and not self.busy:
                self._timer.stop()
                self._start_next()
            deadline = time.perf_counter() + timeout_s
            while time.perf_counter() < deadline and self.busy:
                QtWidgets.QApplication.processEvents(
                    QtCore.QEventLoop.ProcessEventsFlag.AllEvents, 50
                )
                if self._worker is not None:
                    self._worker.wait(20)
                if self._needed() and not self.busy and not self._timer.isActive():
                    self._start_next()  # the settings changed while waiting
        finally:
            self._forced -= 1

    def shutdown(self) -> None:
        """Stop any computation and wait for its thread (window closing)."""
        self._timer.stop()
        worker = self._worker
        self._stop()
        if worker is not None:
            worker.wait(5000)
