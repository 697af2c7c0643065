"""The compare pane: L1, L2 and Elastic Net side by side on the same data and split.

Three columns of horizontal bars, one per penalty, with the features aligned row by
row in one order (every feature in its own order up to ``MAX_SHOWN``; beyond, the
most important ones, with a note of how many are shown), on one common scale so that
the shrinkage of each penalty is compared as it is. A weight that is exactly 0.0 is
a hollow circle on the axis, never an invisible bar: exactly zero and merely small
look different. Groups of correlated features (|corr| > 0.8 on the training rows)
lie on a shaded band with the group's name: L1 tends to keep one member, L2 and
Elastic Net spread the weight over the group. Below, a table: held-out error, exact
zeros and, on synthetic data, precision and recall of the kept features.

The three runs train in lock step with the main run (Play, Step, Reset; Solve puts
each on its own solution): the pane shows them at the main run's step, as the weights
pane shows the main run (:mod:`gui.compare_model`). How each penalty's λ is chosen
is a run setting, ``settings.lab.compare_lambda``.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from engine.compare import (
    COMPARED_KINDS,
    SHORT_NAMES,
    TABLE_HEADERS,
    feature_order,
    held_out_name,
)
from gui import theme
from gui.flow_layout import FlowLayout
from gui.panes.compare_groups import GroupColumn
from gui.panes.path_parts import MessageStack, compact_combo
from gui.panes.weights_view import name_ticks
from gui.throttle import Throttle

__all__ = ["ComparePane"]

#: Most features drawn; beyond, the most important ones (groups kept whole), as
#: many as get ROW_PX pixels each but at least MIN_SHOWN.
MAX_SHOWN = 30
MIN_SHOWN = 10
ROW_PX = 20
BAR = 0.8
#: Longest feature name written beside the bars (longer ones are elided).
NAME_PX = 110
TABLE_TIP = (
    "Held-out error: on the validation rows. Exactly 0: weights that are 0.0, "
    "features switched off. Precision and recall (synthetic data only): of the "
    "features kept, the share truly in the model; of the true features, the share "
    "kept"
)
#: Seconds a redraw may spend bringing the compared runs to the main run's step.
REFRESH_BUDGET_S = 0.5
#: Seconds between updates of the table while playing.
TEXT_INTERVAL = 0.1
#: How λ is chosen: settings.lab.compare_lambda, combo text.
LAMBDA_CHOICES = (
    ("1se", "each its own λ_1se"),
    ("same", "the run's α for all"),
    ("nonzero", "the run's count of nonzeros"),
)


class ComparePane(QtWidgets.QWidget):
    """L1, L2 and Elastic Net weights side by side, and their table."""

    title = "Compare"

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.model = session.compare_model
        self.setObjectName("compare")
        self.summary = QtWidgets.QLabel()
        self.summary.setObjectName("compareSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(QtCore.Qt.TextFormat.RichText)
        self.summary.setStyleSheet("font-size: 10.5pt;")

        self.graphics = pg.GraphicsLayoutWidget()
        self.graphics.ci.layout.setHorizontalSpacing(2)
        self.plots, self.items = {}, {}
        for col, kind in enumerate(COMPARED_KINDS):
            plot = self.graphics.addPlot(row=0, col=col)
            theme.style_plot(plot)
            plot.setMenuEnabled(False)
            plot.hideButtons()
            plot.setMouseEnabled(x=False, y=False)
            plot.invertY(True)  # the first feature on top
            plot.showGrid(x=True, y=False, alpha=0.2)
            if col:
                plot.setYLink(self.plots[COMPARED_KINDS[0]])
                plot.setXLink(self.plots[COMPARED_KINDS[0]])
                plot.getAxis("left").setStyle(showValues=False, tickLength=0)
                plot.getAxis("left").setTicks([[], []])
                plot.getAxis("left").setWidth(4)
            self.plots[kind] = plot
            self.items[kind] = self._plot_items(plot)
        # a narrow fourth column names the groups of correlated features
        self.group_column = GroupColumn(
            self.graphics, len(COMPARED_KINDS), self.plots[COMPARED_KINDS[0]]
        )
        for col in range(len(COMPARED_KINDS)):
            self.graphics.ci.layout.setColumnStretchFactor(col, 1)
        self.stack = MessageStack(self.graphics)

        self.table = QtWidgets.QLabel()
        self.table.setObjectName("compareTable")
        self.table.setTextFormat(QtCore.Qt.TextFormat.RichText)
        self.table.setStyleSheet("font-size: 9.5pt;")
        self.table.setFrameShape(QtWidgets.QFrame.Shape.StyledPanel)
        #: The cells the table shows, row by row (headers first).
        self.cells: list[tuple[str, ...]] = []
        self.table.setToolTip(TABLE_TIP)

        self.lambda_box = compact_combo(
            LAMBDA_CHOICES,
            "How each penalty's λ is chosen: its own λ_1se (the largest λ within one "
            "standard error of the smallest cross-validated error), the run's "
            "strength α for all three, or for L1 and Elastic Net the strength that "
            "keeps as many nonzero weights as the run (L2 keeps every weight: it "
            "stays at its λ_1se)",
        )
        self.lambda_box.setObjectName("compareLambda")
        self.lambda_label = QtWidgets.QLabel("λ:")
        self.rho_spin = QtWidgets.QDoubleSpinBox()
        self.rho_spin.setObjectName("compareRho")
        self.rho_spin.setRange(0.05, 0.95)
        self.rho_spin.setSingleStep(0.05)
        self.rho_spin.setDecimals(2)
        self.rho_spin.setPrefix("Elastic Net ρ = ")
        self.rho_spin.setKeyboardTracking(False)
        self.progress = QtWidgets.QProgressBar()
        self.progress.setObjectName("compareProgress")
        self.progress.setRange(0, 1000)
        self.progress.setMaximumWidth(200)
        self.cancel_button = QtWidgets.QPushButton("Cancel")
        self.cancel_button.setObjectName("cancelCompare")
        self.cancel_button.setToolTip(
            "Stop choosing the strengths and solving; Compute starts it again"
        )
        self.compute_button = QtWidgets.QPushButton("Compute")
        self.compute_button.setObjectName("computeCompare")
        self.compute_button.setToolTip("Choose the strengths and solve again")
        for wdg in (self.progress, self.cancel_button, self.compute_button):
            wdg.hide()
        options = FlowLayout()
        for wdg in (
            self.lambda_label,
            self.lambda_box,
            self.rho_spin,
            self.progress,
            self.cancel_button,
            self.compute_button,
        ):
            options.addWidget(wdg)
        options.addStretch()

        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.table)
        layout.addLayout(options)

        self._order = np.arange(0)
        self._limit = 1.0
        self._limit_drawn = 0
        self._table_throttle = Throttle(self._update_table, TEXT_INTERVAL, self)
        self.lambda_box.activated.connect(lambda _: self._on_lambda_edit())
        self.rho_spin.valueChanged.connect(self._on_rho_edit)
        self.model.changed.connect(self.refresh_now)
        self.model.followed.connect(self._on_followed)
        self.model.progressed.connect(self._on_progress)
        self.model.busyChanged.connect(self._on_busy)
        self.cancel_button.clicked.connect(self.model.cancel)
        self.compute_button.clicked.connect(self.model.compute)
        session.settingsChanged.connect(self._sync_controls)
        session.datasetLoaded.connect(self.refresh_now)
        vb = self.plots[COMPARED_KINDS[0]].getViewBox()
        vb.sigResized.connect(self._on_resized)
        if session.trainer is not None:
            self.refresh_now()

    def _plot_items(self, plot) -> dict:
        """The items of one column, made once: bars by sign, hollow circles for
        exact zeros, the true coefficients, the axis line."""
        items = {
            "pos": pg.BarGraphItem(
                x0=[], y=[], width=[], height=BAR, pen=None, brush=theme.POSITIVE
            ),
            "neg": pg.BarGraphItem(
                x0=[], y=[], width=[], height=BAR, pen=None, brush=theme.NEGATIVE
            ),
            "zero": pg.ScatterPlotItem(
                size=8, symbol="o", pen=pg.mkPen(theme.ZERO, width=1.6), brush=None
            ),
            "truth": pg.ScatterPlotItem(
                size=8, symbol="d", pen=pg.mkPen(theme.TRUTH, width=1.2), brush=None
            ),
            "axis": pg.InfiniteLine(pos=0, angle=90, pen=pg.mkPen("#404040", width=1)),
        }
        for key in ("axis", "pos", "neg", "zero", "truth"):
            plot.addItem(items[key])
        for key in ("zero", "truth"):
            items[key].setZValue(5)
        return items

    # -- drawing --------------------------------------------------------------------
    def refresh_now(self) -> None:
        """Redraw from the model's comparison now: order, bands, bars and table,
        with the compared runs brought to the main run's step first (an exported
        figure, a recorded frame), for at most ``REFRESH_BUDGET_S``."""
        self._sync_controls()
        self.model.follow(time_budget=REFRESH_BUDGET_S, force=True)
        comp = self.model.comparison if self.model.is_current() else None
        self.compute_button.setVisible(self.model.cancelled() and not self.model.busy)
        if self.session.trainer is None or comp is None:
            note = self.model.note or "Choosing the strengths and solving…"
            self.stack.show_message(note)
            self.summary.setText("<b>L1 vs L2 vs Elastic Net</b> on the same data")
            return
        self.stack.show_message(None)
        data = comp.data
        few = data.n_features <= MAX_SHOWN  # a few features are all drawn
        limit = None if few else self._shown_limit()
        order = feature_order(comp.importance(), comp.groups, limit)
        self._order = order
        self._limit_drawn = self._shown_limit()
        w_all = [comp.solutions[k].w for k in COMPARED_KINDS]
        w_all += [comp.weights(k) for k in COMPARED_KINDS]
        if data.true_coef is not None:
            w_all.append(data.true_coef)
        lim = max(float(np.abs(w[order]).max(initial=0.0)) for w in w_all)
        self._limit = 1.12 * lim if lim > 0 and np.isfinite(lim) else 1.0
        self._draw_bands(comp, order)
        n = max(len(order), 1)
        first = self.plots[COMPARED_KINDS[0]]
        first.getViewBox().setRange(
            xRange=(-self._limit, self._limit), yRange=(-0.6, n - 0.4), padding=0
        )
        for kind in COMPARED_KINDS:
            plot = self.plots[kind]
            st = comp.strengths[kind]
            colour = theme.PENALTY_COLOURS[kind]
            plot.setTitle(
                f"<span style='color:{colour}; font-weight:bold'>{SHORT_NAMES[kind]}</span>",
                size="10pt",
            )
            tip = f"{st.name}: {_strength(st.penalty, kind)}, {st.how}"
            plot.getViewBox().setToolTip(tip)
        self._update_names()
        self._update_bars()
        self._update_summary(comp)
        self._table_throttle.run_now()

    def _shown_limit(self) -> int:
        """How many of many features are drawn: as many as get ``ROW_PX`` pixels
        each, from ``MIN_SHOWN`` to ``MAX_SHOWN`` (a few features are all drawn)."""
        height = self.plots[COMPARED_KINDS[0]].getViewBox().height()
        if height <= 0:
            height = max(self.graphics.height() - 60, 0)
        return int(min(MAX_SHOWN, max(MIN_SHOWN, height // ROW_PX)))

    def _on_resized(self, *_) -> None:
        comp = self.model.comparison
        if comp is not None and comp.data.n_features > MAX_SHOWN:
            if self._shown_limit() != self._limit_drawn:
                self.refresh_now()
                return
        self._update_names()

    def _draw_bands(self, comp, order) -> None:
        # the theme's text colour (the bands are redrawn after a change of theme)
        fg = self.palette().color(QtGui.QPalette.ColorRole.WindowText).name()
        columns = [self.plots[k] for k in COMPARED_KINDS]
        self.group_column.draw(columns, comp.groups, order, comp.data.feature_names, fg)

    def _update_names(self, *_) -> None:
        """The feature names on the first column's axis, every k-th where the bars
        are closer than a line of text, elided past ``NAME_PX``; the axis as wide
        as the longest name written."""
        comp = self.model.comparison
        if comp is None or not len(self._order):
            return
        names = comp.data.feature_names
        plot = self.plots[COMPARED_KINDS[0]]
        vb = plot.getViewBox()
        y0, y1 = vb.viewRange()[1]
        px_per_bar = vb.height() / max(y1 - y0, 1e-9)
        axis = plot.getAxis("left")
        font = axis.style.get("tickFont") or QtGui.QFont()
        ticks = name_ticks([names[j] for j in self._order], px_per_bar, font, NAME_PX)
        fm = QtGui.QFontMetricsF(font)
        widest = max((fm.horizontalAdvance(t) for _, t in ticks), default=10.0)
        axis.setWidth(int(widest) + 12)
        axis.setTicks([ticks])

    def _update_bars(self) -> None:
        comp = self.model.comparison if self.model.is_current() else None
        if comp is None or not len(self._order):
            return
        order = self._order
        pos = np.arange(len(order), dtype=float)
        truth = comp.data.true_coef
        for kind in COMPARED_KINDS:
            items = self.items[kind]
            wo = comp.weights(kind)[order]
            for key, mask in (("pos", wo > 0), ("neg", wo < 0)):
                items[key].setOpts(
                    y=pos[mask],
                    x0=np.minimum(wo[mask], 0),
                    width=np.abs(wo[mask]),
                    height=BAR,
                    x=None,
                    y0=None,
                )
            zero = wo == 0.0
            items["zero"].setData(np.zeros(int(zero.sum())), pos[zero])
            if truth is not None:
                t = truth[order]
                keep = t != 0
                items["truth"].setData(t[keep], pos[keep])
            else:
                items["truth"].setData([], [])

    def _on_followed(self) -> None:
        self._update_bars()
        self._table_throttle.request(now=not self.session.playing)

    def _update_table(self) -> None:
        comp = self.model.comparison if self.model.is_current() else None
        if comp is None:
            return
        headers = list(TABLE_HEADERS)
        headers[2] = held_out_name(comp.measure)
        rows = comp.rows()
        cells = [tuple(headers)] + [row.cells() for row in rows]
        self._update_summary(comp)  # its step count moves on every step
        if cells == self.cells:
            return
        self.cells = cells
        right = "align='right'"
        html = ["<table width='100%' cellspacing='0' cellpadding='2'><tr>"]
        html += [
            f"<th {right if c >= 2 else 'align=left'}>{h}</th>"
            for c, h in enumerate(headers)
        ]
        html.append("</tr>")
        for row, texts in zip(rows, cells[1:], strict=True):
            colour = theme.PENALTY_COLOURS[row.kind]
            html.append(f"<tr><td><b style='color:{colour}'>{texts[0]}</b></td>")
            html += [
                f"<td {right if c >= 2 else ''}>{t}</td>"
                for c, t in enumerate(texts[1:], start=1)
            ]
            html.append("</tr>")
        html.append("</table>")
        self.table.setText("".join(html))
        self.table.setToolTip(
            TABLE_TIP
            + "".join(
                f"\n{SHORT_NAMES[k]}: {comp.strengths[k].how}" for k in COMPARED_KINDS
            )
        )

    def _update_summary(self, comp) -> None:
        tr = comp.runs[COMPARED_KINDS[0]].trainer
        mode = {
            "1se": "at each one's own λ_1se",
            "same": "all at the run's strength α",
            "nonzero": "L1 and Elastic Net keep as many weights as the run; "
            "L2 keeps every weight, at its λ_1se",
        }[comp.settings.lab.compare_lambda]
        d, n = comp.data.n_features, len(self._order)
        shown = "" if n >= d else f" · the {n} most important of {d} features"
        zero = f"<span style='color:{theme.ZERO}'>○</span> exactly 0"
        truth = " · ◇ true" if comp.data.true_coef is not None else ""
        state = f"step {tr.step_count:,}" + (", solved" if tr.solution else "")
        main = self.session.trainer
        if main is not None and main.step_count != tr.step_count:
            state += f" (catching up with step {main.step_count:,})"
        self.summary.setText(
            f"<b>L1 vs L2 vs Elastic Net</b> (ρ = {comp.rho:.2g}) {mode} · {state}"
            f"{shown}<br><span style='font-size:9pt'>bars: w per SD · {zero}{truth}"
            " · shaded: correlated, |r| &gt; 0.8</span>"
            + "".join(
                f"<br><span style='color:{theme.NEGATIVE}; font-size:9pt'>{w}</span>"
                for w in comp.warnings()
            )
        )

    def _on_progress(self, frac: float, message: str) -> None:
        self.progress.setValue(int(frac * 1000))
        self.progress.setToolTip(message)
        if self.stack.currentIndex() == 1:
            self.stack.show_message(f"{self.model.note}\n{message}")

    def _on_busy(self, busy: bool) -> None:
        if busy:
            self.progress.setValue(0)
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        self.compute_button.setVisible(self.model.cancelled() and not busy)

    # -- settings <-> controls --------------------------------------------------------
    def _sync_controls(self) -> None:
        s = self.session
        if s.trainer is None:
            return
        lab = s.settings.lab
        with QtCore.QSignalBlocker(self.lambda_box):
            self.lambda_box.setCurrentIndex(
                max(self.lambda_box.findData(lab.compare_lambda), 0)
            )
        own = s.settings.penalty == "elasticnet"
        with QtCore.QSignalBlocker(self.rho_spin):
            rho = lab.compare_l1_ratio
            if own:
                rho = s.settings.active_penalty.rho
            self.rho_spin.setValue(rho)
        self.rho_spin.setEnabled(not own)
        self.rho_spin.setToolTip(
            "The run is an Elastic Net: the comparison uses its own L1 share ρ"
            if own
            else "The L1 share ρ = λ₁ / (λ₁ + λ₂) of the compared Elastic Net"
        )

    def _edit_lab(self, **changes) -> None:
        s = self.session
        if s.trainer is None:
            return
        try:
            s.edit(lab=s.settings.lab.replace(**changes))
        except ValueError as e:
            QtWidgets.QMessageBox.warning(self, "Cannot use this setting", str(e))
            self._sync_controls()

    def _on_lambda_edit(self) -> None:
        chosen = self.lambda_box.currentData()
        if chosen != self.session.settings.lab.compare_lambda:
            self._edit_lab(compare_lambda=chosen)

    def _on_rho_edit(self, value: float) -> None:
        if abs(value - self.session.settings.lab.compare_l1_ratio) > 1e-12:
            self._edit_lab(compare_l1_ratio=float(value))

    # -- on screen: computed and following while someone looks ------------------------
    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.model.watch(self, True)
        self.refresh_now()

    def hideEvent(self, event) -> None:
        super().hideEvent(event)
        self.model.watch(self, False)

    # -- view state (see gui.panes) ---------------------------------------------------
    def view_state(self) -> dict:
        """Nothing of its own: how λ is chosen and ρ are run settings
        (``settings.lab``)."""
        return {}

    def set_view_state(self, st: dict) -> None:
        """Nothing to restore (see :meth:`view_state`)."""

    def figure_controls(self) -> list[QtWidgets.QWidget]:
        """The λ choice and ρ below the table (the summary says which λ), the
        progress, Cancel and Compute."""
        return [
            self.lambda_label,
            self.lambda_box,
            self.rho_spin,
            self.progress,
            self.cancel_button,
            self.compute_button,
        ]


def _strength(pen, kind: str) -> str:
    if kind == "l1":
        return f"λ₁ = {pen.lam1:.3g}"
    if kind == "l2":
        return f"λ₂ = {pen.lam2:.3g}"
    return f"λ₁ = {pen.lam1:.3g}, λ₂ = {pen.lam2:.3g}"
