"""Shared test set-up: Qt runs offscreen, never on a real display, on a screen of
1920 × 1080 (the screen-size tests start processes with other sizes)."""

import os

from tests.offscreen import configure

configure(1920, 1080)
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")


import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _private_settings(tmp_path, monkeypatch):
    """Recent files and other settings go to a fresh folder, never the user's."""
    monkeypatch.setenv("L1L2_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("L1L2_LOG_DIR", str(tmp_path / "log"))
