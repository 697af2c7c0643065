"""Opening CSV files: File › Open, the recent-files menu, drag and drop, --csv."""

from __future__ import annotations

from pathlib import Path

from PySide6 import QtCore, QtGui, QtWidgets

from engine import DataError
from engine.csv_format import CSVError, sniff
from gui.import_dialog import ImportDialog
from gui.recent import RecentFiles

__all__ = ["FileActions"]

CSV_FILTER = "Delimited text (*.csv *.tsv *.txt *.dat);;All files (*)"


class FileActions(QtCore.QObject):
    """Owns the Open action, the recent-files menu and the import flow of a window.

    A refused file leaves the loaded dataset untouched: the session is only changed
    after the import dialog produced a dataset and the session accepted it.
    """

    def __init__(self, window, session, data_panel, parent=None):
        super().__init__(parent or window)
        self.window = window
        self.session = session
        self.data_panel = data_panel
        self.recent = RecentFiles()
        self.open_action = QtGui.QAction("&Open CSV…", window)
        self.open_action.setShortcut(QtGui.QKeySequence.StandardKey.Open)
        self.open_action.setStatusTip(
            "Import your own CSV file (or drop it on the window)"
        )
        self.open_action.triggered.connect(self.choose_file)
        self.recent_menu = QtWidgets.QMenu("Open &recent", window)
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self.last_dialog: ImportDialog | None = None

    def _fill_recent(self) -> None:
        menu = self.recent_menu
        menu.clear()
        paths = self.recent.paths()
        if not paths:
            act = menu.addAction("(none yet)")
            act.setEnabled(False)
            return
        for p in paths:
            act = menu.addAction(Path(p).name)
            act.setToolTip(p)
            act.setStatusTip(p)
            act.triggered.connect(lambda _=False, p=p: self.open_csv(p))
        menu.addSeparator()
        menu.addAction("Clear the list", self.recent.clear)

    def choose_file(self) -> None:
        start = self.recent.paths()[0] if self.recent.paths() else str(Path.cwd())
        path, _ = QtWidgets.QFileDialog.getOpenFileName(
            self.window, "Open a CSV file", str(Path(start).parent), CSV_FILTER
        )
        if path:
            self.open_csv(path)

    def open_csv(self, path, target: str | None = None) -> ImportDialog | None:
        """Show the import dialog for ``path`` (window-modal, without blocking); the
        dataset is loaded when the user presses Import. None if the file is refused
        at once (the message says why)."""
        path = Path(path)
        try:
            fmt, notes = sniff(path)
        except CSVError as e:
            if not path.exists():
                self.recent.remove(str(path))
            self.window.show_error("Cannot open this file", str(e))
            return None
        dlg = ImportDialog(path, fmt, notes, target=target, parent=self.window)
        dlg.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.accepted.connect(lambda: self.finish(dlg))
        self.last_dialog = dlg
        dlg.open()
        return dlg

    def finish(self, dlg: ImportDialog) -> bool:
        """Load the dataset the dialog built; on failure keep the current one."""
        ds = dlg.result_dataset
        if ds is None:
            return False
        try:
            self.session.load_dataset(ds, **dlg.options())
        except (DataError, ValueError) as e:
            self.window.show_error("Cannot use this data", str(e))
            return False
        self.recent.add(dlg.path)
        self.data_panel.set_source(f"{dlg.path} — read as {dlg.fmt.describe()}")
        return True

    # -- drag and drop --------------------------------------------------------------
    @staticmethod
    def dropped_file(event) -> str | None:
        md = event.mimeData()
        if md.hasUrls():
            urls = [u for u in md.urls() if u.isLocalFile()]
            if len(urls) == 1:
                return urls[0].toLocalFile()
        return None
