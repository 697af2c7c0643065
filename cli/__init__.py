"""The command line: options become one RunSettings, then a summary, figures or the window.

``python main.py`` opens the window; ``python main.py --headless ...`` trains or solves
on the command line and prints a summary (see ``--help``).

- :mod:`cli.parser`: the options (:func:`build_parser`);
- :mod:`cli.options`: options → settings (:func:`settings_from_args`) and what the
  window opens on (:func:`window_options`);
- :mod:`cli.summary`: the headless run and its summary (:func:`run_headless`).

Exit status: 0 on success, 1 when training diverged (the step size was too large),
2 for bad arguments or unusable data. Errors are one line on stderr, never a traceback.
"""

from __future__ import annotations

import sys

from .options import (
    check_not_overridden,
    data_error_message,
    settings_from_args,
    window_options,
)
from .outputs import check_outputs
from .parser import PROG, UsageError, build_parser
from .summary import run_headless

__all__ = [
    "build_parser",
    "main",
    "run_headless",
    "settings_from_args",
    "window_options",
]


def main(argv: list[str] | None = None) -> int:
    from engine.data import DataError
    from engine.settings import SettingsError

    parser = build_parser()
    args = None
    try:
        args = parser.parse_args(argv)
        if args.session and args.lesson:
            raise UsageError("choose --session or --lesson, not both")
        check_not_overridden(parser, args)
        check_outputs(args)
        path_output = args.path or args.export_path or args.export_cv
        if args.sweep and (not args.headless or args.screenshot or args.animate):
            raise UsageError(
                "--sweep prints a table with --headless; for its figure use "
                "--screenshot with --pane wins"
            )
        stability = args.stability is not None or args.export_stability
        if args.sweep and (args.compare or stability):
            raise UsageError(
                "--sweep prints the sweep alone (on its own synthetic data); run "
                "--compare, --stability or --export-stability without it"
            )
        if stability and args.penalty not in ("l1", "elasticnet"):
            flag = "--stability" if args.stability is not None else "--export-stability"
            raise UsageError(
                f"{flag} counts exact zeros: it goes with --penalty l1 or "
                f"elasticnet, not {args.penalty}"
            )
        if args.export_stability and (not args.headless or args.screenshot):
            raise UsageError(
                "--export-stability goes with a headless summary (--headless without "
                "--screenshot); for its figure use --screenshot with --pane stability"
            )
        if not args.headless:
            if args.screenshot or args.animate:
                raise UsageError("--screenshot and --animate go with --headless")
            if path_output:
                raise UsageError(
                    "--path, --export-path and --export-cv go with --headless "
                    "(the window has its Path and Cross-validation panes)"
                )
            if args.compare:
                raise UsageError(
                    "--compare goes with --headless (the window has its Compare pane)"
                )
            from gui.app import run_app

            return run_app(**window_options(args))
        if args.screenshot or args.animate:
            if path_output:
                raise UsageError(
                    "--path, --export-path and --export-cv print or write a headless "
                    "summary's path; for its figure use --screenshot with --pane path"
                )
            from gui.headless import render_figures

            settings = None
            if not (args.session or args.lesson):
                settings = settings_from_args(args)
            return render_figures(args, settings)
        if args.session or args.lesson:
            raise UsageError(
                f"--{'session' if args.session else 'lesson'} goes with the window, "
                "or with --headless and --screenshot or --animate"
            )
        if args.sweep:
            from .sweep_report import print_sweep

            return print_sweep(args)
        return run_headless(args)
    except DataError as e:
        print(f"{PROG}: error: {data_error_message(e, args)}", file=sys.stderr)
        return 2
    except SettingsError as e:
        given = getattr(args, e.setting or "", None)
        where = f"--{e.setting.replace('_', '-')} {given}: " if given else ""
        print(f"{PROG}: error: {where}{e}", file=sys.stderr)
        return 2
    except (UsageError, ValueError, OSError) as e:  # SettingsError too
        print(f"{PROG}: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
