"""The command line never prints NaN or exits 0 with it, and its advice is right:
huge values refused with status 2, capped steps, divergences and figures truthful."""

import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

import cli as main

ROOT = Path(__file__).resolve().parents[2]


def run(capsys, *argv):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        code = main.main(["--headless", *argv])
    out, err = capsys.readouterr()
    assert not [w for w in caught if issubclass(w.category, RuntimeWarning)]
    return code, out, err


def write_csv(path, X, y):
    names = [f"x{j}" for j in range(X.shape[1])]
    lines = [",".join([*names, "y"])]
    lines += [
        ",".join(repr(float(v)) for v in (*r, t)) for r, t in zip(X, y, strict=True)
    ]
    path.write_text("\n".join(lines) + "\n")
    return str(path)


@pytest.fixture
def linear():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((30, 3))
    return X, X @ [1.0, 2.0, 3.0] + rng.standard_normal(30)


@pytest.mark.parametrize("action", [["--solve"], ["--steps", "100"]])
def test_a_huge_target_is_refused_with_status_2_and_no_weights(
    capsys, tmp_path, linear, action
):
    X, y = linear
    data = write_csv(tmp_path / "big.csv", X, y * 1e250)
    weights = tmp_path / "w.csv"
    code, out, err = run(
        capsys, "--csv", data, *action, "--export-weights", str(weights)
    )
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "target 'y'" in err and "overflow" in err
    assert not weights.exists()


def test_a_huge_raw_feature_is_refused_without_standardization(
    capsys, tmp_path, linear
):
    X, y = linear
    X = X.copy()
    X[:, 1] *= 1e300
    data = write_csv(tmp_path / "bigx.csv", X, y)
    code, _, err = run(capsys, "--csv", data, "--solve", "--no-standardize")
    assert code == 2 and err.count("\n") == 1
    assert "raw feature 'x1'" in err and "standardize" in err
    code, out, _ = run(capsys, "--csv", data, "--solve")  # standardized: fine
    assert code == 0 and "nan" not in out.lower() and "converged" in out


def test_a_target_near_1e50_trains_and_prints_finite_numbers(capsys, tmp_path, linear):
    X, y = linear
    data = write_csv(tmp_path / "b.csv", X, y * 1e50)
    code, out, err = run(capsys, "--csv", data, "--steps", "100")
    assert code == 0 and err == ""
    assert "nan" not in out.lower() and "inf" not in out.lower()


def test_too_many_steps_are_refused_in_one_line(capsys):
    code, out, err = run(capsys, "--dataset", "diabetes", "--steps", "1000000000")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "--steps" in err and "100,000,000" in err


def test_a_divergence_not_caused_by_the_step_size_does_not_suggest_it(capsys):
    code, _, err = run(
        capsys, "--dataset", "diabetes", "--lam", "1e300", "--rule", "subgradient"
    )
    assert code == 1 and err.count("\n") == 1
    assert "λ = 1e+300 is too large" in err and "Try η" not in err


def figure(*argv):
    r = subprocess.run(
        [sys.executable, "main.py", "--headless", *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return r.returncode, r.stdout, r.stderr


def test_animate_and_screenshot_after_a_divergence_agree_and_tell_the_truth(tmp_path):
    gif, png = tmp_path / "d.gif", tmp_path / "d.png"
    common = ["--dataset", "diabetes", "--lr", "100", "--pane", "weights"]
    code, out, err = figure(*common, "--steps", "50", "--animate", str(gif))
    assert code == 1 and gif.exists()
    assert "stopped by a divergence after 0 of 50 steps" in out
    assert "50 steps, every" not in out
    assert err.count("\n") == 1 and "diverged at step 1" in err
    code, out, err = figure(*common, "--steps", "50", "--screenshot", str(png))
    assert code == 1 and png.exists() and "figure: weights" in out
    assert err.count("\n") == 1 and "diverged at step 1" in err


def test_a_solve_at_lambda_max_says_it_started_at_the_minimum(capsys):
    code, out, _ = run(capsys, "--dataset", "diabetes", "--lam", "1000", "--solve")
    assert code == 0
    assert "already at the minimum: every weight is 0 for λ ≥ λ_max" in out
    assert "0 iterations" not in out


def test_cross_validation_of_a_target_near_1e149_has_finite_errors(
    capsys, tmp_path, linear
):
    X, y = linear
    data = write_csv(tmp_path / "e.csv", X, y * (1e149 / np.abs(y).max()))
    code, out, err = run(capsys, "--csv", data, "--cv", "3")
    assert code == 0 and err == ""
    assert "nan" not in out.lower() and "standard error" in out
