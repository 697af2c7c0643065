"""The window's menu bar: File, Run, Edit, View, Lessons and Help, every entry an
action with its shortcut and tip. The entries call the window's public methods and
the actions of the other action groups (files, figures, undo, lessons); the ones
the window checks and unchecks later are kept here (:class:`Menus`)."""

from __future__ import annotations

from PySide6 import QtGui

from engine.datasets import dataset_names

__all__ = ["Menus"]


class Menus:
    """The menu bar of window ``w``. ``play``, ``screenshot``, ``present``,
    ``full_screen`` and ``dark`` are the actions the window updates."""

    def __init__(self, w):
        self.window = w
        self._file_menu(w)
        self._run_menu(w)
        self._edit_and_view_menus(w)
        w.menuBar().addMenu(w.lessons.menu)
        h = w.menuBar().addMenu("&Help")
        self._add(h, "Keyboard shortcuts", w.show_shortcuts, "F1")
        self._add(h, "About L1/L2 Explorer", w.show_about)

    def _file_menu(self, w) -> None:
        m = w.menuBar().addMenu("&File")
        m.addAction(w.files.open_action)
        m.addMenu(w.files.recent_menu)
        m.addSeparator()
        m.addAction(w.files.open_session_action)
        m.addAction(w.files.save_session_action)
        m.addSeparator()
        data_menu = m.addMenu("Bundled &dataset")
        for name in dataset_names():
            self._add(data_menu, name, lambda _=False, n=name: w.load_bundled(n))
        m.addSeparator()
        m.addMenu(w.figures.menu)
        m.addAction(w.figures.record_action)
        self.screenshot = self._add(
            m,
            "Save &screenshot…",
            w.save_screenshot,
            "Ctrl+Shift+S",
            "Save the window as a PNG image",
        )
        scale_menu = m.addMenu("Screenshot scale")
        group = QtGui.QActionGroup(w)
        for k in (1, 2):
            act = QtGui.QAction(f"{k}×", w, checkable=True)
            act.setChecked(k == 1)
            act.triggered.connect(lambda _=False, k=k: w.set_screenshot_scale(k))
            group.addAction(act)
            scale_menu.addAction(act)
        m.addSeparator()
        self._add(m, "&Quit", w.close, "Ctrl+Q")

    def _run_menu(self, w) -> None:
        s = w.session
        r = w.menuBar().addMenu("&Run")
        self.play = self._add(
            r, "Play / pause", s.toggle_play, "Space", "Train continuously or pause"
        )
        self._add(r, "One step", lambda: s.step(1), "Right")
        self._add(r, "Ten steps", lambda: s.step(10), "Shift+Right")
        self._add(r, "Reset", s.reset, "R", "Back to step 0 with the seeded start")
        r.addSeparator()
        self._add(r, "Solve to convergence", lambda: s.solve(), "Ctrl+Return")
        self._add(
            r,
            "Cancel solving / computing",
            w.cancel_work,
            "Escape",
            "Stop solving, or else stop computing the path, the comparison, the "
            "stability lab and the sweep",
        )
        r.addSeparator()
        self._add(
            r,
            "λ = λ_min",
            lambda: w.go_to_cv("min"),
            "M",
            "Set λ to the strength with the smallest cross-validated error",
        )
        self._add(
            r,
            "λ = λ_1se",
            lambda: w.go_to_cv("1se"),
            "Shift+M",
            "Set λ to the largest strength within one standard error of the smallest "
            "cross-validated error",
        )

    def _edit_and_view_menus(self, w) -> None:
        e = w.menuBar().addMenu("&Edit")
        e.addAction(w.undo.undo_action)
        e.addAction(w.undo.redo_action)
        e.addSeparator()
        e.addAction(w.figures.copy_action)
        v = w.menuBar().addMenu("&View")
        self.present = self._add(
            v,
            "&Presentation mode",
            lambda on: w.set_presentation(on),
            "F5",
            "Large fonts and lines, controls hidden, a caption with the settings",
        )
        self.present.setCheckable(True)
        self.full_screen = self._add(
            v,
            "&Full screen",
            lambda on: w.set_full_screen(on),
            "F11",
            "The whole screen for the window, without its title bar; F11 again "
            "brings back the window as it was",
        )
        self.full_screen.setCheckable(True)
        self.dark = self._add(
            v,
            "&Dark theme",
            lambda on: w.set_dark(on),
            None,
            "Dark background on screen (exports stay white unless you ask otherwise)",
        )
        self.dark.setCheckable(True)
        v.addSeparator()
        v.addAction(w.controls_dock.toggleViewAction())
        v.addAction(w.data_dock.toggleViewAction())
        v.addAction(w.lessons.dock.toggleViewAction())

    def _add(self, menu, text, slot, shortcut=None, tip=None) -> QtGui.QAction:
        """An action of ``menu`` calling ``slot``, with its shortcut and tip."""
        act = QtGui.QAction(text, self.window)
        if shortcut:
            act.setShortcut(QtGui.QKeySequence(shortcut))
        if tip:
            act.setStatusTip(tip)
            act.setToolTip(tip)
        act.triggered.connect(slot)
        menu.addAction(act)
        return act
