"""Exporting figures from the window: File › Export, right-click on a pane, Ctrl+C.

A figure of a pane leaves the pane's controls out (see :func:`gui.export.hiding`)
unless "Include the pane's controls" is ticked; a figure of the whole window shows
it as it is.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6 import QtCore, QtGui, QtWidgets

from gui import export, folders
from gui.panes import FIGURE_TITLES, PANES, figure_controls, refresh_panes

__all__ = ["FigureActions"]


class FigureActions(QtCore.QObject):
    """Export menu, pane context menus and the clipboard for a main window."""

    def __init__(self, window, parent=None):
        super().__init__(parent or window)
        self.window = window
        self.keep_theme = False  # export with the screen's (maybe dark) background
        self.with_controls = False  # pane figures keep the pane's controls
        self.menu = QtWidgets.QMenu("&Export figure", window)
        for what, title in FIGURE_TITLES.items():
            sub = self.menu.addMenu(title)
            for scale in export.SCALES:
                sub.addAction(
                    f"PNG at {scale}×…",
                    lambda w=what, s=scale: self.export(w, "png", s),
                )
            sub.addAction("SVG (vector)…", lambda w=what: self.export(w, "svg"))
            sub.addAction("Copy to clipboard", lambda w=what: self.copy(w))
        self.menu.addSeparator()
        keep = self.menu.addAction("Keep the screen's theme in exports")
        keep.setCheckable(True)
        keep.toggled.connect(lambda on: setattr(self, "keep_theme", on))
        self.controls_action = self.menu.addAction("Include the pane's controls")
        self.controls_action.setCheckable(True)
        self.controls_action.setStatusTip(
            "Figures of a pane show its combo boxes, check boxes and buttons too "
            "(off: the plot with its title, legend and caption)"
        )
        self.controls_action.toggled.connect(
            lambda on: setattr(self, "with_controls", on)
        )
        self.copy_action = QtGui.QAction("&Copy figure", window)
        self.copy_action.setShortcut(QtGui.QKeySequence.StandardKey.Copy)
        self.copy_action.setStatusTip(
            "Copy the pane under the keyboard focus (or the whole window) as an image"
        )
        self.copy_action.triggered.connect(lambda: self.copy(self.focused_pane()))
        self.record_action = QtGui.QAction("&Record animation…", window)
        self.record_action.setShortcut(QtGui.QKeySequence("Ctrl+Shift+R"))
        self.record_action.setStatusTip(
            "Train on from here and save the window or a pane as an animated GIF "
            "and/or numbered PNG frames"
        )
        self.record_action.triggered.connect(lambda: self.record(self.focused_pane()))
        self.record_dialog = None  # made on first use
        self.last_menu = None  # the last context menu opened
        self._context_filters: dict[str, _ContextFilter] = {}
        for name, pane in window.panes.items():
            self.install_context_menu(name, pane)

    # -- which widget ----------------------------------------------------------------
    def widget(self, what: str) -> QtWidgets.QWidget:
        """The widget a figure of ``what`` renders, ready to be drawn: what the pane
        (or the panes in front in the window) shows is computed (the path, the
        cross-validation), and a pane in a hidden tab is given the size it has in
        front."""
        w = self.window
        if what == "window":  # what the panes in front show
            for key, spec in PANES.items():
                if spec.waits_for and w.grid.is_in_front(key):
                    self._wait(key)
            return w
        if PANES[what].waits_for:
            self._wait(what)
        w.grid.fit_for_figure(what)
        return w.panes[what]

    def _wait(self, key: str) -> None:
        """Compute what pane ``key`` shows (see ``PaneSpec.waits_for``)."""
        what = PANES[key].waits_for
        if what == "pane":
            self.window.panes[key].wait()
        elif what == "compare":
            self.window.session.compare_model.wait()
        elif what == "stability":
            self.window.session.stability_model.wait()
        else:
            self.window.session.path_model.wait(what)

    @contextmanager
    def figure(
        self,
        what: str,
        *,
        keep_theme: bool | None = None,
        with_controls: bool | None = None,
    ) -> Iterator[QtWidgets.QWidget]:
        """The widget a figure of ``what`` renders, ready while the block runs: the
        export appearance (white unless ``keep_theme``), what it shows computed
        (:meth:`widget`) and, for a pane, its controls hidden unless
        ``with_controls``. Afterwards the window is as it was. Both options default
        to the export menu's ticks."""
        if keep_theme is None:
            keep_theme = self.keep_theme
        if with_controls is None:
            with_controls = self.with_controls
        with self.window.export_appearance(keep_theme=keep_theme):
            target = self.widget(what)
            keep = with_controls or what == "window"
            with export.hiding([] if keep else figure_controls(target)):
                refresh_panes(target)  # drawn for the size without the controls
                yield target

    def focused_pane(self) -> str:
        w = QtWidgets.QApplication.focusWidget()
        while w is not None:
            for name, pane in self.window.panes.items():
                if w is pane:
                    return name
            w = w.parentWidget()
        return "window"

    # -- context menus -----------------------------------------------------------------
    def install_context_menu(self, name: str, pane: QtWidgets.QWidget) -> None:
        """Right-click anywhere in ``pane``: its export menu (a pane built after
        the window's first paint gets it then)."""
        filt = _ContextFilter(self, name, pane)
        pane.installEventFilter(filt)
        for child in pane.findChildren(QtWidgets.QWidget):
            child.installEventFilter(filt)
        self._context_filters[name] = filt  # kept alive here, not on the pane

    def context_menu(self, name: str) -> QtWidgets.QMenu:
        menu = QtWidgets.QMenu(self.window)
        menu.setObjectName(f"{name}ContextMenu")
        for scale in export.SCALES:
            menu.addAction(
                f"Export {FIGURE_TITLES[name].lower()} as PNG at {scale}×…",
                lambda s=scale: self.export(name, "png", s),
            )
        menu.addAction("Export as SVG…", lambda: self.export(name, "svg"))
        menu.addAction("Copy to clipboard", lambda: self.copy(name))
        menu.addSeparator()
        menu.addAction(self.controls_action)
        menu.addAction("Record animation…", lambda: self.record(name))
        return menu

    # -- doing it -----------------------------------------------------------------
    def default_path(self, what: str, suffix: str) -> Path:
        w = self.window
        tr = w.session.trainer
        name = export.default_name(
            what, w.session.dataset.name, tr.penalty.slug(), tr.step_count, suffix
        )
        return folders.start_folder("figures") / name

    def export(self, what: str, kind: str = "png", scale: int = 1, path=None) -> bool:
        """Export pane ``what`` (or 'window'); asks for a file name unless ``path``."""
        suffix = ".svg" if kind == "svg" else ".png"
        if path is None:
            filt = "SVG drawing (*.svg)" if kind == "svg" else "PNG image (*.png)"
            path, _ = QtWidgets.QFileDialog.getSaveFileName(
                self.window,
                f"Export {FIGURE_TITLES[what].lower()}",
                str(self.default_path(what, suffix)),
                filt,
            )
            if not path:
                return False
        path = Path(path)
        if path.suffix.lower() != suffix:
            path = path.with_suffix(suffix)
        try:
            with self.figure(what) as target:
                if kind == "svg":
                    export.save_svg(target, path, FIGURE_TITLES[what])
                else:
                    export.save_png(target, path, scale)
        except OSError as e:
            self.window.show_error("Cannot export the figure", f"{path}: {e}")
            return False
        folders.remember("figures", path)
        self.window.statusBar().showMessage(f"Saved {path}", 8000)
        return True

    def record(self, what: str = "window"):
        """Open the Record animation dialog with ``what`` chosen (returned). One dialog
        per window, so it keeps the last settings between recordings."""
        from gui.dialogs.record_dialog import RecordDialog  # Pillow loads on first use

        dlg = self.record_dialog
        if dlg is None:
            dlg = self.record_dialog = RecordDialog(self.window)
        if not dlg.recording:
            dlg.what.setCurrentIndex(dlg.what.findData(what))
            dlg.refresh()
        dlg.open()
        dlg.raise_()
        return dlg

    def copy(self, what: str) -> None:
        with self.figure(what) as target:
            export.copy_to_clipboard(target)
        self.window.statusBar().showMessage(
            f"Copied the {FIGURE_TITLES[what].lower()} to the clipboard", 5000
        )


class _ContextFilter(QtCore.QObject):
    """Opens the export menu on a right-click anywhere in a pane."""

    def __init__(self, actions: FigureActions, name: str, pane):
        super().__init__(pane)
        self.actions, self.name = actions, name

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QtCore.QEvent.Type.ContextMenu:
            menu = self.actions.context_menu(self.name)
            menu.popup(event.globalPos())
            self.actions.last_menu = menu
            return True
        return False
