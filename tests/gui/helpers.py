"""Driving widgets the way a user does."""

from PySide6 import QtCore


def click(qtbot, widget):
    if hasattr(widget, "isCheckable") and widget.isCheckable():
        # on the indicator: a stretched radio button's centre may lie past its text
        pos = QtCore.QPoint(8, widget.height() // 2)
        qtbot.mouseClick(widget, QtCore.Qt.MouseButton.LeftButton, pos=pos)
    else:
        qtbot.mouseClick(widget, QtCore.Qt.MouseButton.LeftButton)


def type_into(qtbot, spin, text):
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin.lineEdit(), text)
    qtbot.keyClick(spin.lineEdit(), QtCore.Qt.Key.Key_Return)


def plain_text(label) -> str:
    """What a rich-text label reads as (tags dropped, no-break spaces as spaces)."""
    from PySide6 import QtGui

    doc = QtGui.QTextDocument()
    doc.setHtml(label.text())
    return doc.toPlainText().replace("\xa0", " ")


def import_now(qtbot, window, dlg):
    """Press Import in an import dialog and wait until the window trains on the new
    data (the dataset is built and prepared on a worker thread)."""
    before = window.session.dataset
    qtbot.mouseClick(dlg.import_button, QtCore.Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.session.dataset is not before, timeout=30000)


def context_menu(window, widget):
    """Right-click the middle of ``widget``; the context menu that opened."""
    from PySide6 import QtGui, QtWidgets

    pos = QtCore.QPoint(widget.width() // 2, widget.height() // 2)
    event = QtGui.QContextMenuEvent(
        QtGui.QContextMenuEvent.Reason.Mouse, pos, widget.mapToGlobal(pos)
    )
    QtWidgets.QApplication.sendEvent(widget, event)
    return window.figures.last_menu


def count_calls(monkeypatch, obj, name):
    """Count the calls of ``obj.name`` from now on (still calling it)."""
    calls = []
    original = getattr(obj, name)

    def counted(*a, **k):
        calls.append(1)
        return original(*a, **k)

    monkeypatch.setattr(obj, name, counted)
    return calls
