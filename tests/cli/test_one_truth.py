"""One run, one truth: the same options print, show and draw the same run.

For a matrix of command lines the headless summary (λ, rows, objective, exact zeros,
step) must equal what the window shows for the same options, read from its widgets,
and what the ``--screenshot`` run states; ``--export-weights`` of the summary and of
the figure must be the same bytes.
"""

import re
import shutil
from pathlib import Path

import pytest
import sklearn

import cli
from gui import theme

SKLEARN_DATA = Path(sklearn.__file__).parent / "datasets" / "data"

CASES = [
    ["--dataset", "diabetes", "--penalty", "l1", "--steps", "200"],
    ["--dataset", "diabetes", "--penalty", "l1", "--lam", "3", "--solve"],
    ["--dataset", "diabetes", "--penalty", "l2", "--lam", "5", "--steps", "80",
     "--validation", "0"],
    ["--dataset", "diabetes", "--penalty", "l2", "--solve", "--validation", "0.2"],
    ["--dataset", "correlated", "--penalty", "elasticnet", "--steps", "300"],
    ["--dataset", "correlated", "--penalty", "elasticnet", "--lam1", "0.1",
     "--lam2", "0.2", "--solve", "--validation", "0"],
    ["--dataset", "houses", "--penalty", "none", "--steps", "20"],
    ["--dataset", "houses", "--penalty", "l1", "--steps", "300"],
    ["--dataset", "diabetes", "--penalty", "l1", "--lam", "0", "--solve"],
    ["--csv", "CANCER", "--penalty", "l1", "--solve"],
    ["--csv", "CANCER", "--penalty", "l2", "--lam", "0.01", "--steps", "100",
     "--validation", "0"],
    ["--csv", "CANCER", "--loss", "squared", "--penalty", "l1", "--steps", "150"],
    # the import choices of the command line reach the window and the figure
    ["--csv", "IRIS", "--positive-class", "versicolor", "--penalty", "l2",
     "--solve"],
    ["--csv", "CITIES", "--one-hot", "city", "--penalty", "l1", "--steps", "60"],
    ["--csv", "CITIES", "--target", "grade", "--target-as-number", "--one-hot",
     "all", "--penalty", "l1", "--solve"],
]  # fmt: skip


@pytest.fixture
def files(tmp_path):
    """The CSV files the cases name, copied or written into ``tmp_path``."""
    paths = {}
    for key, name in (("CANCER", "breast_cancer.csv"), ("IRIS", "iris.csv")):
        paths[key] = str(tmp_path / name)
        shutil.copy(SKLEARN_DATA / name, paths[key])
    cities = ("Oslo", "Rome", "Pisa", "Lima")
    rows = "".join(
        f"{cities[i % 4]},{i % 5},{(i * 7) % 11},{i % 3},{(i * 13) % 17 + i % 4}\n"
        for i in range(40)
    )
    paths["CITIES"] = str(tmp_path / "cities.csv")
    Path(paths["CITIES"]).write_text("city,a,b,grade,y\n" + rows)
    return paths


def summary(capsys, argv):
    code = cli.main(["--headless", *argv])
    out, err = capsys.readouterr()
    assert code == 0, err
    facts = {
        "penalty": re.search(r"^penalty: (.*?)  \(=", out, re.M).group(1),
        "rows": re.search(r"^data: [^,]+, (.*?), target", out, re.M).group(1),
        "state": re.search(r"^state: (.*)$", out, re.M).group(1),
        "objective": float(re.search(r"^objective: (\S+)", out, re.M).group(1)),
    }
    m = re.search(r"^nonzero weights: (\d+) of (\d+) \((\d+) exactly 0\)", out, re.M)
    facts["nonzero"] = f"{m.group(1)} of {m.group(2)} nonzero"
    sel = re.search(r"^feature selection vs truth: (.*)$", out, re.M)
    facts["selection"] = sel.group(1) if sel else None
    val = re.search(r"^(validation: .*)$", out, re.M)
    facts["validation"] = val.group(1) if val else ""
    return facts, out


@pytest.mark.parametrize("argv", CASES, ids=[" ".join(c) for c in CASES])
def test_summary_window_and_figure_tell_the_same_run(
    argv, capsys, qtbot, tmp_path, files
):
    argv = [files.get(a, a) for a in argv]
    printed_w = tmp_path / "printed.csv"
    facts, out = summary(capsys, [*argv, "--export-weights", str(printed_w)])

    # the window, opened with the same options
    from gui.app import create_window

    theme.configure_pyqtgraph()
    args = cli.build_parser().parse_args(argv)
    w = create_window(**cli.window_options(args))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: not w.session.solving, timeout=60000)
    status = w.status_labels
    assert status["step"].text() == facts["state"]
    assert status["objective"].text() == f"F = {facts['objective']:.6g}"
    assert status["nonzero"].text() == facts["nonzero"]
    # validation loss and R² / accuracy: one line, the same in the window
    assert status["validation"].text() == facts["validation"]
    assert w.panes["curves"].score.text() == facts["validation"]
    if "--validation" not in argv or "0" != argv[argv.index("--validation") + 1]:
        assert re.fullmatch(r"validation: D = \S+, (R²|accuracy) = -?\d\.\d{3}",
                            facts["validation"])  # fmt: skip
    assert facts["rows"] in w.controls.shape_label.text()
    assert facts["penalty"] in w.caption_text()
    if facts["selection"] is not None:  # synthetic data: the same selection facts
        assert facts["selection"] in w.panes["weights"].footer.text()
    s = w.session.settings
    lam = {"l1": s.lam1, "l2": s.lam2}.get(s.penalty)
    if lam is not None:  # the λ box shows the printed λ
        shown = w.controls.lam1 if s.penalty == "l1" else w.controls.lam2
        assert f"λ = {shown.value():.4g}" in facts["penalty"]
    w.close()

    # the figure of the same options, and the weights of the run it draws
    fig, drawn_w = tmp_path / "fig.png", tmp_path / "drawn.csv"
    code = cli.main(
        ["--headless", *argv, "--screenshot", str(fig), "--pane", "weights",
         "--export-weights", str(drawn_w)]
    )  # fmt: skip
    out2, err2 = capsys.readouterr()
    assert code == 0, err2
    assert f"figure: weights at {facts['state']}," in out2
    assert drawn_w.read_bytes() == printed_w.read_bytes()


def test_the_default_lambda_is_one_rule_everywhere(capsys, qtbot):
    from engine.settings import DEFAULT_LAM1_SHARE
    from gui.app import create_window

    facts, _ = summary(capsys, ["--dataset", "diabetes", "--steps", "1"])
    args = cli.build_parser().parse_args(["--dataset", "diabetes"])
    theme.configure_pyqtgraph()
    w = create_window(**cli.window_options(args))
    qtbot.addWidget(w)
    lam_max = w.session.scales.lam_max
    assert w.session.settings.lam1 == DEFAULT_LAM1_SHARE * lam_max
    assert facts["penalty"] == f"L1, λ = {DEFAULT_LAM1_SHARE * lam_max:.4g}"
    assert w.session.trainer.step_count == 0  # the window opens at step 0


@pytest.mark.parametrize(
    "strength",
    [["--penalty", "l1", "--lam", "0"], ["--penalty", "l2", "--lam", "0"],
     ["--penalty", "elasticnet", "--lam1", "0", "--lam2", "0"]],
)  # fmt: skip
@pytest.mark.parametrize("run", [["--steps", "50"], ["--solve"]])
def test_lambda_zero_on_two_classes_is_a_summary_not_a_traceback(
    strength, run, capsys, files
):
    code = cli.main(["--headless", "--csv", files["CANCER"], *strength, *run])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "C = 1/(nλ) is infinite" in out
    if run == ["--solve"]:
        assert re.search(r"^solve: .*(converged|separable)", out, re.M)
