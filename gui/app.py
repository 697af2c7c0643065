"""Start the application: QApplication, fonts, the main window on a run's settings."""

from __future__ import annotations

import os
import sys

__all__ = ["create_window", "run_app"]


def _check_display() -> None:
    """Without a display Qt aborts with a misleading message about xcb; say it plainly."""
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY")
        or os.environ.get("WAYLAND_DISPLAY")
        or os.environ.get("QT_QPA_PLATFORM")
    ):
        raise SystemExit(
            "l1l2-explorer: error: no display (DISPLAY and WAYLAND_DISPLAY are empty). "
            "Run it on a desktop, under 'xvfb-run -a', or use --headless."
        )


def create_window(
    settings=None,
    *,
    session: str | None = None,
    lesson: str | None = None,
    steps: int | None = None,
    solve: bool = False,
    size: tuple[int, int] | None = None,
):
    """The main window on the run ``settings`` define (a QApplication must exist).

    ``settings`` (a RunSettings; default: the defaults) are built by the command line
    (``cli.settings_from_args``) exactly as for a headless summary, so the window shows
    the run the summary prints: its steps are taken and its solve started. A CSV that
    cannot be used is reported and the bundled houses data opens instead; one whose
    import needs a choice the options did not make (the positive class of a target
    of several classes) opens in the import dialog, which says what to choose. ``session``
    (a file) or ``lesson`` (a key) open once the window is on screen; ``steps`` or
    ``solve`` then go on from where they leave off. ``size`` (width, height)
    replaces the size that fits the screen, within the screen.
    """
    from PySide6 import QtCore

    from engine import DataError
    from engine.settings import DataSource, RunSettings
    from gui.main_window import MainWindow

    window = MainWindow()
    if size is not None:  # --size: as much of it as the screen has
        window.placement.resize_within(*size)
    s = window.session
    settings = settings or RunSettings()
    error, to_choose = "", False
    try:
        s.start(settings)
    except DataError as e:  # the data cannot be used; the settings are fine
        from engine.csv import ChoiceError  # loads pandas: only when needed

        error = str(e)
        to_choose = isinstance(e, ChoiceError) and bool(e.alternatives)
        s.start(settings.replace(source=DataSource.bundled("houses")))
    src = settings.source
    if src.kind == "csv" and not error:
        chosen = src.describe_choices() or "the default choices"
        window.data_panel.set_source(f"{src.path} (imported with {chosen})")
    else:
        window.data_panel.set_source(f"Bundled dataset '{s.dataset.name}'")
    if to_choose:
        QtCore.QTimer.singleShot(0, lambda: window.open_csv(src.path, src.target))
    elif error:
        window.show_error(
            "Cannot open the CSV file", error + "\n\nShowing houses instead."
        )

    def go_on() -> None:
        if steps:
            s.step(steps)
        elif solve:
            s.solve()

    # a session or lesson opens once the window is on screen (progress, messages)
    if session:
        QtCore.QTimer.singleShot(
            0, lambda: window.files.open_session(session, then=go_on)
        )
    elif lesson:
        QtCore.QTimer.singleShot(0, lambda: window.lessons.start(lesson) and go_on())
    return window


def run_app(settings=None, **options) -> int:
    """Open the window (see :func:`create_window` for ``options``) and run the app."""
    _check_display()
    from PySide6 import QtGui, QtWidgets

    from gui import theme

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv[:1])
    app.setApplicationName("L1/L2 Explorer")
    font = QtGui.QFont(app.font())
    font.setPointSize(10)
    app.setFont(font)
    theme.configure_pyqtgraph()
    window = create_window(settings, **options)
    window.crash_reporter.install()  # an unexpected error: a dialog, not a crash
    window.placement.show()  # within the screen it opens on
    return app.exec()
