"""--path and --cv on the command line: the numbers scikit-learn computes, the CSV
files the issue names, and one line with exit status 2 for every bad value."""

import csv
import re

import numpy as np
import pytest
from sklearn.linear_model import LassoCV, lasso_path
from sklearn.model_selection import KFold

import cli
from engine.datasets import load_dataset


def run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def read_rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return rows[0], np.array([[float(v) for v in r] for r in rows[1:]])


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_export_path_is_the_lasso_path(capsys, tmp_path):
    out_csv = tmp_path / "path.csv"
    code, out, err = run(
        capsys, "--headless", "--dataset", "diabetes", "--validation", "0",
        "--steps", "1", "--export-path", str(out_csv), "--n-alphas", "30",
        "--tol", "1e-12",
    )  # fmt: skip
    assert code == 0, err
    header, rows = read_rows(out_csv)
    ds = load_dataset("diabetes")
    assert header == ["alpha", *ds.feature_names, "(intercept)"]
    assert rows.shape == (30, ds.n_features + 2)
    alphas, coefs = rows[:, 0], rows[:, 1:-1]
    assert np.all(np.diff(alphas) < 0)  # largest first
    assert np.all(coefs[0] == 0.0) and np.any(coefs[1] != 0.0)  # α_max: all exactly 0
    assert alphas[-1] == pytest.approx(1e-3 * alphas[0])
    X = (ds.X - ds.X.mean(0)) / ds.X.std(0)
    y = ds.y - ds.y.mean()
    _, ref, _ = lasso_path(X, y, alphas=alphas, tol=1e-14, max_iter=10**6)
    np.testing.assert_allclose(coefs, ref.T, rtol=1e-6, atol=1e-8 * np.abs(ref).max())
    assert np.array_equal(coefs == 0, ref.T == 0)
    assert f"path written to {out_csv}" in out
    assert re.search(r"^path: L1 over 30 strengths", out, re.M)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_cv_prints_lambda_min_of_lassocv(capsys, tmp_path):
    out_csv = tmp_path / "cv.csv"
    code, out, err = run(
        capsys, "--headless", "--dataset", "diabetes", "--validation", "0",
        "--no-standardize", "--steps", "1", "--cv", "5", "--n-alphas", "25",
        "--tol", "1e-12", "--export-cv", str(out_csv),
    )  # fmt: skip
    assert code == 0, err
    header, rows = read_rows(out_csv)
    assert header[:4] == ["alpha", "mean", "se", "nonzero"]
    alphas, mean = rows[:, 0], rows[:, 1]
    ds = load_dataset("diabetes")
    ref = LassoCV(cv=KFold(5), alphas=alphas, tol=1e-14, max_iter=10**6).fit(ds.X, ds.y)
    np.testing.assert_allclose(mean, ref.mse_path_.mean(axis=1), rtol=1e-6)
    printed = float(re.search(r"^λ_min = (\S+):", out, re.M).group(1))
    assert printed == pytest.approx(ref.alpha_, rel=1e-5)
    i_min = int(np.argmin(mean))
    bound = mean[i_min] + rows[i_min, 2]
    alpha_1se = alphas[np.flatnonzero(mean <= bound).min()]  # largest α within 1 SE
    assert float(re.search(r"^λ_1se = (\S+):", out, re.M).group(1)) == pytest.approx(
        alpha_1se, rel=1e-5
    )


def test_logistic_path_and_misclassification_cv(capsys, tmp_path):
    import shutil
    from pathlib import Path

    import sklearn

    src = Path(sklearn.__file__).parent / "datasets" / "data" / "breast_cancer.csv"
    data = tmp_path / "cancer.csv"
    shutil.copy(src, data)
    code, out, err = run(
        capsys, "--headless", "--csv", str(data), "--steps", "1", "--cv", "3",
        "--cv-metric", "misclassification", "--n-alphas", "12",
    )  # fmt: skip
    assert code == 0, err
    assert "misclassification rate" in out
    assert re.search(
        r"^λ_1se = \S+: mean \S+ ± \S+ \(standard error\), \d+ nonzero", out, re.M
    )


def test_elastic_net_from_alpha_and_l1_ratio(capsys):
    code, out, err = run(
        capsys, "--headless", "--dataset", "diabetes", "--penalty", "elasticnet",
        "--lam", "2", "--l1-ratio", "0.25", "--steps", "1", "--path", "--n-alphas", "5",
    )  # fmt: skip
    assert code == 0, err
    assert "Elastic Net, λ₁ = 0.5, λ₂ = 1.5" in out
    assert "at L1 share ρ = 0.25" in out and "the run's α = 2;" in out


@pytest.mark.parametrize(
    "argv, fragment",
    [
        (["--cv", "1"], "must be at least 2"),
        (["--cv", "100000"], "more folds than"),
        (["--n-alphas", "1", "--path"], "must be at least 2"),
        (["--alpha-min-ratio", "0", "--path"], "strictly between 0 and 1"),
        (["--alpha-min-ratio", "1", "--path"], "strictly between 0 and 1"),
        (["--penalty", "none", "--path"], "needs a penalty"),
        (["--cv", "5", "--cv-metric", "misclassification"], "does not go with squared"),
        (["--l1-ratio", "0.5", "--path"], "goes with --penalty elasticnet"),
        (["--penalty", "elasticnet", "--l1-ratio", "0", "--path"], "must lie in"),
    ],
)
def test_bad_values_are_one_line_and_exit_2(capsys, argv, fragment):
    code, out, err = run(capsys, "--headless", "--dataset", "diabetes", *argv)
    assert code == 2
    assert fragment in err and err.count("\n") == 1 and "Traceback" not in err


def test_path_output_needs_headless(capsys):
    code, _, err = run(capsys, "--dataset", "diabetes", "--path")
    assert code == 2 and "go with --headless" in err
