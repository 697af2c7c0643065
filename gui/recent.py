"""The list of recently opened CSV files, kept between runs."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6 import QtCore

__all__ = ["RecentFiles"]

MAX_RECENT = 8


def config_file() -> str:
    """Settings file: ``$L1L2_CONFIG_DIR/l1l2-explorer.ini`` if that is set (tests),
    else in the user's configuration folder."""
    folder = os.environ.get(
        "L1L2_CONFIG_DIR"
    ) or QtCore.QStandardPaths.writableLocation(
        QtCore.QStandardPaths.StandardLocation.AppConfigLocation
    )
    return str(Path(folder or Path.home() / ".config") / "l1l2-explorer.ini")


class RecentFiles:
    """Most recent first, at most MAX_RECENT, without duplicates."""

    def __init__(self, path: str | None = None):
        self.settings = QtCore.QSettings(
            path or config_file(), QtCore.QSettings.Format.IniFormat
        )

    def paths(self) -> list[str]:
        value = self.settings.value("recent/csv", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])]

    def add(self, path) -> None:
        p = str(Path(path).resolve())
        items = [p] + [q for q in self.paths() if q != p]
        self.settings.setValue("recent/csv", items[:MAX_RECENT])
        self.settings.sync()

    def remove(self, path) -> None:
        p = str(path)
        self.settings.setValue("recent/csv", [q for q in self.paths() if q != p])
        self.settings.sync()

    def clear(self) -> None:
        self.settings.setValue("recent/csv", [])
        self.settings.sync()
