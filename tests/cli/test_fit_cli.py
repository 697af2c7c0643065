"""--dataset polynomial --degree D and the fit lines of the summary (issue 15)."""

import pytest

import cli as main


def run(capsys, *argv):
    code = main.main(["--headless", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_polynomial_summary_names_the_degree_the_fit_and_the_kept_powers(capsys):
    code, out, err = run(
        capsys, "--dataset", "polynomial", "--degree", "15", "--penalty", "l1",
        "--lam", "0.01", "--solve",
    )  # fmt: skip
    assert code == 0 and err == ""
    assert "data: polynomial of degree 15, 30 training rows, 60 validation" in out
    assert "fit: training MSE 0.07" in out and "held-out MSE 0.10" in out
    assert "powers kept: x, x², x³, x¹⁴, x¹⁵ (5 of 15)" in out


def test_without_a_penalty_degree_15_overfits_in_the_summary(capsys):
    code, out, _ = run(
        capsys, "--dataset", "polynomial", "--penalty", "none", "--solve"
    )
    assert code == 0
    line = next(x for x in out.splitlines() if x.startswith("fit:"))
    train = float(line.split("training MSE ")[1].split(",")[0])
    held = float(line.split("held-out MSE ")[1].split(",")[0])
    assert held > 5 * train


def test_every_summary_has_the_fit_line(capsys):
    code, out, _ = run(capsys, "--dataset", "two-classes", "--steps", "50")
    assert code == 0
    assert "fit: training deviance" in out and "accuracy" in out
    assert "powers kept" not in out


@pytest.mark.parametrize(
    "argv,message",
    [
        (["--degree", "3"], "--degree goes with --dataset polynomial"),
        (["--dataset", "houses", "--degree", "3"], "--degree goes with --dataset"),
        (["--dataset", "polynomial", "--degree", "0"], "must lie in [1, 20]"),
        (["--dataset", "polynomial", "--degree", "21"], "must lie in [1, 20]"),
        (["--dataset", "polynomial", "--degree", "x"], "is not a whole number"),
        (["--csv", "resources/diabetes.csv", "--degree", "3"], "not --csv"),
    ],
)
def test_bad_degrees_exit_2_with_one_line(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1


def test_a_figure_of_data_that_cannot_be_used_exits_2_and_draws_nothing(
    capsys, tmp_path
):
    """A figure is never drawn from other data than the one asked for (it used to
    show houses, or wait on a message box nobody could close)."""
    out = tmp_path / "f.png"
    missing = tmp_path / "missing.csv"
    code, _, err = run(capsys, "--csv", str(missing), "--pane", "fit",
                       "--screenshot", str(out))  # fmt: skip
    assert code == 2 and "does not exist" in err and not out.exists()
    three = tmp_path / "three.csv"
    rows = "".join(f"{i},{i % 7},{'abc'[i % 3]}\n" for i in range(30))
    three.write_text("x,z,label\n" + rows)
    code, _, err = run(
        capsys, "--csv", str(three), "--target", "label", "--screenshot", str(out)
    )
    assert code == 2 and "--positive-class" in err and not out.exists()
    assert len(err.strip().splitlines()) == 1
