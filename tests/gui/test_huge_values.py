"""Huge but accepted values keep every pane's range finite; a divergence that the
step size did not cause offers no step size."""

import numpy as np


def test_a_target_near_1e50_keeps_the_trajectories_finite(make_window, tmp_path):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((30, 3))
    y = (X @ [1.0, 2.0, 3.0] + rng.standard_normal(30)) * 1e50
    lines = ["a,b,c,y"] + [
        ",".join(repr(float(v)) for v in (*r, t)) for r, t in zip(X, y, strict=True)
    ]
    path = tmp_path / "big.csv"
    path.write_text("\n".join(lines) + "\n")
    w = make_window("--csv", str(path))
    w.session.step(200)
    assert np.isfinite(w.session.trainer.history.weights()).all()
    for pane in w.panes.values():
        pane.refresh_now()  # raised "Cannot set range [-inf, inf]" with float32
    (x0, x1), (y0, y1) = w.panes["trajectories"].plot.getViewBox().viewRange()
    assert np.isfinite([x0, x1, y0, y1]).all() and y1 - y0 > 1e49


def test_a_divergence_from_a_huge_lambda_hides_the_step_size_button(make_window):
    w = make_window("--dataset", "diabetes", "--lam", "1e300", "--rule", "subgradient")
    w.session.step(5)
    div = w.session.trainer.divergence
    assert div is not None and div.suggested_lr is None
    w.banner.show_divergence(div)
    assert w.banner.isVisible() and not w.banner.fix_button.isVisible()
    assert "too large" in w.banner.message.text()
