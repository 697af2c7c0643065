"""One resample's exact path for the stability lab (:mod:`engine.stability`).

What makes ``B`` paths cheap (squared loss):

* **only the columns the path needs**: a resample's Gram matrix is never formed
  whole; the active set (:class:`ColumnActiveSet`) asks for the columns of the
  features that join it, each ``X_r[:, j]^T X_r / m`` (``O(m d)``), the rest never.
  They are formed a few dozen per matrix product (one product reads all of
  ``X_r``, whatever the number of columns): at the start of a resample those of
  the features selected along the paths of at least ``LIKELY`` of the resamples
  before, with the resample's column means and ``X_r^T y`` out of the same product
  (:class:`~engine.gram_columns.ColumnPlan`), then, when a feature not formed yet
  joins, it and those closest to joining (:class:`_LazyRows`);
* **warm starts, and a walk**: the support, its signs and a kept inverse are
  carried from one strength to the next
  (:class:`~engine.path.active_set.GramActiveSet`); while the support is small
  (``WALK_MAX``) a Lasso path walks from one strength to the next a change of the
  support at a time, as LARS does
  (:meth:`~engine.path.active_set.GramActiveSet._walk`): no feature joins that does
  not belong (a screen that is exact: the others are never looked at until the
  full gradient says so), each change costs a product with the rows of the
  support and a rank-one update of the inverse, and each point one more product
  and its duality gap;
* **the same memory from one resample to the next**
  (:class:`~engine.workspace.Workspace`): a resample's buffers are megabytes, and
  fresh ones would fault every page on first touch.

Every point is still certified by its duality gap and the violation test of every
zero weight; a point the exact active set cannot settle goes to the general
working-set solver (:func:`~engine.solvers.solve_problem`).
"""

from __future__ import annotations

import numpy as np

from .gram_columns import ColumnGramKernel
from .path.active_set import GramActiveSet
from .path.logistic import LogisticActiveSet
from .problems import make_problem
from .solvers import solve_problem

__all__ = [
    "BATCH",
    "LIKELY",
    "MAX_ITER",
    "ColumnActiveSet",
    "exact_solver",
    "resample_path",
]

#: Points in a row the exact active set hands over before a path stops asking it.
GIVE_UP = 3
#: Columns of a resample's Gram matrix formed at once (see :class:`_LazyRows`).
BATCH = 24
#: A feature selected along the paths of at least this share of the resamples
#: so far has its Gram column formed at the start of the next one.
LIKELY = 0.4
#: Most iterations of the working-set solver per point.
MAX_ITER = 100_000


class _LazyRows:
    """``G_c[J]`` on demand from a :class:`ColumnGramKernel`. Columns are formed
    in batches of at least ``BATCH``: with the ones asked for, those most likely to
    be asked for next (the largest scores of ``rank()``) in the same matrix
    product, which reads the rows once for all of them instead of once per
    feature joining."""

    def __init__(self, kernel: ColumnGramKernel, rank):
        self.kernel = kernel
        self.rank = rank

    def __getitem__(self, J):
        J = np.atleast_1d(np.asarray(J, dtype=np.intp))
        kernel = self.kernel
        if not kernel.has(J):
            score = self.rank()
            score[kernel.formed()] = -np.inf
            score[J] = -np.inf
            spare = min(BATCH - J.size, int(np.count_nonzero(score > -np.inf)))
            if spare > 0:
                extra = np.argpartition(-score, spare - 1)[:spare]
                J_all = np.concatenate([J, extra])
            else:
                J_all = J
            kernel.form(J_all[~kernel.formed()[J_all]])
        return kernel.rows(J)


class ColumnActiveSet(GramActiveSet):
    """:class:`~engine.path.active_set.GramActiveSet` reading the Gram matrix's
    rows from a :class:`~engine.gram_columns.ColumnGramKernel`: only the rows of features
    that join the support (and a batch of likely next ones) are ever formed.

    Its big buffers come from the kernel's workspace (:mod:`engine.workspace`)."""

    walk = True

    def __init__(self, prob):
        self.prob = prob
        self.workspace = prob.kernel.workspace
        self.c = prob.c
        self.d = self.c.size
        self.g = -self.c  # the gradient at w = 0, until reset() sets it
        self.rate = None
        self.G = _LazyRows(prob.kernel, self._score)
        self._take = prob.kernel.take
        self.reset(np.zeros(self.d))

    def _store(self, J: np.ndarray, at: int) -> None:
        out = self.rows_buf[at : at + J.size]
        if not self._take(J, out):  # not formed yet: formed (a batch) first
            self.G[J]
            self._take(J, out)

    def _score(self) -> np.ndarray:
        """How likely each feature is to join next (a new array): the rate at
        which a walk closes in on it, else ``|g_j|``."""
        return self.rate.copy() if self.rate is not None else np.abs(self.g)


def exact_solver(prob, loss: str):
    """The exact working-set solver of ``prob`` (logistic, columns of the Gram
    matrix on demand, or the whole Gram matrix); None without one."""
    if loss == "logistic":
        return LogisticActiveSet(prob)
    if isinstance(prob.kernel, ColumnGramKernel):
        return ColumnActiveSet(prob)
    if prob.kernel.has_gram:
        return GramActiveSet(prob)
    return None


def resample_path(data, loss, pens, at, tol, cap, cancel, plan=True):
    """One resample's path along the penalties ``pens`` (decreasing) with warm
    starts; ``plan``: how its Gram columns are formed (a
    :class:`~engine.gram_columns.ColumnPlan`).

    Returns ``(nonzero, w_at)``: one boolean row per point solved (the path stops
    after point ``at`` once more than ``cap`` weights are nonzero; ``cap`` None:
    never) and the weights at point ``at``; None when cancelled."""
    prob = make_problem(data, loss, columns=plan)
    tol_abs = tol * max(prob.null_objective(), 1e-300)
    d = prob.d
    w = np.zeros(d)
    b = prob.loss.null_intercept(data.y)
    g = prev_lam1 = None
    exact, failures = exact_solver(prob, loss), 0
    rows, w_at = [], None
    for i in range(len(pens)):
        if cancel is not None and cancel():
            return None
        pen = pens[i]
        done = None
        if exact is not None and pen.lam1 > 0:
            done = exact.solve(pen, tol_abs)
            failures = 0 if done is not None else failures + 1
        if done is None:
            strong = None
            if exact is not None and pen.lam1 > 0:
                w_start = exact.weights()
            else:
                w_start = w
                if g is not None and pen.lam1 > 0 and prev_lam1 is not None:
                    strong = np.flatnonzero(np.abs(g) >= 2 * pen.lam1 - prev_lam1)
            w, b, gap, _, _, _, g, _ = solve_problem(
                prob, pen, w_start, b, tol_abs, MAX_ITER, cancel, None, first_set=strong
            )
            if cancel is not None and cancel():
                return None
            if exact is not None and pen.lam1 > 0:
                exact.reset(w, b)
                if failures == GIVE_UP:
                    exact = None
        else:
            w, b, _, _, g, _ = done
        prev_lam1 = pen.lam1
        rows.append(w != 0.0)
        if i == at:
            w_at = w.copy()
        if i >= at and cap is not None and np.count_nonzero(rows[-1]) > cap:
            break
    return rows, w_at
