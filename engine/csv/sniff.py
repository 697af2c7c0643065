"""Sniffing: the layout of a CSV file guessed from its beginning.

:func:`sniff_bytes` guesses, from the first 64 KB (8 MB when those hold fewer than 20
lines: very wide tables), the encoding (UTF-8 with or without BOM, else Windows-1252 or
Latin-1), the delimiter (comma, semicolon, tab, '|'), the decimal mark ('.' or ','),
whether the first table line is a header, and how many lines come before it (titles,
comments, blank lines). :func:`sniff` does the same for a path. The result is a
:class:`CSVFormat`, which the user may override before the file is read.
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import CSVError

__all__ = [
    "DELIMITER_NAMES",
    "ENCODING_NAMES",
    "SNIFF_BYTES",
    "SNIFF_LONG_BYTES",
    "CSVFormat",
    "open_error",
    "read_head",
    "sniff",
    "sniff_bytes",
]

SNIFF_BYTES = 64 * 1024
#: Read this far when the first 64 KB hold fewer than 20 lines (very wide tables).
SNIFF_LONG_BYTES = 8 * 1024 * 1024
DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}
#: The encodings the sniffer chooses from, by the names users know them by.
ENCODING_NAMES = {
    "utf-8-sig": "UTF-8 with BOM",
    "utf-8": "UTF-8",
    "latin-1": "Latin-1",
    "cp1252": "Windows-1252",
}


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
        enc = ENCODING_NAMES.get(self.encoding, self.encoding)
        head = "header row" if self.header else "no header row"
        skip = f", {self.skip} line(s) skipped before it" if self.skip else ""
        return (
            f"{DELIMITER_NAMES.get(self.delimiter, repr(self.delimiter))}-separated, "
            f"decimal mark '{self.decimal}', {enc}, {head}{skip}"
        )


def open_error(path: Path, e: OSError) -> CSVError:
    """The message for a file that cannot be opened or read."""
    name = path.name
    if isinstance(e, FileNotFoundError):
        return CSVError(f"{name}: the file does not exist (any more): {path}")
    if isinstance(e, IsADirectoryError):
        return CSVError(f"{name}: is a folder, not a CSV file")
    if isinstance(e, PermissionError):
        return CSVError(f"{name}: no permission to read it")
    return CSVError(f"{name}: cannot be read: {e.strerror or e}")


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


def sniff_bytes(head: bytes, complete: bool, name: str) -> tuple[CSVFormat, list[str]]:
    """Guess the format from the first bytes of a file named ``name``; ``complete``
    says whether ``head`` is the whole file. Returns ``(format, notes)``."""
    if not head.strip():
        raise CSVError(f"{name}: the file is empty")
    if b"\x00" in head:
        raise CSVError(f"{name}: this is a binary file, not CSV text")
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


def read_head(f) -> tuple[bytes, bool]:
    """The sniffing window of the binary file ``f``, read from its start: 64 KB, or
    8 MB when 64 KB hold fewer than 20 lines (a very wide table); and whether that is
    the whole file."""
    limit = SNIFF_BYTES
    head = f.read(limit)
    if len(head) >= limit and head.count(b"\n") < 20:
        limit = SNIFF_LONG_BYTES
        head += f.read(limit - len(head))
    return head, len(head) < limit


def sniff(path: str | os.PathLike) -> tuple[CSVFormat, list[str]]:
    """Guess the format of ``path`` from its beginning; returns ``(format, notes)``."""
    path = Path(path)
    try:
        with open(path, "rb") as f:
            head, complete = read_head(f)
    except OSError as e:
        raise open_error(path, e) from None
    return sniff_bytes(head, complete, path.name)
