"""A big file goes to pandas by its path (read on every core) and is checked after:
the table, its notes and its errors are those of the one-pass stream, the SHA-256 is
taken when asked for, and the dataset is a view of the table's memory."""

import dataclasses
import hashlib
import math
import os

import numpy as np
import pytest

from engine.csv import (
    CSVCancelled,
    CSVError,
    CSVFormat,
    build_dataset,
    default_choices,
)
from engine.csv import parallel as parallel_mod
from engine.csv import read as read_mod
from engine.csv.digest import FileDigest
from engine.csv.parallel import parallel_ok
from engine.csv.read import load_table
from engine.csv.sniff import sniff

HEADER = "a,b,c,y\n"


def rows(n, seed=0):
    A = np.random.default_rng(seed).standard_normal((n, 4)).round(4)
    return [",".join(f"{v:g}" for v in r) for r in A]


def write(path, lines, header=HEADER, raw=None):
    path.write_bytes(
        raw if raw is not None else (header + "\n".join(lines) + "\n").encode()
    )
    return path


@pytest.fixture
def both(monkeypatch):
    """``read(path)``: the table read through the stream and by pandas from the
    path, with which way each went."""
    taken = []
    real = parallel_mod.read_parallel

    def spy(*a, **kw):
        taken.append("parallel")
        return real(*a, **kw)

    monkeypatch.setattr(read_mod, "read_parallel", spy)

    def read(path, **kw):
        out = []
        for limit in (math.inf, 0):
            monkeypatch.setattr(parallel_mod, "PARALLEL_BYTES", limit)
            try:
                out.append(load_table(path, **kw))
            except CSVError as e:
                out.append(e)
        assert taken == ["parallel"], "the second read went to pandas by the path"
        taken.clear()
        return out

    return read


def same_table(a, b):
    assert a.n_rows == b.n_rows and a.names == b.names and a.notes == b.notes
    for ca, cb in zip(a.columns, b.columns, strict=True):
        assert (ca.kind, ca.n_missing, ca.n_bad) == (cb.kind, cb.n_missing, cb.n_bad)
        if ca.is_number:
            np.testing.assert_array_equal(ca.values, cb.values)
        else:
            assert list(ca.values) == list(cb.values)


def test_a_complete_numeric_file_is_the_same_table_either_way(tmp_path, both):
    p = write(tmp_path / "n.csv", rows(3000))
    stream, par = both(p)
    same_table(stream, par)
    assert par.notes == [] and par.columns[-1].finite


def test_short_rows_are_found_with_their_lines(tmp_path, both):
    lines = rows(3000)
    lines[5], lines[2500] = "1,2", "3,4,5"
    stream, par = both(write(tmp_path / "s.csv", lines))
    same_table(stream, par)
    assert any("2 row(s) have fewer fields" in n and "7, 2,502" in n for n in par.notes)


def test_an_empty_last_cell_is_not_a_short_row(tmp_path, both):
    lines = rows(3000)
    lines[10] = "1,2,3,"
    stream, par = both(write(tmp_path / "e.csv", lines))
    same_table(stream, par)
    assert not any("fewer fields" in n for n in par.notes)


def test_a_byte_that_is_not_utf8_is_found_with_its_line(tmp_path, both):
    # (past the first 64 KB, which the sniffer reads to choose the encoding)
    body = "\n".join(rows(5000)).encode()
    raw = HEADER.encode() + body + b"\n1,2,3,x\xff\n" + "\n".join(rows(50)).encode()
    stream, par = both(write(tmp_path / "u.csv", None, raw=raw))
    same_table(stream, par)
    assert any("not valid UTF-8 (the first at line 5,002)" in n for n in par.notes)


def test_a_real_replacement_character_is_not_reported(tmp_path, both):
    lines = [f"{r},\ufffdtext{i % 3}" for i, r in enumerate(rows(500))]
    stream, par = both(write(tmp_path / "r.csv", lines, header="a,b,c,y,t\n"))
    same_table(stream, par)
    assert not any("UTF-8" in n for n in par.notes)


@pytest.mark.parametrize(
    "name, text",
    [
        ("quoted.csv", 'a,b,t,y\n1,2,"two\nlines",3\n' + "4,5,plain,6\n" * 300),
        ("blank.csv", "a,b,y\n\n1,2,3\n\n" + "4,5,6\n" * 300 + "\n"),
        ("crlf.csv", "a,b,y\r\n" + "1,2,3\r\n" * 300),
        ("cr.csv", "a,b,y\r" + "1,2,3\r" * 300),
        ("bom.csv", "\ufeffa,b,y\n" + "1,2,3\n" * 300),
        ("titled.csv", "# a title\n\na;b;y\n" + "1,5;2;3\n" * 300),
        ("mixed.csv", "a,y\n" + "1,2\n" * 300 + "x,3\n"),
    ],
)
def test_other_layouts_read_the_same_either_way(tmp_path, both, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8", newline="")
    stream, par = both(p, fmt=sniff(p)[0])
    same_table(stream, par)


def test_a_row_with_too_many_fields_is_refused_with_its_line(tmp_path, both):
    lines = rows(3000)
    lines[2000] = "1,2,3,4,5"
    stream, par = both(write(tmp_path / "long.csv", lines))
    assert isinstance(par, CSVError) and str(par) == str(stream)
    assert "line 2002 has 5 fields" in str(par)


def test_which_files_pandas_reads_from_their_path():
    fmt = CSVFormat(",", ".", "utf-8", True, 0)
    big = parallel_mod.PARALLEL_BYTES
    assert parallel_ok(fmt, big, skip_bad_lines=False, transcoded=False)
    assert not parallel_ok(fmt, big - 1, skip_bad_lines=False, transcoded=False)
    assert not parallel_ok(fmt, big, skip_bad_lines=True, transcoded=False)
    assert not parallel_ok(fmt, big, skip_bad_lines=False, transcoded=True)
    for other in (
        CSVFormat(r"\s+", ".", "utf-8", True, 0),
        CSVFormat(",", ".", "latin-1", True, 0),
    ):
        assert not parallel_ok(other, big, skip_bad_lines=False, transcoded=False)


def test_progress_is_busy_then_done_and_cancel_is_heard(tmp_path, monkeypatch):
    monkeypatch.setattr(parallel_mod, "PARALLEL_BYTES", 0)
    p = write(tmp_path / "p.csv", rows(2000))
    calls = []
    table = load_table(p, progress=lambda f, m: calls.append((f, m)))
    assert math.isnan(calls[0][0]) and "on every core" in calls[0][1]
    assert calls[-1] == (1.0, "2,000 rows read") and table.n_rows == 2000
    with pytest.raises(CSVCancelled):
        load_table(p, cancel=lambda: True)
    asked = []  # cancelled while pandas read: the result is not given

    def cancel():
        asked.append(1)
        return len(asked) > 1

    with pytest.raises(CSVCancelled):
        load_table(p, cancel=cancel)


def test_the_sha256_is_taken_when_asked_and_refused_after_a_change(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(parallel_mod, "PARALLEL_BYTES", 0)
    p = write(tmp_path / "h.csv", rows(1000))
    table = load_table(p)
    assert isinstance(table.digest, FileDigest) and not table.digest.known
    assert table.sha256 == hashlib.sha256(p.read_bytes()).hexdigest()
    assert table.digest.known
    again = load_table(p)
    write(p, rows(1000, seed=1))  # changed after it was read
    os.utime(p, ns=(1, 1))
    with pytest.raises(CSVError, match="changed since it was read"):
        again.digest.hexdigest()


def test_a_file_changed_while_pandas_reads_it_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(parallel_mod, "PARALLEL_BYTES", 0)
    p = write(tmp_path / "w.csv", rows(1000))
    real = parallel_mod.parse_frame

    def writing(*a, **kw):
        out = real(*a, **kw)
        write(p, rows(1001))
        return out

    monkeypatch.setattr(parallel_mod, "parse_frame", writing)
    with pytest.raises(CSVError, match="changed while it was read"):
        load_table(p)


#: Rows of a file pandas splits (more than 5 MB): it reads it into one block.
BIG = 180_000


def test_the_dataset_is_a_view_of_the_table_and_never_changes_it(tmp_path, monkeypatch):
    monkeypatch.setattr(parallel_mod, "PARALLEL_BYTES", 5 * 2**20)
    p = write(tmp_path / "v.csv", rows(BIG))
    assert p.stat().st_size > 5 * 2**20
    table = load_table(p)
    ds, _ = build_dataset(table, default_choices(table))
    cols = [c.values for c in table.columns]
    assert all(np.shares_memory(ds.X, c) for c in cols[:3])  # no copy
    np.testing.assert_array_equal(ds.X, np.column_stack(cols[:3]))
    assert not ds.X.flags.writeable
    # the target in the middle: the features are not equally spaced, so copied
    ds2, _ = build_dataset(table, default_choices(table, "b"))
    assert not np.shares_memory(ds2.X, cols[0])
    np.testing.assert_array_equal(ds2.X, np.column_stack([cols[0], cols[2], cols[3]]))
    np.testing.assert_array_equal(ds2.y, cols[1])


def test_missing_values_are_filled_in_a_copy_not_in_the_table(tmp_path, monkeypatch):
    monkeypatch.setattr(parallel_mod, "PARALLEL_BYTES", 5 * 2**20)
    lines = rows(BIG)
    lines[7] = "1,,3,4"
    p = write(tmp_path / "m.csv", lines)
    table = load_table(p)
    assert np.isnan(table.column("b").values[7])
    choices = dataclasses.replace(default_choices(table), missing="mean")
    ds, report = build_dataset(table, choices)
    assert any("filled 1 missing value" in r for r in report)
    assert np.isfinite(ds.X).all() and ds.X[7, 1] == np.nanmean(ds.X[:, 1])
    assert np.isnan(table.column("b").values[7])  # the table is as read
    ds2, report2 = build_dataset(table, default_choices(table))  # read again
    assert any("dropped 1 row(s) with missing" in r for r in report2)
    assert ds2.X.shape == (BIG - 1, 3)
