"""Guided lessons in the window: the Lessons menu and the lesson text beside the panes.

Choosing a lesson loads its bundled dataset and settings exactly as
:meth:`engine.lessons.Lesson.build` describes (the same run the engine tests check),
runs its steps, sets the panes it talks about (weights sorted by size, geometry side by
side...) and shows its text in the Lesson dock: at the right of the panes on a wide
window, in a tab beside Controls and Data on a laptop's (the panes keep the width). The
controls stay live: the text asks the user to change settings and watch.
"""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from engine import DataError
from engine.lessons import LESSONS, Lesson, get_lesson
from gui.panes import PANES

__all__ = ["LessonPanel", "Lessons"]

_PENALTY_WORDS = {
    "none": "no penalty",
    "l1": "L1",
    "l2": "L2",
    "elasticnet": "Elastic Net",
}


def settings_line(lesson: Lesson) -> str:
    """The lesson's settings in one line, e.g. 'diabetes · L1, λ₁ = 0.2·λ_max · ...'."""
    if lesson.lam_at is not None:  # the strength comes from its cross-validation
        which = {"cv_min": "λ_min", "cv_1se": "λ_1se"}[lesson.lam_at]
        strength = f", λ = {which} of 5-fold cross-validation"
    elif lesson.penalty == "l1":
        strength = f", λ₁ = {lesson.lam:g}·λ_max"
    elif lesson.penalty == "l2":
        strength = f", λ₂ = {lesson.lam:g}·L"
    elif lesson.penalty == "elasticnet":
        strength = f", λ₁ = {lesson.lam:g}·λ_max, λ₂ = {lesson.lam2:g}·L"
    else:
        strength = ""
    eta = "η = 1/L" if lesson.lr == "auto" else f"η = {lesson.lr:g}/L"
    rule = "clamp (proximal)" if lesson.rule == "proximal" else "naive subgradient"
    steps = f"{lesson.steps:,} steps" + (", then solved" if lesson.solve else "")
    return (
        f"{lesson.dataset} · {_PENALTY_WORDS[lesson.penalty]}{strength} · {eta} · "
        f"{rule} · {steps}"
    )


class LessonPanel(QtWidgets.QWidget):
    """Title, settings, the lesson text, and Previous / Restart / Next."""

    requested = QtCore.Signal(str)  # a lesson key

    def __init__(self, parent=None):
        super().__init__(parent)
        self.lesson: Lesson | None = None
        self.title = QtWidgets.QLabel()
        self.title.setObjectName("lessonTitle")
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.settings = QtWidgets.QLabel()
        self.settings.setObjectName("lessonSettings")
        self.settings.setWordWrap(True)
        self.settings.setStyleSheet("font-size: 10pt; font-style: italic;")
        self.settings.setToolTip(
            "The settings this lesson loaded. Every number in the text is what the "
            "app shows for them, and the test suite checks each one."
        )
        self.text = QtWidgets.QTextBrowser()
        self.text.setObjectName("lessonText")
        self.text.setOpenLinks(False)
        self.text.document().setDefaultStyleSheet(
            "p, li { line-height: 130%; } ul { margin-left: 0px; }"
        )
        self.text.setStyleSheet("QTextBrowser { font-size: 11pt; }")
        self.previous_button = QtWidgets.QPushButton("◀ Previous")
        self.previous_button.setToolTip("The previous lesson")
        self.restart_button = QtWidgets.QPushButton("Restart")
        self.restart_button.setToolTip(
            "Load this lesson's data and settings again and rerun its steps"
        )
        self.next_button = QtWidgets.QPushButton("Next ▶")
        self.next_button.setToolTip("The next lesson")
        self.previous_button.clicked.connect(lambda: self._go(-1))
        self.restart_button.clicked.connect(lambda: self._go(0))
        self.next_button.clicked.connect(lambda: self._go(1))
        buttons = QtWidgets.QHBoxLayout()
        buttons.addWidget(self.previous_button)
        buttons.addWidget(self.restart_button)
        buttons.addWidget(self.next_button)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.title)
        layout.addWidget(self.settings)
        layout.addWidget(self.text, 1)
        layout.addLayout(buttons)

    def show_lesson(self, lesson: Lesson) -> None:
        keys = [x.key for x in LESSONS]
        i = keys.index(lesson.key)
        self.lesson = lesson
        self.title.setText(f"Lesson {i + 1} of {len(keys)}: {lesson.title}")
        self.settings.setText(settings_line(lesson))
        self.text.setHtml(lesson.text)
        self.previous_button.setEnabled(i > 0)
        self.next_button.setEnabled(i < len(keys) - 1)

    def _go(self, offset: int) -> None:
        if self.lesson is None:
            return
        keys = [x.key for x in LESSONS]
        i = keys.index(self.lesson.key) + offset
        if 0 <= i < len(keys):
            self.requested.emit(keys[i])


def lesson_shortcut(number: int) -> str:
    """The key of lesson ``number`` (from 1): Ctrl+1 … Ctrl+9, Ctrl+0 for the tenth;
    later lessons are in the menu only (and one Next away in the lesson text)."""
    if 1 <= number <= 9:
        return f"Ctrl+{number}"
    return "Ctrl+0" if number == 10 else ""


#: Windows at least this wide show the lesson text at the right of the panes;
#: narrower ones in a tab beside the controls (see Lessons._place_dock).
BESIDE_MIN_WIDTH = 1600


class Lessons(QtCore.QObject):
    """The Lessons menu of a main window and the dock that holds the lesson text."""

    def __init__(self, window, parent=None):
        super().__init__(parent or window)
        self.window = window
        self.current: Lesson | None = None
        self.panel = LessonPanel()
        self.panel.requested.connect(self.start)
        self.dock = QtWidgets.QDockWidget("Lesson", window)
        self.dock.setObjectName("lessonDock")
        self.dock.setWidget(self.panel)
        self.dock.setMinimumWidth(280)
        window.addDockWidget(QtCore.Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        self.dock.hide()
        self.menu = QtWidgets.QMenu("&Lessons", window)
        self.actions: dict[str, QtGui.QAction] = {}
        for i, lesson in enumerate(LESSONS, start=1):
            act = self.menu.addAction(
                f"&{i}. {lesson.title}" if i < 10 else f"{i}. {lesson.title}"
            )
            if lesson_shortcut(i):
                act.setShortcut(QtGui.QKeySequence(lesson_shortcut(i)))
            act.setStatusTip(settings_line(lesson))
            act.triggered.connect(lambda _=False, k=lesson.key: self.start(k))
            self.actions[lesson.key] = act
        self.menu.addSeparator()
        self.toggle = self.dock.toggleViewAction()
        self.toggle.setText("Show the lesson text")
        self.toggle.setEnabled(False)  # until there is a lesson
        self.menu.addAction(self.toggle)
        #: The lesson whose run is being adopted (while its datasetLoaded is heard).
        self.starting: Lesson | None = None
        self.started_while_presenting = False
        window.session.datasetLoaded.connect(self._on_dataset_change)

    def _on_dataset_change(self) -> None:
        """Other data than the lesson's: its text no longer describes the window."""
        if self.starting is not None or self.current is None:
            return
        self.current = None
        self.dock.hide()
        self.toggle.setEnabled(False)
        panel = self.window.data_panel
        if panel.source.startswith("Lesson"):  # the same data, prepared anew
            panel.set_source(f"Bundled dataset '{self.window.session.dataset.name}'")

    def show_text(self, key: str) -> None:
        """Show lesson ``key``'s text without loading it (a restored session). In
        presentation mode it appears when the mode ends."""
        self.current = get_lesson(key)
        self.panel.show_lesson(self.current)
        self.toggle.setEnabled(True)
        if self.window.appearance.presenting:
            self.started_while_presenting = True
        elif not self.dock.isVisible():
            self._place_dock()

    def _place_dock(self) -> None:
        """Show the lesson text: on a window narrower than :data:`BESIDE_MIN_WIDTH`
        (a laptop, a projector at 1280 × 720) in a tab beside Controls and Data, in
        front, so the panes keep the width (three pictures side by side need it);
        on a wider one at the right, a quarter of the window wide."""
        w = self.window
        left = QtCore.Qt.DockWidgetArea.LeftDockWidgetArea
        if w.width() < BESIDE_MIN_WIDTH and w.dockWidgetArea(w.controls_dock) == left:
            w.addDockWidget(left, self.dock)
            w.tabifyDockWidget(w.controls_dock, self.dock)
            self.dock.show()
            self.dock.raise_()
            return
        w.addDockWidget(QtCore.Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        self.dock.show()
        width = max(self.dock.minimumWidth(), min(460, w.width() // 4))
        w.resizeDocks([self.dock], [width], QtCore.Qt.Orientation.Horizontal)

    def start(self, key: str) -> bool:
        """Load lesson ``key`` into the window; on failure say why and change
        nothing."""
        lesson = get_lesson(key)
        if self.window.files.opening_session:
            self.window.show_error(
                "Cannot start the lesson",
                "A session is being opened; start the lesson when it has finished "
                "(or cancel opening it).",
            )
            return False
        if not self._may_replace_import(lesson):
            return False
        QtWidgets.QApplication.setOverrideCursor(QtCore.Qt.CursorShape.WaitCursor)
        try:
            self.load(lesson)
        except (DataError, ValueError, OSError) as e:
            self.window.show_error("Cannot start the lesson", f"{lesson.title}: {e}")
            return False
        finally:
            QtWidgets.QApplication.restoreOverrideCursor()
        self.window.statusBar().showMessage(
            f"Lesson: {lesson.title}. {lesson.steps:,} steps run; the Lesson text "
            "says what to watch.",
            10000,
        )
        return True

    def _may_replace_import(self, lesson: Lesson) -> bool:
        """Whether to go on when the lesson would replace imported data: asks (the
        import cannot be reloaded from a name like a bundled dataset can)."""
        session = self.window.session
        if session.dataset is None or session.settings.source.kind != "csv":
            return True
        answer = QtWidgets.QMessageBox.question(
            self.window,
            "Start the lesson?",
            f"Start lesson “{lesson.title}”? It replaces your imported data "
            f"{session.dataset.name}; Undo (Ctrl+Z) brings it back.",
            QtWidgets.QMessageBox.StandardButton.Yes
            | QtWidgets.QMessageBox.StandardButton.Cancel,
            QtWidgets.QMessageBox.StandardButton.Cancel,
        )
        return answer == QtWidgets.QMessageBox.StandardButton.Yes

    def load(self, lesson: Lesson) -> None:
        """Build the lesson's run (raises DataError, ValueError or OSError before
        anything changes), then show it with the lesson text."""
        from engine.run import execute

        run = execute(lesson.start())
        w = self.window
        self.starting = lesson
        try:
            w.session.adopt(run)
        finally:
            self.starting = None
        w.data_panel.set_source(
            f"Lesson “{lesson.title}”: bundled dataset '{lesson.dataset}'"
        )
        w.panes["weights"].set_view_state({"sorted": 1 if lesson.sort_by_size else 0})
        geometry = w.panes["geometry"]
        geometry.set_view_state(
            {
                **geometry.view_state(),  # the loss and zones stay as they are
                "side_by_side": False,
                "view": "constrained",
                "descent": False,
                **lesson.geometry,
            }
        )
        w.panes["path"].set_view_state({"x": "log", "early": False, **lesson.path_view})
        # three plots side by side need the room
        w.set_pane_split(0.3 if lesson.geometry.get("side_by_side") else 0.575)
        for key in lesson.panes:  # the panes its text talks about, in front
            w.grid.show_pane(key)
        # the row of the pane its text talks about last gets the larger share of the
        # height (a picture in the top row, the fit's errors below it, take most)
        total = sum(w.grid.sizes()) or 1000  # before it is shown: shares of 1000
        bottom = 0.45
        if lesson.panes:
            bottom = 0.52 if PANES[lesson.panes[-1]].row == 1 else 0.3
        w.grid.setSizes([int(total * (1 - bottom)), int(total * bottom)])
        self.show_text(lesson.key)
        self.dock.raise_()
