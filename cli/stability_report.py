"""The stability lab on the command line.

``--stability B`` fits ``B`` resamples of the training rows (``--resample half`` or
``bootstrap``, drawn with ``--seed``) along the run's path and at its λ, and prints
the features selected in at least ``--threshold`` of them, with their frequencies;
``--export-stability OUT.csv`` writes every feature's frequency (``feature,frequency``).
The numbers are the ones the window's Stability pane draws for the same options: both
call :func:`engine.stability.stability_for` with the same settings.
"""

from __future__ import annotations

import argparse

__all__ = [
    "add_stability_options",
    "report_stability",
    "wants_stability",
]

#: Stably selected features printed (the CSV export has every feature).
TABLE_ROWS = 30


def _resamples(text: str) -> int:
    from engine.settings import MAX_RESAMPLES

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 2 <= value <= MAX_RESAMPLES:
        raise argparse.ArgumentTypeError(
            f"{text!r} must lie between 2 and {MAX_RESAMPLES:,}"
        )
    return value


def _threshold(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0.5 <= value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must lie in [0.5, 1)")
    return value


def add_stability_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group(
        "stability selection",
        "B resamples of the training rows, each fitted along the path and at the "
        "run's λ (Meinshausen & Bühlmann 2010); with --headless the summary prints "
        "the stably selected features; the options also set the window's Stability "
        "pane.",
    )
    g.add_argument(
        "--stability",
        type=_resamples,
        metavar="B",
        help="B resamples (2 to 10,000; the pane's default is 100); prints each "
        "feature selected in at least --threshold of them",
    )
    g.add_argument(
        "--resample",
        choices=("half", "bootstrap"),
        help="half: ⌊n/2⌋ rows without replacement (default); bootstrap: n rows "
        "with replacement",
    )
    g.add_argument(
        "--threshold",
        type=_threshold,
        metavar="π",
        help="selection frequency for a feature to count as stably selected, in "
        "[0.5, 1) (default 0.6)",
    )
    g.add_argument(
        "--export-stability",
        metavar="OUT.csv",
        help="write feature,frequency at the run's λ, one row per feature (implies "
        "--stability 100 unless --stability is given)",
    )


def wants_stability(args) -> bool:
    return bool(
        getattr(args, "stability", None) or getattr(args, "export_stability", None)
    )


def report_stability(args, run, out) -> None:
    """Compute, print and export the stability lab of ``run`` (an
    :class:`engine.run.Run` built from the options)."""
    from engine.path import current_alpha
    from engine.stability import stability_for
    from engine.stability_export import write_stability_csv

    s, data = run.settings, run.data
    if s.penalty not in ("l1", "elasticnet"):
        raise ValueError(
            "stability selection counts exact zeros: use --penalty l1 or elasticnet"
        )
    res = stability_for(s, data)
    lab = s.lab
    kind = {"l1": "L1", "elasticnet": f"Elastic Net at ρ = {res.rho:.4g}"}[res.kind]
    name = "α" if res.kind == "elasticnet" else "λ"
    what = {"half": "half-samples", "bootstrap": "bootstraps"}[res.resample]
    print(
        f"stability: {res.done} {what} of {res.rows} rows (seed {s.seed}), {kind} at "
        f"{name} = {current_alpha(s):.4g}, in {res.elapsed:.2f} s",
        file=out,
    )
    stable = res.stable(lab.threshold)
    line = (
        f"stability: {stable.size} of {data.n_features} features selected in at "
        f"least {lab.threshold:g} of the resamples"
    )
    truth = data.true_coef
    if truth is not None:
        line += (
            f" ({int((truth[stable] != 0).sum())} of {int((truth != 0).sum())} "
            "true features)"
        )
    print(line, file=out)
    if stable.size:
        width = max(len(data.feature_names[j]) for j in stable[:TABLE_ROWS])
        print(f"  {'feature':<{width}}  frequency", file=out)
        for j in stable[:TABLE_ROWS]:
            mark = "  (true)" if truth is not None and truth[j] != 0 else ""
            print(
                f"  {data.feature_names[j]:<{width}}  {float(res.frequency[j])!r}{mark}",
                file=out,
            )
        if stable.size > TABLE_ROWS:
            print(f"  … and {stable.size - TABLE_ROWS} more", file=out)
    if res.n_path < res.alphas.size:
        print(
            f"stability: paths computed down to {name} = "
            f"{res.alphas[res.n_path - 1]:.4g} ({res.n_path} of {res.alphas.size} "
            "strengths; below, a resample selects more than a tenth of its rows)",
            file=out,
        )
    if args.export_stability:
        write_stability_csv(args.export_stability, res, data.feature_names)
        print(f"stability written to {args.export_stability}", file=out)
