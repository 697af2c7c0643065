"""Small reusable widgets: a spin box for numbers of any magnitude, a log slider and
a combo box that elides long entries in the middle."""

from __future__ import annotations

import math

from PySide6 import QtCore, QtGui, QtWidgets

__all__ = ["ElidedComboBox", "LogSlider", "SciSpinBox", "WrappingLabel"]


class SciSpinBox(QtWidgets.QDoubleSpinBox):
    """A spin box that shows 4 significant digits (8045, 0.0125, 3.2e-05) and steps
    by a factor (×1.25 per arrow click) instead of by a fixed amount."""

    def __init__(self, parent=None, minimum=0.0, maximum=1e15):
        super().__init__(parent)
        self.setDecimals(15)
        self.setRange(minimum, maximum)
        self.setKeyboardTracking(False)
        self.setAccelerated(True)
        self.setMinimumWidth(96)

    def textFromValue(self, value: float) -> str:
        return f"{value:.4g}"

    def valueFromText(self, text: str) -> float:
        try:
            return float(text.replace(",", ".").strip())
        except ValueError:
            return self.value()

    def validate(self, text: str, pos: int):
        t = text.replace(",", ".").strip()
        if t == "" or t in ("-", ".", "e", "-.") or t.endswith(("e", "e-", "e+")):
            return QtGui.QValidator.State.Intermediate, text, pos
        try:
            v = float(t)
        except ValueError:
            return QtGui.QValidator.State.Invalid, text, pos
        if self.minimum() <= v <= self.maximum():
            return QtGui.QValidator.State.Acceptable, text, pos
        return QtGui.QValidator.State.Intermediate, text, pos

    def fixup(self, text: str) -> str:
        return self.textFromValue(self.value())

    def stepBy(self, steps: int) -> None:
        v = self.value()
        if v <= 0:
            v = max(self.minimum(), 1e-6)
        self.setValue(v * 1.25**steps)


class LogSlider(QtWidgets.QWidget):
    """A horizontal slider on a logarithmic scale beside an exact :class:`SciSpinBox`.

    ``valueChanged(float)`` fires when either is changed by the user. Values outside
    the slider's range are kept exactly in the spin box; the slider pins to its end.
    """

    valueChanged = QtCore.Signal(float)
    STEPS = 1000

    def __init__(self, lo: float = 1e-4, hi: float = 1.0, parent=None):
        super().__init__(parent)
        self.slider = QtWidgets.QSlider(QtCore.Qt.Orientation.Horizontal)
        self.slider.setRange(0, self.STEPS)
        self.slider.setMinimumWidth(110)
        self.spin = SciSpinBox()
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.spin)
        self._lo, self._hi = lo, hi
        self.slider.valueChanged.connect(self._on_slider_change)
        self.spin.valueChanged.connect(self._on_spin_change)

    def set_range(self, lo: float, hi: float) -> None:
        self._lo, self._hi = lo, hi
        self._sync_slider(self.spin.value())

    def value(self) -> float:
        return self.spin.value()

    def set_value(self, value: float) -> None:
        """Set without emitting ``valueChanged``."""
        with QtCore.QSignalBlocker(self.spin):
            self.spin.setValue(value)
        self._sync_slider(value)

    def _to_slider(self, value: float) -> int:
        if value <= self._lo:
            return 0
        t = math.log(value / self._lo) / math.log(self._hi / self._lo)
        return int(round(min(max(t, 0.0), 1.0) * self.STEPS))

    def _from_slider(self, pos: int) -> float:
        return self._lo * (self._hi / self._lo) ** (pos / self.STEPS)

    def _sync_slider(self, value: float) -> None:
        with QtCore.QSignalBlocker(self.slider):
            self.slider.setValue(self._to_slider(value))

    def _on_slider_change(self, pos: int) -> None:
        value = float(f"{self._from_slider(pos):.4g}")
        with QtCore.QSignalBlocker(self.spin):
            self.spin.setValue(value)
        self.valueChanged.emit(value)

    def _on_spin_change(self, value: float) -> None:
        self._sync_slider(value)
        self.valueChanged.emit(value)


class ElidedComboBox(QtWidgets.QComboBox):
    """A combo box that never cuts its text at the right: an entry wider than the box
    is shown elided in the middle ("mean conc…points"), whole in the drop-down list and
    in the tooltip. Its width follows the longest entry up to ``max_chars``
    characters."""

    def __init__(self, parent=None, max_chars: int = 18, tip: str = ""):
        super().__init__(parent)
        self._max_chars = max_chars
        self._tip = tip
        self.setSizeAdjustPolicy(QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.currentIndexChanged.connect(self._update_tip)

    def _update_tip(self) -> None:
        text = self.currentText()
        self.setToolTip(f"{text}\n{self._tip}" if self._tip else text)

    def shown_text(self) -> str:
        """The current entry as drawn: elided in the middle to the text field."""
        opt = QtWidgets.QStyleOptionComboBox()
        self.initStyleOption(opt)
        field = self.style().subControlRect(
            QtWidgets.QStyle.ComplexControl.CC_ComboBox,
            opt,
            QtWidgets.QStyle.SubControl.SC_ComboBoxEditField,
            self,
        )
        return self.fontMetrics().elidedText(
            self.currentText(), QtCore.Qt.TextElideMode.ElideMiddle, field.width()
        )

    def sizeHint(self) -> QtCore.QSize:
        hint = super().sizeHint()
        fm = self.fontMetrics()
        widest = max(
            (fm.horizontalAdvance(self.itemText(i)) for i in range(self.count())),
            default=0,
        )
        cap = fm.horizontalAdvance("x" * self._max_chars)
        return QtCore.QSize(hint.width() - max(widest - cap, 0), hint.height())

    def minimumSizeHint(self) -> QtCore.QSize:
        hint = super().minimumSizeHint()
        return QtCore.QSize(
            min(hint.width(), self.fontMetrics().horizontalAdvance("x" * 6) + 30),
            hint.height(),
        )

    def paintEvent(self, event) -> None:
        painter = QtWidgets.QStylePainter(self)
        opt = QtWidgets.QStyleOptionComboBox()
        self.initStyleOption(opt)
        painter.drawComplexControl(QtWidgets.QStyle.ComplexControl.CC_ComboBox, opt)
        opt.currentText = self.shown_text()
        painter.drawControl(QtWidgets.QStyle.ControlElement.CE_ComboBoxLabel, opt)


class WrappingLabel(QtWidgets.QLabel):
    """A word-wrapped label whose height for a width is its text's.

    QLabel's own ``heightForWidth`` of a rich text in a style sheet's font was off
    both ways: 8 px short for a narrow counter (its last line cut) and 170 px for two
    lines of it at 400 px (the weights plot squeezed to a strip). This label measures
    its text the way it is drawn, with a QTextDocument in the label's font."""

    def __init__(self, text: str = "", parent=None):
        super().__init__(text, parent)
        self.setWordWrap(True)
        #: (text, font and frame, {width: height}): a layout asks several times
        self._heights: tuple = (None, {})

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        frame_w = self.width() - self.contentsRect().width()
        frame_h = self.height() - self.contentsRect().height()
        text = self.text()
        key = (text, self.textFormat(), self.font().key(), frame_w, frame_h)
        if key != self._heights[0]:
            self._heights = (key, {})
        heights = self._heights[1]
        if width not in heights:
            heights[width] = self._measure(text, width, frame_w, frame_h)
        return heights[width]

    def _measure(self, text: str, width: int, frame_w: int, frame_h: int) -> int:
        doc = QtGui.QTextDocument()
        doc.setDefaultFont(self.font())
        doc.setDocumentMargin(0)
        rich = self.textFormat() == QtCore.Qt.TextFormat.RichText or (
            self.textFormat() == QtCore.Qt.TextFormat.AutoText
            and QtCore.Qt.mightBeRichText(text)
        )
        if rich:
            doc.setHtml(text)
        else:
            doc.setPlainText(text)
        doc.setTextWidth(max(width - frame_w, 1))
        return int(math.ceil(doc.size().height())) + frame_h

    def minimumSizeHint(self) -> QtCore.QSize:
        hint = super().minimumSizeHint()
        return QtCore.QSize(
            hint.width(), min(hint.height(), self.heightForWidth(max(self.width(), 1)))
        )

    def sizeHint(self) -> QtCore.QSize:
        hint = super().sizeHint()
        return QtCore.QSize(hint.width(), self.heightForWidth(hint.width()))
