"""Steps taken many at a time on a fixed support are the plain steps' run: the same
iterates to rounding, the same zeros, zero events, history and divergence; and the
same bits however the steps are grouped into calls (no Qt)."""

import time

import numpy as np
import pytest

from engine import Penalty, Trainer, lambda_max, prepare
from engine.fixed_support import FixedSupportBlock, FixedSupportSteps
from engine.gram import GramKernel
from engine.history import History

from .problems import classification, regression

#: Iterates of the two ways agree to this, relative to the largest weight.
RTOL = 1e-12


def plain(tr: Trainer) -> Trainer:
    """``tr`` with every step taken the plain way, one at a time."""
    tr._fixed = None  # the trainer's only switch; None when there is no Gram matrix
    return tr


def problem(validation):
    return prepare(regression(300, 80, k=6, rho=0.4, seed=3), validation=validation)


def penalties(data):
    lam = lambda_max(data, "squared")
    return {
        "l1": Penalty.l1(0.1 * lam),
        "l2": Penalty.l2(0.1 * lam),
        "elasticnet": Penalty.elastic_net(0.08 * lam, 0.05 * lam),
    }


def assert_same_run(a: Trainer, b: Trainer) -> None:
    scale = max(np.abs(b.w).max(), abs(b.b), 1.0)
    assert a.step_count == b.step_count
    np.testing.assert_allclose(a.w, b.w, rtol=0, atol=RTOL * scale)
    assert a.b == pytest.approx(b.b, rel=RTOL, abs=RTOL * scale)
    np.testing.assert_array_equal(a.w == 0.0, b.w == 0.0)
    assert a.n_zero == b.n_zero
    np.testing.assert_array_equal(a.zero_events.events(), b.zero_events.events())
    for name in ("times_zeroed", "times_revived", "first_zeroed", "last_zeroed"):
        np.testing.assert_array_equal(
            getattr(a.zero_events, name), getattr(b.zero_events, name)
        )
    ha, hb = a.history, b.history
    np.testing.assert_array_equal(ha.steps, hb.steps)
    Wa, Wb = ha.weights(), hb.weights()
    np.testing.assert_array_equal(Wa == 0.0, Wb == 0.0)
    np.testing.assert_allclose(Wa, Wb, rtol=0, atol=RTOL * scale)
    np.testing.assert_array_equal(ha.scalar("n_zero"), hb.scalar("n_zero"))
    for name in ("data_loss", "penalty", "objective", "val_loss"):
        np.testing.assert_allclose(
            ha.scalar(name), hb.scalar(name), rtol=RTOL, atol=1e-300
        )
    assert a.objective == pytest.approx(b.objective, rel=RTOL)
    assert (a.divergence is None) == (b.divergence is None)


@pytest.mark.parametrize("validation", [0.0, 0.25])
@pytest.mark.parametrize("kind", ["l1", "l2", "elasticnet"])
def test_many_steps_at_once_are_the_plain_run(kind, validation):
    data = problem(validation)
    pen = penalties(data)[kind]
    fast = Trainer(data, penalty=pen, seed=4)
    slow = plain(Trainer(data, penalty=pen, seed=4))
    for k in (1, 5, 300, 1000):
        fast.step(k)
        slow.step(k)
        assert_same_run(fast, slow)
    # the fixed support did the work (L1 and Elastic Net): a handful of supports
    formed = fast._fixed.supports_formed
    assert (formed > 0) == (pen.lam1 > 0) and formed < 50


@pytest.mark.parametrize("validation", [0.0, 0.25])
def test_changes_between_calls_give_the_plain_run(validation):
    data = problem(validation)
    pens = penalties(data)
    fast = Trainer(data, penalty=pens["l1"], seed=1)
    slow = plain(Trainer(data, penalty=pens["l1"], seed=1))
    lr = fast.lr_safe
    changes = [
        ("set_penalty", pens["elasticnet"]),
        ("set_lr", 0.5 * lr),
        ("set_penalty", Penalty.l1(0.3 * lambda_max(data, "squared"))),
        ("set_lr", "auto"),
        ("set_penalty", pens["l2"]),
        ("set_penalty", pens["l1"]),
        ("set_lr", 1.5 * lr),
    ]
    for name, value in changes:
        fast.step(400)
        slow.step(400)
        assert_same_run(fast, slow)
        getattr(fast, name)(value)
        getattr(slow, name)(value)
    fast.step(400)
    slow.step(400)
    assert_same_run(fast, slow)


def test_the_run_is_the_same_bits_however_the_steps_are_grouped():
    data = problem(0.25)
    pens = penalties(data)
    runs = []
    for sizes in ([1500], [1] * 1500, [7, 300, 1, 1, 64, 1127]):
        tr = Trainer(data, penalty=pens["l1"], seed=2)
        for k in sizes:
            tr.step(k)
        tr.set_penalty(pens["elasticnet"])
        tr.step(200)
        runs.append(tr)
    a = runs[0]
    for b in runs[1:]:
        np.testing.assert_array_equal(a.w, b.w)
        assert a.b == b.b
        np.testing.assert_array_equal(a.history.weights(), b.history.weights())
        np.testing.assert_array_equal(a.zero_events.events(), b.zero_events.events())


@pytest.mark.parametrize("settle", [0, 2000])
@pytest.mark.parametrize("factor", [2.5, 10.0, 100.0])
def test_a_too_large_step_size_stops_at_the_same_step_with_the_same_reason(
    factor, settle
):
    data = problem(0.0)
    pen = penalties(data)["l1"]
    fast = Trainer(data, penalty=pen, seed=5)
    slow = plain(Trainer(data, penalty=pen, seed=5))
    fast.step(settle)  # a settled support: the fixed support's steps
    slow.step(settle)
    for tr in (fast, slow):
        # away from the optimum of the new penalty (at the old one, only rounding
        # noise would seed the growth, and noise is all the two runs differ by)
        tr.set_penalty(Penalty.l1(0.01 * pen.lam1))
        tr.set_lr(factor * tr.lr_safe)
    assert fast.step(5000) == slow.step(5000) < 5000
    assert fast.divergence == slow.divergence is not None
    assert_same_run(fast, slow)


def test_a_block_stops_before_the_first_step_over_the_bound():
    data = problem(0.0)
    pen = penalties(data)["l1"]
    tr = Trainer(data, penalty=pen, seed=5)
    tr.step(2000)
    kernel = FixedSupportSteps(GramKernel(data))
    kw = {"eta": 2 * tr.lr, "lam1": pen.lam1, "lam2": 0.0}  # at 2/L: no descent
    free = kernel.run(tr.w, tr.b, 50, bound=np.inf, **kw)
    objective = free.data_loss + free.penalty
    bound = np.median(objective)
    block = kernel.run(tr.w, tr.b, 50, bound=bound, **kw)
    assert not free.stopped and block.stopped
    assert block.steps == np.argmax(objective > bound)
    np.testing.assert_array_equal(block.weights, free.weights[: block.steps])


def test_the_time_budget_is_honoured():
    data = problem(0.25)
    tr = Trainer(data, penalty=penalties(data)["l1"])
    tr.step(500)
    t = time.perf_counter()
    done = tr.step(10**7, time_budget=0.05)
    assert time.perf_counter() - t < 0.5
    assert 0 < done < 10**7 and tr.step_count == 500 + done
    assert tr.history.steps[-1] == tr.step_count


@pytest.mark.parametrize(
    "make",
    [
        lambda d: Trainer(d, penalty=Penalty.l1(0.05), batch_size=32, seed=3),
        lambda d: Trainer(d, penalty=Penalty.l1(0.05), rule="subgradient", seed=3),
    ],
)
def test_mini_batches_and_the_subgradient_rule_take_plain_steps(make):
    data = problem(0.0)
    fast, slow = make(data), plain(make(data))
    fast.step(300)
    slow.step(300)
    np.testing.assert_array_equal(fast.w, slow.w)
    assert fast.b == slow.b and fast._fixed.supports_formed == 0


def test_logistic_training_has_no_fixed_support_kernel():
    tr = Trainer(
        prepare(classification(200, 12)), loss="logistic", penalty=Penalty.l1(0.05)
    )
    assert tr._fixed is None
    assert tr.step(200) == 200


def test_a_block_is_recorded_as_its_steps_one_by_one():
    rng = np.random.default_rng(0)
    d, S = 12, np.array([1, 4, 5, 9])

    def validation(W, b):
        return (W**2).sum(axis=1) + b

    one, many = History(d, 8, validation), History(d, 8, validation)
    for h in (one, many):
        h.record(0, np.zeros(d), 0.5, 3.0, 0.0, d)
    step = 0
    for m in (3, 1, 10, 40, 2, 77):
        W = rng.standard_normal((m, S.size))
        b, loss, pen = rng.standard_normal((3, m))
        for i in range(m):
            w = np.zeros(d)
            w[S] = W[i]
            one.record(step + 1 + i, w, b[i], loss[i], pen[i], d - S.size)
        block = FixedSupportBlock(S, W, b, loss, pen, stopped=False)
        many.record_block(step + 1, block, d - S.size, w)
        step += m
        for h in (one, many):
            assert h.latest["step"] == step
        np.testing.assert_array_equal(one.steps, many.steps)
        np.testing.assert_array_equal(one.weights(), many.weights())
        for name in ("data_loss", "penalty", "objective", "val_loss", "n_zero"):
            np.testing.assert_array_equal(one.scalar(name), many.scalar(name))
        assert one.stride == many.stride
    assert one.stride > 8
