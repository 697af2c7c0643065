"""The penalty family in two dimensions: Lq balls, SCAD and MCP, optima by global search.

One weight's penalty ``p(a)``, summed over the two weights ``P(w) = p(w₁) + p(w₂)``:

* ``lq`` (0 < q ≤ 2): ``p(a) = (λ/q)|a|^q``, so q = 1 is L1 (``λ|a|``) and q = 2 is
  L2 (``λa²/2``) in the app's convention. Its region is the Lq ball ``‖w‖_q ≤ t``
  (``(|w₁|^q + |w₂|^q)^(1/q) ≤ t``, which meets the axes at ±t for every q): the
  diamond for q = 1, the disk for q = 2, rounder than the diamond for 1 < q < 2, and
  for q < 1 a star with spikes on the axes and sides curved inward: not convex.
* ``scad`` and ``mcp`` (:func:`engine.thresholds.penalty_value` with λ and γ): the
  region ``P(w) ≤ t``. For ``t ≤ λ²`` (SCAD) or small t (MCP) it is close to the L1
  diamond; larger, its sides curve inward because p flattens out, and from
  ``t ≥ p_max`` (λ²(γ+1)/2 for SCAD, γλ²/2 for MCP) it runs along the axes to infinity.

The optima are found by a **global search** in 2D, because for q < 1, SCAD and MCP
the problems are not convex and a descent may stop at a local minimum:

* penalized ``argmin f(w) + P(w)``: every optimum has ``f(w) ≤ f(0)``, so it lies in
  the ellipse through the origin; the candidates are the origin, the best points of
  each axis (``w = (a, 0)``, a 1D problem: its stationary points by bisection to the
  last bit) and of each open quadrant (a 181 × 181 grid, then Newton's method from
  every grid point lower than its neighbours). The best candidate wins; a point on
  an axis carries an exact ``0.0``.
* constrained ``argmin f(w)`` subject to ``P(w) ≤ t``: when w* is outside the
  region the optimum lies on the boundary; the boundary is walked along its angle
  (the region is star-shaped: P grows with every ``|w_j|``) on a fine grid, each
  local minimum is refined by bisection on the tangency condition
  ``∇f × ∇P = 0`` along the curve, and the four points where the boundary meets the
  axes are candidates of their own (for q < 1 the optimum sits there most often).

The best grid point itself is a candidate, so the result is never worse than the
quadrant grid (penalized) or the angle grid along the boundary (constrained). This is
a careful search, not a proof: a basin narrower than the grid could in principle be
missed. For q ≥ 1 (convex) it agrees with the exact solvers of
:mod:`engine.geometry` to about 1e-15.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .geometry import Quadratic
from .thresholds import check_gamma, penalty_value

__all__ = [
    "FAMILY_KINDS",
    "FamilyShape",
    "FamilyOptimum",
    "family_constrained_optimum",
    "family_penalized_optimum",
    "l0_penalized_optimum",
]

FAMILY_KINDS = ("lq", "scad", "mcp")
_GRID = 181
_ANGLES = 4096


@dataclass(frozen=True)
class FamilyShape:
    """One penalty of the family: ``kind`` with its ``q`` (Lq), its strength ``lam``
    and its ``gamma`` (SCAD, MCP; their default when None)."""

    kind: str = "lq"
    q: float = 1.0
    lam: float = 1.0
    gamma: float | None = None

    def __post_init__(self):
        if self.kind not in FAMILY_KINDS:
            raise ValueError(
                f"unknown shape {self.kind!r}; choose one of {FAMILY_KINDS}"
            )
        if self.kind == "lq":
            if not (math.isfinite(self.q) and 0 < self.q <= 2):
                raise ValueError(f"q must lie in (0, 2], got {self.q!r}")
            if self.gamma is not None:
                raise ValueError("γ goes with SCAD and MCP, not with Lq")
        else:
            object.__setattr__(self, "gamma", check_gamma(self.kind, self.gamma))
        if not (math.isfinite(self.lam) and self.lam > 0):
            raise ValueError(f"λ must be a finite number > 0, got {self.lam!r}")

    @property
    def convex(self) -> bool:
        return self.kind == "lq" and self.q >= 1

    @property
    def name(self) -> str:
        if self.kind == "lq":
            return f"L{self.q:g}"
        return self.kind.upper()

    @property
    def p_max(self) -> float:
        """The largest value of one weight's penalty (inf for Lq)."""
        lam, g = self.lam, self.gamma
        if self.kind == "scad":
            return 0.5 * lam * lam * (g + 1)
        if self.kind == "mcp":
            return 0.5 * g * lam * lam
        return math.inf

    # -- one weight -----------------------------------------------------------------
    def p(self, w) -> np.ndarray:
        """Each weight's penalty ``p(w_j)``."""
        w = np.asarray(w, dtype=float)
        if self.kind == "lq":
            return (self.lam / self.q) * np.abs(w) ** self.q
        return penalty_value(self.kind, w, self.lam, gamma=self.gamma)

    def dp(self, a) -> np.ndarray:
        """``p'(a)`` for ``a > 0``."""
        a = np.asarray(a, dtype=float)
        lam, g = self.lam, self.gamma
        if self.kind == "lq":
            with np.errstate(divide="ignore"):  # p'(0+) = inf for q < 1
                return lam * a ** (self.q - 1)
        if self.kind == "mcp":
            return np.where(a <= g * lam, lam - a / g, 0.0)
        mid = (g * lam - a) / (g - 1)
        return np.where(a <= lam, lam, np.where(a <= g * lam, mid, 0.0))

    def d2p(self, a) -> np.ndarray:
        """``p''(a)`` for ``a > 0``."""
        a = np.asarray(a, dtype=float)
        lam, g = self.lam, self.gamma
        if self.kind == "lq":
            with np.errstate(divide="ignore"):
                return lam * (self.q - 1) * a ** (self.q - 2)
        if self.kind == "mcp":
            return np.where(a <= g * lam, -1.0 / g, 0.0)
        return np.where((a > lam) & (a <= g * lam), -1.0 / (g - 1), 0.0)

    def value(self, w) -> np.ndarray:
        """``P(w) = p(w₁) + p(w₂)`` for points of shape (..., 2)."""
        return self.p(w).sum(axis=-1)

    def measure(self, w) -> float:
        """The region's size at ``w``: ``‖w‖_q`` (Lq) or ``P(w)`` (SCAD, MCP)."""
        w = np.asarray(w, dtype=float)
        if self.kind == "lq":
            s = float((np.abs(w) ** self.q).sum())
            return s ** (1.0 / self.q)
        return float(self.value(w))

    # -- the region ---------------------------------------------------------------------
    def axis_reach(self, t: float) -> float:
        """Where the boundary meets an axis (inf when the region covers the axis)."""
        if self.kind == "lq":
            return float(t)
        if t >= self.p_max:
            return math.inf
        return float(self._p_inverse(np.array([t]))[0])

    def _p_inverse(self, v: np.ndarray) -> np.ndarray:
        """``a ≥ 0`` with ``p(a) = v`` for ``0 ≤ v < p_max`` (p rises up to γλ)."""
        lam, g = self.lam, self.gamma
        v = np.asarray(v, dtype=float)
        if self.kind == "mcp":  # λa − a²/(2γ) = v
            return g * lam - np.sqrt(np.maximum(g * g * lam * lam - 2 * g * v, 0.0))
        # SCAD: λa up to λ², then (2γλa − a² − λ²)/(2(γ−1)) = v
        mid = g * lam - np.sqrt(
            np.maximum(g * g * lam * lam - lam * lam - 2 * (g - 1) * v, 0.0)
        )
        return np.where(v <= lam * lam, v / lam, mid)

    def radius(self, theta: np.ndarray, t: float, cap: float = np.inf) -> np.ndarray:
        """The boundary's distance from 0 in the directions ``theta``, at most
        ``cap`` (inf where the region goes on forever). The region is star-shaped:
        P grows along each ray."""
        theta = np.asarray(theta, dtype=float)
        c, s = np.abs(np.cos(theta)), np.abs(np.sin(theta))
        if self.kind == "lq":
            q = self.q
            return np.minimum(t / (c**q + s**q) ** (1.0 / q), cap)
        # P(r u) is a quadratic in r between the places where r·u_j crosses λ or
        # γλ: find the piece where it passes t, then solve that quadratic
        lam, g = self.lam, self.gamma
        with np.errstate(divide="ignore"):
            knots = np.column_stack([lam / c, g * lam / c, lam / s, g * lam / s])
        cap_col = np.full(theta.shape, float(cap))
        if not np.isfinite(cap):  # past the last knot P is constant
            finite = np.where(np.isfinite(knots), knots, 0.0).max(axis=1)
            cap_col = 2 * finite + 1.0
        knots = np.sort(np.minimum(np.column_stack([knots, cap_col]), cap_col[:, None]))
        knots = np.column_stack([np.zeros_like(cap_col), knots])

        def P(r):
            return self.p(r * c[:, None]) + self.p(r * s[:, None])

        vals = P(knots)
        beyond = vals[:, -1] <= t  # the region reaches the cap in this direction
        k = np.clip((vals <= t).sum(axis=1) - 1, 0, knots.shape[1] - 2)
        rows = np.arange(len(theta))
        r0, r1 = knots[rows, k], knots[rows, k + 1]
        rm = 0.5 * (r0 + r1)
        p0, p1 = vals[rows, k], vals[rows, k + 1]
        pm = P(rm[:, None])[:, 0]
        h = np.maximum(rm - r0, 1e-300)
        a1 = (pm - p0) / h
        a2 = ((p1 - pm) / h - a1) / (2 * h)
        b1 = a1 - a2 * h
        c0 = p0 - t
        with np.errstate(divide="ignore", invalid="ignore"):
            disc = np.sqrt(np.maximum(b1 * b1 - 4 * a2 * c0, 0.0))
            # the root of a2 x² + b1 x + c0 in [0, r1 − r0], stable for small a2
            x = np.where(b1 >= 0, -2 * c0 / (b1 + disc), (-b1 + disc) / (2 * a2))
        x = np.clip(np.nan_to_num(x, nan=0.0), 0.0, r1 - r0)
        out = np.where(beyond, cap, r0 + x)
        if np.isfinite(cap):
            return out
        return np.where(beyond, np.inf, out)

    def boundary(self, t: float, reach: float = np.inf, n: int = 1601):
        """The boundary ``P(w) = t`` (Lq: ``‖w‖_q = t``) as a closed curve ``(x, y)``,
        cut at distance ``reach`` where the region goes on forever. The angles
        crowd near the axes, where the spikes of q < 1 are."""
        if t <= 0:
            return np.zeros(1), np.zeros(1)
        u = np.linspace(0, 1, n // 4 + 1)
        # x ↦ (1 − cos πx)/2 crowds the samples at both ends of each quadrant
        base = 0.25 * np.pi * (1 - np.cos(np.pi * u))
        theta = np.concatenate([base + k * 0.5 * np.pi for k in range(4)])
        r = self.radius(theta, t, reach)
        x, y = r * np.cos(theta), r * np.sin(theta)
        # exact points on the axes: the ends of each quadrant's samples
        m = len(u)
        a = min(self.axis_reach(t), reach)  # cos(π/2) is not 0 in floating point
        for k in range(4):
            for end, axis in ((0, k % 2), (m - 1, (k + 1) % 2)):
                i = k * m + end
                sign = 1.0 if (k + (end > 0)) % 4 < 2 else -1.0
                x[i], y[i] = (sign * a, 0.0) if axis == 0 else (0.0, sign * a)
        return x, y


@dataclass(frozen=True)
class FamilyOptimum:
    """The optimum ``w`` found by the global search, the objective there, and the
    region's size at it (``‖w‖_q`` or ``P(w)``). ``inside``: w* itself lies in the
    region (constrained problem; then ``w = w*``)."""

    w: np.ndarray
    value: float
    measure: float
    inside: bool = False

    @property
    def zeros(self) -> np.ndarray:
        return self.w == 0.0

    @property
    def on_corner(self) -> bool:
        z = self.zeros
        return bool(z.any() and not z.all())


def _reach(f: Quadratic) -> np.ndarray:
    """Half-widths of the box around the ellipse ``f(w) ≤ f(0)`` (every optimum is
    in it), centred on w*."""
    f0 = float(f.value(np.zeros(2)))
    Hinv = np.linalg.inv(f.H)
    return np.sqrt(2 * f0 * np.diag(Hinv))


def _bisect(fn, lo: float, hi: float) -> float:
    """A root of ``fn`` between ``lo`` and ``hi`` (opposite signs) to the last bit."""
    f_lo = fn(lo)
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if mid in (lo, hi):
            break
        f_mid = fn(mid)
        if f_mid == 0:
            return mid
        if (f_mid > 0) == (f_lo > 0):
            lo, f_lo = mid, f_mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def _axis_candidates(f: Quadratic, shape: FamilyShape, box_lo, box_hi):
    """Local minima of ``F`` on the two axes, with exact zeros off their axis."""
    out = []
    H, b = f.H, f.b
    for k in (0, 1):
        for sgn in (1.0, -1.0):
            # a = |w_k| > 0 on this half axis; F(a) = H_kk a²/2 − sgn b_k a + p(a)
            hi = max(sgn * box_hi[k], sgn * box_lo[k], 0.0)
            if hi <= 0:
                continue
            a = np.linspace(0, hi, 4001)[1:]

            def deriv(x, k=k, sgn=sgn):
                return H[k, k] * x - sgn * b[k] + float(shape.dp(x))

            d = H[k, k] * a - sgn * b[k] + shape.dp(a)
            roots = np.flatnonzero((d[:-1] < 0) & (d[1:] >= 0))
            for i in roots:
                x = _bisect(deriv, float(a[i]), float(a[i + 1]))
                w = np.zeros(2)
                w[k] = sgn * x
                out.append(w)
            if d[-1] < 0:  # still falling at the end of the box
                w = np.zeros(2)
                w[k] = sgn * hi
                out.append(w)
    return out


def _quadrant_candidates(f: Quadratic, shape: FamilyShape, box_lo, box_hi):
    """Local minima of ``F`` off the axes: grid, then Newton inside the quadrant."""
    xs = np.linspace(box_lo[0], box_hi[0], _GRID)
    ys = np.linspace(box_lo[1], box_hi[1], _GRID)
    F = f.grid(xs, ys) + shape.p(xs)[None, :] + shape.p(ys)[:, None]
    F[:, xs == 0] = np.inf
    F[ys == 0, :] = np.inf
    P = np.pad(F, 1, constant_values=np.inf)
    low = np.ones_like(F, dtype=bool)
    for di in (-1, 0, 1):
        for dj in (-1, 0, 1):
            if di or dj:
                low &= (
                    F <= P[1 + di : 1 + di + F.shape[0], 1 + dj : 1 + dj + F.shape[1]]
                )
    low &= np.isfinite(F)
    out = []
    iy, ix = np.nonzero(low)
    for i, j in zip(iy, ix, strict=True):
        w0 = np.array([xs[j], ys[i]])
        out.append(w0)
        w = _newton(f, shape, w0)
        if w is not None:
            out.append(w)
    return out


def _newton(f: Quadratic, shape: FamilyShape, w: np.ndarray):
    """Damped Newton's method for ``F`` in the open quadrant of ``w``; None when it
    leaves the quadrant (the axes have candidates of their own)."""
    sign = np.sign(w)

    def F(v):
        return float(f.value(v) + shape.value(v))

    for _ in range(100):
        a = np.abs(w)
        g = f.gradient(w) + sign * shape.dp(a)
        Hs = f.H + np.diag(shape.d2p(a))
        try:
            vals, vecs = np.linalg.eigh(Hs)
        except np.linalg.LinAlgError:
            return None
        # a positive definite model of the curvature (a nonconvex p can bend it)
        vals = np.maximum(np.abs(vals), 1e-8 * max(np.abs(vals).max(), 1e-300))
        step = -(vecs @ ((vecs.T @ g) / vals))
        f0, s = F(w), 1.0
        while s > 1e-12:
            cand = w + s * step
            if np.all(np.sign(cand) == sign) and F(cand) <= f0:
                break
            s *= 0.5
        else:
            return w
        if np.all(cand == w):
            return w
        w = cand
        if np.abs(s * step).max() <= 1e-15 * max(1.0, np.abs(w).max()):
            return w
    return w


def _pick(cands, objective) -> tuple[np.ndarray, float]:
    """The best candidate; among equal values (to rounding) the one with more exact
    zeros, so a corner is not lost to a neighbour a rounding error lower."""
    vals = np.array([objective(w) for w in cands])
    best = float(vals.min())
    tol = 1e-13 * max(abs(best), 1.0)
    ok = [i for i in range(len(cands)) if vals[i] <= best + tol]
    i = max(ok, key=lambda i: (int((cands[i] == 0).sum()), -vals[i]))
    return cands[i] + 0.0, float(vals[i])


def family_penalized_optimum(f: Quadratic, shape: FamilyShape) -> FamilyOptimum:
    """``argmin f(w) + p(w₁) + p(w₂)`` by the global search of the module's text."""
    if f.dim != 2:
        raise ValueError("the global search is for two weights")
    half = _reach(f)
    box_lo = np.minimum(f.w_star - half, 0.0)
    box_hi = np.maximum(f.w_star + half, 0.0)
    cands = [np.zeros(2)]
    cands += _axis_candidates(f, shape, box_lo, box_hi)
    cands += _quadrant_candidates(f, shape, box_lo, box_hi)

    def objective(w):
        return float(f.value(w) + shape.value(w))

    w, val = _pick(cands, objective)
    return FamilyOptimum(w, val, shape.measure(w))


def family_constrained_optimum(
    f: Quadratic, shape: FamilyShape, t: float
) -> FamilyOptimum:
    """``argmin f(w)`` subject to ``‖w‖_q ≤ t`` (Lq) or ``P(w) ≤ t`` (SCAD, MCP), by
    the global search along the boundary of the module's text."""
    if f.dim != 2:
        raise ValueError("the global search is for two weights")
    if t < 0:
        raise ValueError("the budget t must be >= 0")
    if shape.measure(f.w_star) <= t:
        return FamilyOptimum(f.w_star.copy(), 0.0, shape.measure(f.w_star), True)
    if t == 0:
        return FamilyOptimum(np.zeros(2), float(f.value(np.zeros(2))), 0.0)
    # beyond this distance f > f(0): no optimum there (the origin is feasible)
    far = (
        float(
            np.linalg.norm(f.w_star)
            + np.sqrt(2 * f.value(np.zeros(2)) / np.linalg.eigvalsh(f.H)[0])
        )
        * 1.01
        + 1e-12
    )

    (h11, h12), (_, h22) = f.H.tolist()
    b1, b2 = f.b.tolist()

    def radius(theta: float) -> float:
        if shape.kind == "lq":  # closed form, in plain floats: called ~100 times
            q = shape.q
            c, s = abs(math.cos(theta)), abs(math.sin(theta))
            return min(t / (c**q + s**q) ** (1.0 / q), far)
        return float(shape.radius(np.array([theta]), t, far)[0])

    def point(theta: float) -> np.ndarray:
        r = radius(theta)
        return np.array([r * math.cos(theta), r * math.sin(theta)])

    def tangency(theta: float) -> float:
        """``∇f × ∇P`` at the boundary point in direction theta (0 at a tangency)."""
        r = radius(theta)
        x, y = r * math.cos(theta), r * math.sin(theta)
        g1, g2 = h11 * x + h12 * y - b1, h12 * x + h22 * y - b2
        n1 = math.copysign(float(shape.dp(abs(x))), x) if x != 0 else 0.0
        n2 = math.copysign(float(shape.dp(abs(y))), y) if y != 0 else 0.0
        return g1 * n2 - g2 * n1

    cands = []
    a = shape.axis_reach(t)
    for k in (0, 1):
        for sgn in (1.0, -1.0):
            w = np.zeros(2)
            w[k] = sgn * min(a, far)
            cands.append(w)
    theta = np.linspace(0, 2 * np.pi, _ANGLES + 1)
    r = shape.radius(theta, t, far)
    pts = np.column_stack([r * np.cos(theta), r * np.sin(theta)])
    vals = f.value(pts)
    cands.append(pts[int(np.argmin(vals))])  # never worse than the grid
    n = len(theta)
    for i in range(n - 1):
        lo_v, hi_v = vals[i - 1 if i else n - 2], vals[i + 1]
        if vals[i] <= lo_v and vals[i] <= hi_v:
            t_lo, t_hi = theta[i] - theta[1], theta[i] + theta[1]
            # a tangency inside the bracket, on either side of the grid point
            for lo, hi in ((t_lo, theta[i]), (theta[i], t_hi)):
                g_lo, g_hi = tangency(lo), tangency(hi)
                if np.sign(g_lo) != np.sign(g_hi):
                    w = point(_bisect(tangency, float(lo), float(hi)))
                    if np.all(w != 0):
                        cands.append(w)
    feasible = [w for w in cands if shape.measure(w) <= t * (1 + 1e-12)]
    w, val = _pick(feasible, lambda w: float(f.value(w)))
    return FamilyOptimum(w, val, shape.measure(w))


def l0_penalized_optimum(f: Quadratic, lam: float) -> FamilyOptimum:
    """``argmin f(w) + (λ²/2)·#{j: w_j ≠ 0}`` (L0 of :mod:`engine.thresholds`),
    exactly: the best of the four supports, each solved exactly (0; w₁ alone, the
    minimum of f along its axis; w₂ alone; both, w*). ``measure``: the number of
    nonzero weights. Among equal values the sparser support wins."""
    if f.dim != 2:
        raise ValueError("the L0 search here is for two weights")
    cost = 0.5 * lam * lam
    cands = [np.zeros(2)]
    for k in (0, 1):
        w = np.zeros(2)
        w[k] = f.b[k] / f.H[k, k]
        cands.append(w)
    cands.append(f.w_star.copy())

    def objective(w):
        return float(f.value(w)) + cost * int((w != 0).sum())

    w, val = _pick(cands, objective)
    return FamilyOptimum(w, val, float((w != 0).sum()))
