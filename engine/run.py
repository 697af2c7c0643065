"""From :class:`~engine.settings.RunSettings` to a run, and what a run says of itself.

Every entry point goes through the same three steps, so that the same settings give
the same numbers whether they are printed, drawn or saved:

1. :func:`load_source`: the settings' data source becomes a :class:`Dataset` (with
   notes on what was dropped or converted);
2. :func:`start_run`: the dataset is prepared (standardized, split), the settings are
   resolved for it (:func:`engine.settings.resolve`) and a :class:`Trainer` is built
   at its seeded start;
3. :func:`execute`: the settings' steps are taken, then the solve if asked for.

:func:`describe` turns a run into the facts every view shows (penalty, rows, step,
objective, exact zeros, solved or not), formatted once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .data import DataError, Dataset, TrainingData, prepare
from .losses import accuracy, r_squared
from .settings import DataSource, RunSettings, resolve, strength_changes
from .solvers import SolveResult, solve
from .trainer import Trainer

__all__ = [
    "Run",
    "RunFacts",
    "Selection",
    "describe",
    "execute",
    "following",
    "load_source",
    "selection",
    "solve_from_here",
    "start_run",
    "validation_score",
]


@dataclass
class Run:
    """A dataset prepared for ``settings`` (resolved) and the trainer on it."""

    settings: RunSettings
    dataset: Dataset
    data: TrainingData
    trainer: Trainer
    notes: tuple[str, ...] = ()
    solution: SolveResult | None = field(default=None)


def load_source(source: DataSource) -> tuple[Dataset, tuple[str, ...]]:
    """The dataset ``source`` names, and notes on what its import dropped or
    converted. DataError (a ValueError) if it cannot be loaded."""
    if source.kind == "bundled":
        from .datasets import load_dataset

        return load_dataset(source.name, seed=source.seed, degree=source.degree), ()
    if source.spec is not None:
        # an import dialog's record: the dataset is loaded once, by the dialog or by
        # engine.session_file, and kept in memory while the run lives
        raise DataError(
            f"{source.path} was imported with choices of the import dialog; open it "
            "again with File › Open CSV or from its session file"
        )
    from .csv import read_csv

    dataset, report = read_csv(
        source.path,
        source.target,
        one_hot=source.one_hot,
        positive_class=source.positive_class,
        target_as_number=source.target_as_number,
    )
    return dataset, tuple(report)


def start_run(
    settings: RunSettings,
    dataset: Dataset | None = None,
    *,
    data: TrainingData | None = None,
) -> Run:
    """The run ``settings`` define, at step 0 (nothing executed yet).

    ``dataset`` (already loaded from ``settings.source``) and ``data`` (already
    prepared with the settings' preparation) skip those steps. Raises DataError /
    SettingsError (both ValueError) with a message for the user.
    """
    notes: tuple[str, ...] = ()
    if dataset is None:
        dataset, notes = load_source(settings.source)
    if data is None:
        data = prepare(
            dataset,
            standardize=settings.standardize,
            validation=settings.validation,
            seed=settings.split_seed,
        )
    settings = resolve(settings, data)
    trainer = Trainer(
        data,
        loss=settings.loss,
        penalty=settings.active_penalty,
        lr=settings.lr,
        rule=settings.rule,
        batch_size=settings.batch,
        seed=settings.seed,
    )
    return Run(settings, dataset, data, trainer, notes + tuple(data.notes))


def following(settings: RunSettings, trainer: Trainer) -> RunSettings:
    """``settings`` updated to the trainer's current penalty, step size, rule and
    batch size (after a replay of a session file, whose changes the trainer made)."""
    pen = trainer.penalty
    changes: dict = {
        "penalty": pen.kind,
        "lr": trainer.lr_setting,
        "rule": trainer.rule,
        "batch": None if trainer.full_batch else trainer.batch_size,
        "seed": trainer.seed,
        "loss": trainer.loss.name,
    }
    changes.update(strength_changes(pen))
    return settings.replace(**changes)


Progress = Callable[[float, str], None] | None
Cancel = Callable[[], bool] | None


def execute(run: Run, progress: Progress = None, cancel: Cancel = None) -> Run:
    """Take the settings' steps, then solve to convergence if asked for; stops at a
    divergence (``run.trainer.divergence``)."""
    s = run.settings
    tr = run.trainer
    if s.steps:
        tr.step(s.steps)
    if s.solve and tr.divergence is None:
        run.solution = solve_from_here(run, progress=progress, cancel=cancel)
    return run


def solve_from_here(run: Run, progress: Progress = None, cancel: Cancel = None):
    """Solve to convergence from the trainer's weights and jump there."""
    tr = run.trainer
    res = solve(
        run.data,
        run.settings.loss,
        tr.penalty,
        w0=tr.w,
        b0=tr.b,
        tol=run.settings.tol,
        progress=progress,
        cancel=cancel,
    )
    if not res.cancelled and np.isfinite(res.w).all():
        tr.set_state(res.w, res.b, solution=res)
    return res


@dataclass(frozen=True)
class Selection:
    """Which features the weights keep, against the truth of synthetic data."""

    kept: int
    n_true: int
    hits: int  # kept and truly in the model

    @property
    def precision(self) -> float:
        return self.hits / self.kept if self.kept else float("nan")

    @property
    def recall(self) -> float:
        return self.hits / self.n_true if self.n_true else float("nan")

    @property
    def text(self) -> str:
        def num(v):
            return f"{v:.2f}" if np.isfinite(v) else "–"

        return (
            f"kept {self.kept} · precision {num(self.precision)} · "
            f"recall {num(self.recall)} (of {self.n_true} true)"
        )


def selection(w: np.ndarray, true_coef: np.ndarray | None) -> Selection | None:
    """The selection facts of weights ``w``, or None without a known truth."""
    if true_coef is None:
        return None
    kept, truth = w != 0, true_coef != 0
    return Selection(int(kept.sum()), int(truth.sum()), int((kept & truth).sum()))


@dataclass(frozen=True)
class RunFacts:
    """What every view of a run states, formatted once: the command line's summary,
    the window's status bar and caption, and figure captions all use these."""

    dataset: str
    penalty: str
    loss: str
    n_train: int
    n_val: int
    n_features: int
    step: int
    objective: float
    n_zero: int
    solved: str  # '' or e.g. 'solved (duality gap 3.1e-11)'
    selection: Selection | None = None
    val_loss: float = float("nan")
    #: 'R²' (squared loss) or 'accuracy' (logistic), '' without validation rows
    val_score_name: str = ""
    val_score: float = float("nan")

    @property
    def validation_text(self) -> str:
        """'validation: D = 2913, R² = 0.482' (or 'accuracy = 0.947'), the line the
        command line prints and the window shows; '' without validation rows."""
        if not self.n_val:
            return ""

        def num(v, fmt):
            return format(v, fmt) if np.isfinite(v) else "–"

        text = f"validation: D = {num(self.val_loss, '.4g')}"
        if self.val_score_name:
            text += f", {self.val_score_name} = {num(self.val_score, '.3f')}"
        return text

    @property
    def step_text(self) -> str:
        return f"step {self.step:,}" + (f", {self.solved}" if self.solved else "")

    @property
    def objective_text(self) -> str:
        return f"F = {self.objective:.6g}" if np.isfinite(self.objective) else "F = –"

    @property
    def zeros_text(self) -> str:
        return f"{self.n_zero} of {self.n_features} weights exactly 0"

    @property
    def rows_text(self) -> str:
        val = f", {self.n_val} validation" if self.n_val else ""
        return f"{self.n_train} training rows{val} × {self.n_features} features"


def solved_text(solution) -> str:
    """'solved (duality gap 3.1e-11)' for the solution a trainer sits on, 'solve
    stopped: …' if the solver found no optimum, or ''."""
    if solution is None:
        return ""
    if not solution.converged:  # the solver's best point, not an optimum
        return f"solve stopped: {solution.message}"
    gap = solution.gap
    if not np.isfinite(gap):
        return f"solved ({solution.message})"
    return f"solved (duality gap {gap:.2g})"


def validation_score(
    data: TrainingData, loss: str, w: np.ndarray, b: float
) -> tuple[str, float]:
    """``('R²', value)`` for squared loss or ``('accuracy', value)`` for logistic loss
    of the model ``(w, b)`` on the validation rows; ``('', nan)`` without them.

    R² compares the squared error with that of the validation rows' own mean
    (:func:`engine.losses.r_squared`); accuracy predicts +1 where ``Xw + b > 0``
    (:func:`engine.losses.accuracy`). Both read the standardized validation rows,
    which is the same model as the raw rows with :meth:`TrainingData.raw_coef`.
    """
    if data.X_val is None or data.y_val is None or not len(data.y_val):
        return "", float("nan")
    if not np.isfinite(w).all() or not np.isfinite(b):
        return ("accuracy" if loss == "logistic" else "R²"), float("nan")
    z = data.X_val @ w + b
    if loss == "logistic":
        return "accuracy", accuracy(z, data.y_val)
    return "R²", r_squared(z, data.y_val)


def describe(dataset: Dataset, data: TrainingData, trainer: Trainer) -> RunFacts:
    """The facts of the run at the trainer's current state."""
    score_name, score = validation_score(data, trainer.loss.name, trainer.w, trainer.b)
    return RunFacts(
        dataset=dataset.name,
        penalty=trainer.penalty.label(),
        loss=trainer.loss.name,
        n_train=data.n_samples,
        n_val=0 if data.X_val is None else data.X_val.shape[0],
        n_features=data.n_features,
        step=trainer.step_count,
        objective=trainer.objective,
        n_zero=trainer.n_zero,
        solved=solved_text(trainer.solution),
        selection=selection(trainer.w, data.true_coef),
        val_loss=trainer.validation_loss(),
        val_score_name=score_name,
        val_score=score,
    )
