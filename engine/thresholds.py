"""What one update does to one weight: the thresholding function of every penalty.

A proximal step takes the pre-update value ``z = w − η∇D(w)`` of a weight to

    w_new = argmin_u  (u − z)² / 2 + η·p(u)

for the penalty ``p`` of one weight. For the penalties of this app:

* ``l1``, ``p = λ|u|``: the soft threshold ``sign(z)·max(|z| − ηλ, 0)``, the seed's
  clamp. Every z in the band ``|z| ≤ ηλ`` (width 2ηλ) lands on exactly 0.
* ``l2``, ``p = λu²/2``: proportional shrinkage ``z / (1 + ηλ)``; 0 only for z = 0.
* ``elasticnet``: both, soft threshold then shrink.
* ``scad`` (Fan & Li 2001, γ > 2): L1 near 0, then a quadratic blend, then flat:
  ``p = λ|u|`` for ``|u| ≤ λ``, ``(2γλ|u| − u² − λ²) / (2(γ − 1))`` up to γλ, and
  ``λ²(γ + 1)/2`` beyond. Its threshold is the soft one near 0, a line from the zero
  band back to the identity, then the identity: large weights are not shrunk.
* ``mcp`` (Zhang 2010, γ > 1): ``p = λ|u| − u²/(2γ)`` up to γλ, ``γλ²/2`` beyond:
  the firm threshold ``S(z, ηλ) / (1 − η/γ)`` for ``|z| ≤ γλ``, the identity beyond.
* ``l0``, ``p = (λ²/2)·[u ≠ 0]``: the hard threshold, z kept if ``|z| > λ√η``, else
  0. The constant λ²/2 puts its threshold at λ when η = 1, where the soft one is.

The nonconvex three need a curvature above their own: SCAD needs ``γ > 1 + η``, MCP
``γ > η`` (η = 1 for coordinate descent on standardized data), or the update is not
unique; :func:`check_gamma` says so in one sentence. L0 has two minimizers at the
threshold itself; this module keeps the weight there (``|z| = λ√η`` → 0).
"""

from __future__ import annotations

import math

import numpy as np

__all__ = [
    "ALL_KINDS",
    "DEFAULT_GAMMA",
    "NONCONVEX_KINDS",
    "check_gamma",
    "penalty_value",
    "threshold",
    "update",
    "zero_band",
]

#: Penalties with a nonconvex shape: their solution may depend on where a solver
#: starts.
NONCONVEX_KINDS = ("scad", "mcp", "l0")
ALL_KINDS = ("none", "l1", "l2", "elasticnet", *NONCONVEX_KINDS)
#: γ when none is given: Fan & Li's 3.7 for SCAD, Breheny & Huang's 3 for MCP.
DEFAULT_GAMMA = {"scad": 3.7, "mcp": 3.0}


def check_gamma(kind: str, gamma: float | None, eta: float = 1.0) -> float | None:
    """γ of ``kind`` (its default when None), or ValueError with one sentence: SCAD
    needs γ > 1 + η (so γ > 2 for η = 1), MCP γ > η. Penalties without a γ take
    None and return None."""
    if kind not in DEFAULT_GAMMA:
        if gamma is not None:
            raise ValueError(f"γ goes with SCAD and MCP, not with {kind!r}")
        return None
    if gamma is None:
        gamma = DEFAULT_GAMMA[kind]
    least = 1.0 + eta if kind == "scad" else eta
    if not (isinstance(gamma, int | float) and math.isfinite(gamma) and gamma > least):
        name = kind.upper()
        unit = 2 if kind == "scad" else 1
        where = "" if least == unit else f" here (γ > {unit} for a unit step)"
        raise ValueError(f"{name} needs γ > {least:g}{where}, got {gamma!r}")
    return float(gamma)


def threshold(
    kind: str,
    z: np.ndarray,
    lam1: float = 0.0,
    lam2: float = 0.0,
    *,
    eta: float = 1.0,
    gamma: float | None = None,
) -> np.ndarray:
    """The new weights from pre-update values ``z`` for a step ``eta`` (see the
    module's text). ``lam1`` is the strength of every penalty but L2 (whose strength
    is ``lam2``; Elastic Net takes both). Exact zeros are +0.0."""
    z = np.asarray(z, dtype=float)
    if kind == "none":
        return z.copy()
    if kind == "l2":
        return z / (1.0 + eta * lam2) + 0.0
    if kind in ("l1", "elasticnet"):
        out = _soft(z, eta * lam1)
        return out / (1.0 + eta * lam2) if kind == "elasticnet" else out
    gamma = check_gamma(kind, gamma, eta)
    a = np.abs(z)
    if kind == "l0":
        return np.where(a > lam1 * math.sqrt(eta), z, 0.0) + 0.0
    if kind == "mcp":
        firm = _soft(z, eta * lam1) / (1.0 - eta / gamma)
        return np.where(a <= gamma * lam1, firm, z) + 0.0
    if kind == "scad":
        soft = _soft(z, eta * lam1)
        blend = ((gamma - 1.0) * z - np.sign(z) * eta * gamma * lam1) / (
            gamma - 1.0 - eta
        )
        out = np.where(a <= lam1 * (1.0 + eta), soft, blend)
        return np.where(a > gamma * lam1, z, out) + 0.0
    raise ValueError(f"unknown penalty {kind!r}; choose one of {', '.join(ALL_KINDS)}")


def update(
    rule: str,
    kind: str,
    z: np.ndarray,
    w: np.ndarray,
    lam1: float = 0.0,
    lam2: float = 0.0,
    *,
    eta: float = 1.0,
    gamma: float | None = None,
) -> np.ndarray:
    """The weights one full-batch step makes from ``w`` whose pre-update values are
    ``z = w − η∇D(w)``: the threshold of ``z`` for the proximal rule; for the naive
    subgradient rule ``z − η(λ₁ sign(w) + λ₂ w)``, which depends on ``w`` too and has
    no zero band (the convex penalties only)."""
    if rule == "proximal":
        return threshold(kind, z, lam1, lam2, eta=eta, gamma=gamma)
    if kind not in ("none", "l1", "l2", "elasticnet"):
        raise ValueError(
            f"the subgradient rule goes with convex penalties, not {kind!r}"
        )
    w = np.asarray(w, dtype=float)
    return np.asarray(z, dtype=float) - eta * (lam1 * np.sign(w) + lam2 * w)


def _soft(z: np.ndarray, t: float) -> np.ndarray:
    out = np.maximum(np.abs(z) - t, 0.0)
    return out * np.sign(z) + 0.0


def zero_band(kind: str, lam1: float, *, eta: float = 1.0) -> float:
    """Half-width of the band of pre-update values that land on exactly 0: ηλ for L1,
    Elastic Net, SCAD and MCP, λ√η for L0, 0 for L2 and none."""
    if kind in ("l1", "elasticnet", "scad", "mcp"):
        return eta * lam1
    if kind == "l0":
        return lam1 * math.sqrt(eta)
    return 0.0


def penalty_value(
    kind: str,
    w: np.ndarray,
    lam1: float = 0.0,
    lam2: float = 0.0,
    *,
    gamma: float | None = None,
) -> np.ndarray:
    """Each weight's penalty ``p(w_j)`` (sum it for the penalty of ``w``)."""
    w = np.asarray(w, dtype=float)
    a = np.abs(w)
    if kind == "none":
        return np.zeros_like(a)
    if kind == "l1":
        return lam1 * a
    if kind == "l2":
        return 0.5 * lam2 * w * w
    if kind == "elasticnet":
        return lam1 * a + 0.5 * lam2 * w * w
    gamma = check_gamma(kind, gamma)
    if kind == "l0":
        return np.where(a > 0, 0.5 * lam1 * lam1, 0.0)
    if kind == "mcp":
        return np.where(
            a <= gamma * lam1, lam1 * a - a * a / (2 * gamma), 0.5 * gamma * lam1**2
        )
    if kind == "scad":
        mid = (2 * gamma * lam1 * a - a * a - lam1 * lam1) / (2 * (gamma - 1))
        out = np.where(a <= lam1, lam1 * a, mid)
        return np.where(a > gamma * lam1, 0.5 * lam1 * lam1 * (gamma + 1), out)
    raise ValueError(f"unknown penalty {kind!r}; choose one of {', '.join(ALL_KINDS)}")
