"""The window and its screen: open at a size that fits, stay on it, come back exactly.

A laptop's 1280 × 720 and a 4K monitor get the same window: on a screen narrower
than :data:`ROOMY` the window takes the whole available area (a teacher's laptop
needs every pixel), on a larger one :data:`SHARE` of it, centred. Nothing here
makes the window larger than the screen's available area (its task bars excluded);
a window that would be is shrunk and moved back on screen.
"""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

__all__ = [
    "ROOMY",
    "SHARE",
    "WindowPlacement",
    "available_area",
    "fit_rect",
    "opening_rect",
]

#: Below this available width (pixels) the window opens over the whole area.
ROOMY = 1600
#: Share of a roomy screen's available area (width and height) the window opens at.
SHARE = 0.9


def available_area(widget: QtWidgets.QWidget | None = None) -> QtCore.QRect:
    """The available geometry of the screen ``widget`` is on (else the primary)."""
    screen = widget.screen() if widget is not None else None
    screen = screen or QtGui.QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def opening_rect(
    area: QtCore.QRect, frame: QtCore.QMargins | None = None
) -> QtCore.QRect:
    """The window's client rectangle on opening, inside ``area`` with room for the
    window manager's ``frame`` (its title bar and borders)."""
    frame = frame or QtCore.QMargins()
    inner = area.marginsRemoved(frame)
    if area.width() < ROOMY:
        return inner
    w = int(inner.width() * SHARE)
    h = int(inner.height() * SHARE)
    rect = QtCore.QRect(0, 0, w, h)
    rect.moveCenter(inner.center())
    return rect


def fit_rect(rect: QtCore.QRect, area: QtCore.QRect, frame=None) -> QtCore.QRect:
    """``rect`` (a client rectangle) shrunk to fit ``area`` with its ``frame`` and
    moved so that all of it is on the screen; unchanged if it already is."""
    frame = frame or QtCore.QMargins()
    inner = area.marginsRemoved(frame)
    out = QtCore.QRect(rect)
    out.setWidth(min(rect.width(), inner.width()))
    out.setHeight(min(rect.height(), inner.height()))
    out.moveLeft(min(max(out.left(), inner.left()), inner.right() - out.width() + 1))
    out.moveTop(min(max(out.top(), inner.top()), inner.bottom() - out.height() + 1))
    return out


def _geometry(window: QtWidgets.QWidget) -> QtCore.QRect:
    # unbound: the main window names its geometry pane ``geometry``
    return QtWidgets.QWidget.geometry(window)


def _frame_margins(window: QtWidgets.QWidget) -> QtCore.QMargins:
    """The window manager's frame around the client area (zero before it is shown
    and on platforms without one)."""
    outer, inner = window.frameGeometry(), _geometry(window)
    return QtCore.QMargins(
        inner.left() - outer.left(),
        inner.top() - outer.top(),
        outer.right() - inner.right(),
        outer.bottom() - inner.bottom(),
    )


class WindowPlacement:
    """Places a top-level window on its screen and restores it exactly.

    ``place()`` on opening; ``keep_on_screen()`` whenever something may have grown
    the window (larger fonts, a session saved on a larger screen, a dock shown);
    ``remember()`` / ``restore()`` around a mode that changes the geometry
    (presentation mode, full screen).
    """

    def __init__(self, window: QtWidgets.QWidget):
        self.window = window
        self._saved: dict[str, tuple[QtCore.QRect, bool]] = {}
        #: False for a figure rendered offscreen: its size is the figure's, not
        #: bounded by a screen (the offscreen platform's is 800 × 600).
        self.follows_screen = True
        self._sized = False

    def place(self) -> None:
        if not self.follows_screen:
            return
        area = available_area(self.window)
        self.window.setGeometry(opening_rect(area, _frame_margins(self.window)))

    def show(self) -> None:
        """Show the window: maximized on a screen narrower than :data:`ROOMY` (the
        window manager then fits it, title bar and all), else as placed."""
        if available_area(self.window).width() < ROOMY and not self._sized:
            self.window.showMaximized()
        else:
            self.window.show()

    def resize_within(self, width: int, height: int) -> None:
        """Resize to ``width`` × ``height``, or as much of it as the screen has
        (a size asked for: :meth:`show` then keeps it rather than maximizing)."""
        self._sized = True
        if not self.follows_screen:
            self.window.resize(width, height)
            return
        rect = QtCore.QRect(
            _geometry(self.window).topLeft(), QtCore.QSize(width, height)
        )
        self.window.setGeometry(
            fit_rect(rect, available_area(self.window), _frame_margins(self.window))
        )

    def keep_on_screen(self) -> None:
        w = self.window
        if not self.follows_screen or w.isFullScreen() or w.isMaximized():
            return
        fitted = fit_rect(_geometry(w), available_area(w), _frame_margins(w))
        if fitted != _geometry(w):
            w.setGeometry(fitted)

    def remember(self, mode: str) -> None:
        """Keep the current geometry (and maximized state) on entering ``mode``."""
        self._saved[mode] = (
            QtCore.QRect(_geometry(self.window)),
            self.window.isMaximized(),
        )

    def restore(self, mode: str) -> None:
        """Back to the geometry kept on entering ``mode`` (if any). The client
        rectangle itself, not ``saveGeometry``'s bytes: those are restored with a
        guess at the window manager's title bar where there is none."""
        saved = self._saved.pop(mode, None)
        if saved is None:
            return
        rect, maximized = saved
        if not maximized and self.window.isMaximized():
            self.window.showNormal()
        self.window.setGeometry(rect)  # a maximized one too: what it had then
        if maximized and not self.window.isMaximized():
            self.window.showMaximized()
