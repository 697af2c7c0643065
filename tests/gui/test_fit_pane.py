"""The fit pane (issue 15): the polynomial's curve, predicted against actual, the
decision boundary; the degree control; the numbers are engine.fit's."""

import numpy as np
import pytest
from PySide6 import QtCore

from engine import Dataset
from engine.fit import fit_facts, logit_plane, polynomial_curve, probability_grid
from engine.polynomial import N_HELD_OUT, N_TRAIN
from tests.gui.helpers import click, plain_text, type_into

CTRL = QtCore.Qt.KeyboardModifier.ControlModifier


def solve(qtbot, w):
    click(qtbot, w.controls.solve_button)
    qtbot.waitUntil(lambda: not w.session.solving, timeout=30000)
    w.panes["fit"].refresh_now()


def test_the_polynomial_curve_is_the_models_and_overfits_without_a_penalty(
    qtbot, make_window
):
    w = make_window("--dataset", "polynomial", "--penalty", "none")
    pane, s = w.panes["fit"], w.session
    assert pane.mode == "curve"
    view = pane.views["curve"]
    assert len(view.train.data) == N_TRAIN and len(view.held.data) == N_HELD_OUT
    solve(qtbot, w)
    x, y = view.fitted.getData()
    expected = polynomial_curve(s.data, s.trainer.w, s.trainer.b, x)
    inside = np.abs(expected) < 10
    np.testing.assert_allclose(y[inside], expected[inside], rtol=1e-12)
    f = fit_facts(s.data, "squared", s.trainer.w, s.trainer.b)
    text = plain_text(pane.facts)
    assert f"training MSE {f.train.error:.4g}" in text
    assert f"held-out MSE {f.held_out.error:.4g}" in text
    assert f.held_out.error > 5 * f.train.error  # the overfit the lesson shows
    assert "all 15" in text and "degree 15" in pane.heading.text()
    # the plot's frame stays on the data while the curve wiggles out of it
    (x0, x1), (y0, y1) = pane.plot.viewRange()
    assert x0 < -1 and x1 > 1 and y1 - y0 < 6


def test_l1_switches_powers_off_and_the_label_lists_the_kept_ones(qtbot, make_window):
    w = make_window("--dataset", "polynomial")
    click(qtbot, w.controls.penalty_buttons.button(1))  # L1
    solve(qtbot, w)
    wts = w.session.trainer.w
    text = plain_text(w.panes["fit"].facts)
    kept = int(np.count_nonzero(wts))
    assert 0 < kept < 15 and f"({kept} of 15)" in text
    assert "x¹⁵" in text if wts[14] != 0.0 else "x¹⁵" not in text


def test_the_degree_box_makes_a_new_run_on_the_same_points_and_undo_returns(
    qtbot, make_window
):
    w = make_window("--dataset", "polynomial")
    c, s = w.controls, w.session
    assert c.degree_spin.isVisible() and c.degree_spin.value() == 15
    x_before = s.dataset.X[:, 0].copy()
    type_into(qtbot, c.degree_spin, "4")
    assert s.dataset.polynomial_degree == 4 and s.data.n_features == 4
    assert s.settings.source.degree == 4
    np.testing.assert_array_equal(s.dataset.X[:, 0], x_before)
    w.grid.show_pane("fit")  # behind its tab it is redrawn when shown
    qtbot.waitUntil(lambda: "degree 4" in w.panes["fit"].heading.text())
    assert w.undo.undo_action.text() == "&Undo degree 4"
    w.undo.undo_action.trigger()
    assert s.data.n_features == 15 and c.degree_spin.value() == 15
    # other data has no degree
    w2 = make_window("--dataset", "diabetes")
    assert not w2.controls.degree_spin.isVisible()


def test_predicted_against_actual_for_squared_loss(qtbot, make_window):
    w = make_window("--dataset", "diabetes", "--steps", "50")
    pane, s = w.panes["fit"], w.session
    assert pane.mode == "scatter" and pane.pair_row.isHidden()
    pane.refresh_now()
    view = pane.views["scatter"]
    xs, ys = view.train.getData()
    np.testing.assert_array_equal(xs, s.data.y)
    np.testing.assert_allclose(ys, s.data.X @ s.trainer.w + s.trainer.b)
    assert len(view.val.data) == s.data.X_val.shape[0]
    text = plain_text(pane.facts)
    f = fit_facts(s.data, "squared", s.trainer.w, s.trainer.b)
    assert f"training RMSE {f.train.rmse:.4g}, R² {f.train.score:.3f}" in text
    assert f"held-out RMSE {f.held_out.rmse:.4g}, R² {f.held_out.score:.3f}" in text


def test_the_decision_boundary_is_where_the_probability_is_one_half(qtbot, make_window):
    w = make_window("--dataset", "two-classes", "--steps", "200")
    pane, s = w.panes["fit"], w.session
    assert pane.mode == "boundary" and not pane.pair_row.isHidden()
    pane.refresh_now()
    view = pane.views["boundary"]
    plane = logit_plane(s.data, s.trainer.w, s.trainer.b, (0, 1))
    u, v = view.boundary.getData()
    assert len(u) == 2
    np.testing.assert_allclose(plane[0] + plane[1] * u + plane[2] * v, 0, atol=1e-9)
    P = probability_grid(s.data, s.trainer.w, s.trainer.b, (0, 1), view._gx, view._gy)
    np.testing.assert_allclose(view.image.image, P)
    assert "accuracy" in plain_text(pane.facts)
    assert "B (training)" in pane.legend.text()  # the classes by their names


def test_the_boundarys_features_are_chosen_in_the_pane(qtbot, make_window):
    w = make_window("--dataset", "diabetes")
    rng = np.random.default_rng(0)
    X = rng.standard_normal((120, 3))
    y = np.where(X[:, 2] - X[:, 0] > 0, 1.0, -1.0)
    w.session.load_dataset(
        Dataset(X, y, ("a", "b", "c"), task="classification", name="three")
    )
    pane = w.panes["fit"]
    assert pane.mode == "boundary"
    assert sorted(pane.views["boundary"].pair) == [0, 2]  # the two that matter
    pane.refresh_now()
    assert "the third at its mean" in pane.heading.text()
    pane.y_box.setCurrentIndex(1)
    pane.y_box.activated.emit(1)
    assert pane.views["boundary"].pair == (pane.x_box.currentIndex(), 1)
    assert pane.view_state()["pair"][1] == "b"
    # one feature against itself is refused: the other box moves
    pane.y_box.setCurrentIndex(pane.x_box.currentIndex())
    pane.y_box.activated.emit(pane.x_box.currentIndex())
    i, j = pane.views["boundary"].pair
    assert i != j
    pane.set_view_state({"pair": ["c", "a"]})
    assert pane.views["boundary"].pair == (2, 0)
    pane.set_view_state({"pair": ["c", "nope"]})
    assert pane.views["boundary"].pair == (2, 0)


@pytest.mark.parametrize("dataset", ["polynomial", "two-classes", "diabetes"])
def test_a_figure_of_the_fit_pane(tmp_path, dataset):
    import subprocess
    import sys

    out = tmp_path / "fit.png"
    r = subprocess.run(
        [sys.executable, "main.py", "--headless", "--dataset", dataset, "--steps",
         "100", "--screenshot", str(out), "--pane", "fit"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    from PIL import Image

    im = np.asarray(Image.open(out).convert("RGB"))
    assert im.shape[0] > 300 and im.shape[1] > 300
    assert len(np.unique(im.reshape(-1, 3), axis=0)) > 20  # a picture, not a blank


def test_gradient_descent_dots_run_along_the_ridge_path(qtbot, make_window):
    from engine.early_stopping import SHOWN_RECORDS, SHOWN_STEPS, early_stopping

    w = make_window("--dataset", "polynomial", "--penalty", "l2")
    pane = w.panes["path"]
    w.grid.show_pane("path")
    w.session.path_model.wait("path")
    box = pane.early.box
    assert not box.isHidden() and not box.isChecked()
    assert pane.early.dots.scene() is None  # nothing drawn until asked
    pane.x_box.setCurrentIndex(pane.x_box.findData("norm"))
    click(qtbot, box)
    xs, ys = pane.early.dots.getData()
    es = early_stopping(w.session.data, SHOWN_STEPS, count=SHOWN_RECORDS)
    path = w.session.path_model.path
    top = np.abs(path.coefs).sum(axis=1).max()
    norms = np.abs(es.iterates[1:]).sum(axis=1) / top
    shown = norms <= 1
    assert xs.size == 15 * shown.sum() and xs.size > 0
    np.testing.assert_allclose(np.unique(xs), np.unique(norms[shown]))
    np.testing.assert_array_equal(ys, es.iterates[1:][shown].ravel())
    assert "gradient descent, no penalty, 5,000 steps" in plain_text(pane.summary)
    assert "within 16%" in box.toolTip()
    assert pane.view_state()["early"] is True
    # on the λ axis each iterate sits at its nearest ridge solution's λ
    pane.x_box.setCurrentIndex(pane.x_box.findData("log"))
    xs, _ = pane.early.dots.getData()
    assert set(np.round(np.unique(xs), 9)) <= set(np.round(np.log10(es.lam2[1:]), 9))
    # only an L2 path of squared loss has them
    click(qtbot, w.controls.penalty_buttons.button(1))  # L1
    assert box.isHidden() and pane.early.dots.scene() is None


def test_a_short_fit_pane_shows_the_picture_alone(qtbot, make_window):
    w = make_window("--dataset", "polynomial", "--penalty", "l1")
    pane = w.panes["fit"]
    w.grid.show_pane("fit")
    pane.resize(500, 900)
    assert pane.errors.isVisible() and pane.errors_box.isEnabled()
    pane.resize(500, 250)
    assert not pane.errors.isVisible() and not pane.errors_box.isEnabled()
    assert pane.errors_box.isChecked()  # the choice is kept for a taller pane
    pane.resize(500, 900)
    assert pane.errors.isVisible()


def test_the_errors_against_lambda_are_the_paths(qtbot, make_window):
    from engine.fit import error_path

    w = make_window("--dataset", "polynomial", "--penalty", "l1")
    pane = w.panes["fit"]
    w.grid.show_pane("fit")
    pane.resize(600, 900)
    w.session.path_model.wait("path")
    pane.refresh_now()
    path = w.session.path_model.path
    train, held = error_path(w.session.data, "squared", path)
    np.testing.assert_array_equal(pane.errors.train.getData()[1], train)
    np.testing.assert_array_equal(pane.errors.held.getData()[1], held)
    best = path.alphas[int(np.argmin(held))]
    assert pane.errors.best.value() == pytest.approx(np.log10(best))
    assert train[-1] < train[0] and np.argmin(held) not in (0, held.size - 1)
    # the cursor is the run's λ; dragging it elsewhere moves the run
    assert pane.errors.cursor.line.value() == pytest.approx(
        np.log10(w.session.settings.lam1)
    )
    # without a penalty there is no path: one line says so, the picture keeps the room
    click(qtbot, w.controls.penalty_buttons.button(0))
    assert not pane.errors.drawn and "Choose L1, L2" in pane.errors.legend.text()


def test_the_geometry_pane_draws_descent_over_the_ridge_path(qtbot, make_window):
    from engine.early_stopping import quadratic_descent
    from gui.panes.geometry_early import STEP_SHARE, STEPS

    w = make_window("--dataset", "two-features", "--penalty", "l2")
    g = w.panes["geometry"]
    view = g.views[0]
    assert view.descent.dots.getData()[0].size == 0  # off until asked
    click(qtbot, g.descent_box)
    _, it, ridge = quadratic_descent(w.panes["geometry"].model.quadratic, STEPS,
                                     share=STEP_SHARE)  # fmt: skip
    np.testing.assert_allclose(np.column_stack(view.descent.dots.getData()), it)
    np.testing.assert_allclose(np.column_stack(view.descent.ridge.getData()), ridge)
    assert g.view_state()["descent"] is True
    # side by side: only on the L2 picture
    click(qtbot, g.side_box)
    drawn = {v.kind: v.descent.dots.getData()[0].size > 0 for v in g.views}
    assert drawn == {"l1": False, "l2": True, "elasticnet": False}
    # under L1 the single view has none
    click(qtbot, g.side_box)
    click(qtbot, w.controls.penalty_buttons.button(1))
    assert g.views[0].descent.dots.getData()[0].size == 0
    g.set_view_state({"descent": False})
    assert not g.descent_box.isChecked()


def test_one_feature_of_logistic_data_draws_the_probability_curve(qtbot, make_window):
    from engine.fit import logit_on

    w = make_window("--dataset", "diabetes")
    rng = np.random.default_rng(1)
    x = rng.normal(5, 2, 120)
    y = np.where(rng.uniform(size=120) < 1 / (1 + np.exp(-(x - 5))), 1.0, -1.0)
    w.session.load_dataset(
        Dataset(x[:, None], y, ("dose",), task="classification", name="dose",
                class_labels=("no", "yes"))
    )  # fmt: skip
    click(qtbot, w.controls.step10_button)
    pane = w.panes["fit"]
    assert pane.mode == "probability"
    pane.refresh_now()
    view = pane.views["probability"]
    tr = w.session.trainer
    alpha, (beta,) = logit_on(w.session.data, tr.w, tr.b, (0,))
    xs, ps = view.curve.getData()
    np.testing.assert_allclose(ps, 1 / (1 + np.exp(-(alpha + beta * xs))))
    assert view.boundary.value() == pytest.approx(-alpha / beta)
    assert set(view.classes.pos_train.getData()[1]) == {1.0}
    assert set(view.classes.neg_train.getData()[1]) == {0.0}
    assert "P(yes)" in pane.legend.text() and "accuracy" in plain_text(pane.facts)


def test_a_narrow_errors_plot_names_its_sides_in_one_word(qtbot, make_window):
    from gui.panes.fit_errors import SHORT_SIDES, SIDES

    w = make_window("--dataset", "polynomial", "--penalty", "l1")
    pane = w.panes["fit"]
    w.grid.show_pane("fit")
    w.session.path_model.wait("path")
    errors = pane.errors
    for width, texts in ((900, SIDES), (330, SHORT_SIDES)):
        pane.resize(width, 900)
        qtbot.waitUntil(lambda: errors.isVisible())
        errors.refresh()
        shown = (
            errors.under.textItem.toPlainText(),
            errors.over.textItem.toPlainText(),
        )
        assert shown == texts
        left, right = errors.under.sceneBoundingRect(), errors.over.sceneBoundingRect()
        assert left.right() < right.left()  # side by side, apart


def test_a_large_dataset_draws_a_seeded_sample_and_says_so(qtbot):
    from types import SimpleNamespace

    import pyqtgraph as pg

    from engine import prepare
    from gui.panes.fit_views import MAX_DRAWN, ScatterView

    rng = np.random.default_rng(0)
    n = 3 * MAX_DRAWN
    X = rng.standard_normal((n, 3))
    ds = Dataset(X, X @ [1.0, 2.0, 0.0] + rng.standard_normal(n), ("a", "b", "c"))
    data = prepare(ds, validation=0.2)
    widget = pg.PlotWidget()
    qtbot.addWidget(widget)
    view = ScatterView(widget.getPlotItem())
    view.load(data)
    w = np.array([1.0, 2.0, 0.0])
    view.update(SimpleNamespace(data=data, trainer=SimpleNamespace(w=w, b=0.5)))
    x, y = view.train.getData()
    assert x.size == MAX_DRAWN < data.y.size
    assert np.isin(x, data.y).all()  # rows of the data, predicted by the model
    np.testing.assert_allclose(y[:5], (data.X @ w + 0.5)[np.isin(data.y, x)][:5])
    assert f"{MAX_DRAWN:,} of {data.y.size:,} drawn" in view.legend()[0]
    assert view.val.getData()[0].size == data.y_val.size  # 12,000: all of them
