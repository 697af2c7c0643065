"""Reading: a CSV file, opened and read once, into a :class:`Table` of columns.

:func:`load_table` opens the file, sniffs its format from the first bytes (unless one
is given), reads the header row from them, and lets pandas parse the rest in chunks
(with progress and cancel) through a :class:`~engine.csv.scan.OnePassStream`, which
computes the SHA-256, finds bytes that are not UTF-8 and rows with fewer fields than
the header from the same bytes as they go by. Then every column is classified (see
:mod:`engine.csv.columns`). :func:`preview` reads the first rows as text, split into
columns as the whole file will be.
"""

from __future__ import annotations

import csv
import io
import os
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from .columns import ColumnInfo, classify
from .errors import CSVCancelled, CSVError
from .scan import FieldCount, OnePassStream, Utf8Check
from .sniff import CSVFormat, open_error, read_head, sniff_bytes

__all__ = ["Table", "file_sha256", "load_table", "preview", "unique_names"]


@dataclass
class Table:
    """A parsed file: its format, columns and notes (renamed duplicates, skipped rows,
    encoding)."""

    path: Path
    fmt: CSVFormat
    columns: list[ColumnInfo]
    n_rows: int
    notes: list[str] = field(default_factory=list)
    sha256: str = ""  # of the file's bytes, so a saved session can tell if it changed
    skip_bad_lines: bool = False

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


def _header(stream: OnePassStream, fmt: CSVFormat, name: str) -> list[str]:
    """The column names (raw), from the first record after the skipped lines, however
    long it is, quoted newlines included; the bytes stay for the parser."""
    n = 1 << 16
    while True:
        head = stream.peek(n)
        whole = len(head) < n
        text = head.decode(fmt.encoding, errors="replace")
        f = io.StringIO(text, newline="")
        for _ in range(fmt.skip):
            f.readline()
        try:
            rows = csv.reader(f, delimiter=fmt.delimiter)
            first = next((r for r in rows if any(c.strip() for c in r)), [])
        except csv.Error as e:
            raise CSVError(f"{name}: the header row cannot be read: {e}") from None
        if whole or f.tell() < len(text):  # the record ended before the window
            break
        n *= 4
    if fmt.header:
        return [c.strip() for c in first]
    return [f"column_{i + 1}" for i in range(len(first))]


def _parser_message(name: str, e: Exception) -> str:
    msg = str(e).strip().splitlines()[-1] if str(e).strip() else type(e).__name__
    msg = msg.replace("Error tokenizing data. C error: ", "")
    m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", msg)
    if m:
        return (
            f"{name}: line {m.group(2)} has {m.group(3)} fields where the header has "
            f"{m.group(1)}: a ragged row. Fix the file or skip malformed rows"
        )
    return f"{name}: not a regular table: {msg}"


def _shown(lines: list[int]) -> str:
    return ", ".join(f"{n:,}" for n in lines[:6]) + (" …" if len(lines) > 6 else "")


def _parse(
    path, stream, size, fmt, names, *, nrows, skip_bad_lines, as_text, progress, cancel
):
    """pandas over ``stream`` of ``path``: ``(frame, malformed-row notes)``."""
    import pandas as pd  # here, not at the top: the window starts faster without it

    name = path.name
    kw = dict(
        sep=fmt.delimiter,
        decimal=fmt.decimal,
        encoding=fmt.encoding,
        header=0 if fmt.header else None,
        names=names,
        skiprows=fmt.skip,
        skip_blank_lines=True,
        index_col=False,
        # a stray byte in a UTF-8 file becomes '\ufffd' (Utf8Check says where);
        # any other encoding that does not fit is refused
        encoding_errors="replace" if fmt.encoding.startswith("utf-8") else "strict",
        on_bad_lines="warn" if skip_bad_lines else "error",
    )
    if as_text:
        kw.update(dtype=str, keep_default_na=False)
    chunks = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", pd.errors.ParserWarning)
        try:
            f = io.BufferedReader(stream, 1 << 20)
            if nrows:
                chunks.append(pd.read_csv(f, **kw, nrows=nrows))
            else:
                with pd.read_csv(f, **kw, chunksize=200_000) as reader:
                    for chunk in reader:
                        chunks.append(chunk)
                        if progress is not None:
                            progress(
                                min(stream.bytes_read / size, 1.0),
                                f"{sum(len(c) for c in chunks):,} rows read",
                            )
                        if cancel is not None and cancel():
                            raise CSVCancelled()
        except UnicodeDecodeError:
            raise CSVError(
                f"{name}: not readable as {fmt.encoding}; choose another encoding"
            ) from None
        except pd.errors.EmptyDataError:
            raise CSVError(f"{name}: the file has no data") from None
        except pd.errors.ParserError as e:
            raise CSVError(_parser_message(name, e)) from None
        except OSError as e:
            raise open_error(path, e) from None
        except (ValueError, LookupError, csv.Error, OverflowError) as e:
            raise CSVError(f"{name}: cannot be read as CSV: {e}") from None
    notes = []
    bad = [
        str(w.message)
        for w in caught
        if issubclass(w.category, pd.errors.ParserWarning)
    ]
    lines = re.findall(r"Skipping line (\d+)", " ".join(bad))
    if lines:
        shown = ", ".join(lines[:6]) + (" …" if len(lines) > 6 else "")
        notes.append(
            f"skipped {len(lines)} malformed row(s) with the wrong number of "
            f"fields (line {shown})"
        )
    if len(chunks) == 1:
        return chunks[0], notes
    if not chunks:
        return pd.DataFrame(columns=names), notes
    return pd.concat(chunks, ignore_index=True), notes


class _File:
    """The opened file and its one-pass stream, with the file's name for messages."""

    def __init__(self, path: Path):
        self.path = path
        try:
            self.f = open(path, "rb")  # noqa: SIM115 (closed by __exit__)
        except OSError as e:
            raise open_error(path, e) from None
        self.stream = OnePassStream(self.f)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.f.close()

    def size(self) -> int:
        return max(os.fstat(self.f.fileno()).st_size, 1)

    def sniff(self) -> tuple[CSVFormat, list[str]]:
        head, complete = read_head(_Peeker(self.stream))
        return sniff_bytes(head, complete, self.path.name)


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
    guess. ``progress(fraction, message)`` is called and ``cancel()`` checked between
    chunks (:class:`CSVCancelled` if it returns True)."""
    path = Path(path)
    name = path.name
    with _File(path) as file:
        notes: list[str] = []
        if fmt is None:
            fmt, notes = file.sniff()
        raw_names = _header(file.stream, fmt, name)
        if not raw_names:
            raise CSVError(f"{name}: no columns found")
        names, renamed = unique_names(raw_names)
        utf8 = Utf8Check() if fmt.encoding.startswith("utf-8") else None
        if utf8 is not None:
            file.stream.watch(utf8)
        fields = FieldCount(fmt, skip_bad_lines)
        fields.set_fields(len(names))
        file.stream.watch(fields)
        frame, malformed = _parse(
            path,
            file.stream,
            file.size(),
            fmt,
            names,
            nrows=None,
            skip_bad_lines=skip_bad_lines,
            as_text=False,
            progress=progress,
            cancel=cancel,
        )
        digest = file.stream.finish()
    if utf8 is not None and utf8.bad_line is not None:
        notes.append(
            f"bytes that are not valid UTF-8 (the first at line {utf8.bad_line:,}) "
            "were read as '\ufffd'"
        )
    notes += renamed + malformed
    if fields.short_rows:
        rows, lines = fields.short_rows, fields.short_lines
        if skip_bad_lines and fields.rows_counted == len(frame):  # pandas' rows
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
    columns = []
    for k, col in enumerate(frame.columns):
        columns.append(classify(str(col), frame.iloc[:, k], fmt, n))
        if cancel is not None and k % 200 == 0 and cancel():
            raise CSVCancelled()
    return Table(path, fmt, columns, n, notes, digest, skip_bad_lines)


def preview(path, fmt: CSVFormat, nrows: int = 100):
    """The first ``nrows`` rows as the text of their cells, split into columns as
    the file will be read (malformed rows left out)."""
    path = Path(path)
    with _File(path) as file:
        names, _ = unique_names(_header(file.stream, fmt, path.name))
        if not names:
            raise CSVError(f"{path.name}: no columns found")
        frame, _ = _parse(
            path,
            file.stream,
            file.size(),
            fmt,
            names,
            nrows=nrows,
            skip_bad_lines=True,
            as_text=True,
            progress=None,
            cancel=None,
        )
    return frame


def file_sha256(path) -> str:
    """SHA-256 of a file's bytes, read in 1 MB blocks (a saved session checks its
    CSV file with it before reading the file again)."""
    import hashlib

    path = Path(path)
    h = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            while block := f.read(1 << 20):
                h.update(block)
    except OSError as e:
        raise open_error(path, e) from None
    return h.hexdigest()
