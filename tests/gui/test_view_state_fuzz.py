"""A session's view entries are the panes' own: whatever a damaged file holds there,
``set_view_state`` skips what is wrong and the pane keeps drawing (a bad entry once
raised on every later step)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=4),
    st.lists(st.one_of(st.integers(-5, 5), st.floats(allow_nan=True)), max_size=4),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


@pytest.fixture(scope="module")
def window(qapp):
    from cli import build_parser, window_options
    from gui import theme
    from gui.app import create_window

    theme.configure_pyqtgraph()
    args = build_parser().parse_args(["--dataset", "diabetes", "--penalty", "l1"])
    w = create_window(**window_options(args))
    w.show()
    yield w
    w.close()


@settings(
    max_examples=60,
    derandomize=True,  # the same examples on every run: CI never fails at random
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_any_view_entry_is_skipped_or_applied_and_the_panes_keep_drawing(window, data):
    key = data.draw(st.sampled_from(sorted(window.panes)))
    pane = window.panes[key]
    state = pane.view_state()
    names = sorted(state) + ["extra"]
    damaged = dict(state)
    for name in data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=3)):
        damaged[name] = data.draw(JUNK)
    pane.set_view_state(damaged)
    window.session.step(3)
    pane.refresh_now()
    for other in window.panes.values():
        other.refresh_now()
    assert np.isfinite(window.session.trainer.w).all()
    pane.set_view_state(state)  # the next example starts from a sane view


def test_a_bad_window_entry_is_skipped(window):
    state = window.view_state()
    for junk in (None, "x", [1], {"a": 1}, 1e308, -1, True):
        damaged = {k: junk for k in state}
        window.apply_view_state(damaged)
        window.session.step(2)
        assert np.isfinite(window.session.trainer.w).all()
    window.apply_view_state(state)
    after = window.view_state()
    for key in ("presentation", "dark", "speed", "lesson", "weights", "curves"):
        assert after[key] == state[key], key
