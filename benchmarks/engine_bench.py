"""Engine benchmark: steps per second and solve times against scikit-learn (the
regularization path and cross-validation: :mod:`benchmarks.path_bench`).

Everything is measured in the same run on the same machine; times are the best of
``REPEAT`` runs. Tolerances are matched: scikit-learn stops when its duality gap is
below ``tol_sk * ||y_c||^2`` on an objective ``n`` times ours, ours when the gap is
below ``tol * var(y)/2``, so ``tol_sk = tol / 2`` is the same criterion.
"""

from __future__ import annotations

import time

import numpy as np

from engine import (
    Dataset,
    Penalty,
    Trainer,
    lambda_max,
    prepare,
    solve,
)
from engine.datasets import load_dataset

REPEAT = 3
TOL = 1e-8


def best_time(fn, repeat=REPEAT):
    best, out = np.inf, None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def memory_bandwidth() -> float:
    """Bytes per second for streaming a 256 MB array (the DRAM bound)."""
    a = np.ones(32 * 2**20)  # 256 MB
    a.sum()
    t, _ = best_time(lambda: a.sum(), 5)
    return a.nbytes / t


def synthetic(n=5000, d=1000, k=50, seed=0) -> Dataset:
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    beta = np.zeros(d)
    beta[rng.choice(d, k, replace=False)] = rng.normal(0, 2, k)
    y = X @ beta + rng.standard_normal(n)
    return Dataset(X, y, tuple(f"x{j}" for j in range(d)), name=f"synthetic {n}×{d}")


def bench_steps(data, penalty, bandwidth) -> dict:
    tr = Trainer(data, penalty=penalty)
    tr.step(300)
    steps = 1000
    t, _ = best_time(lambda: tr.step(steps))
    per_step = t / steps
    d = data.n_features
    nnz = d - tr.n_zero
    # a step reads the rows of G belonging to nonzero weights (all of G when dense)
    rows = nnz if nnz < d // 4 else d
    bound = 8.0 * rows * d / bandwidth
    return {
        "steps_per_s": 1 / per_step,
        "us_per_step": per_step * 1e6,
        "bound_us": bound * 1e6,
        "nnz": nnz,
    }


def bench_solve(data, lam) -> dict:
    from sklearn.linear_model import Lasso

    ours_t, res = best_time(lambda: solve(data, "squared", Penalty.l1(lam), tol=TOL))
    # cold: a fresh TrainingData, so the Gram matrix is computed inside the timing
    cold_t, _ = best_time(
        lambda: solve(
            prepare(data.dataset, standardize=data.standardized),
            "squared",
            Penalty.l1(lam),
            tol=TOL,
        )
    )
    X, y = np.asarray(data.X), np.asarray(data.y)
    sk = {}
    for label, pre in (("default", False), ("Gram", True)):
        est = Lasso(alpha=lam, tol=TOL / 2, max_iter=100_000, precompute=pre)
        sk[label], _ = best_time(lambda est=est: est.fit(X, y))
    est.fit(X, y)
    diff = np.abs(res.w - est.coef_).max() / np.abs(est.coef_).max()
    sk_best = min(sk.values())
    return {
        "ours": ours_t,
        "cold": cold_t,
        "cold_ratio": sk_best / cold_t,
        "sk": sk,
        "ratio": sk_best / ours_t,
        "nnz": res.n_nonzero,
        "coef_diff": diff,
    }


def run() -> list[str]:
    lines = []
    bw = memory_bandwidth()
    lines.append(f"memory bandwidth (streaming 256 MB): {bw / 1e9:.1f} GB/s")
    cases = [
        ("houses 2000×1000", load_dataset("houses")),
        ("synthetic 5000×1000", synthetic()),
    ]
    for label, ds in cases:
        data = prepare(ds)
        lam = 0.05 * lambda_max(data, "squared")
        for pen in (Penalty.l1(lam), Penalty.l2(1e-3)):
            st = bench_steps(data, pen, bw)
            lines.append(
                f"{label}: {pen.kind.upper()} {st['steps_per_s']:,.0f} proximal steps/s "
                f"({st['us_per_step']:.0f} µs/step with {st['nnz']} nonzero weights; "
                f"streaming the Gram rows they need from DRAM would take "
                f"{st['bound_us']:.0f} µs, ratio {st['us_per_step'] / st['bound_us']:.2f}; "
                "below 1 means the rows stayed in cache)"
            )
        so = bench_solve(data, lam)
        lines.append(
            f"{label}: solve Lasso(λ = 0.05 λ_max, tol {TOL:g}) {so['ours'] * 1e3:.1f} ms "
            f"with the app's cached Gram matrix, {so['cold'] * 1e3:.1f} ms cold "
            f"({so['cold_ratio']:.1f}× faster cold); "
            f"scikit-learn Lasso {so['sk']['default'] * 1e3:.1f} ms (Gram "
            f"{so['sk']['Gram'] * 1e3:.1f} ms) → {so['ratio']:.1f}× faster than its best "
            f"[{so['nnz']} nonzero, max coef diff {so['coef_diff']:.1e}]"
        )
    return lines


if __name__ == "__main__":
    for line in run():
        print(line)
