"""Qt's offscreen platform with a screen of a chosen size.

The platform reads its screens from a JSON config file named in ``QT_QPA_PLATFORM``
(``offscreen:configfile=…``); without one it has a single 800 × 600 screen, smaller
than any laptop. The test suite runs on a 1920 × 1080 screen; the screen-size tests
start processes of their own with other sizes (a QApplication keeps its screens).
"""

from __future__ import annotations

import json
import os
import tempfile

__all__ = ["configure"]


def configure(width: int, height: int) -> str:
    """Set ``QT_QPA_PLATFORM`` to an offscreen screen of ``width`` × ``height``
    (before the QApplication is created) and return the value."""
    screen = {
        "name": f"offscreen{width}x{height}",
        "x": 0,
        "y": 0,
        "width": width,
        "height": height,
        "logicalDpi": 96,
        "logicalBaseDpi": 96,
        "dpr": 1,
    }
    folder = os.path.join(tempfile.gettempdir(), "l1l2-offscreen")
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, f"screen-{width}x{height}.json")
    tmp = f"{path}.{os.getpid()}.tmp"
    with open(tmp, "w") as f:
        json.dump({"synchronousWindowSystemEvents": True, "screens": [screen]}, f)
    os.replace(tmp, path)
    value = f"offscreen:configfile={path}"
    os.environ["QT_QPA_PLATFORM"] = value
    return value
