"""Bias², variance and error against λ, where the truth is known.

The model's prediction ``f_hat(x)`` depends on the training set it was fitted on. Over
training sets drawn afresh from the generator of :mod:`engine.synthetic` (``B``
draws of ``n`` rows: new features and new noise each time, the same truth ``beta``),
at each strength of a fixed grid and at each point ``x`` of a large test sample
(:data:`N_TEST` rows from the same generator, drawn once)::

    bias²     = mean over x of (E f_hat(x) - f(x))^2        f(x) = x . beta
    variance  = mean over x of Var f_hat(x)
    error     = mean over x and draws of (y - f_hat(x))^2   y = f(x) + noise

with ``E`` and ``Var`` over the draws (``Var`` divided by ``B``). In expectation over
the test noise ``error = bias² + variance + sigma^2``: the textbook decomposition,
which :func:`bias_variance` measures rather than assumes (``error`` is computed
directly from the noisy test targets).

Fresh draws from the generator, not resamples of one dataset: resampling one dataset
(bootstraps) measures how a fit varies around *that* dataset, whose own noise it
cannot see, so its "bias" would be against the fit on all rows rather than against
the truth. Where the truth is known, fresh draws are the honest definition.

Each draw is standardized on its own rows, like every fit in the app; the grid of
strengths (in standardized units) is the path grid of the first draw, used for all.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from .data import prepare
from .path import PATH_KINDS, alpha_grid, regularization_path
from .solvers import Cancel, Progress, as_cancel
from .synthetic import Generator, true_coefficients

__all__ = [
    "BV_ALPHAS",
    "N_TEST",
    "BiasVariance",
    "bias_penalty_of",
    "bias_variance",
    "bias_variance_for",
    "same_bias_variance",
]

#: Strengths of the grid (three decades from the top of the penalty's path).
BV_ALPHAS = 30
#: Rows of the test sample the expectations over x are taken on.
N_TEST = 5000


@dataclass
class BiasVariance:
    """The decomposition along ``alphas`` (λ for L1 and L2, α = λ₁ + λ₂ for
    Elastic Net, standardized units, decreasing) for ``kind`` with ``k`` true
    features. ``bias2``, ``variance`` and ``error`` have one value per strength
    (NaN before the first draw is done); ``noise2`` is σ². ``draws_done`` of
    ``draws`` fits were made (fewer when ``cancelled``)."""

    generator: Generator
    k: int
    kind: str
    l1_ratio: float
    alphas: np.ndarray
    bias2: np.ndarray
    variance: np.ndarray
    error: np.ndarray
    noise2: float
    draws: int
    draws_done: int
    seed: int
    cancelled: bool = False
    elapsed: float = 0.0

    @property
    def index_best(self) -> int | None:
        """The strength with the smallest bias² + variance (the smallest expected
        error), None before any draw."""
        total = self.bias2 + self.variance
        return None if not np.isfinite(total).any() else int(np.nanargmin(total))


def bias_variance(
    gen: Generator,
    k: int,
    kind: str,
    *,
    l1_ratio: float = 0.5,
    draws: int = 100,
    seed: int = 0,
    n_alphas: int = BV_ALPHAS,
    n_test: int = N_TEST,
    tol: float = 1e-8,
    progress: Progress = None,
    cancel: Cancel = None,
) -> BiasVariance:
    """The decomposition of the module docstring for ``kind`` ('l1', 'l2' or
    'elasticnet' at L1 share ``l1_ratio``) with ``k`` true features (at most d),
    over ``draws`` training sets seeded by ``(seed, 1, draw)`` and a test sample
    seeded by ``(seed, 2)``. ``cancel()`` stops it; the result holds the draws
    done, marked ``cancelled``."""
    start = time.perf_counter()
    cancel = as_cancel(cancel)
    if kind not in PATH_KINDS:
        raise ValueError(f"bias and variance need L1, L2 or Elastic Net, not {kind!r}")
    k = min(int(k), gen.d)
    beta = true_coefficients(gen, k)
    test = np.random.default_rng([int(seed), 2])
    X_test = gen.features(test, n_test)
    f_test = X_test @ beta
    y_test = f_test + gen.noise * test.standard_normal(n_test)
    alphas = None
    total = total_sq = err = None
    done = 0
    cancelled = False
    for t in range(draws):
        if cancel is not None and cancel():
            cancelled = True
            break
        data = prepare(gen.draw(k, [int(seed), 1, t]))
        if alphas is None:
            alphas = alpha_grid(data, "squared", kind, rho=l1_ratio, n_alphas=n_alphas)
            total = np.zeros((n_test, alphas.size))
            total_sq = np.zeros_like(total)
            err = np.zeros(alphas.size)
        path = regularization_path(
            data, "squared", kind, rho=l1_ratio, alphas=alphas, tol=tol, cancel=cancel
        )
        if path.cancelled:
            cancelled = True
            break
        w_raw = path.coefs / data.scale
        b_raw = path.intercepts - w_raw @ data.mean
        f_hat = X_test @ w_raw.T + b_raw
        total += f_hat
        total_sq += f_hat * f_hat
        err += np.mean((y_test[:, None] - f_hat) ** 2, axis=0)
        done += 1
        if progress is not None:
            progress(done / draws, f"{done} of {draws} draws")
    m = alphas.size if alphas is not None else n_alphas
    bias2 = variance = error = np.full(m, np.nan)
    if done:
        mean = total / done
        bias2 = np.mean((mean - f_test[:, None]) ** 2, axis=0)
        variance = np.mean(np.maximum(total_sq / done - mean * mean, 0.0), axis=0)
        error = err / done
    return BiasVariance(
        generator=gen,
        k=k,
        kind=kind,
        l1_ratio=float(l1_ratio) if kind == "elasticnet" else float(kind == "l1"),
        alphas=np.full(m, np.nan) if alphas is None else alphas,
        bias2=bias2,
        variance=variance,
        error=error,
        noise2=gen.noise**2,
        draws=draws,
        draws_done=done,
        seed=int(seed),
        cancelled=cancelled,
        elapsed=time.perf_counter() - start,
    )


def bias_variance_for(settings, progress: Progress = None, cancel: Cancel = None):
    """The decomposition of a resolved ``settings``: the generator of
    ``settings.lab`` with ``lab.sweep_k`` true features (at most d), the run's
    penalty (L1 when it has none) at its own L1 share, ``lab.sweep_draws`` draws, the
    run's seed and tolerance."""
    lab = settings.lab
    kind, share = bias_penalty_of(settings)
    return bias_variance(
        Generator.of_lab(lab),
        lab.sweep_k,
        kind,
        l1_ratio=share,
        draws=lab.sweep_draws,
        seed=settings.seed,
        tol=settings.tol,
        progress=progress,
        cancel=cancel,
    )


def bias_penalty_of(settings) -> tuple[str, float]:
    """The penalty of the decomposition and its Elastic Net L1 share:
    ``lab.bias_penalty``, or for 'run' the run's penalty (L1 when it has no path
    penalty) at its own share; an Elastic Net chosen in the view takes
    ``lab.compare_l1_ratio``."""
    lab = settings.lab
    if lab.bias_penalty != "run":
        return lab.bias_penalty, lab.compare_l1_ratio
    kind = settings.penalty if settings.penalty in PATH_KINDS else "l1"
    if kind == "elasticnet" and settings.resolved:
        return kind, settings.active_penalty.rho
    return kind, lab.compare_l1_ratio


def same_bias_variance(a, b) -> bool:
    """Whether two settings give the same decomposition (:func:`bias_variance_for`)."""
    fields = (
        "sweep_n",
        "sweep_d",
        "sweep_group",
        "sweep_rho",
        "sweep_noise",
        "sweep_k",
        "sweep_draws",
        "compare_l1_ratio",
        "bias_penalty",
    )
    if any(getattr(a.lab, f) != getattr(b.lab, f) for f in fields):
        return False
    if (a.seed, a.tol) != (b.seed, b.tol):
        return False
    (ka, ra), (kb, rb) = bias_penalty_of(a), bias_penalty_of(b)
    return ka == kb and (ka != "elasticnet" or abs(ra - rb) <= 1e-9)
