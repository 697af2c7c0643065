"""The three pictures of the fit pane, each a set of items on the pane's one plot.

* :class:`CurveView`: the ``polynomial`` dataset: training points, held-out points,
  the curve they were drawn from and the fitted polynomial.
* :class:`ScatterView`: any other squared-loss data: predicted against actual, the
  training and validation rows in distinct markers, the diagonal of a perfect fit.
* :class:`BoundaryView`: logistic loss: P(class +1) shaded over two features (the
  others at their training mean), the decision boundary P = 1/2, the rows by class.
* :class:`ProbabilityView`: logistic loss with one feature: P(class +1) against it,
  the rows at 0 and 1 by class, the boundary where P = 1/2.

A view's ``frame()`` gives the plot range it wants (fixed per dataset, so the picture
stays still while training) and ``update(session)`` redraws from the trainer's
weights.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore

from engine.fit import (
    boundary_line,
    logit_on,
    logit_plane,
    polynomial_curve,
    probability_grid,
)
from engine.losses import sigmoid
from engine.polynomial import curve
from gui import theme

__all__ = [
    "BoundaryView",
    "CurveView",
    "ProbabilityView",
    "ScatterView",
    "legend_entry",
]

#: Points of the drawn curves.
CURVE_POINTS = 400
#: Cells of the probability shading per side.
GRID = 120
#: Most rows a picture draws (of each split): a scatter of a million points costs
#: seconds on the GUI thread and shows no more; beyond it a seeded sample is drawn
#: and the legend says how many.
MAX_DRAWN = 20_000
MARKER = 9


def legend_entry(symbol: str, color: str, name: str, hollow: bool = False) -> str:
    """One entry of a pane's legend label (a coloured glyph and the name)."""
    glyph = {"o": "○" if hollow else "●", "t": "▽" if hollow else "▼", "-": "━━"}
    dash = {"--": "╌╌"}.get(symbol, glyph.get(symbol, symbol))
    # black is the foreground (light on dark, like the line): no colour set
    fg = "" if color == "#000000" else f"color:{color}; "
    return f"<span style='{fg}font-weight:bold'>{dash}</span>&nbsp;{name}"


def _points(symbol, color, hollow=False):
    pen = pg.mkPen(color, width=1.6)
    brush = None if hollow else pg.mkBrush(color)
    return pg.ScatterPlotItem(
        size=MARKER, symbol=symbol, pen=pen, brush=brush, antialias=True
    )


def drawn_rows(n: int) -> np.ndarray | None:
    """The rows of ``n`` a picture draws: None for all of them (at most
    :data:`MAX_DRAWN`), else a seeded sample of that many, in order."""
    if n <= MAX_DRAWN:
        return None
    return np.sort(np.random.default_rng(0).choice(n, MAX_DRAWN, replace=False))


def drawn_note(n: int) -> str:
    """' (20,000 of 800,000 drawn)' when a sample is drawn, else ''."""
    return "" if n <= MAX_DRAWN else f" ({MAX_DRAWN:,} of {n:,} drawn)"


def _guide_pen():
    """The thin grey dashes of a guide: the true curve, the diagonal, P = 1/2."""
    return pg.mkPen(theme.ZERO, width=1.5, style=QtCore.Qt.PenStyle.DashLine)


def _padded(lo: float, hi: float, share: float = 0.06) -> tuple[float, float]:
    pad = (hi - lo) * share or 1.0
    return lo - pad, hi + pad


class _View:
    def __init__(self, plot: pg.PlotItem):
        self.plot = plot
        self.items: list = []

    def _add(self, item, z: float = 0.0):
        item.setZValue(z)
        item.setVisible(False)
        self.plot.addItem(item)
        self.items.append(item)
        return item

    def show(self, on: bool) -> None:
        for item in self.items:
            item.setVisible(on)


class _ClassPoints:
    """The rows of a classification by class (+1 circles, −1 triangles), training
    rows filled, validation rows hollow, on a view's plot."""

    def __init__(self, view: _View):
        self.pos_train = view._add(_points("o", theme.POSITIVE), 4)
        self.neg_train = view._add(_points("t", theme.NEGATIVE), 4)
        self.pos_val = view._add(_points("o", theme.POSITIVE, hollow=True), 2)
        self.neg_val = view._add(_points("t", theme.NEGATIVE, hollow=True), 2)

    def load(self, data, xs: np.ndarray, ys: np.ndarray) -> None:
        """Every row of the dataset at ``(xs, ys)``, split by class and by split."""
        y = data.dataset.y
        tr = np.zeros(y.size, bool)
        tr[data.train_index] = True
        keep = drawn_rows(y.size)
        if keep is not None:  # a seeded sample of the rows, for every class alike
            y, tr, xs, ys = y[keep], tr[keep], xs[keep], ys[keep]
        for item, rows in (
            (self.pos_train, tr & (y > 0)),
            (self.neg_train, tr & (y < 0)),
            (self.pos_val, ~tr & (y > 0)),
            (self.neg_val, ~tr & (y < 0)),
        ):
            item.setData(xs[rows], ys[rows])


class CurveView(_View):
    """The polynomial: points, the true curve and the fitted one."""

    axes = ("x", "y")

    def __init__(self, plot):
        super().__init__(plot)
        self.truth = self._add(
            pg.PlotDataItem(pen=_guide_pen()),
            1,
        )
        self.fitted = self._add(
            pg.PlotDataItem(pen=pg.mkPen(theme.OBJECTIVE, width=2.5)), 3
        )
        self.train = self._add(_points("o", theme.TRAIN), 4)
        self.held = self._add(_points("t", theme.VALIDATION, hollow=True), 2)
        self._x = np.linspace(-1.0, 1.0, CURVE_POINTS)

    def legend(self) -> list[str]:
        return [
            legend_entry("o", theme.TRAIN, "training"),
            legend_entry("t", theme.VALIDATION, "held-out", hollow=True),
            legend_entry("-", theme.OBJECTIVE, "fit"),
            legend_entry("--", theme.ZERO, "true curve"),
        ]

    def load(self, data) -> None:
        ds = data.dataset
        x, y = ds.X[:, 0], ds.y
        held = ds.holdout if ds.holdout is not None else np.zeros(x.size, bool)
        train = np.isin(np.arange(x.size), data.train_index)
        self.train.setData(x[train], y[train])
        shown = held & ~train
        self.held.setData(x[shown], y[shown])
        self.truth.setData(self._x, curve(self._x))
        lo, hi = float(y.min()), float(y.max())
        self._frame = (_padded(-1.0, 1.0, 0.03), _padded(lo, hi, 0.25))

    def frame(self):
        return self._frame

    def update(self, session) -> None:
        tr = session.trainer
        with np.errstate(all="ignore"):
            yf = polynomial_curve(session.data, tr.w, tr.b, self._x)
        lo, hi = self._frame[1]
        span = hi - lo
        # beyond the frame the line leaves the plot: cut far out, not drawn to 1e30
        yf = np.where(
            np.isfinite(yf), np.clip(yf, lo - 4 * span, hi + 4 * span), np.nan
        )
        self.fitted.setData(self._x, yf, connect="finite")


class ScatterView(_View):
    """Predicted against actual, training and validation rows."""

    axes = ("actual", "predicted")

    def __init__(self, plot):
        super().__init__(plot)
        self._rows: tuple = (None, None)  # the rows drawn (None: all)
        self._notes = ("", "")
        self.diagonal = self._add(
            pg.InfiniteLine(angle=45, pen=_guide_pen()),
            1,
        )
        self.val = self._add(_points("t", theme.VALIDATION, hollow=True), 2)
        self.train = self._add(_points("o", theme.TRAIN), 3)
        for item in (self.train, self.val):
            item.setSize(6)

    def legend(self) -> list[str]:
        return [
            legend_entry("o", theme.TRAIN, "training rows" + self._notes[0]),
            legend_entry(
                "t", theme.VALIDATION, "validation rows" + self._notes[1], hollow=True
            ),
            legend_entry("--", theme.ZERO, "predicted = actual"),
        ]

    def load(self, data) -> None:
        ys = [data.y] + ([] if data.y_val is None else [data.y_val])
        y = np.concatenate(ys)
        lo, hi = _padded(float(y.min()), float(y.max()))
        self._frame = ((lo, hi), (lo, hi))
        self.axes = ("actual " + data.dataset.target_name, "predicted")
        n_val = 0 if data.y_val is None else data.y_val.size
        self._rows = (drawn_rows(data.y.size), drawn_rows(n_val))
        self._notes = (drawn_note(data.y.size), drawn_note(n_val))

    def frame(self):
        return self._frame

    def update(self, session) -> None:
        data, tr = session.data, session.trainer
        rows, rows_val = self._rows
        with np.errstate(all="ignore"):
            X, y = (data.X, data.y) if rows is None else (data.X[rows], data.y[rows])
            self.train.setData(y, X @ tr.w + tr.b)
            if data.X_val is not None:
                X, y = data.X_val, data.y_val
                if rows_val is not None:
                    X, y = X[rows_val], y[rows_val]
                self.val.setData(y, X @ tr.w + tr.b)
            else:
                self.val.setData([], [])


class BoundaryView(_View):
    """P(class +1) over two features, the boundary P = 1/2, the rows by class."""

    def __init__(self, plot):
        super().__init__(plot)
        self.image = self._add(pg.ImageItem(), -10)
        self.image.setLookupTable(self._lut())
        self.image.setLevels((0.0, 1.0))
        self.boundary = self._add(
            pg.PlotDataItem(pen=pg.mkPen(theme.OBJECTIVE, width=2.5)), 3
        )
        self.classes = _ClassPoints(self)
        self.pair = (0, 1)
        self.axes = ("", "")

    @staticmethod
    def _lut() -> np.ndarray:
        """P = 0 light vermillion, 1/2 white, 1 light blue: the shading stays pale,
        the points on it readable."""
        lut = theme.diverging_lut(255)[1:].astype(float)
        lut[:, :3] = 255 - 0.35 * (255 - lut[:, :3])
        return lut.astype(np.ubyte)

    def legend(self, labels=("−1", "+1")) -> list[str]:
        neg, pos = labels
        return [
            legend_entry("o", theme.POSITIVE, f"{pos} (training)"),
            legend_entry("t", theme.NEGATIVE, f"{neg} (training)"),
            legend_entry("o", theme.POSITIVE, "", hollow=True)
            + legend_entry("t", theme.NEGATIVE, "validation", hollow=True),
            legend_entry("-", theme.OBJECTIVE, f"boundary P({pos}) = ½"),
        ]

    def load(self, data, pair) -> None:
        self.pair = i, j = pair
        raw = data.dataset.X
        names = data.feature_names
        self.axes = (names[i], names[j])
        xs, ys = raw[:, i], raw[:, j]
        self._frame = (
            _padded(float(xs.min()), float(xs.max())),
            _padded(float(ys.min()), float(ys.max())),
        )
        self.classes.load(data, xs, ys)
        (x0, x1), (y0, y1) = self._frame
        self._rect = QtCore.QRectF(x0, y0, x1 - x0, y1 - y0)
        self._gx = np.linspace(x0, x1, GRID)
        self._gy = np.linspace(y0, y1, GRID)

    def frame(self):
        return self._frame

    def update(self, session) -> None:
        data, tr = session.data, session.trainer
        with np.errstate(all="ignore"):
            P = probability_grid(data, tr.w, tr.b, self.pair, self._gx, self._gy)
        self.image.setImage(np.nan_to_num(P, nan=0.5), levels=(0.0, 1.0))
        self.image.setRect(self._rect)  # after the image: it scales by its size
        plane = logit_plane(data, tr.w, tr.b, self.pair)
        if all(np.isfinite(plane)):
            self.boundary.setData(*boundary_line(plane, *self._frame))
        else:
            self.boundary.setData([], [])


class ProbabilityView(_View):
    """One feature: P(class +1) against it, the rows at P = 0 and 1, the boundary."""

    def __init__(self, plot):
        super().__init__(plot)
        self.curve = self._add(
            pg.PlotDataItem(pen=pg.mkPen(theme.OBJECTIVE, width=2.5)), 3
        )
        self.boundary = self._add(
            pg.InfiniteLine(angle=90, pen=_guide_pen()),
            1,
        )
        self.classes = _ClassPoints(self)
        self.axes = ("", "P")

    def legend(self, labels=("−1", "+1")) -> list[str]:
        neg, pos = labels
        return [
            legend_entry("o", theme.POSITIVE, f"{pos} (training, at 1)"),
            legend_entry("t", theme.NEGATIVE, f"{neg} (training, at 0)"),
            legend_entry("o", theme.POSITIVE, "", hollow=True)
            + legend_entry("t", theme.NEGATIVE, "validation", hollow=True),
            legend_entry("-", theme.OBJECTIVE, f"P({pos})"),
            legend_entry("--", theme.ZERO, "P = ½"),
        ]

    def load(self, data) -> None:
        x = data.dataset.X[:, 0]
        y = data.dataset.y
        self.axes = (
            data.feature_names[0],
            f"P({(data.dataset.class_labels or ('', '+1'))[1]})",
        )
        self.classes.load(data, x, (y > 0).astype(float))
        self._frame = (_padded(float(x.min()), float(x.max())), (-0.08, 1.08))
        self._x = np.linspace(*self._frame[0], CURVE_POINTS)

    def frame(self):
        return self._frame

    def update(self, session) -> None:
        tr = session.trainer
        alpha, (beta,) = logit_on(session.data, tr.w, tr.b, (0,))
        with np.errstate(all="ignore"):
            self.curve.setData(self._x, sigmoid(alpha + beta * self._x))
        at = -alpha / beta if beta != 0.0 else np.nan
        lo, hi = self._frame[0]
        inside = np.isfinite(at) and lo <= at <= hi
        self.boundary.setVisible(bool(inside))
        if inside:
            self.boundary.setValue(float(at))
