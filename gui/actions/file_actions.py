"""Opening CSV files: File › Open, the recent-files menu, drag and drop, --csv."""

from __future__ import annotations

from pathlib import Path

from PySide6 import QtCore, QtGui, QtWidgets

from engine import DataError
from gui import folders
from gui.recent import RecentFiles
from gui.worker import Worker

__all__ = ["FileActions"]

CSV_FILTER = "Delimited text (*.csv *.tsv *.txt *.dat);;All files (*)"
SESSION_FILTER = "L1/L2 Explorer session (*.json);;All files (*)"


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
        self.save_session_action = QtGui.QAction("&Save session…", window)
        self.save_session_action.setShortcut(QtGui.QKeySequence.StandardKey.Save)
        self.save_session_action.setStatusTip(
            "Save data source, settings, steps and "
            "layout; opening it reproduces the weights"
        )
        self.save_session_action.triggered.connect(lambda: self.save_session())
        self.open_session_action = QtGui.QAction("Open s&ession…", window)
        self.open_session_action.setShortcut(QtGui.QKeySequence("Ctrl+Shift+O"))
        self.open_session_action.triggered.connect(lambda: self.open_session())
        self._session_worker: Worker | None = None
        self.recent_menu = QtWidgets.QMenu("Open &recent", window)
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self.last_dialog = None  # the most recent ImportDialog

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
        recent = self.recent.paths()
        start = Path(recent[0]).parent if recent else folders.start_folder("data")
        path, _ = QtWidgets.QFileDialog.getOpenFileName(
            self.window, "Open a CSV file", str(start), CSV_FILTER
        )
        if path:
            self.open_csv(path)

    def open_csv(self, path, target: str | None = None):
        """Show the import dialog for ``path`` (window-modal, without blocking); the
        dataset is loaded when the user presses Import. None if the file is refused
        at once (the message says why)."""
        from engine.csv import CSVError, sniff  # loads pandas: not at start-up

        path = Path(path)
        try:
            fmt, notes = sniff(path)
        except CSVError as e:
            if not path.exists():
                self.recent.remove(str(path))
            self.window.show_error("Cannot open this file", str(e))
            return None
        from gui.dialogs.import_dialog import ImportDialog

        session = self.session
        dlg = ImportDialog(
            path,
            fmt,
            notes,
            target=target,
            parent=self.window,
            prepare=lambda ds, options: session.prepare_run(ds, **options),
        )
        dlg.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.accepted.connect(lambda: self.finish(dlg))
        self.last_dialog = dlg
        dlg.open()
        return dlg

    def finish(self, dlg) -> bool:
        """Load the dataset the dialog built; on failure keep the current one."""
        ds = dlg.result_dataset
        if ds is None:
            return False
        try:
            if dlg.prepared is not None:  # prepared on the dialog's worker thread
                self.session.adopt(dlg.prepared)
            else:
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

    # -- sessions -------------------------------------------------------------------
    @property
    def opening_session(self) -> bool:
        """Whether a session file is being replayed (nothing else may start a run)."""
        return self._session_worker is not None

    def save_session(self, path=None) -> bool:
        """Save the run; asks for a file name unless ``path`` is given."""
        w = self.window
        tr = self.session.trainer
        if path is None:
            default = folders.start_folder("sessions") / (
                f"session_{self.session.dataset.name}_"
                f"{tr.penalty.slug()}_step{tr.step_count}.json"
            )
            path, _ = QtWidgets.QFileDialog.getSaveFileName(
                w, "Save session", str(default), SESSION_FILTER
            )
            if not path:
                return False
        from engine import session_file  # json and hashlib: not at start-up

        try:
            rec = session_file.SessionRecord.capture(
                self.session.settings, tr, self.session.data, w.view_state()
            )
            session_file.write(path, rec)
        except session_file.SessionError as e:
            w.show_error("Cannot save the session", str(e))
            return False
        except OSError as e:
            w.show_error("Cannot save the session", str(e))
            return False
        folders.remember("sessions", path)
        w.statusBar().showMessage(f"Saved session {path}", 8000)
        return True

    def open_session(self, path=None, then=None):
        """Read a session file and replay it on a worker thread; the current state is
        replaced only when the replay succeeded, and ``then()`` is called after that.
        Returns the worker (or None)."""
        w = self.window
        if path is None:
            path, _ = QtWidgets.QFileDialog.getOpenFileName(
                w, "Open session", str(folders.start_folder("sessions")), SESSION_FILTER
            )
            if not path:
                return None
        from engine import session_file

        try:
            rec = session_file.read(path)
        except session_file.SessionError as e:
            w.show_error("Cannot open the session", str(e))
            return None
        folders.remember("sessions", path)
        return self._replay(rec, path, then)

    def _replay(self, rec, path, then=None):
        """Replay ``rec`` (read from ``path``) on a worker thread."""
        from engine import session_file

        w = self.window
        if self._session_worker is not None:
            return None
        progress = QtWidgets.QProgressDialog(
            "Replaying the session…", "Cancel", 0, 1000, w
        )
        progress.setWindowTitle("Opening session")
        progress.setMinimumDuration(500)
        worker = Worker(lambda prog, cancel: session_file.restore(rec, prog, cancel), w)
        worker.progressed.connect(
            lambda f, m: (progress.setValue(int(f * 1000)), progress.setLabelText(m))
        )
        progress.canceled.connect(worker.stop.set)
        worker.done.connect(
            lambda res: self._on_session_restored(res, rec, path, progress, then)
        )
        self._session_worker = worker
        worker.start()
        return worker

    def locate_csv(self, missing: Path) -> str | None:
        """Ask where a session's CSV file went: a file name, or None."""
        w = self.window
        box = QtWidgets.QMessageBox(w)
        box.setIcon(QtWidgets.QMessageBox.Icon.Question)
        box.setWindowTitle("Where is the session's CSV file?")
        box.setText(
            f"The session's data file is not where it was saved:\n{missing}\n\n"
            "Locate it? The file must be the same (it is checked by its SHA-256)."
        )
        locate = box.addButton("Locate…", QtWidgets.QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QtWidgets.QMessageBox.StandardButton.Cancel)
        box.exec()
        if box.clickedButton() is not locate:
            return None
        found, _ = QtWidgets.QFileDialog.getOpenFileName(
            w, f"Locate {missing.name}", str(missing.parent), CSV_FILTER
        )
        return found or None

    def _on_session_restored(self, res, rec, path, progress, then=None) -> None:
        worker, self._session_worker = self._session_worker, None
        worker.wait()
        worker.deleteLater()
        progress.close()
        from engine import session_file

        w = self.window
        if isinstance(res, session_file.ReplayCancelled):
            w.statusBar().showMessage("Opening the session was cancelled", 8000)
            return
        if isinstance(res, session_file.MissingCSV):
            found = self.locate_csv(res.path)
            if found is not None:
                self._replay(rec.with_csv(found), path, then)
            return
        if isinstance(res, Exception):
            w.show_error("Cannot open the session", f"{Path(path).name}: {res}")
            return
        run, exact = res
        trainer = run.trainer
        self.session.adopt(run)
        src = rec.settings.source
        where = src.path if src.kind == "csv" else f"bundled '{src.name}'"
        self.data_panel.set_source(f"Session {path} — data: {where}")
        w.apply_view_state(rec.view)
        if exact:
            w.statusBar().showMessage(
                f"Session restored: {trainer.step_count:,} steps, "
                "weights identical to the saved ones",
                10000,
            )
        else:
            w.show_error(
                "Session restored, but not exactly",
                "Replaying the saved steps gave weights that differ from the "
                "saved fingerprint (another machine's arithmetic, or a session "
                "of an L1 or Elastic Net run saved by a version before "
                "2026-12-03, whose steps were summed in another order, can differ "
                "in the last digits). The settings and step count are restored.",
            )
        if then is not None:
            then()
