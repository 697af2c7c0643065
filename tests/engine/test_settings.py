"""RunSettings: one definition of a run, its checks and its data defaults."""

import numpy as np
import pytest

from engine import Trainer, lambda_max, prepare
from engine.datasets import load_dataset
from engine.run import describe, execute, start_run
from engine.settings import (
    DEFAULT_LAM1_SHARE,
    DEFAULT_LAM2_SHARE,
    DataSource,
    RunSettings,
    SettingsError,
    lipschitz,
    resolve,
)


@pytest.mark.parametrize(
    "changes, fragment",
    [
        ({"validation": 0.95}, "validation share"),
        ({"penalty": "l3"}, "unknown penalty"),
        ({"lam1": -1.0}, "lam1 must be"),
        ({"lam2": float("nan")}, "lam2 must be"),
        ({"lr": 0.0}, "step size"),
        ({"lr": "fast"}, "step size"),
        ({"batch": 0}, "batch size"),
        ({"rule": "newton"}, "update rule"),
        ({"loss": "hinge"}, "unknown loss"),
        ({"steps": -1}, "steps"),
        ({"seed": 1.5}, "seed"),
        ({"colour": "red"}, "unknown setting"),
    ],
)
def test_invalid_settings_are_refused_with_one_sentence(changes, fragment):
    with pytest.raises(SettingsError, match=fragment):
        RunSettings().replace(**changes)


def test_the_defaults_are_computed_from_the_data_in_one_place():
    data = prepare(load_dataset("diabetes"), validation=0.2)
    s = resolve(RunSettings(), data)
    assert s.loss == "squared"
    assert s.lam1 == DEFAULT_LAM1_SHARE * lambda_max(data, "squared")
    assert s.lam2 == DEFAULT_LAM2_SHARE * data.curvature
    assert s.active_penalty.kind == "l1" and s.active_penalty.lam2 == 0.0
    # an explicit strength is kept; switching the penalty keeps both strengths
    s2 = resolve(RunSettings(penalty="l2", lam2=3.0), data)
    assert s2.active_penalty.lam2 == 3.0 and s2.lam1 == s.lam1


def test_logistic_loss_on_a_many_valued_target_is_refused():
    data = prepare(load_dataset("diabetes"))
    with pytest.raises(SettingsError, match="two-class target"):
        resolve(RunSettings(loss="logistic"), data)


def test_the_step_size_rule_is_the_trainers():
    data = prepare(load_dataset("correlated"))
    s = resolve(RunSettings(penalty="elasticnet"), data)
    tr = Trainer(data, loss=s.loss, penalty=s.active_penalty)
    assert tr.lipschitz == lipschitz(data, s.loss, s.lam2)
    assert tr.lr == 1.0 / lipschitz(data, s.loss, s.lam2)


def test_a_run_is_the_settings_steps_and_its_facts_say_so():
    settings = RunSettings(
        source=DataSource.bundled("diabetes"), steps=30, validation=0.0
    )
    run = execute(start_run(settings))
    facts = describe(run.dataset, run.data, run.trainer)
    assert facts.step == 30 and facts.n_val == 0 and facts.n_train == 442
    assert facts.n_zero == int((run.trainer.w == 0.0).sum())
    again = execute(start_run(settings))
    assert np.array_equal(again.trainer.w, run.trainer.w)  # the same run, bit for bit


def test_an_l1_share_defaults_the_elastic_net_on_its_path():
    from engine.run import start_run
    from engine.settings import (
        DEFAULT_LAM1_SHARE,
        DataSource,
        RunSettings,
        SettingsError,
    )

    s = RunSettings(
        source=DataSource.bundled("diabetes"), penalty="elasticnet", l1_ratio=0.25
    )
    run = start_run(s)
    r = run.settings
    lam_max = run.trainer.penalty.lam1 / DEFAULT_LAM1_SHARE
    assert r.l1_ratio is None  # consumed: ρ is read from the strengths from now on
    assert r.lam1 / (r.lam1 + r.lam2) == pytest.approx(0.25, rel=1e-12)
    # 5 % of the top of the Elastic Net path at ρ: α = 0.05 λ_max / ρ
    assert r.lam1 + r.lam2 == pytest.approx(DEFAULT_LAM1_SHARE * lam_max / 0.25)
    for bad, msg in [
        ({"l1_ratio": 0.0}, "must lie in"),
        ({"l1_ratio": 1.5}, "must lie in"),
        ({"l1_ratio": 0.5, "lam1": 1.0}, "not both"),
        ({"l1_ratio": 0.5, "penalty": "l1"}, "goes with the Elastic Net"),
    ]:
        with pytest.raises(SettingsError, match=msg):
            s.replace(**{"penalty": "elasticnet", **bad})
