"""Screenshots of the window or of one pane, at 1× or more."""

from __future__ import annotations

from PySide6 import QtGui, QtWidgets

__all__ = ["render_pixmap", "save_png"]


def render_pixmap(widget: QtWidgets.QWidget, scale: float = 1) -> QtGui.QPixmap:
    """``widget`` rendered at ``scale`` × its size (sharp text, not an upscale)."""
    size = widget.size()
    pm = QtGui.QPixmap(size * scale)
    pm.setDevicePixelRatio(scale)
    pm.fill(widget.palette().window().color())
    widget.render(pm)
    return pm


def save_png(widget: QtWidgets.QWidget, path: str, scale: float = 1) -> None:
    """Write ``widget`` as a PNG file; raises OSError when it cannot be written."""
    if not render_pixmap(widget, scale).save(str(path), "PNG"):
        raise OSError(f"could not write {path}")
