"""A figure of a pane is the plot with its title, legend and caption: the pane's
controls are left out (unless asked for), and the window is unchanged afterwards."""

import pyqtgraph as pg
import pytest
from PySide6 import QtGui, QtWidgets

from gui import export
from gui.actions import recording
from gui.panes import PANE_KEYS, figure_controls, refresh_panes


@pytest.fixture(autouse=True)
def app_look(qapp):
    """Each test starts with the light palette and the normal font, whatever a
    window of an earlier test left in the application (the theme is app-wide)."""
    palette, font = QtGui.QPalette(qapp.palette()), QtGui.QFont(qapp.font())
    yield
    qapp.setPalette(palette)
    qapp.setFont(font)


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
        "compare": ["summary", "table"],
        "curves": ["legend"],
        "trajectories": ["header"],
        "path": ["summary"],
        "cv": ["summary"],
        "stability": ["summary"],
        "geometry": [],
        "fit": ["heading", "legend", "facts"],
        "threshold": ["header", "caption", "legend"],
        "prior": ["header", "caption", "key"],
        "wins": ["summary"],
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
    assert pane.options in controls  # the combo boxes and Fit view, one row
    assert pane.options.isAncestorOf(pane.sort_box)
    assert pane.options.isAncestorOf(pane.fit_button)

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
    # a pane behind a tab is drawn when shown (or exported): bring all up to date
    refresh_panes(window)
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

    # an aspect-locked plot (geometry) grows and comes back to the same ranges
    window.figures.controls_action.setChecked(False)
    assert window.figures.export("geometry", "png", 1, path=tmp_path / "g.png")
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


# -- legends and labels in the dark theme and in presentation mode --------------------
def first_char_format(text_item):
    """The character format a LabelItem or TextItem draws its first letter with."""
    doc = text_item.document()
    return doc.begin().begin().fragment().charFormat()


def legend_labels(window):
    """A pyqtgraph legend of 10 lines in the trajectories plot (the panes name their
    lines at their ends now; the Monte Carlo plot and user code still use legends,
    and the appearance styles any legend it finds)."""
    plot = window.trajectories.plot
    legend = plot.legend
    if legend is None:
        legend = plot.addLegend(offset=(5, 5))
        for j in range(10):
            line = plot.plot([0, 1], [j, j], pen=pg.mkPen("#0072B2"))
            legend.addItem(line, f"feature {j}")
        window.appearance.restyle()
    return legend, [label for _sample, label in legend.items]


def test_dark_theme_legend_labels_are_drawn_in_the_foreground(window):
    from gui.actions.appearance import DARK, LIGHT

    window.set_dark(True)
    _, labels = legend_labels(window)
    for label in labels:
        colour = first_char_format(label.item).foreground().color().name()
        assert colour == DARK["foreground"].lower() != DARK["background"].lower()
    window.set_dark(False)
    for label in labels:
        colour = first_char_format(label.item).foreground().color().name()
        assert colour == LIGHT["foreground"].lower()


def test_a_legend_made_after_the_theme_changed_follows_it(make_window):
    from gui.actions.appearance import DARK

    w = make_window("--dataset", "houses")
    w.set_dark(True)
    plot = w.trajectories.plot
    legend = plot.addLegend()
    legend.addItem(plot.plot([0, 1], [0, 1]), "made after")
    assert w.load_bundled("diabetes")  # loading restyles the window
    labels = [label for _sample, label in legend.items]
    for label in labels:
        colour = first_char_format(label.item).foreground().color().name()
        assert colour == DARK["foreground"].lower()


def test_presentation_mode_enlarges_legends_and_keeps_them_inside_the_plot(window):
    legend, labels = legend_labels(window)
    before = [first_char_format(label.item).font().pointSizeF() for label in labels]
    window.set_presentation(True)
    after = [first_char_format(label.item).font().pointSizeF() for label in labels]
    assert all(a == 1.5 * b for a, b in zip(after, before, strict=True))
    # larger entries go into columns rather than off the bottom of the plot
    vb = legend.parentItem()
    bottom = legend.mapRectToItem(vb, legend.boundingRect()).bottom()
    assert bottom <= vb.boundingRect().height()
    assert legend.columnCount > 1  # 10 entries at 15 pt do not fit in one column
    window.set_presentation(False)
    again = [first_char_format(label.item).font().pointSizeF() for label in labels]
    assert again == before


def test_the_w_star_label_grows_in_presentation_mode(window):
    label = window.geometry.views[0].w_star.label()
    assert label.toPlainText() == "w*"
    before = label.textItem.font().pointSizeF()
    window.set_presentation(True)
    assert label.textItem.font().pointSizeF() == 1.5 * before
    window.set_presentation(False)
    assert label.textItem.font().pointSizeF() == before


def test_a_label_made_while_presenting_grows_once_not_twice(window):
    before = window.geometry.views[0].w_star.label().textItem.font().pointSizeF()
    window.set_presentation(True)
    window.geometry.side_box.setChecked(True)  # three new plots, new w* labels
    for view in window.geometry.views:
        size = view.w_star.label().textItem.font().pointSizeF()
        assert size == 1.5 * before


def test_labels_with_their_own_style_take_the_dark_theme_colour(window):
    from gui.actions.appearance import DARK

    window.set_dark(True)
    for label in (
        window.weights.header,
        window.curves.legend,
        window.panes["cv"].summary,
    ):
        assert label.styleSheet()  # a style sheet of its own (its font size)
        colour = label.palette().windowText().color().name()
        assert colour == DARK["foreground"].lower()


def test_the_loss_legend_draws_the_objective_in_the_foreground(window):
    # F's line is black on white and light on dark: its legend swatch has no
    # colour of its own, so it is drawn in the label's (the theme's) colour
    assert "#000000" not in window.curves.legend.text()
    window.set_dark(True)
    assert window.curves.objective.opts["pen"].color().name() == "#e6e6e6"


def test_the_monte_carlo_plot_follows_theme_and_presentation(qtbot, window):
    from engine.montecarlo import run_monte_carlo
    from gui.actions.appearance import DARK

    window.set_dark(True)
    window.set_presentation(True)
    window.geometry.open_monte_carlo()
    dlg = window.geometry.findChild(QtWidgets.QDialog)
    dlg.cancel()
    qtbot.waitUntil(lambda: dlg.worker is None, timeout=20000)
    dlg.show_result(run_monte_carlo(dims=(2,), n_samples=50, seed=1))
    background = dlg.plot_widget.backgroundBrush().color().name()
    assert background == DARK["background"].lower()
    for label in dlg.value_labels:
        colour = label.color.name()
        assert colour in ("#ffffff", DARK["foreground"].lower())  # in a bar, above
        assert label.textItem.font().pointSizeF() == 1.5 * label._l1l2_pt
    legend = next(
        lab for lab in dlg.findChildren(QtWidgets.QLabel) if "■" in lab.text()
    )
    assert "pt" not in legend.text()  # swatches sized relative to the label's font
    dlg.close()


def test_an_axis_label_a_pane_sets_later_follows_theme_and_presentation(window):
    from gui.actions.appearance import DARK

    window.set_dark(True)
    window.set_presentation(True)
    pane = window.panes["path"]
    window.figures.widget("path")  # the path is computed
    pane.x_box.setCurrentIndex(pane.x_box.findData("norm"))  # a new x axis label
    style = pane.plot.getAxis("bottom").labelStyle
    assert pane.plot.getAxis("bottom").labelText.startswith("‖w‖₁")
    assert style["color"].lower() == DARK["foreground"].lower()
    assert style["font-size"] == "15pt"


def test_cv_line_labels_stay_inside_the_plot_in_a_presentation_figure(
    make_window, monkeypatch
):
    # houses: λ_min lies near the right edge, where its label used to be cut off
    window = make_window("--dataset", "houses", "--steps", "200")
    window.set_presentation(True)
    pane = window.panes["cv"]
    seen = []
    render = export.render_pixmap

    def spy(widget, scale=1):
        box = pane.plot.getViewBox().sceneBoundingRect()
        for line in (pane.min_line, pane.se_line):
            if line.isVisible():
                r = line.label.sceneBoundingRect()
                seen.append(box.left() <= r.left() and r.right() <= box.right() + 1)
        return render(widget, scale)

    monkeypatch.setattr(export, "render_pixmap", spy)
    window.figures.copy("cv")
    assert seen and all(seen)
