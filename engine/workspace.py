"""Big scratch arrays kept from one solve to the next of the same shape.

The stability lab solves ``B`` resamples of the same size one after the other, each
with its own buffers of a few megabytes (Gram columns, the rows kept by the active
set, its inverse). A new array of that size is mapped fresh from the system, and
every page of it faults on first touch: on ``houses`` that cost more than copying
the numbers into it. A :class:`Workspace` hands the same memory to the next
resample instead.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["Workspace", "empty"]


class Workspace:
    """Named float arrays handed out again and again (see the module docstring).

    ``empty(name, shape)`` gives a C-contiguous array of ``shape`` on the memory
    last given under ``name`` when it is big enough; its content is whatever was
    there. Only one array per name is in use at a time: asking again for a name
    ends the use of the one given before, except with ``fresh=True`` (new memory,
    kept for the next time; for a buffer that grows and copies its old content).
    """

    def __init__(self):
        self._arrays: dict[str, np.ndarray] = {}

    def rows(self, name: str, least: int, width: int) -> int:
        """How many rows of ``width`` the memory under ``name`` holds, at least
        ``least``: ask for that many, and a buffer that grows row by row starts
        as big as it last grew."""
        flat = self._arrays.get(name)
        return max(least, 0 if flat is None else flat.size // max(width, 1))

    def empty(self, name: str, shape: tuple[int, ...], fresh: bool = False):
        size = math.prod(shape)
        flat = self._arrays.get(name)
        if fresh or flat is None or flat.size < size:
            flat = np.empty(size)
            self._arrays[name] = flat
        return flat[:size].reshape(shape)


def empty(workspace: Workspace | None, name: str, shape, fresh: bool = False):
    """``workspace.empty(name, shape, fresh)``, or a new array without one."""
    if workspace is None:
        return np.empty(shape)
    return workspace.empty(name, shape, fresh)
