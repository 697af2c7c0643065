"""A big file read by pandas on every core, and checked afterwards.

Since version 3.1, ``pandas.read_csv`` given a file's *path* splits a big file at
line ends and parses the pieces on several threads (its C parser lets go of the
GIL). Given a stream, as :class:`~engine.csv.scan.OnePassStream` is, it cannot: on
two cores the path is read about twice as fast. So a file of at least
:data:`PARALLEL_BYTES` in a format pandas can split (UTF-8 or ASCII, a
one-character delimiter, malformed rows not to be skipped) is given to pandas by its
path, and what the stream's watchers would have found on the way is found from the
parsed table instead, reading the bytes again only when the table says there is
something to find:

* **rows with fewer fields than the header**: pandas fills their missing cells with
  NaN, so there is none when the last column has no missing value (the common case,
  a complete numeric table); otherwise the bytes are counted
  (:class:`~engine.csv.scan.FieldCount`) for the rows and their lines;
* **bytes that are not valid UTF-8**: read as '\ufffd', which then appears in a
  column name or a column of text; only then are the bytes checked
  (:class:`~engine.csv.scan.Utf8Check`) for the line of the first (a file may hold
  a real '\ufffd' too: then nothing is said);
* **the SHA-256**: taken when a saved session asks for it
  (:class:`~engine.csv.digest.FileDigest`), from the file's stamp taken here before
  the read, which must still be the stamp after it.

Progress: pandas says nothing while it reads, so the fraction given is NaN (a busy
bar) until the end; cancelling is checked before the read and after it (the
import dialog lets a read it stopped finish in the background).
"""

from __future__ import annotations

import codecs
import math
import os

from .digest import FileDigest, file_stamp
from .errors import CSVCancelled, CSVError
from .parse import parse_frame
from .scan import BLOCK, FieldCount, Utf8Check
from .sniff import WHITESPACE, open_binary, open_error

__all__ = ["PARALLEL_BYTES", "Found", "parallel_ok", "read_parallel"]

#: Files at least this big are read by pandas from their path (smaller ones through
#: the stream, whose progress and cancel are finer; pandas splits files from 5 MB).
PARALLEL_BYTES = 16 << 20


def parallel_ok(fmt, size: int, *, skip_bad_lines: bool, transcoded: bool) -> bool:
    """Whether a file of ``size`` bytes in format ``fmt`` is read by
    :func:`read_parallel`: big enough, UTF-8 or ASCII as it is on disk, a
    one-character delimiter, and malformed rows refused (pandas numbers the
    skipped ones per piece)."""
    if size < PARALLEL_BYTES or skip_bad_lines or transcoded:
        return False
    if fmt.delimiter == WHITESPACE or len(fmt.delimiter) != 1:
        return False
    try:
        name = codecs.lookup(fmt.encoding).name
    except LookupError:
        return False
    return name in ("utf-8", "utf-8-sig", "ascii")


class Found:
    """What a pass over the bytes found (only made when the table asks for it):
    ``short_rows`` (positions among the data rows) and ``short_lines`` (their
    lines), and the line of the first byte that is not valid UTF-8."""

    def __init__(self):
        self.short_rows: list[int] = []
        self.short_lines: list[int] = []
        self.bad_line: int | None = None
        self.rows_counted: int | None = None  # data rows the bytes hold, if counted


def read_parallel(path, file, fmt, names, progress, cancel):
    """pandas over the file at ``path`` (open as ``file``, a binary file: its
    stamp is taken from it). Returns ``(frame, found, digest)``: the table, a
    :class:`Found`, and the file's :class:`FileDigest`, not taken yet."""
    size = os.fstat(file.fileno()).st_size
    stamp = file_stamp(os.fstat(file.fileno()))
    if cancel is not None and cancel():
        raise CSVCancelled()
    if progress is not None:
        progress(math.nan, f"reading {size / 2**20:,.0f} MB on every core")
    frame, _ = parse_frame(path, fmt, names)
    try:
        after = file_stamp(os.stat(path))
    except OSError as e:
        raise open_error(path, e) from None
    if after != stamp:
        raise CSVError(
            f"{path.name}: the file changed while it was read; read it again"
        )
    if cancel is not None and cancel():
        raise CSVCancelled()
    found = _check(path, fmt, names, frame, cancel)
    return frame, found, FileDigest(path, stamp)


def _has_replacement(names, frame) -> bool:
    """Whether a column name or a cell of text holds '\ufffd'."""
    if any("\ufffd" in n for n in names):
        return True
    for k in range(frame.shape[1]):
        col = frame.iloc[:, k]
        if col.dtype == object or str(col.dtype) in ("string", "str"):
            if col.astype("string").str.contains("\ufffd", regex=False).any():
                return True
    return False


def _check(path, fmt, names, frame, cancel) -> Found:
    """The short rows and the first byte that is not UTF-8, from the bytes, when
    the table says there may be any (see the module docstring)."""
    found = Found()
    watchers = []
    fields = utf8 = None
    if len(frame) and frame.iloc[:, -1].isna().any():
        fields = FieldCount(fmt, False, by_totals=True)
        fields.set_fields(len(names))
        watchers.append(fields)
    if fmt.encoding.startswith("utf-8") and _has_replacement(names, frame):
        utf8 = Utf8Check()
        watchers.append(utf8)
    if not watchers:
        return found
    try:
        with open_binary(path) as f:
            while block := f.read(BLOCK):
                if cancel is not None and cancel():
                    raise CSVCancelled()
                for watch in watchers:
                    watch(block)
    except OSError as e:
        raise open_error(path, e) from None
    for watch in watchers:
        watch(b"")
    if fields is not None:
        found.short_rows, found.short_lines = fields.short_rows, fields.short_lines
    if utf8 is not None:
        found.bad_line = utf8.bad_line
    return found
