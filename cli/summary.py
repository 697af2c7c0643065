"""The headless run: train or solve as the options say and print the summary."""

from __future__ import annotations

import sys
import time

import numpy as np

from .compare_report import report_compare
from .options import settings_from_args
from .parser import PROG
from .path_report import report_path, wants_path
from .stability_report import report_stability, wants_stability

__all__ = ["run_headless"]


def run_headless(args, out=None) -> int:
    """Train or solve as the options say and print the summary."""
    from engine.fit import fit_facts
    from engine.run import describe, execute, start_run
    from engine.weights_file import write_weights

    out = out or sys.stdout
    settings = settings_from_args(args)
    run = start_run(settings)
    for line in run.notes:
        print(f"note: {line}", file=out)
    s, data, dataset = run.settings, run.data, run.dataset
    facts = describe(dataset, data, run.trainer)
    degree = dataset.polynomial_degree
    print(
        f"data: {dataset.name}"
        + ("" if degree is None else f" of degree {degree}")
        + f", {facts.rows_text}, target "
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
        its = res.n_iter
        print(
            f"solve: {status} ({res.message})"
            + (f" in {its:,} iteration{'s' if its != 1 else ''}" if its else "")
            + f", {elapsed:.3f} s",
            file=out,
        )
    if not (np.isfinite(tr.objective) and np.isfinite(tr.w).all()):
        # never a NaN printed or exported with status 0
        print(
            f"{PROG}: the objective is not a finite number (the data's values "
            "overflow); rescale the data",
            file=sys.stderr,
        )
        return 1
    facts = describe(dataset, data, tr)
    print(f"state: {facts.step_text}", file=out)
    print(f"objective: {tr.objective:.10g}", file=out)
    d, n_zero = facts.n_features, facts.n_zero
    print(f"nonzero weights: {d - n_zero} of {d} ({n_zero} exactly 0)", file=out)
    if facts.validation_text:
        print(facts.validation_text, file=out)
    fit = fit_facts(data, s.loss, tr.w, tr.b)
    print(fit.text, file=out)
    if fit.powers_text:
        print(fit.powers_text, file=out)
    if facts.selection is not None:
        print(f"feature selection vs truth: {facts.selection.text}", file=out)
    if args.export_weights:
        write_weights(args.export_weights, data.feature_names, tr.w, tr.b)
        print(f"weights written to {args.export_weights}", file=out)
    if wants_path(args):
        report_path(args, run, out)
    if args.compare:
        report_compare(run, out)
    if wants_stability(args):
        report_stability(args, run, out)
    return 0
