"""The training session: owns the data and the Trainer, drives it from a timer.

Data flows one way: controls call the setters here, the session changes the engine and
emits signals, panes redraw from the session's state. Panes never talk to each other.

Playing runs ``steps_per_frame`` training steps on every timer tick (about 60 per
second) within a time budget, so the window stays responsive however slow a step is.
Solving to convergence runs on a worker thread with progress and cancel.
"""

from __future__ import annotations

import threading
import time

import numpy as np
from PySide6 import QtCore

from engine import (
    Dataset,
    Penalty,
    SolveResult,
    Trainer,
    TrainingData,
    prepare,
    solve,
)
from engine.solvers import lambda_max

__all__ = ["TrainingSession"]

FRAME_MS = 16
#: Share of a frame the training steps may use; the rest is for drawing.
FRAME_BUDGET_S = 0.008


class _SolveThread(QtCore.QThread):
    progressed = QtCore.Signal(float, str)
    done = QtCore.Signal(object)

    def __init__(self, data, loss, penalty, w0, b0, tol, parent=None):
        super().__init__(parent)
        self.args = (data, loss, penalty)
        self.kw = {"w0": w0, "b0": b0, "tol": tol}
        self.cancel_event = threading.Event()

    def run(self):
        try:
            res = solve(
                *self.args,
                **self.kw,
                cancel=self.cancel_event,
                progress=lambda f, m: self.progressed.emit(f, m),
            )
        except Exception as e:  # reported to the user, never a crash of the thread
            res = e
        self.done.emit(res)


class TrainingSession(QtCore.QObject):
    """One dataset, one Trainer, the play loop and the solver thread."""

    datasetLoaded = QtCore.Signal()
    restarted = QtCore.Signal()
    stepped = QtCore.Signal()
    parametersChanged = QtCore.Signal()
    playingChanged = QtCore.Signal(bool)
    diverged = QtCore.Signal(object)
    solveStarted = QtCore.Signal()
    solveProgressed = QtCore.Signal(float, str)
    solveFinished = QtCore.Signal(object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.dataset: Dataset | None = None
        self.data: TrainingData | None = None
        self.trainer: Trainer | None = None
        self.loss = "squared"
        self.standardize = True
        self.validation = 0.2
        self.split_seed = 0
        self.steps_per_frame = 20
        self.steps_per_second = 0.0
        self._rate_steps = 0
        self._rate_t0 = time.perf_counter()
        self._timer = QtCore.QTimer(self)
        self._timer.setInterval(FRAME_MS)
        self._timer.setTimerType(QtCore.Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._on_tick)
        self._solver: _SolveThread | None = None
        self._settings = {
            "penalty": Penalty.l1(0.0),
            "lr": "auto",
            "rule": "proximal",
            "batch_size": None,
            "seed": 0,
        }

    # -- data ---------------------------------------------------------------------
    def load_dataset(self, dataset: Dataset, **options) -> None:
        """Train on ``dataset`` from the seeded start (``options`` as for
        :meth:`prepare_run`). Raises DataError if unusable, leaving the previous
        dataset in place."""
        data, trainer = self.prepare_run(dataset, **options)
        self.adopt(dataset, data, trainer, keep_settings=True)

    def prepare_run(
        self,
        dataset: Dataset,
        *,
        standardize: bool | None = None,
        validation: float | None = None,
        penalty: Penalty | None = None,
        split_seed: int | None = None,
    ) -> tuple[TrainingData, Trainer]:
        """The prepared data and a Trainer at its seeded start with the current
        settings (η back to auto: a step size chosen for other data may diverge on
        this one). Changes nothing here, so it may run on a worker thread; pass the
        result to :meth:`adopt`. Raises DataError or ValueError if unusable."""
        std = self.standardize if standardize is None else bool(standardize)
        val = self.validation if validation is None else float(validation)
        split = self.split_seed if split_seed is None else int(split_seed)
        s = dict(self._settings)
        data = prepare(dataset, standardize=std, validation=val, seed=split)
        loss = dataset.default_loss
        pen = penalty or self._default_penalty(s["penalty"].kind, data, loss)
        trainer = Trainer(
            data,
            loss=loss,
            penalty=pen,
            lr="auto",
            rule=s["rule"],
            batch_size=s["batch_size"],
            seed=s["seed"],
        )
        return data, trainer

    def adopt(
        self,
        dataset: Dataset,
        data: TrainingData,
        trainer: Trainer,
        *,
        keep_settings: bool = False,
    ) -> None:
        """Take over a prepared run (a restored session, a lesson) as it is.

        ``keep_settings``: the run was made by :meth:`prepare_run` from this
        session's settings; keep them (a mini-batch size larger than the new data
        trains full batch there, but is kept for the next dataset)."""
        self.pause()
        self.cancel_solve()
        self.dataset, self.data, self.trainer = dataset, data, trainer
        self.loss = trainer.loss.name
        self.standardize, self.validation = data.standardized, data.validation
        self.split_seed = data.split_seed
        s = self._settings
        s.update(penalty=trainer.penalty, lr=trainer.lr_setting)
        if not keep_settings:
            s.update(
                rule=trainer.rule,
                batch_size=None if trainer.full_batch else trainer.batch_size,
                seed=trainer.seed,
            )
        self.datasetLoaded.emit()
        self.parametersChanged.emit()
        self.stepped.emit()

    def _default_penalty(self, kind, data, loss) -> Penalty:
        lam1 = 0.05 * lambda_max(data, loss)
        lam2 = 0.1 * self.l2_scale(data, loss)
        return Penalty.of_kind(kind if kind != "none" else "none", lam1, lam2)

    def lam1_max(self) -> float:
        """λ_max: the smallest L1 strength that makes every weight exactly zero."""
        return lambda_max(self.data, self.loss)

    def l2_scale(self, data=None, loss=None) -> float:
        """A natural unit for λ₂: the curvature L of the data loss."""
        data = data or self.data
        curvature = 0.25 if (loss or self.loss) == "logistic" else 1.0
        return curvature * data.curvature

    # -- parameters -----------------------------------------------------------------
    @property
    def penalty(self) -> Penalty:
        return self._settings["penalty"]

    def set_penalty(self, penalty: Penalty) -> None:
        """Takes effect on the next step, without a reset."""
        self._settings["penalty"] = penalty
        if self.trainer is not None:
            self.trainer.set_penalty(penalty)
            self.parametersChanged.emit()
            self.stepped.emit()  # the objective at the current weights changed

    def set_lr(self, lr) -> None:
        self._settings["lr"] = lr
        if self.trainer is not None:
            self.trainer.set_lr(lr)
            self.parametersChanged.emit()

    def set_rule(self, rule: str) -> None:
        self._settings["rule"] = rule
        if self.trainer is not None:
            self.trainer.set_rule(rule)
            self.parametersChanged.emit()

    def set_batch_size(self, batch_size: int | None) -> None:
        self._settings["batch_size"] = batch_size
        if self.trainer is not None:
            self.trainer.set_batch_size(batch_size)
            self.parametersChanged.emit()

    @property
    def seed(self) -> int:
        return self._settings["seed"]

    def set_seed(self, seed: int) -> None:
        """The seed of the start and the batches; applies at the next reset."""
        self._settings["seed"] = int(seed)

    def set_steps_per_frame(self, n: int) -> None:
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
        self._timer.start()
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
        self.trainer.reset(self._settings["seed"])
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

    def _check_divergence(self) -> None:
        if self.trainer.divergence is not None:
            self.pause()
            self.diverged.emit(self.trainer.divergence)

    def use_safe_step(self) -> None:
        """η = 1/L ('auto'), clearing a divergence so training can go on."""
        self.set_lr("auto")

    # -- solving to convergence ---------------------------------------------------
    @property
    def solving(self) -> bool:
        return self._solver is not None

    def solve(self, tol: float = 1e-8) -> None:
        """Solve to convergence on a worker thread, from the current weights."""
        if self.trainer is None or self.solving:
            return
        self.pause()
        tr = self.trainer
        self._solver = _SolveThread(
            self.data, self.loss, tr.penalty, tr.w.copy(), tr.b, tol, self
        )
        self._solver_key = (self.trainer, tr.penalty)
        self._solver.progressed.connect(self.solveProgressed)
        self._solver.done.connect(self._on_solved)
        self.solveStarted.emit()
        self._solver.start()

    def cancel_solve(self) -> None:
        if self._solver is not None:
            self._solver.cancel_event.set()

    def _on_solved(self, res) -> None:
        thread, self._solver = self._solver, None
        thread.wait()
        thread.deleteLater()
        if isinstance(res, SolveResult) and not res.cancelled:
            if (
                self._solver_key == (self.trainer, self.trainer.penalty)
                and np.isfinite(res.w).all()
            ):
                self.trainer.set_state(res.w, res.b)
                self.stepped.emit()
            else:
                res.message = "settings changed while solving; result not applied"
        self.solveFinished.emit(res)

    def shutdown(self) -> None:
        """Stop the timer and any solver thread (window closing)."""
        self.pause()
        if self._solver is not None:
            self._solver.cancel_event.set()
            self._solver.wait(5000)
