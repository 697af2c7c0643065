"""Figures without a display: ``main.py --headless --screenshot/--animate``.

Builds the same window offscreen (from a session file, or from the command-line
options), runs the requested steps and writes the figure, so a teacher can regenerate
every figure of a course from a script.
"""

from __future__ import annotations

import os
import sys

__all__ = ["render_figures"]

#: Default size of a whole-window figure (at least 1200 × 760).
FIGURE_SIZE = (1500, 920)


def render_figures(args, settings=None, out=None) -> int:
    """Write ``args.screenshot`` and/or ``args.animate`` of the run ``settings``
    (built by the command line, exactly as for its summary) or of ``args.session`` /
    ``args.lesson``; returns the exit status."""
    out = out or sys.stdout
    if args.screenshot:  # refuse an unknown file ending before any work
        from gui.export import figure_format

        figure_format(args.screenshot)
    os.environ["QT_QPA_PLATFORM"] = "offscreen"  # headless: never a real window
    from PySide6 import QtCore, QtGui, QtWidgets

    def quiet(mode, context, message):  # the offscreen plugin's notices are noise
        if "propagateSizeHints" not in message and mode != QtCore.QtMsgType.QtDebugMsg:
            print(message, file=sys.stderr)

    QtCore.qInstallMessageHandler(quiet)

    from engine import session_file
    from gui import export, theme
    from gui.app import create_window
    from gui.main_window import MainWindow

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv[:1])
    font = QtGui.QFont(app.font())
    font.setPointSize(10)
    app.setFont(font)
    theme.configure_pyqtgraph()
    if args.session:
        rec = session_file.read(args.session)
        window = MainWindow()
        run, exact = session_file.restore(rec)
        trainer = run.trainer
        window.session.adopt(run)
        window.apply_view_state(rec.view)
        print(
            f"session: {args.session} replayed to step {trainer.step_count:,}"
            + ("" if exact else " (weights differ from the saved fingerprint)"),
            file=out,
        )
    elif args.lesson:
        from engine.lessons import get_lesson

        window = MainWindow()
        lesson = get_lesson(args.lesson)
        window.lessons.load(lesson)
        print(f"lesson: {lesson.title}, {lesson.steps:,} steps", file=out)
    else:
        if args.animate:  # the recording takes the steps, from the seeded start
            settings = settings.replace(steps=0, solve=False)
        window = create_window(settings, strict=True)  # the data asked for, or exit 2
    window.placement.follows_screen = False  # the figure's size, not a screen's
    window.resize(*(args.size or FIGURE_SIZE))
    window.show()
    app.processEvents()
    s = window.session
    if args.presentation:
        window.set_presentation(True)
    if args.dark:
        window.set_dark(True)
    if args.animate:
        from gui.actions.recording import record

        steps = args.steps or 100
        with window.figures.figure(
            args.pane, keep_theme=args.dark, with_controls=args.with_controls
        ) as widget:
            res = record(
                widget, s, steps, args.every, gif_path=args.animate, scale=args.scale
            )
        taken = (
            f"stopped by a divergence after {res.steps} of {steps} steps"
            if res.diverged
            else f"{res.steps} steps, every {args.every}"
        )
        print(
            f"animation: {res.frames} frames of {res.size[0]}×{res.size[1]} pixels "
            f"({taken}) written to {args.animate}",
            file=out,
        )
    elif args.session or args.lesson:  # go on from where they leave off
        if args.solve:
            s.solve(args.tol)
        elif args.steps:
            s.step(args.steps)
    s.wait_for_solve()
    if s.trainer.solution is not None:
        res = s.trainer.solution
        print(
            f"solved to convergence: {res.n_nonzero} nonzero weights ({res.message})",
            file=out,
        )
    if getattr(args, "compare", False):  # the table of the pane drawn below
        s.compare_model.wait()
        comp = s.compare_model.comparison
        for line in comp.table_lines() if comp is not None else []:
            print(line, file=out)
        if comp is None:
            print(f"compare: {s.compare_model.note}", file=out)
    if args.screenshot:
        with window.figures.figure(
            args.pane, keep_theme=args.dark, with_controls=args.with_controls
        ) as widget:
            export.save_figure(widget, args.screenshot, args.scale)
        img = (
            QtGui.QImage(args.screenshot)
            if not args.screenshot.lower().endswith(".svg")
            else None
        )
        size = f"{img.width()}×{img.height()} pixels" if img is not None else "SVG"
        facts = window.facts()
        print(
            f"figure: {args.pane} at {facts.step_text}, {size}, written "
            f"to {args.screenshot}",
            file=out,
        )
    if args.export_weights:
        from engine.weights_file import write_weights

        write_weights(
            args.export_weights, s.data.feature_names, s.trainer.w, s.trainer.b
        )
        print(f"weights written to {args.export_weights}", file=out)
    window.close()
    # a diverged run still gets its figures (they show the last finite state and
    # the divergence), and then the same status 1 as the summary's
    div = s.trainer.divergence
    if div is not None:
        print(
            f"l1l2-explorer: diverged at step {div.step}: {div.reason}", file=sys.stderr
        )
        return 1
    return 0
