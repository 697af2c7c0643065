"""The L1/L2 Explorer engine: pure numpy, no Qt.

Training step by step (:class:`Trainer`), solving to convergence (:func:`solve`),
regularization paths and their cross-validation (:mod:`engine.path`), data
(:class:`Dataset`, :func:`prepare`) and the bundled datasets (:func:`load_dataset`).
"""

from .data import DataError, Dataset, TrainingData, prepare
from .path import CVResult, PathResult, cross_validate, regularization_path
from .penalties import PENALTY_KINDS, Penalty, soft_threshold
from .solvers import SolveResult, lambda_max, solve
from .trainer import RULES, Divergence, Trainer

__all__ = [
    "PENALTY_KINDS",
    "RULES",
    "CVResult",
    "DataError",
    "Dataset",
    "Divergence",
    "PathResult",
    "Penalty",
    "SolveResult",
    "Trainer",
    "TrainingData",
    "cross_validate",
    "lambda_max",
    "prepare",
    "regularization_path",
    "soft_threshold",
    "solve",
]
