"""prepare standardizes and splits a block of rows at a time, with no temporary as
large as X, and gives exactly the arrays of the whole-array formulas."""

import tracemalloc

import numpy as np
import pytest

from engine import standardize
from engine.data import Dataset, prepare
from engine.standardize import standardization


def whole_array_prepare(ds, validation, seed):
    """The straightforward computation: split, then (X - mean) / scale on the whole
    training matrix, mean and scale from ``(X / big).mean`` and ``.std``."""
    n = ds.n_samples
    n_val = min(max(int(round(validation * n)), 1), n - 2) if validation > 0 else 0
    if n_val:
        perm = np.random.default_rng(seed).permutation(n)
        train, val = np.sort(perm[n_val:]), np.sort(perm[:n_val])
    else:
        train, val = np.arange(n), None
    X = ds.X[train]
    big = np.abs(X).max(axis=0)
    big = np.where(big > 0, big, 1.0)
    mean = (X / big).mean(axis=0) * big
    scale = (X / big).std(axis=0) * big
    scale = np.where(scale == 0, 1.0, scale)
    X_val = None if val is None else (ds.X[val] - mean) / scale
    return (X - mean) / scale, X_val, mean, scale


def columns(n, d, seed):
    """Columns of very different scales and offsets, one constant, one of huge
    values, so that any change in the order of the sums would show."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d)) * 10.0 ** rng.integers(-8, 9, d)
    X += 10.0 ** rng.integers(-3, 7, d)
    X[:, 0] = 7.25
    if d > 2:
        X[:, 2] *= 1e140
    return X


@pytest.mark.parametrize("block_bytes", [8, 200, 1 << 23])  # 1 row, a few, all
@pytest.mark.parametrize(
    "n, d, order", [(3, 2, "C"), (257, 7, "C"), (301, 5, "F"), (40, 300, "C")]
)
@pytest.mark.parametrize("validation", [0.0, 0.2])
def test_prepare_in_blocks_gives_the_arrays_of_the_whole_array_formulas(
    monkeypatch, block_bytes, n, d, order, validation
):
    monkeypatch.setattr(standardize, "BLOCK_BYTES", block_bytes)
    X = np.asarray(columns(n, d, seed=n + d), order=order)
    ds = Dataset(X, np.arange(n, dtype=float), tuple(f"x{j}" for j in range(d)))
    got = prepare(ds, validation=validation, seed=5)
    want_X, want_val, mean, scale = whole_array_prepare(ds, validation, 5)
    assert np.array_equal(got.mean, mean) and np.array_equal(got.scale, scale)
    assert np.array_equal(got.X, want_X)
    assert got.X.flags.c_contiguous
    if validation:
        assert np.array_equal(got.X_val, want_val)
    else:
        assert got.X_val is None


def test_standardization_of_one_column_and_of_fortran_order_is_the_plain_one():
    for X in (columns(50, 1, 1) + np.arange(50.0)[:, None], columns(50, 4, 2)):
        X = np.asfortranarray(X) if X.shape[1] > 1 else X
        big = np.abs(X).max(axis=0)
        mean, scale, constant = standardization(X)
        s = (X / big).std(axis=0) * big
        assert np.array_equal(mean, (X / big).mean(axis=0) * big)
        assert np.array_equal(scale, np.where(s == 0, 1.0, s))
        assert np.array_equal(constant, s == 0)


def test_preparing_needs_little_more_memory_than_its_result(monkeypatch):
    monkeypatch.setattr(standardize, "BLOCK_BYTES", 1 << 20)
    n, d = 20_000, 50  # X is 8 MB
    rng = np.random.default_rng(0)
    ds = Dataset(rng.standard_normal((n, d)), rng.standard_normal(n), [""] * d)
    tracemalloc.start()
    try:
        prepare(ds, validation=0.2, seed=0)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # the training and validation rows (1 × X) and blocks of at most 1 MB each;
    # the whole-array formulas took about 2.4 × X
    assert peak <= 1.5 * ds.X.nbytes + 2 * standardize.BLOCK_BYTES
