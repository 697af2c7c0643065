"""Stability selection: every resample's fit is scikit-learn's on the same rows, the
frequencies are shares of exact zeros, the resamples follow the seed, and on the
``correlated`` data the lasso's pick within a group flips between resamples while
Elastic Net keeps the whole group. No Qt."""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import ElasticNet, Lasso

from engine import prepare
from engine.datasets import load_dataset
from engine.path import alpha_grid, path_for
from engine.path.grid import penalty_at
from engine.resample import resample_data, resample_indices
from engine.run import start_run
from engine.settings import DataSource, RunSettings, scales
from engine.stability import (
    same_paths,
    same_stability,
    stability_for,
    stability_selection,
)
from engine.stability_move import paths_reach, stability_at
from engine.stability_path import ColumnActiveSet, resample_path

from .problems import regression


def sk_fit(model, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return model.fit(X, y).coef_


def correlated():
    return prepare(load_dataset("correlated"), validation=0.2)


@pytest.mark.parametrize("resample", ["half", "bootstrap"])
@pytest.mark.parametrize("kind", ["l1", "elasticnet"])
@pytest.mark.parametrize("make", [correlated, lambda: prepare(regression(60, 90, k=5))])
def test_each_resample_fit_is_scikit_learns_on_the_same_rows(make, kind, resample):
    # the resample keeps the full training standardization: scikit-learn gets the
    # same rows of data.X (with an intercept) and nothing else
    data = make()
    rho = 1.0 if kind == "l1" else 0.5
    grid = alpha_grid(data, "squared", kind, rho=rho, n_alphas=20)
    for alpha in (grid[6], 0.7 * grid[6] + 0.3 * grid[7]):  # on and off the grid
        res = stability_selection(
            data, "squared", kind, rho=rho, alphas=grid, alpha=alpha, B=3,
            resample=resample, seed=4, tol=1e-14,
        )  # fmt: skip
        for b in range(3):
            rows = res.indices[b]
            if kind == "l1":
                model = Lasso(alpha=alpha, tol=1e-14, max_iter=1_000_000)
            else:
                model = ElasticNet(
                    alpha=alpha, l1_ratio=rho, tol=1e-14, max_iter=1_000_000
                )
            ref = sk_fit(model, data.X[rows], data.y[rows])
            w = res.coefs[b]
            scale = np.abs(ref).max()
            assert np.abs(w - ref).max() <= 1e-6 * scale
            np.testing.assert_array_equal(w == 0.0, ref == 0.0)


def lab_data():
    """More rows than features (the Gram columns on demand), correlated neighbours
    (features join and leave)."""
    return prepare(regression(300, 80, k=10, rho=0.6, seed=3), validation=0)


def test_the_walk_down_the_paths_gives_the_general_loops_fits(monkeypatch):
    # the lab's Lasso paths walk from point to point, a change of the support at a
    # time; the active set's general loop (violators join, wrong signs leave) makes
    # the same exact fits: the same exact zeros at every point, the same weights
    data = lab_data()
    grid = alpha_grid(data, "squared", "l1", n_alphas=40)
    kw = dict(alphas=grid, alpha=grid[12], B=4, seed=1, tol=1e-12, stop_share=None)
    walks = []
    walk = ColumnActiveSet._walk

    def counted(self, lam1):
        walks.append(lam1)
        return walk(self, lam1)

    monkeypatch.setattr(ColumnActiveSet, "_walk", counted)
    walked = stability_selection(data, "squared", "l1", **kw)
    assert len(walks) >= 4 * 30  # the walk made (nearly) every point
    monkeypatch.setattr(ColumnActiveSet, "walk", False)
    looped = stability_selection(data, "squared", "l1", **kw)
    np.testing.assert_array_equal(walked.path_frequency, looped.path_frequency)
    np.testing.assert_array_equal(walked.coefs == 0.0, looped.coefs == 0.0)
    scale = np.abs(looped.coefs).max()
    np.testing.assert_allclose(walked.coefs, looped.coefs, atol=1e-9 * scale)


def test_a_resample_fits_the_same_alone_as_after_the_others():
    # the columns formed at once (those most resamples before selected) and the
    # buffers handed from one resample to the next change no fit
    data = lab_data()
    grid = alpha_grid(data, "squared", "l1", n_alphas=30)
    res = stability_selection(
        data, "squared", "l1", alphas=grid, alpha=grid[10], B=5, seed=2,
        stop_share=None,
    )  # fmt: skip
    pens = [penalty_at("l1", 1.0, a) for a in grid]
    counts = np.zeros(res.path_frequency.shape)
    for r in range(5):
        sub = resample_data(data, res.indices[r])
        nonzero, w_at = resample_path(sub, "squared", pens, 10, 1e-8, None, None)
        counts += np.array(nonzero)
        np.testing.assert_array_equal(w_at == 0.0, res.coefs[r] == 0.0)
        np.testing.assert_allclose(w_at, res.coefs[r], atol=1e-9)
    np.testing.assert_array_equal(counts / 5, res.path_frequency)


def test_resamples_are_half_samples_or_bootstraps_of_the_training_rows():
    half = resample_indices(101, 5, "half", seed=0)
    assert half.shape == (5, 50)
    for rows in half:
        assert np.unique(rows).size == 50 and rows.min() >= 0 and rows.max() < 101
    boot = resample_indices(101, 5, "bootstrap", seed=0)
    assert boot.shape == (5, 101)
    assert all(np.unique(rows).size < 101 for rows in boot)  # repeats
    # the first resamples do not depend on how many are drawn
    np.testing.assert_array_equal(resample_indices(101, 2, "half", 0), half[:2])


def test_a_resample_uses_the_full_training_standardization():
    data = correlated()
    rows = resample_indices(data.n_samples, 1, "half", 0)[0]
    sub = resample_data(data, rows)
    np.testing.assert_array_equal(sub.X, data.X[rows])
    np.testing.assert_array_equal(sub.mean, data.mean)
    assert sub.X_val is None


def test_frequencies_are_shares_of_exact_zeros():
    data = correlated()
    grid = alpha_grid(data, "squared", "l1", n_alphas=30)
    res = stability_selection(
        data, "squared", "l1", alphas=grid, alpha=grid[10], B=20, seed=1
    )
    np.testing.assert_array_equal(res.frequency, (res.coefs != 0.0).mean(axis=0))
    assert ((res.frequency >= 0) & (res.frequency <= 1)).all()
    np.testing.assert_array_equal(res.frequency * 20, np.round(res.frequency * 20))
    # on the grid the frequency at α is that grid point's
    np.testing.assert_array_equal(res.path_frequency[10], res.frequency)
    # the full data's α_max zeroes the full data's weights, not every resample's,
    # but the frequencies fall toward the top of the grid
    assert res.path_frequency[0].sum() < res.path_frequency[10].sum()
    computed = res.path_frequency[: res.n_path]
    assert ((computed >= 0) & (computed <= 1)).all()


def test_same_seed_same_result_other_seed_other_result():
    data = correlated()
    grid = alpha_grid(data, "squared", "l1", n_alphas=20)
    kw = dict(alphas=grid, alpha=grid[12], B=15)
    a = stability_selection(data, "squared", "l1", seed=3, **kw)
    b = stability_selection(data, "squared", "l1", seed=3, **kw)
    c = stability_selection(data, "squared", "l1", seed=4, **kw)
    np.testing.assert_array_equal(a.indices, b.indices)
    np.testing.assert_array_equal(a.coefs, b.coefs)
    np.testing.assert_array_equal(a.path_frequency, b.path_frequency)
    assert not np.array_equal(a.indices, c.indices)
    assert not np.array_equal(a.coefs, c.coefs)


def test_a_cancelled_run_keeps_the_resamples_done():
    data = correlated()
    grid = alpha_grid(data, "squared", "l1", n_alphas=20)
    calls = []

    def cancel():
        calls.append(1)
        return len(calls) > 60

    res = stability_selection(
        data, "squared", "l1", alphas=grid, alpha=grid[5], B=50, cancel=cancel
    )
    assert res.cancelled and 0 < res.done < 50
    assert res.coefs.shape == (res.done, data.n_features)
    np.testing.assert_array_equal(res.frequency, (res.coefs != 0).mean(axis=0))


def test_stopped_paths_cover_the_run_strength_and_say_where_they_stop():
    run = start_run(RunSettings(source=DataSource.bundled("houses")))
    s = run.settings.replace(lab=run.settings.lab.replace(resamples=3))
    res = stability_for(s, run.data)
    i_run = int(np.argmin(np.abs(res.alphas - res.alpha)))
    assert i_run < res.n_path < res.alphas.size  # stopped below the run's λ
    assert np.isnan(res.path_frequency[res.n_path :]).all()
    assert not np.isnan(res.path_frequency[: res.n_path]).any()


def test_l2_and_no_penalty_have_nothing_to_select():
    run = start_run(RunSettings(source=DataSource.bundled("correlated"), penalty="l2"))
    with pytest.raises(ValueError, match="L1 part"):
        stability_for(run.settings, run.data)


def test_logistic_loss_is_supported():
    run = start_run(RunSettings(source=DataSource.bundled("two-classes")))
    s = run.settings.replace(lab=run.settings.lab.replace(resamples=10))
    assert s.loss == "logistic"
    res = stability_for(s, run.data)
    assert res.done == 10 and ((res.frequency >= 0) & (res.frequency <= 1)).all()


def test_same_stability_follows_what_changes_the_result():
    run = start_run(RunSettings(source=DataSource.bundled("correlated")))
    s = run.settings
    assert same_stability(s, s.replace(lab=s.lab.replace(threshold=0.8)))
    assert not same_stability(s, s.replace(lab=s.lab.replace(resamples=50)))
    assert not same_stability(s, s.replace(lab=s.lab.replace(resample="bootstrap")))
    assert not same_stability(s, s.replace(seed=9))
    assert not same_stability(s, s.replace(lam1=s.lam1 * 2))
    assert same_paths(s, s.replace(lam1=s.lam1 * 2))  # only the fits at λ change
    assert not same_paths(s, s.replace(seed=9))


@pytest.mark.parametrize(
    "name, factors", [("correlated", (3.0, 0.4)), ("two-classes", (2.0, 0.6))]
)
def test_a_new_strength_refits_at_it_as_a_fresh_computation(name, factors):
    run = start_run(RunSettings(source=DataSource.bundled(name)))
    s = run.settings.replace(lab=run.settings.lab.replace(resamples=20))
    res = stability_for(s, run.data)
    for f in factors:
        s2 = s.replace(lam1=s.lam1 * f)
        moved = stability_at(res, run.data, s2.active_penalty.alpha, tol=s.tol)
        fresh = stability_for(s2, run.data)
        assert moved.alpha == fresh.alpha and moved.done == 20
        np.testing.assert_array_equal(moved.frequency, fresh.frequency)
        np.testing.assert_allclose(moved.coefs, fresh.coefs, atol=1e-6)
        assert moved.path_frequency is res.path_frequency


def test_paths_stopped_above_a_new_strength_do_not_reach_it():
    run = start_run(RunSettings(source=DataSource.bundled("houses")))
    s = run.settings.replace(lab=run.settings.lab.replace(resamples=3))
    res = stability_for(s, run.data)
    assert paths_reach(res, res.alphas[res.n_path - 1])
    assert not paths_reach(res, res.alphas[res.n_path])
    with pytest.raises(ValueError, match="do not reach"):
        stability_at(res, run.data, res.alphas[-1])
    # a larger strength: the frequencies there, with the paths kept
    s2 = s.replace(lam1=s.lam1 * 1.5)
    moved = stability_at(res, run.data, s2.active_penalty.alpha, tol=s.tol)
    fresh = stability_for(s2, run.data)
    np.testing.assert_array_equal(moved.frequency, fresh.frequency)
    n = fresh.n_path  # a fresh run may stop sooner: the points it has are the same
    assert n <= moved.n_path
    np.testing.assert_array_equal(moved.path_frequency[:n], fresh.path_frequency[:n])


# -- the teaching claim ------------------------------------------------------------
#: Both penalties at 45 % of the top of their own path (λ₁ = 0.45 λ_max for L1; the
#: Elastic Net at ρ = 0.5 with α = 0.45 α_max, α_max = λ_max / ρ). Checked for the
#: seeds 0 to 7 of the data (and of the resamples); at the app's default of 5 % the
#: signal is so strong that the lasso keeps nearly whole groups too.
SHARE = 0.45
GROUP_A, GROUP_B = [0, 1, 2], [3, 4, 5]


def correlated_lab(seed: int, penalty: str):
    src = DataSource.bundled("correlated", seed=seed)
    s = RunSettings(source=src, penalty=penalty, seed=seed)
    if penalty == "elasticnet":
        s = s.replace(l1_ratio=0.5)
    run = start_run(s)
    s, data = run.settings, run.data
    lam_max = scales(data, s.loss).lam_max
    if penalty == "l1":
        s = s.replace(lam1=SHARE * lam_max)
    else:
        alpha = SHARE * lam_max / 0.5
        s = s.replace(lam1=0.5 * alpha, lam2=0.5 * alpha)
    return s, stability_for(s, data)


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
def test_lasso_flips_its_pick_in_a_group_elastic_net_keeps_the_group(seed):
    s, l1 = correlated_lab(seed, "l1")
    threshold = s.lab.threshold
    A = l1.coefs[:, GROUP_A]
    # every resample keeps some member of group A, but none of its members is
    # kept by every resample ...
    assert (A != 0).any(axis=1).all()
    assert l1.frequency[GROUP_A].max() < 1
    # ... but which member carries the group flips: no member is the largest in
    # every resample, and some member of A or B falls below the threshold
    largest = np.bincount(np.argmax(np.abs(A), axis=1), minlength=3)
    assert (largest > 0).sum() >= 2
    assert l1.frequency[GROUP_A + GROUP_B].min() < threshold
    _, enet = correlated_lab(seed, "elasticnet")
    assert (enet.frequency[GROUP_A + GROUP_B] >= threshold).all()


def test_the_lab_uses_the_paths_grid():
    run = start_run(RunSettings(source=DataSource.bundled("correlated")))
    s = run.settings.replace(lab=run.settings.lab.replace(resamples=2))
    np.testing.assert_array_equal(
        stability_for(s, run.data).alphas, path_for(s, run.data).alphas
    )
