"""Where the panes sit in the window: rows of cells, a cell holding one pane or tabs.

The grid is built from the pane registry (:data:`gui.panes.PANES`): each pane names
its ``row`` and ``column``; panes that share a cell become the tabs of one tab widget,
in the registry's order. So the window keeps its size when panes are added: the
bottom row holds [Trajectories | Path] and [Loss curves | Cross-validation].

A pane in a hidden tab still gets every signal; the loss curves and trajectories
redraw only once they are in front again (:class:`gui.throttle.Throttle`'s ``pane``),
and every pane's ``refresh_now`` draws it hidden or not. Before a figure of it is
rendered, :meth:`PaneGrid.fit_for_figure` gives it the size of the tab shown in its
cell (a page that was never shown has no size of its own yet).
"""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from gui.panes import PANES

__all__ = ["PaneGrid"]


class PaneGrid(QtWidgets.QSplitter):
    """A vertical splitter of rows; each row a horizontal splitter of cells."""

    #: Emitted with the pane's key when a tab brings another pane forward.
    paneShown = QtCore.Signal(str)

    def __init__(self, panes: dict[str, QtWidgets.QWidget], parent=None):
        """``panes`` by key; a pane of a hidden tab may be missing (built later and
        given to :meth:`put`): its tab holds an empty page until then."""
        super().__init__(QtCore.Qt.Orientation.Vertical, parent)
        self.panes = panes
        n_rows = 1 + max(spec.row for spec in PANES.values())
        self.rows = [
            QtWidgets.QSplitter(QtCore.Qt.Orientation.Horizontal) for _ in range(n_rows)
        ]
        cells: dict[tuple[int, int], list[str]] = {}
        for key, spec in PANES.items():
            cells.setdefault((spec.row, spec.column), []).append(key)
        #: The tab widget holding each pane that shares its cell.
        self.tabs_of: dict[str, QtWidgets.QTabWidget] = {}
        self.tab_widgets: list[QtWidgets.QTabWidget] = []
        for (row, _), keys in sorted(cells.items()):
            if len(keys) == 1:
                self.rows[row].addWidget(panes[keys[0]])
                continue
            tabs = QtWidgets.QTabWidget()
            tabs.setObjectName("tabs_" + "_".join(keys))
            tabs.setDocumentMode(True)
            for key in keys:
                page = panes.get(key) or QtWidgets.QWidget()
                i = tabs.addTab(page, PANES[key].title)
                tabs.setTabToolTip(i, PANES[key].tip)
                self.tabs_of[key] = tabs
            tabs.currentChanged.connect(
                lambda i, t=tabs: self.paneShown.emit(self.key_of(t.widget(i)))
            )
            self.rows[row].addWidget(tabs)
            self.tab_widgets.append(tabs)
        for row in self.rows:
            self.addWidget(row)
        self.setStretchFactor(0, 5)
        self.setStretchFactor(1, 4)

    def key_of(self, pane) -> str:
        return next(k for k, p in self.panes.items() if p is pane)

    def put(self, key: str, pane: QtWidgets.QWidget) -> None:
        """Put pane ``key``, built after the grid, in place of its empty page."""
        tabs = self.tabs_of[key]
        i = [k for k in PANES if self.tabs_of.get(k) is tabs].index(key)
        with QtCore.QSignalBlocker(tabs):  # the tab in front stays in front
            front = tabs.currentIndex()
            page = tabs.widget(i)
            tabs.removeTab(i)
            tabs.insertTab(i, pane, PANES[key].title)
            tabs.setTabToolTip(i, PANES[key].tip)
            tabs.setCurrentIndex(front)
        page.deleteLater()
        self.panes[key] = pane

    # -- which pane is in front -------------------------------------------------------
    def show_pane(self, key: str) -> None:
        """Bring pane ``key`` to the front of its cell (a no-op for a pane alone)."""
        tabs = self.tabs_of.get(key)
        if tabs is not None:
            tabs.setCurrentWidget(self.panes[key])

    def is_in_front(self, key: str) -> bool:
        """Whether pane ``key`` is the one its cell shows (always, for a pane alone)."""
        tabs = self.tabs_of.get(key)
        return tabs is None or tabs.currentWidget() is self.panes[key]

    def fit_for_figure(self, key: str) -> None:
        """Give a pane in a hidden tab the size of the tab shown in its cell, and lay
        it out, so a figure of it is drawn as it would look in front."""
        if self.is_in_front(key):
            return
        tabs = self.tabs_of[key]
        pane = self.panes[key]
        size = tabs.currentWidget().size()
        if pane.size() != size:
            pane.resize(size)
        # a hidden widget gets its resize event (and its layout) only when shown
        # or when asked: pyqtgraph sizes its scene in resizeEvent
        QtWidgets.QApplication.sendPostedEvents(pane)
        if pane.layout() is not None:
            pane.layout().activate()
        for child in pane.findChildren(QtWidgets.QWidget):
            if child.layout() is not None:
                child.layout().activate()

    # -- view state -------------------------------------------------------------------
    def view_state(self) -> dict:
        """``main``, ``top``, ``bottom``: splitter sizes; ``tabs``: the key of the
        pane in front in each tabbed cell."""
        names = ("top", "bottom")
        return {
            "main": self.sizes(),
            **{names[i]: row.sizes() for i, row in enumerate(self.rows[:2])},
            "tabs": [self.key_of(t.currentWidget()) for t in self.tab_widgets],
        }

    def set_view_state(self, st: dict) -> None:
        """Restore :meth:`view_state`; entries that are missing or wrong are skipped."""
        if not isinstance(st, dict):
            return

        def sizes(split, key):
            v = st.get(key)
            if (
                isinstance(v, list)
                and len(v) == split.count()
                and all(isinstance(x, int) and x >= 0 for x in v)
            ):
                split.setSizes(v)

        sizes(self, "main")
        for name, row in zip(("top", "bottom"), self.rows, strict=False):
            sizes(row, name)
        tabs = st.get("tabs")
        if isinstance(tabs, list):
            for key in tabs:
                if isinstance(key, str) and key in self.tabs_of:
                    self.show_pane(key)
