"""The numbers of the lessons of issues 16 and 17 (stability, which penalty wins,
the thresholding function, the Laplace prior), computed as the app computes them."""

import numpy as np
import pytest

from engine.geometry import Quadratic
from engine.lessons import get_lesson
from engine.prior import noise_variance, posterior_2d
from engine.solvers import lambda_max
from engine.stability import stability_for
from engine.sweep import sweep_for
from engine.thresholds import threshold, zero_band

GROUP_A, GROUP_B = ("A1", "A2", "A3"), ("B1", "B2", "B3")


def started(key, steps=True):
    lesson = get_lesson(key)
    run = lesson.start()
    if steps:
        run.trainer.step(lesson.steps)
    return lesson, run


def freq(res, data, names):
    return [round(float(res.frequency[data.feature_names.index(n)]), 2) for n in names]


def test_correlated_lesson_stability_elastic_net_keeps_the_groups_l1_flips():
    _, run = started("correlated-features", steps=False)
    s, data = run.settings, run.data
    en = stability_for(s, data)
    assert (en.B, en.resample, en.rows) == (100, "half", 75)
    assert freq(en, data, GROUP_A + GROUP_B) == [1.0, 1.0, 1.0, 1.0, 0.9, 0.96]
    others = [j for j, n in enumerate(data.feature_names) if n not in GROUP_A + GROUP_B]
    assert (en.frequency[others] == 0.0).all()
    assert {data.feature_names[j] for j in en.stable(0.6)} == set(GROUP_A + GROUP_B)
    # ρ = 1: L1 at the same α, as the lesson's third bullet does with the ρ box
    pen = s.active_penalty
    l1 = stability_for(s.replace(lam1=pen.alpha, lam2=0.0), data)
    assert freq(l1, data, GROUP_A) == [0.43, 0.27, 0.31]
    assert freq(l1, data, GROUP_B) == [0.0, 0.0, 0.0]
    a = [data.feature_names.index(n) for n in GROUP_A]
    kept_any = (l1.coefs[:, a] != 0.0).any(axis=1)
    assert int((~kept_any).sum()) == 22  # halves keeping no member of A
    assert len(l1.stable(0.6)) == 0


def test_sparse_or_dense_lesson_the_crossing_and_each_end():
    _, run = started("sparse-or-dense", steps=False)
    res = sweep_for(run.settings)
    l1, _ = res.error("l1")
    l2, _ = res.error("l2")
    en, _ = res.error("elasticnet")
    assert (res.generator.n, res.generator.d, res.repeats) == (100, 40, 5)
    assert res.ks[0] == 1 and res.ks[-1] == 40
    assert [round(v, 3) for v in (l1[0], l2[0], en[0])] == [0.059, 0.317, 0.094]
    assert [round(v, 3) for v in (l1[-1], l2[-1], en[-1])] == [0.649, 0.359, 0.587]
    assert round(res.crossover) == 15
    s9 = run.settings.replace(lab=run.settings.lab.replace(sweep_rho=0.9))
    r9 = sweep_for(s9)
    assert round(r9.crossover) == 8
    assert round(100 * float(np.mean(r9.mean_recall("l1")))) == 52
    assert round(100 * float(np.mean(r9.mean_recall("elasticnet")))) == 67


def test_thresholding_lesson_thirteen_in_the_band():
    _, run = started("thresholding")
    tr, data = run.trainer, run.data
    lam = tr.penalty.lam1
    assert lam == pytest.approx(0.05 * lambda_max(data, "squared"))
    assert (round(lam, 3), round(tr.lr, 3)) == (0.371, 0.285)
    band = zero_band("l1", lam, eta=tr.lr)
    assert (round(band, 3), round(2 * band, 3)) == (0.106, 0.211)
    g, _ = tr.data_gradient()
    z = tr.w - tr.lr * g
    nxt = threshold("l1", z, lam, eta=tr.lr)
    assert int((np.abs(z) <= band).sum()) == 13 == int((nxt == 0.0).sum())
    assert tr.n_zero == 13
    # L2 at its default: the slope is 1/(1 + ηλ₂) with η = 1/(L_D + λ₂), λ₂ = 0.1 L_D
    assert round(1 / (1 + 0.1 / 1.1), 3) == 0.917


def test_laplace_prior_lesson_mode_on_the_axis_mean_off_it():
    _, run = started("laplace-prior")
    run.trainer.set_state(*_solved(run))
    tr, data = run.trainer, run.data
    lam = tr.penalty.lam1
    assert round(lam, 3) == 1.118
    sigma2, how = noise_variance(data, "squared")
    assert round(sigma2, 3) == 1.007 and "197 degrees of freedom" in how
    assert round(sigma2 / (data.n_samples * lam), 4) == 0.0045
    q = Quadratic.from_data(data.X, data.y, tr.w, tr.b, 0, 1)
    post = posterior_2d(q, lam, 0.0, sigma2, data.n_samples)
    np.testing.assert_allclose(post.map, tr.w, atol=1e-9)
    assert post.map[1] == 0.0 and round(post.map[0], 3) == 1.118
    assert [f"{v:.4g}" for v in post.mean] == ["1.105", "0.03138"]


def _solved(run):
    from engine.run import solve_from_here

    res = solve_from_here(run)
    return res.w, res.b
