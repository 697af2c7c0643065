"""Penalties on the weights (never on the intercept).

One convention everywhere::

    P(w) = lam1 * ||w||_1 + (lam2 / 2) * ||w||_2**2

* ``none``: lam1 = lam2 = 0
* ``l1`` (Lasso): lam1 = lam, lam2 = 0
* ``l2`` (Ridge): lam1 = 0, lam2 = lam
* ``elasticnet``: both, set directly or through ``alpha = lam1 + lam2`` and
  ``rho = lam1 / alpha`` (scikit-learn's ``alpha`` and ``l1_ratio``, glmnet's
  ``lambda`` and ``alpha``).

The proximal step of ``eta * P`` is the seed's "clamp": decrement every weight by
``eta * lam1`` toward zero, stop at exactly 0 when it would cross, then shrink by
``1 / (1 + eta * lam2)``.

Beyond the convex four, the nonconvex ``scad``, ``mcp`` (with their ``gamma``) and
``l0`` take one strength ``lam1`` = λ (:mod:`engine.thresholds` has their shapes and
thresholding functions). They have no convex conjugate, so no duality gap: they are
solved by coordinate descent (:mod:`engine.nonconvex`), and where a solver starts can
change where it ends.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .thresholds import (
    DEFAULT_GAMMA,
    NONCONVEX_KINDS,
    check_gamma,
    penalty_value,
    threshold,
)

__all__ = [
    "CONVEX_KINDS",
    "NONCONVEX_KINDS",
    "PENALTY_KINDS",
    "Penalty",
    "soft_threshold",
]

CONVEX_KINDS = ("none", "l1", "l2", "elasticnet")
PENALTY_KINDS = (*CONVEX_KINDS, *NONCONVEX_KINDS)
#: The names of the kinds in the window and in summaries.
KIND_NAMES = {
    "none": "no penalty",
    "l1": "L1",
    "l2": "L2",
    "elasticnet": "Elastic Net",
    "scad": "SCAD",
    "mcp": "MCP",
    "l0": "L0",
}


def soft_threshold(z: np.ndarray, t: float) -> np.ndarray:
    """``sign(z) * max(|z| - t, 0)``, with exact (positive) zeros where ``|z| <= t``."""
    out = np.abs(z) - t
    np.maximum(out, 0.0, out=out)
    out *= np.sign(z)
    out += 0.0  # turn -0.0 into 0.0 so zeros print and compare plainly
    return out


@dataclass(frozen=True)
class Penalty:
    """Penalty type and strengths ``lam1`` (L1) and ``lam2`` (L2), both >= 0.

    The strengths are keyword-only (``Penalty("l2", lam2=0.1)``) and each kind takes
    only its own: an L2 strength can never arrive through an L1 argument. The named
    constructors say the same more briefly: ``Penalty.l1(0.1)``, ``Penalty.l2(0.1)``,
    ``Penalty.elastic_net(0.1, 0.05)``, ``Penalty.make(kind, lam1=..., lam2=...)``.
    """

    kind: str = "none"
    lam1: float = field(default=0.0, kw_only=True)
    lam2: float = field(default=0.0, kw_only=True)
    #: SCAD's and MCP's γ (their default when not given); None for the others.
    gamma: float | None = field(default=None, kw_only=True)

    def __post_init__(self):
        if self.kind not in PENALTY_KINDS:
            raise ValueError(
                f"unknown penalty {self.kind!r}; choose one of {', '.join(PENALTY_KINDS)}"
            )
        for name in ("lam1", "lam2"):
            value = getattr(self, name)
            if not np.isfinite(value) or value < 0:
                raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
            object.__setattr__(self, name, float(value))
        if self.kind == "none" and (self.lam1 or self.lam2):
            raise ValueError("penalty 'none' takes no strengths")
        if self.kind == "l1" and self.lam2:
            raise ValueError("penalty 'l1' has lam2 = 0; use 'elasticnet' for both")
        if self.kind == "l2" and self.lam1:
            raise ValueError("penalty 'l2' has lam1 = 0; use 'elasticnet' for both")
        if self.kind in NONCONVEX_KINDS and self.lam2:
            raise ValueError(f"penalty {self.kind!r} takes one strength, lam1")
        object.__setattr__(self, "gamma", check_gamma(self.kind, self.gamma))

    # -- constructors -------------------------------------------------------------
    @classmethod
    def none(cls) -> Penalty:
        return cls("none")

    @classmethod
    def l1(cls, lam: float) -> Penalty:
        return cls("l1", lam1=lam)

    @classmethod
    def l2(cls, lam: float) -> Penalty:
        return cls("l2", lam2=lam)

    @classmethod
    def elastic_net(cls, lam1: float, lam2: float) -> Penalty:
        return cls("elasticnet", lam1=lam1, lam2=lam2)

    @classmethod
    def from_alpha_rho(cls, alpha: float, rho: float) -> Penalty:
        """Elastic Net from total strength ``alpha`` and L1 share ``rho`` in [0, 1]."""
        if not 0.0 <= rho <= 1.0:
            raise ValueError(f"rho (the L1 share) must lie in [0, 1], got {rho!r}")
        return cls("elasticnet", lam1=rho * alpha, lam2=(1.0 - rho) * alpha)

    @classmethod
    def make(
        cls, kind: str, *, lam1: float, lam2: float, gamma: float | None = None
    ) -> Penalty:
        """``kind`` with the strengths it uses out of both: L1 takes ``lam1``, L2
        takes ``lam2``, Elastic Net both, none neither; SCAD, MCP and L0 ``lam1``
        (and SCAD and MCP ``gamma``)."""
        if kind in NONCONVEX_KINDS:
            return cls(kind, lam1=lam1, gamma=gamma if kind in DEFAULT_GAMMA else None)
        if kind == "none":
            return cls.none()
        if kind == "l1":
            return cls.l1(lam1)
        if kind == "l2":
            return cls.l2(lam2)
        if kind == "elasticnet":
            return cls.elastic_net(lam1, lam2)
        return cls(kind)  # raises: unknown kind

    # -- derived views ----------------------------------------------------------
    @property
    def alpha(self) -> float:
        """Total strength ``lam1 + lam2`` (scikit-learn's ElasticNet ``alpha``)."""
        return self.lam1 + self.lam2

    @property
    def rho(self) -> float:
        """L1 share ``lam1 / (lam1 + lam2)`` (scikit-learn's ``l1_ratio``); 1 if both 0."""
        return self.lam1 / self.alpha if self.alpha > 0 else 1.0

    @property
    def convex(self) -> bool:
        """Whether the objective is convex (one minimum, a duality gap to certify it)."""
        return self.kind in CONVEX_KINDS

    @property
    def makes_exact_zeros(self) -> bool:
        """Whether the proximal step can set weights to exactly 0 (lam1 > 0)."""
        return self.lam1 > 0

    def label(self) -> str:
        """Short human-readable form, e.g. ``L1, λ = 0.05``."""
        if self.kind == "none":
            return "no penalty"
        if self.kind == "l1":
            return f"L1, λ = {self.lam1:.4g}"
        if self.kind == "l2":
            return f"L2, λ = {self.lam2:.4g}"
        if self.kind in NONCONVEX_KINDS:
            g = f", γ = {self.gamma:g}" if self.gamma is not None else ""
            return f"{KIND_NAMES[self.kind]}, λ = {self.lam1:.4g}{g}"
        return f"Elastic Net, λ₁ = {self.lam1:.4g}, λ₂ = {self.lam2:.4g}"

    def slug(self) -> str:
        """File-name form, e.g. ``l1_lam0.05`` or ``elasticnet_lam1-0.1_lam2-0.01``."""
        if self.kind == "none":
            return "none"
        if self.kind == "l1":
            return f"l1_lam{self.lam1:.4g}"
        if self.kind == "l2":
            return f"l2_lam{self.lam2:.4g}"
        if self.kind in NONCONVEX_KINDS:
            g = f"_gamma{self.gamma:g}" if self.gamma is not None else ""
            return f"{self.kind}_lam{self.lam1:.4g}{g}"
        return f"elasticnet_lam1-{self.lam1:.4g}_lam2-{self.lam2:.4g}"

    # -- the math -----------------------------------------------------------------
    def value(self, w: np.ndarray) -> float:
        """``lam1 * ||w||_1 + lam2/2 * ||w||_2**2`` (SCAD, MCP, L0: their shapes)."""
        if self.kind in NONCONVEX_KINDS:
            return float(penalty_value(self.kind, w, self.lam1, gamma=self.gamma).sum())
        out = 0.0
        if self.lam1:
            out += self.lam1 * float(np.abs(w).sum())
        if self.lam2:
            out += 0.5 * self.lam2 * float(w @ w)
        return out

    def subgradient(self, w: np.ndarray) -> np.ndarray:
        """``lam1 * sign(w) + lam2 * w`` with sign(0) = 0 (the naive rule's choice);
        the convex penalties only."""
        if self.kind in NONCONVEX_KINDS:
            raise ValueError(
                "the naive subgradient rule goes with L1, L2 and Elastic Net"
            )
        return self.lam1 * np.sign(w) + self.lam2 * w

    def prox(self, z: np.ndarray, eta: float) -> np.ndarray:
        """Proximal step ``argmin_w 1/(2 eta) ||w - z||**2 + P(w)``.

        ``sign(z) * max(|z| - eta*lam1, 0) / (1 + eta*lam2)``: the clamp at zero.
        SCAD, MCP and L0: their thresholding functions (ValueError when γ is too
        small for ``eta``: SCAD needs γ > 1 + η, MCP γ > η).
        """
        if self.kind in NONCONVEX_KINDS:
            return threshold(self.kind, z, self.lam1, eta=eta, gamma=self.gamma)
        out = soft_threshold(z, eta * self.lam1) if self.lam1 else z.copy()
        if self.lam2:
            out /= 1.0 + eta * self.lam2
        return out

    def conjugate(self, u: np.ndarray | None, u_max: float | None = None) -> float:
        """Fenchel conjugate ``P*(u)``; ``inf`` when infeasible (||u||_inf > lam1 and
        lam2 = 0). The nonconvex penalties have none (ValueError). ``u_max``:
        ``||u||_inf`` when known, all that lam2 = 0 needs (``u`` may then be None;
        the same number as from ``u``: rounding is monotone)."""
        if self.kind in NONCONVEX_KINDS:
            raise ValueError(f"{KIND_NAMES[self.kind]} is not convex: no duality gap")
        if self.lam2 > 0:
            excess = np.abs(u) - self.lam1
            np.maximum(excess, 0.0, out=excess)
            return float(excess @ excess) / (2.0 * self.lam2)
        if u_max is None:
            u_max = float(np.abs(u).max(initial=-np.inf))
        return 0.0 if u_max - self.lam1 <= 1e-12 * max(self.lam1, 1.0) else np.inf

    def sklearn_equivalent(self, n_samples: int, loss: str = "squared") -> str:
        """The scikit-learn estimator that minimizes the same objective."""
        n = n_samples
        if self.kind == "l0":
            return "L0Learn in R; not in scikit-learn"
        if self.kind in NONCONVEX_KINDS:
            return (
                f"ncvreg(penalty = '{self.kind.upper()}', lambda = {self.lam1:.6g}, "
                f"gamma = {self.gamma:g}) in R; not in scikit-learn"
            )
        if loss == "logistic":
            if self.alpha == 0:
                # C = 1/(nλ) has no finite value at λ = 0: the unpenalized fit
                what = "no penalty" if self.kind == "none" else "λ = 0"
                return f"LogisticRegression(penalty=None)  ({what}: C = 1/(nλ) is infinite)"
            lam = self.alpha
            return (
                f"LogisticRegression(C={1.0 / (n * lam):.6g}, l1_ratio={self.rho:.4g}, "
                f"solver='saga')"
            )
        if self.kind == "none":
            return "LinearRegression()"
        if self.alpha == 0:
            return "LinearRegression()  (λ = 0: no penalty acts)"
        if self.kind == "l1":
            return f"Lasso(alpha={self.lam1:.6g})"
        if self.kind == "l2":
            return f"Ridge(alpha={n * self.lam2:.6g})"
        return f"ElasticNet(alpha={self.alpha:.6g}, l1_ratio={self.rho:.4g})"

    def glmnet_equivalent(self) -> str:
        """glmnet's ``lambda`` and ``alpha`` (its alpha is the L1 share)."""
        if self.kind == "l0":
            return "none in glmnet (R's L0Learn fits L0)"
        if self.kind in NONCONVEX_KINDS:
            return f"ncvreg(penalty = '{self.kind.upper()}', lambda = {self.lam1:.6g})"
        if self.kind == "none" or self.alpha == 0:
            return "glmnet(lambda = 0)"
        return f"glmnet(lambda = {self.alpha:.6g}, alpha = {self.rho:.4g})"
