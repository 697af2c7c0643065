"""The guided lessons: every number a lesson's text states is checked here by
running the engine with the lesson's own settings, loaded as the app loads them."""

import ast
import dataclasses
import html
import re
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest

from engine import Penalty, Trainer, lambda_max, prepare, solve
from engine.datasets import dataset_names
from engine.geometry import Quadratic, penalized_optimum
from engine.lessons import LESSONS, Lesson, get_lesson, lesson_keys
from engine.montecarlo import run_monte_carlo

from .problems import classification

ROOT = Path(__file__).resolve().parents[2]

KEYS = (
    "why-regularize",
    "constant-gradient",
    "exact-zeros",
    "geometry",
    "feature-selection",
    "correlated-features",
    "subgradient-chatter",
    "which-lambda",
    "early-stopping",
    "sparse-or-dense",
    "thresholding",
    "laplace-prior",
)


def loaded(key):
    """Build lesson ``key`` and run its steps, as the app does on loading it."""
    lesson = get_lesson(key)
    dataset, data, loss, penalty, lr, trainer = lesson.build()
    assert trainer.step(lesson.steps) == lesson.steps
    return lesson, data, loss, penalty, trainer


def names_where(data, mask):
    return {data.feature_names[j] for j in np.flatnonzero(mask)}


def index(data, name):
    return data.feature_names.index(name)


def data_gradient(trainer):
    """Gradient of the data loss at the trainer's weights (full batch)."""
    g, _ = trainer.data_gradient()
    return g


# -- the collection ------------------------------------------------------------------
def test_the_lessons_in_order_with_unique_keys():
    n = len(KEYS)
    assert len(LESSONS) == n
    assert lesson_keys() == KEYS
    assert len(set(lesson_keys())) == n
    assert len({lesson.title for lesson in LESSONS}) == n
    for lesson in LESSONS:
        assert get_lesson(lesson.key) is lesson
        assert lesson.dataset in dataset_names()
        assert lesson.claim and lesson.title
    with pytest.raises(KeyError, match="constant-gradient"):
        get_lesson("no-such-lesson")


def test_the_lessons_use_the_datasets_and_settings_they_are_about():
    by_key = {lesson.key: lesson for lesson in LESSONS}
    assert by_key["geometry"].dataset == "two-features"
    assert by_key["geometry"].geometry["side_by_side"] is True
    assert by_key["feature-selection"].dataset == "houses"
    assert by_key["correlated-features"].dataset == "correlated"
    assert by_key["correlated-features"].penalty == "elasticnet"
    assert by_key["subgradient-chatter"].rule == "subgradient"
    assert all(
        lesson.rule == "proximal"
        for lesson in LESSONS
        if lesson.key != "subgradient-chatter"
    )


class _Html(HTMLParser):
    ALLOWED = {"p", "b", "i", "ul", "li", "br", "sub", "sup"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.items, self.data = [], [], [], []
        self.last_tag = None

    def handle_starttag(self, tag, attrs):
        if tag not in self.ALLOWED:
            self.errors.append(f"tag <{tag}>")
        if tag != "br":
            self.stack.append(tag)
        if tag == "li":
            self.items.append("")
        self.last_tag = ("start", tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(f"unbalanced </{tag}>")
        self.last_tag = ("end", tag)

    def handle_data(self, data):
        if "<" in data or ">" in data:
            self.errors.append(f"unescaped < or > in {data!r}")
        self.data.append(data)
        if "li" in self.stack and self.items:
            self.items[-1] += data


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.key)
def test_text_is_html_of_120_to_250_words_ending_with_what_to_watch(lesson):
    parser = _Html()
    parser.feed(lesson.text)
    parser.close()
    assert parser.errors == []
    assert parser.stack == []
    # every '<' in the source starts one of the allowed tags
    assert not re.search(r"<(?!/?(p|b|i|ul|li|br|sub|sup)\b)", lesson.text)
    words = html.unescape(re.sub(r"<[^>]+>", " ", lesson.text)).split()
    assert 120 <= len(words) <= 250, len(words)
    assert "<b>What to watch</b>" in lesson.text
    tail = lesson.text.split("<b>What to watch</b>", 1)[1]
    assert tail.strip().endswith("</ul>")
    assert "<ul>" in tail and tail.count("<li>") == len(parser.items)
    assert 2 <= len(parser.items) <= 4
    assert parser.last_tag == ("end", "ul")


def test_engine_lessons_imports_nothing_from_qt_or_the_gui():
    tree = ast.parse((ROOT / "engine" / "lessons.py").read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add("." if node.level else (node.module or "").split(".")[0])
    assert not imported & {"PySide6", "PyQt5", "PyQt6", "pyqtgraph", "shiboken6", "gui"}


# -- build() loads a lesson exactly as the app does ------------------------------------
@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.key)
def test_build_constructs_the_run_as_the_session_does(lesson):
    dataset, data, loss, penalty, lr, trainer = lesson.build()
    # gui/session.py: load_dataset(name, seed=0), prepare(..., standardize=True)
    assert dataset.name == lesson.dataset
    assert data.standardized and data.validation == lesson.validation
    assert data.split_seed == 0
    assert loss == dataset.default_loss == trainer.loss.name
    lam_max = lambda_max(data, loss)
    l2_scale = (0.25 if loss == "logistic" else 1.0) * data.curvature
    lam_l1 = lesson.lam * lam_max
    if lesson.lam_at is not None:  # from the lesson's own cross-validation
        from engine.path import cv_for

        cv = cv_for(lesson.run_settings(data), data)
        lam_l1 = cv.alpha_min if lesson.lam_at == "cv_min" else cv.alpha_1se
    expected = {
        "none": Penalty.none(),
        "l1": Penalty.l1(lam_l1),
        "l2": Penalty.l2(lesson.lam * l2_scale),
        "elasticnet": Penalty.elastic_net(lesson.lam * lam_max, lesson.lam2 * l2_scale),
    }[lesson.penalty]
    assert penalty == expected == trainer.penalty
    assert lr == "auto" == trainer.lr_setting
    assert trainer.rule == lesson.rule and trainer.seed == lesson.seed
    assert trainer.step_count == 0 and trainer.full_batch
    twin = Trainer(data, loss=loss, penalty=expected, rule=lesson.rule, seed=0)
    np.testing.assert_array_equal(trainer.w, twin.w)
    assert trainer.b == twin.b


def test_a_step_size_multiple_is_taken_of_one_over_L_with_lam2_included():
    lesson = dataclasses.replace(get_lesson("correlated-features"), lr=0.5)
    _, data, loss, penalty, lr, trainer = lesson.build()
    assert penalty.lam2 > 0
    assert lr == pytest.approx(0.5 / (data.curvature + penalty.lam2), rel=1e-12)
    assert trainer.lr == lr == trainer.lr_setting
    assert lr == pytest.approx(0.5 * trainer.lr_safe, rel=1e-12)


def test_strengths_for_a_logistic_loss_use_a_quarter_of_the_curvature():
    # no bundled dataset is a classification today; penalty_for is the shared path
    data = prepare(classification(200, 12, seed=3))
    lam_max = lambda_max(data, "logistic")
    l2 = dataclasses.replace(get_lesson("geometry"), penalty="l2", lam=0.1)
    assert l2.penalty_for(data, "logistic").lam2 == pytest.approx(
        0.1 * 0.25 * data.curvature, rel=1e-12
    )
    en = dataclasses.replace(get_lesson("correlated-features"), lam=0.3, lam2=0.5)
    pen = en.penalty_for(data, "logistic")
    assert pen.lam1 == pytest.approx(0.3 * lam_max, rel=1e-12)
    assert pen.lam2 == pytest.approx(0.5 * 0.25 * data.curvature, rel=1e-12)


@pytest.mark.parametrize(
    "changes",
    [
        {"dataset": "nope"},
        {"penalty": "l3"},
        {"rule": "newton"},
        {"lam2": 0.1},  # an L1 lesson
        {"lam": -1.0},
        {"lr": 0.0},
        {"steps": -1},
        {"geometry": {"zoom": 2}},
        {"geometry": {"view": "sideways"}},
    ],
)
def test_bad_settings_are_refused(changes):
    with pytest.raises(ValueError):
        dataclasses.replace(get_lesson("constant-gradient"), **changes)


def test_penalty_none_takes_no_strength():
    with pytest.raises(ValueError):
        Lesson("k", "t", "x", "diabetes", "none", lam=0.1)
    _, _, _, penalty, _, _ = Lesson("k", "t", "x", "diabetes", "none").build()
    assert penalty == Penalty.none()


# -- (a) the constant L1 gradient, the proportional L2 one ------------------------------
def test_constant_gradient_every_weight_moves_exactly_eta_lambda_toward_zero():
    lesson = get_lesson("constant-gradient")
    _, data, loss, penalty, _, tr = lesson.build()
    lam_max = lambda_max(data, loss)
    assert round(penalty.lam1, 1) == 9.0 and penalty.lam1 == 0.2 * lam_max
    move = tr.lr * penalty.lam1
    assert tr.lr == 1 / data.curvature  # eta = 1/L
    assert round(move, 2) == 2.24
    for step in range(1, 7):  # the loading step, then "press Step and it happens again"
        w, g = tr.w.copy(), data_gradient(tr)
        tr.step()
        z = w - tr.lr * g  # where the data step alone leaves each weight
        clamped = np.abs(z) <= move
        kept = ~clamped
        np.testing.assert_allclose(
            np.abs(z[kept]) - np.abs(tr.w[kept]), move, rtol=1e-9
        )
        assert (np.sign(tr.w[kept]) == np.sign(z[kept])).all()
        assert (tr.w[clamped] == 0.0).all()
        if step == 1:  # what the app shows after loading the lesson
            assert tr.n_zero == 2
            assert names_where(data, tr.w == 0.0) == {"sex", "ltg"}
            # "large or small alike": the kept weights range from about 5 to 35
            assert np.abs(tr.w[kept]).max() > 5 * np.abs(tr.w[kept]).min()


def test_constant_gradient_under_l2_the_push_is_proportional_to_the_weight():
    lesson = get_lesson("constant-gradient")
    _, data, _, _, _, tr = lesson.build()
    tr.step(lesson.steps)
    lam2 = 0.1 * data.curvature  # where the app's λ₂ slider starts
    assert round(lam2, 2) == 0.40
    tr.set_penalty(Penalty.l2(lam2))  # "click L2 and keep stepping"
    factor = 1 + tr.lr * lam2
    assert tr.lr == pytest.approx(1 / (data.curvature + lam2), rel=1e-12)
    assert round(factor, 2) == 1.09
    for _ in range(300):
        w, g = tr.w.copy(), data_gradient(tr)
        tr.step()
        z = w - tr.lr * g
        np.testing.assert_allclose(tr.w, z / factor, rtol=1e-12)
        # the shrink z - w_new is the same fraction of every weight
        np.testing.assert_allclose(z - tr.w, (factor - 1) / factor * z, rtol=1e-9)
        assert tr.n_zero == 0
    tr.step(700)
    steps = tr.history.steps
    assert (tr.history.scalar("n_zero")[steps > lesson.steps] == 0).all()
    assert tr.n_zero == 0


# -- (b) exact zeros: the clamp ---------------------------------------------------------
def test_exact_zeros_six_weights_are_clamped_and_stay():
    lesson, data, loss, penalty, tr = loaded("exact-zeros")
    assert penalty.lam1 == 0.2 * lambda_max(data, loss)
    zero = tr.w == 0.0
    assert tr.n_zero == 6
    assert names_where(data, zero) == {"age", "sex", "tc", "ldl", "tch", "glu"}
    exact = solve(data, loss, penalty)
    assert exact.converged
    np.testing.assert_array_equal(exact.w == 0.0, zero)  # the same six as Solve
    # the clamped weights stay: their data gradient at 0 is no larger than λ
    assert (np.abs(data_gradient(tr)[zero]) <= penalty.lam1).all()
    ev = tr.zero_events
    events = {tuple(e) for e in ev.events()}
    sex, tch = index(data, "sex"), index(data, "tch")
    ltg, hdl = index(data, "ltg"), index(data, "hdl")
    assert ev.first_zeroed[sex] == 1 and ev.times_revived[sex] == 0
    assert ev.events()[-1].tolist() == [27, tch, 1]  # the last to land
    assert max(e[0] for e in events if e[2] == 1) == 27
    # freed again: the data gradient was strong enough
    assert {(1, ltg, 1), (2, ltg, -1), (6, hdl, 1), (14, hdl, -1)} <= events
    assert ev.times_zeroed[ltg] == ev.times_revived[ltg] == 1
    assert ev.times_zeroed[hdl] == ev.times_revived[hdl] == 1
    steps, W = tr.history.steps, tr.history.weights()
    assert (W[(steps >= 6) & (steps < 14), hdl] == 0.0).all()
    assert W[steps == 14, hdl][0] < 0 < W[steps == 0, hdl][0]
    assert tr.w[hdl] < 0 and tr.w[ltg] > 0
    n_zero = tr.history.scalar("n_zero")
    assert (n_zero[steps >= 27] == 6).all() and n_zero[steps == 26][0] == 5
    # press Play: nothing changes any more
    total = ev.total
    tr.step(2000)
    assert ev.total == total and tr.n_zero == 6
    np.testing.assert_array_equal(tr.w == 0.0, zero)


def test_exact_zeros_an_irrelevant_weight_reaches_zero_in_finitely_many_steps():
    lesson, data, _, _, tr = loaded("exact-zeros")
    j = index(data, "age")
    first = tr.zero_events.first_zeroed[j]
    assert 0 < first <= lesson.steps
    W, steps = tr.history.weights(), tr.history.steps
    assert (W[steps < first, j] != 0.0).all() and (W[steps >= first, j] == 0.0).all()


# -- (c) the geometry: diamond corners, the smooth circle -------------------------------
def test_geometry_l1_optimum_is_on_a_corner_and_l2_has_no_zero():
    lesson, data, loss, penalty, tr = loaded("geometry")
    assert lesson.geometry == {
        "side_by_side": True,
        "view": "penalized",
        "source": "data",
    }
    lam = penalty.lam1
    assert lam == 0.5 * lambda_max(data, loss) and round(lam, 2) == 1.12
    assert data.true_coef[0] > 3 * data.true_coef[1] > 0  # strongly x1, weakly x2
    l1 = solve(data, loss, Penalty.l1(lam))
    l2 = solve(data, loss, Penalty.l2(lam))  # the L2 view uses the same λ
    en = solve(data, loss, Penalty.elastic_net(0.5 * lam, 0.5 * lam))  # ρ = 0.5 view
    assert l1.w[1] == 0.0 and l1.w[0] > 0
    assert np.round(l1.w, 2).tolist() == [1.12, 0.0]
    assert (l2.w != 0.0).all() and np.round(l2.w, 2).tolist() == [0.95, 0.51]
    assert (en.w != 0.0).all() and np.round(en.w, 2).tolist() == [0.98, 0.33]
    # the geometry pane's exact computation, from the trained state, agrees
    q = Quadratic.from_data(data.X, data.y, tr.w, tr.b, 0, 1, loss)
    corner = penalized_optimum(q, lam)
    assert corner[1] == 0.0
    np.testing.assert_allclose(corner, l1.w, atol=1e-8)
    disk = penalized_optimum(q, 0.0, lam)
    assert (disk != 0.0).all()
    np.testing.assert_allclose(disk, l2.w, atol=1e-8)
    # the training has walked onto the axis and stays
    assert tr.n_zero == 1 and tr.w[1] == 0.0
    assert tr.zero_events.first_zeroed[1] == 3 and tr.zero_events.times_revived[1] == 0
    np.testing.assert_allclose(tr.w, l1.w, atol=1e-8)


def test_geometry_below_042_lambda_max_the_optimum_leaves_the_corner():
    lesson = get_lesson("geometry")
    _, data, loss, _, _, _ = lesson.build()
    lam_max = lambda_max(data, loss)
    assert round(0.42 * lam_max, 2) == 0.94
    assert solve(data, loss, Penalty.l1(0.43 * lam_max)).w[1] == 0.0
    assert solve(data, loss, Penalty.l1(0.41 * lam_max)).w[1] != 0.0


def test_geometry_monte_carlo_l1_zero_share_grows_and_l2_is_zero():
    # the first 100 of the Monte Carlo panel's losses per dimension (same seed)
    res = run_monte_carlo(dims=(2, 5, 10), kinds=("l1", "l2"), n_samples=100, seed=0)
    l1 = [res.exact["l1"][d] for d in (2, 5, 10)]
    assert l1[0] < l1[1] < l1[2] or l1[0] < l1[1] == l1[2] == 1.0
    assert all(res.exact["l2"][d] == 0.0 for d in (2, 5, 10))


# -- (d) feature selection among 1,000 candidates ---------------------------------------
def test_feature_selection_keeps_about_50_of_1000_with_good_precision_and_recall():
    lesson, data, loss, penalty, tr = loaded("feature-selection")
    assert data.n_features == 1000 and lesson.sort_by_size
    truth = data.true_coef != 0
    assert truth.sum() == 50
    for name in ("sqft_living", "school_rating", "roof_age_years"):
        assert data.true_coef[index(data, name)] != 0
    for name in ("front_door_color_code", "listing_weekday"):
        assert data.true_coef[index(data, name)] == 0
    assert sum(n.startswith("noise_") for n in data.feature_names) == 900
    assert not truth[[n.startswith("noise_") for n in data.feature_names]].any()
    kept = tr.w != 0.0
    assert 40 <= kept.sum() <= 60
    assert kept.sum() == 48 and (tr.w == 0.0).sum() == 952 == tr.n_zero
    tp = int((kept & truth).sum())
    assert tp == 45
    assert f"{tp / kept.sum():.2f}" == "0.94"  # precision, as the weights pane prints
    assert f"{tp / truth.sum():.2f}" == "0.90"  # recall
    extras = names_where(data, kept & ~truth)
    assert extras == {"smart_thermostat", "carpet_share_pct", "outlet_count"}
    assert not any(name.startswith("noise_") for name in names_where(data, kept))
    missed = ~kept & truth
    assert missed.sum() == 5
    # true_coef is in dollars per standard deviation of each feature
    assert np.abs(data.true_coef[missed]).max() == pytest.approx(6000, rel=1e-9)
    # rows turn grey early: most weights are exactly 0 by step 100
    steps = tr.history.steps
    assert tr.history.scalar("n_zero")[steps == 100][0] >= 900
    # the kept set stopped changing at step 222, and stays so
    assert tr.zero_events.events()[:, 0].max() == 222
    total = tr.zero_events.total
    tr.step(1000)
    assert tr.zero_events.total == total
    # and it is the exact Lasso solution's selection
    exact = solve(data, loss, penalty)
    np.testing.assert_array_equal(exact.w != 0.0, kept)


def test_feature_selection_l2_zeroes_nothing():
    lesson, data, _, _, tr = loaded("feature-selection")
    tr.set_penalty(Penalty.l2(0.1 * data.curvature))  # the app's L2 default
    tr.step()
    assert tr.n_zero == 0
    tr.step(300)
    steps = tr.history.steps
    assert (tr.history.scalar("n_zero")[steps > lesson.steps] == 0).all()
    assert tr.n_zero == 0


# -- (e) correlated groups: L1 vs L2 vs Elastic Net -------------------------------------
GROUPS = {g: [f"{g}{k}" for k in (1, 2, 3)] for g in "ABCD"}


def test_correlated_groups_are_correlated_about_09():
    dataset, data, *_ = get_lesson("correlated-features").build()
    C = np.corrcoef(data.X.T)
    for g in "AB":
        idx = [index(data, name) for name in GROUPS[g]]
        inside = C[np.ix_(idx, idx)][np.triu_indices(3, 1)]
        assert ((inside > 0.85) & (inside < 0.95)).all()
    # in the units of the raw features, as the text states them
    np.testing.assert_array_equal(dataset.true_coef[:6], [3, 3, 3, -2, -2, -2])
    assert (dataset.true_coef[6:] == 0).all() and data.n_features == 20


def test_correlated_elastic_net_keeps_the_groups_l1_keeps_one_member():
    lesson, data, loss, penalty, tr = loaded("correlated-features")
    lam_max = lambda_max(data, loss)
    assert penalty.lam1 == 0.45 * lam_max and penalty.lam2 == 1.0 * data.curvature
    assert round(penalty.alpha, 2) == 6.85 and round(penalty.rho, 2) == 0.49
    true_six = set(GROUPS["A"] + GROUPS["B"])
    # what the app shows after the lesson's steps
    assert tr.n_zero == 14
    assert names_where(data, tr.w != 0.0) == true_six
    a = np.array([tr.w[index(data, n)] for n in GROUPS["A"]])
    assert ((a > 0.6) & (a < 0.7)).all()
    # the exact optima: Elastic Net, then ρ = 1 (L1) and ρ = 0 (L2) at the same α
    en = solve(data, loss, penalty)
    l1 = solve(data, loss, Penalty.from_alpha_rho(penalty.alpha, 1.0))
    l2 = solve(data, loss, Penalty.from_alpha_rho(penalty.alpha, 0.0))
    assert names_where(data, en.w != 0.0) == true_six
    assert names_where(data, l1.w != 0.0) == {"A1"}
    assert (l2.w != 0.0).all()

    def kept(w, g):
        return sum(w[index(data, n)] != 0.0 for n in GROUPS[g])

    for g in "AB":
        assert kept(l1.w, g) < kept(en.w, g) == 3
    assert kept(l1.w, "A") == 1


def test_correlated_in_the_app_rho_1_then_play_keeps_only_a1_and_rho_0_keeps_all():
    lesson, data, loss, penalty, tr = loaded("correlated-features")
    twin = Trainer(data, loss=loss, penalty=penalty, seed=lesson.seed)
    twin.step(lesson.steps)
    tr.set_penalty(Penalty.from_alpha_rho(penalty.alpha, 1.0))
    tr.step(1000)  # Play
    assert names_where(data, tr.w != 0.0) == {"A1"} and tr.n_zero == 19
    twin.set_penalty(Penalty.from_alpha_rho(penalty.alpha, 0.0))
    twin.step(1)
    assert twin.n_zero == 0
    twin.step(500)
    assert twin.n_zero == 0


# -- (f) naive subgradient vs the clamp ---------------------------------------------------
SIX = ("age", "sex", "tc", "ldl", "tch", "glu")


def test_subgradient_weights_chatter_and_are_never_exactly_zero():
    lesson = get_lesson("subgradient-chatter")
    _, data, loss, penalty, _, tr = lesson.build()
    assert penalty.lam1 == 0.2 * lambda_max(data, loss)
    assert round(tr.lr * penalty.lam1, 2) == 2.24
    assert round(0.8 - tr.lr * penalty.lam1, 2) == -1.44  # the text's example
    W = []
    for _ in range(lesson.steps):
        tr.step()
        W.append(tr.w.copy())
    W = np.array(W)
    assert (W == 0.0).sum() == 0 and tr.n_zero == 0
    assert (tr.history.scalar("n_zero") == 0).all()
    last = W[-100:]
    for name in SIX:
        j = index(data, name)
        flips = (np.diff(np.sign(last[:, j])) != 0).sum()
        assert flips >= 20, (name, flips)
        assert np.abs(last[:, j]).max() < 6
    # the clamp finds exactly these six zeros
    exact = solve(data, loss, penalty)
    assert names_where(data, exact.w == 0.0) == set(SIX)


def test_subgradient_switching_to_the_clamp_zeroes_the_six_within_4_steps():
    lesson, data, _, _, tr = loaded("subgradient-chatter")
    start = tr.step_count
    tr.set_rule("proximal")
    tr.step(4)
    first = max(tr.zero_events.last_zeroed[index(data, name)] for name in SIX)
    assert tr.n_zero == 6 and start < first <= start + 4
    assert names_where(data, tr.w == 0.0) == set(SIX)
    tr.step(500)
    assert names_where(data, tr.w == 0.0) == set(SIX)
    for name in SIX:  # zero since landing within the first 4 clamp steps
        assert start < tr.zero_events.is_zero_since(index(data, name)) <= start + 4


def test_which_lambda_cv_min_and_1se_keep_9_and_6_features():
    from engine.path import cv_for, path_for
    from engine.run import execute

    lesson = get_lesson("which-lambda")
    run = execute(lesson.start())
    s, data = run.settings, run.data
    path = path_for(s, data)
    cv = cv_for(s, data, path=path)
    lam_max = path.alphas[0]
    assert s.lam1 == cv.alpha_1se  # the app sits at λ_1se …
    assert run.solution.converged  # … solved there
    names = data.feature_names
    kept = [names[j] for j in np.flatnonzero(run.trainer.w)]
    assert kept == ["sex", "bmi", "bp", "hdl", "ltg", "glu"]
    i_min, i_1se = cv.index_min, cv.index_1se
    assert f"{cv.alpha_min / lam_max:.2g}" == "0.0017"
    assert f"{cv.alpha_1se / lam_max:.2g}" == "0.087"
    assert np.count_nonzero(path.coefs[i_min]) == 9
    assert np.count_nonzero(path.coefs[i_1se]) == 6
    assert f"{cv.mean[i_min]:,.0f} ± {cv.se[i_min]:.0f}" == "2,992 ± 71"
    assert f"{cv.mean[i_1se]:,.0f}" == "3,055"
    assert cv.mean[i_1se] <= cv.mean[i_min] + cv.se[i_min]  # within one SE
    # λ_min frees three more weights (9 − 6) and the error moves less than one SE
    assert cv.mean[i_1se] - cv.mean[i_min] < cv.se[i_min]
    # toward λ_max the weights leave one by one and the error climbs to 5,942
    assert np.all(np.diff(cv.mean[: i_1se + 1]) < 0)
    assert f"{cv.mean[0]:,.0f}" == "5,942" and path.n_nonzero[0] == 0


def test_why_regularize_no_penalty_overfits_l2_calms_l1_keeps_three_powers():
    from engine.fit import fit_facts
    from engine.run import execute

    lesson = get_lesson("why-regularize")
    run = execute(lesson.start())
    data, tr = run.data, run.trainer
    assert data.dataset.polynomial_degree == 15 and data.n_features == 15
    assert data.X.shape[0] == 30 and data.X_val.shape[0] == 60
    assert run.settings.penalty == "none" and run.solution.converged
    f = fit_facts(data, "squared", tr.w, tr.b)
    # as the Fit pane and the summary print them (engine.fit.FitFacts.text)
    assert "training MSE 0.03395" in f.text and f.train.error < 0.09
    assert "held-out MSE 0.2265, R² 0.364" in f.text
    assert f"{np.abs(tr.w).max():,.0f}" == "1,850"
    l2 = solve(data, "squared", Penalty.l2(0.01), tol=1e-12)
    f2 = fit_facts(data, "squared", l2.w, l2.b)
    assert "held-out MSE 0.121," in f2.text
    assert np.count_nonzero(l2.w) == 15 and f"{np.abs(l2.w).max():.1f}" == "1.5"
    l1 = solve(data, "squared", Penalty.l1(0.02), tol=1e-12)
    f1 = fit_facts(data, "squared", l1.w, l1.b)
    assert f1.powers == (1, 2, 3) and (l1.w == 0.0).sum() == 12
    assert "held-out MSE 0.09819," in f1.text
    assert f1.held_out.error < f2.held_out.error < f.held_out.error


def test_early_stopping_gradient_descent_follows_the_ridge_path():
    from engine.early_stopping import SHOWN_RECORDS, SHOWN_STEPS, early_stopping

    lesson = get_lesson("early-stopping")
    run = lesson.start()
    data = run.data
    assert run.settings.path.alpha_min_ratio == 1e-5
    assert lesson.path_view == {"x": "norm", "early": True}
    es = early_stopping(data, SHOWN_STEPS, count=SHOWN_RECORDS)  # the pane's
    assert es.steps[-1] == 5000
    assert f"{es.distance[es.steps >= 3].max():.0%}" == "16%"
    at = dict(zip(es.steps.tolist(), range(es.steps.size), strict=True))
    assert f"{es.lam2[at[10]]:.2g}" == "0.61"
    assert f"{es.heuristic_lam2[at[10]]:.2g}" == "0.77"
    k = int(np.searchsorted(es.steps, 1000))
    assert es.steps[k] == 1063 and f"{es.lam2[k]:.2g}" == "0.0054"
    # choose None, Reset, Play: the validation loss of the app's own run
    from engine.run import start_run

    s = run.settings.replace(penalty="none", steps=0, solve=False)
    tr = start_run(s).trainer
    val = [tr.validation_loss()]
    for _ in range(600):
        tr.step(1)
        val.append(tr.validation_loss())
    val = np.array(val)
    best = int(np.argmin(val))
    assert best == 133 and f"{val[best]:.3g}" == "0.0554"
    assert f"{val[500]:.3g}" == "0.069"
    assert np.all(np.diff(tr.history.scalar("data_loss")) <= 1e-15)  # keeps falling
    done = solve(data, "squared", Penalty.none(), tol=1e-12)
    b_val = data.X_val @ done.w + done.b - data.y_val
    assert f"{0.5 * np.mean(b_val**2):.4g}" == "0.1132"
