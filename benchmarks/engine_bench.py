"""Engine benchmark: training steps against the bare product they need, and solves
against scikit-learn (the regularization path and cross-validation:
:mod:`benchmarks.path_bench`), BLAS on one thread.

Everything is measured in the same run on the same machine; times are the best of
``REPEAT`` runs. What is compared, line by line:

* **steps**: one trainer step (gradient, prox, loss, penalty, zero events, history)
  against the one product it cannot avoid: ``w[S] @ G[S]`` over the nonzero weights
  ``S`` from an already contiguous block of rows (sparse L1 state), ``G @ w``
  (dense). With a validation split the losses are computed when a pane asks for
  them; "drawn" asks every 16 steps (a frame of the curves pane).
* **Lasso solves**: ours with the app's cached Gram matrix (what *Solve* costs in
  the app: the Gram matrix is formed with the trainer) and cold (a fresh
  ``TrainingData``: the Gram columns formed inside the timing; standardizing the
  data, ``prepare``, is timed apart) against scikit-learn's ``Lasso`` on X (its
  time includes input checks and centering) and, as the like-for-like peer of the
  cached solve, its Gram coordinate descent without input checks,
  ``Lasso(precompute=G, check_input=False, copy_X=False, fit_intercept=False)``
  given the same centred rows and ``G = X_c^T X_c`` formed outside the timing.
* **logistic solves**: ours against ``LogisticRegression`` (``C = 1/(n λ)``):
  ``lbfgs`` for L2, ``liblinear`` for L1 with ``intercept_scaling=1e4`` (liblinear
  penalizes the intercept as a feature of that value: at 1e4 the penalty on ``b``
  is 1e-4 of ours and its objective can match). At matched objective: scikit-learn
  runs at the loosest ``tol`` of ``SK_TOLS`` (liblinear at most 1e-6: tighter, with
  ``intercept_scaling=1e4``, it can take minutes) whose objective (ours, at its
  weights and intercept) is within ``TOL`` × F_null of a reference certified by a
  duality gap of 1e-13; ours runs to a duality gap of ``TOL`` × F_null, the same
  bound.

Tolerances of the Lasso solves are matched: scikit-learn stops when its duality gap
is below ``tol_sk * ||y_c||^2`` on an objective ``n`` times ours, ours when the gap
is below ``tol * var(y)/2``, so ``tol_sk = tol / 2`` is the same criterion.
"""

from __future__ import annotations

import time
import warnings

import numpy as np

from engine import Dataset, Penalty, Trainer, lambda_max, prepare, solve
from engine.datasets import load_dataset
from engine.problems import make_problem

from .path_bench import one_blas_thread, synthetic_classes

REPEAT = 5
TOL = 1e-8
REF_TOL = 1e-13
SK_TOLS = {"lbfgs": (1e-4, 1e-6, 1e-8), "liblinear": (1e-4, 1e-5, 1e-6)}


def best_time(fn, repeat=REPEAT):
    best, out = np.inf, None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def interleaved_best(*fns, repeat=REPEAT):
    """Best time of each of ``fns``, run in turns (a neighbour's load hits all)."""
    best = [np.inf] * len(fns)
    for _ in range(repeat):
        for i, fn in enumerate(fns):
            t = time.perf_counter()
            fn()
            best[i] = min(best[i], time.perf_counter() - t)
    return best


def synthetic(n=5000, d=1000, k=50, seed=0) -> Dataset:
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    beta = np.zeros(d)
    beta[rng.choice(d, k, replace=False)] = rng.normal(0, 2, k)
    y = X @ beta + rng.standard_normal(n)
    return Dataset(X, y, tuple(f"x{j}" for j in range(d)), name=f"synthetic {n}×{d}")


def bench_steps(data, penalty, steps=1000, repeat=REPEAT, warm=300) -> dict:
    tr = Trainer(data, penalty=penalty)
    tr.step(warm)
    G = data.moments.gram
    w = tr.w.copy()
    S = np.flatnonzero(w)
    d = w.size
    if S.size < d // 4:
        GS, wS = np.ascontiguousarray(G[S]), w[S]

        def product():
            for _ in range(steps):
                wS @ GS
    else:

        def product():
            for _ in range(steps):
                G @ w

    def drawn():
        for _ in range(steps // 16):
            tr.step(16)
            tr.history.scalar("val_loss")

    fns = [lambda: tr.step(steps), product]
    if data.X_val is not None:
        fns.append(drawn)
    t_step, t_prod, *t_drawn = interleaved_best(*fns, repeat=repeat)
    t_drawn = t_drawn[0] if t_drawn else None
    return {
        "us_step": t_step / steps * 1e6,
        "us_drawn": None if t_drawn is None else t_drawn / steps * 1e6,
        "us_prod": t_prod / steps * 1e6,
        "nnz": S.size,
        "sparse": S.size < d // 4,
    }


def bench_lasso(ds, data, lam) -> dict:
    from sklearn.linear_model import Lasso

    pen = Penalty.l1(lam)
    ours, res = best_time(lambda: solve(data, "squared", pen, tol=TOL))
    fresh = []
    prep, _ = best_time(lambda: fresh.append(prepare(ds)) or fresh[-1], 3)

    def cold():
        return solve(prepare(ds) if not fresh else fresh.pop(), "squared", pen, tol=TOL)

    for _ in range(REPEAT - len(fresh)):
        fresh.append(prepare(ds))
    t_cold, _ = best_time(cold)
    X, y = np.asarray(data.X), np.asarray(data.y)
    est = Lasso(alpha=lam, tol=TOL / 2, max_iter=100_000)
    sk, _ = best_time(lambda: est.fit(X, y))
    Xc = np.asfortranarray(X - X.mean(axis=0))
    yc = y - y.mean()
    Gsk = Xc.T @ Xc
    gram_est = Lasso(
        alpha=lam,
        tol=TOL / 2,
        max_iter=100_000,
        precompute=Gsk,
        copy_X=False,
        fit_intercept=False,
    )
    sk_gram, _ = best_time(lambda: gram_est.fit(Xc, yc, check_input=False))
    diff = np.abs(res.w - est.coef_).max() / np.abs(est.coef_).max()
    return {
        "ours": ours,
        "cold": t_cold,
        "prepare": prep,
        "sk": sk,
        "sk_gram": sk_gram,
        "nnz": res.n_nonzero,
        "coef_diff": diff,
    }


def _matched_sklearn(make_est, tols, data, pen, ref, f_null):
    """The loosest tolerance whose objective is within TOL of ``ref``:
    ``(estimator, tol, excess)``, or ``(None, None, excess at the tightest)``."""
    prob = make_problem(data, "logistic")
    X, y = data.X, data.y
    excess = np.inf
    for tol in tols:
        est = make_est(tol)
        est.fit(X, y)
        w, b = est.coef_[0], float(est.intercept_[0])
        f = pen.value(w) + prob.loss.value(X @ w + b, y)
        excess = (f - ref) / f_null
        if excess <= TOL:
            return est, tol, excess
    return None, None, excess


def bench_logistic(ds) -> list[dict]:
    from sklearn.linear_model import LogisticRegression

    data = prepare(ds)
    n = data.n_samples
    out = []
    cases = (
        ("L2", Penalty.l2(1e-3), "lbfgs"),
        ("L1", Penalty.l1(0.05 * lambda_max(data, "logistic")), "liblinear"),
    )
    for label, pen, solver in cases:
        lam = pen.lam1 or pen.lam2
        f_null = make_problem(data, "logistic").null_objective()
        ref = solve(data, "logistic", pen, tol=REF_TOL).objective

        def make_est(tol, lam=lam, solver=solver, l1=pen.lam1 > 0):
            extra = {"l1_ratio": 1.0, "intercept_scaling": 1e4} if l1 else {}
            return LogisticRegression(
                C=1 / (n * lam),
                solver=solver,
                tol=tol,
                max_iter=100_000,
                random_state=0,  # liblinear shuffles its coordinates
                **extra,
            )

        res = solve(data, "logistic", pen, tol=TOL)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            est, sk_tol, sk_excess = _matched_sklearn(
                make_est, SK_TOLS[solver], data, pen, ref, f_null
            )
            fns = [lambda pen=pen: solve(data, "logistic", pen, tol=TOL)]
            if est is not None:
                fns.append(lambda est=est: est.fit(data.X, data.y))
            ours, *sk = interleaved_best(*fns)
        sk = sk[0] if sk else None
        out.append(
            {
                "label": label,
                "solver": solver,
                "lam": lam,
                "ours": ours,
                "ours_excess": (res.objective - ref) / f_null,
                "sk": sk,
                "sk_tol": sk_tol,
                "sk_excess": sk_excess,
                "nnz": res.n_nonzero,
            }
        )
    return out


def step_line(label, kind, st) -> str:
    line = (
        f"{label}: {kind} step {st['us_step']:.1f} µs ({1e6 / st['us_step']:,.0f} "
        f"steps/s, {st['nnz']} nonzero) against the bare product "
        f"{'w[S] @ G[S]' if st['sparse'] else 'G @ w'} {st['us_prod']:.1f} µs: "
        f"{st['us_step'] / st['us_prod']:.2f}×"
    )
    if st["us_drawn"] is not None:
        line += (
            f"; with the validation curve drawn every 16 steps {st['us_drawn']:.1f} "
            f"µs: {st['us_drawn'] / st['us_prod']:.2f}×"
        )
    return line


def run() -> list[str]:
    lines = []
    with one_blas_thread():
        houses, synth = load_dataset("houses"), synthetic()
        for label, ds in (("houses 2000×1000", houses), ("5000×1000", synth)):
            for val in (0.0, 0.2):
                data = prepare(ds, validation=val)
                lam = 0.05 * lambda_max(data, "squared")
                tag = f"{label}{', validation 20%' if val else ''}"
                for pen in (Penalty.l1(lam), Penalty.l2(1e-3)):
                    st = bench_steps(data, pen)
                    lines.append(step_line(tag, pen.kind.upper(), st))
        for label, ds in (("houses 2000×1000", houses), ("5000×1000", synth)):
            data = prepare(ds)
            lam = 0.05 * lambda_max(data, "squared")
            assert data.moments.gram is not None  # the app's cached Gram matrix
            so = bench_lasso(ds, data, lam)
            lines.append(
                f"{label}: solve Lasso(λ = 0.05 λ_max, tol {TOL:g}), {so['nnz']} "
                f"nonzero: with the cached Gram matrix {so['ours'] * 1e3:.2f} ms "
                f"against scikit-learn's Gram coordinate descent without input checks "
                f"{so['sk_gram'] * 1e3:.2f} ms ({so['sk_gram'] / so['ours']:.1f}× "
                f"faster); cold {so['cold'] * 1e3:.1f} ms (Gram columns formed "
                f"inside; prepare {so['prepare'] * 1e3:.0f} ms apart) against "
                f"scikit-learn Lasso on X {so['sk'] * 1e3:.1f} ms "
                f"({so['sk'] / so['cold']:.1f}× faster) [max coef diff "
                f"{so['coef_diff']:.1e}]"
            )
        for n, d in ((5000, 200), (2000, 1000)):
            for r in bench_logistic(synthetic_classes(n, d, 20)):
                head = (
                    f"logistic {r['label']} {n}×{d} (λ = {r['lam']:.3g}, "
                    f"{r['nnz']} nonzero): ours {r['ours'] * 1e3:.1f} ms "
                    f"(excess {r['ours_excess']:.0e})"
                )
                if r["sk"] is None:
                    lines.append(
                        f"{head}; {r['solver']} never within {TOL:g} of the "
                        f"optimum (excess {r['sk_excess']:.0e} at tol "
                        f"{SK_TOLS[r['solver']][-1]:g})"
                    )
                else:
                    lines.append(
                        f"{head} against {r['solver']} at tol {r['sk_tol']:g} "
                        f"{r['sk'] * 1e3:.1f} ms (excess {r['sk_excess']:.0e}): "
                        f"{r['sk'] / r['ours']:.2f}× as fast"
                    )
    return lines


#: (n, d) of the scaling rows. 40,000 × 20,000 (X 6.4 GB, at most 19.2 GB at once,
#: about half an hour on one thread, most of it forming the Gram matrix) is asked for
#: by name: ``python -m benchmarks.engine_bench --scaling 40000x20000``.
SCALING = ((2000, 1000), (10_000, 5000), (1_000_000, 100))
#: The scaling rows' paths: fewer and stronger penalties than path_bench's.
SCALING_PATH = {"n_alphas": 20, "alpha_min_ratio": 1e-2}


def once(fn):
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def scaling_rows(n, d) -> list[str]:
    """Step, cold solve and path times at ``n × d``, each beside its peer.

    In an order that keeps the largest size in memory: the raw rows, the prepared
    rows and scikit-learn's centred copy (3 × 6.4 GB at 40,000 × 20,000) meet only
    while ``Lasso`` runs, before the Gram matrix (3.2 GB) is formed; the path's peer
    is given the app's Gram matrix (times n) instead of a second one formed from a
    second centred copy.
    """
    from sklearn.linear_model import Lasso, lasso_path

    from engine import regularization_path
    from engine.path import alpha_grid

    big = d >= 10_000
    ds = synthetic(n, d, k=min(50, d // 2))
    t_prep, data = once(lambda: prepare(ds))
    # λ_max = ||X_c^T y_c||_inf / n without forming the Gram matrix (lambda_max would)
    lam = 0.05 * make_problem(data, "squared", columns=True).lam1_max()
    pen = Penalty.l1(lam)
    # cold: the Gram matrix is not formed yet; the solve forms the columns it needs
    t_cold, res = once(lambda: solve(data, "squared", pen, tol=TOL))
    X, y = np.asarray(data.X), np.asarray(data.y)
    est = Lasso(alpha=lam, tol=TOL / 2, max_iter=100_000)
    t_sk, _ = once(lambda: est.fit(X, y))
    t_gram, _ = once(lambda: data.moments)
    rows = [
        f"{n}×{d}: prepare {t_prep:.2f} s, Gram matrix {t_gram:.2f} s; cold Lasso "
        f"solve (λ = 0.05 λ_max, {res.n_nonzero} nonzero) {t_cold * 1e3:.0f} ms "
        f"against scikit-learn Lasso on X {t_sk * 1e3:.0f} ms "
        f"({t_sk / t_cold:.1f}× faster)"
    ]
    for p in (pen, Penalty.l2(1e-3)):
        kw = {"steps": 20, "repeat": 2, "warm": 100} if big else {}
        st = bench_steps(data, p, **{"steps": min(1000, 2_000_000 // d), **kw})
        rows.append(step_line(f"{n}×{d}", p.kind.upper(), st))
    # the prepared rows are centred (validation 0): X_c = X, and X_c^T X_c = n G
    m = data.moments
    gram = m.gram_c * data.n_samples
    yc = y - y.mean()
    xy = X.T @ yc
    alphas = alpha_grid(data, "squared", "l1", **SCALING_PATH)
    t_path, path = once(
        lambda: regularization_path(data, "squared", "l1", alphas=alphas, tol=TOL)
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t_skp, _ = once(
            lambda: lasso_path(
                X, yc, alphas=alphas, precompute=gram, Xy=xy, tol=TOL / 2,
                max_iter=10**5, check_input=False,
            )
        )  # fmt: skip
    rows.append(
        f"{n}×{d}: {len(alphas)}-λ Lasso path to {SCALING_PATH['alpha_min_ratio']:g} "
        f"λ_max ({path.n_nonzero[-1]} nonzero at the last), both given the Gram "
        f"matrix, lasso_path without input checks: ours {t_path * 1e3:.0f} ms, lasso_path {t_skp * 1e3:.0f} ms "
        f"({t_skp / t_path:.1f}× faster)"
    )
    return rows


def scaling(sizes=SCALING) -> list[str]:
    lines = []
    with one_blas_thread():
        for n, d in sizes:
            lines.extend(scaling_rows(n, d))
    return lines


if __name__ == "__main__":
    import sys

    sizes = [tuple(map(int, a.split("x"))) for a in sys.argv[2:]]
    for line in scaling(sizes or SCALING) if "--scaling" in sys.argv else run():
        print(line, flush=True)
