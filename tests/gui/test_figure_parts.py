"""A figure of a pane is the plot with its title, legend and caption: the pane's
controls are left out (unless asked for), and the window is unchanged afterwards."""

import pyqtgraph as pg
import pytest
from PySide6 import QtGui, QtWidgets

from gui import export
from gui.actions import recording
from gui.panes import PANE_KEYS, figure_controls


@pytest.fixture
def window(make_window, capture_errors):
    w = capture_errors(make_window("--dataset", "diabetes"))
    w.session.step(60)
    return w


def snapshot(window):
    """Where every widget of the window is and what every plot shows, once the
    layouts have settled."""
    for _ in range(3):
        QtWidgets.QApplication.sendPostedEvents()
        QtWidgets.QApplication.processEvents()
    # (hidden widgets, a closed dock or a tab behind another, are laid out lazily)
    geometry = {
        id(w): w.geometry().getRect()
        for w in window.findChildren(QtWidgets.QWidget)
        if w.isVisible()
    }
    ranges = [
        [list(r) for r in item.getViewBox().viewRange()]
        for view in window.findChildren(pg.GraphicsView)
        for item in view.scene().items()
        if isinstance(item, pg.PlotItem)
    ]
    return geometry, ranges


@pytest.mark.parametrize("key", PANE_KEYS)
def test_each_pane_declares_its_controls_and_not_its_captions(window, key):
    pane = window.panes[key]
    controls = pane.figure_controls()
    assert figure_controls(pane) == controls  # what an export asks the pane
    for c in controls:
        assert isinstance(c, QtWidgets.QWidget) and pane.isAncestorOf(c)
    kinds = (
        QtWidgets.QComboBox,
        QtWidgets.QAbstractButton,
        QtWidgets.QAbstractSpinBox,
        QtWidgets.QSlider,
    )
    # every combo box, check box, button and spin box of the pane is declared
    for kind in kinds:
        for w in pane.findChildren(kind):
            assert w in controls or any(c.isAncestorOf(w) for c in controls), w
    captions = {
        "weights": ["header", "footer"],
        "curves": ["legend"],
        "trajectories": ["header"],
        "path": ["summary"],
        "cv": ["summary"],
        "geometry": [],
    }[key]
    for name in captions:
        assert getattr(pane, name) not in controls
    if key == "geometry":
        assert all(v.title not in controls for v in pane.views)


def test_a_png_of_a_pane_is_rendered_without_its_controls(
    window, tmp_path, monkeypatch
):
    seen = []
    pane = window.weights
    # diabetes has no true coefficients: that box is hidden and stays hidden
    assert not pane.truth_box.isVisible()
    controls = [c for c in pane.figure_controls() if c.isVisible()]
    assert pane.sort_box in controls and pane.fit_button in controls

    def spy(widget, scale=1):
        seen.append(
            (
                widget,
                [c.isVisible() for c in controls],
                pane.footer.isVisible(),
                pane.plot_widget.height(),
            )
        )
        return render(widget, scale)

    render = export.render_pixmap
    monkeypatch.setattr(export, "render_pixmap", spy)
    before = snapshot(window)
    plot_height = pane.plot_widget.height()
    path = tmp_path / "weights.png"
    assert window.figures.export("weights", "png", 2, path=path)
    widget, visible, footer, height = seen[-1]
    assert widget is pane and not any(visible) and footer
    assert height > plot_height  # the plot takes the controls' room
    img = QtGui.QImage(str(path))
    assert (img.width(), img.height()) == (2 * pane.width(), 2 * pane.height())
    # the window is exactly as it was: every widget, every plot range
    assert all(c.isVisible() for c in controls)
    assert not pane.truth_box.isVisible()
    assert snapshot(window) == before

    window.figures.controls_action.setChecked(True)  # File › Export figure option
    assert window.figures.with_controls
    assert window.figures.export("weights", "png", 1, path=tmp_path / "with.png")
    widget, visible, footer, height = seen[-1]
    assert all(visible) and height == plot_height
    assert snapshot(window) == before


@pytest.mark.parametrize(
    ("key", "control_text", "caption_text"),
    [
        ("weights", "Fit view", "weights are exactly"),
        ("geometry", "Monte Carlo", "optimum w"),
        ("curves", "log scale", "penalty"),
    ],
)
def test_an_svg_of_a_pane_holds_no_control_text(
    window, tmp_path, key, control_text, caption_text
):
    path = tmp_path / f"{key}.svg"
    assert window.figures.export(key, "svg", path=path)
    text = path.read_text(encoding="utf-8")
    assert control_text not in text
    assert caption_text in text
    window.figures.with_controls = True
    assert window.figures.export(key, "svg", path=path)
    assert control_text in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("key", ["path", "cv"])
def test_path_and_cv_figures_keep_the_summary_and_drop_the_buttons(
    window, tmp_path, key, monkeypatch
):
    pane = window.panes[key]
    controls = pane.figure_controls()
    assert pane.controls.min_button in controls  # λ_min, from CursorControls.header
    seen = []
    render = export.render_pixmap

    def spy(widget, scale=1):
        seen.append(
            (pane.summary.isVisibleTo(pane), [c.isVisibleTo(pane) for c in controls])
        )
        return render(widget, scale)

    monkeypatch.setattr(export, "render_pixmap", spy)
    window.figures.widget(key)  # computes the path (and its cross-validation)
    shown = [c for c in controls if c.isVisibleTo(pane)]
    assert shown
    assert window.figures.export(key, "png", 1, path=tmp_path / f"{key}.png")
    summary, visible = seen[-1]
    assert summary and pane.summary.text()
    assert not any(visible)
    assert [c for c in controls if c.isVisibleTo(pane)] == shown


def test_copy_to_clipboard_leaves_the_controls_out(window, monkeypatch):
    seen = []
    render = export.render_pixmap
    box = window.curves.log_box

    def spy(widget, scale=1):
        seen.append(box.isVisible())
        return render(widget, scale)

    monkeypatch.setattr(export, "render_pixmap", spy)
    window.figures.copy("curves")
    assert seen == [False] and box.isVisible()


def test_a_window_figure_shows_the_window_as_it_is(window, tmp_path, monkeypatch):
    seen = []
    render = export.render_pixmap

    def spy(widget, scale=1):
        seen.append(window.weights.sort_box.isVisible())
        return render(widget, scale)

    monkeypatch.setattr(export, "render_pixmap", spy)
    assert window.figures.export("window", "png", 1, path=tmp_path / "w.png")
    assert seen == [True]


def test_focus_on_a_hidden_control_comes_back(qtbot, window, tmp_path):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.weights.sort_box.setFocus()
    qtbot.waitUntil(window.weights.sort_box.hasFocus)
    assert window.figures.export("weights", "png", 1, path=tmp_path / "w.png")
    assert window.weights.sort_box.hasFocus()


def test_the_right_click_menu_offers_the_controls_option(window):
    menu = window.figures.context_menu("weights")
    action = next(
        a for a in menu.actions() if a.text() == "Include the pane's controls"
    )
    assert action.isCheckable() and not action.isChecked()
    action.setChecked(True)
    assert window.figures.with_controls
    menu.close()


def test_a_recording_of_a_pane_leaves_the_controls_out_unless_asked(
    qtbot, window, tmp_path, monkeypatch
):
    seen = []
    render = recording.render_pixmap
    box = window.weights.sort_box

    def spy(widget, scale=1):
        seen.append(box.isVisible())
        return render(widget, scale)

    monkeypatch.setattr(recording, "render_pixmap", spy)
    dlg = window.figures.record("weights")
    assert not dlg.with_controls.isChecked()
    dlg.steps.setValue(4)
    dlg.every.setValue(2)
    dlg.output.setText(str(tmp_path / "w.gif"))
    res = dlg.start()
    assert res is not None and res.frames == 3
    assert seen == [False, False, False] and box.isVisible()
    seen.clear()
    dlg.with_controls.setChecked(True)
    dlg.output.setText(str(tmp_path / "w2.gif"))
    assert dlg.start() is not None
    assert seen == [True, True, True]
    dlg.close()
