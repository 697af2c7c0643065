"""The flow layout of the panes' option rows: one line when there is room, more
lines when there is not, never wider than its widest item, nothing overlapping."""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from gui.flow_layout import FlowLayout


def _row(qtbot, stretch=True):
    host = QtWidgets.QWidget()
    flow = FlowLayout(host)
    buttons = [QtWidgets.QPushButton(t) for t in ("first", "a longer second", "third")]
    for b in buttons:
        flow.addWidget(b)
    if stretch:
        flow.addStretch()
    tail = QtWidgets.QCheckBox("tail")
    flow.addWidget(tail)
    qtbot.addWidget(host)
    host.show()
    return host, flow, [*buttons, tail]


def _rects(widgets):
    return [w.geometry() for w in widgets]


def test_one_line_when_there_is_room_and_the_stretch_pushes_the_rest_right(qtbot):
    host, flow, widgets = _row(qtbot)
    host.resize(900, 100)
    flow.activate()
    rects = _rects(widgets)
    centres = [r.center().y() for r in rects]
    assert max(centres) - min(centres) <= 1  # one line, items centred on it
    assert rects[-1].right() >= 900 - 2  # the tail at the right edge
    assert len(flow.lines(900)) == 1


def test_a_narrow_row_wraps_without_overlap_and_inside_its_width(qtbot):
    host, flow, widgets = _row(qtbot)
    width = max(w.sizeHint().width() for w in widgets) + 10
    host.resize(width, flow.heightForWidth(width))
    flow.activate()
    rects = _rects(widgets)
    assert len(flow.lines(width)) >= 3
    for i, a in enumerate(rects):
        assert a.left() >= 0 and a.right() < width
        for b in rects[i + 1 :]:
            assert not a.intersects(b)
    assert flow.heightForWidth(width) > flow.heightForWidth(900)


def test_the_minimum_width_is_the_widest_item(qtbot):
    _, flow, widgets = _row(qtbot, stretch=False)
    widest = max(w.minimumSizeHint().width() for w in widgets)
    assert flow.minimumSize().width() == widest
    one_line = sum(w.sizeHint().width() for w in widgets)
    assert flow.sizeHint().width() >= one_line


def test_a_hidden_item_takes_no_room(qtbot):
    host, flow, widgets = _row(qtbot)
    widgets[1].hide()
    host.resize(900, 100)
    flow.activate()
    assert widgets[2].geometry().left() < widgets[1].sizeHint().width() + 100
    assert QtCore.QRect(widgets[0].geometry()).right() < widgets[2].geometry().left()
