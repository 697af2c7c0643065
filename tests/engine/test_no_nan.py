"""No NaN, no wrong advice: huge values are refused naming the column, the history
stays finite, and a divergence names its real cause."""

import json
import warnings

import numpy as np
import pytest

from engine import Penalty, Trainer, prepare
from engine.csv import read_csv_text
from engine.data import DataError, Dataset
from engine.datasets import load_dataset
from engine.divergence import diagnose, is_divergent
from engine.session_file import SessionError, SessionRecord, read, write
from engine.settings import MAX_STEPS, RunSettings, SettingsError


def table(X, y, names=None):
    names = names or [f"x{j}" for j in range(X.shape[1])]
    lines = [",".join([*names, "price"])]
    lines += [
        ",".join(repr(float(v)) for v in (*r, t)) for r, t in zip(X, y, strict=True)
    ]
    return "\n".join(lines) + "\n"


@pytest.fixture
def linear():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((30, 3))
    y = X @ [1.0, 2.0, 3.0] + 0.1 * rng.standard_normal(30)
    return X, y


@pytest.mark.parametrize("size", [1e200, 1e300])
def test_a_target_whose_squares_overflow_is_refused_naming_the_column(linear, size):
    X, y = linear
    with pytest.raises(DataError, match="target 'price'.*squares overflow"):
        read_csv_text(table(X, y * size))


def test_a_huge_raw_feature_is_refused_naming_it_but_standardized_it_trains(linear):
    X, y = linear
    X = X.copy()
    X[:, 1] *= 1e300
    ds, _ = read_csv_text(table(X, y, ["a", "big", "c"]))
    with pytest.raises(DataError, match="raw feature 'big'.*standardize"):
        prepare(ds, standardize=False)
    tr = Trainer(prepare(ds), penalty=Penalty.l1(0.01))
    tr.step(200)
    assert np.isfinite(tr.w).all() and np.isfinite(tr.objective)


def test_the_dataset_itself_refuses_an_overflowing_target(linear):
    X, y = linear
    with pytest.raises(DataError, match="target 'y'"):
        Dataset(X, y * 1e250, ("a", "b", "c"))


def test_the_largest_accepted_values_give_finite_numbers_without_warnings(linear):
    X, y = linear
    ds = Dataset(X * 1e74, y * (1e75 / np.abs(y).max()), ("a", "b", "c"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an overflow would raise here
        for standardize in (True, False):
            tr = Trainer(prepare(ds, standardize=standardize), penalty=Penalty.l1(1))
            tr.step(50)
            assert tr.divergence is None and np.isfinite(tr.objective)


def test_the_history_of_a_target_near_1e50_stays_finite(linear):
    """float32 snapshots overflowed to inf beyond 3.4e38."""
    X, y = linear
    tr = Trainer(prepare(Dataset(X, y * 1e50, ("a", "b", "c"))))
    tr.step(20)
    W = tr.history.weights()
    assert np.isfinite(W).all() and np.abs(W).max() > 1e49
    assert W[-1] == pytest.approx(tr.w)


def test_a_divergence_from_a_too_large_step_suggests_one_over_l():
    tr = Trainer(prepare(load_dataset("diabetes")))
    tr.set_lr(3 * tr.lr_max)
    tr.step(10)
    assert "Try η = 1/L" in tr.divergence.reason
    assert tr.divergence.suggested_lr == pytest.approx(tr.lr_safe)


def test_a_divergence_at_a_safe_step_size_names_a_huge_lambda_instead():
    data = prepare(load_dataset("diabetes"))
    tr = Trainer(data, penalty=Penalty.l1(1e300), rule="subgradient")
    tr.step(5)
    div = tr.divergence
    assert div is not None and tr.lr <= tr.lr_safe
    assert "λ = 1e+300 is too large" in div.reason
    assert "Try η" not in div.reason and div.suggested_lr is None


def test_a_divergence_of_the_subgradient_rule_blames_its_fixed_moves():
    data = prepare(load_dataset("diabetes"))
    tr = Trainer(data, penalty=Penalty.l1(1e6), rule="subgradient")
    tr.step(5)
    assert tr.divergence is not None
    assert "subgradient rule moves every weight" in tr.divergence.reason
    assert tr.divergence.suggested_lr is None


def test_rounding_noise_near_an_exact_fit_is_not_a_divergence():
    """An objective near 1e-27 may grow a thousandfold by rounding alone: growth
    below the noise floor (a billionth of the null model's objective) is not a
    divergence, a real explosion still is."""
    assert not is_divergent(2e-16, True, reference=1e-27, floor=1e-9)
    assert is_divergent(2e-5, True, reference=1e-27, floor=1e-9)
    assert is_divergent(2e-16, True, reference=1e-27, floor=0.0)
    assert is_divergent(float("nan"), True, reference=1.0, floor=1e-9)
    assert is_divergent(1.0, False, reference=1.0, floor=1e-9)


def test_a_trainer_at_an_exact_fit_keeps_stepping():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((40, 3))
    y = X @ [1.0, -2.0, 0.5]  # fitted exactly: the minimum is 0
    tr = Trainer(prepare(Dataset(X, y, ("a", "b", "c"))))
    tr.step(3000)
    tr.set_lr(0.9 * tr.lr_safe)  # the reference becomes the noise-level objective
    assert tr.step(3000) == 3000 and tr.divergence is None
    assert abs(tr.objective) < 1e-12


def test_init_scale_must_be_finite_and_moderate():
    data = prepare(load_dataset("diabetes"))
    for bad in (1e308, float("inf"), 0.0, -1.0):
        with pytest.raises(ValueError, match="init_scale"):
            Trainer(data, init_scale=bad)


def test_a_version_1_session_with_a_huge_init_scale_is_refused(tmp_path):
    data = prepare(load_dataset("two-features"))
    p = tmp_path / "s.json"
    write(p, SessionRecord.capture(RunSettings(), Trainer(data), data))
    doc = json.loads(p.read_text())
    v1 = {
        "format": doc["format"],
        "version": 1,
        "dataset": {"kind": "bundled", "name": "two-features", "seed": 0},
        "preparation": {"standardize": True, "validation": 0.0, "split_seed": 0},
        "training": {
            "loss": "squared",
            "seed": 0,
            "init": "random",
            "init_scale": 1e308,
            "start": {
                "penalty": {"kind": "l1", "lam1": 0.1, "lam2": 0.0},
                "lr": "auto",
                "rule": "proximal",
                "batch": 10,
            },
            "events": [],
            "steps": 0,
        },
        "view": {},
    }
    p.write_text(json.dumps(v1))
    with pytest.raises(SessionError, match="init_scale 1e\\+308"):
        read(p)


def test_steps_are_capped():
    RunSettings(steps=MAX_STEPS)
    with pytest.raises(SettingsError, match="steps must be a whole number"):
        RunSettings(steps=MAX_STEPS + 1)


def test_weights_that_are_not_finite_are_never_written(tmp_path):
    from engine.weights_file import write_weights

    path = tmp_path / "w.csv"
    with pytest.raises(ValueError, match="not all finite"):
        write_weights(path, ("a", "b"), np.array([1.0, np.nan]), 0.0)
    with pytest.raises(ValueError, match="not all finite"):
        write_weights(path, ("a", "b"), np.array([1.0, 2.0]), np.inf)
    assert not path.exists()
    write_weights(path, ("a", "b"), np.array([1.0, 2.0]), 0.5)
    assert path.read_text().splitlines()[-1] == "(intercept),0.5"


def test_a_mini_batch_divergence_below_one_over_l_suggests_a_smaller_step():
    common = dict(lr_safe=1.0, lr_max=2.0, rule="proximal", lam1=0.1, lam2=0.0)
    div = diagnose(
        3, float("inf"), 1.0, lr=0.9, full_batch=False, batch_size=4, **common
    )
    assert "mini-batches of 4 rows" in div.reason and "Try η = 0.09" in div.reason
    assert div.suggested_lr == pytest.approx(0.09)
    div = diagnose(
        3, float("inf"), 1.0, lr=5.0, full_batch=False, batch_size=4, **common
    )
    assert "above 2/L = 2" in div.reason and div.suggested_lr == 1.0
