"""The compare pane, driven as a user does: the λ choice, Play and Step, Reset and
Solve; what it draws is the engine's comparison, step for step."""

import numpy as np
from PySide6 import QtCore, QtTest

from engine.compare import COMPARED_KINDS, compare
from engine.run import start_run


def shown(window):
    """The Compare tab in front, its comparison computed and following the run."""
    window.grid.show_pane("compare")
    window.session.compare_model.wait()
    QtTest.QTest.qWait(10)
    pane = window.panes["compare"]
    pane.refresh_now()
    return pane


def drawn(pane, kind):
    """The weights one column draws, by feature (0 where a hollow circle is)."""
    items = pane.items[kind]
    w = {}
    for key, sign in (("pos", 1), ("neg", -1)):
        at = np.asarray(items[key].opts["y"], dtype=int)
        for i, width in zip(at, np.asarray(items[key].opts["width"]), strict=True):
            w[int(pane._order[i])] = sign * float(width)
    xs, ys = items["zero"].getData()
    assert np.all(xs == 0)
    for i in ys.astype(int):
        w[int(pane._order[i])] = 0.0
    return w, {int(pane._order[i]) for i in ys.astype(int)}


def test_nothing_is_computed_while_the_compare_tab_is_behind_the_weights(make_window):
    w = make_window("--dataset", "correlated")
    w.session.step(20)
    QtTest.QTest.qWait(300)
    assert w.session.compare_model.started == 0
    assert w.session.compare_model.comparison is None


def test_the_pane_draws_the_engines_comparison_and_its_table(make_window):
    w = make_window("--dataset", "correlated")
    w.session.step(40)
    pane = shown(w)
    comp = w.session.compare_model.comparison
    assert w.session.compare_model.started == 1
    # the engine's own comparison of the same settings gives the same strengths
    s = w.session.settings
    ref = compare(s, w.session.dataset, w.session.data)
    for kind in COMPARED_KINDS:
        assert comp.strengths[kind].alpha == ref.strengths[kind].alpha
        assert comp.runs[kind].trainer.step_count == 40
    # every feature drawn (20 ≤ 30), groups together; exact zeros are circles
    assert sorted(pane._order.tolist()) == list(range(20))
    for kind in COMPARED_KINDS:
        weights, zeros = drawn(pane, kind)
        tr = comp.runs[kind].trainer
        assert zeros == set(np.flatnonzero(tr.w == 0.0).tolist())
        for j, v in weights.items():
            assert abs(v) == abs(tr.w[j])
    assert pane.cells[1:] == [r.cells() for r in comp.rows()]
    assert pane.cells[1][3] == f"{comp.runs['l1'].trainer.n_zero} of 20"
    assert pane.cells[2][3] == "0 of 20"  # L2 never lands on 0
    assert "held-out MSE" in pane.cells[0]
    # four groups: a band per column, a name and a bracket
    assert len(pane.group_column.items) == 4 * (3 + 2)
    assert pane.group_column.labels() == ["A1–A3", "B1–B3", "C1–C3", "D1–D3"]


def test_choosing_how_lambda_is_chosen_edits_the_settings_and_redraws(
    qtbot, make_window
):
    w = make_window("--dataset", "correlated")
    pane = shown(w)
    before = list(pane.cells)
    box = pane.lambda_box
    box.setCurrentIndex(box.findData("same"))
    box.activated.emit(box.currentIndex())  # what a user's choice sends
    assert w.session.settings.lab.compare_lambda == "same"
    qtbot.waitUntil(lambda: w.session.compare_model.is_current(), timeout=20_000)
    pane = shown(w)
    comp = w.session.compare_model.comparison
    alpha = w.session.settings.lam1
    assert all(comp.strengths[k].alpha == alpha for k in COMPARED_KINDS)
    assert pane.cells != before
    assert pane.cells[1][1] == f"λ₁ = {alpha:.3g}"
    # ρ of the compared Elastic Net is a run setting too
    pane.rho_spin.setValue(0.3)
    assert w.session.settings.lab.compare_l1_ratio == 0.3
    pane = shown(w)
    en = w.session.compare_model.comparison.strengths["elasticnet"].penalty
    assert en.rho == np.float64(0.3) or abs(en.rho - 0.3) < 1e-12


def test_play_step_reset_and_solve_move_the_three_runs_in_lock_step(qtbot, make_window):
    w = make_window("--dataset", "correlated")
    s = w.session
    pane = shown(w)
    model = s.compare_model
    comp = model.comparison
    l1_at_0 = drawn(pane, "l1")[0]
    s.step(10)
    assert all(comp.runs[k].trainer.step_count == 10 for k in COMPARED_KINDS)
    assert drawn(pane, "l1")[0] != l1_at_0
    s.play()
    qtbot.waitUntil(lambda: s.trainer.step_count > 200, timeout=10_000)
    s.pause()
    qtbot.waitUntil(lambda: comp.at(s.trainer.step_count, False), timeout=10_000)
    pane.refresh_now()
    # the same run as stepping each penalty alone from the same seed
    for kind in COMPARED_KINDS:
        alone = start_run(comp.runs[kind].settings)
        alone.trainer.step(s.trainer.step_count)
        np.testing.assert_array_equal(comp.weights(kind), alone.trainer.w)
        weights, zeros = drawn(pane, kind)
        assert len(zeros) == alone.trainer.n_zero
    s.reset()
    assert all(comp.runs[k].trainer.step_count == 0 for k in COMPARED_KINDS)
    s.solve()
    s.wait_for_solve()
    qtbot.waitUntil(lambda: comp.at(s.trainer.step_count, True), timeout=10_000)
    pane.refresh_now()
    for kind in COMPARED_KINDS:
        np.testing.assert_array_equal(comp.weights(kind), comp.solutions[kind].w)
    assert pane.cells[1:] == [r.cells() for r in comp.rows()]
    assert "solved" in pane.summary.text()


def test_houses_shows_the_most_important_features_and_says_how_many(make_window):
    w = make_window("--dataset", "houses", "--compare-lambda", "same")
    pane = shown(w)
    n = len(pane._order)
    assert 10 <= n <= 32 and n < 1000
    assert f"the {n} most important of 1000 features" in pane.summary.text()
    comp = w.session.compare_model.comparison
    top = np.argsort(-comp.importance(), kind="stable")[:10]
    assert set(top.tolist()) <= set(pane._order.tolist())


def test_a_new_rule_or_seed_starts_the_runs_anew_without_recomputing(
    qtbot, make_window
):
    w = make_window("--dataset", "correlated")
    s = w.session
    shown(w)
    model = s.compare_model
    first = model.comparison
    s.step(30)
    s.edit(rule="subgradient")
    assert model.started == 1 and model.is_current()
    comp = model.comparison
    assert comp is not first and comp.strengths is first.strengths
    assert all(comp.runs[k].trainer.rule == "subgradient" for k in COMPARED_KINDS)
    qtbot.waitUntil(lambda: comp.at(30, False), timeout=10_000)  # frame by frame
    # the naive subgradient rule chatters around zero: no exact zeros for L1 now
    assert comp.runs["l1"].trainer.n_zero == 0
    s.edit(lab=s.settings.lab.replace(compare_lambda="same"))
    assert not model.is_current()
    model.wait()
    assert model.started == 2 and model.is_current()


def test_a_figure_of_the_pane_behind_its_tab_shows_the_main_runs_step(make_window):
    """A recorded frame or an export draws the hidden pane: its redraw brings the
    compared runs to the main run's step first."""
    w = make_window("--dataset", "correlated")
    with w.figures.figure("compare") as pane:
        comp = w.session.compare_model.comparison
        for k in (7, 30):
            w.session.step(k)
            pane.refresh_now()
            step = w.session.trainer.step_count
            assert all(
                comp.runs[kind].trainer.step_count == step for kind in COMPARED_KINDS
            )
            assert f"step {step}" in pane.summary.text()
            assert "catching up" not in pane.summary.text()


def test_cancel_stops_the_computation_and_compute_starts_it_again(qtbot, make_window):
    """On houses choosing the strengths takes seconds: Cancel stops the worker,
    the pane says so and draws nothing stale, and nothing starts again on its own
    until Compute."""
    from gui.compare_model import CANCELLED
    from gui.worker import Worker

    w = make_window("--dataset", "houses")
    s = w.session
    model = s.compare_model
    w.grid.show_pane("compare")
    pane = w.panes["compare"]
    qtbot.waitUntil(lambda: model.busy and pane.cancel_button.isVisible(), timeout=5000)
    finished = []
    model._worker.finished.connect(lambda: finished.append(True))
    QtTest.QTest.mouseClick(pane.cancel_button, QtCore.Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not model.busy and bool(finished), timeout=10_000)
    assert not Worker.running()
    assert model.comparison is None and model.note == CANCELLED
    assert pane.stack.currentIndex() == 1 and "Cancelled" in pane.stack.message.text()
    assert not pane.cancel_button.isVisible() and pane.compute_button.isVisible()
    assert all(len(pane.items[k]["pos"].opts["y"]) == 0 for k in COMPARED_KINDS)
    s.edit(rule="subgradient")  # the same strengths: not computed again on its own
    QtTest.QTest.qWait(400)
    assert model.started == 1 and not model.busy
    QtTest.QTest.mouseClick(pane.compute_button, QtCore.Qt.MouseButton.LeftButton)
    assert model.busy and model.started == 2 and not pane.compute_button.isVisible()
    model.cancel()
    qtbot.waitUntil(lambda: not model.busy, timeout=10_000)


def test_compute_after_a_cancel_draws_the_comparison(qtbot, make_window):
    w = make_window("--dataset", "correlated")
    model = w.session.compare_model
    w.grid.show_pane("compare")
    model.cancel()  # before it started: it does not start
    QtTest.QTest.qWait(300)
    assert model.started == 0 and model.comparison is None
    model.compute()
    qtbot.waitUntil(lambda: model.is_current() and not model.busy, timeout=20_000)
    assert model.started == 1 and model.note == ""
    pane = w.panes["compare"]
    pane.refresh_now()
    assert pane.stack.currentIndex() == 0 and not pane.compute_button.isVisible()


def counted_cvs(monkeypatch):
    """The cross-validations the comparison computes itself, by penalty kind."""
    import engine.compare.strengths as strengths

    kinds = []
    real = strengths.cv_for

    def counting(settings, *args, **kwargs):
        kinds.append(settings.penalty)
        return real(settings, *args, **kwargs)

    monkeypatch.setattr(strengths, "cv_for", counting)
    return kinds


def test_the_run_penaltys_cv_is_the_path_models_not_computed_again(
    monkeypatch, make_window
):
    kinds = counted_cvs(monkeypatch)
    w = make_window("--dataset", "correlated")
    s = w.session
    s.path_model.wait("cv")
    assert s.path_model.started["cv"] == 1 and s.path_model.cv_is_current()
    shown(w)
    comp = s.compare_model.comparison
    own = s.settings.penalty
    assert comp.strengths[own].cv is s.path_model.cv
    assert sorted(kinds) == sorted(k for k in COMPARED_KINDS if k != own)
    assert s.path_model.started["cv"] == 1
    # the same strengths as computing all three afresh
    ref = compare(s.settings, s.dataset, s.data)
    for kind in COMPARED_KINDS:
        assert comp.strengths[kind].alpha == ref.strengths[kind].alpha


def test_the_comparison_waits_for_the_cv_the_path_model_is_computing(
    monkeypatch, qtbot, make_window
):
    kinds = counted_cvs(monkeypatch)
    w = make_window("--dataset", "correlated")
    s = w.session
    s.path_model.watch("someone", True)  # the CV pane on screen elsewhere
    qtbot.waitUntil(lambda: s.path_model.busy, timeout=5000)
    shown(w)
    assert s.path_model.started["cv"] == 1
    assert s.compare_model.comparison.strengths[s.settings.penalty].cv is (
        s.path_model.cv
    )
    assert len(kinds) == 2 and s.compare_model.started == 1
