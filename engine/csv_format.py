"""Reading CSV text: detecting its format and parsing it, with progress and cancel.

:func:`sniff` guesses the format from the first 64 KB: encoding (UTF-8 with or without
BOM, else Latin-1), delimiter (comma, semicolon, tab, '|'), decimal mark ('.' or ','),
and whether the first non-comment line is a header. :func:`load_table` parses the whole
file in chunks (so a GUI can show progress and cancel) into a :class:`Table` of columns
with their detected kinds (see :mod:`engine.csv_import`). Everything that goes wrong is
a :class:`CSVError` naming the file and, when there is one, the line.
"""

from __future__ import annotations

import csv
import io
import os
import re
import warnings
from dataclasses import dataclass, replace
from pathlib import Path

from .data import DataError

__all__ = ["CSVCancelled", "CSVError", "CSVFormat", "preview", "read_header", "sniff"]

SNIFF_BYTES = 64 * 1024
#: Read this far when the first 64 KB hold fewer than 20 lines (very wide tables).
SNIFF_LONG_BYTES = 8 * 1024 * 1024
DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}
ENCODINGS = ("utf-8-sig", "utf-8", "latin-1", "cp1252")


class CSVError(DataError):
    """A CSV file that cannot be used; the message names the file and the reason."""


class CSVCancelled(Exception):
    """Reading was cancelled by the user."""


@dataclass(frozen=True)
class CSVFormat:
    """How a file is laid out. ``skip`` lines come before the header (or the data)."""

    delimiter: str = ","
    decimal: str = "."
    encoding: str = "utf-8"
    header: bool = True
    skip: int = 0

    @property
    def thousands(self) -> str:
        """The thousands separator that goes with the decimal mark."""
        return "," if self.decimal == "." else "."

    def describe(self) -> str:
        enc = {
            "utf-8-sig": "UTF-8 with BOM",
            "utf-8": "UTF-8",
            "latin-1": "Latin-1",
            "cp1252": "Windows-1252",
        }.get(self.encoding, self.encoding)
        head = "header row" if self.header else "no header row"
        skip = f", {self.skip} line(s) skipped before it" if self.skip else ""
        return (
            f"{DELIMITER_NAMES.get(self.delimiter, repr(self.delimiter))}-separated, "
            f"decimal mark '{self.decimal}', {enc}, {head}{skip}"
        )


def _open_bytes(path: Path, n: int | None = None) -> bytes:
    name = path.name
    try:
        with open(path, "rb") as f:
            return f.read() if n is None else f.read(n)
    except FileNotFoundError:
        raise CSVError(f"{name}: the file does not exist (any more): {path}") from None
    except IsADirectoryError:
        raise CSVError(f"{name}: is a folder, not a CSV file") from None
    except PermissionError:
        raise CSVError(f"{name}: no permission to read it") from None
    except OSError as e:
        raise CSVError(f"{name}: cannot be read: {e.strerror or e}") from None


def _encoding_of(raw: bytes, complete: bool) -> tuple[str, list[str]]:
    if raw.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig", []
    try:
        raw.decode("utf-8")
        return "utf-8", []
    except UnicodeDecodeError as e:
        if not complete and e.start > len(raw) - 4:
            return "utf-8", []  # a character cut by the sniffing window
        line = raw.count(b"\n", 0, e.start) + 1
        # bytes 0x80-0x9F are control codes in Latin-1 but curly quotes, €, … in
        # Windows-1252 (which leaves five of them undefined)
        if re.search(rb"[\x80-\x9f]", raw) and not re.search(
            rb"[\x81\x8d\x8f\x90\x9d]", raw
        ):
            return "cp1252", [
                f"not valid UTF-8 (first at line {line}): read as Windows-1252"
            ]
        return "latin-1", [f"not valid UTF-8 (first at line {line}): read as Latin-1"]


def _lines(text: str) -> list[str]:
    return [ln for ln in text.splitlines() if ln.strip()][:60]


def _field_counts(lines: list[str], delim: str) -> list[int]:
    try:
        return [len(r) for r in csv.reader(lines, delimiter=delim)]
    except csv.Error:
        return []


def _delimiter_of(lines: list[str]) -> str:
    """The delimiter that splits most lines into the same number (> 1) of fields."""
    best, best_score = ",", -1.0
    for delim in DELIMITERS:
        counts = _field_counts(lines, delim)
        if not counts:
            continue
        mode = max(set(counts), key=counts.count)
        if mode < 2:
            continue
        score = counts.count(mode) / len(counts) + mode * 1e-4
        if score > best_score:
            best, best_score = delim, score
    return best


_NUM_COMMA = re.compile(r"^-?\d+,\d+$")
_NUM_POINT = re.compile(r"^-?\d+\.\d+$")


def _decimal_of(lines: list[str], delim: str) -> str:
    """',' when the delimiter is not ',' and numbers like 3,14 outnumber 3.14."""
    if delim == ",":
        return "."
    commas = points = 0
    for row in csv.reader(lines[1:], delimiter=delim):
        for cell in row:
            cell = cell.strip()
            commas += bool(_NUM_COMMA.match(cell))
            points += bool(_NUM_POINT.match(cell))
    return "," if commas > points else "."


def _is_number(cell: str, decimal: str) -> bool:
    cell = cell.strip().replace(decimal, ".") if decimal != "." else cell.strip()
    try:
        float(cell)
        return True
    except ValueError:
        return False


def _header_of(raw_lines: list[str], delim: str, decimal: str) -> tuple[bool, int]:
    """Whether there is a header row, and how many raw lines to skip before it
    (blank lines, comment lines starting with '#', and lines with fewer fields than
    the table has)."""
    lines = [ln for ln in raw_lines if ln.strip()]
    counts = _field_counts(lines, delim)
    if not counts:
        return True, 0
    mode = max(set(counts), key=counts.count)
    full = [r for r in csv.reader(lines, delimiter=delim) if len(r) == mode]
    trailing = bool(full) and sum(not r[-1].strip() for r in full) >= 0.9 * len(full)
    # walk records, not lines, so that a quoted newline in the header is no problem
    reader = csv.reader(io.StringIO("\n".join(raw_lines)), delimiter=delim)
    skip, seen, first = 0, 0, []
    try:
        for rec in reader:
            lines_used, seen = reader.line_num - seen, reader.line_num
            if not any(c.strip() for c in rec) or rec[0].lstrip().startswith("#"):
                skip += lines_used  # blank or a comment
                continue
            c = len(rec)
            # a title line has fewer fields than the table; a header just one short
            # of rows that all end in a delimiter is still the header
            header_of_trailing = c == mode - 1 and c > 1 and trailing
            if c < mode and not header_of_trailing and seen < len(raw_lines):
                skip += lines_used
                continue
            first = rec
            break
    except csv.Error:
        return True, 0
    cells = [c for c in first if c.strip()]
    header = not cells or not all(_is_number(c, decimal) for c in cells)
    return header, skip


def sniff(path: str | os.PathLike) -> tuple[CSVFormat, list[str]]:
    """Guess the format of ``path`` from its beginning; returns ``(format, notes)``."""
    path = Path(path)
    head = _open_bytes(path, SNIFF_BYTES)
    if not head.strip():
        raise CSVError(f"{path.name}: the file is empty")
    if b"\x00" in head:
        raise CSVError(f"{path.name}: this is a binary file, not CSV text")
    complete = len(head) < SNIFF_BYTES
    if not complete and head.count(b"\n") < 20:  # very long lines: read on
        head = _open_bytes(path, SNIFF_LONG_BYTES)
        complete = len(head) < SNIFF_LONG_BYTES
    encoding, notes = _encoding_of(head, complete)
    text = head.decode(encoding, errors="replace")
    lines = _lines(text)
    delim = _delimiter_of(lines)
    decimal = _decimal_of(lines, delim)
    header, skip = _header_of(text.splitlines()[:60], delim, decimal)
    if skip:
        notes.append(
            f"skipped the first {skip} line(s): blank, comment ('#') or title lines "
            "before the table"
        )
    return CSVFormat(delim, decimal, encoding, header, skip), notes


def read_header(path: str | os.PathLike, fmt: CSVFormat) -> list[str]:
    """The raw column names of the header row (or column_1, ... without one)."""
    path = Path(path)
    _open_bytes(path, 1)  # a clear message if it is missing or unreadable
    try:  # the whole first record, however long, quoted newlines included
        with open(path, encoding=fmt.encoding, errors="replace", newline="") as f:
            for _ in range(fmt.skip):
                f.readline()
            rows = csv.reader(f, delimiter=fmt.delimiter)
            first = next((r for r in rows if any(c.strip() for c in r)), [])
    except csv.Error as e:
        raise CSVError(f"{path.name}: the header row cannot be read: {e}") from None
    except OSError as e:
        raise CSVError(f"{path.name}: cannot be read: {e.strerror or e}") from None
    if fmt.header:
        return [c.strip() for c in first]
    return [f"column_{i + 1}" for i in range(len(first))]


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


def _read_kwargs(fmt: CSVFormat, names: list[str]) -> dict:
    return dict(
        sep=fmt.delimiter,
        decimal=fmt.decimal,
        encoding=fmt.encoding,
        header=0 if fmt.header else None,
        names=names,
        skiprows=fmt.skip,
        skip_blank_lines=True,
        index_col=False,
    )


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


def read_frame(
    path,
    fmt: CSVFormat,
    *,
    nrows=None,
    skip_bad_lines=False,
    progress=None,
    cancel=None,
    chunk_rows=200_000,
    as_text=False,
    encoding_errors="strict",
):
    """Parse ``path`` with ``fmt`` into a DataFrame; returns ``(frame, notes)``.

    Reads in chunks of ``chunk_rows`` rows, calling ``progress(fraction, message)`` and
    checking ``cancel()`` between them (raises :class:`CSVCancelled`). ``as_text``
    keeps every cell as the text in the file (empty cells as '').
    """
    import pandas as pd  # here, not at the top: the window starts faster without it

    path = Path(path)
    name = path.name
    raw_names = read_header(path, fmt)
    if not raw_names:
        raise CSVError(f"{name}: no columns found")
    names, notes = unique_names(raw_names)
    kw = _read_kwargs(fmt, names)
    kw["encoding_errors"] = encoding_errors
    if as_text:
        kw.update(dtype=str, keep_default_na=False)
    size = max(os.path.getsize(path), 1) if path.exists() else 1
    chunks = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", pd.errors.ParserWarning)
        try:
            with open(path, "rb") as f:
                reader = pd.read_csv(
                    f,
                    **kw,
                    nrows=nrows,
                    on_bad_lines="warn" if skip_bad_lines else "error",
                    chunksize=None if nrows else chunk_rows,
                )
                if nrows:
                    chunks.append(reader)
                else:
                    with reader:
                        for chunk in reader:
                            chunks.append(chunk)
                            if progress is not None:
                                progress(
                                    min(f.tell() / size, 1.0),
                                    f"{sum(len(c) for c in chunks):,} rows read",
                                )
                            if cancel is not None and cancel():
                                raise CSVCancelled()
        except FileNotFoundError:
            raise CSVError(
                f"{name}: the file does not exist (any more): {path}"
            ) from None
        except UnicodeDecodeError:
            offset = _first_bad_utf8(path) if fmt.encoding.startswith("utf-8") else None
            if offset is None or encoding_errors == "replace":
                raise CSVError(
                    f"{name}: not readable as {fmt.encoding}; choose another encoding"
                ) from None
            frame, more = read_frame(
                path,
                fmt,
                nrows=nrows,
                skip_bad_lines=skip_bad_lines,
                progress=progress,
                cancel=cancel,
                chunk_rows=chunk_rows,
                as_text=as_text,
                encoding_errors="replace",
            )
            note = (
                f"bytes that are not valid UTF-8 (the first at line "
                f"{_line_of(path, offset):,}) were read as '\ufffd'"
            )
            return frame, [note, *more]
        except pd.errors.EmptyDataError:
            raise CSVError(f"{name}: the file has no data") from None
        except pd.errors.ParserError as e:
            raise CSVError(_parser_message(name, e)) from None
        except (ValueError, OSError, csv.Error, OverflowError) as e:
            raise CSVError(f"{name}: cannot be read as CSV: {e}") from None
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
    frame = (
        pd.concat(chunks, ignore_index=True)
        if len(chunks) > 1
        else (chunks[0] if chunks else pd.DataFrame(columns=names))
    )
    if not as_text and len(names) > 1 and frame.iloc[:, -1].isna().any():
        # pandas fills short rows with missing values and says nothing; only rows
        # whose last cell is missing can be short, and only then is the file scanned
        if progress is not None:
            progress(1.0, "checking the rows that end with a missing value")
        try:
            rows, lines, counted = _short_rows(
                path, fmt, len(names), skip_bad_lines, cancel
            )
        except (csv.Error, OSError):  # pandas read it; its own reading stands
            rows, lines, counted = [], [], 0
        if rows:
            shown = ", ".join(f"{n:,}" for n in lines[:6])
            shown += " …" if len(lines) > 6 else ""
            if skip_bad_lines and counted == len(frame):  # the same rows as pandas
                frame = frame.drop(index=frame.index[rows]).reset_index(drop=True)
                notes.append(
                    f"skipped {len(rows)} row(s) with fewer fields than the header "
                    f"(line {shown})"
                )
            else:
                notes.append(
                    f"{len(rows)} row(s) have fewer fields than the header (line "
                    f"{shown}): their missing cells count as missing values"
                )
    return frame, notes


def _short_rows(
    path: Path, fmt: CSVFormat, n_fields: int, skip_bad_lines: bool, cancel=None
):
    """Data rows with fewer than ``n_fields`` fields: ``(row indices, line numbers,
    rows counted)``, counting rows as pandas does: empty and whitespace-only lines
    are not rows, nor (with ``skip_bad_lines``) the rows with too many fields."""
    rows, lines = [], []
    i = 0
    with open(path, encoding=fmt.encoding, errors="replace", newline="") as f:
        for _ in range(fmt.skip):
            f.readline()
        reader = csv.reader(f, delimiter=fmt.delimiter)
        if fmt.header:
            next((r for r in reader if any(c.strip() for c in r)), None)
        for row in reader:
            if not row or (len(row) == 1 and row[0] and not row[0].strip()):
                continue  # a blank line
            if skip_bad_lines and len(row) > n_fields:
                continue  # pandas skipped it
            if len(row) < n_fields:
                rows.append(i)
                lines.append(fmt.skip + reader.line_num)
            i += 1
            if cancel is not None and i % 100_000 == 0 and cancel():
                raise CSVCancelled()
    return rows, lines, i


def _first_bad_utf8(path: Path) -> int | None:
    """Byte offset of the first byte that is not valid UTF-8 (None if all are)."""
    import codecs

    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    with open(path, "rb") as f:
        while block := f.read(1 << 20):
            try:
                decoder.decode(block)
            except UnicodeDecodeError as e:
                return offset + max(e.start, 0)
            offset += len(block)
    return None


def _line_of(path: Path, offset: int) -> int:
    """The 1-based line number of byte ``offset``."""
    line, done = 1, 0
    with open(path, "rb") as f:
        while done < offset and (block := f.read(min(1 << 20, offset - done))):
            line += block.count(b"\n")
            done += len(block)
    return line


def preview(path, fmt: CSVFormat, nrows: int = 100):
    """The first ``nrows`` rows as the text of their cells, split into columns as
    the file will be read."""
    frame, _ = read_frame(path, fmt, nrows=nrows, skip_bad_lines=True, as_text=True)
    return frame


def with_format(fmt: CSVFormat, **changes) -> CSVFormat:
    return replace(fmt, **changes)
