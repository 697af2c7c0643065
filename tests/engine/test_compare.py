"""The comparison of L1, L2 and Elastic Net on the same data (no Qt).

The strengths are what ``settings.lab.compare_lambda`` promises, the solutions at
them are scikit-learn's (DESIGN.md: Lasso(alpha=λ₁), Ridge(alpha=n·λ₂),
ElasticNet(alpha=λ₁+λ₂, l1_ratio=λ₁/(λ₁+λ₂))), and the runs follow the main run
step for step.
"""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import ElasticNet, Lasso, Ridge

from engine.compare import (
    COMPARED_KINDS,
    TABLE_HEADERS,
    compare,
    compare_rho,
    correlated_groups,
    feature_order,
    group_label,
    run_alpha,
    target_nonzero,
)
from engine.path import cv_for
from engine.run import start_run
from engine.settings import DataSource, RunSettings


def comparison(mode="1se", penalty="l1", tol=1e-12, **changes):
    s = RunSettings(source=DataSource.bundled("correlated"), penalty=penalty, tol=tol)
    s = s.replace(lab=s.lab.replace(compare_lambda=mode), **changes)
    run = start_run(s)
    return run, compare(run.settings, run.dataset, run.data)


def sklearn_weights(kind, pen, data):
    n = data.n_samples
    if kind == "l1":
        est = Lasso(alpha=pen.lam1, tol=1e-15, max_iter=10**6)
    elif kind == "l2":
        est = Ridge(alpha=n * pen.lam2)
    else:
        est = ElasticNet(alpha=pen.alpha, l1_ratio=pen.rho, tol=1e-15, max_iter=10**6)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return est.fit(data.X, data.y).coef_


@pytest.mark.parametrize("mode", ["1se", "same", "nonzero"])
def test_the_solutions_at_the_chosen_strengths_are_scikit_learns(mode):
    run, comp = comparison(mode)
    for kind in COMPARED_KINDS:
        sol = comp.solutions[kind]
        assert sol.converged
        pen = comp.strengths[kind].penalty
        assert pen.kind == kind and sol.penalty == pen
        ref = sklearn_weights(kind, pen, run.data)
        assert np.abs(sol.w - ref).max() <= 1e-8 * max(np.abs(ref).max(), 1.0)
        np.testing.assert_array_equal(sol.w == 0.0, ref == 0.0)


def test_1se_is_each_penaltys_own_cross_validated_lambda_1se():
    run, comp = comparison("1se", tol=1e-8)
    s = run.settings
    for kind in COMPARED_KINDS:
        own = s.replace(penalty=kind)
        if kind == "elasticnet":  # at the compared share ρ
            rho = compare_rho(s)
            own = s.replace(penalty=kind, lam1=rho, lam2=1 - rho)
        cv = cv_for(own, run.data)
        assert comp.strengths[kind].alpha == cv.alpha_1se
        assert comp.strengths[kind].cv.alpha_1se == cv.alpha_1se
        assert "λ_1se" in comp.strengths[kind].how


def test_same_puts_every_penalty_at_the_runs_alpha():
    run, comp = comparison("same", penalty="elasticnet", tol=1e-8, l1_ratio=0.3)
    s = run.settings
    alpha = run_alpha(s)
    assert alpha == pytest.approx(s.lam1 + s.lam2)
    assert compare_rho(s) == pytest.approx(0.3)  # the run's own ρ
    for kind in COMPARED_KINDS:
        assert comp.strengths[kind].alpha == alpha
    pens = {k: comp.strengths[k].penalty for k in COMPARED_KINDS}
    assert pens["l1"].lam1 == alpha and pens["l2"].lam2 == alpha
    assert pens["elasticnet"].lam1 == pytest.approx(0.3 * alpha)


@pytest.mark.parametrize("penalty", ["l1", "elasticnet"])
def test_nonzero_matches_the_runs_count_of_nonzero_weights(penalty):
    run, comp = comparison("nonzero", penalty=penalty, tol=1e-8)
    k = target_nonzero(run.settings, run.data)
    assert 0 < k < run.data.n_features
    for kind in ("l1", "elasticnet"):
        assert comp.strengths[kind].nonzero == k
        assert np.count_nonzero(comp.solutions[kind].w) == k
        comp.follow(0, solved=True)
        assert comp.row(kind).n_zero == run.data.n_features - k
    # L2 keeps every weight: it stays at its λ_1se, and says so
    assert "L2 keeps every weight" in comp.strengths["l2"].how
    assert np.count_nonzero(comp.solutions["l2"].w) == run.data.n_features


def test_the_runs_follow_the_main_run_step_for_step_and_onto_their_solutions():
    run, comp = comparison("same", tol=1e-8)
    assert comp.follow(25, solved=False)
    for kind in COMPARED_KINDS:
        tr = comp.runs[kind].trainer
        assert tr.step_count == 25 and tr.solution is None
        # the same seed: the same start as the main run, stepped alone to 25
        twin = start_run(run.settings.replace(penalty=kind, **_strengths(comp, kind)))
        twin.trainer.step(25)
        np.testing.assert_array_equal(tr.w, twin.trainer.w)
    assert comp.follow(25, solved=True)
    for kind in COMPARED_KINDS:
        np.testing.assert_array_equal(comp.weights(kind), comp.solutions[kind].w)
    assert comp.follow(3, solved=False)  # the main run was reset and took 3 steps
    assert all(comp.runs[k].trainer.step_count == 3 for k in COMPARED_KINDS)
    assert not comp.follow(10**6, solved=False, time_budget=0.0)
    assert not comp.at(10**6, False)


def _strengths(comp, kind):
    pen = comp.strengths[kind].penalty
    return (
        {"lam1": pen.lam1}
        if kind == "l1"
        else (
            {"lam2": pen.lam2} if kind == "l2" else {"lam1": pen.lam1, "lam2": pen.lam2}
        )
    )


def test_the_table_rows_count_exact_zeros_and_score_the_selection():
    run, comp = comparison("1se", tol=1e-8)
    comp.follow(0, solved=True)
    rows = comp.rows()
    assert [r.kind for r in rows] == list(COMPARED_KINDS)
    for r in rows:
        w = comp.weights(r.kind)
        assert r.n_zero == int(np.sum(w == 0.0))
        z = run.data.X_val @ w + comp.runs[r.kind].trainer.b
        assert r.held_out == pytest.approx(np.mean((run.data.y_val - z) ** 2))
        kept, truth = w != 0, run.data.true_coef != 0
        assert r.selection.precision == (kept & truth).sum() / kept.sum()
        assert r.selection.recall == (kept & truth).sum() / truth.sum()
        assert len(r.cells()) == len(TABLE_HEADERS)
    assert rows[0].n_zero > 0 and rows[1].n_zero == 0  # L1 zeroes, L2 never does
    lines = comp.table_lines()
    assert "held-out MSE" in lines[1]
    assert lines[2].split()[0] == "L1" and f"{rows[0].n_zero} of 20" in lines[2]


def test_correlated_groups_are_the_datasets_groups_of_three():
    run, _ = comparison("same", tol=1e-8)
    groups = correlated_groups(run.data.X)
    assert [g.tolist() for g in groups] == [
        [0, 1, 2],
        [3, 4, 5],
        [6, 7, 8],
        [9, 10, 11],
    ]
    names = run.data.feature_names
    assert [group_label(names, g) for g in groups] == [
        "A1–A3",
        "B1–B3",
        "C1–C3",
        "D1–D3",
    ]
    assert correlated_groups(np.ones((5, 3))) == []  # constant columns: no group


def test_feature_order_keeps_each_group_together_and_shows_the_top_features():
    groups = [np.array([0, 4])]
    importance = np.array([0.1, 0.9, 0.0, 0.5, 0.2, 0.8])
    assert feature_order(importance, groups).tolist() == [0, 4, 1, 2, 3, 5]
    top = feature_order(importance, groups, limit=3)
    assert top.tolist() == [1, 5, 3]
    top = feature_order(importance, groups, limit=4)
    assert top.tolist() == [1, 5, 3, 4, 0]  # the group whole, most important first


@pytest.mark.parametrize("penalty", ["l2", "elasticnet"])
def test_a_known_cross_validation_of_the_same_settings_is_reused(penalty):
    """The path model's CV of the run's own penalty is taken as it is (the same
    strengths as computing it again); one of other folds is not."""
    run, fresh = comparison(penalty=penalty, tol=1e-8)
    s = run.settings
    cv = cv_for(s, run.data)
    reused = compare(s, run.dataset, run.data, known_cv=(s, cv))
    assert reused.strengths[penalty].cv is cv
    for kind in COMPARED_KINDS:
        assert reused.strengths[kind].alpha == fresh.strengths[kind].alpha
    other = s.replace(path=s.path.replace(folds=s.path.folds + 1))
    not_reused = compare(s, run.dataset, run.data, known_cv=(other, cv))
    assert not_reused.strengths[penalty].cv is not cv
