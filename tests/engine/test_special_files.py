"""Files that are not files: a FIFO, /dev/zero and a folder are refused before they
are opened (a FIFO's open waits for a writer, a device never ends); reading and
hashing a session's CSV stop when cancelled."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

import cli
from engine.csv import (
    CSVCancelled,
    CSVError,
    file_sha256,
    load_table,
    read_csv,
    sniff,
)
from engine.session_file import ReplayCancelled, load_dataset_of
from engine.settings import DataSource

READERS = {
    "sniff": sniff,
    "load_table": load_table,
    "file_sha256": file_sha256,
}


def _finishes(fn, *args, seconds=10.0):
    """``fn(*args)``'s exception, or AssertionError if it has not ended in time."""
    out = {}

    def target():
        try:
            fn(*args)
        except Exception as e:  # the exception is what the test looks at
            out["error"] = e

    t = threading.Thread(target=target, daemon=True)
    t.start()
    t.join(seconds)
    assert not t.is_alive(), f"{fn.__name__} hangs on a special file"
    return out.get("error")


@pytest.mark.parametrize("reader", READERS)
def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path, reader):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    error = _finishes(READERS[reader], fifo)
    assert isinstance(error, CSVError)
    assert "not a regular file" in str(error) and "pipe.csv" in str(error)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
@pytest.mark.parametrize("reader", READERS)
def test_a_device_is_refused(reader):
    error = _finishes(READERS[reader], Path("/dev/zero"))
    assert isinstance(error, CSVError) and "not a regular file" in str(error)


def test_a_folder_is_named_as_one(tmp_path):
    error = _finishes(load_table, tmp_path)
    assert isinstance(error, CSVError) and "is a folder" in str(error)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_the_command_line_refuses_a_device_with_status_2(capsys):
    code = cli.main(["--headless", "--csv", "/dev/zero", "--steps", "1"])
    out, err = capsys.readouterr()
    assert code == 2
    assert "not a regular file" in err and len(err.strip().splitlines()) == 1


def test_hashing_stops_when_cancelled(tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes(b"x,y\n" + b"1,2\n" * 800_000)  # a few 1 MB blocks
    calls = []

    def cancel():
        calls.append(1)
        return len(calls) > 1

    with pytest.raises(CSVCancelled):
        file_sha256(path, cancel)
    assert len(calls) == 2  # stopped at the second block, not at the end


def test_reading_a_sessions_csv_stops_when_cancelled(tmp_path):
    path = tmp_path / "data.csv"
    rows = "".join(f"{i % 7},{i % 5},{i % 13 * 0.5}\n" for i in range(60_000))
    path.write_text("a,b,y\n" + rows)
    ds, _ = read_csv(path)
    source = DataSource.of_dataset(ds.source)
    assert load_dataset_of(source).n_features == 2  # read when not cancelled
    with pytest.raises(ReplayCancelled):
        load_dataset_of(source, cancel=lambda: True)
