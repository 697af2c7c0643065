"""How often does the constrained optimum have an exact zero? A Monte Carlo answer.

Sampling protocol (one sample):

1. Curvature ``H = Q diag(e^u) Q^T`` with ``Q`` a uniformly random rotation (QR of a
   Gaussian matrix, signs fixed) and ``u_i`` uniform on ``[-ln 10, ln 10]``: the
   eigenvalues lie between 0.1 and 10, so contours range from circles to ellipses 100×
   longer than wide, in random orientations.
2. Centre ``w*`` with independent standard normal coordinates.
3. Budget ``t`` = half of the region's norm of ``w*`` (``||w*||_1 / 2`` for L1,
   ``||w*||_2 / 2`` for L2, the Elastic Net norm / 2), so the constraint is always
   active and every penalty is tested at the same relative tightness.
4. The constrained optimum is computed exactly (:func:`engine.geometry.
   constrained_optimum`); it *has an exact zero* when a coordinate is ``== 0.0``.

Each penalty sees the same losses (common random numbers). Besides ``l1``, ``l2`` and
``elasticnet``, the kinds ``lq0.5``, ``lq1.5`` (any ``lq<q>`` with 0 < q ≤ 2) count
the corners of the Lq ball ``‖w‖_q ≤ t``, in 2D only: its optimum comes from the
global search of :mod:`engine.penalty_shapes` (for q < 1 the problem is not convex).
Their budget is the diamond's, ``t = ‖w*‖₁ / 2``, so every Lq ball has the diamond's
corners ±t on the axes, inside it for q < 1 and around it for q > 1 (still active:
``‖w*‖₁ / 2 < ‖w*‖_q`` for q ≤ 2). With the same corners, q < 1 lands on them at
least as often as L1, sample by sample; q > 1 never. (With ``‖w*‖_q / 2`` instead
the L½ ball reaches far beyond w* along the axes and its corners are hit less often
than the diamond's: "how often" depends on how the budgets are matched.)

For comparison a second
count, *near zero*, calls a coordinate zero when it is below 5% of the largest one in
size: that is how a smooth L2 solution can be reported as "zero" a few percent of the
time, although exactly zero happens with probability 0 for L2.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .geometry import Quadratic, constrained_optimum, region_norm
from .penalty_shapes import FamilyShape, family_constrained_optimum

__all__ = ["MonteCarloResult", "lq_exponent", "run_monte_carlo"]

NEAR = 0.05


@dataclass
class MonteCarloResult:
    """Fractions per (penalty, dimension): ``exact[kind][d]`` and ``near[kind][d]`` are
    the shares of samples with at least one exactly-zero (near-zero) coordinate;
    ``mean_zeros[kind][d]`` the average share of exactly-zero coordinates."""

    dims: tuple[int, ...]
    kinds: tuple[str, ...]
    n_samples: int
    seed: int
    rho: float
    exact: dict = field(default_factory=dict)
    near: dict = field(default_factory=dict)
    mean_zeros: dict = field(default_factory=dict)
    cancelled: bool = False


def _random_rotation(rng, d):
    Q, R = np.linalg.qr(rng.standard_normal((d, d)))
    return Q * np.sign(np.diag(R))


def lq_exponent(kind: str) -> float | None:
    """q of a kind ``'lq<q>'`` (``'lq0.5'`` → 0.5), None for the other kinds."""
    if not kind.startswith("lq"):
        return None
    q = float(kind[2:])
    FamilyShape("lq", q)  # ValueError outside (0, 2]
    return q


def _optimum(q: Quadratic, kind: str, rho: float) -> np.ndarray:
    """The constrained optimum of the protocol (step 3 and 4) for ``kind``."""
    exponent = lq_exponent(kind)
    if exponent is None:
        t = 0.5 * region_norm(kind, q.w_star, rho)
        return constrained_optimum(q, kind, t, rho).w
    shape = FamilyShape("lq", exponent)
    t = 0.5 * float(np.abs(q.w_star).sum())  # the diamond's corners (module text)
    return family_constrained_optimum(q, shape, t).w


def random_quadratic(rng, d: int) -> Quadratic:
    """One loss of the protocol (steps 1 and 2)."""
    Q = _random_rotation(rng, d)
    eig = np.exp(rng.uniform(-np.log(10), np.log(10), d))
    H = (Q * eig) @ Q.T
    return Quadratic(0.5 * (H + H.T), rng.standard_normal(d))


def run_monte_carlo(
    dims=(2, 5, 10),
    kinds=("l1", "l2", "elasticnet"),
    n_samples: int = 1000,
    seed: int = 0,
    rho: float = 0.5,
    progress=None,
    cancel=None,
) -> MonteCarloResult:
    """Run the protocol of the module docstring; reproducible for a seed. The Lq
    kinds are counted in 2D only (absent from the other dimensions' entries)."""
    for kind in kinds:
        lq_exponent(kind)  # a bad q fails before the work starts
    res = MonteCarloResult(tuple(dims), tuple(kinds), n_samples, seed, rho)
    for kind in kinds:
        res.exact[kind], res.near[kind], res.mean_zeros[kind] = {}, {}, {}
    total = len(dims) * n_samples
    done = 0
    for d in dims:
        rng = np.random.default_rng([seed, d])
        here = [k for k in kinds if d == 2 or lq_exponent(k) is None]
        exact = {k: 0 for k in here}
        near = {k: 0 for k in here}
        zeros = {k: 0 for k in here}
        for i in range(n_samples):
            q = random_quadratic(rng, d)
            for kind in here:
                w = _optimum(q, kind, rho)
                z = w == 0.0
                exact[kind] += bool(z.any())
                zeros[kind] += int(z.sum())
                near[kind] += bool((np.abs(w) <= NEAR * np.abs(w).max()).any())
            done += 1
            if progress is not None and done % 50 == 0:
                progress(done / total, f"{d} dimensions: {i + 1} of {n_samples}")
            if cancel is not None and cancel():
                res.cancelled = True
                n_done = i + 1
                for kind in here:
                    res.exact[kind][d] = exact[kind] / n_done
                    res.near[kind][d] = near[kind] / n_done
                    res.mean_zeros[kind][d] = zeros[kind] / (n_done * d)
                return res
        for kind in here:
            res.exact[kind][d] = exact[kind] / n_samples
            res.near[kind][d] = near[kind] / n_samples
            res.mean_zeros[kind][d] = zeros[kind] / (n_samples * d)
    if progress is not None:
        progress(1.0, "done")
    return res
