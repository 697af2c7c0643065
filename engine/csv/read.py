"""Reading: a CSV file, opened and read once, into a :class:`Table` of columns.

:func:`load_table` opens the file, sniffs its format from the first bytes (unless one
is given), reads the header row from them, and lets pandas parse the rest in one call
(:mod:`engine.csv.parse`). A file of :data:`~engine.csv.parallel.PARALLEL_BYTES` or
more that pandas can split goes to pandas by its path, to be parsed on every core,
and is checked afterwards (:mod:`engine.csv.parallel`); any other goes through a
:class:`~engine.csv.scan.OnePassStream` (progress and cancel come from the stream as
it is read: chunks would have to be concatenated, a copy of the table), which
computes the SHA-256, finds bytes that are not UTF-8 and rows with fewer fields than
the header from the same bytes as they go by. Then every column is classified (see
:mod:`engine.csv.columns`). :func:`preview` reads the first rows as text, split into
columns as the whole file will be.

Column names written in quotes the parser keeps (``'vote'`` in a file whose quote
character is ``"``) lose them. Under a line of counts
(:class:`~engine.csv.sniff.CountLine`) the columns are called ``x1 … xd`` and
``target``, and the class names replace the codes 0, 1, … of the target.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .columns import ColumnInfo, classify
from .digest import FileDigest, file_stamp
from .errors import CSVCancelled, CSVError
from .parallel import Found, parallel_ok, read_parallel
from .parse import parse_frame
from .scan import FieldCount, OnePassStream, Utf8Check
from .sniff import (
    CountLine,
    CSVFormat,
    count_line,
    open_binary,
    open_error,
    read_head,
    records,
    sniff_bytes,
)

__all__ = ["Table", "load_table", "preview", "unique_names"]


@dataclass
class Table:
    """A parsed file: its format, columns and notes (renamed duplicates, skipped rows,
    encoding). ``target`` is the column the file itself names as the target (the
    last one, under a line of counts), or None."""

    path: Path
    fmt: CSVFormat
    columns: list[ColumnInfo]
    n_rows: int
    notes: list[str] = field(default_factory=list)
    digest: FileDigest | None = None  # so a saved session can tell if it changed
    skip_bad_lines: bool = False
    target: str | None = None

    def column(self, name: str) -> ColumnInfo:
        index = self.__dict__.get("_index")
        if index is None or len(index) != len(self.columns):  # names are unique
            index = self.__dict__["_index"] = {c.name: c for c in self.columns}
        if name in index:
            return index[name]
        raise CSVError(
            f"{self.path.name}: no column named '{name}'; columns are "
            + ", ".join(c.name for c in self.columns[:12])
            + (" …" if len(self.columns) > 12 else "")
        )

    @property
    def sha256(self) -> str:
        """The SHA-256 of the file's bytes as read (taken now if it was not while
        the file was read: :class:`~engine.csv.digest.FileDigest`)."""
        return self.digest.hexdigest() if self.digest is not None else ""

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


def unique_names(raw: list[str]) -> tuple[list[str], list[str]]:
    """Names made unique and non-empty, with a note for every change."""
    names, notes, seen = [], [], set()
    for i, c in enumerate(raw):
        base = c.strip()
        if not base:
            base = f"column_{i + 1}"
            notes.append(f"column {i + 1} has no name: called it '{base}'")
        name, k = base, 1
        while name in seen:
            k += 1
            name = f"{base}_{k}"
        if name != base:
            notes.append(
                f"duplicate column name '{base}': the copy in column {i + 1} is "
                f"called '{name}'"
            )
        seen.add(name)
        names.append(name)
    return names, notes


@dataclass
class _Header:
    """The column names (raw), notes on them, and the line of counts if any."""

    names: list[str]
    notes: list[str]
    counts: CountLine | None = None


_QUOTES = "'\"`"


def _unquoted(names: list[str]) -> tuple[list[str], list[str]]:
    """Names without the quotes around them (``'vote'`` → ``vote``), and a note."""
    out = []
    for c in names:
        if len(c) >= 2 and c[0] == c[-1] and c[0] in _QUOTES and c[1:-1].strip():
            c = c[1:-1].strip()
        out.append(c)
    changed = [a for a, b in zip(names, out, strict=True) if a != b]
    if not changed:
        return out, []
    shown = ", ".join(changed[:4]) + (" …" if len(changed) > 4 else "")
    return out, [
        f"{len(changed)} column name(s) were written in quotes ({shown}): the "
        "quotes are not part of the names"
    ]


def _header(stream: OnePassStream, fmt: CSVFormat, name: str) -> _Header:
    """The column names, from the first record after the skipped lines, however
    long it is, quoted newlines included; the bytes stay for the parser."""
    n = 1 << 16
    while True:
        head = stream.peek(n)
        whole = len(head) < n
        text = head.decode(fmt.encoding, errors="replace")
        f = io.StringIO(text, newline="")
        skipped = [f.readline() for _ in range(fmt.skip)]
        try:
            rows = records(f, fmt.delimiter)
            first = next((r for r in rows if any(c.strip() for c in r)), [])
        except csv.Error as e:
            raise CSVError(f"{name}: the header row cannot be read: {e}") from None
        if whole or f.tell() < len(text):  # the record ended before the window
            break
        n *= 4
    if fmt.header:
        names, notes = _unquoted([c.strip() for c in first])
        return _Header(names, notes)
    if fmt.counts:
        above = next((ln for ln in reversed(skipped) if ln.strip()), "")
        cells = next(records([above], fmt.delimiter), [])
        counted = count_line(cells, len(first))
        if counted is not None:
            xs = [f"x{i + 1}" for i in range(counted.n_features)]
            return _Header([*xs, "target"], [], counted)
        return _Header(
            [f"column_{i + 1}" for i in range(len(first))],
            [
                f"line {fmt.skip} is not a line of counts (rows, features and class "
                f"names for rows of {len(first)} fields): columns are called "
                "column_1 …"
            ],
        )
    return _Header([f"column_{i + 1}" for i in range(len(first))], [])


def _shown(lines: list[int]) -> str:
    return ", ".join(f"{n:,}" for n in lines[:6]) + (" …" if len(lines) > 6 else "")


class _File:
    """The opened file and its one-pass stream, with the file's name for messages.
    :meth:`read_as` makes the stream give the text of a UTF-16 file as UTF-8."""

    def __init__(self, path: Path):
        self.path = path
        try:
            self.f = open_binary(path)  # closed by __exit__
        except OSError as e:
            raise open_error(path, e) from None
        self.stream = OnePassStream(self.f)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, *exc):
        try:
            self.stream.close()  # (its thread ends, if the read did not)
        except Exception:
            if exc_type is None:
                raise
        finally:
            self.f.close()

    def size(self) -> int:
        return max(os.fstat(self.f.fileno()).st_size, 1)

    def sniff(self) -> tuple[CSVFormat, list[str]]:
        head, complete = read_head(_Peeker(self.stream))
        return sniff_bytes(head, complete, self.path.name)

    def read_as(self, fmt: CSVFormat) -> CSVFormat:
        """Prepare the stream for ``fmt``; the format as the stream now gives it (a
        UTF-16 file turned into UTF-8 as it is read)."""
        if not fmt.encoding.lower().replace("_", "-").startswith("utf-16"):
            return fmt
        try:
            self.stream.transcode(fmt.encoding)
        except LookupError:
            raise CSVError(
                f"{self.path.name}: unknown encoding {fmt.encoding!r}"
            ) from None
        return dataclasses.replace(fmt, encoding="utf-8")


class _Peeker:
    """``read(n)`` that looks ahead in the stream without using up the bytes."""

    def __init__(self, stream: OnePassStream):
        self.stream, self.pos = stream, 0

    def read(self, n: int) -> bytes:
        head = self.stream.peek(self.pos + n)[self.pos :]
        self.pos += len(head)
        return head


def load_table(
    path,
    fmt: CSVFormat | None = None,
    *,
    skip_bad_lines=False,
    progress=None,
    cancel=None,
) -> Table:
    """Read and classify ``path``, opening it once. ``fmt`` defaults to the sniffed
    guess. ``progress(fraction, message)`` is called and ``cancel()`` checked for
    every 1% of the file read, 1 MB at least (:class:`CSVCancelled` if it returns
    True)."""
    path = Path(path)
    name = path.name
    with _File(path) as file:
        notes: list[str] = []
        if fmt is None:
            fmt, notes = file.sniff()
        sfmt = file.read_as(fmt)
        header = _header(file.stream, sfmt, name)
        if not header.names:
            raise CSVError(f"{name}: no columns found")
        names, renamed = unique_names(header.names)
        size = file.size()
        if parallel_ok(
            sfmt, size, skip_bad_lines=skip_bad_lines, transcoded=sfmt is not fmt
        ):
            frame, found, digest = read_parallel(
                path, file.f, sfmt, names, progress, cancel
            )
            malformed = []
        else:
            frame, malformed, found, digest = _read_stream(
                file, fmt, sfmt, names, skip_bad_lines, progress, cancel
            )
        if progress is not None:
            progress(1.0, f"{len(frame):,} rows read")
    if found.bad_line is not None:
        notes.append(
            f"bytes that are not valid UTF-8 (the first at line {found.bad_line:,}) "
            "were read as '\ufffd'"
        )
    if file.stream.bad_line is not None:
        notes.append(
            f"bytes that are not valid {fmt.encoding.upper()} (the first at line "
            f"{file.stream.bad_line:,}) were read as '\ufffd'"
        )
    notes += header.notes + renamed + malformed
    if found.short_rows:
        rows, lines = found.short_rows, found.short_lines
        if skip_bad_lines and found.rows_counted == len(frame):  # pandas' rows
            frame = frame.drop(index=frame.index[rows]).reset_index(drop=True)
            notes.append(
                f"skipped {len(rows)} row(s) with fewer fields than the header "
                f"(line {_shown(lines)})"
            )
        else:
            notes.append(
                f"{len(rows)} row(s) have fewer fields than the header (line "
                f"{_shown(lines)}): their missing cells count as missing values"
            )
    if len(frame) == 0:
        raise CSVError(f"{name}: has a header row but no data rows")
    n = len(frame)
    target = None
    if header.counts is not None:
        target = names[-1]
        notes += _counted(frame, header.counts)
    columns = []
    for k, col in enumerate(frame.columns):
        columns.append(classify(str(col), frame.iloc[:, k], fmt, n))
        if cancel is not None and k % 200 == 0 and cancel():
            raise CSVCancelled()
    return Table(path, fmt, columns, n, notes, digest, skip_bad_lines, target)


def _read_stream(file, fmt, sfmt, names, skip_bad_lines, progress, cancel):
    """pandas over the file's :class:`OnePassStream`, which hashes the bytes and
    shows them to the watchers as the parser reads them. Returns ``(frame,
    malformed-row notes, found, digest)``."""
    stamp = file_stamp(os.fstat(file.f.fileno()))
    utf8 = Utf8Check() if sfmt is fmt and fmt.encoding.startswith("utf-8") else None
    if utf8 is not None:
        file.stream.watch(utf8)
    # pandas refuses a row with too many fields unless they are skipped
    fields = FieldCount(sfmt, skip_bad_lines, by_totals=True)
    fields.set_fields(len(names))
    file.stream.watch(fields)
    size = file.size()

    def tick():
        if progress is not None:
            done = min(file.stream.bytes_read / size, 1.0)
            if fields.enabled:
                progress(done, f"{fields.rows_counted:,} rows read")
            else:
                progress(done, f"{file.stream.bytes_read / 2**20:,.0f} MB read")
        if cancel is not None and cancel():
            raise CSVCancelled()

    frame, malformed = parse_frame(
        file.path,
        sfmt,
        names,
        stream=file.stream,
        size=size,
        skip_bad_lines=skip_bad_lines,
        tick=tick if progress is not None or cancel is not None else None,
    )
    digest = FileDigest(file.path, stamp, known=file.stream.finish())
    found = Found()
    found.short_rows, found.short_lines = fields.short_rows, fields.short_lines
    found.rows_counted = fields.rows_counted
    found.bad_line = utf8.bad_line if utf8 is not None else None
    return frame, malformed, found, digest


def _counted(frame, counts: CountLine) -> list[str]:
    """Under a line of counts: the class names put in place of the target's codes
    0, 1, … (in ``frame``), and notes on it and on the rows counted."""
    import pandas as pd

    notes = []
    if counts.n_rows != len(frame):
        notes.append(
            f"the line of counts announces {counts.n_rows:,} rows; "
            f"{len(frame):,} were read"
        )
    if not counts.classes:
        return notes
    k = len(counts.classes)
    codes = pd.to_numeric(frame.iloc[:, -1], errors="coerce").to_numpy(
        dtype=np.float64, na_value=np.nan
    )
    present = np.isfinite(codes)
    valid = (codes[present] == np.round(codes[present])) & (codes[present] >= 0)
    valid &= codes[present] < k
    if not valid.all() or not present.any():
        notes.append(
            f"the line of counts names {k} classes, but the last column does not "
            f"hold their codes 0 … {k - 1}: it is kept as it is"
        )
        return notes
    labels = np.full(len(codes), None, dtype=object)
    labels[present] = np.asarray(counts.classes, dtype=object)[
        codes[present].astype(int)
    ]
    frame[frame.columns[-1]] = labels
    pairs = ", ".join(f"{i} = {c}" for i, c in enumerate(counts.classes[:6]))
    notes.append(
        f"target: the codes are the classes the line of counts names ({pairs}"
        + (" …" if k > 6 else "")
        + ")"
    )
    return notes


def preview(path, fmt: CSVFormat, nrows: int = 100):
    """The first ``nrows`` rows as the text of their cells, split into columns as
    the file will be read (malformed rows left out)."""
    path = Path(path)
    with _File(path) as file:
        sfmt = file.read_as(fmt)
        names, _ = unique_names(_header(file.stream, sfmt, path.name).names)
        if not names:
            raise CSVError(f"{path.name}: no columns found")
        frame, _ = parse_frame(
            path,
            sfmt,
            names,
            stream=file.stream,
            nrows=nrows,
            skip_bad_lines=True,
            as_text=True,
        )
    return frame
