"""What a solve says about itself when the duality gap alone does not tell: that it
needed no iteration (the start was the minimum, or one linear solve on the active set
found it), or why it stopped short of its tolerance and what to change."""

from __future__ import annotations

import numpy as np

from .data import TrainingData
from .penalties import Penalty

__all__ = ["SCALE_SPREAD", "no_iteration_message", "why_stopped"]


def no_iteration_message(prob, pen: Penalty, w, w_start, gap: float) -> str:
    """What a solve that needed no iteration did: nothing (the start was the
    minimum) or one exact solve on the active features."""
    if not w.any() and pen.lam2 == 0 and pen.lam1 >= prob.lam1_max():
        return (
            f"already at the minimum: every weight is 0 for λ ≥ λ_max = "
            f"{prob.lam1_max():.4g}"
        )
    if np.array_equal(w, w_start):
        return f"already at the minimum (duality gap {gap:.3g})"
    return (
        f"exact: linear solve on the active set of {np.count_nonzero(w)} nonzero "
        f"weights (duality gap {gap:.3g})"
    )


#: Raw feature scales differing by more than this make the problem badly conditioned.
SCALE_SPREAD = 1e4


def why_stopped(prob, data: TrainingData, pen: Penalty, w, b) -> str:
    """Why the solver stopped short of its tolerance, and what to change."""
    if prob.loss.name == "logistic" and prob.separates(w, b):
        return (
            "the classes are separable, so with a penalty this weak (λ₁ = "
            f"{pen.lam1:.3g}, λ₂ = {pen.lam2:.3g}) the weights grow large (up to "
            f"{np.abs(w).max(initial=0.0):.3g}) and the minimum is reached very "
            "slowly; use a larger λ (an L2 part helps most) or a looser tolerance"
        )
    spread = np.std(data.X, axis=0)
    spread = spread[spread > 0]
    ratio = float(spread.max() / spread.min()) if spread.size else 1.0
    if not data.standardized and ratio > SCALE_SPREAD:
        return (
            f"the raw feature scales differ by a factor of {ratio:.2g}, which makes "
            "the problem badly conditioned; standardize the features"
        )
    return (
        "the problem is badly conditioned (nearly collinear features); use a larger "
        "λ (an L2 part helps most) or a looser tolerance"
    )
