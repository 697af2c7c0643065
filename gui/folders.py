"""Where file dialogs open: the folder last used for that kind of file, else the
user's Pictures (figures) or Documents (sessions, data) folder, else the home folder;
never the folder the app happens to run from (its source folder after ``make run``).
The folders are kept between runs beside the recent files (:func:`gui.recent.config_file`).
"""

from __future__ import annotations

from pathlib import Path

from PySide6 import QtCore

from gui.recent import config_file

__all__ = ["KINDS", "remember", "start_folder"]

_L = QtCore.QStandardPaths.StandardLocation
#: Kinds of files, and the standard folder each starts in.
KINDS = {"figures": _L.PicturesLocation, "sessions": _L.DocumentsLocation,
         "data": _L.DocumentsLocation}  # fmt: skip


def _settings() -> QtCore.QSettings:
    return QtCore.QSettings(config_file(), QtCore.QSettings.Format.IniFormat)


def start_folder(kind: str) -> Path:
    """The folder a dialog for ``kind`` files opens in (an existing folder)."""
    last = _settings().value(f"folders/{kind}", "")
    if last and Path(str(last)).is_dir():
        return Path(str(last))
    standard = QtCore.QStandardPaths.writableLocation(KINDS[kind])
    if standard and Path(standard).is_dir():
        return Path(standard)
    return Path.home()


def remember(kind: str, path) -> None:
    """Note the folder of ``path`` (a file just saved or opened) for ``kind``."""
    folder = Path(path).resolve().parent
    if folder.is_dir():
        _settings().setValue(f"folders/{kind}", str(folder))
