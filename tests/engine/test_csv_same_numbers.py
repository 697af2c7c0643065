"""The import's fast paths (column sums instead of masks, short rows counted from
totals, no copy when every row is kept, one parse without chunks) give bit for bit
the dataset of a straightforward computation with pandas, and read the file once."""

import builtins
import hashlib
import threading

import numpy as np
import pandas as pd
import pytest

from engine import prepare
from engine.csv import (
    CSVCancelled,
    CSVFormat,
    ImportChoices,
    behind,
    build_dataset,
    default_choices,
    load_table,
    read_csv,
    scan,
)


def reference(path, target, missing="drop", **read_kw):
    """pandas.read_csv, every other numeric column a feature, infinities missing,
    rows with a missing target dropped, then rows with a missing feature dropped or
    the feature filled with its mean over the rows kept, constant columns dropped:
    whole arrays, one step after another."""
    frame = pd.read_csv(path, **read_kw)
    y = frame[target].to_numpy(dtype=float)
    names = [c for c in frame.columns if c != target and frame[c].dtype.kind in "if"]
    X = np.array(frame[names].to_numpy(dtype=float), order="F")  # column by column
    X[np.isinf(X)] = np.nan
    keep = np.isfinite(y)
    if missing == "mean":  # numpy's nanmean of each column, over the rows kept
        means = np.nanmean(np.where(keep[:, None], X, np.nan), axis=0)
        for j in range(X.shape[1]):
            X[np.isnan(X[:, j]) & keep, j] = means[j]
    else:
        keep &= ~np.isnan(X).any(axis=1)
    X, y = X[keep], y[keep]
    varying = X.max(axis=0) != X.min(axis=0)
    return X[:, varying], y, [n for n, v in zip(names, varying, strict=True) if v]


def numeric_file(path, n, d, seed, *, holes=0, infinite=0, constant=False, crlf=False):
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((n, d)) * 10.0 ** rng.integers(-5, 6, d)
    rows = [",".join(f"{v:.9g}" for v in row) for row in A]
    for i in rng.choice(n, holes, replace=False):  # an empty cell
        cells = rows[i].split(",")
        cells[int(rng.integers(d))] = ""
        rows[i] = ",".join(cells)
    for i in rng.choice(n, infinite, replace=False):
        cells = rows[i].split(",")
        cells[0] = "inf"
        rows[i] = ",".join(cells)
    header = [f"x{j}" for j in range(d - 1)] + ["y"]
    if constant:
        header.append("same")
        rows = [r + ",4.5" for r in rows]
    nl = "\r\n" if crlf else "\n"
    path.write_text(nl.join([",".join(header), *rows]) + nl)
    return path


@pytest.mark.parametrize(
    "kw",
    [
        dict(),  # every value present: the path with no pass over X
        dict(holes=40, infinite=3, constant=True),
        dict(holes=40, crlf=True),
    ],
)
@pytest.mark.parametrize("missing", ["drop", "mean"])
def test_imported_dataset_equals_the_plain_pandas_computation(tmp_path, kw, missing):
    # about 5 MB: several read windows, so short rows are counted from totals
    p = numeric_file(tmp_path / "a.csv", 60_000, 8, seed=len(kw), **kw)
    table = load_table(p)
    choices = default_choices(table, "y")
    choices = ImportChoices(**{**choices.__dict__, "missing": missing})
    ds, _ = build_dataset(table, choices)
    X, y, names = reference(p, "y", missing)
    assert list(ds.feature_names) == names
    assert np.array_equal(ds.X, X) and np.array_equal(ds.y, y)
    # and prepared: the same standardized training and validation rows
    got = prepare(ds, validation=0.2, seed=1)
    want = prepare(type(ds)(X, y, tuple(names)), validation=0.2, seed=1)
    assert np.array_equal(got.X, want.X) and np.array_equal(got.X_val, want.X_val)


def test_a_short_row_far_into_a_big_file_is_still_found(tmp_path):
    p = numeric_file(tmp_path / "s.csv", 60_000, 5, seed=3)
    lines = p.read_text().split("\n")
    lines[50_001] = ",".join(lines[50_001].split(",")[:3])  # data row 50,000: 3 fields
    p.write_text("\n".join(lines))
    table = load_table(p)
    assert "1 row(s) have fewer fields than the header (line 50,002)" in "".join(
        table.notes
    )
    ds, report = read_csv(p, "y")
    assert ds.n_samples == 59_999


@pytest.mark.parametrize("block", [1, 7, 4096, 1 << 20])
@pytest.mark.parametrize("nl", ["\n", "\r\n"])
@pytest.mark.parametrize("odd", ["1,2", "", "  ", "1", ",,", '"1,2",3', "1,2,3,4"])
def test_counting_by_totals_agrees_with_counting_record_by_record(block, nl, odd):
    rng = np.random.default_rng(len(odd) + block)
    lines = ["1.5,-2,3e4"] * 3000
    for i in rng.choice(3000, 5, replace=False):
        lines[i] = odd
    data = ("a,b,y" + nl + nl.join(lines) + nl).encode()
    results = []
    for by_totals in (False, True):
        fields = scan.FieldCount(CSVFormat(), False, by_totals=by_totals)
        fields.set_fields(3)
        for k in range(0, len(data), block):
            fields(data[k : k + block])
        fields(b"")
        results.append((fields.short_rows, fields.short_lines, fields.rows_counted))
    if odd == "1,2,3,4":  # a long row: pandas refuses the file, the counts differ
        return
    assert results[0] == results[1]
    assert bool(results[0][0]) == (odd in ("1,2", "1", '"1,2",3'))  # 2, 1, 2 fields


def test_the_file_is_opened_once_and_each_byte_read_once(tmp_path, monkeypatch):
    p = numeric_file(tmp_path / "once.csv", 60_000, 8, seed=9, holes=5)
    opened, read = [], []
    real = builtins.open

    def counting(file, *a, **kw):
        f = real(file, *a, **kw)
        if str(file) == str(p):
            opened.append(1)
            inner = f.read
            f.read = lambda *n: read.append(len(b := inner(*n))) or b
        return f

    monkeypatch.setattr(builtins, "open", counting)
    calls = []
    table = load_table(p, progress=lambda done, msg: calls.append((done, msg)))
    assert len(opened) == 1 and sum(read) == p.stat().st_size
    assert table.n_rows == 60_000
    # progress as the bytes go by, the last one the rows read
    assert len(calls) >= 3 and calls[-1] == (1.0, "60,000 rows read")


def test_the_hash_and_short_rows_found_on_another_thread_are_the_same(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(behind, "ALONE_AFTER", 1000)  # a thread after 1,000 bytes
    p = numeric_file(tmp_path / "h.csv", 20_000, 4, seed=2)
    lines = p.read_text().split("\n")
    lines[15_001] = lines[15_001].rsplit(",", 1)[0]  # a short row
    p.write_text("\n".join(lines))
    table = load_table(p)
    assert table.sha256 == hashlib.sha256(p.read_bytes()).hexdigest()
    assert "1 row(s) have fewer fields than the header (line 15,002)" in "".join(
        table.notes
    )
    assert not any(t.name == "csv-behind" for t in threading.enumerate())


def test_a_cancelled_read_leaves_no_hashing_thread(tmp_path, monkeypatch):
    monkeypatch.setattr(behind, "ALONE_AFTER", 1000)
    p = numeric_file(tmp_path / "c.csv", 200_000, 4, seed=2)
    with pytest.raises(CSVCancelled):
        load_table(p, cancel=lambda: True)
    assert not any(t.name == "csv-behind" for t in threading.enumerate())
