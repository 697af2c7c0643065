"""The penalty family on the geometry pane (issue 17): Lq balls, SCAD and MCP.

A *shape* box chooses what a single view draws: the run's penalty (L1, L2, Elastic
Net as before; SCAD and MCP with the run's γ; L0's optimum without a region), an Lq
ball with its q on a slider,
or SCAD / MCP (γ from the run when it uses them, else the default). The optimum of a
shape comes from the global search of :mod:`engine.penalty_shapes`; where the shape
is not convex (q < 1, SCAD, MCP) the view says so, because a descent may stop
somewhere else.

What λ and t are, as in the rest of the pane: your own loss in the constrained view
minimizes f over ``‖w‖_q ≤ t`` (Lq) or ``P_λ(w) ≤ t`` (SCAD, MCP, with the pane's
λ); in the penalized view, and on the data's loss, it minimizes
``f(w) + P(w)`` (Lq: ``(λ/q)Σ|w_j|^q``, so q = 1 is L1 and q = 2 is L2 with the same
λ) and draws the region through the optimum.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy as np
from PySide6 import QtCore, QtWidgets

from engine.penalty_shapes import (
    FamilyOptimum,
    FamilyShape,
    family_constrained_optimum,
    family_penalized_optimum,
    l0_penalized_optimum,
)

__all__ = ["FAMILIES", "FamilyControls", "FamilyPicture", "family_picture"]

#: The entries of the shape box: data → text.
FAMILIES = {
    "run": "the run's penalty",
    "lq": "Lq ball",
    "scad": "SCAD",
    "mcp": "MCP",
}
#: The q slider: q = value / Q_STEPS, from 0.5 to 2 in steps of 0.05.
Q_STEPS = 20
Q_MIN, Q_MAX = 0.5, 2.0
NONCONVEX_NOTE = (
    "Not convex: this optimum comes from a global search; a descent could stop "
    "elsewhere, depending on its start."
)


#: Each geometry model's last picture: ``(key, quadratic, FamilyPicture)``.
_KEPT: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class FamilyPicture:
    """What a view draws for a shape: the optimum, the budget t of the region drawn
    (None: no region, λ = 0), the strength λ, whether the view is constrained."""

    shape: FamilyShape | None
    result: FamilyOptimum
    t: float | None
    lam: float
    constrained: bool

    @property
    def w(self) -> np.ndarray:
        return self.result.w


def shape_kind(model, fixed_kind: str | None) -> str | None:
    """The family kind a view draws (``'lq'``, ``'scad'``, ``'mcp'``), or None for
    the pane's own L1 / L2 / Elastic Net drawing."""
    if fixed_kind is not None:  # the side-by-side views are L1, L2 and EN
        return None
    if model.family in ("lq", "scad", "mcp"):
        return model.family
    main = model.main_kind
    return main if main in ("scad", "mcp", "l0") else None


def _gamma(model, kind: str) -> float | None:
    pen = model.session.penalty
    if kind in ("scad", "mcp") and pen.kind == kind:
        return pen.gamma
    return None  # the default


def family_picture(model, kind: str) -> FamilyPicture:
    """The optimum of shape ``kind`` on the model's loss (see the module's text).
    Kept until the loss, the view or a setting change: a redraw for another reason
    (zones, a path) does not search again."""
    q = model.quadratic
    own = model.source == "own"
    constrained = own and model.view == "constrained"
    lam = model.lam if own else model.session.penalty.alpha
    key = (
        id(q),
        q.w_star.tobytes(),
        kind,
        model.q,
        constrained,
        lam,
        model.t,
        _gamma(model, kind),
    )
    kept = _KEPT.get(model)
    if kept is not None and kept[0] == key and kept[1] is q:
        return kept[2]
    if kind == "l0":  # no region to draw: the best of four supports, exactly
        res = l0_penalized_optimum(q, lam)
        picture = FamilyPicture(None, res, None, lam, False)
    elif lam <= 0 and not (constrained and kind == "lq"):  # no penalty acts
        res = FamilyOptimum(q.w_star.copy(), 0.0, 0.0, True)
        picture = FamilyPicture(None, res, None, 0.0, constrained)
    else:
        shape = FamilyShape(
            kind,
            q=model.q if kind == "lq" else 1.0,
            lam=lam if lam > 0 else 1.0,
            gamma=_gamma(model, kind),
        )
        if constrained:
            res = family_constrained_optimum(q, shape, model.t)
            picture = FamilyPicture(shape, res, model.t, lam, True)
        else:
            res = family_penalized_optimum(q, shape)
            picture = FamilyPicture(shape, res, res.measure, lam, False)
    _KEPT[model] = (key, q, picture)
    return picture


def title_html(picture: FamilyPicture, kind: str, model) -> str:
    """The view's title: the shape, t and λ, the optimum, and whether it is convex."""
    shape = picture.shape
    w = picture.w
    coords = ", ".join("0 exactly" if v == 0 else f"{v:.3f}" for v in w)
    if kind == "l0":
        return (
            f"<b>L0</b>: (λ²/2) per nonzero weight, λ = {picture.lam:.3g}"
            f"&nbsp;&nbsp;·&nbsp;&nbsp;optimum w = ({coords})<br><i>Not convex: "
            "the best of the four supports (none, w₁, w₂, both), each solved "
            "exactly; a descent could stop at another.</i>"
        )
    if shape is None:
        name = f"L{model.q:g}" if kind == "lq" else kind.upper()
        return f"<b>{name}</b>: λ = 0, no penalty acts: the optimum is w* itself"
    if kind == "lq":
        norm = f"‖w‖<sub>{shape.q:g}</sub>"
        if picture.constrained:
            name = f"L{shape.q:g} ball"
            region = f"{norm} ≤ t = {picture.t:.3g}"
        else:  # the penalty, then the region through the optimum
            name = f"L{shape.q:g}"
            region = (
                f"(λ/q)Σ|w<sub>j</sub>|<sup>q</sup>, λ = {picture.lam:.3g} ⇔ "
                f"{norm} ≤ t = {picture.t:.3g}"
            )
    else:
        name = f"{kind.upper()} (γ = {shape.gamma:g})"
        region = f"P(w) ≤ t = {picture.t:.3g}, λ = {shape.lam:.3g}"
        if picture.t >= 2 * shape.p_max * (1 - 1e-12):
            region += (
                f" holds for every w: p is flat beyond γλ = {shape.gamma * shape.lam:.3g}"
                ", large weights are not shrunk"
            )
        elif picture.t >= shape.p_max:
            region += " (open along the axes)"
    text = f"<b>{name}</b>: {region}&nbsp;&nbsp;·&nbsp;&nbsp;optimum w = ({coords})"
    if not shape.convex:
        text += f"<br><i>{NONCONVEX_NOTE}</i>"
    return text


class FamilyControls(QtWidgets.QWidget):
    """The region box (the shape drawn) and the q slider (for the Lq ball only)."""

    def __init__(self, model, parent=None):
        super().__init__(parent)
        self.model = model
        self.shape_box = QtWidgets.QComboBox()
        for data, text in FAMILIES.items():
            self.shape_box.addItem(text, data)
        self.shape_box.setSizeAdjustPolicy(
            QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToContents
        )
        self.shape_box.setToolTip(
            "What the region is: the run's penalty, the Lq ball ‖w‖_q ≤ t (q < 1 is "
            "not convex: spikes on the axes), or SCAD / MCP (like L1 near the axes, "
            "flat further out; γ from the run when it uses them)"
        )
        self.q_slider = QtWidgets.QSlider(QtCore.Qt.Orientation.Horizontal)
        self.q_slider.setRange(int(Q_MIN * Q_STEPS), int(Q_MAX * Q_STEPS))
        self.q_slider.setPageStep(Q_STEPS // 2)  # a page is 0.5: 0.5, 1, 1.5, 2
        self.q_slider.setTickInterval(Q_STEPS // 2)
        self.q_slider.setTickPosition(QtWidgets.QSlider.TickPosition.TicksBelow)
        self.q_slider.setMinimumWidth(90)
        self.q_slider.setToolTip(
            "q of the Lq ball: 0.5 (a star, not convex), 1 (the diamond), "
            "1.5, 2 (the disk)"
        )
        self.q_label = QtWidgets.QLabel()
        self.q_label.setMinimumWidth(
            self.q_label.fontMetrics().horizontalAdvance("q = 0.55")
        )
        row = QtWidgets.QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        row.addWidget(QtWidgets.QLabel("region"))
        row.addWidget(self.shape_box)
        row.addWidget(self.q_label)
        row.addWidget(self.q_slider, 1)
        self.sync()
        self.shape_box.activated.connect(self._on_shape_change)
        self.q_slider.valueChanged.connect(self._on_q_change)

    def _on_shape_change(self, index: int) -> None:
        self.model.set_family(self.shape_box.itemData(index))
        self.sync()

    def _on_q_change(self, value: int) -> None:
        self.model.set_family(q=value / Q_STEPS)
        self.sync()

    def sync(self) -> None:
        """The controls from the model (no signals back)."""
        m = self.model
        with QtCore.QSignalBlocker(self.shape_box):
            self.shape_box.setCurrentIndex(self.shape_box.findData(m.family))
        with QtCore.QSignalBlocker(self.q_slider):
            self.q_slider.setValue(int(round(m.q * Q_STEPS)))
        self.q_label.setText(f"q = {m.q:g}")
        lq = m.family == "lq"
        self.q_slider.setVisible(lq)
        self.q_label.setVisible(lq)
