"""The prior pane: the penalty as a prior, the optimum as the posterior's mode.

Left, the prior density of one weight for the current penalty and λ
(:func:`engine.prior.prior_density`): L1 a Laplace, sharp at 0; L2 a Gaussian; Elastic
Net their product. The other family with the same variance is drawn faintly, to
compare shapes. Right, the posterior of two weights (the others held at the run's
current values; the same two as the Geometry pane's, ``session.feature_pair``) as
shaded density with its 50, 90 and 99 % contours, the MAP
estimate (the penalized optimum of those two weights, computed exactly: on an axis
under L1 when a weight is 0) and the posterior mean, integrated on the grid: never on
an axis, since the posterior has mass on both sides of 0.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets

from engine.geometry import Quadratic
from engine.prior import noise_variance, posterior_2d, prior_density, prior_scale_text
from gui import theme
from gui.throttle import Throttle

__all__ = ["PriorPane"]

MAP_COLOUR = "#000000"
MEAN_COLOUR = theme.VALIDATION  # orange
PRIOR_COLOUR = theme.PENALTY
CONTOUR_MASSES = (0.5, 0.9, 0.99)
#: While playing the posterior is redrawn at most this often (seconds).
PLAYING_INTERVAL = 0.15


def _fmt(v: float) -> str:
    return "0" if v == 0.0 else f"{v:.4g}"


def _isolines(post, level: float) -> tuple[np.ndarray, np.ndarray]:
    """The contour ``density = level`` in weight coordinates, pieces split by NaN."""
    xs, ys = [], []
    # isocurve's points are (row, column) = (y index, x index) of the density
    for line in pg.functions.isocurve(post.density, level, connected=True):
        pts = np.asarray(line, dtype=float)
        xs.append(np.interp(pts[:, 1], np.arange(post.xs.size), post.xs))
        ys.append(np.interp(pts[:, 0], np.arange(post.ys.size), post.ys))
        xs.append([np.nan])
        ys.append([np.nan])
    if not xs:
        return np.zeros(0), np.zeros(0)
    return np.concatenate(xs), np.concatenate(ys)


class PriorPane(QtWidgets.QWidget):
    """Prior of one weight, and the posterior of two with its mode and mean."""

    title = "Prior"

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.setObjectName("prior")
        self.header = QtWidgets.QLabel()
        self.header.setStyleSheet("font-size: 11pt;")
        self.header.setWordWrap(True)
        self.header.setTextFormat(QtCore.Qt.TextFormat.RichText)
        self.first = QtWidgets.QComboBox()
        self.second = QtWidgets.QComboBox()
        for box, which in ((self.first, "horizontal"), (self.second, "vertical")):
            box.setToolTip(f"The weight on the {which} axis of the posterior")
            box.setSizeAdjustPolicy(
                QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToContents
            )
        self.options = QtWidgets.QWidget()
        row = QtWidgets.QHBoxLayout(self.options)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QtWidgets.QLabel("Posterior of"))
        row.addWidget(self.first)
        row.addWidget(QtWidgets.QLabel("and"))
        row.addWidget(self.second)
        row.addStretch(1)

        self.prior_widget = pg.PlotWidget(enableMenu=False)
        self.prior_plot = self.prior_widget.getPlotItem()
        self.post_widget = pg.PlotWidget(enableMenu=False)
        self.post_plot = self.post_widget.getPlotItem()
        for plot in (self.prior_plot, self.post_plot):
            theme.style_plot(plot)
            plot.setMenuEnabled(False)
            plot.hideButtons()
        self.prior_plot.setLabel("bottom", "one weight w", **theme.LABEL_STYLE)
        self.prior_plot.setLabel("left", "prior density", **theme.LABEL_STYLE)
        self.prior_curve = self.prior_plot.plot(
            pen=pg.mkPen(PRIOR_COLOUR, width=3), name="the penalty's prior"
        )
        self.other_curve = self.prior_plot.plot(
            pen=pg.mkPen("#707070", width=1.5, style=QtCore.Qt.PenStyle.DashLine),
            name="",
        )
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setLookupTable(_blues())
        self.image.setZValue(-10)
        self.post_plot.addItem(self.image)
        for angle in (0, 90):
            self.post_plot.addItem(
                pg.InfiniteLine(pos=0, angle=angle, pen=pg.mkPen("#606060", width=1))
            )
        self.contours = self.post_plot.plot(
            pen=pg.mkPen(theme.POSITIVE, width=1.5), connect="finite"
        )
        self.map_point = pg.ScatterPlotItem(
            size=13, symbol="o", brush=pg.mkBrush(MAP_COLOUR), pen=pg.mkPen("w")
        )
        self.mean_point = pg.ScatterPlotItem(
            size=14,
            symbol="x",
            brush=pg.mkBrush(MEAN_COLOUR),
            pen=pg.mkPen(MEAN_COLOUR, width=2),
        )
        for item in (self.map_point, self.mean_point):
            item.setZValue(10)
            self.post_plot.addItem(item)
        self.key = QtWidgets.QLabel()
        self.key.setTextFormat(QtCore.Qt.TextFormat.RichText)
        self.key.setWordWrap(True)

        self.caption = QtWidgets.QLabel()
        self.caption.setWordWrap(True)
        self.caption.setStyleSheet("color: #303030;")
        plots = QtWidgets.QHBoxLayout()
        plots.addWidget(self.prior_widget, 2)
        plots.addWidget(self.post_widget, 3)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.header)
        layout.addWidget(self.options)
        layout.addLayout(plots, 1)
        layout.addWidget(self.key)
        layout.addWidget(self.caption)

        #: What is drawn (for tests and figures): the posterior, None without one.
        self.posterior = None
        self.sigma2 = float("nan")
        self._redraw = Throttle(self._update, 0.0, self, pane=self)
        for box in (self.first, self.second):
            box.currentIndexChanged.connect(lambda _: self._on_box_change())
        session.feature_pair.changed.connect(self._on_pair_change)
        for signal in (session.stepped, session.restarted, session.settingsChanged):
            signal.connect(self._redraw.request)
        # while playing a few redraws a second (one costs a few hundredths of a
        # second); paused, every change at once
        session.playingChanged.connect(self._on_playing)
        #: The data the pair and σ² were chosen for.
        self._data = None
        #: A pair of feature names to show once the data is adopted (a session's).
        self._wanted: list[str] | None = None
        session.datasetLoaded.connect(lambda: self._redraw.request(now=True))
        if session.trainer is not None:
            self._redraw.request()  # behind a tab: drawn when shown

    # -- data ----------------------------------------------------------------------------
    def _adopt_data(self) -> None:
        """New data (or the same prepared anew): σ² and the names in the boxes."""
        s = self.session
        self._data = s.data
        names = s.data.feature_names
        self.sigma2, self._sigma_how = noise_variance(s.data, s.loss)
        for box in (self.first, self.second):
            box.blockSignals(True)
            box.clear()
            box.addItems(list(names))
            box.blockSignals(False)
        self.options.setVisible(len(names) >= 2)
        wanted, self._wanted = self._wanted, None  # a session's pair, by name
        if wanted and all(n in names for n in wanted) and wanted[0] != wanted[1]:
            s.feature_pair.set(names.index(wanted[0]), names.index(wanted[1]))
        self._sync_boxes()

    def _on_playing(self, on: bool) -> None:
        self._redraw.interval = PLAYING_INTERVAL if on else 0.0
        self._redraw.request(now=True)

    def pair(self) -> tuple[int, int]:
        """The two features of the posterior: the window's pair (the Geometry
        pane's), ``(-1, -1)`` when the data has not two features."""
        i, j = self.session.feature_pair.features
        d = self.session.data.n_features if self.session.data is not None else 0
        return (i, j) if max(i, j) < d and i != j else (-1, -1)

    def set_pair(self, i: int, j: int) -> None:
        """Show the posterior of features ``i`` and ``j`` (in every 2D view)."""
        self.session.feature_pair.set(i, j)

    def _on_box_change(self) -> None:
        i, j = self.first.currentIndex(), self.second.currentIndex()
        if i == j:  # two different features: move the other one along
            j = (i + 1) % self.second.count()
        self.set_pair(i, j)

    def _on_pair_change(self) -> None:
        self._sync_boxes()
        self._redraw.request(now=True)

    def _sync_boxes(self) -> None:
        i, j = self.pair()
        for box, k in ((self.first, i), (self.second, j)):
            if k >= 0 and k < box.count():
                box.blockSignals(True)
                box.setCurrentIndex(k)
                box.blockSignals(False)

    # -- drawing -------------------------------------------------------------------------
    def _update(self) -> None:
        s = self.session
        tr = s.trainer
        if tr is None:
            return
        if self._data is not s.data:
            self._adopt_data()
        pen, n = tr.penalty, s.data.n_samples
        lam1, lam2, sigma2 = pen.lam1, pen.lam2, self.sigma2
        if pen.kind == "none" or pen.alpha == 0:
            self._clear(
                "Without a penalty (or at λ = 0) the prior is flat: it has no density "
                "to draw. Choose L1, L2 or Elastic Net with λ > 0."
            )
            return
        if not pen.convex:
            self._clear(
                f"{pen.label().split(',')[0]} flattens out beyond γλ (L0 everywhere but "
                "at 0): as a prior it does not integrate to 1, so it has no density to "
                "draw. The Bayesian view is for L1, L2 and Elastic Net."
            )
            return
        var = _variance(lam1, lam2, sigma2, n)
        if not (
            np.isfinite(sigma2) and sigma2 > 0 and np.isfinite(var) and var > 1e-280
        ):
            self._clear(
                "The prior is too narrow to draw at this λ (a spike at 0: its scale "
                "underflows), or the noise variance could not be estimated."
            )
            return
        self._draw_prior(lam1, lam2, sigma2, n)
        i, j = self.pair()
        if s.data.n_features < 2 or i == j or i < 0 or j < 0:
            self.posterior = None
            self._show_posterior(False)
            self._texts(lam1, lam2, sigma2, n, None)
            return
        try:
            q = Quadratic.of_training(s.data, tr.w, tr.b, i, j, s.loss)
        except ValueError as e:
            self.posterior = None
            self._show_posterior(False)
            self.caption.setText(str(e))
            return
        post = posterior_2d(q, lam1, lam2, sigma2, n)
        self.posterior = post
        self._show_posterior(True)
        d = post.density
        self.image.setImage(d / d.max(), levels=(0, 1))
        dx, dy = post.xs[1] - post.xs[0], post.ys[1] - post.ys[0]
        self.image.setRect(
            QtCore.QRectF(
                post.xs[0] - dx / 2,
                post.ys[0] - dy / 2,
                post.xs[-1] - post.xs[0] + dx,
                post.ys[-1] - post.ys[0] + dy,
            )
        )
        xs, ys = [], []
        for level in post.levels(CONTOUR_MASSES):
            cx, cy = _isolines(post, level)
            xs.append(cx)
            ys.append(cy)
        self.contours.setData(np.concatenate(xs), np.concatenate(ys))
        self.map_point.setData([post.map[0]], [post.map[1]])
        self.mean_point.setData([post.mean[0]], [post.mean[1]])
        names = s.data.feature_names
        self.post_plot.setLabel("bottom", f"w[{names[i]}]", **theme.LABEL_STYLE)
        self.post_plot.setLabel("left", f"w[{names[j]}]", **theme.LABEL_STYLE)
        self.post_plot.setRange(
            xRange=(post.xs[0], post.xs[-1]),
            yRange=(post.ys[0], post.ys[-1]),
            padding=0,
        )
        self._texts(lam1, lam2, sigma2, n, post)

    def _draw_prior(self, lam1, lam2, sigma2, n) -> None:
        var = _variance(lam1, lam2, sigma2, n)
        reach = 4.0 * np.sqrt(var)
        w = np.linspace(-reach, reach, 801)
        w = np.union1d(w, [0.0])  # the Laplace's peak drawn sharp
        self.prior_curve.setData(w, prior_density(w, lam1, lam2, sigma2, n))
        # the other family at the same variance, to compare the shapes
        if lam1 > 0 and lam2 == 0:
            other = np.exp(-(w**2) / (2 * var)) / np.sqrt(2 * np.pi * var)
            name = "a Gaussian of the same variance"
        else:
            b = np.sqrt(var / 2)
            other = np.exp(-np.abs(w) / b) / (2 * b)
            name = "a Laplace of the same variance"
        self.other_curve.setData(w, other)
        self.key.setText(
            f"<span style='color:{PRIOR_COLOUR}'><b>—</b></span> the penalty's prior "
            f"&nbsp;<span style='color:#707070'>- -</span> {name}&nbsp;&nbsp; "
            f"<span style='color:{MAP_COLOUR}'>●</span> MAP = the penalized optimum"
            f"&nbsp;&nbsp;<span style='color:{MEAN_COLOUR}'><b>✕</b></span> posterior "
            f"mean&nbsp;&nbsp;<span style='color:{theme.POSITIVE}'><b>—</b></span> "
            "50, 90 and 99 % of the posterior"
        )
        self.prior_plot.setXRange(-reach, reach, padding=0.02)
        self.prior_plot.setYRange(
            0, 1.15 * max(other.max(), self.prior_curve.getData()[1].max()), padding=0
        )

    def _show_posterior(self, on: bool) -> None:
        for item in (self.image, self.contours, self.map_point, self.mean_point):
            item.setVisible(on)

    def _clear(self, why: str) -> None:
        self.posterior = None
        self.prior_curve.setData([], [])
        self.other_curve.setData([], [])
        self._show_posterior(False)
        self.header.setText("<b>The penalty as a prior</b>")
        self.caption.setText(why)

    def _texts(self, lam1, lam2, sigma2, n, post) -> None:
        kind = "L1" if lam2 == 0 else ("L2" if lam1 == 0 else "Elastic Net")
        self.header.setText(
            f"<b>{kind} is a prior</b>: each weight {prior_scale_text(lam1, lam2, sigma2, n)}"
            f" (σ² = {sigma2:.4g} from the {self._sigma_how}, n = {n})"
        )
        if post is None:
            self.caption.setText("The posterior needs two different features.")
            return
        names = self.session.data.feature_names
        i, j = self.pair()
        zero = [names[k] for k, v in zip((i, j), post.map, strict=True) if v == 0.0]
        text = (
            f"MAP ({_fmt(post.map[0])}, {_fmt(post.map[1])}) is the penalized optimum "
            "of these two weights (the others held where they are). "
        )
        if zero:
            text += (
                f"It puts {' and '.join(zero)} at exactly 0, yet the posterior mean "
                f"({_fmt(post.mean[0])}, {_fmt(post.mean[1])}) does not: the mode is "
                "sparse, the mean is not."
            )
        else:
            text += (
                f"The posterior mean is ({_fmt(post.mean[0])}, {_fmt(post.mean[1])})."
            )
        self.caption.setText(text)

    # -- the pane surface ----------------------------------------------------------------
    def view_state(self) -> dict:
        """``pair``: the two features of the posterior, by name."""
        names = self.session.data.feature_names if self.session.data else ()
        i, j = self.pair()
        if min(i, j) < 0 or not names:
            return {}
        return {"pair": [names[i], names[j]]}

    def set_view_state(self, st: dict) -> None:
        """Restore :meth:`view_state`; entries that are missing or wrong are skipped."""
        pair = st.get("pair")
        if not (isinstance(pair, list) and len(pair) == 2):
            return
        if self._data is None or self._data is not self.session.data:
            self._wanted = list(pair)  # applied with the data, if it has them
            return
        names = self._data.feature_names
        if all(p in names for p in pair) and pair[0] != pair[1]:
            self.set_pair(names.index(pair[0]), names.index(pair[1]))

    def refresh_now(self) -> None:
        """Redraw from the current state now, in front or not."""
        self._redraw.run_now()

    def figure_controls(self) -> list[QtWidgets.QWidget]:
        """The row choosing the two features (titles, legends, caption stay)."""
        return [self.options]


def _variance(lam1: float, lam2: float, sigma2: float, n: int) -> float:
    """The prior's variance: 2b² for a Laplace of scale b, σ²/(nλ₂) for the
    Gaussian; the Gaussian's (the tighter) bounds the Elastic Net's."""
    if lam2 > 0:
        return sigma2 / (n * lam2)
    b = sigma2 / (n * lam1)
    return 2 * b * b


def _blues(n: int = 256) -> np.ndarray:
    """White to light blue: the posterior's density behind its contours."""
    t = np.linspace(0, 1, n)[:, None]
    white, blue = np.array([255, 255, 255]), np.array([107, 174, 214])
    return (white + (blue - white) * t).astype(np.ubyte)
