"""The command line: options become one RunSettings, then a summary, figures or the window.

``python main.py`` opens the window; ``python main.py --headless ...`` trains or solves
on the command line and prints a summary (see ``--help``).

Exit status: 0 on success, 1 when training diverged (the step size was too large),
2 for bad arguments or unusable data. Errors are one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
import time

__all__ = [
    "build_parser",
    "main",
    "run_headless",
    "settings_from_args",
    "window_options",
]

PROG = "l1l2-explorer"


class UsageError(Exception):
    """Bad command-line input; the message is shown as one line."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit status 2, no usage dump
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog=PROG,
        description=(
            "Watch L1, L2 and Elastic Net regularization train a linear model. Without "
            "--headless the window opens; with it, training runs here and a summary is "
            "printed."
        ),
        epilog=(
            "Objective: D(w,b) + λ₁‖w‖₁ + (λ₂/2)‖w‖₂², D the mean squared error / 2 or "
            "the mean logistic loss. Exit status 0 ok, 1 diverged, 2 bad input."
        ),
    )
    p.add_argument("--headless", action="store_true", help="run without a window")
    src = p.add_mutually_exclusive_group()
    src.add_argument(
        "--dataset",
        metavar="NAME",
        help="bundled dataset: houses, correlated, diabetes, two-features "
        "(default houses)",
    )
    src.add_argument("--csv", metavar="PATH", help="a CSV file with a header row")
    p.add_argument(
        "--target",
        metavar="COLUMN",
        help="target column of --csv (default: the last numeric column)",
    )
    p.add_argument(
        "--penalty", choices=("none", "l1", "l2", "elasticnet"), default="l1"
    )
    p.add_argument(
        "--lam",
        type=_nonneg,
        metavar="λ",
        help="strength for l1 or l2 (default: 0.05 × λ_max for l1, 0.1 × L for l2)",
    )
    p.add_argument(
        "--lam1",
        type=_nonneg,
        metavar="λ₁",
        help="L1 strength (elasticnet; default 0.05 × λ_max)",
    )
    p.add_argument(
        "--lam2",
        type=_nonneg,
        metavar="λ₂",
        help="L2 strength (elasticnet; default 0.1 × L)",
    )
    p.add_argument(
        "--loss",
        choices=("auto", "squared", "logistic"),
        default="auto",
        help="auto: logistic for a two-class target, else squared",
    )
    p.add_argument(
        "--rule",
        choices=("proximal", "subgradient"),
        default="proximal",
        help="proximal: clamp at zero (exact zeros); subgradient: naive",
    )
    p.add_argument(
        "--lr",
        default="auto",
        metavar="η|auto",
        help="step size, or auto = 1/L (default)",
    )
    p.add_argument(
        "--batch",
        type=_positive_int,
        metavar="N",
        help="mini-batch size (default: full batch)",
    )
    run = p.add_mutually_exclusive_group()
    run.add_argument(
        "--steps",
        type=_positive_int,
        metavar="N",
        help="training steps (default 1000 with --headless; the window opens at step 0)",
    )
    run.add_argument(
        "--solve", action="store_true", help="solve to convergence instead of stepping"
    )
    p.add_argument(
        "--tol",
        type=_positive_float,
        default=1e-8,
        metavar="T",
        help="relative duality-gap tolerance for --solve (default 1e-8)",
    )
    p.add_argument(
        "--no-standardize", action="store_true", help="train on the raw feature scales"
    )
    p.add_argument(
        "--validation",
        type=_fraction,
        metavar="FRACTION",
        help="share of rows held out for the validation loss (default 0.2)",
    )
    p.add_argument(
        "--seed",
        type=int,
        default=0,
        metavar="S",
        help="seed of the start, the batches, the split and synthetic data",
    )
    from engine.lessons import lesson_keys

    p.add_argument(
        "--lesson",
        choices=lesson_keys(),
        metavar="KEY",
        help="open a guided lesson (its data, settings and steps): "
        + ", ".join(lesson_keys()),
    )
    fig = p.add_argument_group("figures (with --headless, rendered offscreen)")
    fig.add_argument(
        "--session",
        metavar="FILE.json",
        help="a saved session: its data, settings and steps",
    )
    fig.add_argument(
        "--screenshot",
        metavar="OUT.png",
        help="write a figure: PNG, JPEG or SVG by the file's ending (.png, .jpg, .svg)",
    )
    from gui.panes import FIGURE_KEYS  # the registry; imports no Qt

    fig.add_argument(
        "--pane",
        default="window",
        choices=FIGURE_KEYS,
        help="what the figure shows (default: the whole window)",
    )
    fig.add_argument(
        "--scale",
        type=int,
        default=1,
        choices=(1, 2, 3),
        help="pixels per point for PNGs (default 1)",
    )
    fig.add_argument(
        "--animate",
        metavar="OUT.gif",
        help="record --steps steps (default 100) as an animated GIF",
    )
    fig.add_argument(
        "--every",
        type=_positive_int,
        default=5,
        metavar="K",
        help="with --animate: one frame every K steps (default 5)",
    )
    fig.add_argument(
        "--presentation",
        action="store_true",
        help="presentation mode: large fonts and lines, a caption",
    )
    fig.add_argument("--dark", action="store_true", help="dark theme in the figure")
    p.add_argument(
        "--export-weights",
        metavar="PATH.csv",
        help="write the weights as CSV: feature,weight and an (intercept) row",
    )
    return p


def _number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise argparse.ArgumentTypeError(f"{text!r} is not a finite number")
    return value


def _nonneg(text: str) -> float:
    value = _number(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be >= 0")
    return value


def _fraction(text: str) -> float:
    value = _number(text)
    if not 0 <= value <= 0.9:
        raise argparse.ArgumentTypeError(f"{text!r} must lie between 0 and 0.9")
    return value


def _positive_float(text: str) -> float:
    value = _number(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be > 0")
    return value


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be at least 1")
    return value


def settings_from_args(args, *, window: bool = False):
    """The :class:`~engine.settings.RunSettings` the options describe.

    The one place where options become settings: the headless summary, the figures and
    the window all start from what this returns. Without ``--steps`` or ``--solve`` a
    headless run takes ``DEFAULT_STEPS`` steps and the window opens at step 0.
    """
    from engine.settings import DEFAULT_STEPS, DataSource, RunSettings

    if args.csv:
        source = DataSource.csv(args.csv, args.target)
    elif args.target:
        raise UsageError("--target goes with --csv")
    else:
        source = DataSource.bundled(args.dataset or "houses", seed=args.seed)
    lam1, lam2 = _strengths(args)
    steps = args.steps
    if steps is None:
        steps = 0 if (window or args.solve) else DEFAULT_STEPS
    changes = {
        "source": source,
        "standardize": not args.no_standardize,
        "split_seed": args.seed,
        "loss": args.loss,
        "penalty": args.penalty,
        "lam1": lam1,
        "lam2": lam2,
        "rule": args.rule,
        "lr": _step_size(args.lr),
        "batch": args.batch,
        "seed": args.seed,
        "steps": steps,
        "solve": bool(args.solve),
        "tol": args.tol,
    }
    if args.validation is not None:
        changes["validation"] = args.validation
    return RunSettings(**changes)


def window_options(args) -> dict:
    """What the window opens on: the options' settings, or a session or a lesson
    (which bring their own) with ``--steps``/``--solve`` going on from there."""
    own = args.session or args.lesson
    return {
        "settings": None if own else settings_from_args(args, window=True),
        "session": args.session,
        "lesson": args.lesson,
        "steps": args.steps if own else None,
        "solve": bool(args.solve) if own else False,
    }


def _strengths(args) -> tuple[float | None, float | None]:
    """(λ₁, λ₂) from --lam / --lam1 / --lam2; None: the data's default."""
    kind = args.penalty
    if kind == "elasticnet":
        if args.lam is not None:
            raise UsageError("elasticnet takes --lam1 and --lam2, not --lam")
        return args.lam1, args.lam2
    if args.lam1 is not None or args.lam2 is not None:
        raise UsageError(
            f"--lam1/--lam2 go with --penalty elasticnet; use --lam for {kind}"
        )
    if kind == "none":
        if args.lam is not None:
            raise UsageError("--penalty none takes no --lam")
        return None, None
    return (args.lam, None) if kind == "l1" else (None, args.lam)


def _step_size(text: str) -> float | str:
    if text == "auto":
        return "auto"
    try:
        lr = float(text)
    except ValueError:
        raise UsageError(f"--lr must be a number or 'auto', got {text!r}") from None
    if not (lr > 0 and lr != float("inf")):
        raise UsageError(f"--lr must be a finite number > 0, got {text!r}")
    return lr


def run_headless(args, out=None) -> int:
    """Train or solve as the options say and print the summary."""
    from engine.run import describe, execute, start_run
    from engine.weights_file import write_weights

    out = out or sys.stdout
    settings = settings_from_args(args)
    run = start_run(settings)
    for line in run.notes:
        print(f"note: {line}", file=out)
    s, data, dataset = run.settings, run.data, run.dataset
    facts = describe(dataset, data, run.trainer)
    print(
        f"data: {dataset.name}, {facts.rows_text}, target "
        f"{dataset.target_name!r}, {s.loss} loss"
        + (", standardized" if data.standardized else ", raw scales"),
        file=out,
    )
    print(
        f"penalty: {facts.penalty}  (= "
        f"{run.trainer.penalty.sklearn_equivalent(data.n_samples, s.loss)})",
        file=out,
    )
    start = time.perf_counter()
    execute(run)
    elapsed = time.perf_counter() - start
    tr = run.trainer
    if s.steps:
        print(
            f"steps: {tr.step_count} {s.rule} steps of η = {tr.lr:.4g} "
            f"(1/L = {tr.lr_safe:.4g}, 2/L = {tr.lr_max:.4g})"
            + (
                ""
                if s.solve
                else f" in {elapsed:.3f} s "
                f"({tr.step_count / max(elapsed, 1e-9):,.0f} steps/s)"
            ),
            file=out,
        )
    if tr.divergence is not None:
        print(
            f"{PROG}: diverged at step {tr.divergence.step}: {tr.divergence.reason}",
            file=sys.stderr,
        )
        return 1
    res = run.solution
    if res is not None:
        status = "converged" if res.converged else "NOT converged"
        print(
            f"solve: {status} ({res.message}) in {res.n_iter} iterations, "
            f"{elapsed:.3f} s",
            file=out,
        )
    facts = describe(dataset, data, tr)
    print(f"state: {facts.step_text}", file=out)
    print(f"objective: {tr.objective:.10g}", file=out)
    d, n_zero = facts.n_features, facts.n_zero
    print(f"nonzero weights: {d - n_zero} of {d} ({n_zero} exactly 0)", file=out)
    if data.X_val is not None:
        print(f"validation loss: {tr.validation_loss():.6g}", file=out)
    if facts.selection is not None:
        print(f"feature selection vs truth: {facts.selection.text}", file=out)
    if args.export_weights:
        write_weights(args.export_weights, data.feature_names, tr.w, tr.b)
        print(f"weights written to {args.export_weights}", file=out)
    return 0


#: Options a session file or a lesson sets itself.
_RUN_SETTINGS = (
    "dataset", "csv", "target", "penalty", "lam", "lam1", "lam2", "loss", "rule",
    "lr", "batch", "no_standardize", "validation", "seed",
)  # fmt: skip


def _check_not_overridden(parser, args) -> None:
    """--session and --lesson bring their own data and settings: refuse options that
    would silently be ignored."""
    source = "--session" if args.session else "--lesson" if args.lesson else None
    if source is None:
        return
    given = [
        "--" + k.replace("_", "-")
        for k in _RUN_SETTINGS
        if getattr(args, k) != parser.get_default(k)
    ]
    if given:
        raise UsageError(
            f"{source} sets the data and the training settings itself; "
            f"drop {', '.join(given)}"
        )


def main(argv: list[str] | None = None) -> int:
    from engine.data import DataError

    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.session and args.lesson:
            raise UsageError("choose --session or --lesson, not both")
        _check_not_overridden(parser, args)
        if not args.headless:
            if args.screenshot or args.animate:
                raise UsageError("--screenshot and --animate go with --headless")
            from gui.app import run_app

            return run_app(**window_options(args))
        if args.screenshot or args.animate:
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
        return run_headless(args)
    except (UsageError, DataError, ValueError, OSError) as e:  # SettingsError too
        print(f"{PROG}: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
