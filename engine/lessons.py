"""Guided lessons: short texts with settings the app loads and runs.

Each :class:`Lesson` names a bundled dataset, a penalty, an update rule and a number of
steps; the app loads it exactly as it loads a dataset (see :meth:`Lesson.build`), runs
its ``steps`` and shows its ``text`` beside the panes. Every number in a text is what
the app shows for those settings; ``tests/engine/test_lessons.py`` checks each one by
running the engine.

Strengths are given relative to the data, so that a lesson means the same on any
machine and reads well as a fraction:

* ``lam`` for L1 and Elastic Net is λ₁ as a fraction of ``lambda_max`` (the smallest
  λ₁ that makes every weight exactly 0); for L2 it is λ₂ as a fraction of the
  curvature ``L`` of the data loss (what ``TrainingSession.l2_scale`` returns);
* ``lam2`` (Elastic Net only) is λ₂ as a fraction of ``L``;
* ``lr`` is ``'auto'`` (η = 1/L) or a multiple of 1/L, with ``L`` including λ₂ as the
  trainer's own ``lipschitz`` does.

Pure Python and numpy: no Qt here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .data import Dataset, TrainingData, prepare
from .datasets import DATASETS, load_dataset
from .losses import get_loss
from .penalties import PENALTY_KINDS, Penalty
from .solvers import lambda_max
from .trainer import RULES, Trainer

__all__ = ["GEOMETRY_HINTS", "LESSONS", "Lesson", "get_lesson", "lesson_keys"]

#: Keys a lesson's ``geometry`` hints may use, with the values each accepts.
#: ``source`` follows ``GeometryPane.view_state``: "data" draws the loss of two
#: features of the loaded data (the main λ), "own" the draggable quadratic.
GEOMETRY_HINTS = {
    "side_by_side": (True, False),
    "view": ("constrained", "penalized"),
    "source": ("own", "data"),
}


@dataclass(frozen=True)
class Lesson:
    """One guided lesson: a text and the settings that make its claims true.

    Parameters
    ----------
    key : str
        Stable identifier, e.g. ``"constant-gradient"``.
    title : str
        Short title for a menu.
    text : str
        HTML shown beside the panes, ending with a *What to watch* list.
    dataset : str
        A bundled dataset (``engine.datasets.DATASETS``).
    penalty : {'none', 'l1', 'l2', 'elasticnet'}
    lam : float
        L1 / Elastic Net: λ₁ as a fraction of λ_max of the data. L2: λ₂ as a fraction
        of the curvature L of the data loss.
    lam2 : float
        Elastic Net only: λ₂ as a fraction of L.
    rule : {'proximal', 'subgradient'}
    lr : float or 'auto'
        'auto' (η = 1/L) or a multiple of 1/L (e.g. 0.5).
    seed : int
        Seed of the initial weights.
    validation : float
        Share of rows held out for the validation loss (split seed 0).
    steps : int
        Steps the app runs right after loading the lesson (0: the user presses Play).
    sort_by_size : bool
        Show the weights pane sorted by ``|w|``.
    geometry : dict
        Hints for the geometry pane, keys among :data:`GEOMETRY_HINTS`.
    claim : str
        The one checkable sentence the text stands on.
    """

    key: str
    title: str
    text: str
    dataset: str
    penalty: str
    lam: float = 0.0
    lam2: float = 0.0
    rule: str = "proximal"
    lr: float | str = "auto"
    seed: int = 0
    validation: float = 0.0
    steps: int = 0
    sort_by_size: bool = False
    geometry: dict = field(default_factory=dict)
    claim: str = ""

    def __post_init__(self):
        if self.dataset not in DATASETS:
            raise ValueError(
                f"lesson {self.key!r}: no bundled dataset {self.dataset!r}"
            )
        if self.penalty not in PENALTY_KINDS:
            raise ValueError(f"lesson {self.key!r}: unknown penalty {self.penalty!r}")
        if self.rule not in RULES:
            raise ValueError(f"lesson {self.key!r}: unknown update rule {self.rule!r}")
        if self.lam < 0 or self.lam2 < 0:
            raise ValueError(f"lesson {self.key!r}: strengths must be >= 0")
        if self.penalty == "none" and (self.lam or self.lam2):
            raise ValueError(f"lesson {self.key!r}: penalty 'none' takes no strength")
        if self.lam2 and self.penalty != "elasticnet":
            raise ValueError(f"lesson {self.key!r}: lam2 is for Elastic Net only")
        if self.lr != "auto" and not (isinstance(self.lr, int | float) and self.lr > 0):
            raise ValueError(
                f"lesson {self.key!r}: lr must be 'auto' or a multiple > 0"
            )
        if self.steps < 0:
            raise ValueError(f"lesson {self.key!r}: steps must be >= 0")
        for name, value in self.geometry.items():
            if name not in GEOMETRY_HINTS or value not in GEOMETRY_HINTS[name]:
                raise ValueError(
                    f"lesson {self.key!r}: bad geometry hint {name!r} = {value!r}"
                )

    # -- the settings in the data's units ---------------------------------------------
    def penalty_for(self, data: TrainingData, loss: str) -> Penalty:
        """The penalty with the lesson's fractions turned into strengths for ``data``:
        λ₁ = ``lam`` · λ_max, λ₂ = ``lam`` (L2) or ``lam2`` (Elastic Net) · L."""
        if self.penalty == "none":
            return Penalty.none()
        scale = get_loss(loss).curvature * data.curvature  # session.l2_scale()
        if self.penalty == "l2":
            return Penalty.l2(self.lam * scale)
        lam1 = self.lam * lambda_max(data, loss)
        if self.penalty == "l1":
            return Penalty.l1(lam1)
        return Penalty.elastic_net(lam1, self.lam2 * scale)

    def build(
        self,
    ) -> tuple[Dataset, TrainingData, str, Penalty, float | str, Trainer]:
        """Load the lesson as the app does (``gui.session.TrainingSession``).

        Returns
        -------
        dataset : Dataset
            ``load_dataset(self.dataset, seed=0)``.
        data : TrainingData
            ``prepare(dataset, standardize=True, validation=self.validation, seed=0)``.
        loss : str
            ``dataset.default_loss``.
        penalty : Penalty
            See :meth:`penalty_for`.
        lr : float or 'auto'
            'auto', or the multiple times 1/L with L the trainer's ``lipschitz``
            (λ₂ included).
        trainer : Trainer
            At step 0; the caller runs ``self.steps``.
        """
        dataset = load_dataset(self.dataset, seed=0)
        data = prepare(dataset, standardize=True, validation=self.validation, seed=0)
        loss = dataset.default_loss
        penalty = self.penalty_for(data, loss)
        lr: float | str = "auto"
        if self.lr != "auto":
            probe = Trainer(data, loss=loss, penalty=penalty, lr="auto")
            lr = float(self.lr) * probe.lr_safe
        trainer = Trainer(
            data, loss=loss, penalty=penalty, lr=lr, rule=self.rule, seed=self.seed
        )
        return dataset, data, loss, penalty, lr, trainer


# -- the lessons --------------------------------------------------------------------------
_CONSTANT_GRADIENT = """\
<p>Both penalties pull the weights toward zero, but not in the same way. The slope of
the L1 penalty λ‖w‖₁ is λ·sign(w): equally steep for every weight, whether it is 30 or
0.3. So after following the data gradient, each step moves every weight the same
distance η·λ toward zero. The slope of the L2 penalty (λ/2)‖w‖² is λ·w: a weight twice
as large is pushed twice as hard, and the push fades as the weight shrinks.</p>
<p>Here: the diabetes data, L1 with λ = 0.2·λ_max ≈ 9.0 and η = 1/L, so the fixed
move is η·λ ≈ 2.24. The app has taken one step.</p>
<p><b>What to watch</b></p>
<ul>
<li>Weights pane: 2 of 10 weights are exactly 0 (sex and ltg). After the data step
they were within 2.24 of zero, so the move stopped at 0.</li>
<li>Every other weight ended exactly 2.24 closer to zero than the data step alone
would have left it, large or small alike. Press Step (→) and it happens again.</li>
<li>Click L2 (its slider starts at λ = 0.1·L ≈ 0.40) and keep stepping: each step
now divides every weight by the same factor 1 + η·λ ≈ 1.09, so large weights lose
the most; from the next step on the header reads 0 of 10 weights are exactly 0.</li>
</ul>"""

_EXACT_ZEROS = """\
<p>Why does L1 end with weights that are exactly 0.0 rather than merely tiny? Every
step takes the same amount η·λ off a weight's size. A weight that gets little support
from the data cannot keep up with that steady drain, so it reaches zero after a finite
number of steps. When the next move would carry it past zero, the update stops it at
exactly 0 (the clamp). On later steps it stays there unless the data gradient at zero
is larger than λ: only a feature that really improves the fit can pull its weight off
zero again.</p>
<p>Same data and λ as the previous lesson (λ = 0.2·λ_max); the app has run 100
steps.</p>
<p><b>What to watch</b></p>
<ul>
<li>Weights pane: 6 of 10 weights are exactly 0: age, sex, tc, ldl, tch and glu, the
same six that Solve finds for the exact optimum.</li>
<li>Trajectories: sex is clamped at step 1 and never leaves; tch is the last to land,
at step 27.</li>
<li>Not every clamp is final: ltg is clamped at step 1 and freed at step 2, and hdl
sits at 0 from step 6 until step 14, then leaves on the negative side. The data
gradient was strong enough for them.</li>
<li>Zero-count curve: flat at 6 from step 27 on. Press Play: it does not move
again.</li>
</ul>"""

_GEOMETRY = """\
<p>With two weights the whole problem can be drawn. The data loss is a bowl whose
contour lines are ellipses around the unpenalized best fit. The L1 region
|w₁| + |w₂| ≤ t is a diamond with its corners on the axes; the L2 region is a disk.
The penalized optimum is the point where a contour ellipse just touches the region. A
disk has no corners, so the touching point can be anywhere on its rim and both weights
usually stay nonzero. The diamond's corners stick out toward the ellipses, so the
first touch is often a corner, and at a corner one weight is exactly 0.</p>
<p>Here y depends strongly on x1 and weakly on x2; L1 with λ = 0.5·λ_max ≈ 1.12, and
the app has run 50 steps.</p>
<p><b>What to watch</b></p>
<ul>
<li>Geometry pane, L1 view: the optimum sits on the corner (1.12, 0), w₂ exactly 0.
At the same λ the L2 optimum is (0.95, 0.51) and Elastic Net's (0.98, 0.33): no
zero.</li>
<li>Weights pane: 1 of 2 weights are exactly 0; w₂ reached the axis at step 3 and
stayed.</li>
<li>Lower λ below about 0.42·λ_max ≈ 0.94 and the L1 optimum slides off the corner.</li>
<li>Monte Carlo…: with random losses, L1's share of optima with an exact zero grows
with the dimension; L2's is 0 in every dimension.</li>
</ul>"""

_FEATURE_SELECTION = """\
<p>The classic use of L1: a price model for 2,000 houses with 1,000 candidate
features. Some matter (square footage, school rating, age of the roof), some surely
do not (front door colour, listing weekday), and 900 columns are pure noise. Only 50
features actually drive the price, and nobody tells the model which. With L1 at
λ = 0.03·λ_max, each weight the data does not defend is drained to zero and clamped
there, while the useful ones are held up by their data gradient. The outcome is a short
list of features; the rest are switched off completely, not just made small.</p>
<p>The app has run 500 steps; the set of kept features stopped changing at step
222.</p>
<p><b>What to watch</b></p>
<ul>
<li>Weights pane, sorted by |&#8288;w&#8288;|: 952 of 1000 weights are exactly 0; the 48 kept ones
lead the row.</li>
<li>Below it: kept 48 · precision 0.94 · recall 0.90, so 45 of the 50 true features
were found. The 3 extras are named features that track real ones (smart_thermostat,
carpet_share_pct, outlet_count): not one of the 900 noise columns survived. The 5
missed true features have small effects, at most $6,000 per standard deviation.</li>
<li>Trajectories heat map and zero-count curve: rows turn grey (exactly 0) early on;
the count climbs to 952.</li>
<li>Click L2 and keep stepping: 0 of 1000 weights are exactly 0.</li>
</ul>"""

_CORRELATED = """\
<p>When features come in groups that carry nearly the same information, the
penalties part ways. This data has four groups of three features, correlated at
about 0.9 inside each group. Every member of group A has true coefficient 3, every
member of B −2; groups C and D and 8 noise columns do nothing. L1 lets one member
speak for its group: once it is in, its twins add little and are drained to 0. L2
spreads the weight over everyone and zeroes nobody. Elastic Net mixes the two: its L2
part makes correlated members share the weight, its L1 part still switches off what
is useless.</p>
<p>Elastic Net with λ₁ = 0.45·λ_max and λ₂ = 1.0·L, so α = λ₁ + λ₂ ≈ 6.85 and
ρ ≈ 0.49; the app has run 100 steps.</p>
<p><b>What to watch</b></p>
<ul>
<li>Weights pane: 14 of 20 weights are exactly 0. Elastic Net keeps exactly A1–A3 and
B1–B3, and the three A bars are nearly level (between 0.6 and 0.7).</li>
<li>Set ρ to 1 (pure L1 at the same α) and press Play: L1 keeps only A1, one member
of group A, and none of group B; 19 of 20 weights are exactly 0.</li>
<li>Set ρ to 0 (pure L2 at the same α): 0 of 20 weights are exactly 0.</li>
<li>Solve gives the same three answers for the exact optimum.</li>
</ul>"""

_SUBGRADIENT = """\
<p>The L1 penalty has no slope at w = 0, so a plain gradient method must improvise.
The naive subgradient rule subtracts η·λ·sign(w) on every step. For a weight that
ought to be zero this backfires: ignoring the data, a weight 0.8 above zero jumps
2.24 to sit 1.44 below it, then jumps back up, and so on. Nothing in the rule ever
stops it at 0.0. The clamp (the proximal rule) makes the same move but stops at 0
whenever the move would cross it, which is why it produces exact zeros and this rule
does not.</p>
<p>Diabetes data, L1 with λ = 0.2·λ_max, η = 1/L (η·λ ≈ 2.24), the naive rule; the
app has run 200 steps.</p>
<p><b>What to watch</b></p>
<ul>
<li>Weights pane: 0 of 10 weights are exactly 0, and the zero-count curve has stayed
at 0 for all 200 steps.</li>
<li>Trajectories: age, sex, tc, ldl, tch and glu zigzag across the axis, each changing
sign at least 20 times in the last 100 steps while staying within ±6: small, but
never 0.</li>
<li>Switch the update rule to proximal (clamp) and keep stepping: within 4 steps the
same six weights are exactly 0, and they stay there.</li>
</ul>"""

LESSONS: tuple[Lesson, ...] = (
    Lesson(
        key="constant-gradient",
        title="L1 pushes every weight the same amount",
        text=_CONSTANT_GRADIENT,
        dataset="diabetes",
        penalty="l1",
        lam=0.2,
        steps=1,
        claim=(
            "After one step every weight not clamped at 0 is exactly η·λ ≈ 2.24 closer "
            "to zero than the data step alone left it, and 2 of 10 weights (sex, ltg) "
            "are exactly 0; under L2 every weight is divided by 1 + η·λ₂ ≈ 1.09."
        ),
    ),
    Lesson(
        key="exact-zeros",
        title="Why L1 lands on exactly 0",
        text=_EXACT_ZEROS,
        dataset="diabetes",
        penalty="l1",
        lam=0.2,
        steps=100,
        claim=(
            "After 100 steps 6 of 10 weights are exactly 0 (age, sex, tc, ldl, tch, "
            "glu), the last landing at step 27, and they stay 0."
        ),
    ),
    Lesson(
        key="geometry",
        title="Diamond corners vs the circle",
        text=_GEOMETRY,
        dataset="two-features",
        penalty="l1",
        lam=0.5,
        steps=50,
        geometry={"side_by_side": True, "view": "penalized", "source": "data"},
        claim=(
            "At λ = 0.5·λ_max the L1 optimum is (1.12, 0) with w₂ exactly 0, while "
            "the L2 optimum at the same λ is (0.95, 0.51)."
        ),
    ),
    Lesson(
        key="feature-selection",
        title="Picking 50 features out of 1,000",
        text=_FEATURE_SELECTION,
        dataset="houses",
        penalty="l1",
        lam=0.03,
        steps=500,
        sort_by_size=True,
        claim=(
            "After 500 steps 48 of 1,000 weights remain nonzero, 45 of them true "
            "features (precision 0.94, recall 0.90)."
        ),
    ),
    Lesson(
        key="correlated-features",
        title="Correlated features: L1, L2 and Elastic Net",
        text=_CORRELATED,
        dataset="correlated",
        penalty="elasticnet",
        lam=0.45,
        lam2=1.0,
        steps=100,
        claim=(
            "Elastic Net keeps all of A1–A3 and B1–B3 (14 of 20 weights exactly 0), "
            "while L1 at the same α keeps only A1."
        ),
    ),
    Lesson(
        key="subgradient-chatter",
        title="Naive subgradient vs the clamp",
        text=_SUBGRADIENT,
        dataset="diabetes",
        penalty="l1",
        lam=0.2,
        rule="subgradient",
        steps=200,
        claim=(
            "Under the naive subgradient rule 0 of 10 weights are ever exactly 0 in "
            "200 steps; the clamp zeroes 6 within 4 steps."
        ),
    ),
)


def lesson_keys() -> tuple[str, ...]:
    """The keys of :data:`LESSONS`, in order."""
    return tuple(lesson.key for lesson in LESSONS)


def get_lesson(key: str) -> Lesson:
    """The lesson with ``key``; ``KeyError`` naming the choices if there is none."""
    for lesson in LESSONS:
        if lesson.key == key:
            return lesson
    raise KeyError(f"no lesson {key!r}; choose one of {', '.join(lesson_keys())}")
