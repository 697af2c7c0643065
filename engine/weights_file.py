"""Weights as a CSV file: ``feature,weight`` rows and an ``(intercept)`` row.

The values are written with ``repr`` so they read back bit for bit; feature names that
begin like a spreadsheet formula get a single quote in front
(:func:`~engine.csv_output.safe_cell`); the file is written to a temporary file in the
same folder and renamed, so a failed write leaves an older file intact.
"""

from __future__ import annotations

import numpy as np

from .csv_output import safe_cell, write_csv

__all__ = ["write_weights"]


def write_weights(path, names, w, b) -> None:
    """Write the weights ``w`` (named ``names``) and the intercept ``b`` to ``path``;
    OSError if it cannot be written, ValueError (nothing written) if a value is not a
    finite number: a file of ``nan`` weights would read back as garbage."""
    if not (np.isfinite(w).all() and np.isfinite(b)):
        raise ValueError(f"{path}: the weights are not all finite numbers; not written")
    rows = [["feature", "weight"]]
    rows += [
        [safe_cell(name), repr(float(value))]
        for name, value in zip(names, w, strict=True)
    ]
    rows.append(["(intercept)", repr(float(b))])
    write_csv(path, rows)
