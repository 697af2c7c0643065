"""The comparison of L1, L2 and Elastic Net for the session's settings.

The compare model sits beside the controller (``session.compare_model``), as the path
model does: it holds the :class:`engine.compare.Comparison` of the run's current
settings and recomputes it on the one worker (:class:`gui.worker.Worker`) when the
settings stop matching (:func:`engine.compare.same_strengths`): choosing the
strengths takes three cross-validations in the default '1se' mode. Edits arriving in
a burst are gathered for ``DEBOUNCE_MS``; a stale computation is stopped. A change of
the update rule, step size, batch or seed only starts the three runs anew (no
recomputation).

Cancel (:meth:`CompareModel.cancel`) stops the computation; nothing is drawn from
it, and the same strengths are not computed again on their own until Compute
(:meth:`CompareModel.compute`) asks. The run's own penalty's cross-validation is the
path model's (``session.path_model.cv``) when it has the one these settings need
(:func:`engine.path.same_cv`): it is reused, not computed again; while the path
model is computing it, the comparison waits for it.

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
#: What the pane says after a Cancel.
CANCELLED = "Cancelled: Compute to choose the strengths and solve again"


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
        self._cancelled = None  # (settings, data) the user stopped
        self._requested = False  # compute() asked: until done or cancelled
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
        path_model = getattr(session, "path_model", None)
        if path_model is not None:  # its CV may be the one to reuse: wait for it
            path_model.busyChanged.connect(self._on_path_busy)

    # -- state ------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return self._worker is not None

    @property
    def wanted(self) -> bool:
        return bool(self._watchers) or self._forced > 0 or self._requested

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

    def cancelled(self) -> bool:
        """Whether the user stopped the computation of the current settings'
        strengths (nothing is computed for them until :meth:`compute`)."""
        if self._cancelled is None:
            return False
        settings, data = self._cancelled
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
        if self.cancelled():
            self._set(None, CANCELLED)
            return
        self._set(None, "Choosing the strengths and solving…")
        if self.wanted:
            self._timer.start()

    def compute(self) -> None:
        """Compute the comparison now, whoever looks, even after a Cancel (the
        Compute button)."""
        s = self.session
        if s.trainer is None or self.busy:
            return
        self._cancelled = None
        self._timer.stop()
        self._requested = True
        self._on_settings_change()
        self._start()

    def _on_path_busy(self, busy: bool) -> None:
        if not busy and self.wanted and not self.busy:
            if not self._strengths_current():
                self._timer.start()  # its cross-validation may be there now

    def _cv_coming(self) -> bool:
        """Whether the path model is computing the cross-validation the run's own
        penalty needs here (then it is waited for, and reused)."""
        s = self.session
        pm = getattr(s, "path_model", None)
        mode = s.settings.lab.compare_lambda
        needs = mode == "1se" or (mode == "nonzero" and s.settings.penalty == "l2")
        return needs and pm is not None and pm.computing_cv_of(s.settings)

    def _known_cv(self):
        """``(settings, cv)`` of the path model's complete cross-validation of the
        current settings, else None."""
        pm = getattr(self.session, "path_model", None)
        if pm is None or not pm.cv_is_current() or pm.cv.cancelled:
            return None
        return pm.cv_settings, pm.cv

    def _start(self) -> None:
        s = self.session
        if (
            s.trainer is None
            or self.busy
            or self._strengths_current()
            or self._refused()
            or self.cancelled()
            or not self.wanted
        ):
            return
        if self._cv_coming():
            self._set(None, "Waiting for the path's cross-validation…")
            return  # started again when it is done (_on_path_busy)
        settings, dataset, data = s.settings, s.dataset, s.data
        known = self._known_cv()

        def work(progress, cancel):
            try:
                return compare(
                    settings, dataset, data, progress, cancel, known_cv=known
                )
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
        self._requested = False
        self.busyChanged.emit(False)
        if isinstance(res, Exception):
            note = f"Could not compare the penalties: {res}"
            self._failed = (settings, data, note)
            self._set(None, note)
            return
        if res is None:  # cancelled: not again on its own, until Compute
            self._cancelled = (settings, data)
            self._set(None, CANCELLED)
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
        """Stop the running computation (the Cancel button): nothing of it is
        drawn, and it starts again only on :meth:`compute` or new strengths."""
        self._requested = False
        self._timer.stop()
        if self._worker is not None:
            self._worker.stop.set()
        elif self.comparison is None and self.session.trainer is not None:
            s = self.session
            self._cancelled = (s.settings, s.data)  # not started yet: not at all
            self._set(None, CANCELLED)

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
            while (self.busy or self._cv_coming()) and time.perf_counter() < deadline:
                QtWidgets.QApplication.processEvents(
                    QtCore.QEventLoop.ProcessEventsFlag.AllEvents, 50
                )
                if self._worker is not None:
                    self._worker.wait(20)
                if not self.busy and not self._strengths_current():
                    self._timer.stop()
                    self._start()  # the path model's CV is there (or not coming)
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
