import numpy as np
import pytest

from engine import DataError, Dataset, Penalty, lambda_max, prepare, solve
from engine.datasets import dataset_names, load_dataset

from .problems import regression


def test_standardization_uses_ddof0_on_training_rows_and_remembers_it():
    ds = regression(100, 6, scales=True)
    data = prepare(ds, validation=0.25, seed=3)
    np.testing.assert_allclose(data.X.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(data.X.std(axis=0, ddof=0), 1, rtol=1e-12)
    raw_train = ds.X[data.train_index]
    np.testing.assert_allclose(data.mean, raw_train.mean(axis=0))
    np.testing.assert_allclose(data.scale, raw_train.std(axis=0))
    np.testing.assert_allclose(
        data.X_val, (ds.X[data.val_index] - data.mean) / data.scale
    )
    assert len(data.val_index) == 25 and data.n_samples == 75


def test_raw_coefficients_give_the_same_predictions():
    ds = regression(80, 5, scales=True)
    data = prepare(ds)
    res = solve(data, "squared", Penalty.l1(0.01))
    w_raw, b_raw = data.raw_coef(res.w, res.b)
    np.testing.assert_allclose(ds.X @ w_raw + b_raw, data.X @ res.w + res.b, rtol=1e-9)


def test_split_is_reproducible_for_a_seed():
    ds = regression(50, 3)
    a, b, c = (prepare(ds, validation=0.2, seed=s) for s in (1, 1, 2))
    np.testing.assert_array_equal(a.val_index, b.val_index)
    assert not np.array_equal(a.val_index, c.val_index)


def test_constant_column_is_reported_not_hidden():
    X = np.column_stack([np.arange(10.0), np.ones(10)])
    data = prepare(Dataset(X, np.arange(10.0), ("a", "b")))
    assert any("constant" in note and "b" in note for note in data.notes)
    assert np.isfinite(data.X).all()


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(X=np.ones((1, 2)), y=np.ones(1), feature_names=("a", "b")),
        dict(X=np.ones((3, 2)), y=np.ones(2), feature_names=("a", "b")),
        dict(
            X=np.array([[1.0, np.nan], [2, 3]]), y=np.ones(2), feature_names=("a", "b")
        ),
        dict(
            X=np.ones((3, 2)),
            y=np.array([0.0, 1, 2]),
            feature_names=("a", "b"),
            task="classification",
        ),
    ],
)
def test_bad_datasets_are_refused(kwargs):
    with pytest.raises(DataError):
        Dataset(**kwargs)


def test_every_bundled_dataset_loads_and_is_reproducible():
    assert set(dataset_names()) == {
        "houses",
        "correlated",
        "diabetes",
        "two-features",
        "polynomial",
        "two-classes",
    }
    for name in dataset_names():
        a, b = load_dataset(name, seed=0), load_dataset(name, seed=0)
        np.testing.assert_array_equal(a.X, b.X)
        np.testing.assert_array_equal(a.y, b.y)
        assert a.description
    assert not np.array_equal(load_dataset("houses", 1).X, load_dataset("houses", 0).X)


def test_houses_is_the_seeds_example():
    ds = load_dataset("houses")
    assert ds.X.shape == (2000, 1000)
    for name in (
        "sqft_living",
        "bedrooms",
        "school_distance_km",
        "roof_age_years",
        "fireplace",
        "day_of_year_listed",
    ):
        assert name in ds.feature_names
    truth = ds.true_coef != 0
    assert truth.sum() == 50
    assert ds.true_coef[ds.feature_names.index("day_of_year_listed")] == 0
    assert ds.true_coef[ds.feature_names.index("sqft_living")] > 0
    assert len(set(ds.feature_names)) == 1000


def test_lasso_on_houses_selects_the_true_features():
    data = prepare(load_dataset("houses"))
    res = solve(data, "squared", Penalty.l1(0.05 * lambda_max(data, "squared")))
    sel, truth = res.w != 0, data.true_coef != 0
    precision = (sel & truth).sum() / sel.sum()
    recall = (sel & truth).sum() / truth.sum()
    assert precision > 0.9 and recall > 0.75
    assert (res.w == 0).sum() >= 930


def test_correlated_groups_share_a_coefficient_at_rho_09():
    ds = load_dataset("correlated")
    C = np.corrcoef(ds.X, rowvar=False)
    for g in range(4):
        block = C[3 * g : 3 * g + 3, 3 * g : 3 * g + 3][np.triu_indices(3, 1)]
        assert 0.8 < block.min() and block.max() < 0.97
    assert np.allclose(ds.true_coef[:3], 3.0) and np.allclose(ds.true_coef[3:6], -2.0)


def test_diabetes_is_the_lars_data():
    ds = load_dataset("diabetes")
    assert ds.X.shape == (442, 10)
    assert ds.target_name == "progression"
    assert ds.y.min() == 25 and ds.y.max() == 346


def test_two_features_has_two_features():
    assert load_dataset("two-features").X.shape == (200, 2)


def test_a_split_that_would_leave_no_rows_holds_none_out_and_says_so():
    from engine.data import Dataset

    ds = Dataset(np.array([[1.0], [2.0]]), np.array([2.0, 3.5]), ("a",))
    data = prepare(ds, validation=0.2)
    assert data.X_val is None and data.n_samples == 2
    assert any("none held out for validation" in n for n in data.notes)
    three = Dataset(np.array([[1.0], [2.0], [4.0]]), np.array([2.0, 3.5, 1.0]), ("a",))
    data = prepare(three, validation=0.2)
    assert data.X_val.shape == (1, 1) and data.n_samples == 2 and not data.notes
