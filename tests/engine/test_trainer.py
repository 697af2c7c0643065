import numpy as np
import pytest

from engine import Penalty, Trainer, prepare, solve
from engine.penalties import soft_threshold

from .problems import classification, regression


@pytest.fixture
def data():
    return prepare(regression(150, 20, seed=5), validation=0.2, seed=1)


def test_same_seed_gives_the_same_run_and_reset_restores_the_start(data):
    a = Trainer(data, penalty=Penalty.l1(0.1), seed=7)
    b = Trainer(data, penalty=Penalty.l1(0.1), seed=7)
    w0 = a.w.copy()
    a.step(50)
    b.step(50)
    np.testing.assert_array_equal(a.w, b.w)
    a.reset()
    np.testing.assert_array_equal(a.w, w0)
    assert a.step_count == 0 and len(a.history) == 1
    assert not np.array_equal(Trainer(data, seed=8).w, w0)


def test_one_step_matches_the_formula_computed_from_X(data):
    tr = Trainer(data, penalty=Penalty.elastic_net(0.2, 0.5), lr=0.05)
    w, b = tr.w.copy(), tr.b
    r = data.X @ w + b - data.y
    g = data.X.T @ r / data.n_samples
    tr.step()
    expect = soft_threshold(w - 0.05 * g, 0.05 * 0.2) / (1 + 0.05 * 0.5)
    np.testing.assert_allclose(tr.w, expect, rtol=1e-12, atol=1e-14)
    assert tr.b == pytest.approx(b - 0.05 * r.mean(), rel=1e-12)


def test_changing_parameters_between_steps_takes_effect_on_the_next_step(data):
    tr = Trainer(data, penalty=Penalty.l1(0.01))
    tr.step(20)
    twin = Trainer(data, penalty=Penalty.l1(0.01))
    twin.step(20)
    tr.set_penalty(Penalty.l1(0.5))
    tr.set_lr(0.01)
    tr.set_rule("subgradient")
    tr.step()
    twin.step()
    assert tr.step_count == 21  # no reset
    w_before = twin.history.weights()[-2].astype(float)
    assert not np.allclose(tr.w, twin.w)
    assert np.isfinite(w_before).all()


def test_auto_step_size_is_one_over_the_exact_lipschitz_constant(data):
    tr = Trainer(data, penalty=Penalty.l2(0.3))
    A = np.column_stack([data.X, np.ones(data.n_samples)]) / np.sqrt(data.n_samples)
    L = np.linalg.norm(A, 2) ** 2 + 0.3
    assert tr.lr == pytest.approx(1 / L, rel=1e-10)
    assert tr.lr_max == pytest.approx(2 / L, rel=1e-10)
    logistic = Trainer(prepare(classification()), loss="logistic")
    A = np.column_stack([logistic.data.X, np.ones(200)]) / np.sqrt(200)
    assert logistic.lipschitz == pytest.approx(np.linalg.norm(A, 2) ** 2 / 4, rel=1e-10)


@pytest.mark.parametrize("pen", [Penalty.l1(0.2), Penalty.elastic_net(0.1, 0.3)])
def test_gradient_descent_reaches_the_solved_optimum(data, pen):
    tr = Trainer(data, penalty=pen)
    tr.step(3000)
    ref = solve(data, "squared", pen, tol=1e-14)
    np.testing.assert_allclose(tr.w, ref.w, atol=1e-8)
    np.testing.assert_array_equal(tr.w == 0, ref.w == 0)
    assert tr.objective == pytest.approx(ref.objective, rel=1e-12)


def test_logistic_objective_decreases_every_step_at_one_over_L():
    data = prepare(classification())
    tr = Trainer(data, loss="logistic", penalty=Penalty.l1(0.02))
    tr.step(300)
    obj = tr.history.scalar("objective")
    assert (np.diff(obj) <= 1e-12).all()
    assert tr.n_zero > 0


def test_divergence_stops_with_a_reason_and_finite_weights(data):
    tr = Trainer(data, penalty=Penalty.l1(0.1))
    tr.set_lr(5 * tr.lr_max)
    done = tr.step(500)
    assert done < 500
    assert tr.divergence is not None
    assert "2/L" in tr.divergence.reason
    assert tr.divergence.suggested_lr == pytest.approx(tr.lr_safe)
    assert np.isfinite(tr.w).all() and np.isfinite(tr.objective)
    assert np.isfinite(tr.history.weights()).all()
    assert tr.step(10) == 0  # paused until the step size changes
    tr.set_lr("auto")
    assert tr.divergence is None
    assert tr.step(2000) == 2000
    ref = solve(data, "squared", Penalty.l1(0.1), tol=1e-12)
    assert tr.objective == pytest.approx(ref.objective, rel=1e-6)


def test_history_stays_bounded_and_covers_the_whole_run():
    data = prepare(regression(60, 5))
    tr = Trainer(data, penalty=Penalty.l1(0.05), history_capacity=64)
    tr.step(10_000)
    steps = tr.history.steps
    assert len(tr.history) <= 64
    assert steps[0] == 0 and steps[-1] == 10_000
    assert (np.diff(steps) > 0).all()
    assert tr.history.weights().shape == (len(steps), 5)
    assert tr.history.scalar("objective").shape == steps.shape


def test_history_records_losses_penalty_and_validation(data):
    tr = Trainer(data, penalty=Penalty.l1(0.1))
    tr.step(10)
    h = tr.history
    np.testing.assert_allclose(
        h.scalar("objective"), h.scalar("data_loss") + h.scalar("penalty")
    )
    val = data.X_val @ tr.w + tr.b - data.y_val
    assert h.scalar("val_loss")[-1] == pytest.approx(0.5 * np.mean(val**2))
    assert h.scalar("n_zero")[-1] == tr.n_zero


def test_zero_events_log_every_transition(data):
    tr = Trainer(data, penalty=Penalty.l1(0.3), seed=2)
    tr.step(400)
    W = tr.history.weights()
    zero = W == 0
    became = (~zero[:-1] & zero[1:]).sum(axis=0)
    left = (zero[:-1] & ~zero[1:]).sum(axis=0)
    np.testing.assert_array_equal(tr.zero_events.times_zeroed, became)
    np.testing.assert_array_equal(tr.zero_events.times_revived, left)
    ev = tr.zero_events.events()
    assert len(ev) == became.sum() + left.sum()
    for step, j, kind in ev:
        assert (W[step, j] == 0) == (kind == 1)


def test_minibatch_sgd_is_reproducible_and_learns(data):
    a = Trainer(data, penalty=Penalty.l1(0.05), batch_size=16, lr=0.02, seed=4)
    b = Trainer(data, penalty=Penalty.l1(0.05), batch_size=16, lr=0.02, seed=4)
    a.step(500)
    b.step(500)
    np.testing.assert_array_equal(a.w, b.w)
    start = a.history.scalar("objective")[0]
    assert a.objective < 0.2 * start


def test_bad_parameters_are_refused(data):
    tr = Trainer(data)
    for bad in (0, -1, float("nan"), "fast"):
        with pytest.raises(ValueError):
            tr.set_lr(bad)
    with pytest.raises(ValueError):
        tr.set_rule("adam")
    with pytest.raises(ValueError):
        tr.set_batch_size(0)
    with pytest.raises(ValueError):
        Trainer(data, loss="logistic")


def test_a_copy_continues_exactly_like_the_original_and_is_independent(data):
    tr = Trainer(data, penalty=Penalty.l1(0.05), batch_size=16, seed=3)
    tr.step(40)
    twin = tr.copy()
    tr.reset()
    assert tr.step_count == 0 and len(tr.history) == 1
    assert twin.step_count == 40 and len(twin.history) == 41
    ref = Trainer(data, penalty=Penalty.l1(0.05), batch_size=16, seed=3)
    ref.step(40)
    twin.step(25)  # the same mini-batches as a run that was never copied
    ref.step(25)
    np.testing.assert_array_equal(twin.w, ref.w)
    np.testing.assert_array_equal(twin.history.weights(), ref.history.weights())
    assert twin.zero_events.total == ref.zero_events.total
    assert tr.step_count == 0
