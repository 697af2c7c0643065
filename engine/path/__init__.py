"""Which λ? The regularization path and its cross-validation.

- :mod:`~engine.path.grid`: the grid of strengths and the path along it
  (:func:`regularization_path`, :class:`PathResult`), the model at any strength
  (:func:`solution_at`), and the path of a run's settings (:func:`path_for`,
  :func:`current_alpha`, :func:`strengths_at`);
- :mod:`~engine.path.folds`: the K folds (:func:`kfold_indices`) and each fold's
  training data, standardized on its own rows (:func:`fold_data`);
- :mod:`~engine.path.cv`: the cross-validated error along the path, λ_min and λ_1se
  (:func:`cross_validate`, :class:`CVResult`, :func:`cv_for`);
- :mod:`~engine.path.export`: both as CSV files (:func:`write_path_csv`,
  :func:`write_cv_csv`).
"""

from .cv import CVResult, cross_validate, cv_for, error_measure, same_cv
from .export import write_cv_csv, write_path_csv
from .folds import fold_data, kfold_indices
from .grid import (
    PATH_KINDS,
    PathResult,
    alpha_grid,
    alpha_max,
    current_alpha,
    path_for,
    penalty_at,
    regularization_path,
    rho_of,
    same_path,
    solution_at,
    strengths_at,
)

__all__ = [
    "PATH_KINDS",
    "CVResult",
    "PathResult",
    "alpha_grid",
    "alpha_max",
    "cross_validate",
    "current_alpha",
    "cv_for",
    "error_measure",
    "fold_data",
    "kfold_indices",
    "path_for",
    "penalty_at",
    "regularization_path",
    "rho_of",
    "same_cv",
    "same_path",
    "solution_at",
    "strengths_at",
    "write_cv_csv",
    "write_path_csv",
]
