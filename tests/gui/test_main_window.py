"""The main window, driven through its real widgets."""

import numpy as np
import pytest
from PySide6 import QtCore, QtGui, QtTest, QtWidgets

from engine import Penalty, Trainer
from tests.gui.helpers import click, plain_text, type_into


def bar_positions(item):
    x = item.opts.get("x")
    return np.asarray([] if x is None else x)


def test_l1_play_on_houses_makes_exact_zeros_that_are_drawn_and_counted(
    qtbot, make_window
):
    w = make_window("--dataset", "houses")
    c = w.controls
    click(qtbot, c.penalty_buttons.button(2))  # L2 first, then back to L1
    click(qtbot, c.penalty_buttons.button(1))
    assert w.session.penalty.kind == "l1"
    click(qtbot, c.play_button)
    assert w.session.playing
    qtbot.waitUntil(lambda: w.session.trainer.step_count >= 150, timeout=20000)
    click(qtbot, c.play_button)
    assert not w.session.playing
    tr = w.session.trainer
    wv = tr.w
    k = int((wv == 0.0).sum())
    assert k > 900
    assert plain_text(w.weights.header).startswith(f"{k} of 1000 weights are exactly 0")
    # bars of zeroed weights are drawn as zero stubs, not as blue/vermillion bars
    zero_x = bar_positions(w.weights.zero_bars).astype(int)
    np.testing.assert_array_equal(np.sort(zero_x), np.flatnonzero(wv == 0.0))
    pos_x = bar_positions(w.weights.pos_bars).astype(int)
    neg_x = bar_positions(w.weights.neg_bars).astype(int)
    assert (wv[pos_x] > 0).all() and (wv[neg_x] < 0).all()
    assert len(pos_x) + len(neg_x) + len(zero_x) == 1000
    assert w.status_labels["nonzero"].text() == f"{1000 - k} of 1000 nonzero"


def test_l2_after_reset_keeps_every_weight_nonzero(qtbot, make_window):
    w = make_window("--dataset", "houses")
    c = w.controls
    click(qtbot, c.penalty_buttons.button(2))
    click(qtbot, c.reset_button)
    assert w.session.trainer.step_count == 0
    for _ in range(15):
        click(qtbot, c.step10_button)
    tr = w.session.trainer
    assert tr.step_count == 150 and tr.penalty.kind == "l2"
    assert plain_text(w.weights.header).startswith("0 of 1000 weights are exactly 0 ")
    assert (tr.history.scalar("n_zero") == 0).all()
    assert len(bar_positions(w.weights.zero_bars)) == 0


def test_changing_lambda_while_running_changes_the_next_step(qtbot, make_window):
    w = make_window("--dataset", "diabetes")
    s, c = w.session, w.controls
    for _ in range(3):
        click(qtbot, c.step10_button)
    twin = Trainer(s.data, loss=s.loss, penalty=s.penalty, seed=s.settings.seed)
    twin.step(30)
    np.testing.assert_array_equal(twin.w, s.trainer.w)
    click(qtbot, c.play_button)
    qtbot.waitUntil(lambda: s.trainer.step_count > 40, timeout=5000)
    type_into(qtbot, c.lam1.spin, "12.5")
    assert s.trainer.penalty == Penalty.l1(12.5)
    changed_at = s.trainer.step_count
    qtbot.waitUntil(lambda: s.trainer.step_count > changed_at + 20, timeout=5000)
    click(qtbot, c.play_button)
    assert s.playing is False and s.trainer.step_count > changed_at  # no reset
    pen = s.trainer.history.scalar("penalty")[-1]
    assert pen == pytest.approx(12.5 * np.abs(s.trainer.w).sum())
    # one more step uses the new λ: compare with a trainer given the same state
    twin.set_penalty(Penalty.l1(12.5))
    twin.set_state(s.trainer.w, s.trainer.b)
    click(qtbot, c.step_button)
    twin.step(1)
    np.testing.assert_allclose(s.trainer.w, twin.w, rtol=1e-12, atol=1e-12)


def test_reset_restores_the_seeded_start_exactly(qtbot, make_window):
    w = make_window("--dataset", "correlated")
    s, c = w.session, w.controls
    start = s.trainer.w.copy()
    for _ in range(5):
        click(qtbot, c.step10_button)
    assert not np.array_equal(s.trainer.w, start)
    click(qtbot, c.reset_button)
    np.testing.assert_array_equal(s.trainer.w, start)
    assert s.trainer.step_count == 0
    type_into(qtbot, c.seed_spin, "7")
    click(qtbot, c.reset_button)
    assert not np.array_equal(s.trainer.w, start)


def test_absurd_step_size_diverges_pauses_and_recovers_with_one_over_l(
    qtbot, make_window
):
    w = make_window("--dataset", "houses")
    s, c = w.session, w.controls
    click(qtbot, c.auto_lr)
    assert not c.auto_lr.isChecked()
    type_into(qtbot, c.lr_spin, "50")
    assert s.trainer.lr == 50
    click(qtbot, c.play_button)
    qtbot.waitUntil(lambda: w.banner.isVisible(), timeout=10000)
    assert not s.playing
    assert "diverged" in w.banner.message.text() and "1/L" in w.banner.message.text()
    assert c.lr_spin.property("warning") is True
    assert np.isfinite(s.trainer.w).all()
    for item in (w.weights.pos_bars, w.weights.neg_bars):
        h = item.opts.get("height")
        assert h is None or np.isfinite(h).all()
    click(qtbot, w.banner.fix_button)
    assert not w.banner.isVisible()
    assert c.auto_lr.isChecked() and s.trainer.lr == pytest.approx(s.trainer.lr_safe)
    before = s.trainer.step_count
    click(qtbot, c.step10_button)
    assert s.trainer.step_count == before + 10
    assert np.isfinite(s.trainer.w).all()


def test_keyboard_space_right_and_r(qtbot, make_window):
    w = make_window("--dataset", "diabetes")
    s = w.session
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    w.weights.plot_widget.setFocus()
    qtbot.keyClick(w, QtCore.Qt.Key.Key_Right)
    assert s.trainer.step_count == 1
    qtbot.keyClick(w, QtCore.Qt.Key.Key_Space)
    assert s.playing
    qtbot.waitUntil(lambda: s.trainer.step_count > 20, timeout=5000)
    qtbot.keyClick(w, QtCore.Qt.Key.Key_Space)
    assert not s.playing
    qtbot.keyClick(w, QtCore.Qt.Key.Key_R)
    assert s.trainer.step_count == 0


def test_solve_to_convergence_runs_off_the_gui_thread(qtbot, make_window):
    from engine import solve

    w = make_window("--dataset", "houses")
    s = w.session
    with qtbot.waitSignal(s.solveFinished, timeout=30000) as sig:
        click(qtbot, w.controls.solve_button)
        assert s.solving and w.progress.isVisible()
    res = sig.args[0]
    assert res.converged and not w.progress.isVisible()
    ref = solve(s.data, s.loss, s.penalty, tol=1e-8)
    np.testing.assert_array_equal(s.trainer.w == 0, ref.w == 0)
    assert s.trainer.objective == pytest.approx(ref.objective, rel=1e-7)
    assert "Converged" in w.statusBar().currentMessage()


def test_window_renders_to_png_with_a_drawn_weights_pane(qtbot, make_window, tmp_path):
    from gui import export, theme

    w = make_window("--dataset", "houses")
    w.session.step(100)
    for scale in (1, 2):
        path = tmp_path / f"shot{scale}.png"
        export.save_png(w, str(path), scale)
        img = QtGui.QImage(str(path))
        assert (img.width(), img.height()) == (w.width() * scale, w.height() * scale)
    pane = export.render_pixmap(w.weights).toImage()
    colours = {
        pane.pixelColor(x, y).name()
        for x in range(0, pane.width(), 2)
        for y in range(0, pane.height(), 2)
    }
    assert theme.POSITIVE.lower() in colours and theme.ZERO.lower() in colours


def test_few_features_get_their_names_on_the_axis_and_hover_text(qtbot, make_window):
    w = make_window("--dataset", "diabetes")
    pane = w.weights
    assert pane.horizontal
    ticks = pane.plot.getAxis("left")._tickLevels[0]
    assert [t[1] for t in ticks] == list(w.session.data.feature_names)
    w.session.step(300)
    j = int(np.flatnonzero(w.session.trainer.w == 0)[0])
    assert pane.describe(j).endswith(
        f"0 exactly since step {w.session.trainer.zero_events.is_zero_since(j)}"
    )


def test_sorting_by_size_puts_the_largest_weight_first(qtbot, make_window):
    w = make_window("--dataset", "houses")
    w.session.step(50)
    w.weights.sort_box.setCurrentIndex(1)
    order = w.weights.order()
    assert abs(w.session.trainer.w[order[0]]) == np.abs(w.session.trainer.w).max()
    assert "precision" in w.weights.footer.text()


def test_hover_read_out_follows_the_weight_under_the_pointer(qtbot, make_window):
    """The line below the bars about the hovered weight shows its value now, also
    after training moved it (here: L1 clamps it to exactly 0), not the value it had
    when the pointer arrived."""
    w = make_window("--dataset", "diabetes")
    s, pane = w.session, w.weights
    assert s.penalty.kind == "l1" and pane.horizontal
    twin = Trainer(s.data, loss=s.loss, penalty=s.penalty, seed=s.settings.seed)
    start = twin.w.copy()
    twin.step(300)
    j = int(np.flatnonzero((twin.w == 0) & (start != 0))[0])
    name = s.data.feature_names[j]
    # the pointer on the middle of bar j (feature order: bar j is at position j)
    vb = pane.plot.getViewBox()
    scene = vb.mapViewToScene(QtCore.QPointF(start[j] / 2, j))
    viewport = pane.plot_widget.viewport()
    at = pane.plot_widget.mapFromScene(scene)
    QtTest.QTest.mouseMove(viewport, at)
    qtbot.waitUntil(lambda: f"{name}: w = " in pane.footer.text())
    assert f"{name}: w = {start[j]:.4g}" in pane.footer.text()
    for _ in range(30):
        click(qtbot, w.controls.step10_button)
    assert s.trainer.w[j] == 0.0
    since = s.trainer.zero_events.is_zero_since(j)
    assert f"{name}: w = 0 exactly since step {since}" in pane.footer.text()
    assert f"{start[j]:.4g}" not in pane.footer.text()
    # off the bars (over the feature names), the read-out goes ...
    names_axis = pane.plot.getAxis("left").sceneBoundingRect().center()
    QtTest.QTest.mouseMove(viewport, pane.plot_widget.mapFromScene(names_axis))
    # (a pause: pyqtgraph ignores a move less than 10 ms after the last one)
    qtbot.wait(50)
    assert f"{name}: w" not in pane.footer.text()
    # ... and when the pointer leaves the plot (offscreen QTest sends no Leave)
    QtTest.QTest.mouseMove(viewport, at)
    qtbot.waitUntil(lambda: f"{name}: w = 0 exactly" in pane.footer.text())
    QtWidgets.QApplication.sendEvent(viewport, QtCore.QEvent(QtCore.QEvent.Type.Leave))
    assert f"{name}: w" not in pane.footer.text()


def test_figure_format_follows_the_file_ending():
    from gui.export import figure_format

    assert figure_format("a/b.PNG") == "PNG"
    assert figure_format("b.jpg") == figure_format("b.jpeg") == "JPEG"
    assert figure_format("b.svg") == "SVG"
    for bad in ("b.bmp", "b.png.txt", "b"):
        with pytest.raises(ValueError, match="choose .png, .jpg or .svg"):
            figure_format(bad)


def test_the_run_buttons_keep_their_places(qtbot, make_window):
    window = make_window("--dataset", "houses")
    c = window.controls
    buttons = [c.play_button, c.step_button, c.step10_button, c.reset_button]
    buttons.append(c.solve_button)

    def places():
        return [b.mapTo(window, b.rect().topLeft()) for b in buttons]

    before = places()
    for kind in ("penalty_elasticnet", "penalty_l2", "penalty_none", "penalty_l1"):
        click(qtbot, c.findChild(QtWidgets.QRadioButton, kind))  # rows come and go
        QtWidgets.QApplication.processEvents()
        assert places() == before, kind
    assert window.load_bundled("diabetes")  # another description
    QtWidgets.QApplication.processEvents()
    assert places() == before
