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

from PySide6 import QtCore

from engine.path import current_alpha
from engine.stability import same_paths, same_stability, stability_for
from engine.stability_move import paths_reach, stability_at
from gui.watched_job import WatchedJob

__all__ = ["NO_LAB", "StabilityModel"]

#: What the pane says when the penalty has no exact zeros to count.
NO_LAB = (
    "Stability selection counts exact zeros: choose L1 or Elastic Net to see how "
    "often each feature is selected"
)
#: Settings edits within this time (ms) start one computation (B paths each).
DEBOUNCE_MS = 250


class StabilityModel(WatchedJob):
    """The stability result of the session's settings."""

    #: A new result (or none): ``result`` or ``note`` changed (``progressed``:
    #: "40 of 100 resamples").
    resultChanged = QtCore.Signal()

    def __init__(self, session, parent=None):
        super().__init__(session, DEBOUNCE_MS, parent)
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
        self._job_settings = self._job_data = None
        self._failed = None  # (settings, data, note) the engine refused
        session.datasetLoaded.connect(self._on_settings_change)
        session.settingsChanged.connect(self._on_settings_change)

    # -- state ------------------------------------------------------------------------
    @property
    def has_lab(self) -> bool:
        """Whether the settings' penalty has exact zeros to count (L1, Elastic Net)."""
        s = self.session
        return s.trainer is not None and s.settings.penalty in ("l1", "elasticnet")

    def is_current(self) -> bool:
        """Whether ``result`` is that of the current settings and data."""
        s = self.session
        return (
            self.result is not None
            and self.result_data is s.data
            and same_stability(self.result_settings, s.settings)
        )

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

        worker = self._launch(work)
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
