"""Figures for slides: the window or one pane as PNG or JPEG (1×, 2×, 3×) or SVG, or
to the clipboard. The file's ending names the format (``figure_format``).

PNGs are rendered at the requested scale (sharp text, not an upscaled bitmap). SVG is
written by rendering the widget into a ``QSvgGenerator``: pyqtgraph's own SVG exporter
fails on PySide6 6.11 (pyqtgraph issue 3485). Exports use a white background unless
asked to keep the screen's theme.

A figure of a pane shows its plot with the title, legend and caption, not the pane's
controls: :func:`hiding` hides the widgets each pane declares as controls
(``figure_controls``, see :mod:`gui.panes`) while the figure is rendered, so the plot
takes their room, and shows them again after.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6 import QtCore, QtGui, QtSvg, QtWidgets

from engine.atomic import replacing

__all__ = [
    "copy_to_clipboard",
    "default_name",
    "figure_format",
    "hiding",
    "render_pixmap",
    "save_figure",
    "save_image",
    "save_png",
    "save_svg",
]

SCALES = (1, 2, 3)

#: File ending → format written under it (a figure's bytes always match its name).
FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".svg": "SVG"}


def figure_format(path) -> str:
    """The format a figure file's ending names: "PNG", "JPEG" or "SVG".

    Raises ValueError for any other ending, so that no file is written whose name
    says one format and whose bytes are another.
    """
    fmt = FORMATS.get(Path(path).suffix.lower())
    if fmt is None:
        raise ValueError(
            f"cannot write a figure as {Path(path).name!r}: choose .png, .jpg or .svg"
        )
    return fmt


@contextmanager
def hiding(widgets: Iterable[QtWidgets.QWidget]) -> Iterator[list[QtWidgets.QWidget]]:
    """``widgets`` hidden, their layouts settled (the rest takes their room), while
    the block runs; then shown again, with the keyboard focus back where it was.

    Widgets already hidden (an option that does not apply, a button shown only after
    a cancel) are left alone and stay hidden. Yields the widgets it hid.
    """
    app = QtWidgets.QApplication.instance()
    focus = app.focusWidget()
    hidden = [w for w in widgets if not w.isHidden()]
    try:
        for w in hidden:
            w.hide()
        _settle()
        yield hidden
    finally:
        for w in hidden:
            w.show()
        _settle()
        if focus is not None and app.focusWidget() is not focus:
            focus.setFocus()


def _settle() -> None:
    """Lay out now what a hide or show changed (layouts wait for the event loop)."""
    QtWidgets.QApplication.sendPostedEvents(None, QtCore.QEvent.Type.LayoutRequest)
    QtWidgets.QApplication.processEvents()


def render_pixmap(widget: QtWidgets.QWidget, scale: float = 1) -> QtGui.QPixmap:
    """``widget`` rendered at ``scale`` × its size (sharp text, not an upscale)."""
    size = widget.size()
    pm = QtGui.QPixmap(size * scale)
    pm.setDevicePixelRatio(scale)
    pm.fill(widget.palette().window().color())
    widget.render(pm)
    return pm


def save_image(
    widget: QtWidgets.QWidget, path, scale: float = 1, fmt: str = "PNG"
) -> None:
    """Write ``widget`` as a bitmap in ``fmt`` ("PNG" or "JPEG"); raises OSError when
    it cannot be written."""
    # JPEG at 95: text and thin lines stay clean; Qt's default 75 smears them
    quality = 95 if fmt == "JPEG" else -1
    pm = render_pixmap(widget, scale)
    with replacing(path) as tmp:
        if not pm.save(str(tmp), fmt, quality):
            raise OSError(f"Qt could not write a {fmt} file")


def save_png(widget: QtWidgets.QWidget, path, scale: float = 1) -> None:
    """Write ``widget`` as a PNG file; raises OSError when it cannot be written."""
    save_image(widget, path, scale, "PNG")


def save_svg(widget: QtWidgets.QWidget, path, title: str = "") -> None:
    """Write ``widget`` as an SVG drawing (vector lines and text)."""
    with replacing(path) as tmp:
        gen = QtSvg.QSvgGenerator()
        gen.setFileName(str(tmp))
        size = widget.size()
        gen.setSize(size)
        gen.setViewBox(QtCore.QRect(QtCore.QPoint(0, 0), size))
        gen.setTitle(title or "L1/L2 Explorer")
        gen.setDescription("Exported from L1/L2 Explorer")
        painter = QtGui.QPainter()
        if not painter.begin(gen):
            raise OSError("Qt could not start an SVG file")
        try:
            widget.render(painter, QtCore.QPoint(0, 0))
        finally:
            painter.end()
        if not tmp.exists() or tmp.stat().st_size == 0:
            raise OSError("Qt wrote no SVG")


def save_figure(widget: QtWidgets.QWidget, path, scale: float = 1) -> None:
    """PNG, JPEG or SVG by the file's ending (see ``figure_format``); raises
    ValueError for another ending before writing anything."""
    fmt = figure_format(path)
    if fmt == "SVG":
        save_svg(widget, path)
    else:
        save_image(widget, path, scale, fmt)


def copy_to_clipboard(widget: QtWidgets.QWidget, scale: float = 2) -> None:
    """Put ``widget`` on the clipboard as an image (2× by default: crisp when pasted
    into slides)."""
    QtWidgets.QApplication.clipboard().setImage(render_pixmap(widget, scale).toImage())


def default_name(
    what: str, dataset: str, penalty_slug: str, step: int, suffix: str = ".png"
) -> str:
    """A file name that says what is shown, e.g. ``weights_l1_lam0.05_step300.png``."""
    safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in dataset)
    return f"{what}_{penalty_slug}_step{step}_{safe}{suffix}".replace("__", "_")
