"""Cross-validation along the path: scikit-learn's folds, its LassoCV/ElasticNetCV
errors and λ_min, glmnet's λ_1se, folds standardized on their own rows, and the fold
Gram matrices downdated from the full one."""

import threading
import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import (
    ElasticNetCV,
    LassoCV,
    LogisticRegression,
    lasso_path,
)
from sklearn.metrics import log_loss
from sklearn.model_selection import KFold
from sklearn.preprocessing import StandardScaler

from engine import Dataset, prepare
from engine.data import Moments
from engine.datasets import load_dataset
from engine.path import (
    cross_validate,
    cv_for,
    fold_data,
    kfold_indices,
    regularization_path,
    same_cv,
)
from engine.path.cv import best_indices, held_out_error
from engine.settings import DataSource, RunSettings, resolve

from .problems import classification, regression

TOL = 1e-13


def quiet(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return fn(*args, **kwargs)


# -- the folds -----------------------------------------------------------------------
@pytest.mark.parametrize("n, k", [(10, 2), (11, 3), (442, 5), (150, 7), (5, 5)])
@pytest.mark.parametrize("shuffle, seed", [(False, 0), (True, 0), (True, 12345)])
def test_folds_are_sklearns_kfold(n, k, shuffle, seed):
    ours = kfold_indices(n, k, shuffle, seed)
    sk = KFold(k, shuffle=shuffle, random_state=seed if shuffle else None)
    theirs = list(sk.split(np.zeros(n)))
    assert len(ours) == k
    for (train, held), (sk_train, sk_held) in zip(ours, theirs, strict=True):
        np.testing.assert_array_equal(train, sk_train)
        np.testing.assert_array_equal(held, sk_held)


def test_unshuffled_folds_are_contiguous_blocks_the_first_ones_larger():
    folds = kfold_indices(11, 3)
    assert [held.tolist() for _, held in folds] == [
        [0, 1, 2, 3],
        [4, 5, 6, 7],
        [8, 9, 10],
    ]
    # seeds beyond what scikit-learn accepts still shuffle reproducibly
    a = kfold_indices(20, 4, True, 2**40 + 3)
    b = kfold_indices(20, 4, True, 2**40 + 3)
    for (_, ha), (_, hb) in zip(a, b, strict=True):
        np.testing.assert_array_equal(ha, hb)


def test_bad_fold_counts_are_refused_with_a_sentence():
    data = prepare(regression(12, 3), validation=0)
    for k in (1, 0):
        with pytest.raises(ValueError, match="at least 2 folds"):
            cross_validate(data, "squared", "l1", folds=k)
    with pytest.raises(ValueError, match="13 folds need at least 13 training rows"):
        cross_validate(data, "squared", "l1", folds=13)


def test_a_fold_trained_on_one_class_is_refused():
    rng = np.random.default_rng(0)
    y = np.repeat([-1.0, 1.0], 20)  # sorted by class: contiguous folds split them
    X = rng.standard_normal((40, 3)) + y[:, None]
    data = prepare(Dataset(X, y, ("a", "b", "c"), task="classification"))
    with pytest.raises(ValueError, match="fold 1 of 2 hold only one class"):
        cross_validate(data, "logistic", "l1", folds=2)
    res = cross_validate(
        data,
        "logistic",
        "l1",
        folds=2,
        shuffle=True,
        seed=1,
        alphas=[0.3, 0.2, 0.1],
    )
    assert np.isfinite(res.mean).all()


def test_measures_that_do_not_go_with_the_loss_are_refused():
    data = prepare(regression(30, 3), validation=0)
    with pytest.raises(ValueError, match="'misclassification' does not go with"):
        cross_validate(data, "squared", "l1", metric="misclassification")
    data = prepare(classification(60, 3, k=2), validation=0)
    with pytest.raises(ValueError, match="'mse' does not go with logistic"):
        cross_validate(data, "logistic", "l1", metric="mse")


# -- the errors equal scikit-learn's -------------------------------------------------
@pytest.mark.parametrize("name", ["diabetes", "correlated"])
def test_unstandardized_cv_equals_lasso_cv(name):
    # LassoCV centres each fold but does not scale it
    data = prepare(load_dataset(name), standardize=False, validation=0)
    path = regularization_path(data, "squared", "l1", n_alphas=30, tol=TOL)
    cv = cross_validate(
        data, "squared", "l1", alphas=path.alphas, folds=5, tol=TOL, path=path
    )
    sk = quiet(
        LassoCV(cv=KFold(5), alphas=path.alphas, tol=1e-14, max_iter=10**6).fit,
        data.X,
        data.y,
    )
    np.testing.assert_array_equal(sk.alphas_, path.alphas)
    np.testing.assert_allclose(cv.fold_errors, sk.mse_path_.T, rtol=1e-6)
    np.testing.assert_allclose(cv.mean, sk.mse_path_.mean(axis=1), rtol=1e-6)
    assert cv.alpha_min == sk.alpha_
    assert cv.metric == "mse" and cv.folds == 5 and not cv.cancelled
    np.testing.assert_array_equal(cv.n_nonzero, path.n_nonzero)


@pytest.mark.parametrize("rho", [0.3, 0.8])
def test_unstandardized_cv_equals_elastic_net_cv(rho):
    data = prepare(load_dataset("correlated"), standardize=False, validation=0)
    path = regularization_path(
        data, "squared", "elasticnet", rho=rho, n_alphas=25, tol=TOL
    )
    cv = cross_validate(
        data, "squared", "elasticnet", rho=rho, alphas=path.alphas, tol=TOL
    )
    sk = quiet(
        ElasticNetCV(
            l1_ratio=rho, cv=KFold(5), alphas=path.alphas, tol=1e-14, max_iter=10**6
        ).fit,
        data.X,
        data.y,
    )
    np.testing.assert_allclose(cv.mean, sk.mse_path_.mean(axis=1), rtol=1e-6)
    assert cv.alpha_min == sk.alpha_


def test_shuffled_cv_equals_lasso_cv_on_the_same_shuffled_folds():
    data = prepare(load_dataset("diabetes"), standardize=False, validation=0)
    path = regularization_path(data, "squared", "l1", n_alphas=20, tol=TOL)
    cv = cross_validate(
        data,
        "squared",
        "l1",
        alphas=path.alphas,
        folds=4,
        shuffle=True,
        seed=7,
        tol=TOL,
    )
    folds = KFold(4, shuffle=True, random_state=7)
    sk = quiet(
        LassoCV(cv=folds, alphas=path.alphas, tol=1e-14, max_iter=10**6).fit,
        data.X,
        data.y,
    )
    np.testing.assert_allclose(cv.mean, sk.mse_path_.mean(axis=1), rtol=1e-6)
    assert cv.alpha_min == sk.alpha_ and cv.shuffle and cv.seed == 7


def manual_standardized_cv(data, alphas, k):
    """Per fold: StandardScaler on the fold's raw training rows, then lasso_path."""
    raw_X = data.dataset.X[data.train_index]
    raw_y = data.dataset.y[data.train_index]
    held_mse, train_mse = [], []
    for train, held in KFold(k).split(raw_X):
        scaler = StandardScaler().fit(raw_X[train])
        Xt, Xh = scaler.transform(raw_X[train]), scaler.transform(raw_X[held])
        yt = raw_y[train]
        _, coefs, _ = quiet(
            lasso_path, Xt, yt - yt.mean(), alphas=alphas, tol=1e-13, max_iter=10**6
        )
        b = yt.mean() - Xt.mean(axis=0) @ coefs
        held_mse.append(((raw_y[held][:, None] - Xh @ coefs - b) ** 2).mean(axis=0))
        train_mse.append(((yt[:, None] - Xt @ coefs - b) ** 2).mean(axis=0))
    return np.array(held_mse), np.array(train_mse)


@pytest.mark.parametrize("folds", [5, 2])  # with and without downdating
def test_standardized_cv_scales_each_fold_on_its_own_training_rows(folds):
    data = prepare(load_dataset("correlated"), validation=0.2, seed=3)
    path = regularization_path(data, "squared", "l1", n_alphas=20, tol=TOL)
    cv = cross_validate(data, "squared", "l1", alphas=path.alphas, folds=folds, tol=TOL)
    held, train = manual_standardized_cv(data, path.alphas, folds)
    np.testing.assert_allclose(cv.fold_errors, held, rtol=1e-6)
    np.testing.assert_allclose(cv.mean, held.mean(axis=0), rtol=1e-6)
    np.testing.assert_allclose(cv.train_mean, train.mean(axis=0), rtol=1e-6)
    np.testing.assert_allclose(
        cv.se, held.std(axis=0, ddof=1) / np.sqrt(folds), rtol=1e-5
    )
    # the training error falls as the penalty weakens; held-out error does not keep up
    assert cv.train_mean[-1] < cv.train_mean[0]
    assert cv.train_mean[-1] < cv.mean[-1]


def test_logistic_cv_deviance_and_misclassification_per_fold():
    data = prepare(classification(160, 6, seed=2), validation=0)
    path = regularization_path(
        data, "logistic", "l1", n_alphas=6, alpha_min_ratio=0.05, tol=TOL
    )
    dev = cross_validate(data, "logistic", "l1", alphas=path.alphas, folds=4, tol=TOL)
    mis = cross_validate(
        data,
        "logistic",
        "l1",
        alphas=path.alphas,
        folds=4,
        metric="misclassification",
        tol=TOL,
    )
    assert dev.metric == "deviance" and mis.metric == "misclassification"
    raw_X = data.dataset.X
    for f, (train, held) in enumerate(KFold(4).split(raw_X)):
        scaler = StandardScaler().fit(raw_X[train])
        Xt, Xh = scaler.transform(raw_X[train]), scaler.transform(raw_X[held])
        for k in (2, 5):
            lam = path.alphas[k]
            sk = quiet(
                LogisticRegression(
                    C=1 / (len(train) * lam),
                    l1_ratio=1.0,
                    solver="saga",
                    tol=1e-13,
                    max_iter=10**6,
                ).fit,
                Xt,
                data.y[train],
            )
            p = sk.predict_proba(Xh)[:, 1]
            y01 = data.y[held] > 0
            assert dev.fold_errors[f, k] == pytest.approx(
                2 * log_loss(y01, p, labels=[False, True]), rel=1e-5
            )
            assert mis.fold_errors[f, k] == np.mean(sk.predict(Xh) != data.y[held])


def test_held_out_errors_are_the_textbook_formulas():
    rng = np.random.default_rng(1)
    y = np.where(rng.standard_normal(50) > 0, 1.0, -1.0)
    z = rng.standard_normal((50, 3)) * 3
    np.testing.assert_allclose(
        held_out_error("mse", y, z), ((y[:, None] - z) ** 2).mean(axis=0)
    )
    p = 1 / (1 + np.exp(-z))
    loglik = np.where(y[:, None] > 0, np.log(p), np.log(1 - p))
    np.testing.assert_allclose(
        held_out_error("deviance", y, z), -2 * loglik.mean(axis=0), rtol=1e-12
    )
    np.testing.assert_array_equal(
        held_out_error("misclassification", y, z),
        (np.sign(z) != y[:, None]).mean(axis=0),
    )


# -- λ_min and λ_1se -----------------------------------------------------------------
def test_lambda_1se_is_the_largest_strength_within_one_se_of_the_minimum():
    data = prepare(load_dataset("correlated"), validation=0)
    cv = cross_validate(data, "squared", "l1", tol=1e-10)
    i = cv.index_min
    assert cv.mean[i] == cv.mean.min() and cv.alpha_min == cv.alphas[i]
    within = cv.mean <= cv.mean[i] + cv.se[i]
    assert cv.alpha_1se == cv.alphas[within].max() == cv.alphas[cv.index_1se]
    assert cv.alpha_1se >= cv.alpha_min
    se = cv.fold_errors.std(axis=0, ddof=1) / np.sqrt(5)
    np.testing.assert_allclose(cv.se, se, rtol=1e-12)
    np.testing.assert_allclose(cv.mean, cv.fold_errors.mean(axis=0), rtol=1e-12)


def test_ties_go_to_the_largest_strength():
    alphas = np.array([1.0, 0.5, 0.25, 0.125, 0.0625])
    mean = np.array([3.0, 2.0, 1.0, 1.0, 2.5])
    se = np.array([0.1, 0.1, 0.1, 0.5, 0.1])
    assert best_indices(alphas, mean, se) == (2, 2)
    assert best_indices(alphas[::-1], mean[::-1], se[::-1]) == (2, 2)
    se[2] = 1.5  # now 2.0 is within one standard error
    assert best_indices(alphas, mean, se) == (2, 1)
    assert best_indices(alphas, np.full(5, np.nan), se) == (None, None)


# -- progress and cancel -------------------------------------------------------------
def test_progress_names_the_fold_and_the_strength():
    data = prepare(regression(60, 8), validation=0)
    seen = []
    cross_validate(
        data, "squared", "l1", folds=5, progress=lambda f, m: seen.append((f, m))
    )
    (fraction,) = [f for f, m in seen if m == "fold 2 of 5, 40 of 100 strengths"]
    assert fraction == pytest.approx((1 + 0.4) / 5, rel=1e-15)
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0


def test_cancel_returns_the_complete_folds_marked_cancelled():
    data = prepare(regression(60, 8), validation=0)
    stop = threading.Event()

    def progress(fraction, message):  # stop during the third fold
        if message.startswith("fold 3 of 5, 10 of"):
            stop.set()

    cv = cross_validate(data, "squared", "l1", folds=5, progress=progress, cancel=stop)
    full = cross_validate(data, "squared", "l1", folds=5)
    assert cv.cancelled and cv.folds_done == 2 and not full.cancelled
    np.testing.assert_array_equal(cv.fold_errors[:2], full.fold_errors[:2])
    assert np.isnan(cv.fold_errors[3:]).all()
    assert np.isfinite(cv.fold_errors[2, :10]).all()
    assert np.isnan(cv.fold_errors[2, 10:]).all()
    np.testing.assert_allclose(cv.mean, full.fold_errors[:2].mean(axis=0))
    assert cv.index_min is not None
    stop = threading.Event()
    stop.set()
    cv = cross_validate(data, "squared", "l1", folds=5, cancel=stop)
    assert cv.cancelled and cv.folds_done == 0 and np.isnan(cv.mean).all()
    assert cv.index_min is None and cv.alpha_1se is None
    # a cancelled full path has no count for every strength
    path = regularization_path(data, "squared", "l1", n_alphas=20, cancel=stop)
    cv = cross_validate(data, "squared", "l1", path=path, folds=2)
    assert cv.n_nonzero is None and cv.alphas.size == 20


# -- the fold Gram matrices ----------------------------------------------------------
def with_a_column_constant_in_one_fold(ds: Dataset) -> Dataset:
    X = np.array(ds.X)
    X[:70, 0] = 0.7  # constant on the training rows of the last of 3 folds
    return Dataset(X, ds.y, ds.feature_names)


@pytest.mark.parametrize("standardize", [True, False])
def test_downdated_fold_moments_equal_the_fold_computed_directly(standardize):
    ds = with_a_column_constant_in_one_fold(regression(90, 12, scales=True, seed=4))
    data = prepare(ds, standardize=standardize, validation=0.1)
    for train, held in kfold_indices(data.n_samples, 3):
        fast = fold_data(data, train, held, downdate=True)
        slow = fold_data(data, train, held, downdate=False)
        np.testing.assert_array_equal(fast.X, slow.X)
        np.testing.assert_array_equal(fast.X_val, slow.X_val)
        a, b = fast.moments, Moments.of(slow.X, slow.y)
        assert a is not b and a.X_c is None
        scale = np.abs(b.gram_c).max()
        np.testing.assert_allclose(a.gram_c, b.gram_c, rtol=0, atol=1e-12 * scale)
        np.testing.assert_allclose(a.gram, b.gram, rtol=0, atol=1e-12 * scale)
        np.testing.assert_allclose(a.c, b.c, rtol=1e-12, atol=1e-14)
        assert a.yy == pytest.approx(b.yy, rel=1e-14)
        np.testing.assert_allclose(a.x_mean, b.x_mean, atol=1e-15)
    # the fold standardized with its own training rows only
    train, held = kfold_indices(data.n_samples, 3)[2]
    fold = fold_data(data, train, held, downdate=True)
    raw = ds.X[data.train_index]
    if standardize:
        scaler = StandardScaler().fit(raw[train])
        np.testing.assert_allclose(fold.X, scaler.transform(raw[train]), atol=1e-12)
        np.testing.assert_allclose(fold.X_val, scaler.transform(raw[held]), atol=1e-12)
        assert (fold.X[:, 0] == 0.0).all() and (fold.moments.gram_c[0] == 0.0).all()
        np.testing.assert_allclose(fold.mean, scaler.mean_, rtol=1e-12)
    else:
        np.testing.assert_array_equal(fold.X, raw[train])
    np.testing.assert_array_equal(fold.train_index, data.train_index[train])
    np.testing.assert_array_equal(fold.val_index, data.train_index[held])


def test_downdating_gives_the_same_cv_as_computing_each_fold():
    data = prepare(load_dataset("correlated"), validation=0)
    path = regularization_path(data, "squared", "elasticnet", rho=0.5, n_alphas=20)
    kw = dict(rho=0.5, alphas=path.alphas, tol=TOL)
    three = cross_validate(data, "squared", "elasticnet", folds=3, **kw)  # downdates
    # the same three folds, each computed directly: through the fold data itself
    direct = []
    for train, held in kfold_indices(data.n_samples, 3):
        fold = fold_data(data, train, held, downdate=False)
        p = regularization_path(fold, "squared", "elasticnet", **kw)
        z = fold.X_val @ p.coefs.T + p.intercepts
        direct.append(((fold.y_val[:, None] - z) ** 2).mean(axis=0))
    np.testing.assert_allclose(three.fold_errors, direct, rtol=1e-9)


# -- from the settings ---------------------------------------------------------------
def test_cv_for_uses_the_settings():
    s = RunSettings(source=DataSource.bundled("diabetes"), validation=0.0)
    data = prepare(load_dataset("diabetes"), validation=0.0)
    s = resolve(s, data)
    s = s.replace(
        seed=4,
        tol=1e-10,
        path=s.path.replace(
            n_alphas=12, folds=3, shuffle=True, metric="misclassification"
        ),
    )
    cv = cv_for(s, data)
    ref = cross_validate(
        data,
        "squared",
        "l1",
        alphas=cv.alphas,
        folds=3,
        shuffle=True,
        seed=4,
        tol=1e-10,
    )
    assert cv.alphas.size == 12 and cv.metric == "mse"  # the loss's own measure
    np.testing.assert_array_equal(cv.fold_errors, ref.fold_errors)
    assert same_cv(s, s.replace(lam1=0.5))
    assert not same_cv(s, s.replace(seed=5))
    assert same_cv(
        s.replace(path=s.path.replace(shuffle=False)),
        s.replace(seed=5, path=s.path.replace(shuffle=False)),
    )
    with pytest.raises(ValueError, match="needs a penalty"):
        cv_for(s.replace(penalty="none"), data)
