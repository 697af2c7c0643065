"""A layout that lines its widgets up in a row and wraps them onto more rows when the
row is too narrow: the option rows of the panes, so a pane stays usable on a laptop
screen (and in presentation mode's larger fonts) instead of forcing the window wider
than the screen.

Like Qt's flow layout example, with two additions the panes need: a stretch item
(:meth:`FlowLayout.addStretch`) that pushes the rest of a line to the right when it
fits on one line, and labels that may wrap (a word-wrapped QLabel takes the whole
width of its line when it does not fit beside the others).
"""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

__all__ = ["FlowLayout"]


class _Stretch(QtWidgets.QSpacerItem):
    """Takes the free width of its line (only on a line that has free width)."""

    def __init__(self):
        super().__init__(
            0,
            0,
            QtWidgets.QSizePolicy.Policy.Expanding,
            QtWidgets.QSizePolicy.Policy.Minimum,
        )


class FlowLayout(QtWidgets.QLayout):
    """Items left to right, wrapping to a new line when the width runs out."""

    def __init__(self, parent=None, spacing: int = 6):
        super().__init__(parent)
        self._items: list[QtWidgets.QLayoutItem] = []
        self._spacing = spacing
        self.setContentsMargins(0, 0, 0, 0)
        #: (what the items need, {width: height}) and (that, the rect last applied):
        #: a text changing elsewhere in the pane lays the pane out again, which asks
        #: this layout the same questions several times over
        self._heights: tuple = (None, {})
        self._applied: tuple | None = None

    # -- QLayout's interface ------------------------------------------------------
    def addItem(self, item) -> None:
        self._items.append(item)

    def addStretch(self) -> None:
        self.addItem(_Stretch())
        self.invalidate()

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, i: int):
        return self._items[i] if 0 <= i < len(self._items) else None

    def takeAt(self, i: int):
        return self._items.pop(i) if 0 <= i < len(self._items) else None

    def spacing(self) -> int:
        return self._spacing

    def expandingDirections(self):
        return QtCore.Qt.Orientation.Horizontal

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        needs = self._needs()
        if needs != self._heights[0]:
            self._heights = (needs, {})
        heights = self._heights[1]
        if width not in heights:
            heights[width] = self._arrange(QtCore.QRect(0, 0, width, 0), apply=False)
        return heights[width]

    def setGeometry(self, rect) -> None:
        super().setGeometry(rect)
        applied = (self._needs(), QtCore.QRect(rect))
        if applied != self._applied:
            self._arrange(rect, apply=True)
            self._applied = applied

    def sizeHint(self):
        """One line of every item at its preferred size."""
        w = h = 0
        for item in self._visible():
            hint = item.sizeHint()
            w += hint.width() + (self._spacing if w else 0)
            h = max(h, hint.height())
        m = self.contentsMargins()
        return QtCore.QSize(w + m.left() + m.right(), h + m.top() + m.bottom())

    def minimumSize(self):
        """The widest single item: narrower than that, nothing can wrap further."""
        w = h = 0
        for item in self._visible():
            hint = item.minimumSize()
            w = max(w, hint.width())
            h = max(h, hint.height())
        m = self.contentsMargins()
        return QtCore.QSize(w + m.left() + m.right(), h + m.top() + m.bottom())

    # -- layout -------------------------------------------------------------------
    def _needs(self) -> tuple:
        """Everything the arrangement depends on: the spacing and margins, and each
        item's visibility and sizes (and a label's text, which sets its height
        for a width)."""
        m = self.contentsMargins()
        out = [self._spacing, m.left(), m.top(), m.right(), m.bottom()]
        for item in self._items:
            if isinstance(item, _Stretch):
                out.append("stretch")
                continue
            widget = item.widget()
            hidden = widget is not None and widget.isHidden()
            hint, least = item.sizeHint(), item.minimumSize()
            text = widget.text() if isinstance(widget, QtWidgets.QLabel) else ""
            out.append((hidden, hint.width(), hint.height(), least.width(), text))
        return tuple(out)

    def _visible(self):
        return [
            it
            for it in self._items
            if isinstance(it, _Stretch) or (it.widget() and not it.widget().isHidden())
        ]

    def lines(self, width: int) -> list[list[QtWidgets.QLayoutItem]]:
        """The items on each line at ``width`` (stretches are not counted)."""
        m = self.contentsMargins()
        room = max(1, width - m.left() - m.right())
        lines: list[list] = [[]]
        used = 0
        for item in self._visible():
            if isinstance(item, _Stretch):
                lines[-1].append(item)
                continue
            w = min(item.sizeHint().width(), room)
            if used and used + self._spacing + w > room:
                lines.append([])
                used = 0
            lines[-1].append(item)
            used += (self._spacing if used else 0) + w
        return [
            line for line in lines if any(not isinstance(i, _Stretch) for i in line)
        ]

    def _arrange(self, rect, apply: bool) -> int:
        m = self.contentsMargins()
        room = max(1, rect.width() - m.left() - m.right())
        y = rect.y() + m.top()
        for line in self.lines(rect.width()):
            widths = []
            for item in line:
                if isinstance(item, _Stretch):
                    widths.append(0)
                else:
                    widths.append(min(item.sizeHint().width(), room))
            n_gaps = sum(1 for i in line if not isinstance(i, _Stretch)) - 1
            free = room - sum(widths) - self._spacing * max(n_gaps, 0)
            stretches = [i for i, it in enumerate(line) if isinstance(it, _Stretch)]
            if stretches and free > 0:
                for i in stretches:
                    widths[i] = free // len(stretches)
            heights = [
                it.heightForWidth(w)
                if it.hasHeightForWidth()
                else it.sizeHint().height()
                for it, w in zip(line, widths, strict=True)
            ]
            line_h = max(heights)
            x = rect.x() + m.left()
            for item, w in zip(line, widths, strict=True):
                if isinstance(item, _Stretch):
                    x += w
                    continue
                h = item.heightForWidth(w) if item.hasHeightForWidth() else line_h
                if apply:
                    top = y + (line_h - h) // 2
                    item.setGeometry(QtCore.QRect(x, top, w, h))
                x += w + self._spacing
            y += line_h + self._spacing
        return y - self._spacing - rect.y() + m.bottom()
