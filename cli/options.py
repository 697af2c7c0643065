"""From options to one :class:`~engine.settings.RunSettings`, and to the window."""

from __future__ import annotations

from .parser import UsageError

__all__ = [
    "check_not_overridden",
    "data_error_message",
    "settings_from_args",
    "window_options",
]

#: The options of a CSV file's import choices (DataSource fields).
_CSV_CHOICES = ("target", "one_hot", "positive_class", "target_as_number")


def settings_from_args(args, *, window: bool = False):
    """The :class:`~engine.settings.RunSettings` the options describe.

    The one place where options become settings: the headless summary, the figures and
    the window all start from what this returns. Without ``--steps`` or ``--solve`` a
    headless run takes ``DEFAULT_STEPS`` steps and the window opens at step 0.
    """
    from engine.settings import (
        DEFAULT_STEPS,
        DataSource,
        PathSettings,
        RunSettings,
    )

    if args.csv:
        if args.degree is not None:
            raise UsageError("--degree goes with --dataset polynomial, not --csv")
        if args.positive_class is not None and args.target_as_number:
            raise UsageError(
                "--positive-class and --target-as-number exclude each other: "
                "classes, or a number"
            )
        if args.target_as_number and args.loss == "logistic":
            raise UsageError(
                "--target-as-number fits the target with squared loss, not "
                "--loss logistic"
            )
        source = DataSource.csv(
            args.csv,
            args.target,
            one_hot=args.one_hot or (),
            positive_class=args.positive_class,
            target_as_number=args.target_as_number,
        )
    else:
        given = [_flag(k) for k in _CSV_CHOICES if getattr(args, k)]
        if given:
            verb = "goes" if len(given) == 1 else "go"
            raise UsageError(f"{' and '.join(given)} {verb} with --csv")
        name = "houses" if args.dataset is None else args.dataset
        if args.degree is not None and name != "polynomial":
            raise UsageError("--degree goes with --dataset polynomial")
        source = DataSource.bundled(name, seed=args.seed, degree=args.degree)
    lam1, lam2, l1_ratio = _strengths(args)
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
        "l1_ratio": l1_ratio,
        "gamma": _gamma(args),
        "rule": args.rule,
        "lr": _step_size(args.lr),
        "batch": args.batch,
        "seed": args.seed,
        "steps": steps,
        "solve": bool(args.solve),
        "tol": args.tol,
        "path": PathSettings(
            n_alphas=args.n_alphas,
            alpha_min_ratio=args.alpha_min_ratio,
            folds=args.cv or 5,
            shuffle=bool(args.shuffle),
            metric=args.cv_metric,
        ),
    }
    if args.validation is not None:
        changes["validation"] = args.validation
    changes["lab"] = lab_from_args(args)
    return RunSettings(**changes)


#: Options of the sweep's generator, and the LabSettings field each sets.
SWEEP_OPTIONS = {
    "sweep_n": "sweep_n",
    "sweep_d": "sweep_d",
    "sweep_group": "sweep_group",
    "sweep_rho": "sweep_rho",
    "sweep_noise": "sweep_noise",
    "sweep_repeats": "sweep_repeats",
    "sweep_k": "sweep_k",
    "sweep_draws": "sweep_draws",
}
#: Every option that sets a LabSettings field (the comparison's and the sweep's).
LAB_OPTIONS = {
    **SWEEP_OPTIONS,
    "compare_lambda": "compare_lambda",
    "compare_l1_ratio": "compare_l1_ratio",
    "bias_penalty": "bias_penalty",
    "stability": "resamples",
    "resample": "resample",
    "threshold": "threshold",
}


def lab_from_args(args):
    """The :class:`~engine.settings.LabSettings` of the --compare-* and --sweep-*
    options (the defaults for those not given); UsageError naming the option of a bad value."""
    from engine.settings import LabSettings, SettingsError

    lab = LabSettings()
    given = {
        field: getattr(args, key)
        for key, field in LAB_OPTIONS.items()
        if getattr(args, key, None) is not None
    }
    try:
        return lab.replace(**given)
    except SettingsError as e:
        bad = [f for f in given if not _valid_alone(lab, f, given[f])] or list(given)
        if "sweep_group" in given and "group" in str(e) and "sweep_group" not in bad:
            bad.append("sweep_group")  # the group larger than d
        flags = " ".join(f"{_flag(f)} {given[f]}" for f in bad)
        raise UsageError(f"{flags}: {e}") from None


def _valid_alone(lab, field: str, value) -> bool:
    from engine.settings import SettingsError

    try:
        lab.replace(**{field: value})
    except SettingsError:
        return False
    return True


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
        "size": args.size,
    }


def _flag(key: str) -> str:
    return "--" + key.replace("_", "-")


def data_error_message(e: Exception, args) -> str:
    """The one line for data that cannot be used, naming the option to change: a
    CSV import choice that does not fit names its option; one still to be made says
    which options make it."""
    from engine.csv import ChoiceError, CSVError

    if isinstance(e, ChoiceError):
        if not e.alternatives:
            return f"{_flag(e.choice)}: {e}"
        ways = []
        if "positive_class" in e.alternatives:
            ways.append(
                "choose one class against the rest with --positive-class LABEL "
                "(logistic loss)"
            )
        if "target_as_number" in e.alternatives:
            ways.append("fit the target as a number with --target-as-number")
        if "one_hot" in e.alternatives:
            ways.append(f"{e.advice} with --one-hot COL[,COL…] or --one-hot all")
        return f"--csv: {e.problem}; " + ", or ".join(ways)
    if isinstance(e, CSVError) and getattr(args, "csv", None):
        return f"--csv: {e}"
    return str(e)


def _strengths(args) -> tuple[float | None, float | None, float | None]:
    """(λ₁, λ₂, L1 share) from --lam / --lam1 / --lam2 / --l1-ratio; None: the
    data's default."""
    kind = args.penalty
    if kind == "elasticnet":
        rho = args.l1_ratio
        if rho is not None:
            if args.lam1 is not None or args.lam2 is not None:
                raise UsageError("--l1-ratio goes with --lam α, not with --lam1/--lam2")
            if args.lam is not None:  # scikit-learn's alpha and l1_ratio
                return rho * args.lam, (1.0 - rho) * args.lam, None
            return None, None, rho
        if args.lam is not None:
            raise UsageError(
                "elasticnet takes --lam1 and --lam2, or --lam α with --l1-ratio ρ"
            )
        return args.lam1, args.lam2, None
    if args.l1_ratio is not None:
        raise UsageError("--l1-ratio goes with --penalty elasticnet")
    if args.lam1 is not None or args.lam2 is not None:
        raise UsageError(
            f"--lam1/--lam2 go with --penalty elasticnet; use --lam for {kind}"
        )
    if kind == "none":
        if args.lam is not None:
            raise UsageError("--penalty none takes no --lam")
        return None, None, None
    return (None, args.lam, None) if kind == "l2" else (args.lam, None, None)


def _gamma(args) -> float | None:
    """--gamma: SCAD's (> 2) or MCP's (> 1) γ."""
    if args.gamma is None:
        return None
    if args.penalty not in ("scad", "mcp"):
        raise UsageError("--gamma goes with --penalty scad or mcp")
    return args.gamma


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


#: Options a session file or a lesson sets itself.
_RUN_SETTINGS = (
    "dataset", "csv", "target", "one_hot", "positive_class", "target_as_number",
    "penalty", "lam", "lam1", "lam2", "gamma", "loss", "rule",
    "lr", "batch", "no_standardize", "validation", "seed", "n_alphas",
    "alpha_min_ratio", "l1_ratio", "cv", "shuffle", "cv_metric",
    "compare_lambda", "compare_l1_ratio",
    "stability", "resample", "threshold",
)  # fmt: skip
_RUN_SETTINGS += tuple(SWEEP_OPTIONS)  # the sweep's generator: settings.lab


def check_not_overridden(parser, args) -> None:
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
