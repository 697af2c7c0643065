"""The cross-validation pane: held-out error against λ, and which λ to choose.

glmnet's ``plot.cv.glmnet``, made live: for every λ of the path's grid, the mean
error on the held-out fold over K folds with ±1 standard error bars, the error on
the training folds beside it, λ_min (the smallest mean error) and λ_1se (the largest
λ within one standard error of it) marked with their values and how many weights
they keep, and the nonzero count along the top. Squared loss: mean squared error;
logistic loss: deviance or misclassification rate. The λ cursor is the same as on
the path pane.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets

from engine.path import error_measure
from gui import theme
from gui.flow_layout import FlowLayout
from gui.panes.lambda_axes import (
    LambdaCursor,
    compact,
    label_inside,
    lambda_plot,
    strength_name,
)
from gui.panes.path_parts import CursorControls, MessageStack, compact_combo
from gui.ticks import fit_axis_label

__all__ = ["CVPane"]

#: The y axis for each error measure.
MEASURE_LABELS = {
    "mse": "mean squared error",
    "deviance": "deviance",
    "misclassification": "misclassification rate",
}


class CVPane(QtWidgets.QWidget):
    """Cross-validated error along the path, with λ_min, λ_1se and the λ cursor."""

    title = "Cross-validation"

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.model = session.path_model
        self.setObjectName("cv")
        # the cursor mode (jump or keep training) is chosen on the path pane
        self.controls = CursorControls(self.model, self, jump=False)
        self.summary, top = self.controls.header("cvSummary")

        self.plot_widget, self.plot, self.count_axis = lambda_plot()
        self.plot.showGrid(x=False, y=True, alpha=0.2)
        self.bars = pg.ErrorBarItem(pen=pg.mkPen("#909090", width=1))
        self.train = pg.PlotDataItem(
            [], [], pen=pg.mkPen(theme.CV_TRAIN, width=2), antialias=True
        )
        self.mean = pg.PlotDataItem(
            [],
            [],
            pen=pg.mkPen(theme.CV_MEAN, width=1.5),
            symbol="o",
            symbolSize=5,
            symbolPen=None,
            symbolBrush=theme.CV_MEAN,
            antialias=True,
        )
        marker = {"color": "#404040", "fill": (255, 255, 255, 200)}
        self.min_line = pg.InfiniteLine(
            angle=90,
            pen=pg.mkPen("#404040", width=1.5, style=QtCore.Qt.PenStyle.DotLine),
            label="",
            labelOpts={"position": 0.85, **marker},
        )
        self.se_line = pg.InfiniteLine(
            angle=90,
            pen=pg.mkPen("#404040", width=1.5, style=QtCore.Qt.PenStyle.DotLine),
            label="",
            labelOpts={"position": 0.68, **marker},
        )
        for item in (self.bars, self.train, self.mean, self.min_line, self.se_line):
            self.plot.addItem(item)
        # λ_1se lies left of λ_min on screen: their labels face away from each other
        vb = self.plot.getViewBox()
        for line, side in ((self.min_line, "right"), (self.se_line, "left")):
            fit = lambda *_, ln=line, side=side: label_inside(ln, side)  # noqa: E731
            line.sigPositionChanged.connect(fit)
            vb.sigXRangeChanged.connect(fit)
            vb.sigResized.connect(fit)
        self._x_labels: list[str] = []
        vb.sigResized.connect(self._fit_x_label)
        self.cursor = LambdaCursor(
            self.plot, self.model, self._to_x, lambda x: float(10.0**x), self
        )
        self.cursor.line.label.setPosition(0.05)
        self.stack = MessageStack(self.plot_widget)

        self.metric_box = compact_combo(
            [("deviance", "deviance"), ("misclassification", "misclassification")],
            "The held-out error for logistic loss: the deviance (−2 log-likelihood "
            "per row, glmnet's default) or the share of rows on the wrong side",
        )
        self.folds_spin = QtWidgets.QSpinBox()
        self.folds_spin.setRange(2, 20)
        self.folds_spin.setPrefix("K = ")
        self.folds_spin.setKeyboardTracking(False)
        self.folds_spin.setToolTip(
            "Number of folds: each fold is held out once while the path is fitted on "
            "the others (contiguous blocks of rows, scikit-learn's KFold)"
        )
        self.shuffle_box = QtWidgets.QCheckBox("shuffle")
        self.shuffle_box.setToolTip(
            "Shuffle the rows before cutting them into folds (with the run's seed); "
            "off: contiguous blocks in row order"
        )
        self.train_box = QtWidgets.QCheckBox("training error")
        self.train_box.setChecked(True)
        self.train_box.setToolTip(
            "Also draw the error on the training folds: it keeps falling as λ falls, "
            "while the held-out error rises again once the model overfits"
        )
        options = FlowLayout()  # wraps in a narrow pane
        options.addWidget(self.train_box)
        options.addWidget(self.metric_box)
        options.addWidget(self.folds_spin)
        options.addWidget(self.shuffle_box)
        options.addStretch()
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.stack, 1)
        layout.addLayout(options)

        self._grid = np.zeros(0)
        self.metric_box.activated.connect(lambda _: self._on_metric_edit())
        self.folds_spin.valueChanged.connect(self._on_folds_edit)
        self.shuffle_box.toggled.connect(self._on_shuffle_edit)
        self.train_box.toggled.connect(lambda _: self.refresh_now())
        self.plot.scene().sigMouseClicked.connect(self._on_click)
        session.datasetLoaded.connect(self.refresh_now)
        session.settingsChanged.connect(self._sync_controls)
        self.model.cvChanged.connect(self.refresh_now)
        self.model.pathChanged.connect(self.refresh_now)
        self.model.progressed.connect(self._on_progress)
        if session.trainer is not None:
            self.refresh_now()

    def _to_x(self, alpha: float) -> float | None:
        return float(np.log10(alpha)) if alpha > 0 and self._grid.size else None

    # -- drawing ----------------------------------------------------------------------
    def refresh_now(self) -> None:
        """Redraw from the model's cross-validation now."""
        if self.session.trainer is None:
            return
        cv = self.model.cv
        has = cv is not None and np.isfinite(cv.mean).any()
        self.stack.show_message(None if has else self.model.cv_note)
        if not has:
            self._grid = np.zeros(0)
            self.summary.setText("")  # the note is in the middle of the pane
            self._sync_controls()
            return
        x = np.log10(np.maximum(cv.alphas, 1e-300))
        self._grid = x
        ok = np.isfinite(cv.mean)
        se = np.where(np.isfinite(cv.se), cv.se, 0.0)
        step = abs(x[0] - x[-1]) / max(x.size - 1, 1)
        self.bars.setData(
            x=x[ok], y=cv.mean[ok], top=se[ok], bottom=se[ok], beam=0.6 * step
        )
        self.mean.setData(x[ok], cv.mean[ok])
        shown = self.train_box.isChecked()
        self.train.setData(x[ok] if shown else [], cv.train_mean[ok] if shown else [])
        counts = cv.n_nonzero if cv.n_nonzero is not None else np.zeros(x.size, int)
        self.count_axis.set_counts(x, counts)
        kind = self.session.settings.penalty
        name = strength_name(kind)
        for line, index, label, side in (
            (self.min_line, cv.index_min, "min", "right"),
            (self.se_line, cv.index_1se, "1se", "left"),
        ):
            if index is None:
                line.hide()
                continue
            line.show()
            line.setValue(x[index])
            keeps = (
                f" · {int(counts[index])} nonzero" if cv.n_nonzero is not None else ""
            )
            line.label.setFormat(f"{name}_{label} = {compact(cv.alphas[index])}{keeps}")
            label_inside(line, side)  # for this text and font (presentation mode)
        self.plot.setLabel(
            "left", MEASURE_LABELS.get(cv.metric, cv.metric), **theme.LABEL_STYLE
        )
        self._x_labels = [
            f"{name} (log scale, strongest on the left)",
            f"{name} (log scale)",
            name,
        ]
        self.plot.setLabel("bottom", self._x_labels[0], **theme.LABEL_STYLE)
        self._fit_x_label()
        lo, hi = float(x.min()), float(x.max())
        pad = 0.03 * ((hi - lo) or 1.0)
        train = cv.train_mean[ok] if shown else []
        ys = np.concatenate([cv.mean[ok] + se[ok], cv.mean[ok] - se[ok], train])
        ys = ys[np.isfinite(ys)]
        y0, y1 = float(ys.min()), float(ys.max())
        ypad = 0.06 * ((y1 - y0) or 1.0)
        self.plot.getViewBox().setRange(
            xRange=(lo - pad, hi + pad), yRange=(y0 - ypad, y1 + ypad), padding=0
        )
        self.cursor.set_bounds(lo, hi)
        self._update_summary(cv)
        self._sync_controls()

    def _update_summary(self, cv) -> None:
        mean = f"<span style='color:{theme.CV_MEAN}'><b>●</b></span>"
        train = f"<span style='color:{theme.CV_TRAIN}'><b>━</b></span>"
        # the measure is named on the y axis
        text = f"<b>{cv.folds}-fold cross-validation</b>: {mean} held out ± 1 SE"
        if self.train_box.isChecked():
            text += f" &nbsp;{train} training folds"
        if self.model.cv_note:
            text += (
                f"<br><span style='color:{theme.NEGATIVE}'>{self.model.cv_note}</span>"
            )
        self.summary.setText(text)

    # -- settings <-> controls ----------------------------------------------------------
    def _sync_controls(self) -> None:
        s = self.session
        if s.trainer is None:
            return
        st = s.settings
        logistic = st.loss == "logistic"
        self.metric_box.setVisible(logistic)
        with QtCore.QSignalBlocker(self.metric_box):
            if logistic:
                i = self.metric_box.findData(error_measure("logistic", st.path.metric))
                self.metric_box.setCurrentIndex(max(i, 0))
        with QtCore.QSignalBlocker(self.folds_spin):
            self.folds_spin.setMaximum(max(2, min(20, s.data.n_samples)))
            self.folds_spin.setValue(st.path.folds)
        with QtCore.QSignalBlocker(self.shuffle_box):
            self.shuffle_box.setChecked(st.path.shuffle)
        has = self.model.cv is not None and self._grid.size > 0
        self.cursor.sync(st.penalty, self.model.alpha if has else None)

    def _edit_path(self, **changes) -> None:
        s = self.session
        if s.trainer is None:
            return
        try:
            s.edit(path=s.settings.path.replace(**changes))
        except ValueError as e:
            QtWidgets.QMessageBox.warning(self, "Cannot use this setting", str(e))
            self._sync_controls()

    def _on_metric_edit(self) -> None:
        st = self.session.settings
        chosen = self.metric_box.currentData()
        if st.loss == "logistic" and error_measure(st.loss, st.path.metric) != chosen:
            self._edit_path(metric=chosen)

    def _on_folds_edit(self, k: int) -> None:
        if k != self.session.settings.path.folds:
            self._edit_path(folds=int(k))

    def _on_shuffle_edit(self, on: bool) -> None:
        if on != self.session.settings.path.shuffle:
            self._edit_path(shuffle=bool(on))

    def _on_progress(self, frac: float, message: str) -> None:
        if self.model.cv is None and self.stack.currentIndex() == 1:
            self.stack.show_message(f"{self.model.cv_note}\n{message}")

    def _on_click(self, event) -> None:
        """A click in the plot puts the λ cursor there."""
        if self._grid.size == 0 or event.button() != QtCore.Qt.MouseButton.LeftButton:
            return
        if event.double():
            self.refresh_now()
            return
        vb = self.plot.getViewBox()
        if vb.sceneBoundingRect().contains(event.scenePos()):
            x = vb.mapSceneToView(event.scenePos()).x()
            x = min(max(x, float(self._grid.min())), float(self._grid.max()))
            self.model.move_cursor(float(10.0**x))

    # -- on screen: the path is computed while someone looks --------------------------
    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.model.watch(self, True)

    def hideEvent(self, event) -> None:
        super().hideEvent(event)
        self.model.watch(self, False)

    # -- view state (see gui.panes) -----------------------------------------------------
    def _fit_x_label(self, *_) -> None:
        """The longest λ axis title that fits the pane's width (a laptop's lesson
        layout, a slide's larger fonts)."""
        if self._x_labels:
            fit_axis_label(self.plot, "bottom", self._x_labels)

    def view_state(self) -> dict:
        """``train``: the training folds' error drawn. (Folds, shuffling and the error
        measure are run settings, ``settings.path``.)"""
        return {"train": self.train_box.isChecked()}

    def set_view_state(self, st: dict) -> None:
        """Restore :meth:`view_state`; entries that are missing or wrong are skipped."""
        if isinstance(st.get("train"), bool):
            self.train_box.setChecked(st["train"])

    def figure_controls(self) -> list[QtWidgets.QWidget]:
        """The cursor buttons and the options below the plot (the summary line,
        which names K and what is drawn, stays)."""
        return [
            *self.controls.widgets(),
            self.train_box,
            self.metric_box,
            self.folds_spin,
            self.shuffle_box,
        ]
