"""The curvature bound behind η = 1/L: never below the largest eigenvalue, at most a
few percent above it, the same on every call (no Qt)."""

import numpy as np
import pytest

from engine import curvature
from engine.curvature import (
    MARGINS,
    augmented_top_eigenvalue,
    certified_top_eigenvalue,
)
from engine.data import prepare
from engine.datasets import dataset_names, load_dataset


def exact_top(M):
    return float(np.linalg.eigvalsh(M)[-1])


def augmented(X):
    n = X.shape[0]
    A = np.hstack([X, np.ones((n, 1))]) / np.sqrt(n)
    return A.T @ A


def gram_with_spectrum(eigs, seed):
    rng = np.random.default_rng(seed)
    Q, _ = np.linalg.qr(rng.standard_normal((len(eigs), len(eigs))))
    return (Q * np.asarray(eigs)) @ Q.T


def random_grams():
    rng = np.random.default_rng(7)
    out = []
    for n, d in ((500, 300), (900, 300), (320, 300), (150, 300)):  # d > n: singular
        X = rng.standard_normal((n, d)) * rng.uniform(0.2, 3.0, d)
        out.append(X.T @ X / n)
    # pure noise: the top of the Marchenko-Pastur bulk, eigenvalues packed together
    X = rng.standard_normal((600, 400))
    out.append(X.T @ X / 600)
    # correlated columns: one large eigenvalue far above the rest
    X = rng.standard_normal((400, 250)) + 2.0 * rng.standard_normal((400, 1))
    out.append(X.T @ X / 400)
    # a tie at the top and a cluster just below it
    out.append(gram_with_spectrum([5.0, 5.0, 4.999, 4.99] + [1.0] * 296, 3))
    return out


@pytest.mark.parametrize("k", range(7))
def test_the_bound_is_at_or_above_the_largest_eigenvalue_and_within_5_percent(k):
    G = random_grams()[k]
    top = exact_top(G)
    bound = certified_top_eigenvalue(G)
    assert top <= bound <= 1.05 * top


@pytest.mark.parametrize("name", dataset_names())
@pytest.mark.parametrize("standardize", [True, False])
def test_the_curvature_of_every_bundled_dataset_bounds_the_exact_one(name, standardize):
    data = prepare(load_dataset(name), standardize=standardize)
    top = exact_top(augmented(data.X))
    assert top * (1 - 1e-12) <= data.curvature <= 1.05 * top


def test_small_problems_keep_the_exact_curvature_that_lessons_quote():
    data = prepare(load_dataset("diabetes"))
    assert data.curvature == pytest.approx(exact_top(augmented(data.X)), rel=1e-12)


@pytest.mark.parametrize("standardize", [True, False])
def test_houses_is_bounded_within_the_smallest_margin(standardize):
    data = prepare(load_dataset("houses"), standardize=standardize)
    top = exact_top(augmented(data.X))
    assert top <= data.curvature <= (1 + MARGINS[0]) * top * (1 + 1e-9)


def test_the_same_data_gives_the_same_bound_bit_for_bit():
    G = random_grams()[0]
    assert certified_top_eigenvalue(G) == certified_top_eigenvalue(G.copy())


def test_a_ritz_value_blind_to_the_top_eigenvalue_is_caught_by_the_certificate(
    monkeypatch,
):
    """Lanczos from a start vector (nearly) orthogonal to the top eigenvector can
    miss it; the Cholesky certificate refuses such a value and the exact one is
    taken."""
    G = gram_with_spectrum([50.0] + [8.0] * 299, 5)
    monkeypatch.setattr(curvature, "lanczos_top", lambda matvec, dim: 8.0)
    assert 50.0 * (1 - 1e-12) <= certified_top_eigenvalue(G) <= 50.0 * 1.05


def test_a_truncated_lanczos_is_still_an_upper_bound(monkeypatch):
    monkeypatch.setattr(curvature, "LANCZOS_STEPS", 2)
    G = random_grams()[4]
    top = exact_top(G)
    assert top <= certified_top_eigenvalue(G) <= 1.05 * top


@pytest.mark.parametrize("shape", [(80, 400), (400, 250)])
def test_the_augmented_matrix_from_either_side_or_the_gram_agrees(shape):
    rng = np.random.default_rng(2)
    X = rng.standard_normal(shape) + rng.uniform(-2, 2, shape[1])
    top = exact_top(augmented(X))
    from_x = augmented_top_eigenvalue(X)
    assert top * (1 - 1e-12) <= from_x <= 1.05 * top
    if shape[0] > shape[1]:
        n = shape[0]
        from_gram = augmented_top_eigenvalue(X, X.T @ X / n, X.mean(axis=0))
        assert top <= from_gram <= 1.05 * top


def test_without_a_certificate_the_lanczos_value_has_its_margin(monkeypatch):
    monkeypatch.setattr(curvature, "CERTIFY_MAX", 100)
    rng = np.random.default_rng(4)
    X = rng.standard_normal((300, 150)) + 1.0
    top = exact_top(augmented(X))
    for bound in (
        augmented_top_eigenvalue(X),
        augmented_top_eigenvalue(X, X.T @ X / 300, X.mean(axis=0)),
    ):
        assert top <= bound <= 1.05 * top
