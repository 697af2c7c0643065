"""One lab computation of the session's settings, kept up to date on the worker.

The sweep of "which penalty wins" and its bias–variance view are computations of the
settings alone (``settings.lab``, the seed, the run's penalty), seconds long. A
:class:`LabJob` holds the result of one of them and follows the settings the way
:class:`gui.path_model.PathModel` follows the path's: when the settings stop matching
the result (``same(result_settings, settings)`` is False) it recomputes on the one
worker (:class:`gui.worker.Worker`), edits arriving in a burst (a spin box held
down) gathered for ``DEBOUNCE_MS``, a stale computation stopped at once.

It computes only for someone: while a viewer is on screen (:meth:`LabJob.watch`),
or for a figure or a test (:meth:`LabJob.wait`), or when asked (:meth:`compute`,
the Compute button after a cancel). Until the new result is there the last one stays
(its own settings name what it shows), and ``note`` says what is being computed.
A cancelled computation keeps what it did (the repeats or draws done).
"""

from __future__ import annotations

from PySide6 import QtCore

from gui.watched_job import WatchedJob

__all__ = ["DEBOUNCE_MS", "LabJob"]

#: Settings edits within this time (ms) start one computation.
DEBOUNCE_MS = 150


class LabJob(WatchedJob):
    """``compute(settings, progress, cancel)`` of the session's settings, current
    whenever ``same(result_settings, session.settings)``."""

    #: A new result, or a new note (``progressed``: "repeat 2 of 5, k = 13").
    changed = QtCore.Signal()
    #: A partial result from the worker's thread (queued to this object's thread):
    #: (worker, result).
    _partialReady = QtCore.Signal(object, object)

    def __init__(
        self, session, name: str, compute, same, parent=None, *, partial=False
    ):
        """``partial``: ``compute`` takes a ``partial`` callback and calls it with
        incomplete results (marked ``cancelled``), drawn while it goes on."""
        super().__init__(session, DEBOUNCE_MS, parent)
        self.name = name
        self._compute, self._same = compute, same
        self._partial = partial
        self._partialReady.connect(self._on_partial)
        #: The last result (None before the first), and the settings it is of.
        self.result = None
        self.result_settings = None
        #: What is going on, for the pane: '' when the result is current.
        self.note = ""
        #: Computations started: what the tests count.
        self.started = 0
        self._job_settings = None
        self._failed = None  # (settings, note) of the last computation refused
        session.settingsChanged.connect(self._on_settings_change)

    # -- state ------------------------------------------------------------------------
    def is_current(self) -> bool:
        """Whether ``result`` is of the current settings (complete or cancelled)."""
        return self.result is not None and self._same(
            self.result_settings, self.session.settings
        )

    def _needed(self) -> bool:
        if self.is_current():
            return False
        failed = self._failed
        return failed is None or not self._same(failed[0], self.session.settings)

    # -- following the settings ---------------------------------------------------------
    def _on_settings_change(self) -> None:
        if self._worker is not None:
            if self._same(self._job_settings, self.session.settings):
                return  # an edit this computation does not depend on
            self._stop()
        if not self._needed():
            if self.is_current() and self.note.startswith("Computing"):
                self._set_note(self._done_note(self.result))
            return
        self._set_note(f"Computing the {self.name}…")
        if self.wanted:
            self._timer.start()

    def compute(self) -> None:
        """Compute now, whoever looks: what is missing, or a cancelled result
        again (the Compute button)."""
        if self.busy:
            return
        self._timer.stop()
        if self.is_current() and getattr(self.result, "cancelled", False):
            self._run()
            return
        self._failed = None
        self._requested = True
        self._start_next()

    def _run(self) -> None:
        settings = self.session.settings
        compute = self._compute
        holder: list = []  # the worker, once made: partial results name it

        def work(progress, cancel):
            extra = {}
            if self._partial:
                extra["partial"] = lambda res: self._partialReady.emit(holder[0], res)
            try:
                return compute(settings, progress, cancel, **extra)
            except ValueError as e:  # said in one sentence (more folds than rows)
                return e

        worker = self._launch(work)
        holder.append(worker)
        self._job_settings = settings
        self.started += 1
        self._set_note(f"Computing the {self.name}…")
        self.busyChanged.emit(True)
        worker.start()

    def _on_done(self, worker, res) -> None:
        worker.wait()
        worker.deleteLater()
        if worker is not self._worker:
            return  # stopped because the settings changed: stale
        settings = self._job_settings
        self._worker = None
        self._requested = False
        self.busyChanged.emit(False)
        if isinstance(res, Exception):
            note = f"Could not compute the {self.name}: {res}"
            self._failed = (settings, note)
            self._set_note(note)
            return
        self._failed = None
        self.result, self.result_settings = res, settings
        self.note = self._done_note(res)
        self.changed.emit()
        if self.wanted and self._needed():  # the settings moved on meanwhile
            self._timer.start()

    def _on_partial(self, worker, res) -> None:
        if worker is not self._worker:
            return  # from a computation stopped since
        # shown at once; if the computation is stopped, it stays as what it is:
        # incomplete (marked cancelled), to be finished with Compute
        self.result, self.result_settings = res, self._job_settings
        self.changed.emit()

    def _done_note(self, res) -> str:
        if getattr(res, "cancelled", False):
            return "Cancelled: Compute to finish"
        return ""

    def _set_note(self, note: str) -> None:
        if note != self.note:
            self.note = note
            self.changed.emit()
