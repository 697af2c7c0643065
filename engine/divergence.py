"""Why training diverged, in one sentence, and a step size that will work if the
step size is to blame.

A step is *divergent* when the objective it reaches is not a finite number, or more
than :data:`EXPLODE_FACTOR` times its value at the start (or at the last change of
step size), where "its value" is never taken below the level of rounding noise: an
objective near 1e-27 on data that the model fits exactly may grow a thousandfold by
rounding alone, which is not a divergence.

The step size is to blame only when it is above ``1/L``, or, below it, for
mini-batches (whose gradients may be steeper than the full one). Otherwise the
sentence names the real cause (a penalty strength too large to compute with, the
subgradient rule's fixed moves of ``eta * lam1``, numbers overflowing) and the
divergence suggests no step size (``suggested_lr`` is None).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = [
    "EXPLODE_FACTOR",
    "NOISE",
    "Divergence",
    "diagnose",
    "divergence_bound",
    "is_divergent",
]

#: The objective may grow to this multiple of its value at the start (or at the last
#: change of step size) before training is declared divergent.
EXPLODE_FACTOR = 1e3

#: Rounding noise of an objective, relative to the objective of the null model
#: (``w = 0`` at the best intercept): growth below this level is not a divergence.
NOISE = 1e-9

#: Strengths beyond this make the penalty overflow for weights of ordinary size.
HUGE_STRENGTH = 1e150


@dataclass(frozen=True)
class Divergence:
    """Why training stopped: the step at which it happened, a sentence for the user,
    and a step size that will work, or None when the step size is not the cause."""

    step: int
    reason: str
    suggested_lr: float | None


def is_divergent(objective: float, finite: bool, reference: float, floor: float):
    """Whether a step reaching ``objective`` diverged (see the module docstring).
    ``finite``: the weights and intercept are all finite numbers."""
    if not (finite and np.isfinite(objective)):
        return True
    return objective > divergence_bound(reference, floor)


def divergence_bound(reference: float, floor: float) -> float:
    """The largest objective a step may reach from ``reference`` without being
    divergent (with finite weights)."""
    return EXPLODE_FACTOR * max(reference, floor)


def diagnose(
    step: int,
    objective: float,
    reference: float,
    *,
    lr: float,
    lr_safe: float,
    lr_max: float,
    full_batch: bool,
    batch_size: int,
    rule: str,
    lam1: float,
    lam2: float,
) -> Divergence:
    """The :class:`Divergence` of a step that reached ``objective`` from
    ``reference``, with its cause."""
    if np.isfinite(objective):
        what = (
            f"The objective exploded to {objective:.3g}, over "
            f"{EXPLODE_FACTOR:.0f}× its starting value {reference:.3g}."
        )
    else:
        what = "The objective became infinite or NaN."
    if lr > lr_safe * (1 + 1e-9):
        where = (
            f"above 2/L = {lr_max:.4g}, where gradient descent diverges"
            if lr > lr_max
            else f"too large for this run (1/L = {lr_safe:.4g} is safe)"
        )
        return Divergence(
            step,
            f"{what} The step size η = {lr:.4g} is {where}. "
            f"Try η = 1/L = {lr_safe:.4g}.",
            lr_safe,
        )
    if not full_batch:
        smaller = lr / 10
        return Divergence(
            step,
            f"{what} With mini-batches of {batch_size} rows a step can be steeper "
            f"than the full gradient's: η = {lr:.4g} overshot. Try η = {smaller:.3g} "
            "or full batches.",
            smaller,
        )
    big = max(lam1, lam2)
    if big > HUGE_STRENGTH:
        cause = (
            f"The step size is not the cause (η = {lr:.4g} ≤ 1/L): λ = {big:.3g} is "
            "too large to compute with (the penalty overflows); use a smaller λ."
        )
    elif rule == "subgradient" and lam1 > 0:
        cause = (
            f"The step size is within 1/L: the subgradient rule moves every weight by "
            f"ηλ₁ = {lr * lam1:.3g} at every step, whatever its size; use the "
            "proximal rule or a smaller λ₁."
        )
    else:
        cause = (
            f"The step size is not the cause (η = {lr:.4g} ≤ 1/L): the numbers "
            "overflowed floating point; rescale the data (divide large columns by a "
            "power of ten) or use a smaller λ."
        )
    return Divergence(step, f"{what} {cause}", None)
