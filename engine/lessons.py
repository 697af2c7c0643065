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
  curvature ``L`` of the data loss (``engine.settings.scales``);
* ``lam2`` (Elastic Net only) is λ₂ as a fraction of ``L``;
* ``lr`` is ``'auto'`` (η = 1/L) or a multiple of 1/L, with ``L`` including λ₂ as the
  trainer's own ``lipschitz`` does.

Pure Python and numpy: no Qt here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .data import Dataset, TrainingData, prepare
from .datasets import DATASETS, load_dataset
from .penalties import NONCONVEX_KINDS, PENALTY_KINDS, Penalty
from .settings import (
    DataSource,
    LabSettings,
    RunSettings,
    SettingsError,
    lipschitz,
    resolve,
    scales,
)
from .trainer import RULES, Trainer

__all__ = [
    "GEOMETRY_HINTS",
    "LESSONS",
    "PATH_HINTS",
    "Lesson",
    "get_lesson",
    "lesson_keys",
]

#: Keys a lesson's ``geometry`` hints may use, with the values each accepts.
#: ``source`` follows the geometry view's state: "data" draws the loss of two
#: features of the loaded data (the main λ), "own" the draggable quadratic.
GEOMETRY_HINTS = {
    "side_by_side": (True, False),
    "view": ("constrained", "penalized"),
    "source": ("own", "data"),
    "descent": (True, False),
}
#: Keys a lesson's ``path_view`` hints may use (the path pane's view state).
PATH_HINTS = {"x": ("log", "norm", "explained"), "early": (True, False)}
#: Where a lesson's ``lam_at`` takes its strength from.
LAM_AT = ("cv_min", "cv_1se")


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
    lam_at : {None, 'cv_min', 'cv_1se'}
        Take the strength from the lesson's cross-validation (the default grid and 5
        contiguous folds, :func:`engine.path.cv_for`) instead of ``lam``: λ_min or
        λ_1se.
    solve : bool
        After the steps, solve to convergence (the exact model at that λ).
    panes : tuple of str
        Panes the window brings forward (tabs), by their keys, e.g. ``("path",
        "cv")``.
    path_view : dict
        Hints for the path pane, keys among :data:`PATH_HINTS` (its x axis, and
        gradient descent's iterates drawn over an L2 path).
    alpha_min_ratio : float or None
        The path's smallest strength as a share of its largest (None: the default).
    lab : dict
        Settings of the comparison, the stability lab and the sparsity sweep
        (:class:`engine.settings.LabSettings` fields), e.g. ``{"sweep_rho": 0.9}``.
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
    lam_at: str | None = None
    solve: bool = False
    panes: tuple[str, ...] = ()
    path_view: dict = field(default_factory=dict)
    alpha_min_ratio: float | None = None
    lab: dict = field(default_factory=dict)
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
        if self.lam_at is not None:
            if self.lam_at not in LAM_AT:
                raise ValueError(
                    f"lesson {self.key!r}: lam_at must be one of {', '.join(LAM_AT)}"
                )
            if self.penalty not in ("l1", "l2", "elasticnet") or self.lam:
                raise ValueError(
                    f"lesson {self.key!r}: lam_at takes the strength from "
                    "cross-validation of L1, L2 or Elastic Net; give no lam"
                )
        for name, value in self.path_view.items():
            if name not in PATH_HINTS or value not in PATH_HINTS[name]:
                raise ValueError(
                    f"lesson {self.key!r}: bad path hint {name!r} = {value!r}"
                )
        try:
            LabSettings(**self.lab)
        except (TypeError, SettingsError) as e:
            raise ValueError(f"lesson {self.key!r}: bad lab settings: {e}") from None
        for name, value in self.geometry.items():
            if name not in GEOMETRY_HINTS or value not in GEOMETRY_HINTS[name]:
                raise ValueError(
                    f"lesson {self.key!r}: bad geometry hint {name!r} = {value!r}"
                )

    # -- the settings in the data's units ---------------------------------------------
    def run_settings(self, data: TrainingData | None = None) -> RunSettings:
        """The lesson as :class:`RunSettings`. With prepared ``data`` the fractions
        become strengths (λ₁ = ``lam``·λ_max; λ₂ = ``lam`` (L2) or ``lam2`` (Elastic
        Net)·L_D) and ``lr`` a step size (a multiple of 1/L, λ₂ included);
        without, the strengths are left to the data's defaults."""
        settings = RunSettings(
            source=DataSource.bundled(self.dataset, 0),
            standardize=True,
            validation=self.validation,
            split_seed=0,
            penalty=self.penalty,
            rule=self.rule,
            seed=self.seed,
            steps=self.steps,
            solve=self.solve,
            lab=LabSettings(**self.lab),
        )
        if self.alpha_min_ratio is not None:
            settings = settings.replace(
                path=settings.path.replace(alpha_min_ratio=self.alpha_min_ratio)
            )
        if data is None:
            return settings
        loss = resolve(settings, data).loss
        sc = scales(data, loss)
        lam1 = lam2 = None
        if self.penalty in ("l1", "elasticnet", *NONCONVEX_KINDS):
            lam1 = self.lam * sc.lam_max
        if self.penalty == "l2":
            lam2 = self.lam * sc.curvature
        elif self.penalty == "elasticnet":
            lam2 = self.lam2 * sc.curvature
        settings = resolve(settings.replace(lam1=lam1, lam2=lam2), data)
        if self.lam_at is not None:
            from .path import cv_for, strengths_at

            cv = cv_for(settings, data)
            alpha = cv.alpha_min if self.lam_at == "cv_min" else cv.alpha_1se
            settings = settings.replace(**strengths_at(settings, alpha))
        if self.lr != "auto":
            active = settings.active_penalty.lam2
            settings = settings.replace(
                lr=float(self.lr) * (1.0 / lipschitz(data, settings.loss, active))
            )
        return settings

    def penalty_for(self, data: TrainingData, loss: str) -> Penalty:
        """The lesson's penalty in the units of ``data``."""
        return self.run_settings(data).active_penalty

    def build(
        self,
    ) -> tuple[Dataset, TrainingData, str, Penalty, float | str, Trainer]:
        """Load the lesson as the app does: ``(dataset, data, loss, penalty, lr,
        trainer)`` with the trainer at step 0 (the caller runs ``self.steps``); see
        :meth:`start` for the same as an ``engine.run.Run``."""
        run = self.start()
        s = run.settings
        return run.dataset, run.data, s.loss, s.active_penalty, s.lr, run.trainer

    def start(self):
        """The lesson's run at step 0 (an ``engine.run.Run``; ``execute`` takes its
        steps)."""
        from .run import start_run

        dataset = load_dataset(self.dataset, seed=0)
        data = prepare(dataset, standardize=True, validation=self.validation, seed=0)
        return start_run(self.run_settings(data), dataset, data=data)


# -- the lessons --------------------------------------------------------------------------
#: The lessons' prose: one HTML file per lesson key, edited without touching code.
TEXT_DIR = Path(__file__).resolve().parent.parent / "resources" / "lessons"


def lesson_text(key: str) -> str:
    """The HTML text of lesson ``key`` (``resources/lessons/<key>.html``)."""
    return (TEXT_DIR / f"{key}.html").read_text(encoding="utf-8").rstrip("\n")


LESSONS: tuple[Lesson, ...] = (
    Lesson(
        key="why-regularize",
        title="Why regularize: a polynomial that overfits",
        text=lesson_text("why-regularize"),
        dataset="polynomial",
        penalty="none",
        validation=0.2,
        solve=True,
        panes=("fit",),
        alpha_min_ratio=1e-5,
        claim=(
            "Without a penalty the degree-15 polynomial has training MSE 0.03395 "
            "(below the noise's 0.09) and held-out MSE 0.2265 with weights up to "
            "1,850; L2 at λ = 0.01 gets 0.121 keeping all 15 powers (|w| ≤ 1.5); L1 "
            "at λ = 0.02 keeps x, x², x³ and gets 0.09819."
        ),
    ),
    Lesson(
        key="constant-gradient",
        title="L1 pushes every weight the same amount",
        text=lesson_text("constant-gradient"),
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
        text=lesson_text("exact-zeros"),
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
        text=lesson_text("geometry"),
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
        text=lesson_text("feature-selection"),
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
        title="Correlated features: one of a group or all of it",
        text=lesson_text("correlated-features"),
        dataset="correlated",
        penalty="elasticnet",
        lam=0.45,
        lam2=1.0,
        steps=100,
        panes=("stability",),
        claim=(
            "Elastic Net keeps all of A1–A3 and B1–B3 (14 of 20 weights exactly 0), "
            "and on 100 half-samples each of them in at least 90; L1 at the same α "
            "keeps only A1, and on the half-samples A1 43, A2 27, A3 31 times, none "
            "stably."
        ),
    ),
    Lesson(
        key="subgradient-chatter",
        title="Naive subgradient vs the clamp",
        text=lesson_text("subgradient-chatter"),
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
    Lesson(
        key="which-lambda",
        title="Which λ? Cross-validation, λ_min and λ_1se",
        text=lesson_text("which-lambda"),
        dataset="diabetes",
        penalty="l1",
        lam_at="cv_1se",
        solve=True,
        panes=("path", "cv"),
        claim=(
            "5-fold cross-validation: λ_min = 0.0017·λ_max keeps 9 of 10 features "
            "(held-out MSE 2,992 ± 71); λ_1se = 0.087·λ_max keeps 6 (sex, bmi, bp, hdl, "
            "ltg, glu) at 3,055, within one standard error."
        ),
    ),
    Lesson(
        key="early-stopping",
        title="Stopping early is like L2",
        text=lesson_text("early-stopping"),
        dataset="polynomial",
        penalty="l2",
        lam=0.01,
        validation=0.2,
        solve=True,
        panes=("path", "fit"),
        path_view={"x": "norm", "early": True},
        geometry={"descent": True},
        alpha_min_ratio=1e-5,
        claim=(
            "Gradient descent without a penalty from w = 0 stays, from its third "
            "step, within 16 % of its length of the ridge path; after 10 steps it "
            "is nearest λ = 0.61, after 1,063 λ = 0.0054; without a penalty from "
            "the seeded start the validation loss is lowest (0.0554) at step 133, "
            "0.0690 at step 500, and 0.1132 solved."
        ),
    ),
    Lesson(
        key="sparse-or-dense",
        title="Sparse or dense truth: when L1 wins and when L2 wins",
        text=lesson_text("sparse-or-dense"),
        dataset="correlated",
        penalty="l1",
        lam=0.05,
        panes=("wins",),
        claim=(
            "40 features, 100 rows: with 1 true feature L1's excess error is 0.059 "
            "and L2's 0.317; with all 40, 0.649 and 0.359; L2 wins from k ≈ 15. At "
            "correlation 0.9 the crossing is at k ≈ 8 and L1 keeps 52 % of the true "
            "features, Elastic Net 67 %."
        ),
    ),
    Lesson(
        key="thresholding",
        title="The clamp is a thresholding function",
        text=lesson_text("thresholding"),
        dataset="correlated",
        penalty="l1",
        lam=0.05,
        steps=30,
        panes=("threshold",),
        claim=(
            "After 30 steps with λ = 0.05·λ_max and η = 1/L, 13 of 20 weights have "
            "pre-update values within ηλ = 0.106 of 0 and are exactly 0."
        ),
    ),
    Lesson(
        key="laplace-prior",
        title="L1 is a Laplace prior: the mode is sparse, the mean is not",
        text=lesson_text("laplace-prior"),
        dataset="two-features",
        penalty="l1",
        lam=0.5,
        solve=True,
        panes=("prior",),
        claim=(
            "At λ = 0.5·λ_max the MAP (the lasso) is (1.118, 0) while the posterior "
            "mean is (1.105, 0.03138); the Laplace prior's scale is 0.0045."
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
