"""Facts about real data: validation R² and accuracy (against scikit-learn), weights
in the raw features' units, and the pair of features the geometry opens on."""

import numpy as np
import pytest
from sklearn.metrics import accuracy_score, r2_score

from engine import Penalty, Trainer, lambda_max, prepare, solve
from engine.datasets import load_dataset
from engine.feature_pair import largest_pair, solution_pair
from engine.losses import accuracy, r_squared
from engine.run import describe, validation_score

from .problems import classification, regression


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_r_squared_is_scikit_learns(seed):
    rng = np.random.default_rng(seed)
    y = rng.standard_normal(40) * 3 + 7
    z = y + rng.standard_normal(40) * (seed + 0.5)  # from a good fit to a bad one
    assert r_squared(z, y) == pytest.approx(r2_score(y, z), rel=1e-12)


def test_r_squared_of_a_constant_target_follows_scikit_learn():
    y = np.full(5, 2.0)
    assert r_squared(y.copy(), y) == r2_score(y, y.copy()) == 1.0
    assert r_squared(y + 1, y) == r2_score(y, y + 1) == 0.0
    assert np.isnan(r_squared(np.ones(1), np.ones(1)))


def test_accuracy_is_scikit_learns_with_predictions_where_z_is_positive():
    rng = np.random.default_rng(4)
    y = np.where(rng.random(60) < 0.4, 1.0, -1.0)
    z = rng.standard_normal(60) + 0.8 * y
    z[:3] = 0.0  # z = 0 predicts the negative class, as LogisticRegression does
    ours = accuracy(z, y)
    assert ours == pytest.approx(accuracy_score(y, np.where(z > 0, 1.0, -1.0)))
    assert 0.5 < ours < 1.0


def test_the_runs_validation_r_squared_is_that_of_its_validation_rows():
    ds = regression(150, 8)
    data = prepare(ds, validation=0.3, seed=1)
    tr = Trainer(data, penalty=Penalty.l1(0.05))
    tr.step(300)
    facts = describe(ds, data, tr)
    z = data.X_val @ tr.w + tr.b
    assert facts.val_score_name == "R²"
    assert facts.val_score == pytest.approx(r2_score(data.y_val, z), rel=1e-12)
    assert facts.val_loss == pytest.approx(tr.validation_loss())
    assert facts.validation_text == (
        f"validation: D = {tr.validation_loss():.4g}, "
        f"R² = {r2_score(data.y_val, z):.3f}"
    )
    assert 0.5 < facts.val_score < 1


def test_the_runs_validation_accuracy_for_logistic_loss():
    ds = classification(200, 6)
    data = prepare(ds, validation=0.25, seed=2)
    res = solve(data, "logistic", Penalty.l2(0.01))
    name, value = validation_score(data, "logistic", res.w, res.b)
    pred = np.where(data.X_val @ res.w + res.b > 0, 1.0, -1.0)
    assert name == "accuracy"
    assert value == pytest.approx(accuracy_score(data.y_val, pred))
    assert value > 0.6


def test_no_validation_rows_no_validation_text():
    ds = regression(50, 3)
    data = prepare(ds)
    facts = describe(ds, data, Trainer(data))
    assert facts.validation_text == "" and facts.val_score_name == ""


@pytest.mark.parametrize("name", ["diabetes", "houses"])
def test_raw_unit_weights_predict_exactly_what_the_standardized_model_does(name):
    ds = load_dataset(name)
    data = prepare(ds, validation=0.2, seed=0)
    res = solve(data, "squared", Penalty.l1(0.02 * lambda_max(data, "squared")))
    w_raw, b_raw = data.raw_coef(res.w, res.b)
    np.testing.assert_array_equal(w_raw, res.w / data.scale)
    for X_raw, X_std in (
        (ds.X[data.train_index], data.X),
        (ds.X[data.val_index], data.X_val),
    ):
        raw = X_raw @ w_raw + b_raw
        std = X_std @ res.w + res.b
        scale = max(1.0, float(np.abs(std).max()))
        np.testing.assert_allclose(raw, std, rtol=0, atol=1e-12 * scale)


def test_largest_pair_orders_by_size_then_by_the_tie_break():
    assert largest_pair(np.array([0.1, -3.0, 0.0, 2.0])) == (1, 3)
    w = np.array([0.0, 0.0, 0.5, 0.0])  # one nonzero: the tie-break picks the second
    assert largest_pair(w, np.array([1.0, 4.0, 0.0, 2.0])) == (2, 1)
    assert largest_pair(np.zeros(3)) == (0, 1)
    with pytest.raises(ValueError):
        largest_pair(np.ones(1))


def test_solution_pair_is_the_two_largest_weights_of_the_solution():
    ds = load_dataset("diabetes")
    data = prepare(ds, validation=0.2, seed=0)
    pen = Penalty.l1(0.05 * lambda_max(data, "squared"))
    w = solve(data, "squared", pen, tol=1e-10).w
    top = tuple(int(j) for j in np.argsort(-np.abs(w))[:2])
    assert solution_pair(data, "squared", pen) == top
    # a strength that keeps one weight: the other is the next to enter the path
    pen1 = Penalty.l1(0.98 * lambda_max(data, "squared"))
    w1 = solve(data, "squared", pen1, tol=1e-10).w
    assert np.count_nonzero(w1) == 1
    i, j = solution_pair(data, "squared", pen1)
    assert w1[i] != 0 and w1[j] == 0
    grad = np.abs(data.X.T @ (data.y - data.y.mean()))
    grad[i] = -1
    assert j == int(np.argmax(grad))


def test_data_too_large_to_solve_on_opening_takes_the_features_entering_first():
    ds = load_dataset("diabetes")
    data = prepare(ds, validation=0.2, seed=0)
    # a weak penalty: the solution leans on tc (4) and ltg (8), while bmi (2) and
    # ltg enter the path first
    pen = Penalty.l1(0.001 * lambda_max(data, "squared"))
    pull = np.abs(data.X.T @ (data.y - data.y.mean()))
    first_two = tuple(int(j) for j in np.argsort(-pull)[:2])
    solved = solution_pair(data, "squared", pen)
    assert solved != first_two
    assert solution_pair(data, "squared", pen, max_work=0) == first_two
