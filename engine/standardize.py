"""Standardization of a feature matrix a block of rows at a time.

:func:`standardization` gives the numbers of the whole-array formulas
``(X / big).mean(axis=0) * big`` and ``(X / big).std(axis=0) * big`` without a
temporary the size of X: on a C-ordered X of two or more columns numpy adds the rows
one after another, so summing block by block with the running sum carried as a row of
the next block rounds exactly as the whole-array sum does. :func:`~engine.data.prepare`
uses it on the training rows, which it then standardizes in place.
"""

from __future__ import annotations

import numpy as np

__all__ = ["BLOCK_BYTES", "abs_max", "block_rows", "row_sum", "standardization"]

#: Rows of X handled at a time where a whole-size temporary is avoided (about 8 MB).
BLOCK_BYTES = 1 << 23


def block_rows(X: np.ndarray) -> int:
    """Rows of X in a block of about :data:`BLOCK_BYTES`."""
    return max(1, BLOCK_BYTES // (8 * max(X.shape[1], 1)))


def abs_max(X: np.ndarray) -> np.ndarray:
    """``np.abs(X).max(axis=0)`` block by block (a maximum is exact in any order)."""
    step = block_rows(X)
    top = np.zeros(X.shape[1])
    for start in range(0, X.shape[0], step):
        np.maximum(top, np.abs(X[start : start + step]).max(axis=0), out=top)
    return top


def row_sum(X: np.ndarray, rows) -> np.ndarray:
    """``rows(X[a:b], out)`` summed over all rows of X, in row order and with the
    same rounding as ``np.add.reduce(rows(X), axis=0)`` on a C-ordered X of at
    least two columns, which adds the rows one after another: each block is summed
    below the running sum, a row of its own."""
    n, d = X.shape
    step = block_rows(X)
    buf = np.empty((min(step, n) + 1, d))
    total = None
    for start in range(0, n, step):
        m = min(step, n - start)
        if total is None:
            rows(X[start : start + m], buf[:m])
            total = buf[:m].sum(axis=0)
        else:
            buf[0] = total
            rows(X[start : start + m], buf[1 : m + 1])
            total = buf[: m + 1].sum(axis=0)
    return total


def standardization(X: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(mean, scale, constant)`` of the columns of ``X``: the mean, the standard
    deviation (``ddof=0``) with 1 in place of 0, and which columns are constant.

    Each column is divided by its largest magnitude first: squares of numbers near
    1e308 would overflow, and a constant column becomes exactly 1 there, so its
    deviation is exactly 0 (a plain mean of equal numbers may be off by one unit in
    the last place, which would blow the column up instead of zeroing it).

    The numbers are those of ``(X / big).mean(axis=0) * big`` and
    ``(X / big).std(axis=0) * big``; for a C-ordered X (rows taken by index, as
    :func:`~engine.data.prepare` does) they are computed a block of rows at a time, with no
    temporary the size of X.
    """
    n, d = X.shape
    if not (X.flags.c_contiguous and d >= 2 and n >= 1):
        big = np.abs(X).max(axis=0)
        big = np.where(big > 0, big, 1.0)
        mean = (X / big).mean(axis=0) * big
        scale = (X / big).std(axis=0) * big
        constant = scale == 0
        return mean, np.where(constant, 1.0, scale), constant
    big = abs_max(X)
    big = np.where(big > 0, big, 1.0)

    def scaled(rows, out):
        np.divide(rows, big, out=out)

    mean_s = row_sum(X, scaled) / n  # numpy's mean: the sum, divided by n

    def squared(rows, out):  # numpy's var: (x - mean) * (x - mean), summed, / n
        np.divide(rows, big, out=out)
        np.subtract(out, mean_s, out=out)
        np.multiply(out, out, out=out)

    scale = np.sqrt(row_sum(X, squared) / n) * big
    mean = mean_s * big
    constant = scale == 0
    return mean, np.where(constant, 1.0, scale), constant
