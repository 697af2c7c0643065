"""Every character the window writes on a button, label, title or menu exists in the
font it is drawn with: a missing glyph is drawn as an empty box (Debian's
fonts-dejavu-core, which ``make run`` installs, has no U+23F8 "⏸", for one)."""

from PySide6 import QtCore, QtGui, QtWidgets

from engine.lessons import lesson_keys
from tests.gui.helpers import click, type_into


def plain(text: str, rich: bool) -> str:
    """The characters a user sees: tags and entities of rich text dropped."""
    if not rich:
        return text.replace("&&", "&")
    doc = QtGui.QTextDocument()
    doc.setHtml(text)
    return doc.toPlainText()


def texts(root: QtWidgets.QWidget):
    """(where, text, font) of every visible text under ``root``."""
    widgets = [root, *root.findChildren(QtWidgets.QWidget)]
    for w in widgets:
        w.ensurePolished()
        where = f"{type(w).__name__} {w.objectName()!r}"
        font = w.font()
        if isinstance(w, QtWidgets.QAbstractButton):
            yield where, w.text().replace("&", ""), font
        elif isinstance(w, QtWidgets.QLabel):
            rich = w.textFormat() == QtCore.Qt.TextFormat.RichText or (
                w.textFormat() == QtCore.Qt.TextFormat.AutoText
                and QtGui.Qt.mightBeRichText(w.text())
            )
            yield where, plain(w.text(), rich), font
        elif isinstance(w, QtWidgets.QGroupBox):
            yield where, w.title().replace("&", ""), font
        elif isinstance(w, QtWidgets.QComboBox):
            for i in range(w.count()):
                yield where, w.itemText(i), font
        elif isinstance(w, QtWidgets.QTabBar):
            for i in range(w.count()):
                yield where, w.tabText(i).replace("&", ""), font
        elif isinstance(w, QtWidgets.QDockWidget):
            yield where, w.windowTitle(), font
        elif isinstance(w, QtWidgets.QMenu):
            yield where, w.title().replace("&", ""), font
            for a in w.actions():
                yield f"{where} action", a.text().replace("&", ""), font
    if isinstance(root, QtWidgets.QMainWindow):
        for a in root.menuBar().actions():
            yield "menu bar", a.text().replace("&", ""), root.menuBar().font()


def missing_glyphs(root) -> list[str]:
    missing = []
    for where, text, font in texts(root):
        metrics = QtGui.QFontMetrics(font)
        for ch in text:
            if not ch.isspace() and not metrics.inFontUcs4(ord(ch)):
                missing.append(f"{ch!r} (U+{ord(ch):04X}) in {where}: {text!r}")
    return missing


def test_every_character_of_the_window_exists_in_its_font(qtbot, make_window):
    w = make_window("--dataset", "houses")
    c = w.controls
    # the pause button, a lesson in its dock and the divergence banner on screen too
    click(qtbot, c.play_button)
    assert missing_glyphs(w) == []  # while playing: the pause button
    assert c.play_button.text() == "Pause" and not c.play_button.icon().isNull()
    click(qtbot, c.play_button)
    assert c.play_button.text() == "Play" and not c.play_button.icon().isNull()
    assert w.lessons.start(lesson_keys()[0])
    qtbot.waitUntil(w.lessons.dock.isVisible)
    click(qtbot, c.auto_lr)
    type_into(qtbot, c.lr_spin, "50")
    click(qtbot, c.play_button)
    qtbot.waitUntil(w.banner.isVisible, timeout=10000)
    assert missing_glyphs(w) == []


def test_every_character_of_the_dialogs_exists_in_its_font(
    qtbot, make_window, tmp_path
):
    from gui.dialogs.montecarlo_dialog import MonteCarloDialog
    from gui.dialogs.record_dialog import RecordDialog

    w = make_window("--dataset", "houses")
    csv = tmp_path / "small.csv"
    csv.write_text("a,b,y\n1,2,3\n2,1,0\n3,5,1\n4,4,2\n", encoding="utf-8")
    importer = w.open_csv(csv)
    qtbot.waitUntil(lambda: importer.worker is None, timeout=30000)
    for dlg in (MonteCarloDialog(w), RecordDialog(w), importer):
        qtbot.addWidget(dlg)
        assert missing_glyphs(dlg) == []
