"""The comparison of L1, L2 and Elastic Net for the session's settings.

The compare model sits beside the controller (``session.compare_model``), as the path
model does: it holds the :class:`engine.compare.Comparison` of the run's current
settings and recomputes it on the one worker (:class:`gui.worker.Worker`) when the
settings stop matching (:func:`engine.compare.same_strengths`): choosing the
strengths takes three cross-validations in the default '1se' mode. Edits arriving in
a burst are gathered for ``DEBOUNCE_MS``; a stale computation is stopped. A change of
the update rule, step size, batch or seed only starts the three runs anew (no
recomputation).

Lock step: on every ``session.stepped`` the compared runs are brought to the main
run's step count (back to their seeded start after a Reset), and onto their own
solutions when the main run sits on its solution (after Solve), within
``FOLLOW_BUDGET_S`` per frame; what is left is caught up on the next frames. All of
this only while someone looks (:meth:`CompareModel.watch`) or waits
(:meth:`CompareModel.wait`): playing 1,000 features with the Compare tab hidden
costs nothing more.
"""

from __future__ import annotations

import time

from PySide6 import QtCore

from engine.compare import compare, same_runs, same_strengths
from gui.worker import Worker

__all__ = ["CompareModel"]

#: Settings edits within this time (ms) start one computation.
DEBOUNCE_MS = 150
#: Seconds per frame the compared runs may take to follow the main run.
FOLLOW_BUDGET_S = 0.008


class CompareModel(QtCore.QObject):
    """The comparison of the session's settings, following the main run."""

    #: A new comparison (or none, with a note saying why): ``comparison`` changed.
    changed = QtCore.Signal()
    #: The compared runs moved (steps, a reset, their solutions).
    followed = QtCore.Signal()
    busyChanged = QtCore.Signal(bool)
    progressed = QtCore.Signal(float, str)

    def __init__(self, session, parent=None):
        super().__init__(parent or session)
        self.session = session
        #: The comparison of ``_settings`` on ``_data`` (None: none yet).
        self.comparison = None
        #: Why there is no comparison now ('' when there is one).
        self.note = ""
        #: Computations started: what the tests count.
        self.started = 0
        self._settings = self._data = None
        self._watchers: set[int] = set()
        self._forced = 0
        self._worker: Worker | None = None
        self._job = None  # (settings, data) of the running computation
        self._failed = None  # (settings, data) the engine refused, and why
        self._timer = QtCore.QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._start)
        self._catch_up = QtCore.QTimer(self)  # the steps a frame had no time for
        self._catch_up.setSingleShot(True)
        self._catch_up.setInterval(1)
        self._catch_up.timeout.connect(self.follow)
        session.datasetLoaded.connect(self._on_settings_change)
        session.settingsChanged.connect(self._on_settings_change)
        session.stepped.connect(self.follow)

    # -- state ------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return self._worker is not None

    @property
    def wanted(self) -> bool:
        return bool(self._watchers) or self._forced > 0

    def is_current(self) -> bool:
        """Whether ``comparison`` is that of the current settings and data."""
        s = self.session
        return (
            self.comparison is not None
            and self._data is s.data
            and same_runs(self._settings, s.settings)
        )

    def _strengths_current(self) -> bool:
        s = self.session
        return (
            self.comparison is not None
            and self._data is s.data
            and same_strengths(self._settings, s.settings)
        )

    def _refused(self) -> bool:
        if self._failed is None:
            return False
        settings, data, _ = self._failed
        s = self.session
        return data is s.data and same_strengths(settings, s.settings)

    def watch(self, viewer, shown: bool) -> None:
        """``viewer`` (a pane) is on screen (``shown``) or not. While any is, the
        comparison is computed and follows the main run."""
        if shown:
            self._watchers.add(id(viewer))
            self._on_settings_change()
            self.follow()
        else:
            self._watchers.discard(id(viewer))

    # -- following the settings ---------------------------------------------------------
    def _on_settings_change(self) -> None:
        s = self.session
        if s.trainer is None:
            return
        if self._strengths_current():
            if not self.is_current():  # rule, step size, batch or seed: runs anew
                self.comparison = self.comparison.rebuilt(s.settings, s.dataset)
                self._settings = s.settings
                self.changed.emit()
                self.follow()
            return
        if self._worker is not None:
            settings, data = self._job
            if data is s.data and same_strengths(settings, s.settings):
                return  # still the right computation
            self._stop()
        if self._refused():
            self._set(None, self._failed[2])
            return
        self._set(None, "Choosing the strengths and solving…")
        if self.wanted:
            self._timer.start()

    def _start(self) -> None:
        s = self.session
        if (
            s.trainer is None
            or self.busy
            or self._strengths_current()
            or self._refused()
            or not self.wanted
        ):
            return
        settings, dataset, data = s.settings, s.dataset, s.data

        def work(progress, cancel):
            try:
                return compare(settings, dataset, data, progress, cancel)
            except ValueError as e:  # said in one sentence (a fold of one class)
                return e

        worker = Worker(work, self)
        worker.progressed.connect(self.progressed)
        worker.done.connect(lambda res, w=worker: self._on_done(w, res))
        self._worker, self._job = worker, (settings, data)
        self.started += 1
        self.busyChanged.emit(True)
        worker.start()

    def _on_done(self, worker, res) -> None:
        worker.wait()
        worker.deleteLater()
        if worker is not self._worker:
            return  # stopped because the settings changed: its result is stale
        settings, data = self._job
        self._worker = self._job = None
        self.busyChanged.emit(False)
        if isinstance(res, Exception):
            note = f"Could not compare the penalties: {res}"
            self._failed = (settings, data, note)
            self._set(None, note)
            return
        if res is None:  # cancelled
            self._set(None, "Cancelled")
            return
        self._settings, self._data = settings, data
        self._set(res, "")
        if not self.is_current():  # a rule or seed edit while computing
            self._on_settings_change()
        self.follow()

    def _set(self, comparison, note: str) -> None:
        if comparison is None and self.comparison is None and note == self.note:
            return
        self.comparison, self.note = comparison, note
        self.changed.emit()

    # -- lock step ----------------------------------------------------------------------
    def follow(
        self, time_budget: float | None = FOLLOW_BUDGET_S, *, force: bool = False
    ) -> bool:
        """Bring the compared runs to the main run's step (and solution), within
        ``time_budget`` seconds (None: all the way); the rest on the next frames.
        Only while someone looks, unless ``force`` (a figure or a recorded frame
        of the pane drawn behind its tab). Whether they are there."""
        s = self.session
        if not (self.wanted or force) or not self.is_current():
            return False
        tr = s.trainer
        solved = tr.solution is not None
        comp = self.comparison
        if comp.at(tr.step_count, solved):
            return True
        done = comp.follow(tr.step_count, solved, time_budget)
        self.followed.emit()
        if not done and self.wanted:
            self._catch_up.start()
        return done

    # -- cancel, wait, stop -----------------------------------------------------------
    def cancel(self) -> None:
        if self._worker is not None:
            self._worker.stop.set()

    def _stop(self) -> None:
        worker, self._worker, self._job = self._worker, None, None
        if worker is not None:
            worker.stop.set()
            self.busyChanged.emit(False)

    def wait(self, timeout_s: float = 600.0) -> None:
        """Compute the comparison if it is missing and bring the compared runs to
        the main run's state; block until done (figures, the command line's table,
        tests); events are processed meanwhile."""
        from PySide6 import QtWidgets

        self._forced += 1
        try:
            if self.session.trainer is None:
                return
            if not self.is_current():
                self._on_settings_change()
                self._timer.stop()
                self._start()
            deadline = time.perf_counter() + timeout_s
            while self.busy and time.perf_counter() < deadline:
                QtWidgets.QApplication.processEvents(
                    QtCore.QEventLoop.ProcessEventsFlag.AllEvents, 50
                )
                if self._worker is not None:
                    self._worker.wait(20)
            self.follow(time_budget=None)
        finally:
            self._forced -= 1

    def shutdown(self) -> None:
        """Stop any computation and wait for its thread (window closing)."""
        self._timer.stop()
        self._catch_up.stop()
        worker = self._worker
        self._stop()
        if worker is not None:
            worker.wait(5000)
