"""The stability lab's result for the session's settings, kept up to date.

The stability model sits beside the controller (``session.stability_model``), as the
path model does (:mod:`gui.path_model`): it holds the selection frequencies
(:class:`engine.stability.StabilityResult`) of the run's current settings and
recomputes them on the one worker (:class:`gui.worker.Worker`) when they stop
matching (:func:`engine.stability.same_stability`: the data, the penalty and its
strength, the grid, the seed, the number and kind of resamples; the threshold only
reads the result). Edits in a burst are gathered for ``DEBOUNCE_MS``; a stale
computation is stopped at once.

A move of λ alone (the cursor) keeps the resamples' paths over the grid and refits
each resample at the new λ only (:func:`engine.stability_move.stability_at`), when
the last complete result is of the same paths (:func:`engine.stability.same_paths`)
and its paths reach the new λ; otherwise all is computed anew.

Computing is done for someone: while the stability pane is on screen
(:meth:`StabilityModel.watch`), for its Run button (:meth:`StabilityModel.compute`),
or for a figure or a test (:meth:`StabilityModel.wait`). A cancelled result is kept
and shown (the resamples done) until Run finishes it; while a new result is computed
the last one (of the same data) stays shown, marked as being redone.
"""

from __future__ import annotations

import time

from PySide6 import QtCore

from engine.path import current_alpha
from engine.stability import same_paths, same_stability, stability_for
from engine.stability_move import paths_reach, stability_at
from gui.worker import Worker

__all__ = ["NO_LAB", "StabilityModel"]

#: What the pane says when the penalty has no exact zeros to count.
NO_LAB = (
    "Stability selection counts exact zeros: choose L1 or Elastic Net to see how "
    "often each feature is selected"
)
#: Settings edits within this time (ms) start one computation (B paths each).
DEBOUNCE_MS = 250


class StabilityModel(QtCore.QObject):
    """The stability result of the session's settings."""

    #: A new result (or none): ``result`` or ``note`` changed.
    resultChanged = QtCore.Signal()
    #: A computation started (True) or ended (False).
    busyChanged = QtCore.Signal(bool)
    #: Progress of the running computation: fraction, "40 of 100 resamples".
    progressed = QtCore.Signal(float, str)

    def __init__(self, session, parent=None):
        super().__init__(parent or session)
        self.session = session
        #: The result for ``result_settings`` on ``result_data`` (None: none yet).
        self.result = None
        self.result_settings = None
        self.result_data = None
        #: Why there is no (complete) result, for the pane; '' when there is.
        self.note = ""
        #: Computations of the resamples' paths started: what the tests count.
        self.started = 0
        #: Refits at a new λ of kept paths started (:meth:`_kept_paths`).
        self.refitted = 0
        self._watchers: set[int] = set()
        self._forced = 0
        self._requested = False
        self._worker: Worker | None = None
        self._job_settings = self._job_data = None
        self._failed = None  # (settings, data, note) the engine refused
        self._timer = QtCore.QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._start_next)
        session.datasetLoaded.connect(self._on_settings_change)
        session.settingsChanged.connect(self._on_settings_change)

    # -- state ------------------------------------------------------------------------
    @property
    def has_lab(self) -> bool:
        """Whether the settings' penalty has exact zeros to count (L1, Elastic Net)."""
        s = self.session
        return s.trainer is not None and s.settings.penalty in ("l1", "elasticnet")

    @property
    def busy(self) -> bool:
        return self._worker is not None

    def is_current(self) -> bool:
        """Whether ``result`` is that of the current settings and data."""
        s = self.session
        return (
            self.result is not None
            and self.result_data is s.data
            and same_stability(self.result_settings, s.settings)
        )

    def watch(self, viewer, shown: bool) -> None:
        """``viewer`` (a pane) is on screen (``shown``) or not."""
        if shown:
            self._watchers.add(id(viewer))
            if self._needed() and not self.busy:
                self._timer.start()
        else:
            self._watchers.discard(id(viewer))

    @property
    def wanted(self) -> bool:
        return bool(self._watchers) or self._forced > 0 or self._requested

    # -- following the settings ---------------------------------------------------------
    def _refused(self) -> bool:
        if self._failed is None:
            return False
        settings, data, _ = self._failed
        return data is self.session.data and same_stability(
            settings, self.session.settings
        )

    def _needed(self) -> bool:
        """Whether the current settings need a computation (not when the result is
        current, cancelled and waiting for Run, or refused by the engine)."""
        if not self.has_lab or self.is_current() or self._refused():
            return False
        return True

    def _on_settings_change(self) -> None:
        if not self.has_lab:
            self._stop()
            self._timer.stop()
            self._set(None, NO_LAB)
            return
        if self._worker is not None:
            s = self.session
            if self._job_data is s.data and same_stability(
                self._job_settings, s.settings
            ):
                return  # a threshold edit while computing: still right
            self._stop()
        if self._refused():
            self._set(None, self._failed[2])
            return
        if not self._needed():
            if self.is_current():
                self.resultChanged.emit()  # the threshold may have moved
            return
        self._pending()
        if self.wanted:
            self._timer.start()

    def compute(self) -> None:
        """Compute now, whoever looks (the Run button; finishes a cancelled run)."""
        if not self.has_lab or self.busy:
            return
        self._timer.stop()
        if self.is_current() and self.result.cancelled:
            self._run()
            return
        self._requested = True
        self._start_next()

    def _start_next(self) -> None:
        if not self._needed():
            self._requested = False
        elif not self.busy and self.wanted:
            self._run()

    def _kept_paths(self, settings, data):
        """The last result when ``settings`` differ from its own in λ alone and
        its paths reach the new λ (then only the fits at λ are computed), else
        None."""
        res = self.result
        if res is None or self.result_data is not data:
            return None
        if not same_paths(self.result_settings, settings):
            return None
        return res if paths_reach(res, current_alpha(settings)) else None

    def _run(self) -> None:
        s = self.session
        settings, data = s.settings, s.data
        kept = self._kept_paths(settings, data)

        def work(progress, cancel):
            try:
                if kept is not None:
                    alpha = current_alpha(settings)
                    return stability_at(
                        kept,
                        data,
                        alpha,
                        tol=settings.tol,
                        progress=progress,
                        cancel=cancel,
                    )
                return stability_for(settings, data, progress, cancel)
            except ValueError as e:  # said in one sentence
                return e

        worker = Worker(work, self)
        worker.progressed.connect(self.progressed)
        worker.done.connect(lambda res, w=worker: self._on_done(w, res))
        self._worker = worker
        self._job_settings, self._job_data = settings, data
        if kept is not None:
            self.refitted += 1
        else:
            self.started += 1
        self._pending()
        self.busyChanged.emit(True)
        worker.start()

    def _on_done(self, worker, res) -> None:
        worker.wait()
        worker.deleteLater()
        if worker is not self._worker:
            return  # stopped because the settings changed: stale
        settings, data = self._job_settings, self._job_data
        self._worker = None
        self._requested = False
        self.busyChanged.emit(False)
        if isinstance(res, Exception):
            note = f"Could not resample: {res}"
            self._failed = (settings, data, note)
            self._set(None, note)
            return
        note = ""
        if res.cancelled:
            note = f"Cancelled after {res.done} of {res.B} resamples: Run to finish"
        self._set(res, note, settings, data)

    def _pending(self) -> None:
        """A new result is on its way: the last one stays shown (a λ cursor being
        dragged over the stability paths keeps its plot), marked as being redone;
        one of other data goes."""
        if self.result is not None and self.result_data is self.session.data:
            self.note = "Resampling for the new settings…"
            self.resultChanged.emit()
        else:
            self._set(None, "Resampling…")

    def _set(self, result, note: str, settings=None, data=None) -> None:
        if result is None and self.result is None and note == self.note:
            return
        self.result, self.note = result, note
        self.result_settings, self.result_data = settings, data
        self.resultChanged.emit()

    # -- cancel, wait, stop -----------------------------------------------------------
    def cancel(self) -> None:
        """Stop the running computation; the resamples done are kept and shown."""
        self._requested = False
        if self._worker is not None:
            self._worker.stop.set()

    def _stop(self) -> None:
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.stop.set()
            self.busyChanged.emit(False)

    def wait(self, timeout_s: float = 600.0) -> None:
        """Compute the result if it is missing and block until it is there
        (figures, tests); events are processed meanwhile. A cancel ends the wait."""
        from PySide6 import QtWidgets

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
        finally:
            self._forced -= 1

    def shutdown(self) -> None:
        """Stop any computation and wait for its thread (window closing)."""
        self._timer.stop()
        worker = self._worker
        self._stop()
        if worker is not None:
            worker.wait(5000)
