import numpy as np
import pytest

from engine import Penalty, soft_threshold


def test_soft_threshold_clamps_to_exact_positive_zero():
    z = np.array([-3.0, -0.5, -0.0, 0.2, 0.5, 2.0])
    out = soft_threshold(z, 0.5)
    np.testing.assert_array_equal(out, [-2.5, 0.0, 0.0, 0.0, 0.0, 1.5])
    assert not np.signbit(out[1:5]).any()  # no -0.0


def test_prox_is_decrement_then_clamp_then_shrink():
    p = Penalty.elastic_net(lam1=1.0, lam2=2.0)
    eta = 0.1
    z = np.array([1.0, 0.05, -0.05, -1.0])
    # decrement by eta*lam1 = 0.1 toward zero, clamp, then divide by 1 + eta*lam2 = 1.2
    np.testing.assert_allclose(p.prox(z, eta), [0.9 / 1.2, 0.0, 0.0, -0.9 / 1.2])


def test_prox_is_the_minimizer_of_its_definition():
    rng = np.random.default_rng(0)
    p = Penalty.elastic_net(0.7, 0.3)
    eta = 0.4
    for z in rng.normal(0, 1, 20):
        grid = np.linspace(-3, 3, 600001)
        f = (grid - z) ** 2 / (2 * eta) + p.lam1 * np.abs(grid) + p.lam2 / 2 * grid**2
        assert abs(p.prox(np.array([z]), eta)[0] - grid[np.argmin(f)]) < 2e-5


def test_alpha_rho_round_trip_and_sklearn_names():
    p = Penalty.from_alpha_rho(0.5, 0.3)
    assert p.lam1 == pytest.approx(0.15) and p.lam2 == pytest.approx(0.35)
    assert p.alpha == pytest.approx(0.5) and p.rho == pytest.approx(0.3)
    assert p.sklearn_equivalent(100) == "ElasticNet(alpha=0.5, l1_ratio=0.3)"
    assert Penalty.l2(0.01).sklearn_equivalent(200) == "Ridge(alpha=2)"
    assert (
        Penalty.l1(0.01)
        .sklearn_equivalent(200, "logistic")
        .startswith("LogisticRegression(C=0.5, l1_ratio=1")
    )
    assert p.glmnet_equivalent() == "glmnet(lambda = 0.5, alpha = 0.3)"


@pytest.mark.parametrize(
    "make",
    [
        lambda: Penalty("lasso"),
        lambda: Penalty.l1(-1),
        lambda: Penalty.l1(float("nan")),
        lambda: Penalty("l1", lam1=1, lam2=1),
        lambda: Penalty.from_alpha_rho(1, 1.5),
    ],
)
def test_invalid_penalties_are_refused(make):
    with pytest.raises(ValueError):
        make()


def test_conjugate_is_infinite_outside_the_l1_ball():
    p = Penalty.l1(1.0)
    assert p.conjugate(np.array([0.5, -1.0])) == 0.0
    assert p.conjugate(np.array([1.5])) == np.inf


def test_the_conjugate_of_the_l1_ball_from_the_largest_entry_alone():
    # what the exact path's certificate uses: the same number as from u itself
    rng = np.random.default_rng(0)
    p = Penalty.l1(0.7)
    for scale in (0.5, 0.7, 0.7 * (1 + 1e-13), 0.7 * (1 + 1e-11), 2.0):
        u = rng.uniform(-1, 1, 50)
        u *= scale / np.abs(u).max()
        assert p.conjugate(None, float(np.abs(u).max())) == p.conjugate(u)
