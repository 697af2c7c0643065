"""The validation loss, computed when asked for, is the direct computation's number
at every recorded step (no Qt)."""

import copy

import numpy as np
import pytest

from engine import Penalty, Trainer, lambda_max, prepare

from .problems import classification, regression


def direct(data, loss, w, b):
    """The loss of X_val w + b, computed the plain way."""
    return loss.value(data.X_val @ w + b, data.y_val)


def run_and_watch(data, loss, penalty, steps, **kw):
    """Train ``steps`` steps, noting the direct validation loss after each."""
    tr = Trainer(data, loss=loss, penalty=penalty, **kw)
    seen = {0: direct(data, tr.loss, tr.w, tr.b)}
    for _ in range(steps):
        tr.step()
        seen[tr.step_count] = direct(data, tr.loss, tr.w, tr.b)
    return tr, seen


@pytest.mark.parametrize(
    "loss, make, kind",
    [
        ("squared", lambda: regression(150, 40, k=4), "l1"),
        ("squared", lambda: regression(150, 40, k=4), "l2"),
        ("logistic", lambda: classification(200, 12), "l1"),
    ],
)
def test_recorded_validation_losses_equal_the_direct_computation(loss, make, kind):
    data = prepare(make(), validation=0.25)
    lam = 0.2 * lambda_max(data, loss)
    pen = Penalty.l1(lam) if kind == "l1" else Penalty.l2(lam)
    tr, seen = run_and_watch(data, loss, pen, 120)
    steps = tr.history.steps
    expected = np.array([seen[int(s)] for s in steps])
    np.testing.assert_allclose(tr.history.scalar("val_loss"), expected, rtol=1e-12)
    assert tr.history.latest["val_loss"] == pytest.approx(seen[120], rel=1e-12)
    assert tr.validation_loss() == pytest.approx(seen[120], rel=1e-12)
    if kind == "l1":
        assert tr.n_zero > 0  # the sparse product was exercised


def test_validation_losses_survive_decimation_and_asking_in_between():
    data = prepare(regression(150, 40, k=4), validation=0.25)
    pen = Penalty.l1(0.1 * lambda_max(data, "squared"))
    tr = Trainer(data, penalty=pen, history_capacity=16)
    seen = {0: direct(data, tr.loss, tr.w, tr.b)}
    for i in range(200):
        tr.step()
        seen[tr.step_count] = direct(data, tr.loss, tr.w, tr.b)
        if i % 37 == 0:  # a pane drawing now and then
            tr.history.scalar("val_loss")
    assert tr.history.stride > 1
    expected = [seen[int(s)] for s in tr.history.steps]
    np.testing.assert_allclose(tr.history.scalar("val_loss"), expected, rtol=1e-12)


def test_a_copy_computes_its_own_pending_losses():
    data = prepare(regression(150, 40, k=4), validation=0.25)
    tr = Trainer(data, penalty=Penalty.l2(0.01))
    tr.step(10)
    twin = tr.copy()
    twin.step(5)
    assert len(tr.history.scalar("val_loss")) == 11
    assert len(twin.history.scalar("val_loss")) == 16
    np.testing.assert_allclose(
        twin.history.scalar("val_loss")[:11], tr.history.scalar("val_loss"), rtol=1e-12
    )
    deep = copy.deepcopy(twin.history)
    np.testing.assert_array_equal(
        deep.scalar("val_loss"), twin.history.scalar("val_loss")
    )


def test_without_a_validation_split_the_loss_is_nan():
    data = prepare(regression(60, 5))
    tr = Trainer(data)
    tr.step(3)
    assert np.isnan(tr.history.scalar("val_loss")).all()
    assert np.isnan(tr.validation_loss())
