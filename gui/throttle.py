"""Rate-limit expensive redraws: at most one call per interval, the last one kept."""

from __future__ import annotations

import time

from PySide6 import QtCore

__all__ = ["Throttle"]


class Throttle(QtCore.QObject):
    """Call ``fn`` at most once every ``interval`` seconds.

    A request inside the interval is postponed to its end, so the final state is always
    drawn; several postponed requests collapse into one call. ``request(now=True)``
    calls at once (dropping a pending call): what a pane's ``refresh_now`` uses before
    an export or a recorded frame.
    """

    def __init__(self, fn, interval: float, parent=None):
        super().__init__(parent)
        self.fn = fn
        self.interval = interval
        self._last = -1e9
        self._timer = QtCore.QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._fire)

    def request(self, now: bool = False) -> None:
        wait = self.interval - (time.perf_counter() - self._last)
        if now or wait <= 0:
            self._timer.stop()
            self._fire()
        elif not self._timer.isActive():
            self._timer.start(int(wait * 1000) + 1)

    def cancel(self) -> None:
        """Drop a postponed call (its work was done another way)."""
        self._timer.stop()

    def _fire(self) -> None:
        self._last = time.perf_counter()
        self.fn()
