"""The Monte Carlo counts corners of the Lq balls too (issue 17). No Qt here."""

import numpy as np
import pytest

from engine.montecarlo import lq_exponent, random_quadratic, run_monte_carlo
from engine.penalty_shapes import FamilyShape, family_constrained_optimum


def test_q_half_lands_on_an_axis_at_least_as_often_as_l1_and_q_above_one_never():
    res = run_monte_carlo(
        dims=(2,), kinds=("l1", "l2", "lq0.5", "lq1.5", "lq2"), n_samples=300, seed=4
    )
    assert res.exact["lq0.5"][2] >= res.exact["l1"][2] > 0.3
    # the README's figures (300 random losses, seed 4)
    assert (round(100 * res.exact["lq0.5"][2]), round(100 * res.exact["l1"][2])) == (
        78,
        42,
    )
    assert res.exact["lq1.5"][2] == 0.0
    assert res.exact["lq2"][2] == 0.0
    assert res.exact["l2"][2] == 0.0


def test_on_the_same_losses_every_l1_corner_is_a_corner_of_the_half_ball_too():
    """With the same budget t, the L½ ball lies inside the diamond and shares its
    corners: where the diamond's optimum is a corner, so is the ball's (a minimum
    over the larger set that lies in the smaller one), and sometimes more."""
    rng = np.random.default_rng([5, 2])
    l1, half = FamilyShape("lq", 1.0), FamilyShape("lq", 0.5)
    both = only_l1 = only_half = 0
    for _ in range(150):
        f = random_quadratic(rng, 2)
        t = 0.5 * l1.measure(f.w_star)
        a = family_constrained_optimum(f, l1, t).on_corner
        b = family_constrained_optimum(f, half, t).on_corner
        both += a and b
        only_l1 += a and not b
        only_half += b and not a
    assert both > 30 and only_l1 == 0 and only_half > 0


def test_lq_kinds_are_counted_in_2d_only_and_a_bad_q_is_refused():
    res = run_monte_carlo(dims=(2, 3), kinds=("l1", "lq0.5"), n_samples=20, seed=1)
    assert set(res.exact["lq0.5"]) == {2}
    assert set(res.exact["l1"]) == {2, 3}
    assert lq_exponent("l1") is None and lq_exponent("lq1.5") == 1.5
    with pytest.raises(ValueError, match="q must lie"):
        run_monte_carlo(dims=(2,), kinds=("lq3",), n_samples=5)


def test_the_default_kinds_are_unchanged():
    res = run_monte_carlo(dims=(2,), n_samples=10, seed=0)
    assert res.kinds == ("l1", "l2", "elasticnet")
