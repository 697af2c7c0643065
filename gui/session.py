"""The controller: holds the one :class:`~engine.settings.RunSettings` and the run.

Data flows one way: the controls (and lessons, session files, the command line) edit
the settings through :meth:`TrainingSession.edit`; the controller checks the edit,
applies it to the engine and emits **one** ``settingsChanged``; panes redraw from the
controller's state. A change of the data or its preparation makes a new run and emits
``datasetLoaded`` instead. Nobody else emits these signals.

Playing runs ``steps_per_frame`` training steps on every timer tick (about 60 per
second) within a time budget, so the window stays responsive however slow a step is.
Solving to convergence runs on the one worker (:class:`gui.worker.Worker`) with
progress and cancel.
"""

from __future__ import annotations

import time

import numpy as np
from PySide6 import QtCore

from engine import Dataset, SolveResult, Trainer, TrainingData, solve
from engine.penalties import Penalty
from engine.run import Run, RunFacts, describe, execute, start_run
from engine.settings import DataSource, RunSettings, Scales, scales, strength_changes
from gui.compare_model import CompareModel
from gui.feature_pair import FeaturePair
from gui.path_model import PathModel
from gui.stability_model import StabilityModel
from gui.worker import Worker

__all__ = ["TrainingSession"]

FRAME_MS = 16
#: Playing aims at this many frames a second: ticks are kept on a grid of 1/60 s, so a
#: tick that starts late (the machine busy) does not delay every later one.
FRAMES_PER_S = 60
#: Share of a frame the training steps may use; the rest is for drawing.
FRAME_BUDGET_S = 0.008

#: Settings whose change needs a new run (the data or how it is prepared).
DATA_SETTINGS = frozenset({"source", "standardize", "validation", "split_seed", "loss"})


class TrainingSession(QtCore.QObject):
    """One run: its settings, dataset, prepared data and Trainer; the play loop and
    the solver."""

    datasetLoaded = QtCore.Signal()
    #: A Reset is about to put the trainer back to its seeded start (a last look at
    #: the run it ends, for Undo).
    aboutToRestart = QtCore.Signal()
    restarted = QtCore.Signal()
    stepped = QtCore.Signal()
    #: One edit of the settings (penalty, λ, η, rule, batch, seed) was applied.
    settingsChanged = QtCore.Signal()
    playingChanged = QtCore.Signal(bool)
    diverged = QtCore.Signal(object)
    solveStarted = QtCore.Signal()
    solveProgressed = QtCore.Signal(float, str)
    solveFinished = QtCore.Signal(object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.settings: RunSettings = RunSettings()
        self.dataset: Dataset | None = None
        self.data: TrainingData | None = None
        self.trainer: Trainer | None = None
        self._scales: Scales | None = None
        self._facts: tuple | None = None  # (state, step, RunFacts): see facts()
        self.steps_per_frame = 20
        self.steps_per_second = 0.0
        self._rate_steps = 0
        self._rate_t0 = time.perf_counter()
        self._timer = QtCore.QTimer(self)
        self._timer.setInterval(FRAME_MS)
        self._due = 0.0  # when the next tick is due (perf_counter seconds)
        self._timer.setTimerType(QtCore.Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._on_tick)
        self._solver: Worker | None = None
        self._solver_key = None
        #: The regularization path and cross-validation of these settings.
        self.path_model = PathModel(self)
        #: The two features the 2D views (geometry, prior) draw.
        self.feature_pair = FeaturePair(self)
        #: L1, L2 and Elastic Net side by side on these settings' data.
        self.compare_model = CompareModel(self)
        #: The stability lab's selection frequencies of these settings.
        self.stability_model = StabilityModel(self)

    # -- read-only views of the settings --------------------------------------------
    @property
    def loss(self) -> str:
        return self.settings.loss

    @property
    def penalty(self) -> Penalty:
        """The penalty the run trains with (the settings' active penalty)."""
        return self.trainer.penalty if self.trainer is not None else Penalty.none()

    def facts(self) -> RunFacts:
        """The facts of the run at the trainer's current state
        (:func:`engine.run.describe`; it multiplies the validation rows by the
        weights), computed once per state: the status bar and the loss pane both
        state them after every step and every move of the λ cursor. A trainer
        replaces its weights, intercept, penalty and solution rather than changing
        them in place, so the same objects are the same state."""
        tr = self.trainer
        key = (self.dataset, self.data, tr, tr.w, tr.b, tr.penalty, tr.solution)
        kept = self._facts
        if (
            kept is None
            or kept[1] != tr.step_count
            or any(a is not b for a, b in zip(kept[0], key, strict=True))
        ):
            kept = self._facts = (
                key,
                tr.step_count,
                describe(self.dataset, self.data, tr),
            )
        return kept[2]

    @property
    def scales(self) -> Scales:
        """λ_max and the data loss's curvature L_D of the current run."""
        if self._scales is None:
            self._scales = scales(self.data, self.settings.loss)
        return self._scales

    # -- a new run ----------------------------------------------------------------------
    def start(self, settings: RunSettings, dataset: Dataset | None = None) -> None:
        """Make the run ``settings`` define (``dataset``: already loaded from its
        source), take its steps and start its solve. Raises DataError / SettingsError
        (ValueError) before anything changes."""
        run = execute(start_run(settings.replace(solve=False), dataset))
        self.adopt(run)
        if settings.solve:
            self.solve(settings.tol)

    def load_dataset(self, dataset: Dataset, **options) -> None:
        """Train on ``dataset`` from the seeded start (``options`` as for
        :meth:`prepare_run`). Raises DataError if unusable, leaving the previous
        dataset in place."""
        self.adopt(self.prepare_run(dataset, **options))

    def prepare_run(
        self,
        dataset: Dataset,
        *,
        standardize: bool | None = None,
        validation: float | None = None,
        split_seed: int | None = None,
    ) -> Run:
        """The run of ``dataset`` with the current settings, at its seeded start:
        the strengths back to the data's defaults and η back to auto (values chosen
        for other data mean something else here). Changes nothing here, so it may run
        on a worker thread; pass the result to :meth:`adopt`. Raises DataError or
        ValueError if unusable."""
        s = self.settings
        settings = self._fresh(
            source=DataSource.of_dataset(dataset.source, dataset.name),
            standardize=s.standardize if standardize is None else bool(standardize),
            validation=s.validation if validation is None else float(validation),
            split_seed=s.split_seed if split_seed is None else int(split_seed),
            loss="auto",
        )
        return start_run(settings, dataset)

    def _fresh(self, **changes) -> RunSettings:
        """The settings with ``changes`` for a new run: strengths back to the data's
        defaults and η to auto unless ``changes`` set them (values chosen for other
        data mean something else there), from step 0."""
        fresh = {"lam1": None, "lam2": None, "lr": "auto", "steps": 0, "solve": False}
        return self.settings.replace(**{**fresh, **changes})

    def adopt(self, run: Run) -> None:
        """Take over a prepared run (a restored session, a lesson, an import) as it
        is: its settings become the settings."""
        self.pause()
        self.cancel_solve()
        self.settings = run.settings.replace(steps=0, solve=False)
        self.dataset, self.data, self.trainer = run.dataset, run.data, run.trainer
        self._scales = None
        self.datasetLoaded.emit()
        self.settingsChanged.emit()
        self.stepped.emit()

    # -- editing the settings ---------------------------------------------------------
    def edit(self, **changes) -> None:
        """Change settings (names of :class:`RunSettings` fields).

        Penalty, strengths, step size, rule and batch size take effect on the next
        step without a reset; the seed at the next reset. A change of the data or its
        preparation makes a new run at its seeded start (strengths and η back to the
        data's defaults unless given in the same edit). Raises SettingsError
        (ValueError) and changes nothing if the result is invalid."""
        if self._apply(changes):
            self.settingsChanged.emit()

    def jump(self, w, b, *, solution=None, **changes) -> None:
        """Edit the settings (a new λ on the path) and put the trainer at ``(w, b)``,
        the solution there (``solution``: its SolveResult), in one step: panes hear
        one ``settingsChanged`` and one ``stepped`` and never see the old weights at
        the new λ. Training goes on from there. Raises like :meth:`edit`."""
        if DATA_SETTINGS & set(changes):
            raise ValueError("a jump changes the penalty's strengths, not the data")
        changed = self._apply(changes)
        if self.trainer is None:
            return
        self.trainer.set_state(w, b, solution=solution)
        if changed:
            self.settingsChanged.emit()
        self.stepped.emit()

    def _apply(self, changes: dict) -> bool:
        """Apply ``changes`` to the settings and the trainer without a signal; True
        if a settingsChanged is due (a new run emits its own signals)."""
        new = self.settings.replace(**changes)
        changed = new.changed_fields(self.settings)
        if not changed:
            return False
        if self.trainer is None or changed & DATA_SETTINGS:
            same_data = "source" not in changed and self.dataset is not None
            self.start(self._fresh(**changes), self.dataset if same_data else None)
            return False
        tr = self.trainer
        pen = new.active_penalty
        tr.check_update(pen, new.lr)  # refused before anything changes
        if pen != tr.penalty:
            tr.set_penalty(pen)
        if new.lr != tr.lr_setting:
            tr.set_lr(new.lr)
        if new.rule != tr.rule:
            tr.set_rule(new.rule)
        if "batch" in changed:
            tr.set_batch_size(new.batch)
        self.settings = new
        return True

    def set_penalty(self, penalty: Penalty) -> None:
        """Edit the penalty and its strengths in one step (keeps the unused one)."""
        self.edit(penalty=penalty.kind, **strength_changes(penalty))

    def set_steps_per_frame(self, n: int) -> None:
        """Playing speed: a view setting, not part of the run."""
        self.steps_per_frame = max(1, int(n))

    # -- running ------------------------------------------------------------------
    @property
    def playing(self) -> bool:
        return self._timer.isActive()

    def play(self) -> None:
        if self.trainer is None or self.playing or self.solving:
            return
        if self.trainer.divergence is not None:
            self.diverged.emit(self.trainer.divergence)
            return
        self._rate_steps, self._rate_t0 = 0, time.perf_counter()
        self._due = time.perf_counter() + 1 / FRAMES_PER_S
        self._timer.start(FRAME_MS)
        self.playingChanged.emit(True)

    def pause(self) -> None:
        if self.playing:
            self._timer.stop()
            self.steps_per_second = 0.0
            self.playingChanged.emit(False)

    def toggle_play(self) -> None:
        self.pause() if self.playing else self.play()

    def step(self, k: int = 1) -> int:
        """Advance ``k`` steps now (the → and ×10 buttons)."""
        if self.trainer is None or self.solving:
            return 0
        done = self.trainer.step(k)
        self.stepped.emit()
        self._check_divergence()
        return done

    def reset(self) -> None:
        """Back to step 0 with the seeded start (same seed: same weights)."""
        if self.trainer is None:
            return
        self.cancel_solve()
        self.aboutToRestart.emit()
        self.trainer.reset(self.settings.seed)
        self.restarted.emit()
        self.stepped.emit()

    def _on_tick(self) -> None:
        done = self.trainer.step(self.steps_per_frame, time_budget=FRAME_BUDGET_S)
        self._rate_steps += done
        now = time.perf_counter()
        if now - self._rate_t0 >= 0.5:
            self.steps_per_second = self._rate_steps / (now - self._rate_t0)
            self._rate_steps, self._rate_t0 = 0, now
        if done:
            self.stepped.emit()
        self._check_divergence()
        if self.playing:  # the next tick at the next point of the grid
            now = time.perf_counter()
            self._due = max(self._due + 1 / FRAMES_PER_S, now + 0.002)
            self._timer.setInterval(max(1, int((self._due - now) * 1000)))

    def _check_divergence(self) -> None:
        if self.trainer.divergence is not None:
            self.pause()
            self.diverged.emit(self.trainer.divergence)

    def use_safe_step(self) -> None:
        """η = 1/L ('auto'), clearing a divergence so training can go on."""
        if self.settings.lr == "auto" and self.trainer is not None:
            self.trainer.set_lr("auto")  # clears the divergence
            self.settingsChanged.emit()
        else:
            self.edit(lr="auto")

    # -- solving to convergence ---------------------------------------------------
    @property
    def solving(self) -> bool:
        return self._solver is not None

    def solve(self, tol: float | None = None) -> None:
        """Solve to convergence on the worker, from the current weights."""
        if self.trainer is None or self.solving:
            return
        self.pause()
        if tol is not None and tol != self.settings.tol:
            self.settings = self.settings.replace(tol=tol)
        tr = self.trainer
        # what the worker needs, copied: it never touches the live trainer
        job = (self.data, self.settings.loss, tr.penalty, tr.w.copy(), tr.b)
        self._solver_key = (tr, tr.penalty)
        tol = self.settings.tol
        worker = Worker(
            lambda progress, cancel: solve(
                *job[:3],
                w0=job[3],
                b0=job[4],
                tol=tol,
                progress=progress,
                cancel=cancel,
            ),
            self,
        )
        worker.progressed.connect(self.solveProgressed)
        worker.done.connect(self._on_solved)
        self._solver = worker
        self.solveStarted.emit()
        worker.start()

    def cancel_solve(self) -> None:
        if self._solver is not None:
            self._solver.stop.set()

    def _on_solved(self, res) -> None:
        worker, self._solver = self._solver, None
        worker.wait()
        worker.deleteLater()
        if isinstance(res, SolveResult) and not res.cancelled:
            key = (self.trainer, self.trainer.penalty if self.trainer else None)
            if key == self._solver_key and np.isfinite(res.w).all():
                self.trainer.set_state(res.w, res.b, solution=res)
                self.stepped.emit()
            else:
                res.message = "settings changed while solving; result not applied"
        self.solveFinished.emit(res)

    def wait_for_solve(self, timeout_s: float = 600.0) -> None:
        """Block until a running solve has finished (headless figures)."""
        from PySide6 import QtWidgets

        deadline = time.perf_counter() + timeout_s
        while self.solving and time.perf_counter() < deadline:
            QtWidgets.QApplication.processEvents(
                QtCore.QEventLoop.ProcessEventsFlag.AllEvents, 50
            )
            if self._solver is not None:
                self._solver.wait(20)

    def shutdown(self) -> None:
        """Stop the timer, any solver and the path's computation (window closing)."""
        self.pause()
        self.path_model.shutdown()
        self.compare_model.shutdown()
        self.stability_model.shutdown()
        if self._solver is not None:
            self._solver.stop.set()
            self._solver.wait(5000)
