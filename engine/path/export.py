"""The path and the cross-validation curve as CSV files.

* :func:`write_path_csv`: header ``alpha,<feature names in data order>,(intercept)``,
  one row per strength, largest first;
* :func:`write_cv_csv`: header ``alpha,mean,se,nonzero,train_mean``, one row per
  strength, in the grid's order (largest first).

Numbers are written with ``repr`` so they read back bit for bit (``nan`` where a
cancelled run computed nothing, an empty ``nonzero`` when the count is unknown);
feature names that begin like a spreadsheet formula get a single quote in front.
Both files are written atomically (:mod:`engine.csv_output`).
"""

from __future__ import annotations

import numpy as np

from ..csv_output import safe_cell, write_csv
from .cv import CVResult
from .grid import PathResult

__all__ = ["CV_HEADER", "write_cv_csv", "write_path_csv"]

CV_HEADER = ("alpha", "mean", "se", "nonzero", "train_mean")


def _num(x) -> str:
    return repr(float(x))


def write_path_csv(path_file, result: PathResult, feature_names) -> None:
    """Write the computed points of ``result`` to ``path_file``, largest strength
    first; OSError naming the file if it cannot be written."""
    names = list(feature_names)
    m = result.n_computed
    if len(names) != result.coefs.shape[1]:
        raise ValueError(
            f"{len(names)} feature names for {result.coefs.shape[1]} weights"
        )
    rows = [["alpha", *(safe_cell(n) for n in names), "(intercept)"]]
    order = np.argsort(-result.alphas[:m], kind="stable")
    for i in order:
        rows.append(
            [
                _num(result.alphas[i]),
                *(_num(v) for v in result.coefs[i]),
                _num(result.intercepts[i]),
            ]
        )
    write_csv(path_file, rows)


def write_cv_csv(path_file, cv: CVResult) -> None:
    """Write ``cv``'s curve to ``path_file``, one row per strength in the grid's
    order; OSError naming the file if it cannot be written."""
    rows = [list(CV_HEADER)]
    for i, alpha in enumerate(cv.alphas):
        nonzero = "" if cv.n_nonzero is None else str(int(cv.n_nonzero[i]))
        rows.append(
            [
                _num(alpha),
                _num(cv.mean[i]),
                _num(cv.se[i]),
                nonzero,
                _num(cv.train_mean[i]),
            ]
        )
    write_csv(path_file, rows)
