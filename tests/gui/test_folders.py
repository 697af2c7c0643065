"""File dialogs open in the folder last used, else Pictures / Documents, never the
folder the app runs from."""

from pathlib import Path

from PySide6 import QtCore, QtWidgets

from gui import folders


def test_first_pictures_or_documents_then_the_last_folder_used(
    qtbot, make_window, tmp_path, monkeypatch
):
    monkeypatch.chdir(Path(__file__).resolve().parents[2])  # the source folder
    w = make_window("--dataset", "diabetes")
    first = folders.start_folder("figures")
    assert first.is_dir() and first != Path.cwd()
    standard = QtCore.QStandardPaths.writableLocation(folders.KINDS["figures"])
    assert first in (Path(standard), Path.home())
    assert w.figures.default_path("weights", ".png").parent == first
    seen = {}

    def save_dialog(parent, caption, start, filt):
        seen["start"] = start
        return str(tmp_path / "slides" / "weights.png"), filt

    (tmp_path / "slides").mkdir()
    monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName", save_dialog)
    assert w.figures.export("weights", "png", 1)
    assert Path(seen["start"]).parent == first
    assert (tmp_path / "slides" / "weights.png").exists()
    # the next export, the screenshot and the recording start in that folder
    assert folders.start_folder("figures") == tmp_path / "slides"
    assert w.figures.default_path("curves", ".png").parent == tmp_path / "slides"
    w.save_screenshot()
    assert Path(seen["start"]).parent == tmp_path / "slides"
    # sessions have their own folder
    assert folders.start_folder("sessions") != tmp_path / "slides"
    assert w.files.save_session(str(tmp_path / "lecture.json"))
    assert folders.start_folder("sessions") == tmp_path
