"""The constraint geometry of L1, L2 and Elastic Net, computed exactly.

The data loss near its minimum is a quadratic ::

    f(w) = 1/2 (w - w*)^T H (w - w*)

with centre ``w*`` (the unpenalized minimum) and curvature ``H`` (symmetric positive
definite); its contours are ellipses around ``w*``. The regions of the constrained view:

* L1 diamond ``||w||_1 <= t``
* L2 disk ``||w||_2 <= t``
* Elastic Net ``rho ||w||_1 + (1 - rho)/2 ||w||_2^2 <= t``

The **penalized optimum** minimizes ``f(w) + lam1 ||w||_1 + lam2/2 ||w||^2``; it is
computed exactly by the Lasso homotopy (the solution path is piecewise linear in lam1
for ``H + lam2 I``), so a zero is a real ``0.0``. The **constrained optimum** minimizes
``f`` over a region; its multiplier ``mu`` links the two views: the constrained
optimum for budget t is the penalized optimum for ``lam1 = rho mu``, ``lam2 = (1 - rho)
mu`` (rho = 1 for L1, 0 for L2), and ``t`` is the region's norm of that optimum.

Nothing here guesses the optimum by projecting ``w*`` radially: every optimum is the
exact solution of its convex problem.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = [
    "ConstrainedOptimum",
    "Quadratic",
    "constrained_optimum",
    "corner_zones",
    "penalized_optimum",
    "penalized_zero_zones",
    "region_boundary",
    "region_corner",
    "region_norm",
    "share",
]

REGIONS = ("l1", "l2", "elasticnet")


def share(kind: str, rho: float = 0.5) -> float:
    """The L1 share of a region: 1 for L1, 0 for L2, rho for Elastic Net."""
    if kind not in REGIONS:
        raise ValueError(f"no constraint region for {kind!r}; choose one of {REGIONS}")
    return {"l1": 1.0, "l2": 0.0}.get(kind, float(rho))


def _rotation(angle: float) -> np.ndarray:
    c, s = np.cos(angle), np.sin(angle)
    return np.array([[c, -s], [s, c]])


@dataclass(frozen=True, eq=False)
class Quadratic:
    """``f(w) = 1/2 (w - w_star)^T H (w - w_star)`` in any dimension."""

    H: np.ndarray
    w_star: np.ndarray

    def __post_init__(self):
        H = np.array(self.H, dtype=float)
        w = np.array(self.w_star, dtype=float)
        if H.shape != (w.size, w.size) or not np.allclose(H, H.T):
            raise ValueError("H must be a symmetric matrix matching w_star")
        if np.linalg.eigvalsh(H)[0] <= 0:
            raise ValueError("H must be positive definite (the loss needs a minimum)")
        object.__setattr__(self, "H", H)
        object.__setattr__(self, "w_star", w)

    @classmethod
    def from_shape(cls, w_star, scales=(1.0, 0.25), angle: float = 0.0) -> Quadratic:
        """2D loss with curvatures ``scales`` along axes rotated by ``angle`` radians."""
        R = _rotation(angle)
        return cls(R @ np.diag(scales) @ R.T, w_star)

    @classmethod
    def from_correlation(cls, w_star, rho: float) -> Quadratic:
        """The squared loss of two standardized features with correlation ``rho``."""
        if not -1 < rho < 1:
            raise ValueError("the correlation must lie strictly between -1 and 1")
        return cls(np.array([[1.0, rho], [rho, 1.0]]), w_star)

    @classmethod
    def of_training(cls, data, w, b, i: int, j: int, loss: str = "squared"):
        """The training loss of ``data`` (a TrainingData) in weights ``i`` and
        ``j``, the others at ``w``: from its centred Gram matrix when the loss is
        squared and the matrix is formed (no pass over the rows), else from the
        rows (:meth:`from_data`)."""
        from .gram import moments_formed

        m = data.moments if loss == "squared" and moments_formed(data) else None
        if m is not None and m.gram_c is not None:
            return cls.from_moments(m.gram_c, m.c, w, i, j)
        return cls.from_data(data.X, data.y, w, b, i, j, loss)

    @classmethod
    def from_moments(cls, gram_c, c, w, i: int, j: int) -> Quadratic:
        """The squared loss as a function of weights ``i`` and ``j``, the others held
        at ``w``, the intercept re-optimized, from the centred Gram matrix ``gram_c``
        and ``c = X_cᵀ y_c / n`` alone (no pass over the rows): the same quadratic
        as :meth:`from_data`, whose Schur complement of the intercept is the centred
        Gram matrix's 2 × 2 block."""
        pair = [i, j]
        H = gram_c[np.ix_(pair, pair)]
        g2 = gram_c[pair] @ w - c[pair]
        return cls._from_hessian(H, g2, np.array([w[i], w[j]], dtype=float))

    @classmethod
    def from_data(cls, X, y, w, b, i: int, j: int, loss: str = "squared") -> Quadratic:
        """The data loss as a function of weights ``i`` and ``j``, the others held at
        ``w``: exact for squared loss, the second-order Taylor expansion at ``w`` for
        logistic loss. The intercept is re-optimized along with the two weights."""
        n, d = X.shape
        # one pass over X gives X w and the two columns (a column of a row-major X
        # alone would read the whole matrix, twice)
        W = np.zeros((d, 3))
        W[:, 0], W[i, 1], W[j, 2] = w, 1.0, 1.0
        P = X @ W
        z = P[:, 0] + b
        xi, xj = P[:, 1], P[:, 2]
        if loss == "squared":
            h, r = None, (z - y) / n
        else:
            from .losses import LogisticLoss, sigmoid

            s = sigmoid(-y * z)
            h, r = s * (1 - s) / n, LogisticLoss.derivative(z, y)
        hi, hj = (xi / n, xj / n) if h is None else (h * xi, h * xj)
        M = np.array(
            [
                [hi @ xi, hi @ xj, hi.sum()],
                [hj @ xi, hj @ xj, hj.sum()],
                [hi.sum(), hj.sum(), 1.0 if h is None else h.sum()],
            ]
        )
        g = np.array([xi @ r, xj @ r, r.sum()])
        # eliminate the intercept: Schur complement of its block
        H = M[:2, :2] - np.outer(M[:2, 2], M[2, :2]) / M[2, 2]
        g2 = g[:2] - M[:2, 2] * g[2] / M[2, 2]
        return cls._from_hessian(H, g2, np.array([w[i], w[j]], dtype=float))

    @classmethod
    def _from_hessian(cls, H, g2, w2) -> Quadratic:
        """The quadratic with Hessian ``H`` and gradient ``g2`` at ``w2``."""
        eig = np.linalg.eigvalsh(H)
        if not (np.isfinite(eig).all() and eig[0] > 1e-12 * max(eig[1], 1e-300)):
            raise ValueError(
                "the loss of these two weights has no single minimum on the training "
                "rows (the two features are constant or collinear there, or there are "
                "too few rows)"
            )
        step = np.linalg.solve(H, g2)
        return cls(H, w2 - step)

    @property
    def dim(self) -> int:
        return self.w_star.size

    @property
    def b(self) -> np.ndarray:
        """``H w*``: the linear term of ``f(w) = 1/2 w^T H w - b^T w + const``."""
        return self.H @ self.w_star

    def value(self, w) -> np.ndarray:
        """``f`` at points ``w`` of shape (..., d)."""
        r = np.asarray(w, dtype=float) - self.w_star
        return 0.5 * np.einsum("...i,ij,...j->...", r, self.H, r)

    def gradient(self, w) -> np.ndarray:
        return self.H @ (np.asarray(w, dtype=float) - self.w_star)

    def grid(self, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
        """``f`` on the grid ``xs`` × ``ys`` (2D), shape (len(ys), len(xs)): a 2×2
        quadratic form, never a pass over data rows."""
        (a, c), (_, e) = self.H
        dx = xs[None, :] - self.w_star[0]
        dy = ys[:, None] - self.w_star[1]
        return 0.5 * (a * dx * dx + 2 * c * dx * dy + e * dy * dy)

    def ellipse(self, level: float, n: int = 240) -> tuple[np.ndarray, np.ndarray]:
        """The contour ``f(w) = level`` (2D) as a closed curve."""
        vals, vecs = np.linalg.eigh(self.H)
        th = np.linspace(0, 2 * np.pi, n)
        r = np.sqrt(2 * max(level, 0.0))
        pts = vecs @ (
            np.vstack([np.cos(th), np.sin(th)]) * (r / np.sqrt(vals))[:, None]
        )
        return self.w_star[0] + pts[0], self.w_star[1] + pts[1]


def region_norm(kind: str, w, rho: float = 0.5) -> float:
    """The region's size measure at ``w``: ``||w||_1``, ``||w||_2`` or
    ``rho ||w||_1 + (1 - rho)/2 ||w||^2``."""
    w = np.asarray(w, dtype=float)
    if kind == "l1":
        return float(np.abs(w).sum())
    if kind == "l2":
        return float(np.linalg.norm(w))
    r = share(kind, rho)
    return float(r * np.abs(w).sum() + 0.5 * (1 - r) * (w @ w))


def region_corner(kind: str, t: float, rho: float = 0.5) -> float:
    """Distance from the origin of the region's points on the axes."""
    if kind in ("l1", "l2"):
        return float(t)
    r = share(kind, rho)
    if r == 1:
        return float(t)
    # rho a + (1 - rho)/2 a^2 = t
    return float((-r + np.sqrt(r * r + 2 * (1 - r) * t)) / (1 - r))


def region_boundary(kind: str, t: float, rho: float = 0.5, n: int = 400):
    """The boundary ``region_norm(w) = t`` in 2D as a closed curve ``(x, y)``."""
    if kind == "l1":
        x = np.array([t, 0, -t, 0, t], dtype=float)
        return x, np.array([0, t, 0, -t, 0], dtype=float)
    if kind == "l2":
        th = np.linspace(0, 2 * np.pi, n)
        return t * np.cos(th), t * np.sin(th)
    # Elastic Net: in the first quadrant, for each direction solve the quadratic
    r = share(kind, rho)
    th = np.linspace(0, 2 * np.pi, n)
    u = np.vstack([np.cos(th), np.sin(th)])
    l1 = np.abs(u).sum(axis=0)  # ||u||_1 of unit vectors
    if r == 1:
        s = t / l1
    else:  # (1 - r)/2 s^2 + r l1 s - t = 0
        s = (-r * l1 + np.sqrt((r * l1) ** 2 + 2 * (1 - r) * t)) / (1 - r)
    return s * u[0], s * u[1]


# -- the penalized problem -------------------------------------------------------------
def _homotopy(H: np.ndarray, b: np.ndarray, lam: float, budget: float | None = None):
    """Lasso homotopy for ``1/2 w^T H w - b^T w + lam ||w||_1``.

    Follows the exact, piecewise-linear solution path from ``lam_max = ||b||_inf``
    down to ``lam``; with ``budget`` it stops instead where ``||w||_1 = budget``.
    Returns ``(w, lam_reached)``.
    """
    d = b.size
    c = b.copy()
    lam_cur = float(np.abs(c).max(initial=0.0))
    w = np.zeros(d)
    if budget is not None and budget <= 0:
        return w, lam_cur
    if lam >= lam_cur:
        return w, lam
    j = int(np.argmax(np.abs(c)))
    active = [j]
    signs = [float(np.sign(c[j]))]
    for _ in range(20 * d + 20):
        A = np.array(active)
        s = np.array(signs)
        HA = H[np.ix_(A, A)]
        u = np.linalg.solve(HA, b[A])
        v = np.linalg.solve(HA, s)
        # next event below lam_cur: an inactive feature joins or an active one leaves
        nxt, event = 0.0, None
        inactive = np.setdiff1d(np.arange(d), A)
        if inactive.size:
            p = b[inactive] - H[np.ix_(inactive, A)] @ u
            q = H[np.ix_(inactive, A)] @ v
            for k, jj in enumerate(inactive):
                for sgn in (1.0, -1.0):
                    den = sgn - q[k]
                    if abs(den) > 1e-15:
                        lam_j = p[k] / den
                        if nxt < lam_j < lam_cur * (1 - 1e-13):
                            nxt, event = lam_j, ("join", jj, sgn)
        with np.errstate(divide="ignore", invalid="ignore"):
            lam_leave = np.where(v != 0, u / v, -1.0)
        for k, lam_k in enumerate(lam_leave):
            if nxt < lam_k < lam_cur * (1 - 1e-13):
                nxt, event = lam_k, ("leave", k, 0.0)
        stop = lam
        if budget is not None:
            # ||w(l)||_1 = s.(u - l v) is linear in l on this segment
            sv = float(s @ v)
            lam_b = (float(s @ u) - budget) / sv if sv != 0 else -1.0
            stop = max(stop, lam_b)
        if stop >= nxt:
            w = np.zeros(d)
            w[A] = u - stop * v
            return w, stop
        lam_cur = nxt
        if event[0] == "join":
            active.append(int(event[1]))
            signs.append(float(event[2]))
        else:
            del active[event[1]]
            del signs[event[1]]
            if not active:
                return np.zeros(d), lam_cur
    raise RuntimeError("the homotopy did not terminate")  # pragma: no cover


def penalized_optimum(q: Quadratic, lam1: float, lam2: float = 0.0) -> np.ndarray:
    """``argmin f(w) + lam1 ||w||_1 + lam2/2 ||w||^2``, exactly."""
    Hp = q.H + lam2 * np.eye(q.dim)
    if lam1 <= 0:
        return np.linalg.solve(Hp, q.b)
    w, _ = _homotopy(Hp, q.b, lam1)
    return w


@dataclass(frozen=True)
class ConstrainedOptimum:
    """The minimizer of ``f`` over a region, with its multiplier ``mu`` (the
    equivalent penalty strength: lam1 = rho mu, lam2 = (1 - rho) mu)."""

    w: np.ndarray
    mu: float
    active: bool  # False when w* lies inside the region (then w = w*)

    @property
    def zeros(self) -> np.ndarray:
        return self.w == 0.0

    @property
    def on_corner(self) -> bool:
        """Some, but not all, coordinates exactly zero (a corner of the diamond)."""
        z = self.zeros
        return bool(z.any() and not z.all())


def _solve_monotone(fn, lo: float, hi: float, target: float, iters: int = 200) -> float:
    """``x`` in [lo, hi] with ``fn(x) = target`` for ``fn`` decreasing: bisection with
    secant (Illinois) steps, to the limit of floating point."""
    f_lo, f_hi = fn(lo) - target, fn(hi) - target
    side = 0
    x = lo
    for _ in range(iters):
        if f_lo == f_hi:
            break
        x = (lo * f_hi - hi * f_lo) / (f_hi - f_lo)
        if not lo < x < hi:
            x = 0.5 * (lo + hi)
        fx = fn(x) - target
        if fx == 0:
            return x
        if fx > 0:  # still too large: move the lower end up
            lo, f_lo = x, fx
            if side == 1:
                f_hi *= 0.5
            side = 1
        else:
            hi, f_hi = x, fx
            if side == -1:
                f_lo *= 0.5
            side = -1
        if hi - lo <= 4 * np.finfo(float).eps * max(abs(hi), 1e-300):
            break
    return x


def constrained_optimum(q: Quadratic, kind: str, t: float, rho: float = 0.5):
    """``argmin f(w)`` subject to ``region_norm(kind, w, rho) <= t``, exactly.

    Returns a :class:`ConstrainedOptimum`.
    """
    r = share(kind, rho)
    if t < 0:
        raise ValueError("the budget t must be >= 0")
    if region_norm(kind, q.w_star, rho) <= t:
        return ConstrainedOptimum(q.w_star.copy(), 0.0, False)
    d = q.dim
    if t == 0:
        return ConstrainedOptimum(np.zeros(d), float("inf"), True)
    b = q.b
    if r == 1:  # L1: follow the homotopy until ||w||_1 = t
        w, mu = _homotopy(q.H, b, 0.0, budget=t)
        return ConstrainedOptimum(w, mu, True)
    if r == 0:  # L2: ||(H + mu I)^-1 b|| = t, a secular equation
        vals, vecs = np.linalg.eigh(q.H)
        beta = vecs.T @ b

        def norm(mu):
            return float(np.linalg.norm(beta / (vals + mu)))

        hi = float(np.linalg.norm(b)) / t
        mu = _solve_monotone(norm, 0.0, hi, t)
        w = vecs @ (beta / (vals + mu))
        return ConstrainedOptimum(w, mu, True)

    def size(mu):
        return region_norm(kind, penalized_optimum(q, r * mu, (1 - r) * mu), rho)

    hi = float(np.abs(b).max()) / r  # every weight is 0 from here on
    mu = _solve_monotone(size, 0.0, hi, t)
    return ConstrainedOptimum(penalized_optimum(q, r * mu, (1 - r) * mu), mu, True)


# -- where the optimum has exact zeros ---------------------------------------------------
def corner_zones(
    q: Quadratic, kind: str, t: float, rho: float = 0.5, reach: float = 1e3
):
    """Regions of ``w*`` (2D) whose constrained optimum lies on a corner.

    At the corner ``c = (a, 0)`` the region's normal cone is spanned by
    ``(rho + (1 - rho) a, +-rho)``; the optimum is ``c`` exactly when
    ``H (w* - c)`` lies in that cone, i.e. ``w*`` lies in the wedge ``c + H^-1 cone``.
    Returns a list of ``(label, polygon)`` with polygons of shape (3, 2), the wedges
    cut at distance ``reach``. L2 has no corners: an empty list.
    """
    r = share(kind, rho)
    if r == 0 or t <= 0:
        return []
    a = region_corner(kind, t, rho)
    Hinv = np.linalg.inv(q.H)
    out = []
    for axis in (0, 1):
        for sgn in (1.0, -1.0):
            c = np.zeros(2)
            c[axis] = sgn * a
            normal = sgn * (r + (1 - r) * a)
            rays = []
            for side in (1.0, -1.0):
                v = np.zeros(2)
                v[axis] = normal
                v[1 - axis] = side * r
                u = Hinv @ v
                rays.append(c + reach * u / np.linalg.norm(u))
            label = "w₂ = 0" if axis == 0 else "w₁ = 0"
            out.append((label, np.vstack([c, rays[0], rays[1]])))
    return out


def penalized_zero_zones(q: Quadratic, lam1: float, lam2: float = 0.0, reach=1e3):
    """Regions of ``w*`` (2D) where the penalized optimum has exact zeros.

    From the optimality condition ``H w* = (H + lam2 I) w + lam1 z``: both weights are
    0 for ``w*`` in the parallelogram ``lam1 H^-1 [-1, 1]^2``; only ``w_k`` is 0 in
    four half-strips leaving its sides. Returns ``(label, polygon)`` pairs.
    """
    if lam1 <= 0:
        return []
    Hinv = np.linalg.inv(q.H)
    Hp = q.H + lam2 * np.eye(2)
    corners = [lam1 * Hinv @ np.array(p) for p in ((1, 1), (1, -1), (-1, -1), (-1, 1))]
    out = [("w₁ = w₂ = 0", np.vstack(corners))]
    for axis in (0, 1):
        e = np.zeros(2)
        e[axis] = 1.0
        direction = Hinv @ Hp @ e
        direction = reach * direction / np.linalg.norm(direction)
        for sgn in (1.0, -1.0):
            z1, z2 = np.zeros(2), np.zeros(2)
            z1[axis], z2[axis] = sgn, sgn
            z1[1 - axis], z2[1 - axis] = 1.0, -1.0
            p1, p2 = lam1 * Hinv @ z1, lam1 * Hinv @ z2
            label = "w₂ = 0" if axis == 0 else "w₁ = 0"
            out.append(
                (label, np.vstack([p1, p2, p2 + sgn * direction, p1 + sgn * direction]))
            )
    return out
