"""The Data panel: where the data came from, and what was kept, converted, dropped."""

from __future__ import annotations

import html

from PySide6 import QtCore, QtWidgets

__all__ = ["DataPanel"]


class DataPanel(QtWidgets.QWidget):
    """Read-only report of the loaded dataset, kept up to date with the session."""

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.source = ""  # bundled, or the CSV path with its format
        self._table_of = None  # the data the table of features shows
        self._in_view = False
        self.text = QtWidgets.QTextBrowser()
        self.text.setObjectName("dataReport")
        self.text.setOpenLinks(False)
        self.features = QtWidgets.QTableWidget(0, 3)
        self.features.setHorizontalHeaderLabels(["feature", "mean", "SD (scale)"])
        self.features.verticalHeader().setVisible(False)
        self.features.setEditTriggers(
            QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers
        )
        split = QtWidgets.QSplitter(QtCore.Qt.Orientation.Vertical)
        split.addWidget(self.text)
        split.addWidget(self.features)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(split)
        session.datasetLoaded.connect(self.refresh)

    def set_source(self, text: str) -> None:
        self.source = text
        self.refresh()

    def refresh(self) -> None:
        s = self.session
        if s.dataset is None:
            return
        ds, data = s.dataset, s.data
        rows = [f"<h3>{html.escape(ds.name)}</h3>"]
        if self.source:
            rows.append(f"<p>{html.escape(self.source)}</p>")
        val = "" if data.X_val is None else f", {data.X_val.shape[0]:,} validation"
        loss = "logistic" if s.loss == "logistic" else "squared"
        rows.append(
            f"<p><b>{data.n_samples:,}</b> training rows{val} × <b>{data.n_features:,}"
            f"</b> features; target <b>{html.escape(ds.target_name)}</b> "
            f"({ds.task}, {loss} loss); features "
            + (
                "standardized (mean 0, SD 1 on the training rows)"
                if data.standardized
                else "on their raw scales"
            )
            + "</p>"
        )
        if ds.description:
            rows.append(f"<p>{html.escape(ds.description)}</p>")
        notes = list(ds.report) + list(data.notes)
        if notes:
            rows.append(
                "<p><b>What was dropped, converted or renamed:</b></p><ul>"
                + "".join(f"<li>{html.escape(n)}</li>" for n in notes)
                + "</ul>"
            )
        else:
            rows.append("<p>Nothing was dropped or converted.</p>")
        self.text.setHtml("".join(rows))
        self._table_of = None
        if self._in_view:
            self._fill_table()

    def set_in_view(self, on: bool) -> None:
        """Whether the panel is in view (its dock's tab in front: the window tells,
        from ``QDockWidget.visibilityChanged``)."""
        self._in_view = on
        if on:
            self._fill_table()

    def _fill_table(self) -> None:
        """The table of features of the current data, filled once the panel is in
        view: thousands of cells measured for their width would delay the window's
        first paint while the panel waits behind the Controls tab."""
        data = self.session.data
        if data is None or self._table_of is data:
            return
        self._table_of = data
        d = data.n_features
        shown = min(d, 2000)
        self.features.setRowCount(shown)
        for j in range(shown):
            for k, text in enumerate(
                (data.feature_names[j], f"{data.mean[j]:.4g}", f"{data.scale[j]:.4g}")
            ):
                self.features.setItem(j, k, QtWidgets.QTableWidgetItem(text))
        self.features.resizeColumnsToContents()
