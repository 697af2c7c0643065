"""The regularization path and cross-validation on the command line.

``--path`` prints the path of the run's penalty over the grid of its settings
(``--n-alphas``, ``--alpha-min-ratio``), ``--cv K`` the cross-validated error with
λ_min and λ_1se; ``--export-path`` and ``--export-cv`` write them as CSV. The numbers
are the ones the window's Path and Cross-validation panes draw for the same options:
both call :func:`engine.path.path_for` and :func:`engine.path.cv_for` with the same
settings.
"""

from __future__ import annotations

import numpy as np

__all__ = ["report_path", "wants_cv", "wants_path"]

#: Rows of the printed path table (the CSV export has every strength).
TABLE_ROWS = 11

MEASURE_NAMES = {
    "mse": "mean squared error",
    "deviance": "deviance (−2 × mean log-likelihood)",
    "misclassification": "misclassification rate",
}


def wants_path(args) -> bool:
    return bool(args.path or args.export_path or wants_cv(args))


def wants_cv(args) -> bool:
    return bool(args.cv or args.export_cv)


def report_path(args, run, out) -> None:
    """Compute, print and export the path (and the cross-validation if asked for) of
    ``run`` (an :class:`engine.run.Run` built from the options)."""
    from engine.path import (
        current_alpha,
        cv_for,
        error_measure,
        path_for,
        write_cv_csv,
        write_path_csv,
    )

    s, data = run.settings, run.data
    if s.penalty == "none":
        raise ValueError(
            "a regularization path needs a penalty: use --penalty l1, l2 or elasticnet"
        )
    if wants_cv(args):
        error_measure(s.loss, s.path.metric)  # a measure that does not fit: exit 2
        if s.path.folds > data.n_samples:
            raise ValueError(
                f"--cv {s.path.folds}: more folds than the {data.n_samples} training rows"
            )
    path = path_for(s, data)
    nz = path.n_nonzero
    kind = {"l1": "L1", "l2": "L2", "elasticnet": "Elastic Net"}[s.penalty]
    share = f" at L1 share ρ = {path.rho:.4g}" if s.penalty == "elasticnet" else ""
    a = path.alphas
    print(
        f"path: {kind}{share} over {len(a)} strengths α = {a[0]:.4g} … {a[-1]:.4g} "
        f"(ratio {s.path.alpha_min_ratio:g}), each solved to relative duality gap "
        f"{s.tol:g}, in {path.elapsed:.2f} s",
        file=out,
    )
    print(
        f"path: the run's α = {current_alpha(s):.4g}; nonzero weights {nz[0]} at the "
        f"largest α, {nz[-1]} at the smallest",
        file=out,
    )
    print(f"{'α':>14}  {'nonzero':>7}  {'objective':>14}", file=out)
    for i in _table_rows(len(a)):
        print(f"{a[i]:14.6g}  {nz[i]:7d}  {path.objectives[i]:14.8g}", file=out)
    if args.export_path:
        write_path_csv(args.export_path, path, data.feature_names)
        print(f"path written to {args.export_path}", file=out)
    if not wants_cv(args):
        return
    cv = cv_for(s, data, path=path)
    folds = "shuffled" if s.path.shuffle else "contiguous blocks of rows"
    print(
        f"cross-validation: {cv.folds} folds ({folds}), held-out "
        f"{MEASURE_NAMES[cv.metric]}, in {cv.elapsed:.2f} s",
        file=out,
    )
    for name, i in (("λ_min", cv.index_min), ("λ_1se", cv.index_1se)):
        print(
            f"{name} = {cv.alphas[i]:.6g}: mean {cv.mean[i]:.6g} ± {cv.se[i]:.3g} "
            f"(standard error), {nz[i]} nonzero",
            file=out,
        )
    if args.export_cv:
        write_cv_csv(args.export_cv, cv)
        print(f"cross-validation written to {args.export_cv}", file=out)


def _table_rows(n: int) -> list[int]:
    """About ``TABLE_ROWS`` evenly spaced grid points, first and last included."""
    return sorted(set(np.linspace(0, n - 1, min(n, TABLE_ROWS)).round().astype(int)))
