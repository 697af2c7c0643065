"""Sniffing: the layout of a CSV file guessed from its beginning.

:func:`sniff_bytes` guesses, from the first 64 KB (8 MB when those hold fewer than 20
lines: very wide tables), the encoding (UTF-8 with or without BOM, UTF-16 with or
without BOM, else Windows-1252 or Latin-1), the delimiter (comma, semicolon, tab, '|',
or runs of whitespace), the decimal mark ('.' or ','), whether the first table line is
a header, and how many lines come before it (titles, comments, blank lines). A first
line of counts above headerless data, ``150,4,setosa,versicolor,virginica`` (the
number of rows, of features, then the class names: scikit-learn's own data files), is
recognized as such (:class:`CountLine`), not taken for a header. :func:`sniff` does the
same for a path. The result is a :class:`CSVFormat`, which the user may override
before the file is read.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import CSVError

__all__ = [
    "DELIMITER_NAMES",
    "ENCODING_NAMES",
    "SNIFF_BYTES",
    "SNIFF_LONG_BYTES",
    "WHITESPACE",
    "CSVFormat",
    "CountLine",
    "count_line",
    "open_binary",
    "open_error",
    "read_head",
    "records",
    "sniff",
    "sniff_bytes",
]

SNIFF_BYTES = 64 * 1024
#: Read this far when the first 64 KB hold fewer than 20 lines (very wide tables).
SNIFF_LONG_BYTES = 8 * 1024 * 1024
#: The delimiter "one or more spaces or tabs" (the columns of a text table aligned
#: with blanks); the same pattern is pandas' ``sep``.
WHITESPACE = r"\s+"
DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {
    ",": "comma",
    ";": "semicolon",
    "\t": "tab",
    "|": "vertical bar",
    WHITESPACE: "whitespace",
}
#: The encodings the sniffer chooses from, by the names users know them by.
ENCODING_NAMES = {
    "utf-8-sig": "UTF-8 with BOM",
    "utf-8": "UTF-8",
    "latin-1": "Latin-1",
    "cp1252": "Windows-1252",
    "utf-16": "UTF-16 with BOM",
    "utf-16-le": "UTF-16 LE (no BOM)",
    "utf-16-be": "UTF-16 BE (no BOM)",
}


@dataclass(frozen=True)
class CSVFormat:
    """How a file is laid out. ``skip`` lines come before the header (or the data).

    ``counts``: the last of the skipped lines is a :class:`CountLine` (rows, features,
    class names) above data without a header; the columns are then called
    ``x1 … xd`` and ``target``, and the class names replace the target's codes.
    """

    delimiter: str = ","
    decimal: str = "."
    encoding: str = "utf-8"
    header: bool = True
    skip: int = 0
    counts: bool = False

    @property
    def thousands(self) -> str:
        """The thousands separator that goes with the decimal mark."""
        return "," if self.decimal == "." else "."

    def describe(self) -> str:
        enc = ENCODING_NAMES.get(self.encoding, self.encoding)
        head = "header row" if self.header else "no header row"
        skip = f", {self.skip} line(s) skipped before it" if self.skip else ""
        if self.counts:
            head = "a first line of counts and class names, no header row"
            skip = ""
        return (
            f"{DELIMITER_NAMES.get(self.delimiter, repr(self.delimiter))}-separated, "
            f"decimal mark '{self.decimal}', {enc}, {head}{skip}"
        )


def open_binary(path: Path):
    """``open(path, "rb")`` for a regular file only: a pipe, a device such as
    /dev/zero or a socket is refused before it is opened (opening a FIFO waits for
    a writer; a device never ends). OSError and CSVError as :func:`open_error` says."""
    import stat

    mode = os.stat(path).st_mode
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(21, "is a folder", str(path))
    if not stat.S_ISREG(mode):
        raise CSVError(
            f"{path.name}: is not a regular file (a pipe, device or socket); "
            "save the data to a file and open that"
        )
    return open(path, "rb")  # noqa: SIM115 (the caller closes it)


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


def _utf16_without_bom(raw: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when the bytes look like mostly-ASCII UTF-16 (every
    other byte zero) and decode as it, else None."""
    sample = raw[:4096]
    sample = sample[: len(sample) // 2 * 2]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    zeros_even, zeros_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    if zeros_odd > 0.3 and zeros_even < 0.05:
        encoding = "utf-16-le"
    elif zeros_even > 0.3 and zeros_odd < 0.05:
        encoding = "utf-16-be"
    else:
        return None
    try:
        sample.decode(encoding)
    except UnicodeDecodeError as e:
        if e.start < len(sample) - 4:  # not just a character cut by the window
            return None
    return encoding


def _encoding_of(raw: bytes, complete: bool) -> tuple[str, list[str]]:
    if raw.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig", []
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16", ["read as UTF-16 (it starts with a byte-order mark)"]
    utf16 = _utf16_without_bom(raw)
    if utf16 is not None:
        return utf16, [f"read as {ENCODING_NAMES[utf16]}"]
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


def _squeezed(line: str) -> str:
    body = line.rstrip("\r\n")
    return body.replace("\t", " ").strip(" ") + line[len(body) :]


def records(lines: Iterable[str], delimiter: str) -> Iterator[list[str]]:
    """The records of ``lines`` (text lines, newlines kept or not) split at
    ``delimiter`` as the parser will split them: a csv reader, which for
    :data:`WHITESPACE` treats each run of spaces and tabs as one delimiter and
    ignores blanks at the start and end of a line."""
    if delimiter == WHITESPACE:
        return csv.reader(
            (_squeezed(ln) for ln in lines), delimiter=" ", skipinitialspace=True
        )
    return csv.reader(lines, delimiter=delimiter)


def _field_counts(lines: list[str], delim: str) -> list[int]:
    try:
        return [len(r) for r in records(lines, delim)]
    except csv.Error:
        return []


def _delimiter_of(lines: list[str]) -> str:
    """The delimiter that splits most lines into the same number (> 1) of fields;
    whitespace only when it does so better than every single character (a
    tab-separated or ', '-separated file splits as well at its blanks)."""
    best, best_score = ",", -1.0
    for delim in (*DELIMITERS, WHITESPACE):
        counts = _field_counts(lines, delim)
        if not counts:
            continue
        mode = max(set(counts), key=counts.count)
        if mode < 2:
            continue
        score = counts.count(mode) / len(counts) + mode * 1e-4
        margin = 1e-3 if delim == WHITESPACE else 0.0
        if score > best_score + margin:
            best, best_score = delim, score
    return best


_NUM_COMMA = re.compile(r"^-?\d+,\d+$")
_NUM_POINT = re.compile(r"^-?\d+\.\d+$")


def _decimal_of(lines: list[str], delim: str) -> str:
    """',' when the delimiter is not ',' and numbers like 3,14 outnumber 3.14."""
    if delim == ",":
        return "."
    commas = points = 0
    for row in records(lines[1:], delim):
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


@dataclass(frozen=True)
class CountLine:
    """A first line of counts above headerless data, as scikit-learn writes its own
    data files (``iris.csv``: ``150,4,setosa,versicolor,virginica``): the number of
    data rows, of features, then the names of the classes coded 0, 1, … in the last
    column (none for a numeric target)."""

    n_rows: int
    n_features: int
    classes: tuple[str, ...]

    def describe(self) -> str:
        classes = (
            f" and names {len(self.classes)} classes ({', '.join(self.classes)})"
            if self.classes
            else ""
        )
        return f"counts {self.n_rows:,} rows and {self.n_features} features{classes}"


_WHOLE = re.compile(r"^\d+$")


def count_line(cells: list[str], n_fields: int) -> CountLine | None:
    """The :class:`CountLine` the record ``cells`` is, above rows of ``n_fields``
    fields (the features and the target), or None: two whole numbers n ≥ 1 and
    d = n_fields − 1, then words that are not numbers."""
    cells = [c.strip() for c in cells]
    while cells and not cells[-1]:
        cells.pop()
    if len(cells) < 2 or not all(_WHOLE.match(c) for c in cells[:2]):
        return None
    n, d = int(cells[0]), int(cells[1])
    names = tuple(cells[2:])
    if n < 1 or d < 1 or d != n_fields - 1:
        return None
    if any(not c or _is_number(c, ".") for c in names) or len(set(names)) < len(names):
        return None
    return CountLine(n, d, names)


def _header_of(
    raw_lines: list[str], delim: str, decimal: str
) -> tuple[bool, int, CountLine | None]:
    """Whether there is a header row, how many raw lines to skip before it (blank
    lines, comment lines starting with '#', and lines with fewer fields than the
    table has), and the count line among the skipped lines if there is one."""
    lines = [ln for ln in raw_lines if ln.strip()]
    counts = _field_counts(lines, delim)
    if not counts:
        return True, 0, None
    mode = max(set(counts), key=counts.count)
    full = [r for r in records(lines, delim) if len(r) == mode]
    trailing = bool(full) and sum(not r[-1].strip() for r in full) >= 0.9 * len(full)
    # walk records, not lines, so that a quoted newline in the header is no problem
    reader = records(io.StringIO("\n".join(raw_lines)), delim)
    skip, seen, first, second, last_skipped = 0, 0, [], [], None
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
                last_skipped = (rec, skip)
                continue
            first = rec
            second = next((r for r in reader if any(c.strip() for c in r)), [])
            break
    except csv.Error:
        return True, 0, None
    cells = [c for c in first if c.strip()]
    data_first = bool(cells) and all(_is_number(c, decimal) for c in cells)
    if data_first and last_skipped is not None and last_skipped[1] == skip:
        # the line just above headerless data: maybe a line of counts
        counted = count_line(last_skipped[0], len(first))
        if counted is not None:
            return False, skip, counted
    numbers = [c for c in second if c.strip()]
    if not data_first and numbers and all(_is_number(c, decimal) for c in numbers):
        counted = count_line(first, len(second))
        if counted is not None:  # counts above rows as wide: not the header
            return False, skip + 1, counted
    return not data_first, skip, None


def sniff_bytes(head: bytes, complete: bool, name: str) -> tuple[CSVFormat, list[str]]:
    """Guess the format from the first bytes of a file named ``name``; ``complete``
    says whether ``head`` is the whole file. Returns ``(format, notes)``."""
    if not head.strip():
        raise CSVError(f"{name}: the file is empty")
    encoding, notes = _encoding_of(head, complete)
    if encoding.startswith("utf-16"):
        head = head[: len(head) // 2 * 2]
        if not head.decode(encoding, errors="replace").strip("\ufeff \t\r\n"):
            raise CSVError(f"{name}: the file is empty")
    elif b"\x00" in head:
        raise CSVError(f"{name}: this is a binary file, not CSV text")
    text = head.decode(encoding, errors="replace")
    lines = _lines(text)
    delim = _delimiter_of(lines)
    decimal = _decimal_of(lines, delim)
    header, skip, counted = _header_of(text.splitlines()[:60], delim, decimal)
    if counted is not None:
        notes.append(
            f"the line above the data {counted.describe()} (scikit-learn's layout): "
            "it is not a header; the columns are called "
            f"x1 … x{counted.n_features} and target"
        )
        if skip > 1:
            notes.append(f"skipped {skip - 1} blank or comment line(s) before it")
    elif skip:
        notes.append(
            f"skipped the first {skip} line(s): blank, comment ('#') or title lines "
            "before the table"
        )
    return CSVFormat(delim, decimal, encoding, header, skip, counted is not None), notes


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
        with open_binary(path) as f:
            head, complete = read_head(f)
    except OSError as e:
        raise open_error(path, e) from None
    return sniff_bytes(head, complete, path.name)
