"""The two features the 2D views draw: one pair for the whole window.

The Geometry pane's loss of two weights (on the data's loss) and the Prior pane's
posterior of two weights are pictures of the same two weights: choosing a pair in
one chooses it in the other. The pair lives here, beside the controller
(``session.feature_pair``), as view state both panes save; each pane listens to
:attr:`FeaturePair.changed` and redraws.
"""

from __future__ import annotations

from PySide6 import QtCore

__all__ = ["FeaturePair"]


class FeaturePair(QtCore.QObject):
    """Indices ``(i, j)`` of two different features of the loaded data."""

    #: The pair changed (by either pane, or with new data).
    changed = QtCore.Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.features: tuple[int, int] = (0, 1)

    def set(self, i: int, j: int) -> None:
        """Choose features ``i`` and ``j`` (one signal if that is a change)."""
        pair = (int(i), int(j))
        if pair != self.features:
            self.features = pair
            self.changed.emit()
