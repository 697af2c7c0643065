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
    start_errors: list | None = None,
    strict: bool = False,
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

    ``start_errors`` (a list; the application's start): the run is made once the
    window has been painted, so the window is on screen while the data are
    generated or read and the Gram matrix and the curvature are computed; settings
    that cannot be used (a ValueError, an OSError) are appended to it and the window
    closes, for the caller to report as the command line does. Without it (figures,
    tests) the run is made before this returns, and such errors are raised.

    ``strict`` (figures from the command line): a CSV that cannot be used raises its
    DataError instead of opening houses with a message box: a figure is never drawn
    from other data than the one asked for.
    """
    from gui.main_window import MainWindow

    # the application's start: the panes of the tabs behind are built once the
    # window is painted (they are not part of its first paint), before the run
    window = MainWindow(defer_hidden=start_errors is not None)
    if size is not None:  # --size: as much of it as the screen has
        window.placement.resize_within(*size)

    def begin() -> None:
        _start_run(
            window,
            settings,
            session=session,
            lesson=lesson,
            steps=steps,
            solve=solve,
            strict=strict,
        )

    if start_errors is None:
        begin()
        return window

    def begin_or_close() -> None:
        window.build_hidden_panes()
        try:
            begin()
        except (ValueError, OSError) as e:  # DataError and SettingsError too
            start_errors.append(e)
            window.close()

    _after_first_paint(window, begin_or_close)
    return window


def _after_first_paint(window, fn) -> None:
    """Call ``fn`` once ``window`` has been painted (on the next turn of the event
    loop after its first paint event)."""
    from PySide6 import QtCore

    class FirstPaint(QtCore.QObject):
        def eventFilter(self, obj, event) -> bool:
            if event.type() == QtCore.QEvent.Type.Paint:
                window.removeEventFilter(self)
                QtCore.QTimer.singleShot(0, fn)
            return False

    window.installEventFilter(FirstPaint(window))


def _start_run(window, settings, *, session, lesson, steps, solve, strict) -> None:
    """Start the run of ``settings`` in ``window`` (see :func:`create_window`)."""
    from PySide6 import QtCore

    from engine import DataError
    from engine.settings import DataSource, RunSettings

    s = window.session
    settings = settings or RunSettings()
    error, to_choose = "", False
    try:
        s.start(settings)
    except DataError as e:  # the data cannot be used; the settings are fine
        if strict:
            raise
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
    errors: list = []
    window = create_window(settings, start_errors=errors, **options)
    window.crash_reporter.install()  # an unexpected error: a dialog, not a crash
    window.placement.show()  # within the screen it opens on
    code = app.exec()
    if errors:  # the settings could not be used: the command line says why
        raise errors[0]
    return code
