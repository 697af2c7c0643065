"""Work on the blocks of a file behind the parser, on a thread of its own.

:class:`~engine.csv.scan.OnePassStream` gives every block it reads to the SHA-256 and
to its watchers (:mod:`engine.csv.scan`); for a big file that work need not hold up
the parser: hashlib and numpy let go of the GIL while they work, so it runs alongside
pandas' C parser on a second core when there is one.
"""

from __future__ import annotations

import queue
import threading

__all__ = ["ALONE_AFTER", "QUEUE", "Behind"]


class Behind:
    """``work(*item)`` for every item given, in order: on the caller's thread for
    the first :data:`ALONE_AFTER` bytes, then on a thread of its own, so that the
    parser need not wait for it (hashlib and numpy let go of the GIL while they
    work). At most :data:`QUEUE` items wait there, so memory stays bounded; an
    exception of ``work`` is raised again by :meth:`stop`."""

    def __init__(self, work):
        self._work = work
        self._seen = 0
        self._queue: queue.Queue | None = None
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def __call__(self, size: int, *item) -> None:
        """Do ``work(*item)`` for ``size`` bytes, now or soon."""
        self._seen += size
        if self._thread is None and self._seen > ALONE_AFTER:
            self._queue = queue.Queue(QUEUE)
            self._thread = threading.Thread(
                target=self._run, name="csv-behind", daemon=True
            )
            self._thread.start()
        if self._thread is None:
            self._work(*item)
        else:
            self._queue.put(item)

    def _run(self) -> None:
        while (item := self._queue.get()) is not None:
            if self._error is None:
                try:
                    self._work(*item)
                except BaseException as e:  # raised again by stop()
                    self._error = e

    def stop(self) -> None:
        """Wait until every item given so far is worked on, and end the thread."""
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._thread = None
        if self._error is not None:
            error, self._error = self._error, None
            raise error


#: Bytes worked on on the reading thread before the work moves to its own thread
#: (a small file is not worth a thread).
ALONE_AFTER = 4 << 20
#: Blocks that may wait.
QUEUE = 32
