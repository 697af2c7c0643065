"""Start the application: QApplication, fonts, the main window."""

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


def create_window(args=None):
    """The configured main window (a QApplication must exist)."""
    from PySide6 import QtCore

    from engine import DataError, Penalty
    from engine.csv import read_csv
    from engine.datasets import load_dataset
    from gui.main_window import MainWindow

    window = MainWindow()
    s = window.session
    dataset, error, source = None, None, ""
    if args is not None and getattr(args, "csv", None):
        try:
            dataset, _ = read_csv(args.csv, args.target)
            source = f"{args.csv} (imported with the default choices)"
        except DataError as e:
            error = str(e)
    if dataset is None:
        name = (args and args.dataset) or "houses"
        dataset = load_dataset(name, seed=0)
        source = f"Bundled dataset '{name}'"
    penalty = None
    kind = args.penalty if args is not None else "l1"
    if args is not None:
        if kind == "elasticnet" and args.lam1 is not None and args.lam2 is not None:
            penalty = Penalty.elastic_net(args.lam1, args.lam2)
        elif kind in ("l1", "l2") and args.lam is not None:
            penalty = Penalty.of_kind(kind, args.lam)
        elif kind == "none":
            penalty = Penalty.none()
        s.set_rule(args.rule)
        s.set_seed(args.seed)
        s.set_batch_size(args.batch)
    if penalty is None:
        s.set_penalty(Penalty.of_kind(kind, 0.0, 0.0))  # the kind; λ from the data
    standardize = not args.no_standardize if args is not None else True
    validation = args.validation or 0.2 if args is not None else 0.2
    s.load_dataset(
        dataset, penalty=penalty, standardize=standardize, validation=validation
    )
    if args is not None and args.lr != "auto":
        s.set_lr(float(args.lr))
    window.data_panel.set_source(source)
    if error:
        window.show_error(
            "Cannot open the CSV file", error + "\n\nShowing houses instead."
        )
    # a session or lesson opens once the window is on screen (progress, messages)
    if args is not None and getattr(args, "session", None):
        QtCore.QTimer.singleShot(0, lambda: window.files.open_session(args.session))
    elif args is not None and getattr(args, "lesson", None):
        QtCore.QTimer.singleShot(0, lambda: window.lessons.start(args.lesson))
    return window


def run_app(args=None) -> int:
    _check_display()
    from PySide6 import QtGui, QtWidgets

    from gui import theme

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv[:1])
    app.setApplicationName("L1/L2 Explorer")
    font = QtGui.QFont(app.font())
    font.setPointSize(10)
    app.setFont(font)
    theme.configure_pyqtgraph()
    window = create_window(args)
    window.show()
    return app.exec()
