"""The scratch arrays the stability lab hands from one resample to the next."""

import numpy as np

from engine.workspace import Workspace, empty


def test_a_workspace_hands_the_same_memory_back_until_it_is_too_small():
    ws = Workspace()
    a = ws.empty("rows", (3, 4))
    a[:] = 1.0
    b = ws.empty("rows", (2, 5))
    assert b.shape == (2, 5) and b.flags.c_contiguous
    assert np.shares_memory(a, b)
    c = ws.empty("rows", (10, 10))  # bigger: new memory, kept from now on
    assert not np.shares_memory(a, c)
    assert np.shares_memory(c, ws.empty("rows", (4, 4)))
    d = ws.empty("rows", (2, 2), fresh=True)  # a buffer that grows: its own memory
    assert not np.shares_memory(c, d)
    assert np.shares_memory(d, ws.empty("rows", (1, 4)))
    assert not np.shares_memory(ws.empty("other", (2, 2)), d)
    assert ws.rows("rows", 1, 2) == 2 and ws.rows("rows", 3, 2) == 3
    assert ws.rows("new", 5, 10) == 5


def test_without_a_workspace_every_array_is_new():
    a = empty(None, "rows", (2, 3))
    b = empty(None, "rows", (2, 3))
    assert a.shape == (2, 3) and not np.shares_memory(a, b)
