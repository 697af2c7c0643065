"""The command line's options: :func:`build_parser` and the checks of single values.

Errors are :class:`UsageError`: one line, exit status 2, no usage dump.
"""

from __future__ import annotations

import argparse

__all__ = ["PROG", "UsageError", "build_parser"]

PROG = "l1l2-explorer"


class UsageError(Exception):
    """Bad command-line input; the message is shown as one line."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit status 2, no usage dump
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    from engine.penalties import PENALTY_KINDS

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
        type=_dataset,
        metavar="NAME",
        help="bundled dataset: houses, correlated, diabetes, two-features, "
        "polynomial, two-classes (default houses)",
    )
    src.add_argument(
        "--csv",
        type=_nonempty,
        metavar="PATH",
        help="a delimited text file (comma, semicolon, tab, '|' or blanks; its "
        "format is detected)",
    )
    p.add_argument(
        "--degree",
        type=_degree,
        metavar="D",
        help="degree of --dataset polynomial, 1 to 20: the features x, x², …, x^D "
        "(default 15)",
    )
    p.add_argument(
        "--target",
        type=_nonempty,
        metavar="COLUMN",
        help="target column of --csv (default: the column the file names as its "
        "target, else the last numeric column)",
    )
    p.add_argument(
        "--one-hot",
        type=_columns,
        metavar="COL[,COL…]|all",
        help="one-hot encode these text columns of --csv (one 0/1 feature per "
        "value), or 'all' columns of categories",
    )
    p.add_argument(
        "--positive-class",
        type=_nonempty,
        metavar="LABEL",
        help="the target's class coded +1, every other class −1 (logistic loss); "
        "needed when the target has more than two classes",
    )
    p.add_argument(
        "--target-as-number",
        action="store_true",
        help="fit a target of a few whole numbers (0, 1, 2, …) as a number with "
        "squared loss instead of choosing a positive class",
    )
    p.add_argument(
        "--penalty",
        choices=PENALTY_KINDS,
        default="l1",
        help="the penalty: none, l1, l2, elasticnet, or the nonconvex scad, mcp "
        "(with --gamma) and l0 (hard threshold), for squared loss",
    )
    p.add_argument(
        "--gamma",
        type=float,
        metavar="γ",
        help="SCAD's γ (> 2, default 3.7) or MCP's (> 1, default 3)",
    )
    p.add_argument(
        "--lam",
        type=_nonneg,
        metavar="λ",
        help="strength for l1, l2, scad, mcp or l0 (default: 0.05 × λ_max; 0.1 × L for l2)",
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
        type=_steps,
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
        type=_seed,
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
        type=_nonempty,
        metavar="FILE.json",
        help="a saved session: its data, settings and steps",
    )
    fig.add_argument(
        "--screenshot",
        type=_nonempty,
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
        "--size",
        type=_window_size,
        default=None,
        metavar="WxH",
        help="the window's size in points for figures (default 1500x920; e.g. "
        "1366x768 for a laptop's screen, 1920x1080 for a projector's)",
    )
    fig.add_argument(
        "--animate",
        type=_nonempty,
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
    fig.add_argument(
        "--with-controls",
        action="store_true",
        help="a figure of a pane keeps its combo boxes, check boxes and buttons "
        "(default: the plot with its title, legend and caption)",
    )
    p.add_argument(
        "--export-weights",
        type=_nonempty,
        metavar="PATH.csv",
        help="write the weights as CSV: feature,weight and an (intercept) row",
    )
    _path_options(p)
    _compare_options(p)
    _sweep_options(p)
    from .stability_report import add_stability_options

    add_stability_options(p)
    return p


def _compare_options(p: argparse.ArgumentParser) -> None:
    from engine.settings import COMPARE_LAMBDAS

    g = p.add_argument_group(
        "L1 vs L2 vs Elastic Net",
        "The three penalties on the same data and split, trained in lock step with "
        "the run (its steps, then its solve); --pane compare draws them.",
    )
    g.add_argument(
        "--compare",
        action="store_true",
        help="print a table: each penalty's strength, held-out error, exact zeros, "
        "and on synthetic data precision and recall of the kept features",
    )
    g.add_argument(
        "--compare-lambda",
        choices=COMPARE_LAMBDAS,
        default="1se",
        help="each penalty's λ: its own cross-validated λ_1se (default), the run's "
        "strength α for all, or for L1 and Elastic Net the run's count of nonzero "
        "weights (L2 keeps every weight and stays at its λ_1se)",
    )
    g.add_argument(
        "--compare-l1-ratio",
        type=_open_unit,
        default=0.5,
        metavar="ρ",
        help="L1 share of the compared Elastic Net, in (0, 1) (default 0.5; an "
        "elasticnet run uses its own)",
    )


def _sweep_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group(
        "which penalty wins (synthetic data with a known truth)",
        "The generator of the 'wins' pane: N rows, D features in groups of G "
        "correlated at R, noise of standard deviation S (the signal's variance is "
        "1); the sweep moves the number of true features k from 1 to D and fits "
        "L1, L2 and Elastic Net each at its cross-validated λ_min. --sweep prints "
        "it (with --headless); --screenshot with --pane wins draws it.",
    )
    g.add_argument(
        "--sweep",
        action="store_true",
        help="print the sweep: excess error of each penalty against k",
    )
    for flag, metavar, kind, text in (
        ("--sweep-n", "N", int, "rows of each synthetic training set (default 100)"),
        ("--sweep-d", "D", int, "features (default 40)"),
        ("--sweep-group", "G", int, "features per correlated group (default 4)"),
        ("--sweep-rho", "R", float, "correlation within a group, in [0, 1) (0)"),
        ("--sweep-noise", "S", float, "noise standard deviation, > 0 (default 1)"),
        ("--sweep-repeats", "K", int, "training sets drawn at each k (default 5)"),
        ("--sweep-k", "K", int, "true features of the bias–variance view (4)"),
        (
            "--sweep-draws",
            "B",
            int,
            "fresh training sets of the bias–variance view (default 100)",
        ),
    ):
        g.add_argument(
            flag,
            type=_int_at_least(1) if kind is int else _number,
            metavar=metavar,
            help=text,
        )
    g.add_argument(
        "--bias-penalty",
        choices=("run", "l1", "l2", "elasticnet"),
        help="the penalty of the bias–variance view (default: the run's)",
    )


def _path_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group(
        "regularization path and cross-validation",
        "α is λ₁ for l1, λ₂ for l2 and λ₁ + λ₂ for elasticnet (λ₁ = ρα); the grid "
        "runs from α_max, where every L1 weight is exactly 0, down. --path, --cv and "
        "the exports go with --headless; the grid and fold options also set the "
        "window's Path and Cross-validation panes.",
    )
    g.add_argument(
        "--path",
        action="store_true",
        help="solve along the grid of strengths and print the path",
    )
    g.add_argument(
        "--n-alphas",
        type=_int_at_least(2),
        default=100,
        metavar="N",
        help="strengths on the grid (default 100)",
    )
    g.add_argument(
        "--alpha-min-ratio",
        type=_open_unit,
        default=1e-3,
        metavar="R",
        help="smallest strength as a share of α_max, in (0, 1) (default 1e-3)",
    )
    g.add_argument(
        "--l1-ratio",
        type=_share,
        metavar="ρ",
        help="elasticnet's L1 share in (0, 1]; with --lam α: λ₁ = ρα, λ₂ = (1 − ρ)α "
        "(scikit-learn's alpha and l1_ratio)",
    )
    g.add_argument(
        "--export-path",
        type=_nonempty,
        metavar="OUT.csv",
        help="write the path: alpha, one column per feature, (intercept); one row per "
        "α, largest first (implies --path)",
    )
    g.add_argument(
        "--cv",
        type=_int_at_least(2),
        metavar="K",
        help="K-fold cross-validation on the grid; prints λ_min and λ_1se",
    )
    g.add_argument(
        "--shuffle",
        action="store_true",
        help="shuffle the rows into folds (with --seed) instead of contiguous blocks",
    )
    g.add_argument(
        "--cv-metric",
        choices=("auto", "mse", "deviance", "misclassification"),
        default="auto",
        help="held-out error: auto is the mean squared error for squared loss and "
        "the deviance for logistic loss",
    )
    g.add_argument(
        "--export-cv",
        type=_nonempty,
        metavar="OUT.csv",
        help="write the cross-validation: alpha,mean,se,nonzero,train_mean, one row "
        "per α (implies --cv 5 unless --cv is given)",
    )


def _nonempty(text: str) -> str:
    if not text.strip():
        raise argparse.ArgumentTypeError("must not be empty")
    return text


def _dataset(text: str) -> str:
    from engine.datasets import dataset_names

    if text not in dataset_names():
        what = f"no bundled dataset {text!r}" if text.strip() else "must not be empty"
        raise argparse.ArgumentTypeError(
            f"{what}; choose one of {', '.join(dataset_names())}"
        )
    return text


def _columns(text: str) -> tuple[str, ...] | str:
    """'all', or column names separated by commas."""
    if text.strip() == "all":
        return "all"
    names = tuple(c.strip() for c in text.split(","))
    if not text.strip() or not all(names):
        raise argparse.ArgumentTypeError(
            f"{text!r}: give column names separated by commas, or 'all'"
        )
    return names


def _degree(text: str) -> int:
    from engine.polynomial import MAX_DEGREE, MIN_DEGREE

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not MIN_DEGREE <= value <= MAX_DEGREE:
        raise argparse.ArgumentTypeError(
            f"{text!r} must lie in [{MIN_DEGREE}, {MAX_DEGREE}]"
        )
    return value


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 0 <= value < 2**63:
        raise argparse.ArgumentTypeError(f"{text!r} must lie in [0, 2**63)")
    return value


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


def _open_unit(text: str) -> float:
    value = _number(text)
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must lie strictly between 0 and 1")
    return value


def _share(text: str) -> float:
    value = _number(text)
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"{text!r} must lie in (0, 1]")
    return value


def _int_at_least(low: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{text!r} is not a whole number"
            ) from None
        if value < low:
            raise argparse.ArgumentTypeError(f"{text!r} must be at least {low}")
        return value

    return parse


def _steps(text: str) -> int:
    from engine.settings import MAX_STEPS

    value = _positive_int(text)
    if value > MAX_STEPS:
        raise argparse.ArgumentTypeError(
            f"{text!r} is more than {MAX_STEPS:,} steps (about an hour of training); "
            "use --solve to go to the minimum"
        )
    return value


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be at least 1")
    return value


def _window_size(text: str) -> tuple[int, int]:
    """'1366x768' → (1366, 768); each side 640 to 7680."""
    parts = text.lower().replace("×", "x").split("x")
    try:
        w, h = (int(v) for v in parts)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a size like 1366x768"
        ) from None
    if not (640 <= w <= 7680 and 480 <= h <= 4320):
        raise argparse.ArgumentTypeError(
            f"{text!r}: width 640 to 7680 and height 480 to 4320, please"
        )
    return w, h
