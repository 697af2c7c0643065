"""Real data in the geometry pane: an imported CSV opens on the loss of its two
largest weights; the source and feature boxes show their entries whole."""

import numpy as np
import pytest

from engine import solve
from tests.gui.helpers import import_now


@pytest.fixture
def window(make_window, capture_errors):
    w = capture_errors(make_window("--dataset", "houses"))
    w.resize(1280, 720)
    return w


def write_csv(path, seed=3):
    """y leans on 'rooms' most, then on 'age' (negatively): the other four are noise."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((120, 6))
    y = 0.3 * X[:, 0] + 4.0 * X[:, 4] - 2.5 * X[:, 2] + rng.standard_normal(120)
    header = "noise_a,noise_b,age,noise_c,rooms,noise_d,price"
    np.savetxt(
        path,
        np.column_stack([X, y]),
        delimiter=",",
        header=header,
        comments="",
        fmt="%.5f",
    )


def test_an_imported_csv_opens_on_its_two_largest_weights(qtbot, window, tmp_path):
    g = window.geometry
    assert g.model.source == "own"  # synthetic houses: your own loss
    p = tmp_path / "prices.csv"
    write_csv(p)
    dlg = window.open_csv(p)
    qtbot.waitUntil(lambda: dlg.worker is None, timeout=30000)
    import_now(qtbot, window, dlg)
    s = window.session
    assert s.dataset.name == "prices.csv" and s.data.true_coef is None
    w = solve(s.data, s.loss, s.penalty, tol=1e-10).w
    top = tuple(int(j) for j in np.argsort(-np.abs(w))[:2])
    names = s.data.feature_names
    assert [names[j] for j in top] == ["rooms", "age"]
    assert g.model.source == "data" and g.model.features == top
    assert [b.currentText() for b in g.feature_boxes] == ["rooms", "age"]
    assert g.source_box.currentData() == "data" and g.feature_boxes[0].isVisible()
    # the made-up loss is one choice away, and back to the data's
    g.source_box.setCurrentIndex(0)
    g.source_box.activated.emit(0)
    assert g.model.source == "own" and not g.feature_boxes[0].isVisible()
    # synthetic data again after real data: your own loss
    window.load_bundled("correlated")
    assert g.model.source == "own"


def test_a_bundled_real_dataset_opens_on_the_data_loss(qtbot, window):
    window.load_bundled("diabetes")
    s, g = window.session, window.geometry
    w = solve(s.data, s.loss, s.penalty, tol=1e-10).w
    assert g.model.source == "data"
    assert set(g.model.features) == set(np.argsort(-np.abs(w))[:2].tolist())


def test_every_source_entry_is_readable_whole(qtbot, window):
    window.load_bundled("diabetes")
    qtbot.wait(50)
    box = window.geometry.source_box
    fm = box.fontMetrics()
    texts = [box.itemText(i) for i in range(box.count())]
    assert len(texts) == 2
    widest = max(fm.horizontalAdvance(t) for t in texts)
    # the text field of the box (without its arrow) holds the longest entry
    assert widest <= box.width() - 24, (texts, box.width())


def test_a_long_feature_name_is_elided_in_the_middle_with_a_tooltip(qtbot, window):
    window.load_bundled("diabetes")
    box = window.geometry.feature_boxes[0]
    long_name = "mean concave points of the cell nuclei"
    box.addItem(long_name)
    box.setCurrentIndex(box.count() - 1)
    box.setFixedWidth(160)
    qtbot.wait(10)
    shown = box.shown_text()
    assert shown != long_name and "…" in shown
    head, tail = shown.split("…")
    assert long_name.startswith(head) and long_name.endswith(tail)
    assert len(head) >= 4 and len(tail) >= 4  # both ends readable
    assert box.fontMetrics().horizontalAdvance(shown) <= box.width()
    assert long_name in box.toolTip()


def test_a_fallback_mid_run_shows_in_the_source_box(make_window, monkeypatch):
    """The data's loss stops having a single minimum while training (a logistic
    curvature that vanishes): the pane draws your own loss, and the source box
    says so with the reason in its tooltip."""
    from engine.geometry import Quadratic

    w = make_window("--dataset", "diabetes")
    pane = w.panes["geometry"]
    assert pane.model.source == "data"
    assert pane.source_box.currentData() == "data"

    def degenerate(cls, *args, **kwargs):
        raise ValueError("no single minimum on the training rows (test)")

    monkeypatch.setattr(Quadratic, "from_data", classmethod(degenerate))
    monkeypatch.setattr(Quadratic, "from_moments", classmethod(degenerate))
    w.session.step(5)
    pane.model.recompute()
    assert pane.model.source == "own"
    assert pane.source_box.currentData() == "own"
    assert "no single minimum" in pane.source_box.toolTip()


def test_the_data_loss_is_computed_once_per_run_state(qtbot, window, monkeypatch):
    """A new run asks for the data's loss three times (pair, dataset, redraw): one
    pass over X; a step or another pair computes it again."""
    from engine.geometry import Quadratic

    calls = []  # the pair of each quadratic made, from the rows or the Gram matrix
    for name, pair in (("from_data", slice(4, 6)), ("from_moments", slice(3, 5))):
        real = getattr(Quadratic, name).__func__
        monkeypatch.setattr(
            Quadratic,
            name,
            classmethod(
                lambda cls, *a, real=real, pair=pair, **kw: (
                    calls.append(a[pair]) or real(cls, *a, **kw)
                )
            ),
        )
    window.load_bundled("diabetes")
    g = window.geometry
    assert g.model.source == "data" and len(calls) == 1
    q = g.model.quadratic
    g.model.recompute()
    assert g.model.quadratic is q and len(calls) == 1
    window.session.trainer.step(3)
    g.model.recompute()
    assert len(calls) == 2 and g.model.quadratic is not q
    i, j = g.model.features
    g.model.features = (j, i)
    assert calls[-1] == (j, i)
