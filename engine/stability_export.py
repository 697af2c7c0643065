"""The selection frequencies of the stability lab as a CSV file.

Header ``feature,frequency``, one row per feature in the data's order: the share of
the resamples whose weight is not exactly 0 at the run's λ
(:attr:`engine.stability.StabilityResult.frequency`). Numbers are written with
``repr`` so they read back bit for bit; feature names that begin like a spreadsheet
formula get a single quote in front. Written atomically (:mod:`engine.csv_output`).
"""

from __future__ import annotations

from .csv_output import safe_cell, write_csv
from .stability import StabilityResult

__all__ = ["STABILITY_HEADER", "write_stability_csv"]

STABILITY_HEADER = ("feature", "frequency")


def write_stability_csv(path_file, result: StabilityResult, feature_names) -> None:
    """Write ``result``'s frequencies at λ to ``path_file``; OSError naming the file
    if it cannot be written."""
    names = list(feature_names)
    if len(names) != result.frequency.size:
        raise ValueError(
            f"{len(names)} feature names for {result.frequency.size} frequencies"
        )
    rows = [list(STABILITY_HEADER)]
    rows += [
        [safe_cell(n), repr(float(f))]
        for n, f in zip(names, result.frequency, strict=True)
    ]
    write_csv(path_file, rows)
