"""The polynomial and two-classes datasets, the fit's numbers, overfitting, and
early stopping against the ridge path (issue 15), against scikit-learn and closed
forms."""

import numpy as np
import pytest
from sklearn.linear_model import LinearRegression, LogisticRegression, Ridge
from sklearn.metrics import accuracy_score, log_loss, mean_squared_error, r2_score

from engine import Penalty, solve
from engine.data import DataError, Dataset, prepare
from engine.datasets import load_dataset
from engine.early_stopping import early_stopping, recorded_steps
from engine.fit import fit_facts, polynomial_curve, probability_grid
from engine.gram import GramKernel
from engine.polynomial import (
    DEFAULT_DEGREE,
    N_HELD_OUT,
    N_TRAIN,
    NOISE,
    curve,
    kept_powers,
    power_name,
)
from engine.run import start_run
from engine.session_file import SessionRecord, read, restore, write
from engine.settings import DataSource, RunSettings, SettingsError


def poly(degree=DEFAULT_DEGREE, seed=0, validation=0.2):
    return prepare(load_dataset("polynomial", seed, degree), validation=validation)


# -- the datasets -------------------------------------------------------------------
def test_polynomial_rows_powers_and_held_out_rows():
    ds = load_dataset("polynomial", 0, 6)
    assert ds.X.shape == (N_TRAIN + N_HELD_OUT, 6)
    assert ds.feature_names == ("x", "x²", "x³", "x⁴", "x⁵", "x⁶")
    x = ds.X[:, 0]
    np.testing.assert_array_equal(ds.X, x[:, None] ** np.arange(1, 7))
    assert ds.holdout.sum() == N_HELD_OUT and not ds.holdout[:N_TRAIN].any()
    assert np.all(np.abs(x) <= 1)
    assert ds.polynomial_degree == 6 and ds.source["degree"] == 6
    # the same points for every degree: errors compare across degrees
    other = load_dataset("polynomial", 0, 15)
    np.testing.assert_array_equal(other.X[:, 0], x)
    np.testing.assert_array_equal(other.y, ds.y)
    # the noise around the curve has about the stated spread
    resid = ds.y - curve(x)
    assert 0.7 * NOISE < resid.std() < 1.3 * NOISE


@pytest.mark.parametrize("degree", [0, 21, 2.5, "3", None, True])
def test_bad_degrees_are_refused(degree):
    with pytest.raises((DataError, SettingsError)):
        if degree is None:
            load_dataset("houses", 0, 3)
        else:
            load_dataset("polynomial", 0, degree)


def test_a_degree_goes_with_the_polynomial_only():
    with pytest.raises(SettingsError, match="only the polynomial"):
        DataSource.bundled("houses", 0, 4)
    with pytest.raises(SettingsError, match="from 1 to 20"):
        DataSource.bundled("polynomial", 0, 25)
    src = DataSource.bundled("polynomial", 3, 7)
    s = RunSettings(source=src)
    assert RunSettings.from_dict(s.to_dict()).source == src


def test_the_held_out_rows_are_the_validation_rows_at_any_share():
    for share in (0.05, 0.2, 0.5):
        data = poly(validation=share)
        assert data.X.shape[0] == N_TRAIN and data.X_val.shape[0] == N_HELD_OUT
        assert "60 held-out rows are the validation rows" in " ".join(data.notes)
    data = poly(validation=0)
    assert data.X.shape[0] == N_TRAIN and data.X_val is None
    assert "left out" in " ".join(data.notes)
    # standardized on the training rows only
    np.testing.assert_allclose(data.X.mean(axis=0), 0, atol=1e-12)


def test_holdout_marks_must_fit_the_rows():
    X, y = np.arange(8.0).reshape(4, 2), np.arange(4.0)
    with pytest.raises(DataError, match="each row"):
        Dataset(X, y, ("a", "b"), holdout=np.array([True, False]))
    with pytest.raises(DataError, match="at least 2 training rows"):
        Dataset(X, y, ("a", "b"), holdout=np.array([True, True, True, False]))


def test_two_classes_is_a_two_feature_classification():
    ds = load_dataset("two-classes")
    assert ds.X.shape == (200, 2) and ds.task == "classification"
    assert set(np.unique(ds.y)) == {-1.0, 1.0}
    assert 0.3 < (ds.y > 0).mean() < 0.7


# -- the fit's numbers ----------------------------------------------------------------
def test_fit_numbers_match_scikit_learn_for_squared_loss():
    data = poly()
    res = solve(data, "squared", Penalty.l2(1e-3), tol=1e-12)
    f = fit_facts(data, "squared", res.w, res.b)
    ref = Ridge(alpha=1e-3 * N_TRAIN, tol=1e-14, solver="cholesky").fit(data.X, data.y)
    np.testing.assert_allclose(res.w, ref.coef_, rtol=1e-6, atol=1e-9)
    for rows, X, y in ((f.train, data.X, data.y), (f.held_out, data.X_val, data.y_val)):
        z = X @ res.w + res.b
        assert rows.error == pytest.approx(mean_squared_error(y, z), rel=1e-12)
        assert rows.score == pytest.approx(r2_score(y, z), rel=1e-12)
        assert rows.rmse == pytest.approx(np.sqrt(mean_squared_error(y, z)))
    assert (
        "held-out MSE" in f.text and f.powers_text == "powers kept: all 15 (x to x¹⁵)"
    )
    assert f"held-out RMSE {np.sqrt(f.held_out.error):.4g}," in f.rmse_text


def test_fit_numbers_match_scikit_learn_for_logistic_loss():
    run = start_run(RunSettings(source=DataSource.bundled("two-classes")))
    data = run.data
    res = solve(data, "logistic", Penalty.l2(0.01), tol=1e-12)
    f = fit_facts(data, "logistic", res.w, res.b)
    for rows, X, y in ((f.train, data.X, data.y), (f.held_out, data.X_val, data.y_val)):
        p = 1 / (1 + np.exp(-(X @ res.w + res.b)))
        assert rows.error == pytest.approx(2 * log_loss(y, p), rel=1e-9)
        assert rows.score == accuracy_score(y, np.where(p > 0.5, 1.0, -1.0))
    assert f.text.startswith("fit: training deviance") and f.powers_text == ""


def test_probability_grid_is_the_models_probability():
    run = start_run(RunSettings(source=DataSource.bundled("two-classes")))
    data = run.data
    res = solve(data, "logistic", Penalty.l2(0.01), tol=1e-12)
    xs, ys = np.linspace(-3, 3, 7), np.linspace(-2, 2, 5)
    P = probability_grid(data, res.w, res.b, (0, 1), xs, ys)
    ref = LogisticRegression(C=1 / (data.n_samples * 0.01), tol=1e-12, max_iter=10**4)
    ref.fit(data.X, data.y)
    gx, gy = np.meshgrid(xs, ys)
    raw = np.column_stack([gx.ravel(), gy.ravel()])
    expected = ref.predict_proba((raw - data.mean) / data.scale)[:, 1]
    np.testing.assert_allclose(P.ravel(), expected, atol=1e-7)
    # the boundary P = 1/2 is where the linear predictor is 0
    assert P.shape == (5, 7)


def test_polynomial_curve_through_the_rows_is_the_models_prediction():
    data = poly(8)
    res = solve(data, "squared", Penalty.l1(1e-3), tol=1e-12)
    x = data.dataset.X[:N_TRAIN, 0]
    np.testing.assert_allclose(
        polynomial_curve(data, res.w, res.b, x), data.X @ res.w + res.b, atol=1e-12
    )
    with pytest.raises(ValueError):
        polynomial_curve(prepare(load_dataset("two-features")), res.w[:2], 0.0, x)


def test_power_names_and_kept_powers():
    assert [power_name(k) for k in (1, 2, 15)] == ["x", "x²", "x¹⁵"]
    assert kept_powers(np.array([0.5, 0.0, -0.0, 2.0])) == [1, 4]


# -- overfitting: what the lesson shows ---------------------------------------------
def test_degree_15_without_a_penalty_overfits_and_penalties_help():
    data = poly(15)
    none = solve(data, "squared", Penalty.none(), tol=1e-12)
    ols = LinearRegression().fit(data.X, data.y)
    np.testing.assert_allclose(none.w, ols.coef_, rtol=1e-5)
    f0 = fit_facts(data, "squared", none.w, none.b)
    # the training error is below the noise's own variance: the fit follows noise
    assert f0.train.error < 0.5 * NOISE**2
    assert f0.held_out.error > 2 * NOISE**2 and f0.overfit_ratio > 5
    l2 = solve(data, "squared", Penalty.l2(1e-3), tol=1e-12)
    f2 = fit_facts(data, "squared", l2.w, l2.b)
    assert f2.held_out.error < 0.6 * f0.held_out.error
    assert np.count_nonzero(l2.w) == 15  # L2 shrinks; no power is switched off
    l1 = solve(data, "squared", Penalty.l1(1e-2), tol=1e-12)
    f1 = fit_facts(data, "squared", l1.w, l1.b)
    assert f1.held_out.error < 0.6 * f0.held_out.error
    assert len(f1.powers) <= 6 and (l1.w == 0.0).sum() >= 9


# -- early stopping is like L2 --------------------------------------------------------
@pytest.mark.parametrize(
    "name,degree", [("two-features", None), ("polynomial", 15), ("polynomial", 20)]
)
def test_early_stopping_iterates_stay_near_the_ridge_path(name, degree):
    data = prepare(load_dataset(name, 0, degree), validation=0.2)
    es = early_stopping(data, 5000, count=60)
    assert es.steps[0] == 0 and es.steps[-1] == 5000
    # every iterate within 40 % of its length of some ridge solution, within 20 %
    # from the third step on
    assert es.distance.max() <= 0.4
    assert es.distance[es.steps >= 3].max() <= 0.2
    # the nearest ridge strength falls as the steps go on: few steps, a large λ₂
    finite = es.lam2[1:]
    assert finite[0] > 100 * finite[-1]
    # the ridge solutions are the closed form (and scikit-learn's Ridge)
    k = len(es.steps) // 2
    np.testing.assert_allclose(
        es.ridge[k], GramKernel(data).ridge_solution(es.lam2[k]), atol=1e-10
    )
    ref = Ridge(alpha=es.lam2[k] * data.n_samples, solver="cholesky").fit(
        data.X, data.y
    )
    np.testing.assert_allclose(es.ridge[k], ref.coef_, rtol=1e-6, atol=1e-8)


def test_early_stopping_iterates_are_the_trainers():
    data = poly(5)
    es = early_stopping(data, 40, count=10)
    from engine.trainer import Trainer

    tr = Trainer(data, loss="squared", penalty=Penalty.none(), init="zeros")
    for t, w in zip(es.steps, es.iterates, strict=True):
        tr.step(int(t) - tr.step_count)
        np.testing.assert_array_equal(tr.w, w)
    assert es.lr == tr.lr and es.distance[0] == 0 and np.isinf(es.lam2[0])


def test_recorded_steps():
    assert list(recorded_steps(0)) == [0]
    at = recorded_steps(1000, 20)
    assert at[0] == 0 and at[1] == 1 and at[-1] == 1000 and np.all(np.diff(at) > 0)


# -- one source of truth: sessions and the command line ------------------------------
def test_a_polynomial_session_keeps_its_degree(tmp_path):
    run = start_run(
        RunSettings(source=DataSource.bundled("polynomial", 2, 9), penalty="l2")
    )
    run.trainer.step(50)
    path = tmp_path / "p.l1l2"
    write(path, SessionRecord.capture(run.settings, run.trainer, run.data))
    back = read(path)
    assert back.settings.source.degree == 9
    run2, exact = restore(back)
    assert exact and run2.data.n_features == 9
    np.testing.assert_array_equal(run2.trainer.w, run.trainer.w)


def test_descent_on_a_2d_loss_follows_its_ridge_path():
    from engine.early_stopping import quadratic_descent
    from engine.geometry import Quadratic

    q = Quadratic.from_shape([2.0, 1.0], scales=(1.0, 0.1), angle=0.6)
    steps, it, ridge = quadratic_descent(q, steps=3000, count=40, share=0.1)
    assert steps[0] == 0 and np.all(np.diff(steps) > 0) and len(steps) == len(it)
    # gradient descent's own recurrence, from 0 with step 0.1/L
    eta = 0.1 / np.linalg.eigvalsh(q.H).max()
    w, seen = np.zeros(2), {0: np.zeros(2)}
    for t in range(1, int(steps[-1]) + 1):
        w = w - eta * q.H @ (w - q.w_star)
        seen[t] = w.copy()
    for t, p in zip(steps, it, strict=True):
        np.testing.assert_allclose(p, seen[int(t)], atol=1e-12)
    # it stops once within 0.1 % of w* in every direction
    assert np.linalg.norm(it[-1] - q.w_star) < 2e-3 * np.linalg.norm(q.w_star)
    # the ridge path runs from 0 to w*, each point an L2 optimum
    np.testing.assert_array_equal(ridge[0], [0.0, 0.0])
    np.testing.assert_array_equal(ridge[-1], q.w_star)
    lam = 0.37
    w_l2 = np.linalg.solve(q.H + lam * np.eye(2), q.H @ q.w_star)
    assert np.min(np.linalg.norm(ridge - w_l2, axis=1)) < 0.05
    # the iterates stay near the path
    gaps = [np.min(np.linalg.norm(ridge - p, axis=1)) for p in it]
    assert max(gaps) < 0.2 * np.linalg.norm(q.w_star)
