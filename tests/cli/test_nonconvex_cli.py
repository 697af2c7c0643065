"""--penalty scad|mcp|l0 and --gamma (issue 17): the nonconvex penalties from the
command line, their checks (exit 2, one line), and what the summary says."""

import json

import numpy as np
import pytest

import cli as main
from engine.data import prepare
from engine.datasets import load_dataset
from engine.nonconvex import coordinate_descent
from engine.penalties import Penalty
from engine.run import start_run
from engine.settings import DEFAULT_LAM1_SHARE, DataSource, RunSettings
from engine.solvers import lambda_max


def run(capsys, *argv):
    code = main.main(["--headless", *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("kind,gamma", [("scad", 3.7), ("mcp", 3.0), ("l0", None)])
def test_a_solve_is_coordinate_descent_and_the_summary_says_it_is_not_convex(
    capsys, kind, gamma
):
    code, out, err = run(
        capsys, "--dataset", "correlated", "--penalty", kind, "--solve"
    )
    assert code == 0 and err == ""
    name = {"scad": "SCAD", "mcp": "MCP", "l0": "L0"}[kind]
    data = prepare(load_dataset("correlated"), validation=0.2)
    lam = DEFAULT_LAM1_SHARE * lambda_max(data, "squared")
    assert f"penalty: {name}, λ = {lam:.4g}" in out
    if gamma:
        assert f"γ = {gamma:g}" in out
    assert "not convex: another start may end elsewhere" in out
    # from where the run starts (its seeded weights): not convex, the start matters
    w0 = start_run(
        RunSettings(source=DataSource.bundled("correlated"), penalty=kind)
    ).trainer.w
    ref = coordinate_descent(data, kind, lam, gamma=gamma, w0=w0, tol=1e-12)
    zeros = int((ref.w == 0.0).sum())
    assert f"({zeros} exactly 0)" in out


@pytest.mark.parametrize(
    "argv,message",
    [
        (["--penalty", "scad", "--gamma", "2"], "SCAD needs γ > 2, got 2.0"),
        (["--penalty", "mcp", "--gamma", "0.5"], "MCP needs γ > 1"),
        (
            ["--penalty", "l1", "--gamma", "3"],
            "--gamma goes with --penalty scad or mcp",
        ),
        (
            ["--penalty", "l0", "--gamma", "3"],
            "--gamma goes with --penalty scad or mcp",
        ),
        (["--penalty", "scad", "--rule", "subgradient"], "proximal rule"),
        (["--penalty", "mcp", "--dataset", "two-classes"], "squared loss"),
        (["--penalty", "lq"], "invalid choice"),
    ],
)
def test_bad_nonconvex_options_exit_2_with_one_line(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert message in err and len(err.strip().splitlines()) == 1


def test_steps_apply_the_thresholding_function_and_large_weights_are_not_shrunk(capsys):
    # the proximal steps converge to the coordinate-descent answer
    data = prepare(load_dataset("two-features"), validation=0.0)
    lam = 0.05 * lambda_max(data, "squared")  # γλ below both least-squares weights
    from engine.trainer import Trainer

    tr = Trainer(data, loss="squared", penalty=Penalty("mcp", lam1=lam), seed=0)
    tr.step(5000)
    ref = coordinate_descent(data, "mcp", lam, w0=tr.w)
    np.testing.assert_allclose(tr.w, ref.w, atol=1e-9)
    lasso = coordinate_descent(data, "l1", lam)
    ols = np.linalg.lstsq(data.X - data.X.mean(0), data.y - data.y.mean(), rcond=None)[
        0
    ]
    # MCP with both weights beyond γλ: the least-squares fit itself; L1 shrinks it
    assert np.allclose(tr.w, ols, atol=1e-8)
    assert np.abs(lasso.w).sum() < np.abs(ols).sum() - lam


def test_settings_and_sessions_keep_gamma():
    s = RunSettings(penalty="scad", gamma=3.0)
    assert RunSettings.from_dict(json.loads(json.dumps(s.to_dict()))) == s
    assert s.replace(penalty="l1").gamma == 3.0  # kept, like the strengths
    assert s.replace(loss="squared", lam1=0.1, lam2=0.0).active_penalty == Penalty(
        "scad", lam1=0.1, gamma=3.0
    )
