"""Readable line plots: the strongest lines named at their ends, the rest grey, a
hovered line highlighted; markers where the settings changed; log axes whose tick
labels never overlap."""

import itertools
import shutil
from pathlib import Path

import numpy as np
import pytest
import sklearn
from PySide6 import QtCore, QtGui, QtTest

from engine import Penalty
from gui import theme
from gui.log_ticks import labels_fit
from gui.panes.change_markers import change_text, changes
from gui.panes.lambda_axes import StrengthAxis, compact
from gui.panes.line_labels import GREY_LIGHT, LINE_COLOURS, spread_between
from tests.gui.helpers import click, type_into

CANCER = Path(sklearn.__file__).parent / "datasets" / "data" / "breast_cancer.csv"


def thirty_features(make_window, tmp_path, *argv):
    path = tmp_path / "breast_cancer.csv"
    shutil.copy(CANCER, path)
    w = make_window("--csv", str(path), "--penalty", "l1", *argv)
    assert w.session.data.n_features == 30
    return w


def check_labels(pane, strength):
    """The end labels name exactly the k largest ``strength``, in colour, apart,
    inside the view; every other line thin and grey."""
    lines = pane.feature_lines
    shown = lines.shown_labels()
    k = lines.k
    assert len(shown) == k == 8
    top = set(np.argsort(-np.abs(strength), kind="stable")[:k].tolist())
    assert set(shown) == top
    box = pane.plot.getViewBox().sceneBoundingRect()
    rects = [lines.labels[j].sceneBoundingRect() for j in shown]
    for r in rects:
        assert box.contains(r), (r, box)
    for a, b in itertools.combinations(rects, 2):
        assert not a.intersects(b)
    colours = {lines.lines[j].opts["pen"].color().name() for j in shown}
    assert len(colours) == k and colours <= {c.lower() for c in LINE_COLOURS}
    for j in shown:  # a name in its line's colour
        assert lines.labels[j].color.name() == lines.lines[j].opts["pen"].color().name()
    for j in set(range(30)) - top:
        pen = lines.lines[j].opts["pen"]
        assert pen.color().name() == GREY_LIGHT.lower() and pen.widthF() <= 1.0


def lone_point(lines):
    """(feature, point) of a line far from every other line there, in pixels."""
    vb = lines.plot.getViewBox()
    px = vb.viewPixelSize()[1]
    Y = lines.Y.astype(float)
    best = (-1.0, 0, 0)
    for i in range(len(lines.x) // 4, len(lines.x), max(len(lines.x) // 40, 1)):
        for j in range(Y.shape[1]):
            others = np.delete(Y[i], j)
            dist = float(np.min(np.abs(others - Y[i, j]))) / px
            best = max(best, (dist, j, i))
    assert best[0] > 5  # some line stands apart somewhere
    return best[1], best[2]


def test_thirty_trajectories_name_the_eight_largest_weights(make_window, tmp_path):
    w = thirty_features(make_window, tmp_path, "--steps", "300")
    pane = w.panes["trajectories"]
    assert not pane.heatmap and pane.plot.legend is None
    check_labels(pane, pane.feature_lines.Y[-1])
    assert pane.feature_lines.Y[-1] == pytest.approx(w.session.trainer.w, rel=1e-6)


def test_hovering_a_trajectory_highlights_and_names_it(qtbot, make_window, tmp_path):
    w = thirty_features(make_window, tmp_path, "--steps", "300")
    pane, s = w.panes["trajectories"], w.session
    lines = pane.feature_lines
    j, i = lone_point(lines)
    vb = pane.plot.getViewBox()
    scene = vb.mapViewToScene(QtCore.QPointF(lines.x[i], float(lines.Y[i, j])))
    QtTest.QTest.mouseMove(
        pane.plot_widget.viewport(), pane.plot_widget.mapFromScene(scene)
    )
    qtbot.waitUntil(lambda: lines.readout.isVisible())
    assert lines.hovered == j
    hx, hy = lines.hover_line.getData()
    np.testing.assert_allclose(hy, lines.Y[:, j], rtol=1e-6)
    assert lines.hover_line.opts["pen"].widthF() > lines.lines[j].opts["pen"].widthF()
    name = s.data.feature_names[j]
    assert lines.readout.text().startswith(f"{name}: w = ")
    # away from every line: no highlight
    far = vb.mapViewToScene(QtCore.QPointF(lines.x[i], vb.viewRange()[1][1]))
    assert pane.hover_at(far) is None and lines.hovered is None
    assert not lines.readout.isVisible()
    assert pane.hover_at(scene) == j  # the public handler, as the scene calls it


def test_thirty_path_lines_name_the_largest_at_the_cursor(make_window, tmp_path):
    w = thirty_features(make_window, tmp_path)
    w.grid.show_pane("path")
    w.session.path_model.wait()
    QtTest.QTest.qWait(10)
    pane = w.panes["path"]
    path = w.session.path_model.path
    xs = pane.x.xs
    i = int(np.argmin(np.abs(xs - pane.x.to_x(w.session.path_model.alpha))))
    weak = np.abs(path.coefs[pane.x.weakest()])
    check_labels(pane, np.abs(path.coefs[i]) + 1e-9 * weak / weak.max())
    lines = pane.feature_lines
    j, i = lone_point(lines)
    vb = pane.plot.getViewBox()
    scene = vb.mapViewToScene(QtCore.QPointF(lines.x[i], float(lines.Y[i, j])))
    assert pane.hover_at(scene) == j and lines.hovered == j
    assert pane.readout.text().startswith(w.session.data.feature_names[j])


def test_few_features_all_keep_their_colour_and_name(make_window):
    w = make_window("--dataset", "two-features", "--steps", "50")
    lines = w.panes["trajectories"].feature_lines
    d = w.session.data.n_features
    assert d <= 8 and sorted(lines.shown_labels()) == list(range(d))
    assert [line.opts["pen"].color().name() for line in lines.lines] == [
        c.lower() for c in LINE_COLOURS[:d]
    ]


def test_labels_are_spread_apart_within_bounds():
    ys = spread_between([5, 5.1, 5.2, -100, 100], 2.0, 0.0, 10.0)
    assert ys.min() >= 0 and ys.max() <= 10
    assert np.min(np.diff(np.sort(ys))) >= 2.0 - 1e-12


# -- markers where the settings changed ---------------------------------------------
def marker_texts(pane):
    return [label.textItem.toPlainText() for label in pane.markers.shown_labels()]


def test_changing_lambda_mid_run_is_marked_in_both_panes(qtbot, make_window):
    w = make_window("--dataset", "diabetes", "--penalty", "l1")
    s = w.session
    s.step(60)
    type_into(qtbot, w.controls.lam1.spin, "7.5")
    s.step(60)
    click(qtbot, w.controls.penalty_buttons.button(2))  # L2
    assert s.settings.penalty == "l2"
    s.step(60)
    w.panes["curves"].refresh_now()
    QtTest.QTest.qWait(20)  # the curves' automatic range follows on the next paint
    want = [(60, "λ → 7.5"), (120, "L1 → L2")]
    for key in ("trajectories", "curves"):
        pane = w.panes[key]
        assert pane.markers.marked == want
        lines = [ln for ln in pane.markers.lines if ln.isVisible()]
        assert [ln.value() for ln in lines] == [60, 120]
        assert marker_texts(pane) == ["λ → 7.5", "L1 → L2"]
        rects = [lb.sceneBoundingRect() for lb in pane.markers.shown_labels()]
        assert not rects[0].intersects(rects[1])
    zero = w.panes["curves"].zero_markers
    assert [ln.value() for ln in zero.lines if ln.isVisible()] == [60, 120]
    assert not zero.shown_labels()  # the lines only, under the labelled plot
    s.reset()  # a new run from step 0 has no changes yet
    assert w.panes["trajectories"].markers.marked == []


def test_a_dragged_slider_is_one_marker_with_the_net_change(make_window):
    w = make_window("--dataset", "diabetes", "--penalty", "l1")
    s = w.session
    s.step(100)
    for k in range(1, 11):  # an edit per frame while playing
        s.edit(lam1=0.5 * k)
        s.step(1)
    s.step(100)
    s.edit(lr=0.01)
    s.step(100)
    pane = w.panes["trajectories"]
    assert pane.markers.marked == [(100, "λ → 5"), (210, "η → 0.01")]


def test_change_labels_name_each_kind_of_change():
    start = {"penalty": Penalty.l1(0.1), "lr": "auto", "rule": "proximal", "batch": 50}
    events = [
        (10, "penalty", Penalty.l1(0.2)),
        (10, "penalty", Penalty.l1(0.12)),
        (20, "penalty", Penalty.elastic_net(0.12, 0.3)),
        (30, "penalty", Penalty.elastic_net(0.12, 0.5)),
        (40, "lr", 0.5),
        (50, "rule", "subgradient"),
        (60, "lr", "auto"),
        (60, "batch", 10),
        (70, "penalty", Penalty.l1(0.3)),
        (70, "penalty", Penalty.l1(0.12)),
    ]
    texts = [(step, change_text(b, a)) for step, b, a in changes(start, events)]
    assert texts == [
        (10, "λ → 0.12"),
        (20, "L1 → Elastic Net"),
        (30, "λ₂ → 0.5"),
        (40, "η → 0.5"),
        (50, "rule → subgradient"),
        (60, "η → auto, batch → 10"),
        (70, "Elastic Net → L1"),
    ]


# -- log axes -------------------------------------------------------------------------
def presentation_font() -> QtGui.QFont:
    font = QtGui.QFont()
    font.setPointSize(14)
    return font


@pytest.mark.parametrize("size", [90, 150, 260])
def test_lambda_axis_labels_do_not_overlap_on_a_short_axis(qtbot, size):
    axis = StrengthAxis("bottom")
    font = presentation_font()
    axis.setTickFont(font)
    lo, hi = -4.5, 1.2  # over five decades, 3.2e-5 to 15.8
    values = [v for _, vs in axis.tickValues(lo, hi, size) for v in vs]
    strings = axis.tickStrings(values, 1.0, 1.0)
    assert strings and all(strings)
    metrics = QtGui.QFontMetricsF(font)
    widths = [metrics.horizontalAdvance(t) for t in strings]
    assert labels_fit(values, widths, lo, hi, size)
    assert strings == [compact(10.0**v) for v in values]


def test_lambda_axis_shows_two_and_five_when_there_is_room(qtbot):
    axis = StrengthAxis("bottom")
    values = [v for _, vs in axis.tickValues(-2.0, 0.0, 600) for v in vs]
    assert axis.tickStrings(values, 1.0, 1.0) == [
        "0.01",
        "0.02",
        "0.05",
        "0.1",
        "0.2",
        "0.5",
        "1",
    ]


@pytest.mark.parametrize("size", [60, 100, 200])
def test_loss_axis_labels_do_not_overlap_on_a_short_axis(qtbot, size):
    axis = theme.LogAxis("left")
    axis.setLogMode(False, True)
    font = presentation_font()
    axis.setTickFont(font)
    lo, hi = -3.3, 6.4
    axis.setRange(lo, hi)
    values = [v for _, vs in axis.tickValues(lo, hi, size) for v in vs]
    strings = [t for t in axis.tickStrings(values, 1.0, 1.0)]
    assert len(values) >= 1 and all(strings)
    heights = [QtGui.QFontMetricsF(font).height()] * len(values)
    assert labels_fit(values, heights, lo, hi, size)
    assert all(float(v).is_integer() for v in values)  # decades only


def test_grey_lines_turn_dark_grey_on_the_dark_theme(qtbot, make_window, tmp_path):
    from gui.panes.line_labels import GREY_DARK

    w = thirty_features(make_window, tmp_path, "--steps", "100")
    lines = w.panes["trajectories"].feature_lines
    grey = [j for j in range(30) if j not in lines.colour_of]

    def colours():
        return {lines.lines[j].opts["pen"].color().name() for j in grey}

    assert colours() == {GREY_LIGHT.lower()}
    w.set_dark(True)
    try:
        qtbot.waitUntil(lambda: colours() == {GREY_DARK.lower()}, timeout=8000)
    finally:
        w.set_dark(False)
    qtbot.waitUntil(lambda: colours() == {GREY_LIGHT.lower()}, timeout=8000)


def test_grey_lines_follow_the_theme_when_the_palette_was_already_dark(
    qtbot, make_window, tmp_path
):
    """The application's palette is shared: a second window switched to dark gets no
    palette change event, and its grey lines must still turn dark grey."""
    from gui.panes.line_labels import GREY_DARK

    first = make_window("--dataset", "two-features")
    first.set_dark(True)  # the application's palette is dark from here on
    try:
        w = thirty_features(make_window, tmp_path, "--steps", "100")
        lines = w.panes["trajectories"].feature_lines
        grey = [j for j in range(30) if j not in lines.colour_of]
        w.set_dark(True)
        qtbot.waitUntil(
            lambda: (
                {lines.lines[j].opts["pen"].color().name() for j in grey}
                == {GREY_DARK.lower()}
            ),
            timeout=8000,
        )
        w.set_dark(False)
    finally:
        first.set_dark(False)
