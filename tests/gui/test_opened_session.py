"""A session opened from the command line (``main.py --session F.json``) is drawn
like the run that was saved: the trajectories' range holds every line, and the
geometry pane shows the training path of all the restored steps."""

import numpy as np
import pytest

from engine import Penalty
from gui.panes.trajectories import HEATMAP_INTERVAL
from tests.gui.helpers import click
from tests.gui.test_geometry_pane import drag


def open_from_command_line(qtbot, make_window, path):
    """A window started as ``main.py --session path`` once the replay is shown."""
    w = make_window("--session", str(path))  # starts on houses: 1000 features
    qtbot.waitUntil(
        lambda: not w.files.opening_session and w.session.dataset.name != "houses",
        timeout=30000,
    )
    # a heat map redraw requested for houses would fire within this time
    qtbot.wait(int(HEATMAP_INTERVAL * 1000) + 200)
    return w


def saved_run(qtbot, make_window, tmp_path, source):
    w = make_window("--dataset", "diabetes")
    w.session.set_penalty(Penalty.l1(1.0))
    if source == "data":
        w.geometry.select_features(2, 3)
    else:  # real data opens on the data's loss: choose your own
        w.geometry.source_box.setCurrentIndex(0)
        w.geometry.source_box.activated.emit(0)
        assert w.geometry.model.source == "own"
    for _ in range(20):
        click(qtbot, w.controls.step10_button)
    path = tmp_path / "run.json"
    assert w.files.save_session(path)
    return w, path


@pytest.mark.parametrize("source", ["own", "data"])
def test_a_session_from_the_command_line_is_drawn_like_the_saved_run(
    qtbot, make_window, tmp_path, source
):
    saved, path = saved_run(qtbot, make_window, tmp_path, source)
    w = open_from_command_line(qtbot, make_window, path)
    s = w.session
    assert s.dataset.name == "diabetes" and s.trainer.step_count == 200
    # the trajectories: lines, all inside the y range
    pane = w.trajectories
    assert not pane.heatmap and len(pane.feature_lines.lines) == 10
    (x0, x1), (y0, y1) = pane.plot.getViewBox().viewRange()
    W = s.trainer.history.weights()
    assert y0 <= W.min() and W.max() <= y1
    assert y1 - y0 < 1.5 * (W.max() - W.min())  # and not far off either
    assert x0 <= 0 and x1 >= 200
    for line in pane.feature_lines.lines:
        ys = line.getData()[1]
        assert len(ys) == 201 and y0 <= ys.min() and ys.max() <= y1
    # the geometry pane: the path of all 200 restored steps, as it was drawn
    geo = w.geometry
    assert geo.model.source == source
    px, py = geo.views[0].path.getData()
    sx, sy = saved.geometry.views[0].path.getData()
    assert len(px) == 201
    np.testing.assert_allclose(px, sx, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(py, sy, rtol=1e-9, atol=1e-12)
    if source == "data":
        np.testing.assert_allclose(px, W[:, 2], rtol=1e-6)
        np.testing.assert_allclose(py, W[:, 3], rtol=1e-6)
    else:
        tr = geo.model.trainer(geo.views[0].kind)
        assert tr.step_count == 200
        np.testing.assert_array_equal(px, tr.history.weights()[:, 0])
        # an edit of your own loss starts the path again, at the current step
        drag(qtbot, geo.views[0], geo.model.w_star, (1.5, 1.5))
        assert len(geo.views[0].path.getData()[0]) == 1
        click(qtbot, w.controls.step10_button)
        assert len(geo.views[0].path.getData()[0]) == 11
