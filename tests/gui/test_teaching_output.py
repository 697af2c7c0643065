"""Figures, presentation mode, themes and session files, through the window."""

import json
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PySide6 import QtCore, QtGui, QtWidgets

from engine import Penalty
from tests.gui.helpers import context_menu, import_now


@pytest.fixture
def window(make_window, capture_errors):
    w = capture_errors(make_window("--dataset", "diabetes"))
    w.session.step(60)
    return w


@pytest.mark.parametrize(
    "what", ["window", "weights", "geometry", "trajectories", "curves"]
)
def test_png_exports_have_the_size_of_the_pane_times_the_scale(window, tmp_path, what):
    widget = window.figures.widget(what)
    for scale in (1, 2, 3):
        path = tmp_path / f"{what}{scale}.png"
        assert window.figures.export(what, "png", scale, path=path)
        img = QtGui.QImage(str(path))
        assert (img.width(), img.height()) == (
            widget.width() * scale,
            widget.height() * scale,
        )


def test_svg_export_parses_and_holds_vector_text(window, tmp_path):
    path = tmp_path / "weights.svg"
    assert window.figures.export("weights", "svg", path=path)
    root = ET.parse(path).getroot()
    assert root.tag.endswith("svg")
    text = path.read_text()
    assert "bmi" in text  # feature names are text, not pixels
    assert "<path" in text or "<polyline" in text


def test_default_names_say_what_is_shown(window):
    name = window.figures.default_path("weights", ".png").name
    assert name.startswith("weights_l1_lam2.241_step60")
    assert name.endswith(".png")


def test_right_click_on_a_pane_offers_the_exports(qtbot, window):
    menu = context_menu(window, window.curves.canvas.viewport())
    texts = [a.text() for a in menu.actions()]
    assert "Export loss curves as PNG at 2×…" in texts and "Export as SVG…" in texts
    assert "Copy to clipboard" in texts
    menu.close()


def test_copy_puts_the_focused_pane_on_the_clipboard(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.weights.plot_widget.setFocus()
    assert window.figures.focused_pane() == "weights"
    window.figures.copy_action.trigger()
    img = QtWidgets.QApplication.clipboard().image()
    assert (img.width(), img.height()) == (
        window.weights.width() * 2,
        window.weights.height() * 2,
    )


def test_presentation_mode_hides_controls_enlarges_text_and_shows_a_caption(
    qtbot, window, tmp_path
):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    tick = window.weights.plot.getAxis("bottom").style["tickFont"]
    before = tick.pointSize() if tick else 10
    qtbot.keyClick(window, QtCore.Qt.Key.Key_F5)
    assert window.appearance.presenting and window.caption.isVisible()
    assert not window.controls_dock.isVisible()
    assert (
        "L1, λ = 2.241" in window.caption.text() and "step 60" in window.caption.text()
    )
    after = window.weights.plot.getAxis("bottom").style["tickFont"].pointSize()
    assert after > before
    curve = window.curves.objective.opts["pen"]
    assert pg_width(curve) > 2.5  # thicker lines
    path = tmp_path / "present.png"
    assert window.figures.export("window", "png", 1, path=path)
    qtbot.keyClick(window, QtCore.Qt.Key.Key_F5)
    assert not window.appearance.presenting and window.controls_dock.isVisible()
    assert not window.caption.isVisible()


def pg_width(pen):
    import pyqtgraph as pg

    return pg.mkPen(pen).widthF()


def test_dark_theme_on_screen_white_exports_by_default(window, tmp_path):
    window.set_dark(True)
    assert window.weights.plot_widget.backgroundBrush().color().lightness() < 60
    white = tmp_path / "white.png"
    window.figures.export("weights", "png", 1, path=white)
    corner = QtGui.QImage(str(white)).pixelColor(
        window.weights.plot_widget.x() + 20, window.weights.plot_widget.y() + 20
    )
    assert corner.lightness() > 240
    window.figures.keep_theme = True
    dark = tmp_path / "dark.png"
    window.figures.export("weights", "png", 1, path=dark)
    corner = QtGui.QImage(str(dark)).pixelColor(
        window.weights.plot_widget.x() + 20, window.weights.plot_widget.y() + 20
    )
    assert corner.lightness() < 60
    assert window.appearance.dark  # still dark on screen


def test_session_round_trip_reproduces_the_weights_exactly(qtbot, window, tmp_path):
    s = window.session
    s.set_penalty(Penalty.l1(5.0))
    s.step(40)
    window.controls.rule_box.setCurrentIndex(1)
    s.step(15)
    window.weights.sort_box.setCurrentIndex(1)
    w_saved, steps = s.trainer.w.copy(), s.trainer.step_count
    path = tmp_path / "lesson.json"
    assert window.files.save_session(path)
    window.load_bundled("houses")
    window.weights.sort_box.setCurrentIndex(0)
    worker = window.files.open_session(path)
    qtbot.waitUntil(lambda: not window.files.opening_session, timeout=30000)
    assert worker is not None
    assert s.dataset.name == "diabetes" and s.trainer.step_count == steps
    np.testing.assert_array_equal(s.trainer.w, w_saved)
    assert s.trainer.rule == "subgradient" and s.penalty == Penalty.l1(5.0)
    assert window.weights.sort_box.currentIndex() == 1
    assert "weights identical" in window.statusBar().currentMessage()


@pytest.mark.parametrize(
    "content, fragment",
    [
        ('{"format": "l1l2-explorer-session", "version": 1, "datas', "truncated"),
        ('{"format": "l1l2-explorer-session", "version": 99}', "newer version"),
        ("not json at all", "broken or truncated JSON"),
    ],
)
def test_broken_session_files_change_nothing(window, tmp_path, content, fragment):
    s = window.session
    before = (s.dataset, s.trainer, s.trainer.step_count)
    p = tmp_path / "bad.json"
    p.write_text(content)
    assert window.files.open_session(p) is None
    assert fragment in window.errors[-1]
    assert (s.dataset, s.trainer, s.trainer.step_count) == before


def test_a_session_whose_csv_changed_is_refused_and_changes_nothing(
    qtbot, window, tmp_path
):
    csv = tmp_path / "d.csv"
    csv.write_text("a,b,y\n1,2,3\n2,1,3\n3,3,7\n4,1,6\n5,2,8\n")
    dlg = window.open_csv(csv)
    qtbot.waitUntil(lambda: dlg.worker is None, timeout=10000)
    dlg.validation.setValue(0.0)
    import_now(qtbot, window, dlg)
    window.session.step(5)
    path = tmp_path / "s.json"
    assert window.files.save_session(path)
    doc = json.loads(path.read_text())
    source = doc["settings"]["source"]
    assert source["kind"] == "csv" and len(source["spec"]["sha256"]) == 64
    csv.write_text("a,b,y\n1,2,3\n2,1,3\n3,3,7\n4,1,6\n")
    window.load_bundled("diabetes")
    before = window.session.trainer
    window.files.open_session(path)
    qtbot.waitUntil(lambda: not window.files.opening_session, timeout=10000)
    assert "changed since the session was saved" in window.errors[-1]
    assert window.session.trainer is before


def test_a_moved_csv_is_located_and_the_session_opens(qtbot, window, tmp_path):
    csv = tmp_path / "d.csv"
    csv.write_text("a,b,y\n1,2,3\n2,1,3\n3,3,7\n4,1,6\n5,2,8\n6,0,6\n")
    dlg = window.open_csv(csv)
    qtbot.waitUntil(lambda: dlg.worker is None, timeout=10000)
    dlg.validation.setValue(0.0)
    import_now(qtbot, window, dlg)
    window.session.step(7)
    saved_w = window.session.trainer.w.copy()
    path = tmp_path / "sessions" / "s.json"
    path.parent.mkdir()
    assert window.files.save_session(path)
    moved = tmp_path / "archive" / "renamed.csv"
    moved.parent.mkdir()
    csv.rename(moved)
    asked = []
    window.load_bundled("diabetes")
    before = window.session.trainer

    def decline(missing):
        asked.append(missing)
        return None

    window.files.locate_csv = decline  # the user presses Cancel
    window.files.open_session(path)
    qtbot.waitUntil(lambda: not window.files.opening_session, timeout=10000)
    assert asked == [csv.resolve()] and window.session.trainer is before
    window.files.locate_csv = lambda missing: str(moved)  # … or finds the file
    window.files.open_session(path)
    qtbot.waitUntil(
        lambda: (
            window.session.trainer is not before and not window.files.opening_session
        ),
        timeout=10000,
    )
    assert window.session.trainer.step_count == 7
    np.testing.assert_array_equal(window.session.trainer.w, saved_w)
    assert window.session.settings.source.path == str(moved.resolve())


def test_presentation_mode_enlarges_the_panes_own_labels_too(qtbot, window):
    header, footer = window.weights.header, window.weights.footer
    curves_title = window.curves.legend

    def pt(label):
        label.ensurePolished()
        return label.font().pointSizeF()

    before = (pt(header), pt(footer), pt(curves_title))
    assert "font-size:10pt" in header.text()  # the settings after the counter
    window.set_presentation(True)
    after = (pt(header), pt(footer), pt(curves_title))
    assert all(a >= 1.4 * b for a, b in zip(after, before, strict=True))
    assert "font-size:15pt" in header.text()
    # the score line gets the room of the view options
    assert not window.weights.sort_box.isVisible()
    window.set_presentation(False)
    assert (pt(header), pt(footer), pt(curves_title)) == before
    assert "font-size:10pt" in header.text()
    assert window.weights.sort_box.isVisible()
    assert not window.weights.truth_box.isVisible()  # diabetes has no true weights


def test_presentation_mode_enlarges_labels_inside_plots(window):
    label = window.geometry.views[0].optimum_label
    before = label.textItem.font().pointSizeF()
    window.set_presentation(True)
    assert label.textItem.font().pointSizeF() == 1.5 * before
    window.set_presentation(False)
    assert label.textItem.font().pointSizeF() == before
