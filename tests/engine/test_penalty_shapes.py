"""The penalty family in 2D (issue 17): Lq balls, SCAD and MCP, optima by global search.

No Qt here.
"""

import numpy as np
import pytest
from scipy.optimize import minimize

from engine.geometry import Quadratic, constrained_optimum, penalized_optimum
from engine.montecarlo import random_quadratic
from engine.penalty_shapes import (
    FamilyShape,
    family_constrained_optimum,
    family_penalized_optimum,
    l0_penalized_optimum,
)


def losses(n, seed=0):
    rng = np.random.default_rng(seed)
    return [random_quadratic(rng, 2) for _ in range(n)]


# -- the shapes ---------------------------------------------------------------------
@pytest.mark.parametrize("q", [0.5, 1.0, 1.5, 2.0])
def test_the_lq_ball_meets_the_axes_at_t_and_its_boundary_has_norm_t(q):
    shape = FamilyShape("lq", q)
    x, y = shape.boundary(1.3)
    norms = (np.abs(x) ** q + np.abs(y) ** q) ** (1 / q)
    np.testing.assert_allclose(norms, 1.3, rtol=1e-12)
    assert shape.axis_reach(1.3) == 1.3
    assert {(1.3, 0.0), (0.0, 1.3), (-1.3, 0.0), (0.0, -1.3)} <= set(
        zip(x, y, strict=True)
    )


def test_q_below_one_curves_inward_and_q_above_one_outward():
    """At 45°, the diamond's side is at 1/√2 of t; q < 1 inside it, q > 1 outside."""
    th = np.array([np.pi / 4])
    diamond = FamilyShape("lq", 1.0).radius(th, 1.0)[0]
    assert diamond == pytest.approx(1 / np.sqrt(2))
    assert FamilyShape("lq", 0.5).radius(th, 1.0)[0] < diamond
    assert FamilyShape("lq", 1.5).radius(th, 1.0)[0] > diamond
    assert FamilyShape("lq", 2.0).radius(th, 1.0)[0] == pytest.approx(1.0)


@pytest.mark.parametrize("kind", ["scad", "mcp"])
def test_scad_and_mcp_are_the_l1_diamond_when_small_and_open_along_the_axes_when_large(
    kind,
):
    shape = FamilyShape(kind, lam=0.5)
    th = np.linspace(0, 2 * np.pi, 721)
    # small t: every weight below λ-ish, p(a) ≈ λa: nearly the diamond λ‖w‖₁ ≤ t
    r = shape.radius(th, 0.01)
    w = np.column_stack([r * np.cos(th), r * np.sin(th)])
    np.testing.assert_allclose(shape.value(w), 0.01, rtol=1e-9)
    l1 = np.abs(w).sum(axis=1) * 0.5
    assert np.all(l1 <= 0.01 * 1.06)
    if kind == "scad":  # exactly the diamond for t ≤ λ²
        np.testing.assert_allclose(l1, 0.01, rtol=1e-9)
    # beyond p_max the region runs along the axes forever
    assert shape.axis_reach(shape.p_max * 1.01) == np.inf
    assert np.isfinite(shape.axis_reach(shape.p_max * 0.99))


def test_bad_shapes_are_refused_in_one_sentence():
    with pytest.raises(ValueError, match="q must lie"):
        FamilyShape("lq", 0.0)
    with pytest.raises(ValueError, match="SCAD needs γ > 2"):
        FamilyShape("scad", gamma=1.5)


# -- q ≥ 1 agrees with the exact solvers ----------------------------------------------
@pytest.mark.parametrize("f", losses(25, seed=1))
def test_q1_is_the_l1_homotopy_and_q2_is_ridge_and_the_disk(f):
    lam = 0.3
    exact = penalized_optimum(f, lam)
    found = family_penalized_optimum(f, FamilyShape("lq", 1.0, lam)).w
    np.testing.assert_allclose(found, exact, atol=1e-12)
    np.testing.assert_array_equal(found == 0.0, exact == 0.0)  # zeros exactly 0.0
    np.testing.assert_allclose(
        family_penalized_optimum(f, FamilyShape("lq", 2.0, lam)).w,
        penalized_optimum(f, 0.0, lam),
        atol=1e-12,
    )
    t = 0.5 * np.abs(f.w_star).sum()
    exact = constrained_optimum(f, "l1", t).w
    found = family_constrained_optimum(f, FamilyShape("lq", 1.0), t).w
    np.testing.assert_allclose(found, exact, atol=1e-12)
    np.testing.assert_array_equal(found == 0.0, exact == 0.0)
    t = 0.5 * np.linalg.norm(f.w_star)
    np.testing.assert_allclose(
        family_constrained_optimum(f, FamilyShape("lq", 2.0), t).w,
        constrained_optimum(f, "l2", t).w,
        atol=1e-12,
    )


def test_w_star_inside_the_region_is_its_own_optimum():
    f = Quadratic.from_shape([0.2, 0.1])
    res = family_constrained_optimum(f, FamilyShape("lq", 0.5), 1.0)
    assert res.inside and np.array_equal(res.w, f.w_star)


# -- q < 1, SCAD, MCP: the global search beats random points and local descents ------
SHAPES = [
    FamilyShape("lq", 0.5, 0.4),
    FamilyShape("lq", 0.7, 0.4),
    FamilyShape("scad", lam=0.5),
    FamilyShape("mcp", lam=0.5),
]


@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: s.name)
def test_the_penalized_optimum_is_no_worse_than_random_points_or_local_minima(shape):
    rng = np.random.default_rng(7)
    for f in losses(8, seed=2):
        res = family_penalized_optimum(f, shape)

        def F(w, f=f):
            return float(f.value(w) + shape.value(w))

        assert res.value == pytest.approx(F(res.w), abs=1e-14)
        pts = rng.normal(scale=2.0, size=(20000, 2))
        assert res.value <= (f.value(pts) + shape.value(pts)).min() + 1e-14
        for _ in range(6):  # local minima from several starts
            local = minimize(
                F,
                rng.normal(scale=2.0, size=2),
                method="Nelder-Mead",
                options={"xatol": 1e-10, "fatol": 1e-14},
            )
            assert res.value <= local.fun + 1e-12


@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: s.name)
def test_the_constrained_optimum_is_no_worse_than_any_feasible_point(shape):
    rng = np.random.default_rng(8)
    for f in losses(8, seed=3):
        t = 0.5 * shape.measure(f.w_star)
        res = family_constrained_optimum(f, shape, t)
        assert shape.measure(res.w) <= t * (1 + 1e-12)
        pts = rng.normal(scale=2.0, size=(40000, 2))
        if shape.kind == "lq":
            size = (np.abs(pts) ** shape.q).sum(axis=1) ** (1 / shape.q)
        else:
            size = shape.value(pts)
        feasible = pts[size <= t]
        assert res.value <= f.value(feasible).min() + 1e-14
        # and no point on the fine boundary is lower
        x, y = shape.boundary(t, reach=50.0, n=20001)
        assert res.value <= f.value(np.column_stack([x, y])).min() + 1e-14


def test_q_half_puts_the_optimum_on_the_spike_where_l1_does_not():
    """w* = (2, 1.6), round contours: the L1 optimum is on the diamond's side (no zero); the
    L½ ball's sides bend inward so its spike on the w₁ axis wins: w₂ = 0.0."""
    f = Quadratic.from_shape([2.0, 1.6], (1.0, 1.0))
    l1 = family_constrained_optimum(f, FamilyShape("lq", 1.0), 1.0)
    half = family_constrained_optimum(f, FamilyShape("lq", 0.5), 1.0)
    assert np.all(l1.w != 0)
    assert half.w[1] == 0.0 and half.w[0] == 1.0


def test_l0_takes_the_best_support_exactly():
    f = Quadratic.from_shape([2.0, 0.3], (1.0, 1.0))
    # a tiny λ keeps both, a medium one drops the small weight, a large one both
    np.testing.assert_array_equal(l0_penalized_optimum(f, 0.1).w, [2.0, 0.3])
    np.testing.assert_array_equal(l0_penalized_optimum(f, 1.0).w, [2.0, 0.0])
    np.testing.assert_array_equal(l0_penalized_optimum(f, 3.0).w, [0.0, 0.0])
    rng = np.random.default_rng(9)
    for f in losses(20, seed=4):
        res = l0_penalized_optimum(f, 0.8)
        pts = rng.normal(scale=2.0, size=(5000, 2))
        nnz = (pts != 0).sum(axis=1)
        assert res.value <= (f.value(pts) + 0.32 * nnz).min()
