"""L1, L2 and Elastic Net trained side by side on the same data, in lock step.

:func:`compare` chooses each penalty's strength (:mod:`engine.compare.strengths`),
starts one run per penalty from the same settings (same data and split, loss, rule,
step size, batch and seed: the same initial weights), solves each to convergence and
finds the groups of correlated features. The :class:`Comparison` then follows the
main run (:meth:`Comparison.follow`): every compared run is brought to the main
run's step count, and put on its own solution when the main run sits on its
solution. So the compare view shows the three penalties at the same moment of
training, and at convergence after a Solve.

A row per penalty (:class:`CompareRow`) holds the numbers a teacher puts side by side:
the held-out (validation) error, the count of weights that are exactly 0.0, and on
synthetic data the precision and recall of the selected features.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass

import numpy as np

from ..data import Dataset, TrainingData
from ..path import error_measure
from ..path.cv import held_out_error
from ..penalties import Penalty
from ..run import Run, Selection, selection, start_run
from ..solvers import Cancel, Progress, SolveResult, as_cancel, solve
from .groups import GROUP_THRESHOLD, correlated_groups
from .strengths import (
    COMPARED_KINDS,
    KIND_NAMES,
    Strength,
    choose_strengths,
    compare_rho,
    compared_settings,
)

__all__ = [
    "SHORT_NAMES",
    "TABLE_HEADERS",
    "CompareRow",
    "Comparison",
    "compare",
    "describe_choice",
    "held_out_name",
]

#: What the table of a comparison says, column by column (:meth:`CompareRow.cells`).
TABLE_HEADERS = (
    "penalty",
    "strength",
    "held-out error",
    "exactly 0",
    "precision",
    "recall",
)
#: The penalties' names in the table and over the columns of bars.
SHORT_NAMES = {"l1": "L1", "l2": "L2", "elasticnet": "Elastic Net"}
#: Short names of the held-out error measures.
MEASURE_SHORT = {
    "mse": "MSE",
    "deviance": "deviance",
    "misclassification": "misclassified",
}


def held_out_name(measure: str) -> str:
    """'held-out MSE', 'held-out deviance', 'held-out misclassified'."""
    return f"held-out {MEASURE_SHORT.get(measure, measure)}"


@dataclass(frozen=True)
class CompareRow:
    """One compared penalty at its current state.

    ``held_out``: the error ``measure`` on the validation rows (NaN without them);
    ``n_zero``: weights exactly 0.0; ``selection``: precision and recall of the kept
    features against the truth of synthetic data (None without one).
    """

    kind: str
    penalty: Penalty
    how: str
    step: int
    solved: bool
    diverged: bool
    measure: str
    held_out: float
    n_zero: int
    n_features: int
    selection: Selection | None

    @property
    def name(self) -> str:
        return KIND_NAMES[self.kind]

    @property
    def strength_text(self) -> str:
        p = self.penalty
        if self.kind == "l1":
            return f"λ₁ = {p.lam1:.3g}"
        if self.kind == "l2":
            return f"λ₂ = {p.lam2:.3g}"
        return f"λ₁ = {p.lam1:.3g}, λ₂ = {p.lam2:.3g}"

    def cells(self) -> tuple[str, ...]:
        """The row as the table shows and the command line prints it, under
        :data:`TABLE_HEADERS`."""

        def num(v, fmt):
            return format(v, fmt) if np.isfinite(v) else "–"

        sel = self.selection
        err = "diverged" if self.diverged else num(self.held_out, ".4g")
        return (
            SHORT_NAMES[self.kind],
            self.strength_text,
            err,
            f"{self.n_zero} of {self.n_features}",
            "–" if sel is None else num(sel.precision, ".2f"),
            "–" if sel is None else num(sel.recall, ".2f"),
        )


@dataclass
class Comparison:
    """The compared runs of one settings, their solutions and the feature groups.

    ``settings``: the main run's resolved settings it was made for; ``strengths``,
    ``runs`` and ``solutions`` by penalty kind (:data:`COMPARED_KINDS`); ``groups``:
    index arrays of correlated features (:func:`correlated_groups`); ``measure``:
    the held-out error measure.
    """

    settings: object
    data: TrainingData
    strengths: dict[str, Strength]
    runs: dict[str, Run]
    solutions: dict[str, SolveResult]
    groups: list[np.ndarray]
    measure: str

    @property
    def kinds(self) -> tuple[str, ...]:
        return COMPARED_KINDS

    @property
    def rho(self) -> float:
        """The L1 share of the compared Elastic Net."""
        return compare_rho(self.settings)

    def weights(self, kind: str) -> np.ndarray:
        return self.runs[kind].trainer.w

    def follow(self, step: int, solved: bool, time_budget: float | None = None) -> bool:
        """Bring every compared run to step ``step`` of the main run (back to its
        seeded start first when it is ahead: the main run was reset), and onto its
        solution when ``solved``; whether all got there within ``time_budget``
        seconds, shared fairly between the runs (a diverged run counts as there:
        it stopped)."""
        deadline = None if time_budget is None else time.perf_counter() + time_budget
        done = True
        for i, kind in enumerate(COMPARED_KINDS):
            tr = self.runs[kind].trainer
            if tr.step_count > step:
                tr.reset()
            left = None
            if deadline is not None:  # a fair share of what is left for each
                left = (deadline - time.perf_counter()) / (len(COMPARED_KINDS) - i)
            if tr.step_count < step and tr.divergence is None:
                if left is not None and left <= 0:
                    done = False
                    continue
                tr.step(step - tr.step_count, time_budget=left)
            if tr.step_count < step and tr.divergence is None:
                done = False
                continue
            sol = self.solutions[kind]
            if solved and tr.solution is None and np.isfinite(sol.w).all():
                tr.set_state(sol.w, sol.b, solution=sol)
        return done

    def at(self, step: int, solved: bool) -> bool:
        """Whether every compared run is at ``step`` (and on its solution when
        ``solved``), or stopped by a divergence."""
        for kind in COMPARED_KINDS:
            tr = self.runs[kind].trainer
            if tr.divergence is not None:
                continue
            if tr.step_count != step or (solved and tr.solution is None):
                return False
        return True

    def reset(self) -> None:
        for run in self.runs.values():
            run.trainer.reset()

    def row(self, kind: str) -> CompareRow:
        tr, data = self.runs[kind].trainer, self.data
        held = float("nan")
        if data.X_val is not None and len(data.y_val) and np.isfinite(tr.w).all():
            z = (data.X_val @ tr.w + tr.b)[:, None]
            held = float(held_out_error(self.measure, data.y_val, z)[0])
        return CompareRow(
            kind=kind,
            penalty=tr.penalty,
            how=self.strengths[kind].how,
            step=tr.step_count,
            solved=tr.solution is not None,
            diverged=tr.divergence is not None,
            measure=self.measure,
            held_out=held,
            n_zero=tr.n_zero,
            n_features=data.n_features,
            selection=selection(tr.w, data.true_coef),
        )

    def rows(self) -> list[CompareRow]:
        return [self.row(kind) for kind in COMPARED_KINDS]

    def rebuilt(self, settings, dataset: Dataset) -> Comparison:
        """The same strengths, solutions and groups with runs started anew for
        ``settings`` (another update rule, step size, batch or seed: what
        :func:`~engine.compare.strengths.same_runs` tells apart), at step 0."""
        runs = {
            kind: start_run(
                compared_settings(settings, kind, self.strengths[kind].alpha),
                dataset,
                data=self.data,
            )
            for kind in COMPARED_KINDS
        }
        return dataclasses.replace(self, settings=settings, runs=runs)

    def importance(self) -> np.ndarray:
        """How much each feature matters to any of the solutions: the largest over
        the penalties of |w| at convergence, each solution scaled by its largest
        |w| (an order that does not move while training)."""
        out = np.zeros(self.data.n_features)
        for sol in self.solutions.values():
            a = np.abs(np.nan_to_num(sol.w))
            top = a.max(initial=0.0)
            if top > 0:
                out = np.maximum(out, a / top)
        return out

    def table_lines(self) -> list[str]:
        """The table as the command line prints it: a title line, the headers and
        a row per penalty (the same cells the compare pane shows)."""
        rows = self.rows()
        headers = list(TABLE_HEADERS)
        headers[2] = held_out_name(self.measure)
        cells = [headers] + [list(r.cells()) for r in rows]
        widths = [max(len(c[i]) for c in cells) for i in range(len(headers))]
        lines = [describe_choice(self)]
        for c in cells:
            first = c[0].ljust(widths[0])
            rest = [v.rjust(w) for v, w in zip(c[1:], widths[1:], strict=True)]
            lines.append("  ".join([first, *rest]).rstrip())
        for kind, r in zip(COMPARED_KINDS, rows, strict=True):
            lines.append(f"  {r.name}: {self.strengths[kind].how}")
        lines += [f"  note: {w}" for w in self.warnings()]
        return lines

    def warnings(self) -> list[str]:
        """Why a chosen strength may mislead, one sentence each."""
        return [st.warning for st in self.strengths.values() if st.warning]


def describe_choice(comp: Comparison) -> str:
    """One line: what is compared, how λ was chosen, at which state."""
    s = comp.settings
    mode = {
        "1se": "each at its own λ_1se",
        "same": "all at the run's strength α",
        "nonzero": "L1 and Elastic Net with the run's count of nonzero weights, "
        "L2 at its λ_1se",
    }[s.lab.compare_lambda]
    tr = comp.runs[COMPARED_KINDS[0]].trainer
    state = f"step {tr.step_count:,}" + (", solved" if tr.solution is not None else "")
    return (
        f"compare: L1, L2 and Elastic Net (ρ = {comp.rho:.3g}): {mode}; {state}; "
        f"{len(comp.groups)} correlated group(s)"
    )


def compare(
    settings,
    dataset: Dataset,
    data: TrainingData,
    progress: Progress = None,
    cancel: Cancel = None,
    *,
    threshold: float = GROUP_THRESHOLD,
    known_cv: tuple | None = None,
) -> Comparison | None:
    """The comparison for the main run's resolved ``settings`` on its ``dataset``
    prepared as ``data``: strengths chosen, runs started at step 0, each penalty
    solved to ``settings.tol``, correlated groups found. None when cancelled;
    ValueError (one sentence) when a cross-validation cannot be made.
    ``known_cv``: ``(cv_settings, cv)``, a cross-validation to reuse where it is
    the one a penalty needs (:func:`~engine.compare.strengths.choose_strengths`)."""
    cancel = as_cancel(cancel)

    def part(lo, hi):
        if progress is None:
            return None
        return lambda f, m: progress(lo + (hi - lo) * f, m)

    strengths = choose_strengths(
        settings, data, part(0.0, 0.85), cancel, known_cv=known_cv
    )
    if strengths is None:
        return None
    runs, solutions = {}, {}
    for n, kind in enumerate(COMPARED_KINDS):
        if cancel is not None and cancel():
            return None
        st = strengths[kind]
        runs[kind] = start_run(
            compared_settings(settings, kind, st.alpha), dataset, data=data
        )
        solutions[kind] = solve(
            data, settings.loss, st.penalty, tol=settings.tol, cancel=cancel
        )
        if solutions[kind].cancelled:
            return None
        if progress is not None:
            progress(0.85 + 0.05 * (n + 1), f"{KIND_NAMES[kind]} solved")
    metric = settings.path.metric
    try:
        measure = error_measure(settings.loss, metric)
    except ValueError:
        measure = error_measure(settings.loss, "auto")
    return Comparison(
        settings=settings,
        data=data,
        strengths=strengths,
        runs=runs,
        solutions=solutions,
        groups=correlated_groups(data.X, threshold),
        measure=measure,
    )
