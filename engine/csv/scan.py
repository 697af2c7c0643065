"""One pass over a file's bytes, watched as the parser reads them.

pandas parses the file through a :class:`OnePassStream`, which reads every byte from
disk exactly once and shows each block, as it is read, to its watchers:

- the SHA-256 of the file (a saved session checks the file did not change);
- :class:`Utf8Check`: the line of the first byte that is not valid UTF-8 (pandas reads
  it as '\ufffd' and cannot say where it was);
- :class:`FieldCount`: the data rows with fewer fields than the header. pandas fills
  their missing cells with NaN without a word, so the rows are found here instead.

Past the first few megabytes the hash and the watchers work behind the parser, on a
thread of their own (:class:`~engine.csv.behind.Behind`), in the order of the blocks.
The beginning of the file can be looked at first (:meth:`OnePassStream.peek`, for
sniffing and the header row) without being read twice: the parser gets those bytes
from memory. A UTF-16 file is turned into UTF-8 as it is read
(:meth:`OnePassStream.transcode`), so that the parser and the watchers see the bytes
of an ordinary UTF-8 file (the SHA-256 stays that of the file's own bytes).
"""

from __future__ import annotations

import codecs
import hashlib
import io

import numpy as np

from .behind import Behind
from .sniff import WHITESPACE, CSVFormat

__all__ = ["ByteCount", "FieldCount", "OnePassStream", "Utf8Check"]

BLOCK = 1 << 20
_NL, _CR, _QUOTE, _SPACE, _TAB = 10, 13, 34, 32, 9


class OnePassStream(io.RawIOBase):
    """A binary file read once, start to end; ``watchers`` see every block read."""

    mode = "rb"

    def __init__(self, f):
        super().__init__()
        self._f = f
        self._sha = hashlib.sha256()
        self._behind = Behind(self._see)  # the hash and the watchers
        self._ahead = bytearray()  # read from disk, not yet given to the reader
        self._watchers: list = []
        self._started = False  # the reader has taken bytes
        self._decoder = None  # UTF-16 → text, while transcoding
        self._lines = 0  # lines transcoded so far
        self.bad_line: int | None = None  # the first that was not valid UTF-16
        self.bytes_read = 0
        self.at_end = False
        self._tick = None  # see every()
        self._tick_every = self._tick_at = 0

    def readable(self) -> bool:
        return True

    def _read_disk(self, n: int) -> bytes:
        raw = self._f.read(n)
        self.bytes_read += len(raw)
        self.at_end = not raw
        block = raw if self._decoder is None else self._utf8(raw)
        if self._started:
            self._behind(len(raw), raw, block)
        else:  # (peeking: watchers may still be added, and see it then)
            self._see(raw, block)
        return block

    def _see(self, raw: bytes, block: bytes) -> None:
        self._sha.update(raw)
        for watch in self._watchers:
            watch(block)

    def _utf8(self, raw: bytes) -> bytes:
        text = self._decoder.decode(raw, final=not raw)
        if self.bad_line is None and "\ufffd" in text:
            self.bad_line = self._lines + text.count("\n", 0, text.index("\ufffd")) + 1
        self._lines += text.count("\n")
        return text.encode("utf-8")

    def transcode(self, encoding: str) -> None:
        """From now on give the text of the file, read as ``encoding`` (UTF-16), as
        UTF-8 bytes: characters that are not valid become '\ufffd' and
        :attr:`bad_line` says where the first one was. Before the reader starts."""
        if self._started or self._watchers:
            raise RuntimeError("transcoding must start before the reader does")
        self._decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        raw, end = bytes(self._ahead), self.at_end
        self._ahead = bytearray(self._utf8(raw))
        if end:
            self._ahead += self._utf8(b"")

    def peek(self, n: int) -> bytes:
        """The first ``n`` bytes still to be read (fewer at the end of the file);
        they stay to be read."""
        while len(self._ahead) < n and not self.at_end:
            self._ahead += self._read_disk(max(n - len(self._ahead), BLOCK))
        return bytes(self._ahead[:n])

    def watch(self, watcher) -> None:
        """Show ``watcher(block)`` every block, from the start of the file; an empty
        block means the end."""
        if self._started:
            raise RuntimeError("watchers must be added before the reader starts")
        self._watchers.append(watcher)
        if self._ahead:
            watcher(bytes(self._ahead))
        if self.at_end:
            watcher(b"")

    def every(self, n_bytes: int, tick) -> None:
        """Call ``tick()`` each time another ``n_bytes`` have been read from disk
        (for progress, and to cancel: an exception ``tick`` raises ends the read)."""
        self._tick, self._tick_every = tick, max(int(n_bytes), 1)
        self._tick_at = self.bytes_read + self._tick_every

    def read(self, n: int = -1) -> bytes:
        """Up to ``n`` bytes (all that are left if ``n`` < 0), as the block read
        from disk without copying it again: the parser asks this of a binary file."""
        self._started = True
        if n is None or n < 0:
            parts = []
            while block := self.read(BLOCK):
                parts.append(block)
            return b"".join(parts)
        if self._ahead:
            out = bytes(self._ahead[:n])
            del self._ahead[:n]
            return out
        while not self.at_end:
            block = self._read_disk(n)
            if self._tick is not None and self.bytes_read >= self._tick_at:
                self._tick_at = self.bytes_read + self._tick_every
                self._tick()
            if len(block) > n:  # transcoded: longer than the bytes read
                self._ahead += block[n:]
                return block[:n]
            if block:  # (a transcoded block may hold no whole character yet)
                return block
        return b""

    def readinto(self, b) -> int:
        self._started = True
        if self._ahead:
            n = min(len(b), len(self._ahead))
            b[:n] = self._ahead[:n]
            del self._ahead[:n]
            return n
        while not self.at_end:
            block = self._read_disk(len(b))
            if len(block) > len(b):  # transcoded: longer than the bytes read
                n = len(b)
                b[:n] = block[:n]
                self._ahead += block[n:]
                return n
            if block:  # (a transcoded block may hold no whole character yet)
                b[: len(block)] = block
                return len(block)
        return 0

    def finish(self) -> str:
        """Read what the parser left (nothing, after a whole read) so that every
        watcher has seen the whole file; the SHA-256 of the file's bytes."""
        while not self.at_end:
            self._read_disk(BLOCK)
        self._behind.stop()
        return self._sha.hexdigest()

    def close(self) -> None:
        try:
            self._behind.stop()
        finally:
            super().close()


class ByteCount:
    """How often a byte occurs in a block, counted with numpy into a mask it keeps
    (a new mask for every block would be a new allocation, and new pages, each
    time)."""

    def __init__(self):
        self._mask = np.empty(0, dtype=bool)

    def count(self, block: bytes, byte: int, end: int | None = None) -> int:
        """Occurrences of ``byte`` in ``block[:end]``."""
        end = len(block) if end is None else end
        if self._mask.size < end:
            self._mask = np.empty(max(end, BLOCK), dtype=bool)
        mask = self._mask[:end]
        np.equal(np.frombuffer(block, dtype=np.uint8, count=end), byte, out=mask)
        return int(np.count_nonzero(mask))


class Utf8Check:
    """Finds the first byte that is not valid UTF-8, and its line."""

    def __init__(self):
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self._counter = ByteCount()
        self._lines = 0
        self.bad_line: int | None = None

    def __call__(self, block: bytes) -> None:
        if self.bad_line is not None:
            return
        held = len(self._decoder.getstate()[0])  # a character cut by the last block
        if not held and block.isascii():  # (the common case, ten times faster)
            if block:
                self._lines += self._counter.count(block, _NL)
            else:
                self._decoder.decode(b"", final=True)
            return
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
    opens a field only at its start, and ``""`` inside one is a quote; with the
    delimiter :data:`~engine.csv.sniff.WHITESPACE` the fields are the runs of other
    characters (blanks at the start or end of a line make no field). Rows are
    numbered as pandas numbers them: blank lines are not rows, nor (when they are
    skipped) the rows with too many fields. The first ``fmt.skip`` lines and the
    header are not data. Blocks without quotes are counted with numpy alone.

    ``by_totals``: for a parser that refuses rows with too many fields (pandas,
    unless they are skipped), a window of whole lines with no quote is counted from
    its numbers of newlines and delimiters alone when every row is full, which is
    what a big numeric file is; any other window is counted record by record.
    """

    def __init__(self, fmt: CSVFormat, skip_bad_lines: bool, *, by_totals=False):
        self._blanks = fmt.delimiter == WHITESPACE
        # see _scan_by_totals; only where a row with too many fields stops the parse
        self._by_totals = by_totals and not skip_bad_lines and not self._blanks
        self.enabled = _ascii_compatible(fmt.encoding) and (
            len(fmt.delimiter) == 1 or self._blanks
        )
        self._delims = (
            (_SPACE, _TAB)
            if self._blanks
            else (ord(fmt.delimiter[0]) if fmt.delimiter else 0,)
        )
        self._skip_left = fmt.skip
        self._header_left = fmt.header
        self._skip_bad = skip_bad_lines
        self._counter = ByteCount()
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
        if block and self._by_totals and self._whole_lines_by_totals(block):
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

    def _whole_lines_by_totals(self, block: bytes) -> bool:
        """Count the whole lines that ``block`` ends, after the part of a line
        pending, from two totals when that is exact: no quote, every CR part of a
        CRLF, and as many delimiters as full rows have (a blank line or a short
        row would make fewer; a row with too many fields could make up for a
        short one, which is why this is only for a parser that refuses such
        rows). Whether it did; the bytes are not copied."""
        n = (self._n_fields or 0) - 1  # delimiters in a full row
        if n < 1 or self._skip_left or self._header_left or self._ended:
            return False
        head = self._pending  # part of a line at most, or counting waits for more
        if any(head.find(c) >= 0 for c in (b"\n", b"\r", b'"')):
            return False
        end = block.rfind(b"\n") + 1
        if end == 0 or block.find(b'"', 0, end) >= 0:
            return False
        if block.find(b"\r", 0, end) >= 0 and block.count(b"\r", 0, end) != block.count(
            b"\r\n", 0, end
        ):
            return False
        records = self._counter.count(block, _NL, end)
        delims = self._counter.count(block, self._delims[0], end)
        if head.count(self._delims[0]) + delims != n * records:
            return False
        self.rows_counted += records
        self._line += records
        self._pending = bytearray(block[end:])
        return True

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
        inside = _inside_quotes(buf, a, self._delims)
        ends = terms if inside is None else terms[~inside(terms)]
        consumed = int(ends[-1]) + 1 if ends.size else 0
        if final and consumed < len(buf):
            ends = np.append(ends, len(buf))  # the last record, with no newline
            consumed = len(buf)
        starts = np.concatenate(([0], ends[:-1] + 1)) if ends.size else ends
        if self._blanks:
            counts = _blank_separated(a, starts, ends, inside)
            blank = counts < 0  # no field at all
        else:
            delims = np.flatnonzero(a == self._delims[0])
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


def _blank_separated(a: np.ndarray, starts, ends, inside) -> np.ndarray:
    """Per record, the number of fields minus one when runs of blanks separate the
    fields (−1 for a record with no field): a field starts at a character that is
    not a blank or a line end, right after one (or at the start of the buffer), and
    not inside quotes."""
    sep = (a == _SPACE) | (a == _TAB) | (a == _NL) | (a == _CR)
    begins = np.flatnonzero(~sep & np.concatenate(([True], sep[:-1])))
    if inside is not None and begins.size:
        # a field's first character follows a blank: inside quotes if that blank is
        after = begins > 0
        quoted = np.zeros(begins.size, dtype=bool)
        quoted[after] = inside(begins[after] - 1)
        begins = begins[~quoted]
    return np.searchsorted(begins, ends) - np.searchsorted(begins, starts) - 1


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


def _inside_quotes(buf: bytes, a: np.ndarray, delims: tuple[int, ...]):
    """A function telling which positions lie inside quoted fields, or None when
    there is no quote. ``buf`` starts at the start of a record; ``delims`` are the
    bytes that end a field."""
    if b'"' not in buf:
        return None
    q = np.flatnonzero(a == _QUOTE)
    # the common case: every quote opens or closes a quoted field, or is doubled
    # inside one; then the quotes simply alternate between opening and closing
    opens, closes = q[0::2], q[1::2]
    prev = a[np.maximum(opens - 1, 0)]
    after_close = np.zeros(opens.size, dtype=bool)
    after_close[1:] = closes[: opens.size - 1] == opens[1:] - 1
    ends_field = (*delims, _NL, _CR)
    ok_open = (opens == 0) | np.isin(prev, ends_field)
    nxt = a[np.minimum(closes + 1, a.size - 1)]
    before_open = np.zeros(closes.size, dtype=bool)
    k = min(closes.size, opens.size - 1)
    before_open[:k] = opens[1 : k + 1] == closes[:k] + 1
    ok_close = (closes == a.size - 1) | np.isin(nxt, ends_field) | before_open
    if (ok_open | after_close).all() and ok_close.all():
        bounds = q
    else:
        bounds = np.asarray(_quote_bounds(buf, q.tolist(), delims), dtype=np.int64)

    def inside(x: np.ndarray) -> np.ndarray:
        return np.searchsorted(bounds, x, side="right") % 2 == 1

    return inside


def _quote_bounds(buf: bytes, q: list[int], delims: tuple[int, ...]) -> list[int]:
    """Where quoted fields open and close, quote by quote, as the csv module reads
    them: a quote inside an unquoted field is a plain character."""
    bounds, quoted, i = [], False, 0
    while i < len(q):
        p = q[i]
        if not quoted:
            if p == 0 or buf[p - 1] in (*delims, _NL, _CR):
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
