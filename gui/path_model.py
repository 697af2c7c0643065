"""The regularization path and its cross-validation for the session's settings.

The path model sits beside the controller (``session.path_model``): it holds the path
(:class:`engine.path.PathResult`) and the cross-validation (:class:`engine.path.CVResult`)
of the run's current settings and recomputes them on the one worker
(:class:`gui.worker.Worker`) when they stop matching: a change of the data or its
preparation, the loss, the penalty kind, the Elastic Net share ρ, the grid or the
tolerance recomputes the path and then the cross-validation; a change of the folds,
shuffling or error measure only the cross-validation; a change of λ alone (a move
along the path) nothing. Edits arriving in a burst (a dragged ρ) are gathered for
``DEBOUNCE_MS`` before a computation starts; a stale one is stopped at once.

Computing is done for someone: while a pane that shows the path is on screen
(:meth:`PathModel.watch`), or for a figure, a test or a λ_min button
(:meth:`PathModel.wait`, :meth:`PathModel.compute`). So a run that nobody looks at
the path of (playing the training on 1,000 features) shares no CPU with it.

The λ cursor of the path and CV panes goes through :meth:`PathModel.move_cursor`: it
edits λ through the controller and, when ``settings.path.cursor`` is 'jump', puts
the trainer on the path's solution at that strength.
"""

from __future__ import annotations

import time

import numpy as np
from PySide6 import QtCore

from engine import SolveResult
from engine.path import (
    PATH_KINDS,
    current_alpha,
    cv_for,
    path_for,
    same_cv,
    same_path,
    solution_at,
    strengths_at,
)
from engine.problems import make_problem
from gui.worker import Worker

__all__ = ["NO_PATH", "PathModel"]

#: What the path and CV panes say when the penalty has no path.
NO_PATH = "Choose L1, L2 or Elastic Net to see its path"
#: Settings edits within this time (ms) start one computation.
DEBOUNCE_MS = 120
JOB_NAMES = {"path": "path", "cv": "cross-validation"}


class PathModel(QtCore.QObject):
    """The path and CV results of the session's settings, kept up to date."""

    #: A new path (or none): ``path`` changed.
    pathChanged = QtCore.Signal()
    #: A new cross-validation (or none): ``cv`` changed.
    cvChanged = QtCore.Signal()
    #: A computation started (True) or ended (False).
    busyChanged = QtCore.Signal(bool)
    #: Progress of the running computation: fraction, "path: 40 of 100 strengths".
    progressed = QtCore.Signal(float, str)

    def __init__(self, session, parent=None):
        super().__init__(parent or session)
        self.session = session
        #: The path of ``path_settings`` on ``path_data`` (None: none yet / no path).
        self.path = None
        self.cv = None
        self.path_settings = None
        self.path_data = None
        self.cv_settings = None
        #: Why there is no (complete) path or CV now, for the panes; '' when there is.
        self.path_note = ""
        self.cv_note = ""
        #: Computations started, by kind: what the tests count.
        self.started = {"path": 0, "cv": 0}
        self._watchers: set[int] = set()
        self._forced = 0  # callers of wait() in progress
        self._requested = False  # compute() asked: until all is there or cancelled
        self._worker: Worker | None = None
        self._job: str | None = None
        self._job_settings = self._job_data = None
        #: (job, settings, data, note) of the last computation the engine refused.
        self._failed = None
        self._timer = QtCore.QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._start_next)
        session.datasetLoaded.connect(self._on_settings_change)
        session.settingsChanged.connect(self._on_settings_change)

    # -- state ------------------------------------------------------------------------
    @property
    def has_path(self) -> bool:
        """Whether the settings' penalty has a path (L1, L2, Elastic Net)."""
        s = self.session
        return s.trainer is not None and s.settings.penalty in PATH_KINDS

    @property
    def busy(self) -> bool:
        return self._worker is not None

    @property
    def alpha(self) -> float | None:
        """The settings' strength on the path's axis (None without a path)."""
        return current_alpha(self.session.settings) if self.has_path else None

    def path_is_current(self) -> bool:
        """Whether ``path`` is the path of the current settings and data."""
        s = self.session
        return (
            self.path is not None
            and self.path_data is s.data
            and same_path(self.path_settings, s.settings)
        )

    def cv_is_current(self) -> bool:
        return (
            self.cv is not None
            and self.path_is_current()
            and same_cv(self.cv_settings, self.session.settings)
        )

    def computing_cv_of(self, settings) -> bool:
        """Whether the running computation is the cross-validation of ``settings``
        on the session's data, or its path with the cross-validation to follow."""
        if self._worker is None or self._job_data is not self.session.data:
            return False
        if not same_cv(self._job_settings, settings):
            return False
        return self._job == "cv" or self.wanted

    # -- who wants it -------------------------------------------------------------------
    def watch(self, viewer, shown: bool) -> None:
        """``viewer`` (a pane) is on screen (``shown``) or not. While any is, what
        the settings need is computed."""
        if shown:
            self._watchers.add(id(viewer))
            if self._needed() is not None and not self.busy:
                self._timer.start()
        else:
            self._watchers.discard(id(viewer))

    @property
    def wanted(self) -> bool:
        return bool(self._watchers) or self._forced > 0 or self._requested

    # -- following the settings ---------------------------------------------------------
    def _needed(self, *, retry: bool = False) -> str | None:
        """The computation the current settings need next: 'path', 'cv' or None
        (up to date, or a cancelled result waiting for :meth:`compute`, or what the
        engine refused for these settings, unless ``retry``)."""
        if not self.has_path:
            return None
        if not self.path_is_current():
            need = "path"
        elif self.path.cancelled:
            return None
        elif not self.cv_is_current():
            need = "cv"
        else:
            return None
        if self._failed is not None and not retry:  # refused stays refused
            job, settings, data, _ = self._failed
            same = same_path if job == "path" else same_cv
            if job == need and data is self.session.data:
                if same(settings, self.session.settings):
                    return None
        return need

    def _running_is_current(self) -> bool:
        """Whether the running computation is for the current settings and data."""
        s = self.session
        same = same_path if self._job == "path" else same_cv
        return self._job_data is s.data and same(self._job_settings, s.settings)

    def _on_settings_change(self) -> None:
        if not self.has_path:
            self._stop()
            self._timer.stop()
            self._set_path(None, NO_PATH)
            self._set_cv(None, NO_PATH)
            return
        need = self._needed()
        if self._worker is not None:
            if self._job == need and self._running_is_current():
                return  # a λ edit while computing: the computation is still right
            self._stop()
        refused = self._needed(retry=True)
        if need is None and refused is not None:  # the engine refused these settings
            note = self._failed[3]
            if refused == "path":
                self._set_path(None, note)
            self._set_cv(None, note)
            return
        if need == "path":
            self._set_path(None, "Computing the path…")
            self._set_cv(None, "Waiting for the path…")
        elif need == "cv":
            self._set_cv(None, "Cross-validating…")
        else:
            return
        if self.wanted:
            self._timer.start()

    def compute(self) -> None:
        """Compute what is missing or was cancelled, now, whoever looks (the
        Compute buttons; λ_min before there is a cross-validation)."""
        if not self.has_path or self.busy:
            return
        self._timer.stop()
        if self.path_is_current() and self.path.cancelled:
            self._run("path")
        elif self.cv_is_current() and self.cv.cancelled:
            self._run("cv")
        else:
            self._requested = True
            self._start_next()

    def _start_next(self) -> None:
        need = self._needed()
        if need is None:
            self._requested = False  # what compute() asked for is there
        elif not self.busy and self.wanted:
            self._run(need)

    def _run(self, job: str) -> None:
        s = self.session
        settings, data, path = s.settings, s.data, self.path
        label = JOB_NAMES[job]

        def work(progress, cancel):
            def report(f, m):
                progress(f, f"{label}: {m}")

            try:
                if job == "path":
                    return path_for(settings, data, report, cancel)
                return cv_for(settings, data, path, report, cancel)
            except ValueError as e:  # said in one sentence (a fold of one class)
                return e

        worker = Worker(work, self)
        worker.progressed.connect(self.progressed)
        worker.done.connect(lambda res, w=worker: self._on_done(w, res))
        self._worker, self._job = worker, job
        self._job_settings, self._job_data = settings, data
        self.started[job] += 1
        if job == "path":
            self._set_path(None, "Computing the path…")
            self._set_cv(None, "Waiting for the path…")
        else:
            self._set_cv(None, "Cross-validating…")
        self.busyChanged.emit(True)
        worker.start()

    def _on_done(self, worker, res) -> None:
        worker.wait()
        worker.deleteLater()
        if worker is not self._worker:
            return  # stopped because the settings changed: its result is stale
        job, settings, data = self._job, self._job_settings, self._job_data
        self._worker = self._job = None
        self.busyChanged.emit(False)
        if isinstance(res, Exception):
            note = f"Could not compute the {JOB_NAMES[job]}: {res}"
            self._failed = (job, settings, data, note)
            if job == "path":
                self._set_path(None, note)
            self._set_cv(None, note)
            return
        if job == "path":
            note = ""
            if res.cancelled:
                note = (
                    f"Cancelled after {res.n_computed} of {len(res.alphas)} "
                    "strengths: Compute to finish"
                )
            self._set_path(res, note, settings, data)
            if res.cancelled:
                self._set_cv(None, "Cancelled: compute the path first")
                return
        else:
            note = ""
            if res.cancelled:
                note = (
                    f"Cancelled after {res.folds_done} of {res.folds} folds: "
                    "Compute to finish"
                )
            self._set_cv(res, note, settings)
        self._start_next()  # the path is followed by its cross-validation

    def _set_path(self, path, note: str, settings=None, data=None) -> None:
        if path is None and self.path is None and note == self.path_note:
            return
        self.path, self.path_note = path, note
        self.path_settings, self.path_data = settings, data
        self.pathChanged.emit()

    def _set_cv(self, cv, note: str, settings=None) -> None:
        if cv is None and self.cv is None and note == self.cv_note:
            return
        self.cv, self.cv_note, self.cv_settings = cv, note, settings
        self.cvChanged.emit()

    # -- cancel, wait, stop -----------------------------------------------------------
    def cancel(self) -> None:
        """Stop the running computation; what it has done so far is kept and shown
        (the Cancel button of the status bar)."""
        self._requested = False
        if self._worker is not None:
            self._worker.stop.set()

    def _stop(self) -> None:
        """Stop the running computation and forget it: its result is stale."""
        worker, self._worker, self._job = self._worker, None, None
        if worker is not None:
            worker.stop.set()
            self.busyChanged.emit(False)

    def wait(self, what: str = "cv", timeout_s: float = 600.0) -> None:
        """Compute the path (``what='path'``) or the path and its cross-validation
        ('cv') if they are missing, and block until they are there (figures, tests);
        events are processed meanwhile. A cancel ends the wait."""
        from PySide6 import QtWidgets

        def done() -> bool:
            need = self._needed()
            return need is None or (what == "path" and need == "cv")

        self._forced += 1
        try:
            if not done() and not self.busy:
                self._timer.stop()
                self._start_next()
            deadline = time.perf_counter() + timeout_s
            while time.perf_counter() < deadline and not done() and self.busy:
                QtWidgets.QApplication.processEvents(
                    QtCore.QEventLoop.ProcessEventsFlag.AllEvents, 50
                )
                if self._worker is not None:
                    self._worker.wait(20)
                if not done() and not self.busy and not self._timer.isActive():
                    self._start_next()  # the next step (the CV after the path)
        finally:
            self._forced -= 1

    def shutdown(self) -> None:
        """Stop any computation and wait for its thread (window closing)."""
        self._timer.stop()
        worker = self._worker
        self._stop()
        if worker is not None:
            worker.wait(5000)

    # -- the λ cursor -----------------------------------------------------------------
    def move_cursor(self, alpha: float, *, snap: bool = False) -> None:
        """Put the run at strength ``alpha`` of its path: λ is edited through the
        controller; with ``settings.path.cursor == 'jump'`` the trainer is set to the
        path's solution there (the stored one on the grid, an exact warm-started
        solve between grid points), so every pane shows the model at that λ.

        ``snap``: jump to the nearest computed grid point instead (a cursor being
        dragged: every frame shows an exact solution at once, however slow a solve
        between grid points; the release puts λ where the pointer let go)."""
        s = self.session
        if not self.has_path:
            return
        alpha = float(alpha)
        jump = s.settings.path.cursor == "jump" and self.path_is_current()
        if jump and snap and self.path.n_computed and alpha > 0:
            done = self.path.alphas[: self.path.n_computed]
            logs = np.log(np.maximum(done, 1e-300))
            alpha = float(done[np.argmin(np.abs(logs - np.log(alpha)))])
        changes = strengths_at(s.settings, alpha)
        if not jump or self.path.n_computed == 0:
            s.edit(**changes)
            return
        w, b, info = solution_at(self.path, alpha, s.data, s.loss, tol=s.settings.tol)
        if info["cancelled"] or not np.isfinite(w).all():
            s.edit(**changes)
            return
        s.jump(w, b, solution=self._solution(w, b, info), **changes)

    def go_to_cv(self, which: str) -> bool:
        """Move the λ cursor to λ_min ('min') or λ_1se ('1se') of the current
        cross-validation. False when there is none yet (its computation starts)."""
        cv = self.cv
        if cv is None or not self.cv_is_current():
            self.compute()
            return False
        alpha = cv.alpha_min if which == "min" else cv.alpha_1se
        if alpha is None:
            return False
        self.move_cursor(alpha)
        return True

    def _solution(self, w, b, info) -> SolveResult:
        """The path's solution as the trainer keeps a solved point (labelled with its
        duality gap in the weights and curves panes)."""
        s = self.session
        pen = info["penalty"]
        objective = make_problem(s.data, s.loss).check(w, b, pen)[1]
        return SolveResult(
            w=w,
            b=float(b),
            penalty=pen,
            objective=float(objective),
            gap=float(info["gap"]),
            tol=s.settings.tol,
            converged=bool(info["converged"]),
            n_iter=0,
            elapsed=0.0,
            message=info["message"],
            rel_gap=float(info["rel_gap"]),
        )
