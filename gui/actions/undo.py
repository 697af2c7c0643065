"""Undo and Redo of what changes a run: its settings, Reset, new data, a lesson.

The history listens to the session and needs no help from whoever made a change
(the controls, the menus, the import dialog, a lesson, a session file):

- an edit of the settings that keeps the run (penalty, λ₁, λ₂, η, rule, batch,
  seed, ...) becomes a :class:`SettingsEdit`: Undo edits the settings back through
  :meth:`TrainingSession.edit`, and the controls follow the session's
  ``settingsChanged`` as they do for any edit. The weights trained since stay,
  except after a jump to the path's solution (the λ cursor, λ_min): that edit moved
  the weights, and Undo puts them back with :meth:`TrainingSession.jump`. The edits
  of one drag of a λ slider are one entry, and so are quick successive edits of the
  same strength or step size (a dragged path cursor, a held arrow key);
- a new run (a bundled dataset, an import, a lesson, a session file, a change of
  the data's preparation) and a Reset become a :class:`RunChange`: Undo gives the
  session back the run that was there, the very ``Trainer`` object with its
  weights, step count and history (for a Reset, a :meth:`Trainer.copy` taken just
  before), through :meth:`TrainingSession.adopt`. Undo and Redo swap the run in
  force with the one kept, so nothing trained in between is lost either way.

Memory: each run kept holds its dataset and its trainer's history buffer (a few MB,
up to about 40 MB for a thousand features), so the history keeps the last
:data:`UNDO_LIMIT` entries.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, fields

import numpy as np
from PySide6 import QtCore, QtGui

from engine import Dataset, Trainer, TrainingData
from engine.penalties import KIND_NAMES
from engine.run import Run
from engine.settings import RunSettings
from gui.session import DATA_SETTINGS

__all__ = [
    "UNDO_LIMIT",
    "RunChange",
    "RunHistory",
    "RunSnapshot",
    "SettingsEdit",
    "Weights",
]

#: Entries kept; older ones are dropped (with the runs they hold).
UNDO_LIMIT = 30
#: QUndoCommand.id of settings edits (merged while one slider drag lasts).
SETTINGS_EDIT_ID = 1201
#: Edits of only these settings, each within this many seconds of the last, are one
#: entry even without a slider drag (the path's λ cursor, a held arrow key).
GLIDING = frozenset({"lam1", "lam2", "lr"})
MERGE_WINDOW_S = 0.5


def _setting_text(name: str, value) -> str:
    """One setting as an entry of the Edit menu says it: 'λ₁ = 0.0123'."""
    if name == "penalty":
        return f"penalty {KIND_NAMES.get(value, value)}"
    if name in ("lam1", "lam2"):
        number = "the data's default" if value is None else f"{value:.4g}"
        return f"{'λ₁' if name == 'lam1' else 'λ₂'} = {number}"
    if name == "lr":
        return "η = 1/L" if value == "auto" else f"η = {value:.4g}"
    if name == "rule":
        return "naive subgradient" if value == "subgradient" else "proximal rule"
    if name == "batch":
        return "full batch" if value is None else f"batches of {value}"
    if name == "seed":
        return f"seed {value}"
    if name == "tol":
        return f"tolerance {value:g}"
    if name == "standardize":
        return "standardize " + ("on" if value else "off")
    if name == "validation":
        return f"validation share {value:g}"
    if name == "split_seed":
        return f"split seed {value}"
    if name == "loss":
        return f"{value} loss"
    return f"{name} settings" if name in ("path", "lab") else name


def settings_text(settings: RunSettings, names) -> str:
    """``names`` of ``settings`` in words, in the order of the control panel."""
    order = [f.name for f in fields(RunSettings)]
    return ", ".join(
        _setting_text(n, getattr(settings, n)) for n in sorted(names, key=order.index)
    )


@dataclass(frozen=True)
class RunSnapshot:
    """A run as the window showed it: the session's settings, dataset, prepared data
    and trainer, the Data panel's line on its source and the lesson shown with it.

    Holds the trainer itself: only a run out of force is kept, and the session
    replaces a run rather than changing it (a Reset keeps a copy)."""

    settings: RunSettings
    dataset: Dataset
    data: TrainingData
    trainer: Trainer
    source_text: str = ""
    lesson: str | None = None

    @property
    def run(self) -> Run:
        return Run(self.settings, self.dataset, self.data, self.trainer)


@dataclass(frozen=True)
class Weights:
    """Where a trainer sits: weights, intercept and the solution they are, if any."""

    w: np.ndarray
    b: float
    solution: object = None


def _numbers(*values: dict) -> bool:
    return all(isinstance(v, float | int) for d in values for v in d.values())


class SettingsEdit(QtGui.QUndoCommand):
    """Settings of the same run changed from ``before`` to ``after`` (only the
    fields that differ). ``drag``: the slider drag it belongs to, or None.
    ``moved``: for a jump, the weights before it (after an Undo, the weights it
    undid), else None."""

    def __init__(
        self, history, before: dict, after: dict, text: str, drag=None, moved=None
    ):
        super().__init__(text)
        self.history = history
        self.before, self.after = before, after
        self.drag = drag
        self.moved: Weights | None = moved
        self.at = time.monotonic()  # of the last edit merged in
        self._applied = True  # pushed after the session made the change

    def id(self) -> int:
        return SETTINGS_EDIT_ID

    def mergeWith(self, other) -> bool:
        """The next edit of the same drag, or a quick next edit of the same strength
        or step size: one entry from the first to the last."""
        if not isinstance(other, SettingsEdit) or set(other.after) != set(self.after):
            return False
        if (other.moved is None) != (self.moved is None):
            return False
        same_drag = self.drag is not None and other.drag == self.drag
        gliding = (
            self.drag is None
            and other.drag is None
            and set(self.after) <= GLIDING
            and _numbers(self.before, self.after, other.after)  # not 'auto' η
            and other.at - self.at < MERGE_WINDOW_S
        )
        if not (same_drag or gliding):
            return False
        self.after, self.at = other.after, other.at
        self.setText(other.text())
        # a drag back to where it started leaves nothing to undo
        self.setObsolete(self.after == self.before and self.moved is None)
        return True

    def redo(self) -> None:
        if self._applied:
            self._applied = False
            return
        self.moved = self.history.apply_settings(self.after, self.moved)

    def undo(self) -> None:
        self.moved = self.history.apply_settings(self.before, self.moved)


class RunChange(QtGui.QUndoCommand):
    """The session's run was replaced: ``kept`` is the run out of force (the one
    before, or after an Undo the one undone)."""

    def __init__(self, history, kept: RunSnapshot, text: str):
        super().__init__(text)
        self.history = history
        self.kept = kept
        self._applied = True  # pushed after the session made the change

    def redo(self) -> None:
        if self._applied:
            self._applied = False
            return
        self.kept = self.history.swap(self.kept)

    def undo(self) -> None:
        self.kept = self.history.swap(self.kept)


class RunHistory(QtCore.QObject):
    """The undo stack of a main window's run, and its Undo and Redo actions.

    Create it before the window's lessons: on ``datasetLoaded`` it reads the Data
    panel's source line and the lesson of the run being replaced, before the
    lessons (or whoever loaded the data) update them. The window's ``data_panel``
    and ``lessons`` are read when the session changes, not here.
    """

    def __init__(self, window, parent=None):
        super().__init__(parent or window)
        self.window = window
        self.session = session = window.session
        self.stack = QtGui.QUndoStack(self)
        self.stack.setUndoLimit(UNDO_LIMIT)
        self.undo_action = self.stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QtGui.QKeySequence.StandardKey.Undo)
        self.undo_action.setStatusTip(
            "Take back the last change of the settings, Reset, dataset or lesson"
        )
        self.redo_action = self.stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts(
            [QtGui.QKeySequence("Ctrl+Shift+Z"), QtGui.QKeySequence("Ctrl+Y")]
        )
        self.redo_action.setStatusTip("Make the change taken back by Undo again")
        self._settings: RunSettings | None = None  # last seen: the 'before' of edits
        self._trainer: Trainer | None = None
        self._dataset: Dataset | None = None
        self._data: TrainingData | None = None
        self._weights: Weights | None = None  # the trainer's, at the last signal
        self._before_reset: RunSnapshot | None = None
        self._restoring = False
        self._drag = 0  # the current slider drag, 0 when none
        self._drags = 0
        self._remember()
        session.datasetLoaded.connect(self._on_dataset_change)
        session.settingsChanged.connect(self._on_settings_change)
        session.aboutToRestart.connect(self._on_about_to_restart)
        session.restarted.connect(self._on_restart)
        session.stepped.connect(self._remember_weights)

    # -- slider drags ---------------------------------------------------------------
    def begin_drag(self) -> None:
        """Edits until :meth:`end_drag` are one entry (a λ slider held down)."""
        self._drags += 1
        self._drag = self._drags

    def end_drag(self) -> None:
        self._drag = 0

    # -- hearing the session ------------------------------------------------------------
    def _remember(self) -> None:
        s = self.session
        self._settings, self._trainer = s.settings, s.trainer
        self._dataset, self._data = s.dataset, s.data
        self._remember_weights()

    def _remember_weights(self) -> None:
        # a reference is a snapshot: a trainer replaces its weight array, never
        # writes into it
        self._weights = self._weights_now()

    def _weights_now(self) -> Weights | None:
        tr = self.session.trainer
        return None if tr is None else Weights(tr.w, tr.b, tr.solution)

    def _shown(self, settings, dataset, data, trainer) -> RunSnapshot:
        """A snapshot of a run with what the window shows of it now."""
        lesson = self.window.lessons.current
        return RunSnapshot(
            settings,
            dataset,
            data,
            trainer,
            self.window.data_panel.source,
            lesson.key if lesson is not None else None,
        )

    def _on_dataset_change(self) -> None:
        before = self._trainer
        if (
            not self._restoring
            and before is not None
            and before is not (self.session.trainer)
        ):
            kept = self._shown(self._settings, self._dataset, self._data, before)
            self.stack.push(RunChange(self, kept, self._new_run_text(kept.settings)))
        self._remember()

    def _new_run_text(self, old: RunSettings) -> str:
        """What replaced the run of ``old`` settings, for 'Undo …'."""
        s = self.session
        lesson = self.window.lessons.starting
        if lesson is not None:
            return f"lesson “{lesson.title}”"
        changed = s.settings.changed_fields(old) & DATA_SETTINGS
        if changed and "source" not in changed:
            return settings_text(s.settings, changed)
        degree = s.dataset.polynomial_degree
        if degree is not None and old.source.name == s.settings.source.name:
            return f"degree {degree}"
        if s.settings.source.kind == "csv":
            return f"import of {s.dataset.name}"
        return f"dataset {s.dataset.name}"

    def _on_settings_change(self) -> None:
        s = self.session
        if self._restoring or s.trainer is not self._trainer:
            self._remember()
            return
        old, new = self._settings, s.settings
        was = self._weights
        changed = new.changed_fields(old) - DATA_SETTINGS - {"steps", "solve"}
        self._remember()
        if not changed:
            return
        # the weights moved with the settings: a jump (stepped follows it)
        moved = was if was is not None and s.trainer.w is not was.w else None
        before = {n: getattr(old, n) for n in changed}
        after = {n: getattr(new, n) for n in changed}
        text = settings_text(new, changed)
        drag = self._drag or None
        self.stack.push(SettingsEdit(self, before, after, text, drag, moved))

    def _on_about_to_restart(self) -> None:
        s = self.session
        if self._restoring or s.trainer is None:
            return
        self._before_reset = self._shown(
            s.settings, s.dataset, s.data, s.trainer.copy()
        )

    def _on_restart(self) -> None:
        kept, self._before_reset = self._before_reset, None
        tr = self.session.trainer
        if kept is None or (
            kept.trainer.step_count == 0
            and np.array_equal(kept.trainer.w, tr.w)
            and kept.trainer.b == tr.b
        ):
            return  # already at this start: nothing to take back
        step = kept.trainer.step_count
        self.stack.push(RunChange(self, kept, f"reset at step {step:,}"))

    # -- applying -------------------------------------------------------------------------
    def apply_settings(self, values: dict, weights: Weights | None) -> Weights | None:
        """Edit the session's settings to ``values`` (an entry undone or redone) and,
        for a jump, put the trainer at ``weights``; returns the weights it left."""
        current = self._weights_now() if weights is not None else None
        self._restoring = True
        try:
            if weights is None:
                self.session.edit(**values)
            else:
                w = weights
                self.session.jump(w.w, w.b, solution=w.solution, **values)
        except ValueError as e:  # the data's ranges moved since: say so
            self.window.show_error("Cannot restore the setting", str(e))
        finally:
            self._restoring = False
            self._remember()
        return current

    def swap(self, kept: RunSnapshot) -> RunSnapshot:
        """Put ``kept`` in force; returns the run it replaced."""
        s = self.session
        current = self._shown(s.settings, s.dataset, s.data, s.trainer)
        self._restoring = True
        try:
            s.adopt(kept.run)
        finally:
            self._restoring = False
            self._remember()
        self.window.data_panel.set_source(kept.source_text)
        if kept.lesson is not None:
            self.window.lessons.show_text(kept.lesson)
        return current
