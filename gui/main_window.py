"""The main window: controls on the left, panes in the middle, status below."""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from engine import DataError
from engine.datasets import load_dataset
from engine.lessons import lesson_keys
from gui import export, folders
from gui.actions.appearance import Appearance
from gui.actions.figure_actions import FigureActions
from gui.actions.file_actions import FileActions
from gui.actions.lessons import Lessons
from gui.actions.menus import Menus
from gui.actions.undo import RunHistory
from gui.controls import ControlPanel
from gui.crash import CrashReporter
from gui.data_panel import DataPanel
from gui.divergence_banner import DivergenceBanner
from gui.pane_grid import PaneGrid
from gui.panes import PANES, hidden_tab_keys, refresh_panes, refresh_shown_panes
from gui.path_status import PathStatus
from gui.screen_fit import WindowPlacement
from gui.session import TrainingSession
from gui.throttle import Throttle
from gui.widgets import WrappingLabel
from gui.worker import Worker

__all__ = ["MainWindow"]

#: Seconds between updates of the status bar and the caption while playing.
STATUS_INTERVAL = 0.1


class MainWindow(QtWidgets.QMainWindow):
    """Controls, the weights, trajectories and curves panes, menus and status bar."""

    def __init__(
        self, session: TrainingSession | None = None, *, defer_hidden: bool = False
    ):
        """``defer_hidden``: the panes of tabs not in front are left out until
        :meth:`build_hidden_panes` (the application's start: after the first
        paint, which they are not part of)."""
        super().__init__()
        self.session = session or TrainingSession(self)
        self.screenshot_scale = 1
        self.setWindowTitle("L1/L2 Explorer")
        self.placement = WindowPlacement(self)
        self.placement.place()  # fits the screen it opens on
        s = self.session

        self.controls = ControlPanel(s)
        self.controls.datasetRequested.connect(self.load_bundled)
        scroll = QtWidgets.QScrollArea()
        scroll.setWidget(self.controls)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(
            QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        )
        # the panel's own minimum and room for the vertical scroll bar
        scroll.setMinimumWidth(self.controls.minimumSizeHint().width() + 24)
        self.controls_dock = QtWidgets.QDockWidget("Controls", self)
        self.controls_dock.setObjectName("controlsDock")
        self.controls_dock.setWidget(scroll)
        self.controls_dock.setFeatures(
            QtWidgets.QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QtWidgets.QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
        self.addDockWidget(
            QtCore.Qt.DockWidgetArea.LeftDockWidgetArea, self.controls_dock
        )
        self.data_panel = DataPanel(s)
        self.data_dock = QtWidgets.QDockWidget("Data", self)
        self.data_dock.setObjectName("dataDock")
        self.data_dock.setWidget(self.data_panel)
        self.data_dock.visibilityChanged.connect(self.data_panel.set_in_view)
        self.addDockWidget(QtCore.Qt.DockWidgetArea.LeftDockWidgetArea, self.data_dock)
        self.tabifyDockWidget(self.controls_dock, self.data_dock)
        self.controls_dock.raise_()
        self.resizeDocks([self.controls_dock], [360], QtCore.Qt.Orientation.Horizontal)
        self.files = FileActions(self, s, self.data_panel)
        self.setAcceptDrops(True)

        #: Panes of hidden tabs still to be built (see build_hidden_panes).
        self.hidden_to_build = hidden_tab_keys() if defer_hidden else []
        self.panes = {
            key: spec.cls(s)
            for key, spec in PANES.items()
            if key not in self.hidden_to_build
        }
        self.weights = self.panes["weights"]
        self.geometry = self.panes["geometry"]
        self.trajectories = self.panes["trajectories"]
        self.curves = self.panes["curves"]
        self.grid = PaneGrid(self.panes)
        self.splitter = self.grid  # the rows of panes
        self.top, self.bottom = self.grid.rows

        self.banner = DivergenceBanner()
        self.banner.fix_button.clicked.connect(self._use_safe_step)
        self.caption = WrappingLabel()
        self.caption.setObjectName("caption")
        self.caption.setTextFormat(QtCore.Qt.TextFormat.RichText)
        # two lines on a small screen rather than a window wider than the screen
        self.caption.setToolTip("The current settings (shown in presentation mode)")
        self.caption.hide()
        central = QtWidgets.QWidget()
        layout = QtWidgets.QVBoxLayout(central)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.caption)
        layout.addWidget(self.banner)
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        #: Reports uncaught exceptions once installed (``run_app`` installs it).
        self.crash_reporter = CrashReporter(self)
        self.figures = FigureActions(self)
        self.undo = RunHistory(self)  # before the lessons: see RunHistory
        self.controls.dragStarted.connect(self.undo.begin_drag)
        self.controls.dragFinished.connect(self.undo.end_drag)
        self.lessons = Lessons(self)
        self.appearance = Appearance(self)
        self.geometry.viewsRebuilt.connect(self.appearance.restyle)

        self._build_status_bar()
        self.menus = Menus(self)
        s.datasetLoaded.connect(self._on_dataset_change)
        # while playing the numbers change faster than anyone reads them: at most
        # 10 times a second then, at once otherwise
        self._run_text = Throttle(self._update_run_text, STATUS_INTERVAL, self)
        s.stepped.connect(lambda: self._run_text.request(now=not s.playing))
        s.playingChanged.connect(lambda _: self._run_text.request(now=True))
        s.settingsChanged.connect(self._update_status)
        s.settingsChanged.connect(self._update_caption)
        s.datasetLoaded.connect(self._update_caption)
        s.diverged.connect(self._on_diverged)
        s.settingsChanged.connect(self._on_settings_change)
        s.solveStarted.connect(self._on_solve_started)
        s.solveProgressed.connect(self._on_solve_progress)
        s.solveFinished.connect(self._on_solve_finished)

    # -- building -----------------------------------------------------------------
    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.status_labels = {}
        for key, tip in (
            ("step", "Training steps since the last reset"),
            ("rate", "Training steps per second while playing"),
            ("objective", "Objective F = data loss + penalty"),
            (
                "validation",
                "Data loss D on the validation rows, and R² (squared loss) or "
                "accuracy (logistic loss) there",
            ),
            ("nonzero", "Weights that are not exactly 0"),
        ):
            label = QtWidgets.QLabel()
            label.setToolTip(tip)
            label.setObjectName(f"status_{key}")
            # room between the labels at any font size (presentation mode's too)
            label.setContentsMargins(10, 0, 10, 0)
            label.setMinimumWidth(120)  # a step counter that grows does not jitter
            bar.addPermanentWidget(label)
            self.status_labels[key] = label
        self.progress = QtWidgets.QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setMaximumWidth(220)
        self.progress.setFormat("solving… %p%")
        self.cancel_button = QtWidgets.QPushButton("Cancel")
        self.cancel_button.setToolTip("Stop solving (Esc)")
        self.cancel_button.clicked.connect(self.session.cancel_solve)
        # permanent widgets: a temporary status message would hide normal ones
        bar.insertPermanentWidget(0, self.progress)
        bar.insertPermanentWidget(1, self.cancel_button)
        self.progress.hide()
        self.cancel_button.hide()
        self.path_status = PathStatus(bar, self.session.path_model, 2, self)
        self._rate_timer = QtCore.QTimer(self)
        self._rate_timer.timeout.connect(self._update_status)
        self._rate_timer.start(500)

    # -- data ---------------------------------------------------------------------
    def load_bundled(self, name: str) -> bool:
        try:
            src = self.session.settings.source  # synthetic data keeps its seed
            ds = load_dataset(name, seed=src.seed if src.kind == "bundled" else 0)
        except DataError as e:
            self.show_error("Cannot load the dataset", str(e))
            return False
        if not self.load(ds):
            return False
        self.data_panel.set_source(f"Bundled dataset '{name}'")
        return True

    def open_csv(self, path, target=None):
        """Import a CSV file through the import dialog (returned, or None if the file
        was refused at once)."""
        return self.files.open_csv(path, target)

    def dragEnterEvent(self, event) -> None:
        if self.files.dropped_file(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event) -> None:
        path = self.files.dropped_file(event)
        if path:
            event.acceptProposedAction()
            # after the drop has finished, not inside the drag-and-drop event loop
            QtCore.QTimer.singleShot(0, lambda: self.open_csv(path))

    def load(self, dataset) -> bool:
        """Train on ``dataset``; on failure say why and keep the current one."""
        try:
            self.session.load_dataset(dataset)
        except (DataError, ValueError) as e:
            self.show_error("Cannot use this data", str(e))
            return False
        return True

    def show_error(self, title: str, text: str) -> None:
        QtWidgets.QMessageBox.warning(self, title, text)

    def _on_dataset_change(self) -> None:
        self.setWindowTitle(f"L1/L2 Explorer — {self.session.dataset.name}")
        self.banner.hide()
        self._update_status()

    def build_hidden_panes(self) -> None:
        """Build the panes left out by ``defer_hidden`` and put them in their tabs
        (with their context menus), keeping the registry's order of ``panes``."""
        keys, self.hidden_to_build = self.hidden_to_build, []
        for key in keys:
            pane = PANES[key].cls(self.session)
            self.grid.put(key, pane)
            self.figures.install_context_menu(key, pane)
        ordered = {key: self.panes[key] for key in PANES}
        self.panes.clear()  # the grid holds the same dict
        self.panes.update(ordered)

    # -- status ---------------------------------------------------------------------
    def facts(self):
        """What the status bar, the caption and figure captions state about the run
        (``engine.run.RunFacts``, formatted as the command line prints them)."""
        return self.session.facts()

    def _update_run_text(self) -> None:
        self._update_status()
        self._update_caption()

    def _update_status(self) -> None:
        tr = self.session.trainer
        if tr is None:
            return
        facts = self.facts()
        lab = self.status_labels
        lab["step"].setText(facts.step_text)
        rate = self.session.steps_per_second if self.session.playing else 0
        lab["rate"].setText(f"{rate:,.0f} steps/s" if rate else "paused")
        lab["objective"].setText(facts.objective_text)
        lab["validation"].setText(facts.validation_text)
        lab["validation"].setVisible(bool(facts.validation_text))
        d = facts.n_features
        lab["nonzero"].setText(f"{d - facts.n_zero} of {d} nonzero")

    def _on_settings_change(self) -> None:
        tr = self.session.trainer
        if tr is not None and tr.divergence is None:
            self.banner.hide()

    def _on_diverged(self, div) -> None:
        self.banner.show_divergence(div)
        self.controls.mark_divergence()

    def _use_safe_step(self) -> None:
        self.session.use_safe_step()
        self.banner.hide()

    # -- solving ----------------------------------------------------------------------
    def _on_solve_started(self) -> None:
        self.progress.setValue(0)
        self.progress.show()
        self.cancel_button.show()
        self.statusBar().showMessage("Solving to convergence…")

    def _on_solve_progress(self, frac: float, message: str) -> None:
        self.progress.setValue(int(frac * 1000))
        self.statusBar().showMessage(f"Solving to convergence: {message}")

    def _on_solve_finished(self, res) -> None:
        self.progress.hide()
        self.cancel_button.hide()
        if isinstance(res, Exception):
            self.statusBar().showMessage("")
            self.show_error("Solving failed", str(res))
            return
        if res.cancelled:
            text = "Solving cancelled; the weights are unchanged."
        elif res.converged:
            text = (
                f"Converged: {res.message}; {res.n_nonzero} nonzero weights, "
                f"{res.elapsed:.2f} s."
            )
        else:
            text = f"Stopped: {res.message}."
        self.statusBar().showMessage(text, 15000)

    # -- the path ---------------------------------------------------------------------
    def cancel_work(self) -> None:
        """Esc: stop solving, or else every computation running (the path and
        cross-validation, the comparison, the stability lab, the sweep); each
        keeps and shows what it has done, as its own Cancel button does."""
        s = self.session
        if s.solving:
            s.cancel_solve()
            return
        wins = self.panes.get("wins")
        stopped = []
        for what, job in (
            ("the path", s.path_model),
            ("the comparison", s.compare_model),
            ("the stability lab", s.stability_model),
            ("the sweep", wins),
        ):
            if job is not None and job.busy:
                job.cancel()
                stopped.append(what)
        if stopped:
            self.statusBar().showMessage("Stopped " + ", ".join(stopped), 5000)

    def go_to_cv(self, which: str) -> None:
        """λ to λ_min ('min') or λ_1se ('1se') of the cross-validation (M, Shift+M)."""
        if not self.session.path_model.go_to_cv(which):
            self.statusBar().showMessage(
                "No cross-validation yet: choose L1, L2 or Elastic Net and wait for it",
                5000,
            )

    # -- screenshots ----------------------------------------------------------------
    def set_screenshot_scale(self, k: int) -> None:
        """Pixels per point of the screenshots saved (File › Screenshot scale)."""
        self.screenshot_scale = k

    def default_screenshot_name(self, what: str = "window") -> str:
        tr = self.session.trainer
        return f"{what}_{self.session.dataset.name}_{tr.penalty.slug()}_step{tr.step_count}.png"

    def save_screenshot(self) -> None:
        path, _ = QtWidgets.QFileDialog.getSaveFileName(
            self,
            "Save screenshot",
            str(folders.start_folder("figures") / self.default_screenshot_name()),
            "PNG image (*.png)",
        )
        if not path:
            return
        if not path.lower().endswith(".png"):
            path += ".png"
        try:
            export.save_png(self, path, self.screenshot_scale)
        except OSError as e:
            self.show_error("Cannot save the screenshot", str(e))
            return
        folders.remember("figures", path)
        self.statusBar().showMessage(f"Saved {path}", 8000)

    # -- help -----------------------------------------------------------------------
    def show_shortcuts(self) -> None:
        QtWidgets.QMessageBox.information(
            self,
            "Keyboard shortcuts",
            "Ctrl+O: open a CSV file (or drop one on the window)\n"
            "Ctrl+Z: undo a change of the settings, Reset, dataset or lesson\n"
            "Ctrl+Shift+Z or Ctrl+Y: redo\n"
            "Space: play / pause\n→: one step\nShift+→: ten steps\nR: reset to the "
            "seeded start\nCtrl+Enter: solve to convergence\nEsc: cancel solving "
            "(or the path)\nM / Shift+M: λ to λ_min / λ_1se of the cross-validation\n"
            "Ctrl+Shift+S: save a screenshot\nCtrl+C: copy the focused pane as an "
            "image (right-click a pane for PNG/SVG export)\nCtrl+Shift+R: record "
            "an animation\nCtrl+S / Ctrl+Shift+O: save /"
            f" open a session\nCtrl+1 … Ctrl+{len(lesson_keys())}: guided lessons\nF5: "
            "presentation mode"
            "\nF11: full screen\nCtrl+Q: quit",
        )

    def show_about(self) -> None:
        QtWidgets.QMessageBox.about(
            self,
            "About L1/L2 Explorer",
            "<b>L1/L2 Explorer</b><br>Watch L1 drive weights to exactly zero while L2 "
            "only shrinks them.<br><br>Objective: D(w, b) + λ₁‖w‖₁ + (λ₂/2)‖w‖₂²",
        )

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not getattr(self, "_shown", False):
            self._shown = True
            QtCore.QTimer.singleShot(0, self._even_splits)

    def _even_splits(self) -> None:
        self.bottom.setSizes([1000, 1000])
        self.top.setSizes([1150, 850])

    def set_pane_split(self, share: float) -> None:
        """Give the first pane of the top row (the weights) ``share`` (0 to 1) of the
        row's width and the rest to the second (the geometry)."""
        total = sum(self.top.sizes())
        first = int(total * min(max(float(share), 0.0), 1.0))
        self.top.setSizes([first, total - first])

    # -- view state (saved in session files) ----------------------------------------
    def view_state(self) -> dict:
        """Pane layout and view settings, for a session file: the window's own, and
        each pane's :meth:`view_state` under its key in :data:`gui.panes.PANES`."""
        return {
            "size": [self.width(), self.height()],
            "splitters": self.grid.view_state(),
            "controls": self.controls_dock.isVisible(),
            "presentation": self.appearance.presenting,
            "dark": self.appearance.dark,
            "speed": self.session.steps_per_frame,
            **{key: pane.view_state() for key, pane in self.panes.items()},
            "lesson": self.lessons.current.key if self.lessons.current else None,
        }

    def apply_view_state(self, st: dict) -> None:
        """Restore :meth:`view_state`; entries that are missing or wrong are skipped
        (a pane missing from an older file keeps its view)."""
        if not isinstance(st, dict):
            return

        size = st.get("size")
        if (
            isinstance(size, list)
            and len(size) == 2
            and all(isinstance(x, int) and not isinstance(x, bool) for x in size)
            and not (self.isFullScreen() or self.isMaximized())
        ):  # a session saved on a larger screen opens within this one
            self.placement.resize_within(max(size[0], 1), max(size[1], 1))
        self.grid.set_view_state(st.get("splitters", {}))
        if isinstance(st.get("speed"), int):
            self.session.set_steps_per_frame(st["speed"])
            i = self.controls.speed_box.findData(st["speed"])
            if i >= 0:
                self.controls.speed_box.setCurrentIndex(i)
        for key, pane in self.panes.items():
            if isinstance(st.get(key), dict):
                pane.set_view_state(st[key])
        if st.get("lesson") in lesson_keys():
            self.lessons.show_text(st["lesson"])
        if isinstance(st.get("dark"), bool):
            self.set_dark(st["dark"])
        if isinstance(st.get("presentation"), bool):
            self.set_presentation(st["presentation"])

    # -- appearance ---------------------------------------------------------------
    def set_presentation(self, on: bool) -> None:
        """Presentation mode: large fonts and lines, the docks (controls, data, lesson)
        hidden, a caption; leaving it brings back the docks that were open."""
        docks = (self.controls_dock, self.data_dock, self.lessons.dock)
        entering = on and not self.appearance.presenting
        leaving = not on and self.appearance.presenting
        if entering:
            self.placement.remember("presentation")  # leaving puts it back exactly
            # checked = open, even when a tabbed dock is behind another one
            self._docks_before = [d.toggleViewAction().isChecked() for d in docks]
            self.lessons.started_while_presenting = False
            for d in docks:
                d.setVisible(False)
        self.appearance.set_presenting(on)
        self.caption.setVisible(on)
        if leaving:  # the fonts are back first: docks shown in large ones would
            # widen the window past the geometry it is given back
            self._docks_before[2] = self.lessons.current is not None and (
                self._docks_before[2] or self.lessons.started_while_presenting
            )
            for d, was_open in zip(docks, self._docks_before, strict=True):
                d.setVisible(was_open)
            self.controls_dock.raise_()
        with QtCore.QSignalBlocker(self.menus.present):
            self.menus.present.setChecked(on)
        self._update_caption()
        if leaving:
            self._restore_geometry("presentation")
        else:  # larger fonts must not push the window past the screen
            self.placement.keep_on_screen()

    def set_full_screen(self, on: bool) -> None:
        """The whole screen (F11); leaving it restores the window's geometry."""
        if on and not self.isFullScreen():
            self.placement.remember("full screen")
            self.showFullScreen()
        elif not on and self.isFullScreen():
            self.showNormal()
            self._restore_geometry("full screen")
        with QtCore.QSignalBlocker(self.menus.full_screen):
            self.menus.full_screen.setChecked(self.isFullScreen())

    def _restore_geometry(self, mode: str) -> None:
        # after the fonts and docks have settled, or their layout would undo it
        QtWidgets.QApplication.sendPostedEvents()
        self.layout().activate()
        self.placement.restore(mode)
        self.placement.keep_on_screen()

    def set_dark(self, on: bool) -> None:
        self.appearance.set_dark(on)
        with QtCore.QSignalBlocker(self.menus.dark):
            self.menus.dark.setChecked(on)

    def on_appearance_change(self) -> None:
        """Called by Appearance after restyling: labels that set their own colours."""
        fg = self.appearance.colours["foreground"]
        size = "17pt" if self.appearance.presenting else "11pt"
        self.caption.setStyleSheet(f"color: {fg}; font-size: {size}; padding: 2px;")
        self.weights.refresh_text()
        # on a slide the score line needs the room more than the view options
        self.weights.set_options_visible(not self.appearance.presenting)
        self.geometry.set_options_visible(not self.appearance.presenting)
        # colours chosen from the background (grey lines, their labels) follow it
        # even when the application's palette was already the new one (the panes
        # behind a tab when they are shown)
        refresh_shown_panes(self)

    def caption_text(self) -> str:
        s = self.session
        tr = s.trainer
        if tr is None:
            return ""
        st = s.settings
        facts = self.facts()
        eta = "1/L" if st.lr == "auto" else f"{tr.lr:.4g}"
        rule = "proximal (clamp)" if st.rule == "proximal" else "naive subgradient"
        batch = "full batch" if tr.full_batch else f"batches of {tr.batch_size}"
        sep = " &nbsp;·&nbsp; "
        return sep.join(
            (
                f"<b>{facts.dataset}</b>",
                facts.penalty,
                f"η = {eta}",
                f"{rule}, {batch}",
                facts.step_text,
                facts.zeros_text,
            )
        )

    def _update_caption(self) -> None:
        if self.caption.isVisible():
            self.caption.setText(self.caption_text())

    def export_appearance(self, keep_theme: bool = False):
        """Context for exporting: white background (unless ``keep_theme``), every
        pane redrawn with the current state (through its ``refresh_now``)."""
        from contextlib import contextmanager

        @contextmanager
        def ctx():
            was_dark = self.appearance.dark
            try:
                if was_dark and not keep_theme:
                    self.appearance.set_dark(False)
                refresh_panes(self)
                self._update_status()  # the status bar and caption are in figures too
                self._update_caption()
                QtWidgets.QApplication.processEvents()
                yield
            finally:
                if was_dark and not keep_theme:
                    self.appearance.set_dark(True)

        return ctx()

    def closeEvent(self, event) -> None:
        self.crash_reporter.uninstall()
        Worker.stop_all()  # reading a CSV, replaying a session, Monte Carlo…
        self.session.shutdown()
        super().closeEvent(event)
