"""State of the geometry pane: the 2D loss, the view, the strength, trajectories.

The loss is either *your own* quadratic (centre w* dragged with the mouse, elongation
and rotation on sliders, its own λ or t) or *from data*: two features of the loaded
dataset with the other weights held at their current values (then λ is the main
controls' λ and the trajectory is the main training's).

For your own loss, a small :class:`~engine.Trainer` trains on it in step with the main
session (same update rule, the same step size relative to 1/L), so Play shows the path
that the proximal rule takes onto the axis and the naive rule's chatter across it. An
edit of your own loss starts its path again at the main training's current step; a run
that is loaded (a session, a lesson) shows the path of all its steps.
"""

from __future__ import annotations

import weakref

import numpy as np
from PySide6 import QtCore

from engine import Dataset, Penalty, Trainer, prepare
from engine.feature_pair import solution_pair
from engine.geometry import (
    Quadratic,
    constrained_optimum,
    penalized_optimum,
    region_norm,
    share,
)

__all__ = ["GeometryModel", "KINDS"]

KINDS = ("l1", "l2", "elasticnet")
#: Longest trajectory kept for your own loss.
MAX_TRAJECTORY = 3000


def _trainer_for(q: Quadratic, seed: int) -> Trainer:
    """A Trainer whose squared loss is ``f(w)`` plus a constant: four rows with Gram
    matrix H, X^T y / n = H w* and zero means (so the intercept stays 0)."""
    L = np.linalg.cholesky(q.H)
    A = np.sqrt(2.0) * L.T
    c = 2.0 * np.linalg.solve(A.T, q.b)
    ds = Dataset(np.vstack([A, -A]), np.concatenate([c, -c]), ("w₁", "w₂"))
    # start on the far side of the origin from w*, off both axes
    r = max(float(np.linalg.norm(q.w_star)), 1e-3)
    ang = np.arctan2(q.w_star[1], q.w_star[0]) + np.pi * 0.8
    start = 0.7 * r * np.array([np.cos(ang), np.sin(ang)])
    return Trainer(prepare(ds, standardize=False), init=start, seed=seed)


class GeometryModel(QtCore.QObject):
    """Everything the geometry views draw, recomputed on every change."""

    changed = QtCore.Signal()
    trajectoryChanged = QtCore.Signal()

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.source = "own"  # or "data"
        #: Why the data's loss cannot be drawn (then your own is), or ''.
        self.problem = ""
        self.view = "constrained"  # or "penalized"
        self.w_star = np.array([2.0, 0.7])
        self.elongation = 0.3  # smaller / larger curvature
        self.angle = np.deg2rad(25.0)
        self._choosing = False  # this model is setting the shared pair itself
        self.lam = 0.5  # own loss, penalized view
        self.t = 1.0  # own loss, constrained view
        #: The shape of a single view: "run" (the run's penalty), "lq", "scad" or
        #: "mcp" (gui.panes.geometry_family), and the Lq ball's q.
        self.family = "run"
        self.q = 1.0
        self._constrained: dict = {}  # kind -> ((quadratic, kind, t, rho), optimum)
        self._own = None  # ((w*, elongation, angle), your own Quadratic)
        self._data_q = None  # (the data, (pair, loss, w, b), the data's Quadratic)
        self._drawn_for = None  # the _run_inputs of the last recompute
        self.quadratic = self._own_quadratic()
        self._trainers: dict[str, Trainer] = {}
        self._main_steps = 0
        #: Main step at which the paths on your own loss start.
        self._origin = 0
        #: True from loading a run until its first step or an edit of your own loss:
        #: restoring the view of a run (set_view_state) keeps its paths from step 0.
        self._run_loaded = False
        #: The dataset whose default pair was chosen (a new split keeps the choice),
        #: and whether the data's loss was chosen for it rather than by the user.
        self._opened = None
        self._auto_source = False
        session.datasetLoaded.connect(self._on_dataset_change)
        session.settingsChanged.connect(self._on_settings_change)
        session.stepped.connect(self._on_stepped)
        session.restarted.connect(self.restart_trajectories)
        session.feature_pair.changed.connect(self._on_pair_change)

    @property
    def features(self) -> tuple[int, int]:
        """The two features of the data's loss: the window's one pair
        (``session.feature_pair``, shared with the Prior pane)."""
        return self.session.feature_pair.features

    @features.setter
    def features(self, pair) -> None:
        self.session.feature_pair.set(*pair)

    def _on_pair_change(self) -> None:
        """Another pane chose the pair: the data's loss is of it."""
        if self._choosing:
            return
        if self.source == "data" and self.session.trainer is not None:
            self.recompute()

    # -- the loss -----------------------------------------------------------------
    def _own_quadratic(self) -> Quadratic:
        """Your own loss; the same object while its shape is the same (the
        constrained optima are kept per quadratic)."""
        shape = (*self.w_star.tolist(), self.elongation, self.angle)
        if self._own is None or self._own[0] != shape:
            q = Quadratic.from_shape(self.w_star, (1.0, self.elongation), self.angle)
            self._own = (shape, q)
        return self._own[1]

    def _data_quadratic(self) -> Quadratic:
        """The data's loss in the pair's two weights, the others at the trainer's;
        the same object while none of that changed (a new run asks three times:
        the pair, the dataset and the pane's redraw)."""
        s = self.session
        d, tr = s.data, s.trainer
        i, j = self.features
        key = (i, j, s.loss, tr.w.tobytes(), float(tr.b))
        last = self._data_q  # (a weak reference: an old dataset is not kept alive)
        if last is None or last[0]() is not d or last[1] != key:
            q = Quadratic.of_training(d, tr.w, tr.b, i, j, s.loss)
            self._data_q = last = (weakref.ref(d), key, q)
        return last[2]

    def recompute(self, restart: bool = True) -> None:
        if self.source == "data" and self.session.trainer is not None:
            try:
                self.quadratic = self._data_quadratic()
            except ValueError as e:  # degenerate on these rows: draw your own loss
                self.problem = str(e)
                self.source = "own"
                self.quadratic = self._own_quadratic()
        else:
            self.quadratic = self._own_quadratic()
        if restart:
            self.restart_trajectories(emit=False)
        self._drawn_for = self._run_inputs()
        self.changed.emit()

    def _edited(self) -> None:
        """A change made by the user: the paths start again at the current step."""
        self._run_loaded = False
        self.recompute()

    def set_w_star(self, w) -> None:
        """Move the centre of your own loss (dragging w*)."""
        self.w_star = np.asarray(w, dtype=float).copy()
        self._edited()

    def set_shape(
        self, elongation: float | None = None, angle_deg: float | None = None
    ):
        if elongation is not None:
            self.elongation = float(elongation)
        if angle_deg is not None:
            self.angle = np.deg2rad(angle_deg)
        self._edited()

    def set_source(self, source: str, features=None) -> None:
        self.source = source
        self._auto_source = False
        self.problem = ""
        if features is not None:
            self._choosing = True  # recomputed once, below (the Prior pane follows)
            try:
                self.features = tuple(features)
            finally:
                self._choosing = False
        self._edited()

    def set_view(self, view: str) -> None:
        self.view = view
        self._edited()

    def set_strength(self, value: float) -> None:
        """λ in the penalized view, t in the constrained view (your own loss)."""
        if self.view == "penalized":
            self.lam = float(value)
        else:
            self.t = float(value)
        self._edited()

    def set_family(self, family: str | None = None, q: float | None = None) -> None:
        """The shape drawn by a single view, and the Lq ball's q."""
        if family is not None:
            self.family = family
        if q is not None:
            self.q = float(q)
        self._edited()

    # -- the penalty --------------------------------------------------------------
    @property
    def main_kind(self) -> str:
        s = self.session
        return s.penalty.kind if s.trainer is not None else "l1"

    @property
    def rho(self) -> float:
        pen = self.session.penalty
        return pen.rho if pen.kind == "elasticnet" else 0.5

    def penalty_for(self, kind: str) -> Penalty:
        """The penalty whose optimum is drawn for region ``kind``."""
        if self.source == "data":
            pen = self.session.penalty
            if kind == pen.kind:
                return pen
            alpha = pen.alpha
            r = share(kind, self.rho)
            if kind == "l2":
                return Penalty.l2(alpha)
            return Penalty.make(kind, lam1=r * alpha, lam2=(1 - r) * alpha)
        if self.view == "penalized":
            r = share(kind, self.rho)
            if kind == "l2":
                return Penalty.l2(self.lam)
            return Penalty.make(kind, lam1=r * self.lam, lam2=(1 - r) * self.lam)
        res = self.constrained(kind)
        r = share(kind, self.rho)
        mu = res.mu if np.isfinite(res.mu) else 1e12
        if kind == "l2":
            return Penalty.l2(mu)
        return Penalty.make(kind, lam1=r * mu, lam2=(1 - r) * mu)

    def constrained(self, kind: str):
        """The constrained optimum of region ``kind`` (kept until the loss, the
        budget or the Elastic Net share change: playing asks for it every frame)."""
        key = (self.quadratic, kind, self.t, self.rho)
        kept = self._constrained.get(kind)
        if kept is None or kept[0] != key:  # a Quadratic compares by identity
            kept = self._constrained[kind] = (
                key,
                constrained_optimum(self.quadratic, kind, self.t, self.rho),
            )
        return kept[1]

    def optimum(self, kind: str) -> tuple[np.ndarray, float, float]:
        """``(w, t, λ)``: the optimum drawn for ``kind`` with its budget and strength."""
        rho = self.rho
        if self.source == "own" and self.view == "constrained":
            res = self.constrained(kind)
            return res.w, self.t, res.mu
        pen = self.penalty_for(kind)
        w = penalized_optimum(self.quadratic, pen.lam1, pen.lam2)
        return w, region_norm(kind, w, rho), pen.alpha

    # -- trajectories ---------------------------------------------------------------
    def restart_trajectories(self, emit: bool = True) -> None:
        self._trainers = {}
        tr = self.session.trainer
        self._main_steps = tr.step_count if tr is not None else 0
        if not self._run_loaded:
            self._origin = self._main_steps
        if emit:
            self.changed.emit()

    def trainer(self, kind: str) -> Trainer | None:
        """The small trainer on your own loss for region ``kind`` (created lazily)."""
        if self.source != "own" or self.session.trainer is None:
            return None
        tr = self._trainers.get(kind)
        if tr is not None:
            self._sync_trainer(tr, kind)
            return tr
        tr = self._trainers[kind] = _trainer_for(
            self.quadratic, self.session.settings.seed
        )
        self._sync_trainer(tr, kind)
        # as many steps as the main training made since the paths started (all of a
        # restored session's, or since the last edit when regions are added)
        behind = min(self._main_steps - self._origin, MAX_TRAJECTORY)
        if behind > 0:
            tr.step(behind)
        return tr

    def _sync_trainer(self, tr: Trainer, kind: str) -> None:
        main = self.session.trainer
        pen = self.penalty_for(kind)
        if tr.penalty != pen:
            tr.set_penalty(pen)
        tr.set_rule(main.rule)
        rel = main.lr / main.lr_safe  # the same step size relative to 1/L
        lr = rel * tr.lr_safe
        if tr.lr_setting != lr:
            tr.set_lr(lr)

    def trajectory(self, kind: str) -> np.ndarray | None:
        """Points (k, 2) of the training path drawn for ``kind``, or None."""
        s = self.session
        if s.trainer is None:
            return None
        if self.source == "data":
            if kind != s.penalty.kind:
                return None
            W = s.trainer.history.weights()
            i, j = self.features
            return np.column_stack([W[:, i], W[:, j]]).astype(float)
        tr = self._trainers.get(kind)
        if tr is None:
            return None
        return tr.history.weights().astype(float)

    def _on_stepped(self) -> None:
        main = self.session.trainer
        if main is None:
            return
        delta = main.step_count - self._main_steps
        self._main_steps = main.step_count
        if self.source == "data":
            # the other weights moved: new contours (a jump's were drawn with its λ)
            if not self._drawn_now():
                self.recompute(restart=False)
            return
        if delta == 0:  # a jump (the λ cursor, a solve): your own paths stay
            return
        if delta > 0:
            self._run_loaded = False
            for kind, tr in list(self._trainers.items()):
                room = MAX_TRAJECTORY - tr.step_count
                if room > 0:  # a full trajectory takes no more steps
                    self._sync_trainer(tr, kind)
                    tr.step(min(delta, room))
        self.trajectoryChanged.emit()

    def _run_inputs(self) -> tuple:
        """What the drawing takes from the main run. The data's loss: the weights,
        the intercept and the penalty (a trainer replaces them, never changes them
        in place). Your own loss: only the kind of penalty and the Elastic Net share
        (its λ or t is the pane's own, so the main λ does not move it)."""
        tr = self.session.trainer
        if self.source == "data" and tr is not None:
            return ("data", tr, tr.w, tr.b, tr.penalty)
        return ("own", self.main_kind, self.rho)

    def _drawn_now(self) -> bool:
        """Whether the last recompute drew from the main run as it is now."""
        kept, now = self._drawn_for, self._run_inputs()
        if kept is None or len(kept) != len(now):
            return False
        return all(
            a is b
            or not (isinstance(a, np.ndarray) or isinstance(b, np.ndarray))
            and a == b
            for a, b in zip(kept, now, strict=True)
        )

    def _on_settings_change(self) -> None:
        # a jump along the path sets the weights before its settingsChanged: its
        # stepped finds them drawn; your own loss stays as drawn while λ moves
        if not self._drawn_now():
            self.recompute(restart=False)

    def default_features(self) -> tuple[int, int]:
        """The pair a real dataset opens on: the two largest |w| of the solution at
        the current strength (``engine.feature_pair.solution_pair``)."""
        s = self.session
        tr = s.trainer
        w = tr.w if tr is not None and tr.solution is not None else None
        return solution_pair(s.data, s.loss, s.penalty, w=w)

    def _on_dataset_change(self) -> None:
        self.problem = ""
        data = self.session.data
        d = data.n_features
        if self.source == "data" and max(self.features) >= d:
            self.features = (0, min(1, d - 1))
        if d == 2:  # the whole problem is 2D: show it as it is
            self.source = "data"
            self.features = (0, 1)
        elif self.session.dataset is not self._opened:  # new data, not a new split
            if d > 2 and data.true_coef is None and self.session.trainer is not None:
                # real data (imported, or a bundled real set): its own loss, on the two
                # features the model leans on most; your own loss is one click away
                self.source = "data"
                self.features = self.default_features()
                self._auto_source = True
            elif self._auto_source:  # synthetic data after real data: your own again
                self.source = "own"
                self._auto_source = False
        self._opened = self.session.dataset
        # a loaded run (maybe at step N, from a session or lesson): paths from step 0
        self._run_loaded = True
        self._origin = 0
        self.recompute()
