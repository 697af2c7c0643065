"""The CSV import dialog: see the file, check the format, choose target and features.

The first rows are shown at once; the whole file is parsed on a worker thread with a
progress bar and Cancel, then every column is listed with its kind (numeric,
categories, free text, date, ID, empty), its missing values and what importing it
means. Nothing is changed silently: the summary line says what will be dropped,
filled or encoded before you press Import, and the report stays in the Data panel.
When Import is unavailable the same line says why (in red), and so does the button's
tooltip. A target of more than two classes needs its positive class chosen (that
class against the rest), or the loss set to squared (the target as a number).
"""

from __future__ import annotations

import html
import math

from PySide6 import QtCore, QtWidgets

from engine.csv import (
    DELIMITER_NAMES,
    ENCODING_NAMES,
    CSVCancelled,
    CSVFormat,
    ImportChoices,
    ImportPlan,
    Table,
    build_dataset,
    load_table,
    preview,
)
from engine.data import DataError
from gui.worker import Worker

__all__ = ["ImportDialog"]

#: The encodings offered, in this order.
ENCODINGS = (
    "utf-8",
    "utf-8-sig",
    "latin-1",
    "cp1252",
    "utf-16",
    "utf-16-le",
    "utf-16-be",
)
_RED = "color: #B00020; font-weight: bold;"


#: Import workers of closed dialogs, kept alive until they end (their results are
#: ignored; a QThread must not be destroyed while it runs).
DETACHED_WORKERS: set = set()


class _PreviewModel(QtCore.QAbstractTableModel):
    def __init__(self, frame=None):
        super().__init__()
        self.frame = frame

    @property
    def frame(self):
        return self._frame

    @frame.setter
    def frame(self, frame) -> None:
        self._frame = frame
        self._cells = None if frame is None else frame.to_numpy()

    def rowCount(self, parent=None):
        return 0 if self.frame is None else len(self.frame)

    def columnCount(self, parent=None):
        return 0 if self.frame is None else self.frame.shape[1]

    def data(self, index, role=QtCore.Qt.ItemDataRole.DisplayRole):
        if role == QtCore.Qt.ItemDataRole.DisplayRole and self.frame is not None:
            return str(self._cells[index.row(), index.column()])
        return None

    def headerData(self, section, orientation, role=QtCore.Qt.ItemDataRole.DisplayRole):
        if role != QtCore.Qt.ItemDataRole.DisplayRole or self.frame is None:
            return None
        if orientation == QtCore.Qt.Orientation.Horizontal:
            return str(self.frame.columns[section])
        return str(section + 1)


class ColumnsModel(QtCore.QAbstractTableModel):
    """One row per column of the file: use it?, is it the target?, kind, missing.
    Every answer and every edit goes to the :class:`~engine.csv.ImportPlan`."""

    HEADERS = ("use", "target", "column", "kind", "missing", "importing it means")
    changed = QtCore.Signal()

    def __init__(self, plan: ImportPlan):
        super().__init__()
        self.plan = plan
        self.names = plan.table.names

    @property
    def target(self) -> str | None:
        return self.plan.target

    def rowCount(self, parent=None):
        return len(self.names)

    def columnCount(self, parent=None):
        return len(self.HEADERS)

    def headerData(self, section, orientation, role=QtCore.Qt.ItemDataRole.DisplayRole):
        if role == QtCore.Qt.ItemDataRole.DisplayRole:
            if orientation == QtCore.Qt.Orientation.Horizontal:
                return self.HEADERS[section]
            return str(section + 1)
        return None

    def meaning(self, k: int) -> str:
        return self.plan.meaning(self.names[k])

    def data(self, index, role=QtCore.Qt.ItemDataRole.DisplayRole):
        k, j = index.row(), index.column()
        name, plan = self.names[k], self.plan
        R = QtCore.Qt.ItemDataRole
        checked, unchecked = (
            QtCore.Qt.CheckState.Checked,
            QtCore.Qt.CheckState.Unchecked,
        )
        if role == R.CheckStateRole:
            if j == 0:
                return checked if plan.is_feature(name) else unchecked
            if j == 1:
                return checked if plan.is_target(name) else unchecked
        if role == R.DisplayRole:
            if j == 2:
                return name
            if j == 3:
                return plan.kind(name)
            if j == 4:
                n = plan.missing_cells(name)
                return str(n) if n else ""
            if j == 5:
                return plan.meaning(name)
        if role == R.ToolTipRole and j == 5:
            return plan.meaning(name)
        return None

    def flags(self, index):
        f = QtCore.Qt.ItemFlag.ItemIsEnabled | QtCore.Qt.ItemFlag.ItemIsSelectable
        if index.column() in (0, 1) and self.plan.can_choose(self.names[index.row()]):
            f |= QtCore.Qt.ItemFlag.ItemIsUserCheckable
        return f

    def setData(self, index, value, role=QtCore.Qt.ItemDataRole.EditRole):
        if role != QtCore.Qt.ItemDataRole.CheckStateRole:
            return False
        k, j = index.row(), index.column()
        on = QtCore.Qt.CheckState(value) == QtCore.Qt.CheckState.Checked
        name = self.names[k]
        if j == 0:
            done = self.plan.set_feature(name, on)
        elif j == 1 and on:
            done = self.plan.set_target(name)
        else:
            return False
        if not done:
            return False
        self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, 5))
        self.changed.emit()
        return True


class ImportDialog(QtWidgets.QDialog):
    """Import one CSV file; ``result_dataset`` and the options are set on accept."""

    def __init__(
        self,
        path,
        fmt: CSVFormat,
        notes=(),
        target: str | None = None,
        parent=None,
        prepare=None,
    ):
        """``prepare(dataset, options)``, if given, runs on the worker thread after
        the dataset is built (e.g. standardizing it for training); its result is
        ``prepared`` on accept."""
        super().__init__(parent)
        self.path = path
        self.prepare = prepare
        self.prepared = None
        self.importing = False
        self.fmt = fmt
        self.sniff_notes = list(notes)
        self.wanted_target = target
        self.table: Table | None = None
        self.model: ColumnsModel | None = None
        self.plan: ImportPlan | None = None
        self.worker: Worker | None = None
        self.result_dataset = None
        self.result_report: list[str] = []
        self._loaded_message = ""
        self._target_problem: str | None = None
        self._hinting = False  # the message shows why no target is chosen
        self.setWindowTitle(f"Import {path.name}")
        self.resize(980, 760)
        self._build()
        self._set_format_controls(fmt)
        self.reload()

    # -- building -----------------------------------------------------------------
    def _build(self) -> None:
        self.delimiter = QtWidgets.QComboBox()
        for d, name in DELIMITER_NAMES.items():
            self.delimiter.addItem(name, d)
        self.decimal = QtWidgets.QComboBox()
        self.decimal.addItem("point (3.14)", ".")
        self.decimal.addItem("comma (3,14)", ",")
        self.encoding = QtWidgets.QComboBox()
        for enc in ENCODINGS:
            self.encoding.addItem(ENCODING_NAMES[enc], enc)
        self.header = QtWidgets.QCheckBox("first row holds the column names")
        self.skip = QtWidgets.QSpinBox()
        self.skip.setRange(0, 1000)
        self.skip.setToolTip("Lines to skip before the header (titles, comments)")
        self.counts = QtWidgets.QCheckBox(
            "the last skipped line counts rows, features and classes"
        )
        self.counts.setToolTip(
            "scikit-learn's layout (iris.csv: '150,4,setosa,versicolor,virginica'): "
            "the columns are called x1 … xd and target, and the class names replace "
            "the target's codes 0, 1, …"
        )
        self.skip_bad = QtWidgets.QCheckBox("skip malformed rows")
        self.skip_bad.setToolTip(
            "Rows with more fields than the header are refused, rows with fewer are "
            "read with missing cells; tick to skip both instead (they are listed)"
        )
        fmt_box = QtWidgets.QGroupBox(
            "Format (detected; change it if the preview looks wrong)"
        )
        g = QtWidgets.QGridLayout(fmt_box)
        g.addWidget(QtWidgets.QLabel("Delimiter"), 0, 0)
        g.addWidget(self.delimiter, 0, 1)
        g.addWidget(QtWidgets.QLabel("Decimal mark"), 0, 2)
        g.addWidget(self.decimal, 0, 3)
        g.addWidget(QtWidgets.QLabel("Encoding"), 0, 4)
        g.addWidget(self.encoding, 0, 5)
        g.addWidget(self.header, 1, 0, 1, 2)
        g.addWidget(QtWidgets.QLabel("Skip lines"), 1, 2)
        g.addWidget(self.skip, 1, 3)
        g.addWidget(self.skip_bad, 1, 4, 1, 2)
        g.addWidget(self.counts, 2, 0, 1, 6)
        for w in (self.delimiter, self.decimal, self.encoding):
            w.activated.connect(lambda _: self._on_format_change())
        self.header.toggled.connect(lambda _: self._on_format_change())
        self.counts.toggled.connect(lambda _: self._on_format_change())
        self.skip.valueChanged.connect(lambda _: self._on_format_change())
        self.skip_bad.toggled.connect(lambda _: self._on_format_change())

        self.preview_view = QtWidgets.QTableView()
        self.preview_model = _PreviewModel()
        self.preview_view.setModel(self.preview_model)
        self.preview_view.setMaximumHeight(170)
        self.columns_view = QtWidgets.QTableView()
        self.columns_view.setToolTip(
            "Tick 'use' for the features and one 'target'. Text "
            "columns are one-hot encoded when used."
        )
        self.columns_view.verticalHeader().setVisible(False)
        self.progress = QtWidgets.QProgressBar()
        self.progress.setRange(0, 1000)
        self.cancel_load = QtWidgets.QPushButton("Stop reading")
        self.cancel_load.clicked.connect(self._stop_reading)
        self.message = QtWidgets.QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(
            QtCore.Qt.TextInteractionFlag.TextSelectableByMouse
        )

        self.drop_rows = QtWidgets.QRadioButton("drop those rows")
        self.fill_mean = QtWidgets.QRadioButton("fill features with the column mean")
        self.drop_rows.setChecked(True)
        self.missing_label = QtWidgets.QLabel()
        self.loss = QtWidgets.QComboBox()
        self.loss.addItem("automatic", "auto")
        self.loss.addItem("squared (regression)", "squared")
        self.loss.addItem("logistic (two classes)", "logistic")
        self.loss.setToolTip(
            "A target with two distinct values suggests logistic loss; squared loss "
            "treats the target as a number"
        )
        self.positive_class = QtWidgets.QComboBox()
        self.positive_class.setToolTip(
            "The target's class coded +1; every other class is −1 (one against the "
            "rest, logistic loss)"
        )
        self.positive_class.setSizeAdjustPolicy(
            QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToContents
        )
        self.standardize = QtWidgets.QCheckBox(
            "standardize features: penalties compare weights, so features must share a "
            "scale"
        )
        self.standardize.setChecked(True)
        self.validation = QtWidgets.QDoubleSpinBox()
        self.validation.setRange(0.0, 0.5)
        self.validation.setSingleStep(0.05)
        self.validation.setValue(0.2)
        self.split_seed = QtWidgets.QSpinBox()
        self.split_seed.setRange(0, 2**31 - 1)
        self.split_seed.setToolTip("Seed of the random validation split")
        opts = QtWidgets.QGroupBox("Options")
        f = QtWidgets.QGridLayout(opts)
        f.addWidget(QtWidgets.QLabel("Missing values"), 0, 0)
        f.addWidget(self.missing_label, 0, 1)
        f.addWidget(self.drop_rows, 0, 2)
        f.addWidget(self.fill_mean, 0, 3)
        f.addWidget(QtWidgets.QLabel("Loss"), 1, 0)
        loss_row = QtWidgets.QHBoxLayout()
        loss_row.addWidget(self.loss)
        loss_row.addWidget(QtWidgets.QLabel("positive class"))
        loss_row.addWidget(self.positive_class)
        loss_row.addStretch(1)
        f.addLayout(loss_row, 1, 1)
        f.addWidget(QtWidgets.QLabel("Validation share"), 1, 2)
        vs = QtWidgets.QHBoxLayout()
        vs.addWidget(self.validation)
        vs.addWidget(QtWidgets.QLabel("seed"))
        vs.addWidget(self.split_seed)
        f.addLayout(vs, 1, 3)
        f.addWidget(self.standardize, 2, 0, 1, 4)
        for w in (self.drop_rows, self.fill_mean):
            w.toggled.connect(lambda _: self._update_summary())
        self.validation.valueChanged.connect(lambda _: self._on_options_change())
        self.split_seed.valueChanged.connect(lambda _: self._on_options_change())
        self.standardize.toggled.connect(lambda _: self._on_options_change())
        self.loss.activated.connect(lambda _: self._update_summary())
        self.positive_class.activated.connect(
            lambda _: self._on_positive_class_change()
        )
        self.summary = QtWidgets.QLabel()
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-weight: bold;")
        self.buttons = QtWidgets.QDialogButtonBox(
            QtWidgets.QDialogButtonBox.StandardButton.Cancel
        )
        self.import_button = self.buttons.addButton(
            "Import", QtWidgets.QDialogButtonBox.ButtonRole.AcceptRole
        )
        self._set_import_available("Reading the file…")
        self.buttons.accepted.connect(self._import)
        self.buttons.rejected.connect(self.reject)
        top = QtWidgets.QLabel(f"<b>{self.path.name}</b> &nbsp; {self.path.parent}")
        top.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        prog = QtWidgets.QHBoxLayout()
        prog.addWidget(self.progress, 1)
        prog.addWidget(self.cancel_load)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(top)
        layout.addWidget(fmt_box)
        layout.addWidget(QtWidgets.QLabel("First rows as they will be read:"))
        layout.addWidget(self.preview_view)
        layout.addLayout(prog)
        layout.addWidget(self.message)
        layout.addWidget(QtWidgets.QLabel("Columns:"))
        layout.addWidget(self.columns_view, 1)
        layout.addWidget(opts)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)

    def _set_format_controls(self, fmt: CSVFormat) -> None:
        blockers = [
            QtCore.QSignalBlocker(w)
            for w in (
                self.delimiter,
                self.decimal,
                self.encoding,
                self.header,
                self.skip,
                self.skip_bad,
                self.counts,
            )
        ]
        self.delimiter.setCurrentIndex(max(self.delimiter.findData(fmt.delimiter), 0))
        self.decimal.setCurrentIndex(max(self.decimal.findData(fmt.decimal), 0))
        i = self.encoding.findData(fmt.encoding)
        if i < 0:
            self.encoding.addItem(fmt.encoding, fmt.encoding)
            i = self.encoding.count() - 1
        self.encoding.setCurrentIndex(i)
        self.header.setChecked(fmt.header)
        self.skip.setValue(fmt.skip)
        self.counts.setChecked(fmt.counts)
        del blockers
        self._update_counts_enabled()

    def _counts_possible(self) -> bool:
        """A line of counts is a skipped line above data without a header."""
        return not self.header.isChecked() and self.skip.value() > 0

    def _update_counts_enabled(self) -> None:
        self.counts.setEnabled(self._counts_possible())

    def current_format(self) -> CSVFormat:
        return CSVFormat(
            self.delimiter.currentData(),
            self.decimal.currentData(),
            self.encoding.currentData(),
            self.header.isChecked(),
            self.skip.value(),
            self._counts_possible() and self.counts.isChecked(),
        )

    # -- reading ------------------------------------------------------------------
    def _on_format_change(self) -> None:
        self._update_counts_enabled()
        self.fmt = self.current_format()
        self.sniff_notes = []
        self.reload()

    def reload(self) -> None:
        """Read the first rows for the preview, then the whole file, each on a worker
        thread (the dialog stays responsive however wide or long the file)."""
        self._cancel_worker(wait=True)
        self.table = None
        self.plan = None
        self.model = None
        self._set_import_available("Reading the file…")
        self.columns_view.setModel(None)
        self.preview_model.beginResetModel()
        self.preview_model.frame = None
        self.preview_model.endResetModel()
        path, fmt = self.path, self.fmt
        self.progress.setRange(0, 1000)
        self.progress.setValue(0)
        self.progress.setFormat("reading the first rows…")
        self.progress.show()
        self.cancel_load.show()
        self.message.setStyleSheet("")
        self.message.setText(f"Reading as {self.fmt.describe()}…")
        self._start(lambda progress, cancel: preview(path, fmt), self._on_preview)

    def _start(self, fn, slot, progress=None) -> None:
        """Run ``fn(progress, cancel)`` on a worker; ``slot(result)`` when it ends,
        unless it was replaced or the dialog closed meanwhile."""
        worker = Worker(fn, self)
        if progress is not None:  # (a worker forgotten meanwhile shows nothing)
            worker.progressed.connect(
                lambda f, m, w=worker: progress(f, m) if w is self.worker else None
            )
        worker.done.connect(lambda res, w=worker: self._finished(w, res, slot))
        self.worker = worker
        worker.start()

    def _finished(self, worker, res, slot) -> None:
        if worker is not self.worker:  # stopped and replaced, or the dialog closed
            return
        self.worker = None
        worker.wait()
        worker.deleteLater()
        slot(CSVCancelled() if worker.stop.is_set() else res)

    def _on_preview(self, res) -> None:
        if isinstance(res, CSVCancelled):
            self._on_loaded(res)
            return
        if isinstance(res, Exception):
            self.progress.hide()
            self.cancel_load.hide()
            self._show_error(str(res))
            return
        self.preview_model.beginResetModel()
        self.preview_model.frame = res
        self.preview_model.endResetModel()
        fmt, skip_bad = self.fmt, self.skip_bad.isChecked()
        path = self.path
        self.progress.setFormat("reading… %p%")
        self._start(
            lambda progress, cancel: load_table(
                path, fmt, skip_bad_lines=skip_bad, progress=progress, cancel=cancel
            ),
            self._on_loaded,
            self._on_progress,
        )

    def _on_progress(self, frac: float, msg: str) -> None:
        if math.isnan(frac):  # pandas reading on every core says nothing till the end
            self.progress.setRange(0, 0)
            self.progress.setFormat(msg)
            return
        self.progress.setRange(0, 1000)
        self.progress.setValue(int(frac * 1000))
        self.progress.setFormat(f"{msg} — %p%")

    def _cancel_worker(self, wait: bool = False) -> None:
        """Ask the worker to stop. ``wait``: forget it now (its result is ignored),
        so that closing the dialog or reading again never waits for it: reading
        stops at the next chunk (a big file pandas reads on every core only when
        pandas is done), an import is left to finish (it changes nothing)."""
        worker = self.worker
        if worker is None:
            return
        worker.stop.set()
        if wait:
            self.worker = None
            self.importing = False
            worker.setParent(None)  # outlives the dialog, kept until it ends
            DETACHED_WORKERS.add(worker)
            worker.finished.connect(lambda w=worker: DETACHED_WORKERS.discard(w))

    def _stop_reading(self) -> None:
        """The Stop button: an import stops at its next step; a read is forgotten
        at once (it may be pandas reading on every core, which cannot stop)."""
        if self.importing or self.worker is None:
            self._cancel_worker()
            return
        self._cancel_worker(wait=True)
        self._on_loaded(CSVCancelled())

    def _on_loaded(self, res) -> None:
        self.progress.hide()
        self.cancel_load.hide()
        if isinstance(res, CSVCancelled):
            self._show_error(
                "Reading stopped. Change the format to read again, or Cancel."
            )
            return
        if isinstance(res, Exception):
            self._show_error(str(res))
            return
        self.table = res
        self.plan, problem = ImportPlan.suggest(res, self.wanted_target)
        self._target_problem = problem
        self._set_plan_options()
        self.model = ColumnsModel(self.plan)
        self.model.changed.connect(self._update_summary)
        self.columns_view.setModel(self.model)
        self.columns_view.resizeColumnsToContents()
        self.columns_view.horizontalHeader().setStretchLastSection(True)
        notes = self.sniff_notes + res.notes
        text = (
            f"Read {res.n_rows:,} rows × {len(res.columns)} columns as "
            f"{self.fmt.describe()}."
        )
        if notes:
            text += "<br>" + "<br>".join(f"• {n}" for n in notes)
        self._loaded_message = text
        self._hinting = False
        self.message.setText(text)
        self.message.setStyleSheet("")
        self._update_summary()

    def _on_options_change(self) -> None:
        """Another split or scaling may cure what refused the last Import."""
        if self.importing or self.worker is not None or self.model is None:
            return
        self._hinting = False
        self.message.setText(self._loaded_message)
        self.message.setStyleSheet("")
        self._update_summary()

    def _show_error(self, text: str) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(_RED)
        self._set_import_available(
            "Nothing to import: the file cannot be used as it is read (see above)."
        )

    def _set_import_available(self, why_not: str = "") -> None:
        """Enable Import, or disable it and say why below the options (and in its
        tooltip): it is never greyed out without a reason on screen."""
        self.import_button.setEnabled(not why_not)
        self.import_button.setToolTip(why_not)
        if why_not:
            self.summary.setText(why_not)
            self.summary.setStyleSheet(_RED)
        else:
            self.summary.setStyleSheet("font-weight: bold;")

    def why_import_unavailable(self) -> str:
        """The reason on screen while Import is unavailable ('' when it is not)."""
        return "" if self.import_button.isEnabled() else self.summary.text()

    # -- choices ------------------------------------------------------------------
    def choices(self) -> ImportChoices:
        return self.plan.choices()

    def _set_plan_options(self) -> None:
        if self.plan is not None:
            self.plan.missing = "mean" if self.fill_mean.isChecked() else "drop"
            self.plan.loss = self.loss.currentData()

    def _on_positive_class_change(self) -> None:
        if self.plan is not None:
            self.plan.positive_class = self.positive_class.currentData()
        self._update_summary()

    def _update_classes(self) -> None:
        """The positive-class choices of the plan's target: its classes (a first
        'choose…' when there are more than two), or none."""
        plan = self.plan
        classes = plan.classes() if plan is not None else None
        box = self.positive_class
        with QtCore.QSignalBlocker(box):
            box.clear()
            if not classes:
                box.addItem("—", None)
                box.setEnabled(False)
                return
            if len(classes) > 2:
                box.addItem("choose…", None)
            for c in classes:
                box.addItem(c if len(classes) == 2 else f"{c} (against the rest)", c)
            current = plan.positive_class
            if current is None and len(classes) == 2:
                current = classes[1]  # what the import codes +1 by default
            box.setCurrentIndex(max(box.findData(current), 0))
            box.setEnabled(plan.loss != "squared")

    def _update_summary(self) -> None:
        plan = self.plan
        hint = plan is not None and plan.target is None
        if hint != self._hinting and self.message.text().startswith(
            self._loaded_message
        ):
            # what was read stays on screen; below it, while no target is chosen, why
            text = self._loaded_message
            if hint:
                why = self._target_problem or "No target column is chosen"
                text += (
                    "<br><span style='color:#B00020; font-weight:bold'>"
                    f"{html.escape(why)} — pick a target column below.</span>"
                )
            self.message.setText(text)
            self._hinting = hint
        if plan is None:
            return  # reading, or the file could not be read: already said
        self._set_plan_options()
        self._update_classes()
        if plan.target is None:
            self._set_import_available(plan.problem())
            return
        self.missing_label.setText(plan.missing_line())
        problem = plan.problem()
        if problem:
            self._set_import_available(problem)
            return
        self.summary.setText(plan.summary())
        self._set_import_available()

    def _import(self) -> None:
        """Build the dataset (and prepare it) on a worker thread; accept when done."""
        if self.plan is None or self.worker is not None:
            return
        table, choices, options = self.table, self.choices(), self.options()
        prepare = self.prepare

        def work(progress, cancel):
            progress(0.0, "building the dataset")
            ds, report = build_dataset(table, choices)
            if cancel():
                raise CSVCancelled()
            prepared = None
            if prepare is not None:
                progress(0.5, "standardizing and splitting")
                try:
                    prepared = prepare(ds, options)
                except ValueError as e:  # e.g. too few rows for the split
                    raise DataError(str(e)) from None
            return ds, report, prepared

        self.importing = True
        self._set_inputs_enabled(False)
        self.progress.setRange(0, 0)  # busy: the steps report no fractions
        self.progress.setFormat("importing…")
        self.progress.show()
        self.cancel_load.setText("Stop importing")
        self.cancel_load.show()
        self.message.setStyleSheet("")
        self.message.setText("Importing…")
        self._start(work, self._on_imported)

    def _on_imported(self, res) -> None:
        self.importing = False
        self.progress.hide()
        self.progress.setRange(0, 1000)
        self.cancel_load.hide()
        self.cancel_load.setText("Stop reading")
        if isinstance(res, CSVCancelled):
            self._set_inputs_enabled(True)
            self.message.setText("Import stopped; nothing was changed.")
            self._update_summary()
            return
        if isinstance(res, Exception):
            self._set_inputs_enabled(True)
            self._show_error(str(res))
            return
        # imported: the dialog closes (its summary of the columns is not redone)
        self.result_dataset, report, self.prepared = res
        self.result_report = self.sniff_notes + report
        self.accept()

    def _set_inputs_enabled(self, on: bool) -> None:
        for w in self.findChildren(QtWidgets.QWidget):
            if isinstance(w, QtWidgets.QAbstractButton | QtWidgets.QComboBox) or (
                isinstance(w, QtWidgets.QAbstractSpinBox | QtWidgets.QTableView)
            ):
                if w is not self.cancel_load and w is not self.buttons.button(
                    QtWidgets.QDialogButtonBox.StandardButton.Cancel
                ):
                    w.setEnabled(on)
        if on:
            self._update_counts_enabled()
            self._update_summary()

    def options(self) -> dict:
        """Standardization and validation split chosen in the dialog."""
        return {
            "standardize": self.standardize.isChecked(),
            "validation": self.validation.value(),
            "split_seed": self.split_seed.value(),
        }

    def reject(self) -> None:
        self._cancel_worker(wait=True)
        super().reject()
