"""The weights pane's view choices (nonzero only, top k, raw units) and text that is
never cut or piled up: at 1280 × 720 and on a slide."""

import itertools

import numpy as np
import pytest
from PySide6 import QtCore, QtGui

from gui.ticks import label_width
from tests.gui.helpers import plain_text


def choose(box, key):
    """Pick the entry ``key`` of a combo box as a user does (its index)."""
    i = box.findData(key)
    assert i >= 0, key
    box.setCurrentIndex(i)


def n_bars(item) -> int:
    x, y = item.opts.get("x"), item.opts.get("y")
    at = x if x is not None else y
    return 0 if at is None else len(at)


def bar_places(item):
    """Positions along the feature axis and signed lengths of the bars of ``item``."""
    o = item.opts
    if o.get("y") is not None:  # horizontal bars
        return np.asarray(o["y"]), np.asarray(o["width"]) * np.sign(
            np.asarray(o["x0"]) + 1e-300
        )
    return np.asarray(o["x"]), np.asarray(o["height"])


@pytest.fixture
def lesson4(make_window):
    w = make_window("--lesson", "feature-selection")
    w.resize(1280, 720)
    if w.session.trainer.step_count < 500:  # the lesson's steps
        w.session.step(500 - w.session.trainer.step_count)
    tr = w.session.trainer
    assert tr.w.size == 1000 and tr.n_zero > 900
    return w


def drawn_features(pane) -> np.ndarray:
    return np.asarray(pane._order)


def test_nonzero_only_draws_one_bar_per_nonzero_weight_and_counts_the_zeros(
    qtbot, lesson4
):
    pane, tr = lesson4.weights, lesson4.session.trainer
    nonzero, zeros = int((tr.w != 0).sum()), tr.n_zero
    assert n_bars(pane.zero_bars) == zeros  # all weights: a stub for every zero
    choose(pane.show_box, "nonzero")
    drawn = n_bars(pane.pos_bars) + n_bars(pane.neg_bars)
    assert drawn == nonzero and n_bars(pane.zero_bars) == 0
    assert np.all(tr.w[drawn_features(pane)] != 0)
    head = plain_text(pane.header)
    assert head.startswith(f"{zeros} of 1000 weights are exactly 0")
    assert f"{zeros} zeros not shown" in head
    # the bars are wide now: 48 of them across the plot, not 1000
    vb = pane.plot.getViewBox()
    x0, x1 = vb.viewRange()[0]
    assert x1 - x0 < nonzero + 2
    assert pane.view_state()["show"] == "nonzero"


@pytest.mark.parametrize("k", [10, 20])
def test_top_k_draws_the_k_largest_weights_with_their_names(qtbot, lesson4, k):
    pane, tr = lesson4.weights, lesson4.session.trainer
    choose(pane.show_box, f"top{k}")
    assert n_bars(pane.pos_bars) + n_bars(pane.neg_bars) == k
    top = set(np.argsort(-np.abs(tr.w))[:k].tolist())
    assert set(drawn_features(pane).tolist()) == top
    assert pane.horizontal  # few bars: lying down, names beside them
    nonzero = int((tr.w != 0).sum())
    assert f"top {k} of {nonzero} nonzero" in plain_text(pane.header)
    names = lesson4.session.data.feature_names
    ticks = pane.plot.getAxis("left")._tickLevels[0]
    for pos, text in ticks:
        full = names[int(drawn_features(pane)[int(pos)])]
        assert text == full or "…" in text  # the name, or elided in the middle


def test_raw_units_divide_by_the_features_sd_and_move_the_intercept(qtbot, make_window):
    w = make_window("--dataset", "diabetes")
    w.session.step(200)
    pane, tr, data = w.weights, w.session.trainer, w.session.data
    assert pane.horizontal and data.standardized
    at, length = bar_places(pane.pos_bars)
    np.testing.assert_allclose(length, tr.w[pane._order][at.astype(int)])
    assert "per SD" in pane.plot.getAxis("bottom").labelText
    choose(pane.units_box, "raw")
    raw_w, raw_b = data.raw_coef(tr.w, tr.b)
    for item in (pane.pos_bars, pane.neg_bars):
        at, length = bar_places(item)
        np.testing.assert_allclose(
            np.abs(length), np.abs(raw_w[pane._order][at.astype(int)]), rtol=1e-12
        )
    assert not np.allclose(np.abs(raw_w), np.abs(tr.w), rtol=0.05)  # other heights
    assert "per unit" in pane.plot.getAxis("bottom").labelText
    assert f"intercept b = {raw_b:.4g}" in pane.footer.text()
    # the value axis holds the raw weights
    lo, hi = pane.plot.getViewBox().viewRange()[0]
    assert lo <= raw_w.min() and raw_w.max() <= hi
    assert pane.view_state()["units"] == "raw"
    choose(pane.units_box, "sd")
    assert f"intercept b = {tr.b:.4g}" in pane.footer.text()


def test_raw_units_are_not_offered_for_data_trained_on_raw_scales(make_window):
    w = make_window("--dataset", "diabetes", "--no-standardize")
    assert not w.weights.units_box.isEnabled()


def label_fits(axis) -> bool:
    vertical = axis.orientation in ("left", "right")
    room = axis.geometry().height() if vertical else axis.geometry().width()
    return label_width(axis, axis.labelText) <= room


def text_rects(axis):
    img = QtGui.QImage(10, 10, QtGui.QImage.Format.Format_ARGB32)
    painter = QtGui.QPainter(img)
    try:
        specs = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    return [rect for rect, _, _ in specs[2]] if specs else []


def assert_apart(rects):
    for a, b in itertools.combinations(rects, 2):
        assert not a.intersects(b), (a, b)


def text_fits(label) -> bool:
    """The label's whole text fits its box (wrapped where it wraps, rich text laid
    out as the label lays it out)."""
    label.ensurePolished()
    doc = QtGui.QTextDocument()
    doc.setDefaultFont(label.font())
    doc.setDocumentMargin(0)
    if label.textFormat() == QtCore.Qt.TextFormat.PlainText or "<" not in label.text():
        doc.setPlainText(label.text())
    else:
        doc.setHtml(label.text())
    width = label.contentsRect().width()
    if label.wordWrap():
        doc.setTextWidth(width)
    return doc.idealWidth() <= width + 1 and doc.size().height() <= (
        label.contentsRect().height() + 1
    )


@pytest.mark.parametrize("presenting", [False, True])
@pytest.mark.parametrize("show", ["all", "nonzero", "top20"])
def test_lesson_4_text_is_whole_and_never_piled_up(
    qtbot, request, lesson4, presenting, show
):
    w = lesson4
    pane = w.weights
    choose(pane.show_box, show)
    if presenting:
        w.set_presentation(True)
        # the application's font is shared: later windows get the normal size back
        request.addfinalizer(lambda: w.set_presentation(False))
    qtbot.wait(30)
    for side in ("left", "bottom"):
        axis = pane.plot.getAxis(side)
        assert label_fits(axis), (side, axis.labelText, axis.geometry(), pane.size())
        rects = text_rects(axis)
        assert rects  # there are tick labels ...
        assert_apart(rects)  # ... none lies on another ...
        length = axis.geometry().height() if side == "left" else axis.width()
        for r in rects:  # ... and none runs past the end of its axis
            lo, hi = (r.top(), r.bottom()) if side == "left" else (r.left(), r.right())
            assert -1 <= lo and hi <= length + 1, (side, r, length)
    assert text_fits(pane.footer), pane.footer.text()
    assert text_fits(pane.header), pane.header.text()
    # the zero count of the curves pane: its tick labels apart too
    assert_apart(text_rects(w.curves.zero_plot.getAxis("left")))


def test_the_score_line_is_never_cut_in_a_narrow_pane(qtbot, make_window):
    w = make_window("--dataset", "two-features")
    w.session.step(100)
    pane = w.weights
    assert "recall" in pane.footer.text()
    pane.footer.parentWidget().resize(260, pane.height())
    qtbot.wait(30)
    assert "(of 2 true)" in pane.footer.text()
    assert text_fits(pane.footer)
