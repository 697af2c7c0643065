"""The panes of the window and the one table of them.

One module per pane; every pane reads the session and never calls another pane. Each
pane class has the same small public surface:

- ``view_state() -> dict`` and ``set_view_state(dict)``: its own view settings (what a
  session file stores under ``"view"``, one entry per pane key); entries that are
  missing or wrong are skipped.
- ``refresh_now()``: redraw from the current state at once, bypassing the pane's own
  throttle (before an export, and for every frame of a recording).
- ``figure_controls() -> list[QWidget]``: the pane's controls (combo boxes, check
  boxes, buttons, sliders and the labels naming them), which a figure of the pane
  leaves out unless asked to keep them. Titles, legends, summaries and captions are
  not controls: a reader of the figure needs them.

:data:`PANES` is the registry: the window builds its panes from it, and the command
line's ``--pane``, figure export, recording and headless rendering take their keys
and titles from it. The classes are imported when first asked for, so the command
line can list the keys without loading Qt.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

__all__ = [
    "FIGURE_KEYS",
    "FIGURE_TITLES",
    "PANES",
    "PANE_KEYS",
    "PaneSpec",
    "figure_controls",
    "hidden_tab_keys",
    "refresh_panes",
    "refresh_shown_panes",
]


@dataclass(frozen=True)
class PaneSpec:
    """One pane: its title, where its class lives, and its place in the window.

    Attributes
    ----------
    title : str
        Shown in menus ("Export figure › Weights"), on its tab and in figure titles.
    module, class_name : str
        The pane's class, ``module.class_name``, constructed as ``cls(session)``.
    row, column : int
        Its cell: row 0 is the top row of the window, 1 the bottom row; columns count
        from the left. Panes sharing a cell are tabs of one tab widget, in the
        registry's order (the first is in front).
    tip : str
        The tooltip of its tab.
    waits_for : str
        What a figure of it waits for: '' (nothing), 'path' or 'cv' (the session's
        path model computes the path, or the path and its cross-validation), or
        'compare' (the session's compare model chooses the strengths and brings
        the compared runs to the main run's step);
        'pane' (the pane computes what it shows itself: its ``wait()``); or
        'stability' (the session's stability model computes the resamples).
    """

    title: str
    module: str
    class_name: str
    row: int
    column: int = 0
    tip: str = ""
    waits_for: str = ""

    @property
    def cls(self) -> type:
        """The pane's class (importing its module, and so Qt, on first use)."""
        return getattr(importlib.import_module(self.module), self.class_name)


PANES: dict[str, PaneSpec] = {
    "weights": PaneSpec("Weights", "gui.panes.weights", "WeightsPane", 0, 0),
    "compare": PaneSpec(
        "Compare",
        "gui.panes.compare",
        "ComparePane",
        0,
        0,
        "L1, L2 and Elastic Net side by side on the same data, trained in lock "
        "step: their weights feature by feature, exact zeros, held-out error",
        "compare",
    ),
    "geometry": PaneSpec("Geometry", "gui.panes.geometry", "GeometryPane", 0, 1),
    "fit": PaneSpec(
        "Fit",
        "gui.panes.fit",
        "FitPane",
        0,
        1,
        "The model over its data: the fitted curve, predicted against actual, or "
        "the decision boundary; and the errors against λ",
        "path",
    ),
    "threshold": PaneSpec(
        "Thresholding",
        "gui.panes.threshold",
        "ThresholdPane",
        0,
        1,
        "What one update does to one weight: the penalty's thresholding function, "
        "with every weight on it",
    ),
    "prior": PaneSpec(
        "Prior",
        "gui.panes.prior",
        "PriorPane",
        0,
        1,
        "The penalty as a prior (L1 Laplace, L2 Gaussian), and the posterior of two "
        "weights with its mode (the penalized optimum) and its mean",
    ),
    "trajectories": PaneSpec(
        "Trajectories",
        "gui.panes.trajectories",
        "TrajectoriesPane",
        1,
        0,
        "Every weight over the training steps",
    ),
    "path": PaneSpec(
        "Path",
        "gui.panes.path",
        "PathPane",
        1,
        0,
        "Every weight's solution over a grid of λ: the regularization path",
        "path",
    ),
    "stability": PaneSpec(
        "Stability",
        "gui.panes.stability",
        "StabilityPane",
        1,
        0,
        "How often each feature is selected over B resamples of the rows: "
        "stability selection, at λ and along the path",
        "stability",
    ),
    "curves": PaneSpec(
        "Loss curves",
        "gui.panes.curves",
        "CurvesPane",
        1,
        1,
        "Losses and the count of exact zeros over the training steps",
    ),
    "cv": PaneSpec(
        "Cross-validation",
        "gui.panes.cv",
        "CVPane",
        1,
        1,
        "Held-out error against λ over K folds: which λ to choose",
        "cv",
    ),
    "wins": PaneSpec(
        "Which penalty wins",
        "gui.panes.wins",
        "WinsPane",
        1,
        1,
        "L1, L2 and Elastic Net on synthetic data as the truth goes from sparse to "
        "dense, and on correlated groups; bias² and variance against λ",
        "pane",
    ),
}
PANE_KEYS: tuple[str, ...] = tuple(PANES)
#: What a figure (export, clipboard, recording, ``--pane``) can show: the whole
#: window or one pane.
FIGURE_TITLES: dict[str, str] = {
    "window": "Whole window",
    **{key: spec.title for key, spec in PANES.items()},
}
FIGURE_KEYS: tuple[str, ...] = tuple(FIGURE_TITLES)


def hidden_tab_keys() -> list[str]:
    """The panes that open in a tab behind another (every pane of a cell but its
    first): not on screen when the window opens."""
    firsts: dict[tuple[int, int], str] = {}
    for key, spec in PANES.items():
        firsts.setdefault((spec.row, spec.column), key)
    return [key for key in PANES if key not in firsts.values()]


def _panes_in(widget) -> list:
    """``widget`` and the panes inside it (a pane itself, or a window of panes)."""
    from PySide6 import QtWidgets

    classes = tuple(spec.cls for spec in PANES.values())
    found = widget.findChildren(QtWidgets.QWidget)
    return [pane for pane in [widget, *found] if isinstance(pane, classes)]


def figure_controls(widget) -> list:
    """The controls of every pane shown in ``widget``, as each pane declares them
    (its ``figure_controls``): what a figure without controls hides."""
    return [c for pane in _panes_in(widget) for c in pane.figure_controls()]


def refresh_shown_panes(widget) -> None:
    """Redraw the panes of ``widget`` that are on screen now; a pane behind a tab is
    redrawn when it is next shown (a theme change: a hidden pane of a million rows
    must not hold the window for seconds)."""
    for pane in _panes_in(widget):
        # in front (even while the window itself is not shown yet): now
        if pane is widget or pane.isVisibleTo(widget):
            pane.refresh_now()
        else:  # behind a tab, or a closed dock
            _redraw_when_shown(pane)


#: The one-shot show filters waiting, by pane.
_WAITING: dict = {}


def _redraw_when_shown(pane) -> None:
    from PySide6 import QtCore

    if id(pane) in _WAITING:
        return

    class OnShow(QtCore.QObject):
        def eventFilter(self, watched, event) -> bool:
            if watched is pane and event.type() == QtCore.QEvent.Type.Show:
                pane.removeEventFilter(self)
                _WAITING.pop(id(pane), None)
                QtCore.QTimer.singleShot(0, pane.refresh_now)  # once laid out
                self.deleteLater()
            return False

    key = id(pane)
    _WAITING[key] = f = OnShow(pane)
    pane.installEventFilter(f)
    pane.destroyed.connect(lambda *_: _WAITING.pop(key, None))


def refresh_panes(widget) -> None:
    """Bring every pane shown in ``widget`` (a pane itself, or a window holding
    panes) up to date now, bypassing the panes' throttles: an exported figure or a
    recorded frame must show the current state, not the one of 100 ms ago."""
    for pane in _panes_in(widget):
        pane.refresh_now()
