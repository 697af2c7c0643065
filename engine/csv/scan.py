"""One pass over a file's bytes, watched as the parser reads them.

pandas parses the file through a :class:`OnePassStream`, which reads every byte from
disk exactly once and shows each block, as it is read, to its watchers:

- the SHA-256 of the file (a saved session checks the file did not change);
- :class:`Utf8Check`: the line of the first byte that is not valid UTF-8 (pandas reads
  it as '\ufffd' and cannot say where it was);
- :class:`FieldCount`: the data rows with fewer fields than the header. pandas fills
  their missing cells with NaN without a word, so the rows are found here instead.

The beginning of the file can be looked at first (:meth:`OnePassStream.peek`, for
sniffing and the header row) without being read twice: the parser gets those bytes
from memory.
"""

from __future__ import annotations

import codecs
import hashlib
import io

import numpy as np

from .sniff import CSVFormat

__all__ = ["FieldCount", "OnePassStream", "Utf8Check"]

BLOCK = 1 << 20
_NL, _CR, _QUOTE = 10, 13, 34


class OnePassStream(io.RawIOBase):
    """A binary file read once, start to end; ``watchers`` see every block read."""

    mode = "rb"

    def __init__(self, f):
        super().__init__()
        self._f = f
        self._sha = hashlib.sha256()
        self._ahead = bytearray()  # read from disk, not yet given to the reader
        self._watchers: list = []
        self.bytes_read = 0
        self.at_end = False

    def readable(self) -> bool:
        return True

    def _read_disk(self, n: int) -> bytes:
        block = self._f.read(n)
        self._sha.update(block)
        self.bytes_read += len(block)
        self.at_end = not block
        for watch in self._watchers:
            watch(block)
        return block

    def peek(self, n: int) -> bytes:
        """The first ``n`` bytes still to be read (fewer at the end of the file);
        they stay to be read."""
        while len(self._ahead) < n and not self.at_end:
            self._ahead += self._read_disk(max(n - len(self._ahead), BLOCK))
        return bytes(self._ahead[:n])

    def watch(self, watcher) -> None:
        """Show ``watcher(block)`` every block, from the start of the file; an empty
        block means the end."""
        if self.bytes_read != len(self._ahead):
            raise RuntimeError("watchers must be added before the reader starts")
        self._watchers.append(watcher)
        if self._ahead:
            watcher(bytes(self._ahead))
        if self.at_end:
            watcher(b"")

    def readinto(self, b) -> int:
        if self._ahead:
            n = min(len(b), len(self._ahead))
            b[:n] = self._ahead[:n]
            del self._ahead[:n]
            return n
        if self.at_end:
            return 0
        block = self._read_disk(len(b))
        b[: len(block)] = block
        return len(block)

    def finish(self) -> str:
        """Read what the parser left (nothing, after a whole read) so that every
        watcher has seen the whole file; the SHA-256 of the file's bytes."""
        while not self.at_end:
            self._read_disk(BLOCK)
        return self._sha.hexdigest()


class Utf8Check:
    """Finds the first byte that is not valid UTF-8, and its line."""

    def __init__(self):
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self._lines = 0
        self.bad_line: int | None = None

    def __call__(self, block: bytes) -> None:
        if self.bad_line is not None:
            return
        held = len(self._decoder.getstate()[0])  # a character cut by the last block
        try:
            self._decoder.decode(block, final=not block)
        except UnicodeDecodeError as e:
            # the held bytes are part of one character, never a newline
            at = max(e.start - held, 0)
            self.bad_line = self._lines + block.count(b"\n", 0, at) + 1
        self._lines += block.count(b"\n")


def _ascii_compatible(encoding: str) -> bool:
    """Whether delimiters, quotes and newlines are the same single bytes as in ASCII
    and never part of another character (so the bytes can be counted undecoded)."""
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return False
    return name in ("utf-8", "utf-8-sig", "ascii", "cp1252") or name.startswith(
        ("iso8859-", "latin")
    )


class FieldCount:
    """The data rows with fewer fields than the header, counted on the raw bytes.

    Records end at a newline (LF, CRLF or a lone CR) outside a quoted field; a quote
    opens a field only at its start, and ``""`` inside one is a quote. Rows are
    numbered as pandas numbers them: blank lines are not rows, nor (when they are
    skipped) the rows with too many fields. The first ``fmt.skip`` lines and the
    header are not data. Blocks without quotes are counted with numpy alone.
    """

    def __init__(self, fmt: CSVFormat, skip_bad_lines: bool):
        self.enabled = _ascii_compatible(fmt.encoding) and len(fmt.delimiter) == 1
        self._delim = ord(fmt.delimiter[0]) if fmt.delimiter else 0
        self._skip_left = fmt.skip
        self._header_left = fmt.header
        self._skip_bad = skip_bad_lines
        self._n_fields: int | None = None
        self._pending = bytearray()
        self._scan_at = BLOCK
        self._ended = False
        self._line = 1  # the line number of the first pending byte
        self.rows_counted = 0
        self.short_rows: list[int] = []
        self.short_lines: list[int] = []

    def set_fields(self, n_fields: int) -> None:
        """The number of fields of a full row (known once the header is read)."""
        self._n_fields = n_fields
        self._maybe_scan()

    def __call__(self, block: bytes) -> None:
        if not self.enabled:
            return
        self._pending += block
        self._ended = not block
        self._maybe_scan()

    def _maybe_scan(self) -> None:
        if self._n_fields is None or not self.enabled:
            return
        if self._ended:
            self._scan(final=True)
            self._pending.clear()
        elif len(self._pending) >= self._scan_at:
            self._scan(final=False)

    def _scan(self, final: bool) -> None:
        buf = bytes(self._pending)
        a = np.frombuffer(buf, dtype=np.uint8)
        terms = _terminators(a, final)
        if self._skip_left:  # lines before the table, quotes or not
            if terms.size < self._skip_left and not final:
                self._scan_at = 2 * len(buf)
                return
            k = min(self._skip_left, terms.size)
            # at the end of the file, a last line without a newline is skipped too
            cut = int(terms[k - 1]) + 1 if k == self._skip_left else len(buf)
            self._skip_left = 0
            self._line += k
            del self._pending[:cut]
            buf, a, terms = buf[cut:], a[cut:], terms[k:] - cut
        inside = _inside_quotes(buf, a, self._delim)
        ends = terms if inside is None else terms[~inside(terms)]
        consumed = int(ends[-1]) + 1 if ends.size else 0
        if final and consumed < len(buf):
            ends = np.append(ends, len(buf))  # the last record, with no newline
            consumed = len(buf)
        starts = np.concatenate(([0], ends[:-1] + 1)) if ends.size else ends
        delims = np.flatnonzero(a == self._delim)
        if inside is not None:
            delims = delims[~inside(delims)]
        counts = np.searchsorted(delims, ends) - np.searchsorted(delims, starts)
        blank = np.zeros(ends.size, dtype=bool)
        for k in np.flatnonzero(counts == 0):  # one field: maybe a blank line
            blank[k] = not buf[starts[k] : ends[k]].strip(b" \t\r\n")
        lines = self._line + np.searchsorted(terms, starts)
        if self._header_left:
            first = np.flatnonzero(~blank)
            if first.size:
                h = int(first[0]) + 1
                counts, blank, lines = counts[h:], blank[h:], lines[h:]
                self._header_left = False
            else:
                counts, blank, lines = counts[:0], blank[:0], lines[:0]
        n = self._n_fields - 1  # delimiters in a full row
        counted = ~blank
        if self._skip_bad:
            counted &= counts <= n
        short = counted & (counts < n)
        if short.any():
            index = self.rows_counted + np.cumsum(counted) - 1
            self.short_rows += index[short].tolist()
            self.short_lines += lines[short].tolist()
        self.rows_counted += int(counted.sum())
        self._line += int(np.searchsorted(terms, consumed))
        del self._pending[:consumed]
        # a record longer than a block is scanned again: double the window
        self._scan_at = max(BLOCK, 2 * len(self._pending))


def _terminators(a: np.ndarray, final: bool) -> np.ndarray:
    """Positions of the line ends: LF, and CR not followed by LF (a CR at the end of
    a block waits for the next byte)."""
    nl = np.flatnonzero(a == _NL)
    cr = np.flatnonzero(a == _CR)
    if cr.size == 0:
        return nl
    last = cr == a.size - 1
    nxt = np.minimum(cr + 1, a.size - 1)
    lone = np.where(last, final, a[nxt] != _NL)
    return np.sort(np.concatenate((nl, cr[lone])))


def _inside_quotes(buf: bytes, a: np.ndarray, delim: int):
    """A function telling which positions lie inside quoted fields, or None when
    there is no quote. ``buf`` starts at the start of a record."""
    if b'"' not in buf:
        return None
    q = np.flatnonzero(a == _QUOTE)
    # the common case: every quote opens or closes a quoted field, or is doubled
    # inside one; then the quotes simply alternate between opening and closing
    opens, closes = q[0::2], q[1::2]
    prev = a[np.maximum(opens - 1, 0)]
    after_close = np.zeros(opens.size, dtype=bool)
    after_close[1:] = closes[: opens.size - 1] == opens[1:] - 1
    ok_open = (opens == 0) | (prev == delim) | (prev == _NL) | (prev == _CR)
    nxt = a[np.minimum(closes + 1, a.size - 1)]
    before_open = np.zeros(closes.size, dtype=bool)
    k = min(closes.size, opens.size - 1)
    before_open[:k] = opens[1 : k + 1] == closes[:k] + 1
    ok_close = (
        (closes == a.size - 1)
        | (nxt == delim)
        | (nxt == _NL)
        | (nxt == _CR)
        | before_open
    )
    if (ok_open | after_close).all() and ok_close.all():
        bounds = q
    else:
        bounds = np.asarray(_quote_bounds(buf, q.tolist(), delim), dtype=np.int64)

    def inside(x: np.ndarray) -> np.ndarray:
        return np.searchsorted(bounds, x, side="right") % 2 == 1

    return inside


def _quote_bounds(buf: bytes, q: list[int], delim: int) -> list[int]:
    """Where quoted fields open and close, quote by quote, as the csv module reads
    them: a quote inside an unquoted field is a plain character."""
    bounds, quoted, i = [], False, 0
    while i < len(q):
        p = q[i]
        if not quoted:
            if p == 0 or buf[p - 1] in (delim, _NL, _CR):
                quoted = True
                bounds.append(p)
            i += 1
        elif i + 1 < len(q) and q[i + 1] == p + 1:
            i += 2  # a doubled quote inside the field
        else:
            quoted = False
            bounds.append(p)
            i += 1
    return bounds
