"""Rate-limit expensive redraws: at most one call per interval, the last one kept; a
pane's redraws can also wait while the pane is behind another tab."""

from __future__ import annotations

import time

from PySide6 import QtCore

__all__ = ["Throttle"]


class Throttle(QtCore.QObject):
    """Call ``fn`` at most once every ``interval`` seconds.

    A request inside the interval is postponed to its end, so the final state is always
    drawn; several postponed requests collapse into one call. ``request(now=True)``
    calls at once (dropping a pending call).

    ``pane``: a widget whose redraws these are. While it is hidden (a tab behind
    another: the tab widget hides the pages not in front) requests only mark it out
    of date, and one call is made when it is shown again: a pane nobody sees costs
    nothing on a step or a move of the λ cursor. :meth:`run_now` calls whatever the
    pane's visibility (what a pane's ``refresh_now`` uses before an export or a
    recorded frame, which may show a pane in a hidden tab).
    """

    def __init__(self, fn, interval: float, parent=None, *, pane=None):
        super().__init__(parent)
        self.fn = fn
        self.interval = interval
        self._last = -1e9
        self._timer = QtCore.QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._fire)
        self._pane = pane
        #: A request came while the pane was hidden: call once it is shown.
        self.out_of_date = False
        if pane is not None:
            pane.installEventFilter(self)

    def request(self, now: bool = False) -> None:
        if self._pane is not None and self._pane.isHidden():
            self._timer.stop()
            self.out_of_date = True
            return
        wait = self.interval - (time.perf_counter() - self._last)
        if now or wait <= 0:
            self._timer.stop()
            self._fire()
        elif not self._timer.isActive():
            self._timer.start(int(wait * 1000) + 1)

    def run_now(self) -> None:
        """Call at once, shown or hidden (a pending call is dropped)."""
        self._timer.stop()
        self._fire()

    def cancel(self) -> None:
        """Drop a postponed call (its work was done another way)."""
        self._timer.stop()

    def eventFilter(self, watched, event) -> bool:
        if (
            watched is self._pane
            and event.type() == QtCore.QEvent.Type.Show
            and self.out_of_date
        ):
            self.run_now()
        return super().eventFilter(watched, event)

    def _fire(self) -> None:
        self.out_of_date = False
        self._last = time.perf_counter()
        self.fn()
