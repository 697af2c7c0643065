"""The SHA-256 of a CSV file as it was read, for saved sessions.

A saved session records its CSV file's SHA-256, so that opening it again can tell
whether the file changed meanwhile (:mod:`engine.session_file`). Hashing costs a
fifth of parsing: when pandas reads a big file on every core
(:mod:`engine.csv.parallel`), a hash taken at the same time would make the import
about a quarter slower, for a number that only a saved session needs. So the digest
is taken when it is first asked for, usually when the session is saved; the file
must then be the file that was read. :class:`FileDigest` keeps the file's *stamp*
(size, modification time to the nanosecond, inode, device) from when it was read,
and refuses to hash a file whose stamp has changed since: the digest could belong to
other data than the data imported. A file read through
:class:`~engine.csv.scan.OnePassStream` is hashed while it is read, and its digest
is known from the start.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from .errors import CSVCancelled, CSVError
from .sniff import open_binary, open_error

__all__ = ["FileDigest", "file_sha256", "file_stamp"]


def file_stamp(st: os.stat_result) -> tuple[int, int, int, int]:
    """What changes when a file is written or replaced: its size, modification time
    (nanoseconds), inode and device."""
    return (st.st_size, st.st_mtime_ns, st.st_ino, st.st_dev)


def file_sha256(path, cancel=None) -> str:
    """SHA-256 of a file's bytes, read in 1 MB blocks (a saved session checks its
    CSV file with it before reading the file again). ``cancel()`` is checked
    between blocks (:class:`CSVCancelled` if it returns True)."""
    path = Path(path)
    h = hashlib.sha256()
    try:
        with open_binary(path) as f:
            while block := f.read(1 << 20):
                if cancel is not None and cancel():
                    raise CSVCancelled()
                h.update(block)
    except OSError as e:
        raise open_error(path, e) from None
    return h.hexdigest()


class FileDigest:
    """The SHA-256 of the file at ``path`` as it was when read (see the module
    docstring): ``known`` when it was hashed while read, otherwise taken by
    :meth:`hexdigest` on first request, provided the file's stamp is still
    ``stamp``.

    Two digests are equal when they are of the same file read in the same state
    (path and stamp), or when both are known and the same."""

    __slots__ = ("_hex", "path", "stamp")

    def __init__(self, path, stamp: tuple, known: str | None = None):
        self.path = Path(path)
        self.stamp = tuple(stamp)
        self._hex = known

    @property
    def known(self) -> bool:
        """Whether the digest has been taken."""
        return self._hex is not None

    def hexdigest(self, cancel=None) -> str:
        """The SHA-256 in hex; the file is hashed now if it was not while read.

        CSVError, with one sentence, when the file cannot be read or changed since it
        was read; CSVCancelled when ``cancel()`` returns True between blocks."""
        if self._hex is None:
            self._check()
            digest = file_sha256(self.path, cancel)
            self._check()  # (not written to while it was hashed)
            self._hex = digest
        return self._hex

    def _check(self) -> None:
        try:
            now = file_stamp(os.stat(self.path))
        except OSError as e:
            raise open_error(self.path, e) from None
        if now != self.stamp:
            raise CSVError(
                f"{self.path.name}: the file has changed since it was read, so the "
                "data in memory can no longer be traced to it; import it again"
            )

    def __eq__(self, other) -> bool:
        if not isinstance(other, FileDigest):
            return NotImplemented
        if self._hex is not None and other._hex is not None:
            return self._hex == other._hex
        return (self.path, self.stamp) == (other.path, other.stamp)

    __hash__ = None  # equal digests may have different stamps

    def __repr__(self) -> str:
        shown = self._hex[:12] + "…" if self._hex else "not taken yet"
        return f"FileDigest({self.path.name!r}, {shown})"
