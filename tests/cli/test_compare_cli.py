"""``--compare`` on the command line: the table it prints is the engine's, the figure
run's and the window's Compare pane's, for the same options."""

import pytest
from PIL import Image

import main
from cli import build_parser, settings_from_args, window_options
from engine.compare import compare
from engine.run import execute, start_run
from gui import theme


def run(capsys, *argv):
    code = main.main(["--headless", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def engine_table(*argv) -> list[str]:
    """The table the engine makes for these options, at the run's state."""
    args = build_parser().parse_args(["--headless", *argv])
    r = execute(start_run(settings_from_args(args)))
    comp = compare(r.settings, r.dataset, r.data)
    comp.follow(r.trainer.step_count, r.trainer.solution is not None)
    return comp.table_lines()


@pytest.mark.parametrize(
    "argv",
    [
        ["--dataset", "correlated", "--steps", "150"],
        ["--dataset", "correlated", "--penalty", "elasticnet", "--solve",
         "--compare-lambda", "nonzero"],
        ["--dataset", "diabetes", "--penalty", "l2", "--steps", "40",
         "--compare-lambda", "same", "--compare-l1-ratio", "0.3"],
    ],
)  # fmt: skip
def test_compare_prints_the_engines_table(capsys, argv):
    code, out, err = run(capsys, *argv, "--compare")
    assert code == 0 and err == ""
    lines = engine_table(*argv)
    text = out.splitlines()
    start = text.index(lines[0])
    assert text[start : start + len(lines)] == lines
    assert lines[1].split()[:2] == ["penalty", "strength"]
    if "--solve" in argv:
        assert "solved" in lines[0]


def test_the_printed_numbers_are_the_panes(capsys, qtbot):
    argv = ["--dataset", "correlated", "--steps", "120", "--compare"]
    _, out, _ = run(capsys, *argv)
    theme.configure_pyqtgraph()
    from gui.app import create_window

    w = create_window(**window_options(build_parser().parse_args(argv[:-1])))
    qtbot.addWidget(w)
    w.show()
    assert w.session.trainer.step_count == 120  # the options' steps
    w.grid.show_pane("compare")
    w.session.compare_model.wait()
    pane = w.panes["compare"]
    pane.refresh_now()
    for cells in pane.cells[1:]:
        printed = next(line for line in out.splitlines() if line.startswith(cells[0]))
        assert printed.split("  ")[0].strip() == cells[0]
        for cell in cells[1:]:
            assert cell in printed
    w.close()


def test_a_figure_of_the_compare_pane_prints_the_same_table(capsys, tmp_path):
    png = tmp_path / "compare.png"
    argv = ["--dataset", "correlated", "--steps", "80"]
    code, out, err = run(
        capsys, *argv, "--compare", "--pane", "compare", "--screenshot", str(png)
    )
    assert code == 0, err
    lines = engine_table(*argv)
    text = out.splitlines()
    start = text.index(lines[0])
    assert text[start : start + len(lines)] == lines
    with Image.open(png) as img:
        assert img.width > 300 and img.height > 200


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--compare-lambda", "2se"], "--compare-lambda: invalid choice: '2se'"),
        (["--compare-l1-ratio", "1"], "--compare-l1-ratio: '1' must lie strictly"),
        (["--compare-l1-ratio", "x"], "--compare-l1-ratio"),
    ],
)
def test_bad_compare_options_exit_2_with_one_line(capsys, argv, message):
    code, out, err = run(capsys, "--dataset", "correlated", *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and message in err


def test_compare_goes_with_headless(capsys):
    code = main.main(["--compare"])
    err = capsys.readouterr().err
    assert code == 2 and "--compare goes with --headless" in err


def test_the_options_set_the_lab_settings():
    args = build_parser().parse_args(
        ["--compare-lambda", "nonzero", "--compare-l1-ratio", "0.25"]
    )
    lab = settings_from_args(args).lab
    assert (lab.compare_lambda, lab.compare_l1_ratio) == ("nonzero", 0.25)
    default = settings_from_args(build_parser().parse_args([])).lab
    assert (default.compare_lambda, default.compare_l1_ratio) == ("1se", 0.5)
