"""The constraint geometry: computed optima against brute force and the engine."""

import numpy as np
import pytest

from engine import Dataset, Penalty, prepare, solve
from engine.geometry import (
    Quadratic,
    constrained_optimum,
    corner_zones,
    penalized_optimum,
    penalized_zero_zones,
    region_boundary,
    region_corner,
    region_norm,
    share,
)
from engine.montecarlo import random_quadratic, run_monte_carlo


def random_losses(n, seed=0):
    rng = np.random.default_rng(seed)
    for _ in range(n):
        yield Quadratic.from_shape(
            rng.normal(0, 2, 2), np.exp(rng.uniform(-2, 2, 2)), rng.uniform(0, np.pi)
        )


def boundary_minimum(q, kind, t, rho=0.5):
    """Brute force: f on a fine parametrization of the boundary, refined locally."""
    th = np.linspace(0, 2 * np.pi, 200_001)

    def point(theta):
        u = np.vstack([np.cos(theta), np.sin(theta)])
        l1 = np.abs(u).sum(axis=0)
        r = share(kind, rho)
        if kind == "l2":
            s = np.full_like(theta, t)
        elif r == 1:
            s = t / l1
        else:
            s = (-r * l1 + np.sqrt((r * l1) ** 2 + 2 * (1 - r) * t)) / (1 - r)
        return (s * u).T

    f = q.value(point(th))
    k = int(np.argmin(f))
    lo, hi = th[max(k - 1, 0)], th[min(k + 1, th.size - 1)]
    for _ in range(200):  # golden-section search between the neighbours
        a = lo + 0.382 * (hi - lo)
        b = lo + 0.618 * (hi - lo)
        if q.value(point(np.array([a])))[0] < q.value(point(np.array([b])))[0]:
            hi = b
        else:
            lo = a
    return point(np.array([0.5 * (lo + hi)]))[0]


@pytest.mark.parametrize("kind", ["l1", "l2", "elasticnet"])
def test_constrained_optimum_matches_brute_force(kind):
    for q in random_losses(40, seed={"l1": 1, "l2": 2, "elasticnet": 3}[kind]):
        t = 0.4 * region_norm(kind, q.w_star)
        res = constrained_optimum(q, kind, t)
        ref = boundary_minimum(q, kind, t)
        np.testing.assert_allclose(res.w, ref, atol=1e-6)
        assert region_norm(kind, res.w) == pytest.approx(t, rel=1e-12)
        assert res.active


def test_inside_the_region_the_optimum_is_w_star():
    q = Quadratic.from_shape([0.2, -0.1])
    for kind in ("l1", "l2", "elasticnet"):
        res = constrained_optimum(q, kind, 1.0)
        assert not res.active and np.array_equal(res.w, q.w_star)


def test_narrow_budget_puts_l1_exactly_on_the_axis_and_l2_off_it():
    q = Quadratic.from_shape([3.0, 0.8], (1.0, 1.0))  # |w*_1| large, round contours
    l1 = constrained_optimum(q, "l1", 0.5)
    l2 = constrained_optimum(q, "l2", 0.5)
    assert l1.w[1] == 0.0 and l1.w[0] == pytest.approx(0.5) and l1.on_corner
    assert l2.w[1] != 0.0 and not l2.on_corner
    assert l2.w[1] == pytest.approx(0.5 * 0.8 / np.hypot(3, 0.8))


@pytest.mark.parametrize("lam1, lam2", [(0.3, 0.0), (1.0, 0.0), (0.4, 0.5)])
def test_penalized_optimum_equals_the_engine_solver(lam1, lam2):
    # four rows whose Gram matrix is H and whose X^T y / n is H w*: the engine's squared
    # loss is then f(w) plus a constant, and its solver is an independent reference
    for q in random_losses(15, seed=4):
        L = np.linalg.cholesky(q.H)
        A = np.sqrt(2) * L.T
        c = 2 * np.linalg.solve(A.T, q.b)
        X, y = np.vstack([A, -A]), np.concatenate([c, -c])
        data = prepare(Dataset(X, y, ("w1", "w2")), standardize=False)
        ref = solve(
            data,
            "squared",
            Penalty.make("elasticnet" if lam2 else "l1", lam1=lam1, lam2=lam2),
            tol=1e-14,
        )
        w = penalized_optimum(q, lam1, lam2)
        np.testing.assert_allclose(w, ref.w, atol=1e-9)
        np.testing.assert_array_equal(w == 0, ref.w == 0)


def test_budget_and_strength_are_two_views_of_one_optimum():
    for q in random_losses(20, seed=5):
        for kind in ("l1", "l2", "elasticnet"):
            res = constrained_optimum(q, kind, 0.3 * region_norm(kind, q.w_star))
            r = share(kind)
            w = penalized_optimum(q, r * res.mu, (1 - r) * res.mu)
            np.testing.assert_allclose(w, res.w, atol=1e-10)


def test_corner_zones_are_where_the_optimum_sits_on_a_corner():
    rng = np.random.default_rng(6)
    for q in random_losses(10, seed=7):
        for kind in ("l1", "elasticnet"):
            t = 1.0
            zones = corner_zones(q, kind, t)
            assert len(zones) == 4
            for _ in range(30):
                w_star = rng.uniform(-6, 6, 2)
                qq = Quadratic(q.H, w_star)
                res = constrained_optimum(qq, kind, t)
                inside = any(_in_triangle(w_star, poly) for _, poly in zones)
                assert inside == (res.active and res.on_corner), (w_star, res.w)
    assert corner_zones(q, "l2", 1.0) == []


def test_penalized_zero_zones_match_the_exact_zeros():
    rng = np.random.default_rng(8)
    for q in random_losses(10, seed=9):
        zones = penalized_zero_zones(q, 0.7, 0.2)
        for _ in range(40):
            w_star = rng.uniform(-4, 4, 2)
            w = penalized_optimum(Quadratic(q.H, w_star), 0.7, 0.2)
            labels = {lab for lab, poly in zones if _in_convex(w_star, poly)}
            if (w == 0).all():
                assert labels == {"w₁ = w₂ = 0"}
            elif w[1] == 0:
                assert labels == {"w₂ = 0"}
            elif w[0] == 0:
                assert labels == {"w₁ = 0"}
            else:
                assert labels == set()


def _in_triangle(p, tri):
    return _in_convex(p, tri)


def _in_convex(p, poly):
    signs = []
    for a, b in zip(poly, np.roll(poly, -1, axis=0), strict=True):
        signs.append(
            np.sign((b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]))
        )
    signs = [s for s in signs if s != 0]
    return all(s == signs[0] for s in signs)


def test_region_boundaries_have_the_right_size():
    for kind in ("l1", "l2", "elasticnet"):
        x, y = region_boundary(kind, 1.5)
        norms = [region_norm(kind, (a, b)) for a, b in zip(x, y, strict=True)]
        np.testing.assert_allclose(norms, 1.5, rtol=1e-12)
        a = region_corner(kind, 1.5)
        assert region_norm(kind, (a, 0.0)) == pytest.approx(1.5)


def test_quadratic_from_data_is_the_loss_in_two_weights():
    rng = np.random.default_rng(10)
    X = rng.standard_normal((80, 4))
    y = X @ [1.0, -2.0, 0.5, 0.0] + rng.standard_normal(80) + 3
    w = np.array([0.3, 0.0, 0.4, -0.2])
    q = Quadratic.from_data(X, y, w, 0.0, 0, 1)
    # its minimum is least squares in (w0, w1, intercept) with w2, w3 fixed
    r = y - X[:, 2:] @ w[2:]
    A = np.column_stack([X[:, :2], np.ones(80)])
    sol = np.linalg.lstsq(A, r, rcond=None)[0]
    np.testing.assert_allclose(q.w_star, sol[:2], rtol=1e-10)
    Ac = A[:, :2] - A[:, :2].mean(axis=0)
    np.testing.assert_allclose(q.H, Ac.T @ Ac / 80, rtol=1e-10)


def test_grid_and_ellipse_agree_with_the_value():
    q = Quadratic.from_shape([1.0, -0.5], (2.0, 0.5), 0.3)
    xs, ys = np.linspace(-2, 3, 7), np.linspace(-3, 2, 5)
    G = q.grid(xs, ys)
    np.testing.assert_allclose(G, q.value(np.stack(np.meshgrid(xs, ys), axis=-1)))
    ex, ey = q.ellipse(0.8)
    np.testing.assert_allclose(q.value(np.column_stack([ex, ey])), 0.8)


def test_monte_carlo_is_reproducible_and_l1_zeros_far_exceed_l2():
    a = run_monte_carlo(dims=(2, 5), n_samples=150, seed=3)
    b = run_monte_carlo(dims=(2, 5), n_samples=150, seed=3)
    assert a.exact == b.exact and a.near == b.near
    for d in (2, 5):
        assert a.exact["l1"][d] > 0.3
        assert a.exact["l2"][d] == 0.0  # exact zeros have probability 0 for L2
        assert a.exact["l1"][d] > a.exact["elasticnet"][d] > 0
    assert a.exact["l1"][5] > a.exact["l1"][2]  # more corners in more dimensions
    c = run_monte_carlo(dims=(2,), n_samples=150, seed=4)
    assert c.exact != {k: {2: v[2]} for k, v in a.exact.items()}


def test_random_quadratic_protocol():
    rng = np.random.default_rng(0)
    for d in (2, 10):
        q = random_quadratic(rng, d)
        ev = np.linalg.eigvalsh(q.H)
        assert ev.min() >= 0.1 - 1e-9 and ev.max() <= 10 + 1e-9


def test_the_data_loss_of_collinear_features_is_refused_with_a_reason():
    from engine.geometry import Quadratic

    X = np.array([[1.0, 2.0], [2.0, 4.0], [3.0, 6.0]])  # b = 2a
    y = np.array([1.0, 2.0, 2.5])
    with pytest.raises(ValueError, match="no single minimum"):
        Quadratic.from_data(X, y, np.zeros(2), 0.0, 0, 1)


@pytest.mark.parametrize("i, j", [(0, 1), (2, 0), (1, 3)])
def test_the_quadratic_from_the_gram_matrix_is_the_one_from_the_rows(i, j):
    rng = np.random.default_rng(11)
    X = rng.standard_normal((120, 4)) + [0.5, -1.0, 2.0, 0.0]
    y = X @ [1.0, -2.0, 0.5, 0.0] + rng.standard_normal(120) + 3
    w, b = np.array([0.3, -0.1, 0.4, -0.2]), 0.7
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    q = Quadratic.from_moments(Xc.T @ Xc / 120, Xc.T @ yc / 120, w, i, j)
    ref = Quadratic.from_data(X, y, w, b, i, j)
    np.testing.assert_allclose(q.H, ref.H, rtol=1e-12)
    np.testing.assert_allclose(q.w_star, ref.w_star, rtol=1e-10)


def test_the_training_loss_comes_from_the_gram_matrix_once_it_is_formed():
    from engine.datasets import load_dataset
    from engine.gram import moments_formed

    data = prepare(load_dataset("diabetes"))
    w, b = np.linspace(-0.5, 0.5, data.n_features), 0.1
    rows = Quadratic.from_data(data.X, data.y, w, b, 2, 5)
    assert not moments_formed(data)
    first = Quadratic.of_training(data, w, b, 2, 5)  # from the rows
    np.testing.assert_array_equal(first.H, rows.H)
    assert data.moments.gram_c is not None  # formed now: no pass over the rows
    assert moments_formed(data)
    q = Quadratic.of_training(data, w, b, 2, 5)
    np.testing.assert_allclose(q.H, rows.H, rtol=1e-10)
    np.testing.assert_allclose(q.w_star, rows.w_star, rtol=1e-8)
