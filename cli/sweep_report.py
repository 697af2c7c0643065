"""``--headless --sweep``: the sweep of "which penalty wins" as a table.

The same numbers the window's "Which penalty wins" pane draws: :func:`engine.sweep.
sweep_for` of the same settings.
"""

from __future__ import annotations

import sys

import numpy as np

from .options import settings_from_args

__all__ = ["print_sweep", "sweep_lines"]

NAMES = ("L1", "L2", "Elastic Net")


def sweep_lines(res) -> list[str]:
    """The table of a :class:`~engine.sweep.SweepResult`, one line per k."""
    gen = res.generator
    corr = f"correlated at {gen.rho:g}" if gen.rho > 0 else "independent"
    lines = [
        f"sweep: n = {gen.n} rows, d = {gen.d} features in groups of {gen.group} "
        f"({corr}), noise sd {gen.noise:g} (signal variance 1); "
        f"{res.repeats_done} of {res.repeats} repeats",
        f"each penalty at its {res.folds}-fold cross-validated lambda_min; "
        f"Elastic Net at L1 share {res.l1_ratio:g}",
        "excess error on new data (MSE - noise variance), mean +- 1 SE over the "
        "repeats:",
        f"{'k':>5}" + "".join(f"{name:>20}" for name in NAMES),
    ]
    for row in res.table():
        k, values = row[0], row[1:]
        cells = [
            f"{m:.4f} +- {s:.4f}" if np.isfinite(s) else f"{m:.4f}"
            for m, s in zip(values[::2], values[1::2], strict=True)
        ]
        lines.append(f"{k:>5}" + "".join(f"{c:>20}" for c in cells))
    k_star = res.crossover
    lines.append(
        f"crossover: L2 wins from k = {k_star:.1f}"
        if k_star is not None
        else "crossover: none (L2 does not overtake L1 for good)"
    )
    kept = ", ".join(
        f"{name} {100 * np.nanmean(res.mean_recall(kind)):.0f}%"
        for name, kind in zip(NAMES, ("l1", "l2", "elasticnet"), strict=True)
    )
    lines.append(f"true features kept (mean over k): {kept}")
    lines.append(f"elapsed: {res.elapsed:.1f} s")
    return lines


def print_sweep(args, out=None) -> int:
    """Run the sweep of the options' settings and print its table."""
    from engine.sweep import sweep_for

    out = out or sys.stdout
    res = sweep_for(settings_from_args(args))
    for line in sweep_lines(res):
        print(line, file=out)
    return 0
