"""Which two features to draw in the geometry of a real dataset.

The 2D geometry shows the data loss as a function of two weights, the others held
where they are. For a dataset of many features the pair worth looking at first is the
one the penalized model leans on most: the two largest ``|w_j|`` of the solution at the
current strength. Where the penalty leaves fewer than two weights nonzero, the features
that enter the regularization path first break the tie: those with the largest
``|x_jᵀ(y − ȳ)|/n``, the size of the data gradient at ``w = 0`` (it is what must exceed
λ₁ for a weight to leave 0, for squared and logistic loss alike).
"""

from __future__ import annotations

import numpy as np

from .data import TrainingData
from .penalties import Penalty
from .solvers import solve

__all__ = ["MAX_WORK", "entry_strength", "largest_pair", "solution_pair"]

#: Largest data (rows × features) solved to choose the pair (on the GUI thread when
#: data is opened): a few tenths of a second at most.
MAX_WORK = 1e6
#: Most solver iterations spent on the choice.
SOLVE_ITERATIONS = 500


def entry_strength(data: TrainingData) -> np.ndarray:
    """``|Xᵀ(y − ȳ)|/n`` per feature, of shape (n_features,): how strongly each
    feature pulls its weight away from 0 at ``w = 0``."""
    yc = data.y - data.y.mean()
    return np.abs(data.X.T @ yc) / max(data.n_samples, 1)


def largest_pair(w: np.ndarray, tie_break: np.ndarray | None = None) -> tuple[int, int]:
    """Indices ``(i, j)`` of the largest and second largest ``|w|``.

    Equal sizes (the many exact zeros of an L1 solution) are ordered by
    ``tie_break``, larger first, then by index. ValueError for fewer than two weights.
    """
    w = np.asarray(w, dtype=float)
    if w.ndim != 1 or w.size < 2:
        raise ValueError("two features are needed to draw a 2D loss")
    tb = np.zeros(w.size) if tie_break is None else np.asarray(tie_break, float)
    # lexsort sorts by the last key first: |w| descending, then tie_break descending,
    # then the index ascending
    order = np.lexsort((np.arange(w.size), -tb, -np.abs(w)))
    return int(order[0]), int(order[1])


def solution_pair(
    data: TrainingData,
    loss: str,
    penalty: Penalty,
    *,
    w: np.ndarray | None = None,
    tol: float = 1e-6,
    max_work: float = MAX_WORK,
) -> tuple[int, int]:
    """The two features with the largest ``|w|`` of the solution for ``penalty``.

    ``w``: that solution if it is known (a solved run); otherwise it is solved here
    to the relative duality gap ``tol`` (the ranking needs no more) when the data
    has at most ``max_work`` entries (rows × features). Larger data is not solved
    (this runs when data is opened): the pair is then the two features that enter
    the path first.
    """
    d = data.n_features
    if d < 2:
        raise ValueError("two features are needed to draw a 2D loss")
    if w is None and data.n_samples * d <= max_work:
        res = solve(data, loss, penalty, tol=tol, max_iter=SOLVE_ITERATIONS)
        w = res.w if np.isfinite(res.w).all() else None
    return largest_pair(np.zeros(d) if w is None else w, entry_strength(data))
