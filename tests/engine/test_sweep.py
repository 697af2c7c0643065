"""When each penalty wins: the seed's "when to use" rules as measured claims.

The generator (engine.synthetic) keeps the signal's variance at 1 whatever k, so
only the spread of the truth changes. Thresholds were chosen from runs over seeds
0-5 (numbers in the comments); every claim is checked on several seeds, or pooled
over many draws where one draw is too noisy to decide.
"""

import numpy as np
import pytest

from engine.data import prepare
from engine.settings import LabSettings, RunSettings, SettingsError
from engine.sweep import KINDS, crossing, fit_at_cv, k_grid, run_sweep, sweep_for
from engine.synthetic import Generator, excess_error, true_coefficients

INDEPENDENT = Generator(100, 40, 4, 0.0, 1.0)
GROUPED = Generator(100, 40, 4, 0.9, 1.0)
L1, L2, EN = (KINDS.index(k) for k in ("l1", "l2", "elasticnet"))


# -- the generator ---------------------------------------------------------------------
@pytest.mark.parametrize("rho", [0.0, 0.5, 0.9])
@pytest.mark.parametrize("k", [1, 6, 40])
def test_the_signal_has_variance_one_whatever_k_and_the_correlation(k, rho):
    gen = Generator(100, 40, 4, rho, 1.0)
    beta = true_coefficients(gen, k)
    assert np.count_nonzero(beta) == k and (beta[:k] > 0).all()
    assert gen.quadratic(beta) == pytest.approx(1.0)
    X = gen.features(np.random.default_rng(1), 200_000)
    assert np.var(X @ beta) == pytest.approx(1.0, abs=0.02)


def test_features_of_a_group_are_correlated_at_rho_and_groups_are_independent():
    gen = Generator(10, 10, 4, 0.9, 1.0)  # groups {0-3}, {4-7}, {8, 9}
    C = np.corrcoef(gen.features(np.random.default_rng(0), 100_000).T)
    assert C[0, 3] == pytest.approx(0.9, abs=0.01)
    assert C[8, 9] == pytest.approx(0.9, abs=0.01)
    assert abs(C[3, 4]) < 0.02 and abs(C[0, 9]) < 0.02


def test_the_excess_error_formula_is_the_error_on_a_large_fresh_sample():
    gen = GROUPED
    beta = true_coefficients(gen, 6)
    rng = np.random.default_rng(3)
    w, b = beta + 0.2 * rng.standard_normal(gen.d), 0.3
    X = gen.features(rng, 400_000)
    y = X @ beta + gen.noise * rng.standard_normal(X.shape[0])
    direct = np.mean((y - X @ w - b) ** 2) - gen.noise**2
    assert excess_error(gen, beta, w, b) == pytest.approx(direct, abs=0.02)


def test_k_grid_takes_every_k_up_to_20_features_and_20_values_beyond():
    assert k_grid(12).tolist() == list(range(1, 13))
    ks = k_grid(40)
    assert ks[0] == 1 and ks[-1] == 40 and ks.size == 20


# -- the seed's rules ------------------------------------------------------------------
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_on_a_sparse_truth_l1_wins(seed):
    # k = 2 of 40 (seeds 0-5): L1 0.06-0.13, L2 0.16-0.22 excess error
    res = run_sweep(INDEPENDENT, repeats=3, seed=seed, ks=[2])
    assert res.mean[L1, 0] < res.mean[L2, 0] - 0.03


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_on_a_dense_truth_l2_wins(seed):
    # k = 40 of 40 (seeds 0-5): L1 0.46-0.72, L2 0.27-0.44
    res = run_sweep(INDEPENDENT, repeats=3, seed=seed, ks=[40])
    assert res.mean[L2, 0] < res.mean[L1, 0] - 0.05


def test_on_correlated_groups_elastic_net_beats_l1_and_keeps_more_of_each_group():
    # two whole groups of 4 true, correlated at 0.9: the gain in error is small
    # (about 0.01 against errors near 0.1), so it is measured on 30 paired draws;
    # the recall gap is large on every draw set (L1 about 0.6, EN about 0.8)
    res = run_sweep(GROUPED, repeats=30, seed=7, ks=[8])
    gain = res.errors[L1, :, 0] - res.errors[EN, :, 0]
    assert gain.mean() > 2 * gain.std(ddof=1) / np.sqrt(gain.size)
    assert res.mean_recall("elasticnet")[0] > res.mean_recall("l1")[0] + 0.1


def test_l2_overtakes_l1_somewhere_between_a_sparse_and_a_dense_truth():
    res = run_sweep(INDEPENDENT, repeats=3, seed=0, ks=np.arange(1, 41, 5))
    k_star = res.crossover
    assert k_star is not None and 4 < k_star < 36
    mean = res.mean
    assert mean[L1, 0] < mean[L2, 0] and mean[L2, -1] < mean[L1, -1]
    assert res.repeats_done == 3 and np.isfinite(res.se).all()


def test_the_crossover_is_where_the_difference_turns_positive_for_good():
    ks = np.array([1, 2, 3, 4, 5])
    assert crossing(ks, np.array([-1.0, 1.0, -1.0, -0.5, 0.5])) == pytest.approx(4.5)
    assert crossing(ks, np.array([-1.0, -1, -1, -1, -1])) is None
    assert crossing(ks, np.array([1.0, 1, 1, 1, 1])) is None


# -- one sweep point against scikit-learn --------------------------------------------
def test_a_sweep_point_is_the_scikit_learn_fit_at_the_same_strength():
    from sklearn.linear_model import ElasticNet, Lasso, Ridge

    gen = GROUPED
    data = prepare(gen.draw(8, [0, 0]))
    n = data.n_samples
    models = {
        "l1": lambda a: Lasso(alpha=a, tol=1e-12, max_iter=100_000),
        "l2": lambda a: Ridge(alpha=n * a),
        "elasticnet": lambda a: ElasticNet(
            alpha=a, l1_ratio=0.5, tol=1e-12, max_iter=100_000
        ),
    }
    for kind, make in models.items():
        w, b, alpha = fit_at_cv(data, kind, l1_ratio=0.5)
        sk = make(alpha).fit(data.X, data.y)
        np.testing.assert_allclose(w, sk.coef_, atol=1e-6)
        assert b == pytest.approx(sk.intercept_, abs=1e-6)


def test_the_cv_strength_is_scikit_learns_lassocv_choice_on_the_same_folds():
    from sklearn.linear_model import LassoCV
    from sklearn.model_selection import KFold

    from engine.path import alpha_grid
    from engine.sweep import SWEEP_ALPHAS

    data = prepare(INDEPENDENT.draw(3, [0, 0]), standardize=False)
    grid = alpha_grid(data, "squared", "l1", n_alphas=SWEEP_ALPHAS)
    _, _, alpha = fit_at_cv(data, "l1")
    sk = LassoCV(alphas=grid, cv=KFold(5), tol=1e-12, max_iter=100_000)
    sk.fit(data.X, data.y)
    assert alpha == pytest.approx(sk.alpha_, rel=1e-9)


# -- settings and cancel ---------------------------------------------------------------
def test_the_sweep_of_the_settings_uses_the_lab_fields():
    lab = LabSettings(sweep_n=60, sweep_d=8, sweep_group=2, sweep_repeats=2)
    res = sweep_for(RunSettings(lab=lab, seed=3))
    assert res.generator == Generator(60, 8, 2, 0.0, 1.0)
    assert res.ks.tolist() == list(range(1, 9)) and res.errors.shape == (3, 2, 8)
    assert res.seed == 3 and res.l1_ratio == 0.5


def test_a_cancelled_sweep_keeps_what_it_did():
    seen = []

    def progress(fraction, message):
        seen.append(fraction)

    def cancel():  # stop once a third of the work is reported done
        return bool(seen) and seen[-1] > 0.35

    gen = Generator(60, 8, 2, 0.0, 1.0)
    res = run_sweep(gen, repeats=3, progress=progress, cancel=cancel)
    assert res.cancelled and res.repeats_done == 1
    assert np.isfinite(res.errors[:, 0]).all() and np.isnan(res.errors[:, 2]).all()
    assert np.isfinite(res.mean).all()  # every k has the first repeat


@pytest.mark.parametrize(
    "field, value",
    [("sweep_repeats", 0), ("sweep_repeats", 101), ("sweep_k", 0), ("sweep_d", 1)],
)
def test_invalid_sweep_settings_are_refused(field, value):
    with pytest.raises(SettingsError):
        LabSettings().replace(**{field: value})


def test_partial_results_come_after_each_repeat_but_the_last_as_copies():
    seen = []
    res = run_sweep(Generator(60, 8, 2, 0.0, 1.0), repeats=3, partial=seen.append)
    assert [p.repeats_done for p in seen] == [1, 2]
    assert all(p.cancelled for p in seen) and not res.cancelled
    assert seen[0].errors is not res.errors and np.isnan(seen[0].errors[:, 1]).all()
    np.testing.assert_array_equal(seen[1].errors[:, :2], res.errors[:, :2])
