"""Step-by-step training of a penalized linear model.

The :class:`Trainer` minimizes ::

    F(w, b) = D(w, b) + lam1 * ||w||_1 + (lam2 / 2) * ||w||_2**2

by gradient steps of size ``eta`` on the data loss ``D``, full batch or mini-batch,
with one of two rules for the penalty (``z = w - eta * grad D(w)``):

* ``proximal`` (the clamp, ISTA)::

      w <- sign(z) * max(|z| - eta*lam1, 0) / (1 + eta*lam2)

  Every weight moves ``eta*lam1`` toward zero; one that would cross zero stops at
  exactly ``0.0``.
* ``subgradient`` (naive)::

      w <- w - eta * (grad D(w) + lam1 * sign(w) + lam2 * w)

  Small weights overshoot zero back and forth and are almost never exactly zero.

The intercept ``b`` takes plain gradient steps and is never penalized. Penalty, step
size, rule and batch size may change between steps without losing the state.

The step size ``'auto'`` is ``1/L`` with ``L = curvature * lambda_max([X, 1]^T [X, 1]
/ n) + lam2`` (curvature 1 for squared loss, 1/4 for logistic): steps up to ``1/L``
decrease the objective, full-batch gradient descent diverges beyond ``2/L``.

For the squared loss with full batches the trainer works on the Gram matrix
``X^T X / n`` (O(d^2) per step instead of O(n d)) when that is cheaper, through the
kernel it shares with the solvers (:class:`engine.gram.GramKernel`, chosen in
:mod:`engine.training_loss`).

There, a proximal step with ``lam1 > 0`` and ``eta <= 2/L`` from a sparse state
(fewer than ``d/4`` nonzero weights) that the previous step reached without zeroing
or reviving a weight is taken on the fixed support (:mod:`engine.fixed_support`): an
affine map of the nonzero weights and the intercept, many steps per call, for as
long as no weight reaches or leaves zero and no sign flips; the step that changes
the zero pattern is a plain one. Which way a step is taken depends on the state
only, never on how many steps are asked for at once, so a run is the same, bit for
bit, in steps of 1 or of 1000 (a replayed session relies on it). Both ways give the
same iterates to rounding (beyond ``2/L`` steps amplify rounding differences, so
there every step is a plain one).
"""

from __future__ import annotations

import copy
import time

import numpy as np

from .data import TrainingData
from .divergence import NOISE, Divergence, diagnose, divergence_bound, is_divergent
from .fixed_support import FixedSupportSteps
from .history import History, ZeroEvents
from .losses import get_loss
from .penalties import Penalty
from .settings import RULES, lipschitz
from .thresholds import check_gamma
from .training_loss import BatchOrder, TrainingLoss
from .validation import ValidationLoss

__all__ = ["RULES", "Divergence", "Trainer"]

#: A state with fewer than ``d // SPARSE_DIVISOR`` nonzero weights is sparse: its
#: products read only the rows of the support.
SPARSE_DIVISOR = 4

#: Longest block of steps on a fixed support (at most a few milliseconds for
#: d = 1000; a time budget is checked between blocks).
MAX_BLOCK = 256

#: Largest ``init_scale``: a spread of the initial predictions a million times the
#: target's is already far from anything useful, and much larger ones overflow.
MAX_INIT_SCALE = 1e6


class Trainer:
    """Train ``w`` and ``b`` one step (or ``k`` steps) at a time from a seeded start.

    Parameters
    ----------
    data : TrainingData
    loss : {'squared', 'logistic'}
    penalty : Penalty
    lr : float or 'auto'
        Step size ``eta``; 'auto' is ``1/L``, recomputed when ``lam2`` changes.
    rule : {'proximal', 'subgradient'}
    batch_size : int or None
        Rows per step; None (or >= n) is full-batch gradient descent. Mini-batches are
        drawn without replacement from a permutation of the rows, reshuffled every
        epoch, from the seed.
    seed : int
        Seeds the initial weights and the mini-batch order: the same seed gives the
        same run, step for step.
    init : {'random', 'zeros'} or ndarray of shape (n_features,)
        Explicit starting weights, or: random initial weights, normal with standard deviation
        ``init_scale * std(y) / sqrt(d)`` (``std(y)`` taken as 1 for logistic loss), so
        the initial predictions have spread ``init_scale * std(y)``. The intercept starts
        at the best constant (mean of y, or the log-odds).
    """

    def __init__(
        self,
        data: TrainingData,
        *,
        loss: str = "squared",
        penalty: Penalty | None = None,
        lr: float | str = "auto",
        rule: str = "proximal",
        batch_size: int | None = None,
        seed: int = 0,
        init: str = "random",
        init_scale: float = 1.0,
        history_capacity: int | None = None,
    ):
        self.data = data
        self.loss = get_loss(loss)
        if loss == "logistic" and not np.isin(data.y, (-1.0, 1.0)).all():
            raise ValueError("logistic loss needs a two-class target coded -1/+1")
        if isinstance(init, str):
            if init not in ("random", "zeros"):
                raise ValueError(
                    f"init must be 'random', 'zeros' or weights, got {init!r}"
                )
        else:
            init = np.array(init, dtype=np.float64)
            if init.shape != (data.n_features,) or not np.isfinite(init).all():
                raise ValueError("initial weights must be finite, one per feature")
        self.init = init
        self.init_scale = float(init_scale)
        if not (np.isfinite(self.init_scale) and 0 < self.init_scale <= MAX_INIT_SCALE):
            raise ValueError(
                f"init_scale must lie in (0, {MAX_INIT_SCALE:g}], got {init_scale!r}"
            )
        null = self.loss.value(
            np.full(data.n_samples, self.loss.null_intercept(data.y)), data.y
        )
        # growth of the objective below this is rounding noise, not a divergence
        self._noise_floor = NOISE * max(null, float(np.mean(data.y**2)) / 2, 1e-300)
        self._penalty = penalty or Penalty.none()
        self.set_rule(rule)
        self._lr_setting: float | str = "auto"
        self.check_update(self._penalty, lr)
        self.set_lr(lr)
        self.set_batch_size(batch_size)
        d = data.n_features
        self._validation = (
            None
            if data.X_val is None
            else ValidationLoss(data.X_val, data.y_val, self.loss)
        )
        self.history = History(d, history_capacity, self._validation)
        self.zero_events = ZeroEvents(d)
        self._loss = TrainingLoss(data, self.loss, sparse_divisor=SPARSE_DIVISOR)
        gram_mode = self._loss.gram is not None
        self._fixed = FixedSupportSteps(self._loss.gram) if gram_mode else None
        self._block = 16  # the next block's length: doubles while blocks run through
        self.reset(seed)

    # -- parameters ---------------------------------------------------------------
    @property
    def penalty(self) -> Penalty:
        return self._penalty

    def check_update(self, penalty: Penalty, lr: float | str) -> None:
        """ValueError if a step of size ``lr`` ('auto': 1/L) cannot use ``penalty``:
        SCAD's thresholding function needs γ > 1 + η, MCP's γ > η; the naive
        subgradient rule needs a convex penalty."""
        if penalty.kind in ("scad", "mcp"):
            L = lipschitz(self.data, self.loss.name, penalty.lam2)
            eta = 1.0 / L if lr == "auto" else float(lr)
            try:
                check_gamma(penalty.kind, penalty.gamma, eta)
            except ValueError as e:
                raise ValueError(
                    f"{e}: lower the step size η = {eta:.3g} or raise γ"
                ) from None
        if not penalty.convex and getattr(self, "_rule", "proximal") != "proximal":
            raise ValueError(
                "SCAD, MCP and L0 are trained with the proximal rule, not the naive "
                "subgradient rule"
            )

    def set_penalty(self, penalty: Penalty) -> None:
        """Use ``penalty`` from the next step on (ValueError: see
        :meth:`check_update`)."""
        self.check_update(penalty, self._lr_setting)
        self._log("penalty", penalty)
        self._penalty = penalty
        self.solution = None  # the solved point was optimal for the old penalty
        self._refresh_record()
        self._reference = max(self._reference, self._objective_now())

    @property
    def rule(self) -> str:
        return self._rule

    def set_rule(self, rule: str) -> None:
        if rule not in RULES:
            raise ValueError(f"unknown update rule {rule!r}; choose one of {RULES}")
        if rule != "proximal" and not self._penalty.convex:
            raise ValueError(
                "SCAD, MCP and L0 are trained with the proximal rule, not the naive "
                "subgradient rule"
            )
        self._log("rule", rule)
        self._rule = rule

    @property
    def lipschitz(self) -> float:
        """``L`` of the smooth part for the current penalty (``lam2`` included), as
        :func:`engine.settings.lipschitz` defines it for every entry point."""
        return lipschitz(self.data, self.loss.name, self._penalty.lam2)

    @property
    def lr_safe(self) -> float:
        """``1/L``: every step decreases the objective."""
        return 1.0 / self.lipschitz

    @property
    def lr_max(self) -> float:
        """``2/L``: full-batch gradient descent diverges beyond this step size."""
        return 2.0 / self.lipschitz

    @property
    def lr(self) -> float:
        """The step size the next step will use."""
        return self.lr_safe if self._lr_setting == "auto" else self._lr_setting

    @property
    def lr_setting(self) -> float | str:
        return self._lr_setting

    def set_lr(self, lr: float | str) -> None:
        """Step size for the next steps: a number > 0, or 'auto' (1/L).

        Clears a divergence: training may continue from the last finite state.
        """
        if lr != "auto":
            try:
                lr = float(lr)
            except (TypeError, ValueError):
                raise ValueError(
                    f"step size must be a number or 'auto', got {lr!r}"
                ) from None
            if not (np.isfinite(lr) and lr > 0):
                raise ValueError(f"step size must be a finite number > 0, got {lr!r}")
        self.check_update(self._penalty, lr)
        self._log("lr", lr)
        self._lr_setting = lr
        if getattr(self, "divergence", None) is not None:
            self.divergence = None
            self._reference = self._objective_now()

    @property
    def batch_size(self) -> int:
        return self._batch

    def set_batch_size(self, batch_size: int | None) -> None:
        n = self.data.n_samples
        if batch_size is None or batch_size >= n:
            batch_size = n
        if int(batch_size) != batch_size or batch_size < 1:
            raise ValueError(
                f"batch size must be a whole number >= 1, got {batch_size!r}"
            )
        self._log("batch", int(batch_size))
        self._batch = int(batch_size)

    @property
    def full_batch(self) -> bool:
        return self._batch >= self.data.n_samples

    # -- state --------------------------------------------------------------------
    def reset(self, seed: int | None = None) -> None:
        """Back to the seeded start: step 0, same initial weights for the same seed."""
        if seed is not None:
            self.seed = int(seed)
        rng = np.random.default_rng(self.seed)
        d = self.data.n_features
        y = self.data.y
        if not isinstance(self.init, str):
            w = self.init.copy()
        elif self.init == "random":
            spread = 1.0 if self.loss.name == "logistic" else float(np.std(y)) or 1.0
            w = rng.normal(0.0, self.init_scale * spread / np.sqrt(d), d)
        else:
            w = np.zeros(d)
        self._batches = BatchOrder(
            self.data.n_samples, np.random.default_rng(rng.integers(2**63))
        )
        self.step_count = 0
        self.divergence: Divergence | None = None
        #: The SolveResult the weights sit on (after set_state with a solution), else
        #: None; cleared by the next step or change of penalty.
        self.solution = None
        self.history.clear()
        self.zero_events.clear()
        self._set_state(w, self.loss.null_intercept(y))
        self._reference = self._objective_now()
        #: Settings at the start and every change since (step, kind, value), in order:
        #: replaying them from the seed reproduces the run (see engine.session_file).
        self.start_settings = {
            "penalty": self._penalty,
            "lr": self._lr_setting,
            "rule": self._rule,
            "batch": self._batch,
        }
        self.events: list[tuple[int, str, object]] = []

    def copy(self) -> Trainer:
        """An independent twin at the same state: step count, weights, history, zero
        events, logged changes and mini-batch random stream. Training or resetting
        one leaves the other as it is (what an undoable Reset keeps). The data and
        the kernels built from it are read-only and shared, so a copy costs about
        the history's buffer."""
        twin = copy.copy(self)
        twin.history = copy.deepcopy(self.history)
        twin.zero_events = copy.deepcopy(self.zero_events)
        twin._batches = copy.deepcopy(self._batches)
        twin.start_settings = dict(self.start_settings)
        twin.events = list(self.events)
        # steps replace these arrays rather than write into them; copied anyway so
        # that the twins share no state that could change
        twin.w, twin._zero = self.w.copy(), self._zero.copy()
        if self._fixed is not None:  # its caches are replaced, never written into
            twin._fixed = copy.copy(self._fixed)
        return twin

    def set_state(self, w: np.ndarray, b: float, *, solution=None) -> None:
        """Jump to weights ``w`` and intercept ``b`` (e.g. a converged solution),
        keeping the step count; logs zero events and records the step.

        ``solution``: the SolveResult that ``w`` and ``b`` come from; it stays
        available as :attr:`solution` until the next step or change of penalty."""
        w = np.asarray(w, dtype=np.float64)
        if w.shape != self.w.shape or not np.isfinite(w).all() or not np.isfinite(b):
            raise ValueError("set_state needs finite weights of the right shape")
        old_zero = self._zero
        self._log("state", (w.copy(), float(b)))
        self._set_state(w.copy(), float(b))
        self._log_zero_changes(old_zero)
        self.divergence = None
        self._reference = max(self._reference, self._objective_now())
        self.solution = solution

    def _set_state(self, w: np.ndarray, b: float) -> None:
        self.w = w
        self.b = b
        self._cache = self._loss.prediction(w, b)
        self._zero = w == 0.0
        self._n_zero = int(np.count_nonzero(self._zero))
        # whether the last step kept the zero pattern: only then may the next one
        # be taken on the fixed support
        self._steady = False
        self._refresh_record()

    def _refresh_record(self) -> None:
        if not hasattr(self, "w"):
            return
        self._data_loss = self._loss.value(self.w, self.b, self._cache_now())
        self._pen_value = self._penalty.value(self.w)
        self._record()

    def _cache_now(self):
        """The prediction cache of the current state (formed after steps taken on
        the fixed support only when something asks for it)."""
        if self._cache is None:
            self._cache = self._loss.prediction(self.w, self.b)
        return self._cache

    def _record(self) -> None:
        self.history.record(
            self.step_count,
            self.w,
            self.b,
            self._data_loss,
            self._pen_value,
            self._n_zero,
        )

    # -- one step -----------------------------------------------------------------
    def step(self, k: int = 1, *, time_budget: float | None = None) -> int:
        """Advance up to ``k`` steps; stop early on divergence or when ``time_budget``
        seconds have passed. Returns the number of steps taken."""
        if self.divergence is not None:
            return 0
        deadline = None if time_budget is None else time.perf_counter() + time_budget
        L = self.lipschitz
        eta = 1.0 / L if self._lr_setting == "auto" else self._lr_setting
        fixed = (
            self._fixed is not None
            and self._rule == "proximal"
            and self.full_batch
            and self._penalty.lam1 > 0
            and self._penalty.convex  # the affine map of the soft threshold
            # beyond 2/L the steps amplify differences of rounding: the plain way
            and eta <= 2.0 / L
        )
        done = 0
        # a diverging step overflows on its way to inf or NaN: the divergence check
        # reports it, in one sentence, instead of numpy's warnings
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            while done < k:
                plain = True
                sparse = self.w.size - self._n_zero < self.w.size // SPARSE_DIVISOR
                if fixed and self._steady and sparse:
                    taken, plain = self._fixed_steps(min(self._block, k - done), eta)
                    done += taken
                if plain:
                    if not self._one_step(eta):
                        return done
                    done += 1
                if deadline is not None and time.perf_counter() >= deadline:
                    return done
        return k

    def _fixed_steps(self, k: int, eta: float) -> tuple[int, bool]:
        """Up to ``k`` steps on the fixed support: ``(steps taken, whether the next
        step must be a plain one)``."""
        pen, bound = self._penalty, divergence_bound(self._reference, self._noise_floor)
        block = self._fixed.run(
            self.w, self.b, k, eta=eta, lam1=pen.lam1, lam2=pen.lam2, bound=bound
        )
        self._block = 16 if block.stopped else min(2 * self._block, MAX_BLOCK)
        if block.steps:
            self.solution, self._cache = None, None
            self.w, self.b = block.last_weights(self.w.size), block.last_intercept
            self._data_loss = float(block.data_loss[-1])
            self._pen_value = float(block.penalty[-1])
            self.history.record_block(self.step_count + 1, block, self._n_zero, self.w)
            self.step_count += block.steps
        return block.steps, block.stopped

    def _one_step(self, eta: float) -> bool:
        w, b, pen = self.w, self.b, self._penalty
        if self.full_batch:
            g_w, g_b = self._loss.gradient(w, b, self._cache_now())
        else:
            g_w, g_b = self._loss.batch_gradient(w, b, self._batches.next(self._batch))
        g_w *= -eta  # a new array: z = w - eta * g in place
        g_w += w
        if self._rule == "proximal":
            w_new = pen.prox(g_w, eta)
        else:
            w_new = g_w - eta * pen.subgradient(w)
        b_new = b - eta * g_b
        cache = self._loss.prediction(w_new, b_new)
        data_loss = self._loss.value(w_new, b_new, cache)
        pen_value = pen.value(w_new)
        objective = data_loss + pen_value
        finite = bool(np.isfinite(b_new) and np.isfinite(w_new.sum()))
        if is_divergent(objective, finite, self._reference, self._noise_floor):
            pen = self._penalty
            self.divergence = diagnose(
                self.step_count + 1,
                objective,
                self._reference,
                lr=eta,
                lr_safe=self.lr_safe,
                lr_max=self.lr_max,
                full_batch=self.full_batch,
                batch_size=self._batch,
                rule=self._rule,
                lam1=pen.lam1,
                lam2=pen.lam2,
            )
            return False
        old_zero = self._zero
        self.solution = None
        self.w, self.b, self._cache, self._data_loss = w_new, b_new, cache, data_loss
        self._pen_value = pen_value
        self.step_count += 1
        n_zero = w_new.size - int(np.count_nonzero(w_new))
        if n_zero or self._n_zero:  # (no weight was or is zero: nothing to log)
            self._zero = w_new == 0.0
            self._steady = not self._log_zero_changes(old_zero)
            self._n_zero = n_zero
        else:
            self._steady = True
        self._record()
        return True

    def _log(self, kind: str, value) -> None:
        events = getattr(self, "events", None)
        if events is not None:
            events.append((self.step_count, kind, value))

    def _log_zero_changes(self, old_zero: np.ndarray) -> bool:
        """Log the weights that became zero or left zero; whether there were any."""
        changed = old_zero != self._zero
        if not changed.any():
            return False
        idx = np.flatnonzero(changed)
        now_zero = self._zero[idx]
        self.zero_events.record(self.step_count, idx[now_zero], idx[~now_zero])
        return True

    # -- read-outs ----------------------------------------------------------------
    def _objective_now(self) -> float:
        return self._data_loss + self._pen_value

    @property
    def data_loss(self) -> float:
        """Data loss D(w, b) on the training rows at the current state."""
        return self._data_loss

    @property
    def objective(self) -> float:
        """Total objective F(w, b) at the current state."""
        return self._objective_now()

    def data_gradient(self) -> tuple[np.ndarray, float]:
        """``(grad_w D, dD/db)`` on all training rows at the current state."""
        return self._loss.gradient(self.w, self.b, self._cache_now())

    def validation_loss(self) -> float:
        """Data loss on the validation rows, NaN without a validation split."""
        if self._validation is None:
            return float("nan")
        return self._validation.of(self.w, self.b)

    @property
    def zero_mask(self) -> np.ndarray:
        """Which weights are exactly 0.0 now (a read-only view)."""
        v = self._zero.view()
        v.setflags(write=False)
        return v

    @property
    def n_zero(self) -> int:
        """How many weights are exactly 0.0."""
        return self._n_zero
