"""The constraint-geometry pane: loss contours touching the diamond, the circle or the
Elastic Net shape, with the optimum computed, not guessed.

Drag the black cross (w*, the unpenalized minimum) and watch the optimum jump onto a
corner of the diamond (one weight exactly 0) and off it again. The shaded wedges are
the *corner zones*: every w* inside one puts the optimum on that corner. The training
path of the current update rule is drawn on top. The region box draws the penalty
family instead (the Lq ball with its q, SCAD, MCP: gui.panes.geometry_family), as does
a run with SCAD, MCP or L0.
"""

from __future__ import annotations

import numpy as np
from PySide6 import QtCore, QtWidgets

from gui.flow_layout import FlowLayout
from gui.geometry_model import KINDS, GeometryModel
from gui.panes.geometry_family import (
    FAMILIES,
    Q_MAX,
    Q_MIN,
    Q_STEPS,
    FamilyControls,
)
from gui.panes.geometry_view import GeometryView
from gui.widgets import ElidedComboBox, LogSlider

__all__ = ["GeometryPane", "GeometryView"]

#: The entries of the source box.
OWN_LOSS = "your own loss"
DATA_LOSS = "the data's loss"


def _pair(label: QtWidgets.QWidget, control: QtWidgets.QWidget, width: int = 0):
    """A label and its control as one widget: they wrap onto a new line together.
    ``width``: the control's least width."""
    box = QtWidgets.QWidget()
    row = QtWidgets.QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(4)
    row.addWidget(label)
    row.addWidget(control, 1)
    if width:  # a slider's own preferred width is too short to use
        control.setMinimumWidth(width)
    return box


class GeometryPane(QtWidgets.QWidget):
    """Controls for the geometry and one view (or three side by side)."""

    title = "Geometry"
    #: The plots were rebuilt (one view or three), or the Monte Carlo plot opened:
    #: the window restyles them.
    viewsRebuilt = QtCore.Signal()

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.setObjectName("geometry")
        self.model = GeometryModel(session, self)
        self.view_box = QtWidgets.QComboBox()
        self.view_box.addItem("constrained (t)", "constrained")
        self.view_box.addItem("penalized (λ)", "penalized")
        self.view_box.setToolTip(
            "Constrained: minimize the loss inside the region of size t. Penalized: "
            "minimize loss + penalty for a strength λ. Each t matches one λ; both are "
            "shown."
        )
        self.strength = LogSlider(1e-3, 1e2)
        self.strength.slider.setMinimumWidth(60)
        self.strength.setToolTip(
            "Budget t (constrained view) or strength λ (penalized)"
        )
        self.strength_label = QtWidgets.QLabel("t")
        # two short entries, always whole: the box is as wide as the longer one
        self.source_box = QtWidgets.QComboBox()
        self.source_box.setSizeAdjustPolicy(
            QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToContents
        )
        self.source_box.setSizePolicy(
            QtWidgets.QSizePolicy.Policy.Fixed, QtWidgets.QSizePolicy.Policy.Fixed
        )
        self.source_box.setToolTip(
            "Your own quadratic loss (drag w*), or the loss of two "
            "features of the loaded data, the other weights held "
            "at their current values"
        )
        self.elongation = QtWidgets.QSlider(QtCore.Qt.Orientation.Horizontal)
        self.elongation.setRange(3, 100)
        self.elongation.setToolTip(
            "Shape of the loss: from long thin ellipses (left) to circles (right)"
        )
        self.rotation = QtWidgets.QSlider(QtCore.Qt.Orientation.Horizontal)
        self.rotation.setRange(0, 180)
        self.rotation.setToolTip("Rotation of the ellipses, in degrees")
        self.zones_box = QtWidgets.QCheckBox("zones")
        self.zones_box.setChecked(True)
        self.zones_box.setToolTip(
            "Shade the places of w* where the optimum has a weight "
            "exactly 0 (the corner zones of the diamond)"
        )
        self.descent_box = QtWidgets.QCheckBox("gradient descent")
        self.descent_box.setToolTip(
            "On the L2 picture (and without a penalty): plain gradient descent "
            "without a penalty from w = 0 with step 0.1/L (dots) and the ridge path, "
            "every L2 optimum from w = 0 to w* (dashed). The dots follow the path: "
            "stopping early is like L2"
        )
        self.side_box = QtWidgets.QCheckBox("L1 | L2 | EN")
        self.side_box.setToolTip(
            "Side by side: the same loss under L1, L2 and Elastic Net"
        )
        self.family_controls = FamilyControls(self.model)
        self.mc_button = QtWidgets.QPushButton("Monte Carlo…")
        self.title_hint = None
        self.mc_button.setToolTip(
            "How often is the optimum exactly on a corner? Random "
            "losses in 2 to 10 dimensions"
        )
        self.strength_pair = _pair(self.strength_label, self.strength, 120)
        row1 = FlowLayout()  # the options wrap in a narrow pane, never widen it
        row1.addWidget(self.view_box)
        row1.addWidget(self.strength_pair)
        row1.addStretch()
        row1.addWidget(self.mc_button)
        self.feature_boxes = []
        for k in (1, 2):
            # long feature names are elided in the middle, whole in the tooltip
            box = ElidedComboBox(
                tip=f"The feature whose weight is w{'₁₂'[k - 1]} in this picture"
            )
            box.activated.connect(self._on_features_change)
            self.feature_boxes.append(box)
        # a label and its control wrap together
        self.shape_widgets = [
            _pair(QtWidgets.QLabel("shape"), self.elongation, 70),
            _pair(QtWidgets.QLabel("angle"), self.rotation, 70),
        ]
        self.feature_widgets = [
            _pair(QtWidgets.QLabel("w₁:"), self.feature_boxes[0]),
            _pair(QtWidgets.QLabel("w₂:"), self.feature_boxes[1]),
        ]
        row2 = FlowLayout()
        row2.addWidget(self.source_box)
        for wdg in self.shape_widgets + self.feature_widgets:
            row2.addWidget(wdg)
        row2.addWidget(self.zones_box)
        row2.addWidget(self.descent_box)
        row2.addWidget(self.side_box)
        row2.addWidget(self.family_controls)
        self.views_layout = QtWidgets.QHBoxLayout()
        self.views: list[GeometryView] = []
        self._options_shown = True
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(row1)
        layout.addLayout(row2)
        layout.addLayout(self.views_layout, 1)
        self._set_views(side_by_side=False)
        self._sync_controls()
        self.view_box.currentIndexChanged.connect(self._on_view_change)
        self.strength.valueChanged.connect(self.model.set_strength)
        self.source_box.activated.connect(self._on_source_change)
        self.elongation.valueChanged.connect(
            lambda v: self.model.set_shape(elongation=v / 100)
        )
        self.rotation.valueChanged.connect(lambda v: self.model.set_shape(angle_deg=v))
        self.zones_box.toggled.connect(self._on_zones_change)
        self.descent_box.toggled.connect(self._on_descent_change)
        self.side_box.toggled.connect(self._set_views)
        self.side_box.toggled.connect(self._sync_family_options)
        self.mc_button.clicked.connect(self.open_monte_carlo)
        session.datasetLoaded.connect(self._sync_controls)
        self.model.changed.connect(self._on_model_change)
        session.feature_pair.changed.connect(self._sync_controls)
        if session.trainer is not None:
            self.model.recompute()

    def _set_views(self, side_by_side: bool) -> None:
        for v in self.views:
            self.model.changed.disconnect(v.redraw)
            self.model.trajectoryChanged.disconnect(v._on_trajectory_change)
            v.setParent(None)
            v.deleteLater()
        kinds = KINDS if side_by_side else (None,)
        self.views = [GeometryView(self.model, k) for k in kinds]
        for v in self.views:
            v.show_zones = self.zones_box.isChecked()
            v.show_descent = self.descent_box.isChecked()
            self.views_layout.addWidget(v)
        if self.session.trainer is not None:
            for v in self.views:
                v.redraw()
        self.viewsRebuilt.emit()

    def _on_zones_change(self, on: bool) -> None:
        for v in self.views:
            v.show_zones = on
            v.redraw()

    def _on_descent_change(self, on: bool) -> None:
        for v in self.views:
            v.show_descent = on
            v.redraw()

    def _on_view_change(self) -> None:
        self.model.set_view(self.view_box.currentData())
        self._sync_strength()

    def _on_source_change(self, index: int) -> None:
        self.model.set_source(self.source_box.itemData(index))
        self._sync_controls()

    def _on_features_change(self) -> None:
        i, j = (b.currentIndex() for b in self.feature_boxes)
        if i == j:  # two different features: move the other one along
            j = (i + 1) % self.feature_boxes[1].count()
        self.select_features(i, j)

    def set_options_visible(self, on: bool) -> None:
        """Show or hide the two rows of options above the plots (hidden on slides,
        where the plots need the room; w* can still be dragged)."""
        self._options_shown = bool(on)
        for wdg in self._fixed_options():
            wdg.setVisible(self._options_shown)
        self._sync_controls()  # the shape or the feature boxes, by the source

    def _fixed_options(self) -> list[QtWidgets.QWidget]:
        """The options shown whatever the loss's source."""
        return [
            self.view_box,
            self.strength_pair,
            self.mc_button,
            self.source_box,
            self.zones_box,
            self.descent_box,
            self.side_box,
            self.family_controls,
        ]

    def _on_model_change(self) -> None:
        """The strength follows the model; so does the source box when the model
        fell back to your own loss mid-run (the data's loss had no single minimum
        on the current weights): the box says so and its tooltip why."""
        if self.source_box.currentData() != self.model.source:
            self._sync_controls()
        else:
            self._sync_strength()
        self._sync_family_options()

    def _sync_family_options(self, *_) -> None:
        """Zones and gradient descent belong to L1, L2 and Elastic Net; the region
        box to the single view."""
        side = self.side_box.isChecked()
        plain = side or self.views[0].family is None
        self.zones_box.setEnabled(plain)
        self.descent_box.setEnabled(plain)
        self.family_controls.setVisible(not side)  # a row less for three views

    def _sync_controls(self) -> None:
        s = self.session
        usable = s.data is not None and s.data.n_features >= 2
        with QtCore.QSignalBlocker(self.source_box):
            self.source_box.clear()
            self.source_box.addItem(OWN_LOSS, "own")
            if usable:
                self.source_box.addItem(DATA_LOSS, "data")
            self.source_box.setCurrentIndex(1 if self.model.source == "data" else 0)
        problem = self.model.problem
        self.source_box.setToolTip(
            (f"The data's loss cannot be drawn: {problem}.\n" if problem else "")
            + f"{OWN_LOSS}: a made-up quadratic loss (drag w*, set its shape).\n"
            f"{DATA_LOSS}: the loss of two features of the loaded data, the other "
            "weights held at their current values (real data opens on the two "
            "largest |w| at the current λ)"
        )
        names = s.data.feature_names if usable else ()
        for box, idx in zip(self.feature_boxes, self.model.features, strict=True):
            with QtCore.QSignalBlocker(box):
                if box.count() != len(names) or (names and box.itemText(0) != names[0]):
                    box.clear()
                    box.addItems(names)
                if names:
                    box.setCurrentIndex(idx)
        data = self.model.source == "data"
        shown = self._options_shown
        for wdg in self.shape_widgets:
            wdg.setVisible(shown and not data)
        for wdg in self.feature_widgets:
            wdg.setVisible(shown and data)
        with QtCore.QSignalBlocker(self.elongation):
            self.elongation.setValue(int(round(self.model.elongation * 100)))
        with QtCore.QSignalBlocker(self.rotation):
            self.rotation.setValue(int(round(np.rad2deg(self.model.angle))))
        self._sync_strength()

    def _sync_strength(self) -> None:
        m = self.model
        own = m.source == "own"
        self.strength.setEnabled(own)
        for w in (self.elongation, self.rotation):
            w.setEnabled(own)
        if m.view == "penalized" or not own:
            self.strength_label.setText("λ" if own else "λ (main)")
            value = m.lam if own else self.session.penalty.alpha
        else:
            self.strength_label.setText("t")
            value = m.t
        self.strength.set_value(value)

    def view_state(self) -> dict:
        m = self.model
        return {
            "source": m.source,
            "view": m.view,
            "w_star": [float(v) for v in m.w_star],
            "elongation": m.elongation,
            "angle": float(m.angle),
            "features": list(m.features),
            "lam": m.lam,
            "t": m.t,
            "side_by_side": self.side_box.isChecked(),
            "zones": self.zones_box.isChecked(),
            "descent": self.descent_box.isChecked(),
            "family": m.family,
            "q": m.q,
        }

    def set_view_state(self, st: dict) -> None:
        """Restore :meth:`view_state`. Each entry is checked before it is used, and
        one that is missing or wrong (not a number, not finite, out of range) is
        skipped: a damaged session cannot leave the pane failing on every step."""
        m = self.model
        d = self.session.data.n_features if self.session.data is not None else 0

        def number(key, lo, hi):
            v = st.get(key)
            ok = isinstance(v, (int, float)) and not isinstance(v, bool)
            return float(v) if ok and lo <= v <= hi else None

        w_star = st.get("w_star")
        if (
            isinstance(w_star, list)
            and len(w_star) == 2
            and all(
                isinstance(x, (int, float)) and not isinstance(x, bool) for x in w_star
            )
            and all(abs(x) <= 1e6 for x in w_star)
        ):
            m.w_star = np.array(w_star, dtype=float)
        if (v := number("elongation", 0.03, 1.0)) is not None:
            m.elongation = v
        if (v := number("angle", -10.0, 10.0)) is not None:
            m.angle = v
        for key in ("lam", "t"):
            if (v := number(key, 1e-12, 1e12)) is not None:
                setattr(m, key, v)
        feats = st.get("features")
        if (
            isinstance(feats, list)
            and len(feats) == 2
            and all(isinstance(i, int) and not isinstance(i, bool) for i in feats)
            and all(0 <= i < d for i in feats)
            and feats[0] != feats[1]
        ):
            m.features = (feats[0], feats[1])
        if st.get("source") in ("own", "data") and (st["source"] == "own" or d >= 2):
            m.source = st["source"]
        if st.get("family") in FAMILIES:
            m.family = st["family"]
        if (v := number("q", Q_MIN, Q_MAX)) is not None:
            m.q = round(v * Q_STEPS) / Q_STEPS  # a place of the slider
        if st.get("view") in ("constrained", "penalized"):
            m.view = st["view"]
            with QtCore.QSignalBlocker(self.view_box):
                self.view_box.setCurrentIndex(self.view_box.findData(m.view))
        if isinstance(st.get("zones"), bool):
            with QtCore.QSignalBlocker(self.zones_box):
                self.zones_box.setChecked(st["zones"])
        if isinstance(st.get("descent"), bool):
            with QtCore.QSignalBlocker(self.descent_box):
                self.descent_box.setChecked(st["descent"])
        if isinstance(st.get("side_by_side"), bool):
            self.side_box.setChecked(st["side_by_side"])
        for v in self.views:
            v.show_zones = self.zones_box.isChecked()
            v.show_descent = self.descent_box.isChecked()
        self._sync_controls()
        self.family_controls.sync()
        m.recompute()

    def select_features(self, i: int, j: int) -> None:
        """Show the loss of features ``i`` and ``j`` of the loaded data."""
        self.model.set_source("data", (i, j))
        self._sync_controls()

    def open_monte_carlo(self) -> None:
        from gui.dialogs.montecarlo_dialog import MonteCarloDialog

        dlg = getattr(self, "_mc_dialog", None)
        if dlg is None:
            dlg = self._mc_dialog = MonteCarloDialog(self)
            dlg.resultShown.connect(self.viewsRebuilt)  # new labels on its bars
            self.viewsRebuilt.emit()  # a new plot: the window styles it
            dlg.samples.setValue(300)  # a first answer in a few seconds
            dlg.run()
        dlg.show()
        dlg.raise_()

    def refresh_now(self) -> None:
        """Redraw from the current state now, bypassing the views' throttles (and
        the loss of two features anew: the other weights may have moved)."""
        if self.model.source == "data" and self.session.trainer is not None:
            self.model.recompute(restart=False)
        for v in self.views:
            v.refresh_now()

    def figure_controls(self) -> list[QtWidgets.QWidget]:
        """Both rows above the plots (each plot's title says t, λ and the optimum)."""
        return [*self._fixed_options(), *self.shape_widgets, *self.feature_widgets]
