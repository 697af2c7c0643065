"""L1 vs L2 vs Elastic Net on the same data and split, side by side.

- :mod:`~engine.compare.strengths`: each penalty's strength, as
  ``settings.lab.compare_lambda`` says (its own λ_1se, the run's α, or the run's
  count of nonzero weights) (:func:`choose_strengths`);
- :mod:`~engine.compare.runs`: the three runs in lock step with the main run, their
  solutions and a table row per penalty (:func:`compare`, :class:`Comparison`);
- :mod:`~engine.compare.groups`: groups of correlated features and one order of
  features for the bars (:func:`correlated_groups`, :func:`feature_order`).
"""

from .groups import GROUP_THRESHOLD, correlated_groups, feature_order, group_label
from .runs import (
    SHORT_NAMES,
    TABLE_HEADERS,
    CompareRow,
    Comparison,
    compare,
    describe_choice,
    held_out_name,
)
from .strengths import (
    COMPARED_KINDS,
    KIND_NAMES,
    Strength,
    choose_strengths,
    compare_rho,
    compared_settings,
    nonzero_alpha,
    run_alpha,
    same_runs,
    same_strengths,
    target_nonzero,
)

__all__ = [
    "COMPARED_KINDS",
    "GROUP_THRESHOLD",
    "KIND_NAMES",
    "SHORT_NAMES",
    "TABLE_HEADERS",
    "CompareRow",
    "Comparison",
    "Strength",
    "choose_strengths",
    "compare",
    "compare_rho",
    "compared_settings",
    "correlated_groups",
    "describe_choice",
    "feature_order",
    "group_label",
    "held_out_name",
    "nonzero_alpha",
    "run_alpha",
    "same_runs",
    "same_strengths",
    "target_nonzero",
]
