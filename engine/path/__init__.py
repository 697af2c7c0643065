"""Which λ? The regularization path.

- :mod:`~engine.path.grid`: the grid of strengths and the path along it
  (:func:`regularization_path`, :class:`PathResult`), the model at any strength
  (:func:`solution_at`), and the path of a run's settings (:func:`path_for`,
  :func:`current_alpha`, :func:`strengths_at`);
"""

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
    "PathResult",
    "alpha_grid",
    "alpha_max",
    "current_alpha",
    "path_for",
    "penalty_at",
    "regularization_path",
    "rho_of",
    "same_path",
    "solution_at",
    "strengths_at",
]
