"""Reading a CSV file once: the hash, bad bytes and short rows come from that one read."""

import builtins
import csv
import hashlib
import io

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.csv import CSVFormat, load_table, read_csv, scan


def write(tmp_path, content, name="data.csv"):
    p = tmp_path / name
    p.write_bytes(content if isinstance(content, bytes) else content.encode())
    return p


class CountingOpen:
    """``open`` that counts how often ``path`` is opened and how many of its bytes
    are read."""

    def __init__(self, path):
        self.path, self.opens, self.bytes = str(path), 0, 0
        self.real = builtins.open

    def __call__(self, file, *args, **kw):
        f = self.real(file, *args, **kw)
        if str(file) != self.path:
            return f
        self.opens += 1
        counter, read = self, f.read

        def counted_read(*a):
            block = read(*a)
            counter.bytes += len(block)
            return block

        f.read = counted_read
        return f


def big_file(tmp_path):
    """About 3 MB: more than the sniffing window and several read blocks."""
    A = np.random.default_rng(0).standard_normal((60_000, 5)).round(6)
    p = tmp_path / "big.csv"
    np.savetxt(p, A, delimiter=",", header="a,b,c,d,y", comments="", fmt="%.6f")
    return p


def test_the_hash_of_the_read_is_the_sha256_of_the_file_bytes(tmp_path):
    p = big_file(tmp_path)
    table = load_table(p)
    assert table.sha256 == hashlib.sha256(p.read_bytes()).hexdigest()
    small = write(tmp_path, "a,y\n1,2\n3,5\n", "small.csv")
    ds, _ = read_csv(small)
    assert (
        ds.source["sha256"].hexdigest()
        == hashlib.sha256(small.read_bytes()).hexdigest()
    )


def test_read_csv_opens_the_file_once_and_reads_each_byte_once(tmp_path, monkeypatch):
    p = big_file(tmp_path)
    counting = CountingOpen(p)
    monkeypatch.setattr(builtins, "open", counting)
    ds, _ = read_csv(p)  # sniffing, header, parsing, hashing, short rows
    assert ds.n_samples == 60_000
    assert counting.opens == 1
    assert counting.bytes == p.stat().st_size


def test_short_rows_are_found_without_reading_the_file_again(tmp_path, monkeypatch):
    p = write(tmp_path, "a,b,y\n1,2,3\n4,5\n6,7,8\n")
    counting = CountingOpen(p)
    monkeypatch.setattr(builtins, "open", counting)
    table = load_table(p, CSVFormat())
    assert counting.opens == 1
    assert "1 row(s) have fewer fields than the header (line 3)" in table.notes[0]


def test_a_bad_utf8_byte_is_found_in_the_same_read(tmp_path, monkeypatch):
    monkeypatch.setattr(scan, "BLOCK", 16)  # the bad byte far beyond the first block
    p = write(tmp_path, b"y,city\n" + b"1,Bern\n" * 40 + b"2,caf\xe9\n3,Bern\n")
    counting = CountingOpen(p)
    monkeypatch.setattr(builtins, "open", counting)
    table = load_table(p, CSVFormat(encoding="utf-8"))
    assert counting.opens == 1
    assert (
        "bytes that are not valid UTF-8 (the first at line 42) were read as '\ufffd'"
        in table.notes
    )


def reference_short_rows(text, fmt, n_fields, skip_bad_lines):
    """The rows with fewer fields than the header, by the csv module, counting rows
    as pandas does: a line of spaces is blank, a quoted space is a row."""
    f = io.StringIO(text, newline="")
    for _ in range(fmt.skip):
        f.readline()
    raw = []  # the lines of the record being read

    def lines():
        for line in f:
            raw.append(line)
            yield line

    reader = csv.reader(lines(), delimiter=fmt.delimiter)
    line = fmt.skip + 1
    rows, found, i = [], [], 0
    header = fmt.header
    for row in reader:
        text_of_row, start = "".join(raw), line
        line += len(raw)
        raw.clear()
        if not text_of_row.strip(" \t\r\n"):
            continue  # a blank line
        if header:
            header = False
            continue
        if skip_bad_lines and len(row) > n_fields:
            continue
        if len(row) < n_fields:
            rows.append(i)
            found.append(start)
        i += 1
    return rows, found, i


def field_count(data: bytes, fmt, n_fields, skip_bad_lines, block):
    fields = scan.FieldCount(fmt, skip_bad_lines)
    fields.set_fields(n_fields)
    for k in range(0, len(data), block):
        fields(data[k : k + block])
    fields(b"")
    return fields.short_rows, fields.short_lines, fields.rows_counted


@pytest.mark.parametrize("block", [1, 3, 16, 1 << 20])
@pytest.mark.parametrize(
    "text, skip",
    [
        ("a,b,y\n1,2,3\n4,5\n\n6,7,8\n9\n", 0),
        ("# note\nTitle\na,b,y\n1,2\n3,4,5\n", 2),
        ('a,"b\nc",y\n"x,1\n2",2\n3,4,5\n"""q""",1\n', 0),  # quotes, quoted newlines
        ('a,b,y\n5",6\n7,8",9\n', 0),  # a quote inside a field is a character
        ("a,b,y\r\n1,2\r\n3,4,5\r\n", 0),  # CRLF
        ("a,b,y\r1,2\r3,4,5\r6\r", 0),  # old Mac line ends
        ("a,b,y\n1,2,3,4\n5,6\n  \n7,8,9", 0),  # too many fields, no final newline
        ('a,b,y\n""\n1,2,3\n', 0),  # an empty quoted field is a row
    ],
)
def test_short_rows_are_counted_as_the_csv_module_counts_them(text, skip, block):
    fmt = CSVFormat(skip=skip)
    for skip_bad in (False, True):
        want = reference_short_rows(text, fmt, 3, skip_bad)
        assert field_count(text.encode(), fmt, 3, skip_bad, block) == want


pieces = st.sampled_from(["1", "x", "", " ", ",", "\n", "\r\n", '"', '""', '"a,b"'])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(pieces, max_size=40), st.sampled_from([1, 2, 5, 64]), st.booleans())
def test_short_rows_match_the_csv_module_on_random_text(parts, block, skip_bad):
    text = "a,b,y\n" + "".join(parts)
    if text.count('"') % 2:  # an unclosed quote: pandas refuses the file anyway
        text += '"'
    fmt = CSVFormat()
    want = reference_short_rows(text, fmt, 3, skip_bad)
    assert field_count(text.encode(), fmt, 3, skip_bad, block) == want
