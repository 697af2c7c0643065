"""Stability lab benchmark: B = 100 half-sample Lasso paths on ``houses`` against
one path of the full data, measured in the same run.

The target (issue 16) is at most 10 × the time of one path. Reported, each as a
ratio to one full path (``engine.path.path_for`` on the run's settings, its Gram
matrix formed inside the timing, as each resample's is):

* the lab as the app runs it (``stability_for``): the paths stop below the run's λ
  once they select a tenth of their rows (:data:`engine.stability.STOP_SHARE`);
* the first ``B_WHOLE`` of those resamples along the whole grid
  (``stop_share=None``), once, for comparison (per resample, and scaled to B);
* a move of the run's λ alone (× ``MOVE``), the paths kept
  (:func:`engine.stability_move.stability_at`), against computing all anew.

Times are the best of ``RUNS`` interleaved runs with BLAS on one thread; the
machine is shared, so the run-by-run range is given too.
"""

from __future__ import annotations

import time

import numpy as np

from engine.path import path_for
from engine.run import start_run
from engine.settings import DataSource, RunSettings
from engine.stability import stability_for
from engine.stability_move import stability_at

from .path_bench import one_blas_thread

RUNS = 3
B = 100
#: Resamples timed over the whole grid (each about 3 × one path).
B_WHOLE = 10
#: The λ move timed: the run's λ times this.
MOVE = 1.3


def _fresh(settings):
    """The run's data prepared anew (its Gram matrix not formed yet)."""
    return start_run(settings.replace(steps=0)).data


def bench_houses(B: int = B, runs: int = RUNS, whole: bool = True) -> list[str]:
    run = start_run(RunSettings(source=DataSource.bundled("houses")))
    s = run.settings.replace(lab=run.settings.lab.replace(resamples=B))
    t_path, t_lab, t_whole, t_move = [], [], [], []
    moved = s.replace(lam1=s.lam1 * MOVE)
    res = None
    for _ in range(runs):
        data = _fresh(s)
        t = time.perf_counter()
        path_for(s, data)
        t_path.append(time.perf_counter() - t)
        t = time.perf_counter()
        res = stability_for(s, data)
        t_lab.append(time.perf_counter() - t)
        t = time.perf_counter()
        stability_at(res, data, moved.active_penalty.alpha, tol=s.tol)
        t_move.append(time.perf_counter() - t)
        if whole and not t_whole:  # B_WHOLE of them, once: 100 take 30 to 60 s
            few = s.replace(lab=s.lab.replace(resamples=B_WHOLE))
            t = time.perf_counter()
            stability_for(few, data, stop_share=None)
            t_whole.append(time.perf_counter() - t)
    one = min(t_path)
    lab = np.array(t_lab) / np.array(t_path)
    lines = [
        f"one Lasso path on houses (1600 × 1000, 100 λ, Gram included): {one:.3f} s",
        f"B = {B} half-sample paths as the lab runs them (stopped below the run's λ "
        f"at {res.n_path} of {res.alphas.size} λ): {min(t_lab):.2f} s = "
        f"{min(t_lab) / one:.1f} × one path (runs {lab.min():.1f}–{lab.max():.1f}; "
        "target ≤ 10)",
    ]
    lines.append(
        f"the run's λ moved (× {MOVE:g}), the {B} paths kept, each resample refitted "
        f"at λ: {min(t_move):.2f} s = {min(t_move) / one:.1f} × one path "
        f"({min(t_move) / min(t_lab):.2f} of computing the lab anew)"
    )
    if whole:
        per = t_whole[0] / B_WHOLE
        lines.append(
            f"{B_WHOLE} half-sample paths over the whole grid (one run): "
            f"{t_whole[0]:.2f} s, {per / one:.1f} × one path each, so about "
            f"{B * per / one:.0f} × one path for B = {B}"
        )
    return lines


def run() -> list[str]:
    with one_blas_thread():
        return bench_houses()


if __name__ == "__main__":
    for line in run():
        print(line, flush=True)
