"""Open the window on a screen of a given size and report what does not fit.

Run as ``python -m tests.gui.screen_probe WIDTH HEIGHT`` with Qt's offscreen platform;
the screen's size is given to the platform in a config file (a QApplication has one
set of screens for its life, so each size is a process of its own). Prints one JSON
object: for the window as it opens, with a lesson, in presentation mode and in full
screen, the window's rectangle, the widgets outside the screen and the texts elided.
"""

from __future__ import annotations

import json
import sys

from tests.offscreen import configure


def rect(r) -> list[int]:
    return [r.x(), r.y(), r.width(), r.height()]


def _in_scroll_area(w, QtWidgets) -> bool:
    p = w.parentWidget()
    while p is not None:
        if isinstance(p, QtWidgets.QAbstractScrollArea) and w is not p:
            return True
        p = p.parentWidget()
    return False


def problems(window) -> dict:
    """Widgets of ``window`` that are outside its screen, and texts cut short."""
    from PySide6 import QtCore, QtWidgets

    screen = window.screen().geometry()
    outside, elided = [], []
    for w in window.findChildren(QtWidgets.QWidget):
        if not w.isVisibleTo(window) or not w.isVisible() or w.isWindow():
            continue
        if w.width() <= 0 or w.height() <= 0:
            continue
        top_left = w.mapToGlobal(QtCore.QPoint(0, 0))
        box = QtCore.QRect(top_left, w.size())
        if not box.intersects(window.frameGeometry()):
            continue  # parked by Qt: a dock or tab page behind another
        name = f"{type(w).__name__}:{w.objectName() or ''}"
        if not _in_scroll_area(w, QtWidgets) and not screen.contains(box):
            outside.append([name, rect(box)])
        fm = w.fontMetrics()
        text, room = None, 0
        if isinstance(w, QtWidgets.QLabel) and w.wordWrap() and w.text():
            need = w.heightForWidth(w.width())
            if need > w.height() + 1:  # wrapped onto lines cut off
                elided.append([name, w.text()[:40], w.height(), need])
        if isinstance(w, QtWidgets.QLabel) and not w.wordWrap():
            if (
                w.textFormat() == QtCore.Qt.TextFormat.PlainText
                or not w.text().startswith("<")
            ):
                text, room = w.text(), w.contentsRect().width()
        elif isinstance(
            w, (QtWidgets.QPushButton, QtWidgets.QCheckBox, QtWidgets.QRadioButton)
        ):
            opt = QtWidgets.QStyleOptionButton()
            opt.initFrom(w)
            need = w.sizeHint().width()
            if w.text() and w.width() < need - 2:
                elided.append([name, w.text(), w.width(), need])
        elif isinstance(w, QtWidgets.QComboBox) and w.currentText():
            if hasattr(w, "shown_text"):  # elides long names on purpose
                short = len(w.currentText()) <= 8
                if short and w.shown_text() != w.currentText():
                    elided.append([name, w.currentText(), w.width(), w.shown_text()])
            else:
                opt = QtWidgets.QStyleOptionComboBox()
                w.initStyleOption(opt)
                field = w.style().subControlRect(
                    QtWidgets.QStyle.ComplexControl.CC_ComboBox,
                    opt,
                    QtWidgets.QStyle.SubControl.SC_ComboBoxEditField,
                    w,
                )
                need = fm.horizontalAdvance(w.currentText())
                if need > field.width() + 1:
                    elided.append([name, w.currentText(), field.width(), need])
        if text and "\n" not in text and room > 0:
            need = fm.horizontalAdvance(text)
            if need > room + 1:
                elided.append([name, text, room, need])
    return {
        "window": rect(window.frameGeometry()),
        "screen": rect(screen),
        "outside": outside,
        "elided": elided,
    }


def main(width: int, height: int) -> dict:
    configure(width, height)
    from PySide6 import QtGui, QtWidgets

    from gui import theme
    from gui.app import create_window

    app = QtWidgets.QApplication([])
    font = QtGui.QFont(app.font())
    font.setPointSize(10)
    app.setFont(font)
    theme.configure_pyqtgraph()
    window = create_window()
    window.placement.show()
    app.processEvents()
    report = {"opened": problems(window)}
    window.lessons.start("geometry")
    app.processEvents()
    report["lesson"] = problems(window)
    before = rect(window.frameGeometry())
    window.set_presentation(True)
    app.processEvents()
    report["presenting"] = problems(window)
    window.set_presentation(False)
    window.set_presentation(True)
    app.processEvents()
    report["presenting twice"] = problems(window)
    window.set_presentation(False)
    app.processEvents()
    report["after presenting"] = rect(window.frameGeometry())
    report["before presenting"] = before
    window.set_full_screen(True)
    app.processEvents()
    report["full screen"] = problems(window)
    window.set_full_screen(False)
    app.processEvents()
    report["after full screen"] = rect(window.frameGeometry())
    window.close()
    return report


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]), int(sys.argv[2]))))
