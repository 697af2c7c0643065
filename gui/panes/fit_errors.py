"""The fit pane's lower plot: training and held-out error against λ, the
bias–variance U-curve.

Along the regularization path (the session's :class:`~gui.path_model.PathModel`, the
same path the path pane draws): the error on the training rows falls as λ falls; the
error on the held-out rows falls too, then rises again once the model starts to
follow the training rows' noise. The strong side (large λ, on the left as glmnet
draws it) is labelled *underfitting*, the weak side *overfitting*, and the λ with
the smallest held-out error is marked. The λ cursor is the one of the path and
cross-validation panes: dragging it moves the run, and the picture above shows the
fit at that λ.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from engine.fit import error_path
from gui import theme
from gui.panes.lambda_axes import (
    LambdaCursor,
    compact,
    label_inside,
    lambda_plot,
    strength_name,
)

__all__ = ["ErrorsPlot"]

NO_PENALTY = (
    "Choose L1, L2 or Elastic Net: the errors against λ come from the "
    "regularization path"
)


#: The two sides' labels, and their short forms for a narrow plot.
SIDES = ("◀ underfitting: λ too large", "overfitting: λ too small ▶")
SHORT_SIDES = ("◀ underfitting", "overfitting ▶")


class ErrorsPlot(QtWidgets.QWidget):
    """Training and held-out error over the path's λ grid, with the λ cursor.

    ``legend`` is its one line of text: the two curves' colours, or why there is no
    plot (no penalty: no path); ``drawnChanged(bool)`` says whether the plot is
    there, so that the pane gives its room to the picture when it is not."""

    drawnChanged = QtCore.Signal(bool)

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.model = session.path_model
        self.widget, self.plot, self.count_axis = lambda_plot()
        self.plot.showGrid(x=False, y=True, alpha=0.2)
        self.plot.setLabel("top", "")
        self.plot.hideAxis("top")
        self.train = pg.PlotDataItem(
            pen=pg.mkPen(theme.TRAIN, width=2.5), antialias=True
        )
        self.held = pg.PlotDataItem(
            pen=pg.mkPen(theme.VALIDATION, width=2.5), antialias=True
        )
        self.best = pg.InfiniteLine(
            angle=90,
            pen=pg.mkPen("#404040", width=1.5, style=QtCore.Qt.PenStyle.DotLine),
            label="",
            labelOpts={
                "position": 0.5,
                "color": "#404040",
                "fill": (255, 255, 255, 200),
            },
        )
        # at the bottom corners, in room kept free below the curves; in the
        # foreground's colour (drawn light on the dark theme)
        self.under = pg.TextItem(SIDES[0], color="#202020", anchor=(0, 1))
        self.over = pg.TextItem(SIDES[1], color="#202020", anchor=(1, 1))
        for item in (self.train, self.held, self.best):
            self.plot.addItem(item)
        for item in (self.under, self.over):
            self.plot.addItem(item, ignoreBounds=True)
        self.best.sigPositionChanged.connect(lambda *_: label_inside(self.best))
        self.cursor = LambdaCursor(
            self.plot, self.model, self._to_x, lambda x: float(10.0**x), self
        )
        self._grid = np.zeros(0)
        self.drawn = False
        self.legend = QtWidgets.QLabel()
        self.legend.setObjectName("fitErrorsLegend")
        self.legend.setWordWrap(True)
        self.legend.setStyleSheet("font-size: 9.5pt;")
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.legend)
        layout.addWidget(self.widget, 1)
        # its height comes from the pane's stretch, not the plot's size hint
        self.widget.setSizePolicy(
            QtWidgets.QSizePolicy.Policy.Expanding, QtWidgets.QSizePolicy.Policy.Ignored
        )
        self.model.pathChanged.connect(self.refresh)
        session.datasetLoaded.connect(self.refresh)
        session.settingsChanged.connect(self._sync_cursor)
        self.plot.getViewBox().sigRangeChanged.connect(lambda *_: self._place_sides())

    def _to_x(self, alpha: float) -> float | None:
        return float(np.log10(alpha)) if alpha > 0 and self._grid.size else None

    def refresh(self, force: bool = False) -> None:
        """Redraw from the model's path; out of sight only when ``force``d (a
        figure): the pane redraws it when it is shown."""
        s = self.session
        if s.trainer is None or not (force or self.isVisible()):
            return
        path = self.model.path if self.model.path_is_current() else None
        if path is None or path.n_computed == 0:
            self._grid = np.zeros(0)
            note = NO_PENALTY if not self.model.has_path else self.model.path_note
            self.legend.setText(f"<span style='color:#606060'>{note}</span>")
            self._set_drawn(False)
            return
        self.legend.setText(self._legend_text())
        self._set_drawn(True)
        k = path.n_computed
        x = np.log10(np.maximum(path.alphas[:k], 1e-300))
        self._grid = x
        train, held = error_path(s.data, s.loss, path)
        self.train.setData(x, train)
        has_held = bool(np.isfinite(held).any())
        self.held.setData(x if has_held else [], held if has_held else [])
        name = strength_name(s.settings.penalty)
        if has_held:
            i = int(np.nanargmin(held))
            self.best.show()
            self.best.setValue(x[i])
            self.best.label.setFormat(
                f"best held-out: {name} = {compact(path.alphas[i])}"
            )
        else:
            self.best.hide()
        error = "deviance" if s.loss == "logistic" else "MSE"
        self.plot.setLabel("left", error, **theme.LABEL_STYLE)
        self.plot.setLabel("bottom", f"{name} (log scale)", **theme.LABEL_STYLE)
        ys = np.concatenate([train, held[np.isfinite(held)]])
        ys = ys[np.isfinite(ys)]
        lo, hi = float(x.min()), float(x.max())
        pad = 0.03 * ((hi - lo) or 1.0)
        y0, y1 = (float(ys.min()), float(ys.max())) if ys.size else (0.0, 1.0)
        ypad = 0.08 * ((y1 - y0) or 1.0)
        # room at the bottom for the two side labels, at the top for the cursor's
        self.plot.getViewBox().setRange(
            xRange=(lo - pad, hi + pad),
            yRange=(y0 - 4 * ypad, y1 + 2 * ypad),
            padding=0,
        )
        self.cursor.set_bounds(lo, hi)
        self._place_sides()
        self._sync_cursor()
        label_inside(self.best)

    def _set_drawn(self, on: bool) -> None:
        self.widget.setVisible(on)
        if on != self.drawn:
            self.drawn = on
            self.drawnChanged.emit(on)

    def _fits(self, vb, texts) -> bool:
        """Whether ``texts`` fit side by side in the plot's width, with a gap."""
        metrics = QtGui.QFontMetrics(self.under.textItem.font())
        need = sum(metrics.horizontalAdvance(t) for t in texts) + 4 * metrics.height()
        return need <= vb.width()

    @staticmethod
    def _legend_text() -> str:
        def entry(color, name):
            return (
                f"<span style='color:{color}; font-weight:bold'>━━</span>&nbsp;{name}"
            )

        return "&nbsp;&nbsp; ".join(
            [
                "<b>Errors against λ</b>",
                entry(theme.TRAIN, "training"),
                entry(theme.VALIDATION, "held-out"),
            ]
        )

    def _place_sides(self) -> None:
        vb = self.plot.getViewBox()
        # the whole words when both fit side by side, else the two words alone
        texts = SIDES if self._fits(vb, SIDES) else SHORT_SIDES
        for item, text in zip((self.under, self.over), texts, strict=True):
            if item.textItem.toPlainText() != text:
                item.setText(text)
        (x0, x1), (y0, _) = vb.viewRange()
        # the x axis is inverted: the largest λ (x1) is drawn on the left
        self.under.setPos(x1, y0)
        self.over.setPos(x0, y0)
        # again: the offset is taken from the text's size, unknown before it is shown
        self.under.setAnchor((0, 1))
        self.over.setAnchor((1, 1))
        label_inside(self.best)

    def _sync_cursor(self) -> None:
        s = self.session
        if s.trainer is None:
            return
        has = self._grid.size > 0
        self.cursor.sync(s.settings.penalty, self.model.alpha if has else None)
