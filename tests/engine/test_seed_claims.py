"""The seed's claims about L1 and L2, each checked on the houses data it describes."""

import numpy as np
import pytest

from engine import Penalty, Trainer, lambda_max, prepare
from engine.datasets import load_dataset


@pytest.fixture(scope="module")
def houses():
    return prepare(load_dataset("houses"))


@pytest.fixture(scope="module")
def lam(houses):
    return 0.05 * lambda_max(houses, "squared")


def feature(data, name):
    return data.feature_names.index(name)


def test_l1_decrements_every_weight_by_the_same_fixed_amount(houses, lam):
    tr = Trainer(houses, penalty=Penalty.l1(lam))
    w0 = tr.w.copy()
    g, _ = tr.data_gradient()
    tr.step()
    z = w0 - tr.lr * g  # the data-gradient step alone
    moved = np.abs(z) > tr.lr * lam
    # every weight that does not reach zero moves exactly eta*lam toward zero ...
    np.testing.assert_allclose(
        np.abs(z[moved]) - np.abs(tr.w[moved]), tr.lr * lam, rtol=1e-9
    )
    # ... and every one that would cross zero is clamped at exactly 0.0
    assert (tr.w[~moved] == 0.0).all() and (~moved).sum() > 0


def test_proximal_rule_drives_an_irrelevant_weight_to_exactly_zero_and_keeps_it(
    houses, lam
):
    j = feature(houses, "day_of_year_listed")
    tr = Trainer(houses, penalty=Penalty.l1(lam), seed=3)
    assert tr.w[j] != 0.0
    tr.step(300)
    when = tr.zero_events.first_zeroed[j]
    assert 0 < when <= 300  # a finite number of steps
    assert tr.w[j] == 0.0
    tr.step(700)
    assert tr.w[j] == 0.0
    assert tr.zero_events.times_revived[j] == 0  # it stayed there
    steps = tr.history.steps
    assert (tr.history.weights()[steps >= when, j] == 0.0).all()


def test_a_weight_with_a_strong_data_gradient_stays_nonzero(houses, lam):
    j = feature(houses, "sqft_living")
    tr = Trainer(houses, penalty=Penalty.l1(lam))
    tr.step(1000)
    assert tr.w[j] > 0.1 * np.std(houses.y)
    assert tr.zero_events.times_zeroed[j] == 0


def test_about_50_of_1000_weights_remain_nonzero(houses, lam):
    tr = Trainer(houses, penalty=Penalty.l1(lam))
    tr.step(1500)
    assert 35 <= houses.n_features - tr.n_zero <= 65
    assert tr.n_zero > 900


@pytest.mark.parametrize("scale", [1.0, 20.0])
def test_l2_never_produces_an_exact_zero_on_the_same_problem(houses, lam, scale):
    tr = Trainer(houses, penalty=Penalty.l2(scale * lam / np.std(houses.y)))
    tr.step(1000)
    assert (tr.history.scalar("n_zero") == 0).all()
    assert tr.n_zero == 0
    # it shrinks: the irrelevant weights become small, but not zero
    j = feature(houses, "day_of_year_listed")
    assert 0 < abs(tr.w[j]) < 0.01 * np.std(houses.y)


def test_naive_subgradient_chatters_around_zero_without_exact_zeros(houses, lam):
    tr = Trainer(houses, penalty=Penalty.l1(lam), rule="subgradient")
    tr.step(1000)
    assert tr.n_zero == 0
    assert (tr.history.scalar("n_zero") == 0).all()
    W = tr.history.weights()[-200:]  # the last 200 steps, all recorded
    irrelevant = houses.true_coef == 0
    flips = (np.diff(np.sign(W[:, irrelevant]), axis=0) != 0).sum(axis=0)
    assert np.median(flips) > 50  # crosses zero back and forth
    # ... within about one step's L1 decrement of zero
    assert np.median(np.abs(W[-1, irrelevant])) < 2 * tr.lr * lam
