"""The CSV files the app writes: text cells safe for spreadsheets, atomic writes.

A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return may be
taken for a formula by a spreadsheet that opens the file (CSV injection). Text cells,
such as feature names taken from a user's CSV header, are therefore written with a
single quote in front (OWASP's rule); numbers are written as they are, with ``repr``,
so they read back bit for bit.

A file is written to a temporary file in the same folder and renamed over the target,
so a failed write leaves an older file intact; the error names the user's file.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from .atomic import write_text

__all__ = ["FORMULA_STARTS", "safe_cell", "write_csv"]

#: First characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """``text`` with a single quote in front if it begins like a formula."""
    text = str(text)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write_csv(path, rows: Iterable[Iterable]) -> None:
    """Write ``rows`` (cells already as text) to ``path`` atomically; OSError naming
    ``path`` if it cannot be written."""
    # Lines end in "\n", but a cell holding "\r" must be quoted too, or a reader
    # splits the row there: Python's csv quotes only the characters of the line
    # terminator, so each row is written with "\r\n" and that ending replaced.
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    lines = []
    for row in rows:
        buf.seek(0)
        buf.truncate()
        writer.writerow(row)
        lines.append(buf.getvalue()[:-2])
    write_text(path, "".join(line + "\n" for line in lines))
