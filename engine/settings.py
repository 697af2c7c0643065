"""The one definition of a run: :class:`RunSettings`.

Everything that decides what a run computes lives here, once: where the data comes
from and how it is prepared, the loss, the penalty, the update rule, the step size, the
batch size, the seed, and how far to go (a number of steps, then optionally a solve to
convergence). The command line, the window, session files and lessons all build or
edit a ``RunSettings``; nothing else keeps a copy of a setting.

Defaults that depend on the data are computed by :func:`resolve`, and only there:

* the loss ``'auto'`` is logistic for a two-class target, squared otherwise;
* λ₁ defaults to ``DEFAULT_LAM1_SHARE × λ_max`` (λ_max: the smallest λ₁ that makes
  every weight exactly 0);
* λ₂ defaults to ``DEFAULT_LAM2_SHARE × L_D``, ``L_D`` the curvature of the data loss
  (the largest eigenvalue of ``[X, 1]ᵀ[X, 1]/n``, times 1/4 for logistic loss; beyond
  200 features a certified upper bound within about 1e-6 of it, the same for every
  entry point: :mod:`engine.curvature`), or,
  for an Elastic Net asked for at an L1 share ρ (``l1_ratio``), to λ₁(1 − ρ)/ρ: the
  point at 5 % of the top of that Elastic Net's path, as the L1 default is on its own;
* the step size ``'auto'`` is ``η = 1/L`` with ``L = L_D + λ₂`` (:func:`lipschitz`).

A ``RunSettings`` is immutable: an edit is ``settings.replace(lam1=0.3)``, which checks
the new combination and raises :class:`SettingsError` with one clear sentence if it is
invalid.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field

from .data import DataError
from .penalties import NONCONVEX_KINDS, PENALTY_KINDS, Penalty
from .polynomial import check_degree
from .thresholds import DEFAULT_GAMMA, check_gamma

__all__ = [
    "DEFAULT_LAM1_SHARE",
    "DEFAULT_LAM2_SHARE",
    "DEFAULT_STEPS",
    "DEFAULT_VALIDATION",
    "MAX_STEPS",
    "CV_METRICS",
    "CURSOR_MODES",
    "LOSS_CHOICES",
    "RULES",
    "BIAS_PENALTIES",
    "COMPARE_LAMBDAS",
    "RESAMPLE_KINDS",
    "DataSource",
    "LabSettings",
    "PathSettings",
    "RunSettings",
    "Scales",
    "SettingsError",
    "lipschitz",
    "resolve",
    "scales",
    "strength_changes",
]

RULES = ("proximal", "subgradient")
LOSS_CHOICES = ("auto", "squared", "logistic")

#: Default λ₁ as a share of λ_max, for L1 and Elastic Net, everywhere.
DEFAULT_LAM1_SHARE = 0.05
#: Default λ₂ as a share of the data loss's curvature L_D, for L2 and Elastic Net.
DEFAULT_LAM2_SHARE = 0.1
#: Share of rows held out for the validation loss.
DEFAULT_VALIDATION = 0.2
#: Steps a headless run takes when none are asked for (the window opens at step 0).
DEFAULT_STEPS = 1000
#: Most steps a run (or a session to replay) may ask for: about an hour on a large
#: dataset; beyond it a typo (1e12) would hang the command line.
MAX_STEPS = 100_000_000
#: Most resamples the stability lab takes (each is a path).
MAX_RESAMPLES = 10_000
#: Largest validation share: at least a tenth of the rows stays for training.
MAX_VALIDATION = 0.9
#: Held-out error measures of cross-validation: 'auto' is the mean squared error for
#: squared loss and the deviance for logistic loss.
CV_METRICS = ("auto", "mse", "deviance", "misclassification")
#: What moving the λ cursor does: show the path's solution at once, or keep training
#: step by step from the current weights at the new λ.
CURSOR_MODES = ("jump", "train")
#: How the compare view chooses each penalty's strength: its own cross-validated
#: λ_1se, the run's strength α for all, or strengths that keep as many nonzero weights
#: as the run has (L2 keeps every weight, so it stays at its λ_1se there).
COMPARE_LAMBDAS = ("1se", "same", "nonzero")
#: The penalty of the bias–variance view: the run's (L1 when the run has no path
#: penalty), or one of the three chosen there.
BIAS_PENALTIES = ("run", "l1", "l2", "elasticnet")
#: Resamples of the stability lab: half-samples without replacement (stability
#: selection, Meinshausen & Bühlmann 2010) or bootstraps (n rows with replacement).
RESAMPLE_KINDS = ("half", "bootstrap")


class SettingsError(ValueError):
    """An invalid combination of settings; the message says which and why.
    ``setting`` names the field at fault when one does (so that a caller can name
    its own control or option)."""

    def __init__(self, message: str, setting: str | None = None):
        super().__init__(message)
        self.setting = setting


@dataclass(frozen=True)
class DataSource:
    """Where the data comes from.

    ``kind`` is ``'bundled'`` (``name`` and, for synthetic data, ``seed``) or
    ``'csv'`` (``path``; either the import choices below, read with
    :func:`engine.csv.read_csv`, or ``spec``, the full import record of the import
    dialog: the file's SHA-256, its format and the choices, as ``Dataset.source``
    holds it).

    ``degree``: the ``polynomial`` dataset's degree (1 to 20; None: its default, 15).

    The import choices of a CSV file: ``target`` (None: the file's own or the last
    numeric column); ``one_hot``, the text columns to one-hot encode (names, or
    ``'all'`` for every column of categories); ``positive_class``, the target's class
    coded +1 against the rest; ``target_as_number``, a target of a few whole numbers
    read as a number (squared loss) rather than as classes.
    """

    kind: str = "bundled"
    name: str = "houses"
    seed: int = 0
    path: str | None = None
    target: str | None = None
    one_hot: tuple[str, ...] | str = ()
    positive_class: str | None = None
    target_as_number: bool = False
    spec: dict | None = field(default=None, compare=False, hash=False)
    degree: int | None = None

    def __post_init__(self):
        if self.kind not in ("bundled", "csv"):
            raise SettingsError(f"unknown data source {self.kind!r}")
        if self.kind == "csv" and not self.path:
            raise SettingsError("a CSV data source needs a path")
        if isinstance(self.one_hot, list):  # read from a file
            object.__setattr__(self, "one_hot", tuple(self.one_hot))
        _check_choices(self)
        _check_degree(self)

    @classmethod
    def bundled(cls, name: str, seed: int = 0, degree: int | None = None) -> DataSource:
        return cls("bundled", name=name, seed=int(seed), degree=degree)

    @classmethod
    def csv(
        cls,
        path: str,
        target: str | None = None,
        *,
        one_hot: tuple[str, ...] | str = (),
        positive_class: str | None = None,
        target_as_number: bool = False,
    ) -> DataSource:
        return cls(
            "csv",
            name=_file_name(path),
            path=str(path),
            target=target,
            one_hot=one_hot,
            positive_class=positive_class,
            target_as_number=target_as_number,
        )

    def describe_choices(self) -> str:
        """The import choices in words ('' for the defaults)."""
        parts = []
        if self.target is not None:
            parts.append(f"target '{self.target}'")
        if self.one_hot == "all":
            parts.append("every column of categories one-hot encoded")
        elif self.one_hot:
            parts.append("one-hot encoded: " + ", ".join(self.one_hot))
        if self.positive_class is not None:
            parts.append(f"positive class {self.positive_class!r} against the rest")
        if self.target_as_number:
            parts.append("the target as a number")
        return "; ".join(parts)

    @classmethod
    def of_dataset(cls, source: dict | None, name: str = "data") -> DataSource:
        """The source recorded in ``Dataset.source`` (see engine.data)."""
        if not source:
            return cls._unsaved(name)
        if source.get("kind") == "bundled":
            return cls.bundled(
                source["name"], int(source.get("seed", 0)), source.get("degree")
            )
        path = str(source.get("path", ""))
        return cls("csv", name=_file_name(path), path=path, spec=dict(source))

    @classmethod
    def _unsaved(cls, name: str) -> DataSource:
        # data made in memory (a test, the geometry pane's own loss): it can be trained
        # on but not loaded again; kind 'bundled' with a name that no loader knows
        return cls("bundled", name=name)


def _file_name(path: str) -> str:
    return str(path).replace("\\", "/").rsplit("/", 1)[-1] or "data"


def _check_degree(src: DataSource) -> None:
    """A degree goes with the polynomial dataset only, from 1 to 20."""
    if src.degree is None:
        return
    if src.kind != "bundled" or src.name != "polynomial":
        raise SettingsError(
            f"only the polynomial dataset has a degree, not {src.name!r} "
            "(use --dataset polynomial)"
        )
    try:
        check_degree(src.degree)
    except DataError as e:
        raise SettingsError(str(e)) from None


def _check_choices(src: DataSource) -> None:
    """Refuse import choices that are malformed or do not go together."""
    chosen = (
        src.target is not None
        or src.one_hot != ()
        or src.positive_class is not None
        or src.target_as_number is not False
    )
    if src.kind == "bundled" and chosen:
        raise SettingsError(
            "a target column, one-hot encoding and a positive class go with a CSV file"
        )
    for key in ("target", "positive_class"):
        v = getattr(src, key)
        if v is not None and (not isinstance(v, str) or not v.strip()):
            raise SettingsError(f"the data source's {key} must be a non-empty text")
    oh = src.one_hot
    if not (
        oh == "all"
        or (isinstance(oh, tuple) and all(isinstance(c, str) and c.strip() for c in oh))
    ):
        raise SettingsError(
            "one-hot encoding takes column names or 'all', got " + repr(oh)
        )
    if not isinstance(src.target_as_number, bool):
        raise SettingsError("target_as_number must be true or false")
    if src.target_as_number and src.positive_class is not None:
        raise SettingsError(
            "choose a positive class or the target as a number, not both"
        )


@dataclass(frozen=True)
class PathSettings:
    """The λ grid of the regularization path and its cross-validation.

    The grid has ``n_alphas`` strengths, geometric, from α_max (where every L1 weight
    is exactly 0) down to ``alpha_min_ratio × α_max``. α is λ₁ for L1, λ₂ for L2 and
    λ₁ + λ₂ for Elastic Net at the run's L1 share ρ = λ₁ / (λ₁ + λ₂).
    Cross-validation uses ``folds`` contiguous blocks of rows (scikit-learn's
    ``KFold``), shuffled with the run's seed when ``shuffle``.
    """

    n_alphas: int = 100
    alpha_min_ratio: float = 1e-3
    folds: int = 5
    shuffle: bool = False
    metric: str = "auto"
    cursor: str = "jump"

    def __post_init__(self):
        n = self.n_alphas
        if isinstance(n, bool) or not isinstance(n, int) or n < 2:
            raise SettingsError(f"a path needs at least 2 strengths, got {n!r}")
        r = self.alpha_min_ratio
        if not (_finite(r) and 0 < r < 1):
            raise SettingsError(
                f"the smallest strength's ratio to the largest must lie in (0, 1), got {r!r}"
            )
        k = self.folds
        if isinstance(k, bool) or not isinstance(k, int) or k < 2:
            raise SettingsError(f"cross-validation needs at least 2 folds, got {k!r}")
        if not isinstance(self.shuffle, bool):
            raise SettingsError("shuffle must be true or false")
        _one_of(self.metric, CV_METRICS, "error measure")
        _one_of(self.cursor, CURSOR_MODES, "cursor mode")

    def replace(self, **changes) -> PathSettings:
        """A copy with ``changes``; SettingsError if the result is invalid."""
        unknown = set(changes) - {f.name for f in dataclasses.fields(self)}
        if unknown:
            raise SettingsError(
                f"unknown path setting(s): {', '.join(sorted(unknown))}"
            )
        return dataclasses.replace(self, **changes)


@dataclass(frozen=True)
class LabSettings:
    """The comparison of penalties and the resampling lab.

    ``compare_lambda``: how each penalty's strength is chosen in the compare view
    (:data:`COMPARE_LAMBDAS`). ``compare_l1_ratio``: the L1 share ρ of the Elastic Net
    there (the run's own ρ when the run is an Elastic Net). ``resamples``: B, the
    resamples of the stability lab, of kind ``resample`` (:data:`RESAMPLE_KINDS`),
    drawn with the run's seed. ``threshold``: the selection frequency above which a
    feature counts as stably selected (Meinshausen & Bühlmann use 0.6 to 0.9).
    The sweep of "when each penalty wins" draws synthetic data of ``sweep_n`` rows and
    ``sweep_d`` features in groups of ``sweep_group`` correlated at ``sweep_rho``,
    with noise of standard deviation ``sweep_noise``, and moves the number of true
    features k from 1 to d, over ``sweep_repeats`` draws of the data
    (:mod:`engine.sweep`). Its bias–variance view fits ``sweep_draws`` fresh draws
    with ``sweep_k`` true features (at most d) along λ (:mod:`engine.bias_variance`):
    fresh training sets of the generator, not the stability lab's resamples of the
    run's rows, so a number of their own; ``bias_penalty`` is its penalty
    (:data:`BIAS_PENALTIES`: the run's, or L1, L2 or Elastic Net).
    """

    compare_lambda: str = "1se"
    compare_l1_ratio: float = 0.5
    resamples: int = 100
    resample: str = "half"
    threshold: float = 0.6
    sweep_n: int = 100
    sweep_d: int = 40
    sweep_group: int = 4
    sweep_rho: float = 0.0
    sweep_noise: float = 1.0
    sweep_repeats: int = 5
    sweep_k: int = 4
    sweep_draws: int = 100
    bias_penalty: str = "run"

    def __post_init__(self):
        _one_of(self.compare_lambda, COMPARE_LAMBDAS, "way to choose λ")
        r = self.compare_l1_ratio
        if not (_finite(r) and 0 < r < 1):
            raise SettingsError(
                f"the compared Elastic Net's L1 share must lie in (0, 1), got {r!r}"
            )
        _whole(self.resamples, 2, MAX_RESAMPLES, "the number of resamples")
        _one_of(self.resample, RESAMPLE_KINDS, "kind of resample")
        t = self.threshold
        if not (_finite(t) and 0.5 <= t < 1):
            raise SettingsError(
                f"the stability threshold must lie in [0.5, 1), got {t!r}"
            )
        _whole(self.sweep_n, 10, 100_000, "the sweep's number of rows")
        _whole(self.sweep_d, 2, 1000, "the sweep's number of features")
        _whole(self.sweep_group, 1, self.sweep_d, "the sweep's group size")
        if not (_finite(self.sweep_rho) and 0 <= self.sweep_rho < 1):
            raise SettingsError(
                f"the sweep's correlation must lie in [0, 1), got {self.sweep_rho!r}"
            )
        if not (_finite(self.sweep_noise) and self.sweep_noise > 0):
            raise SettingsError(
                f"the sweep's noise must be a number > 0, got {self.sweep_noise!r}"
            )
        _whole(self.sweep_repeats, 1, 100, "the sweep's number of repeats")
        _whole(self.sweep_k, 1, 1000, "the number of true features")
        _whole(self.sweep_draws, 2, 10_000, "the bias–variance view's draws")
        _one_of(self.bias_penalty, BIAS_PENALTIES, "penalty of the bias–variance view")

    def replace(self, **changes) -> LabSettings:
        """A copy with ``changes``; SettingsError if the result is invalid."""
        unknown = set(changes) - {f.name for f in dataclasses.fields(self)}
        if unknown:
            raise SettingsError(f"unknown lab setting(s): {', '.join(sorted(unknown))}")
        return dataclasses.replace(self, **changes)


def _whole(v, low: int, high: int, what: str) -> None:
    if isinstance(v, bool) or not isinstance(v, int) or not low <= v <= high:
        raise SettingsError(
            f"{what} must be a whole number in [{low}, {high}], got {v!r}"
        )


@dataclass(frozen=True)
class RunSettings:
    """Everything that defines a run.

    Parameters
    ----------
    source : DataSource
    standardize : bool
        Centre every feature and scale it to standard deviation 1 (training rows).
    validation : float in [0, 0.9]
        Share of rows held out for the validation loss.
    split_seed : int
        Seed of the random training / validation split.
    loss : {'auto', 'squared', 'logistic'}
        'auto' becomes the dataset's natural loss in :func:`resolve`.
    penalty : {'none', 'l1', 'l2', 'elasticnet'}
    lam1, lam2 : float >= 0 or None
        L1 and L2 strengths (``P(w) = lam1‖w‖₁ + lam2/2 ‖w‖²``); None means the
        data's default (:func:`resolve`). Both are kept whatever the penalty, so that
        switching between L1, L2 and Elastic Net keeps each strength; only the ones
        the penalty uses act (:attr:`active_penalty`).
    l1_ratio : float in (0, 1] or None
        Elastic Net only, with both strengths left to the data: the L1 share
        ρ = λ₁/(λ₁ + λ₂) to default them at (:func:`resolve` sets λ₁ to its usual
        default and λ₂ = λ₁(1 − ρ)/ρ, then clears ``l1_ratio``: once resolved, ρ is
        read from the strengths).
    gamma : float or None
        SCAD's γ (> 2) or MCP's (> 1); None: their defaults (3.7 and 3). Kept
        whatever the penalty, like the strengths. SCAD, MCP and L0 (``penalty``
        'scad', 'mcp', 'l0') take their one strength from ``lam1``.
    rule : {'proximal', 'subgradient'}
    lr : float > 0 or 'auto'
        Step size η; 'auto' is 1/L.
    batch : int >= 1 or None
        Rows per mini-batch; None is full batch.
    seed : int
        Seed of the initial weights and of the mini-batch order.
    steps : int >= 0
        Training steps to take from the seeded start.
    solve : bool
        After the steps, solve to convergence (relative duality gap ``tol``).
    tol : float > 0
        Relative duality gap a solve, and each strength of a path, is solved to.
    path : PathSettings
        The λ grid and the cross-validation of the path and CV panes.
    lab : LabSettings
        The comparison of penalties, the resampling lab and the sweep over the
        number of true features.
    """

    source: DataSource = field(default_factory=DataSource)
    standardize: bool = True
    validation: float = DEFAULT_VALIDATION
    split_seed: int = 0
    loss: str = "auto"
    penalty: str = "l1"
    lam1: float | None = None
    lam2: float | None = None
    l1_ratio: float | None = None
    gamma: float | None = None
    rule: str = "proximal"
    lr: float | str = "auto"
    batch: int | None = None
    seed: int = 0
    steps: int = 0
    solve: bool = False
    tol: float = 1e-8
    path: PathSettings = field(default_factory=PathSettings)
    lab: LabSettings = field(default_factory=LabSettings)

    def __post_init__(self):
        _check(self)

    def replace(self, **changes) -> RunSettings:
        """A copy with ``changes``; SettingsError if the result is invalid."""
        unknown = set(changes) - {f.name for f in dataclasses.fields(self)}
        if unknown:
            raise SettingsError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict:
        """The settings as JSON-ready values (what a session file stores)."""
        d = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        d["source"] = {
            f.name: getattr(self.source, f.name)
            for f in dataclasses.fields(self.source)
        }
        d["path"] = dataclasses.asdict(self.path)
        d["lab"] = dataclasses.asdict(self.lab)
        return d

    @classmethod
    def from_dict(cls, d) -> RunSettings:
        """Settings from :meth:`to_dict`'s values (read from a file): SettingsError
        naming the first missing, unknown or invalid entry."""
        if not isinstance(d, dict):
            raise SettingsError("the settings must be a table of names and values")
        d = dict(d)
        d["source"] = _from_table(DataSource, d.get("source"), "source")
        d["path"] = _from_table(PathSettings, d.get("path", {}), "path")
        d["lab"] = _from_table(LabSettings, d.get("lab", {}), "lab")
        return _from_table(cls, d, "settings")

    def changed_fields(self, other: RunSettings) -> set[str]:
        """Names of the settings that differ between ``self`` and ``other``."""
        return {
            f.name
            for f in dataclasses.fields(self)
            if getattr(self, f.name) != getattr(other, f.name)
            or (f.name == "source" and self.source.spec != other.source.spec)
        }

    # -- derived views ---------------------------------------------------------------
    @property
    def resolved(self) -> bool:
        """Whether the data-dependent defaults are filled in (see :func:`resolve`)."""
        return self.loss != "auto" and self.lam1 is not None and self.lam2 is not None

    @property
    def active_penalty(self) -> Penalty:
        """The penalty this run trains with (needs resolved strengths)."""
        if not self.resolved:
            raise SettingsError("the strengths are not resolved for the data yet")
        return Penalty.make(
            self.penalty, lam1=self.lam1, lam2=self.lam2, gamma=self.gamma
        )


def _from_table(cls, d, what: str):
    if not isinstance(d, dict):
        raise SettingsError(f"{what} must be a table of names and values")
    names = {f.name for f in dataclasses.fields(cls)}
    unknown = set(d) - names
    if unknown:
        raise SettingsError(
            f"unknown {what} entr(ies): {', '.join(sorted(map(str, unknown)))}"
        )
    if cls is DataSource:
        if not isinstance(d.get("kind", "bundled"), str) or not isinstance(
            d.get("name", ""), str
        ):
            raise SettingsError("the data source's kind and name must be text")
        for key in ("path", "target", "positive_class"):
            if d.get(key) is not None and not isinstance(d[key], str):
                raise SettingsError(f"the data source's {key} must be text")
        if d.get("spec") is not None and not isinstance(d["spec"], dict):
            raise SettingsError("the data source's import record must be a table")
        seed = d.get("seed", 0)
        if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**63:
            raise SettingsError(
                f"the data source's seed must be a whole number >= 0, got {seed!r}"
            )
    try:
        return cls(**d)
    except TypeError as e:  # a dataclass's own complaint: a missing entry
        raise SettingsError(f"{what}: {e}") from None


def _check(s: RunSettings) -> None:
    """Refuse invalid settings with one sentence naming the setting."""
    if not isinstance(s.source, DataSource):
        raise SettingsError("source must be a DataSource")
    if not isinstance(s.standardize, bool):
        raise SettingsError("standardize must be true or false")
    if not _finite(s.validation) or not 0.0 <= s.validation <= MAX_VALIDATION:
        raise SettingsError(
            f"the validation share must lie in [0, {MAX_VALIDATION}], "
            f"got {s.validation!r}"
        )
    for name in ("split_seed", "seed"):
        v = getattr(s, name)
        if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v < 2**63:
            raise SettingsError(f"{name} must be a whole number >= 0, got {v!r}")
    _one_of(s.loss, LOSS_CHOICES, "loss")
    _one_of(s.penalty, PENALTY_KINDS, "penalty")
    for name in ("lam1", "lam2"):
        v = getattr(s, name)
        if v is not None and not (_finite(v) and v >= 0):
            raise SettingsError(f"{name} must be a finite number >= 0, got {v!r}")
    if s.l1_ratio is not None:
        if not (_finite(s.l1_ratio) and 0 < s.l1_ratio <= 1):
            raise SettingsError(
                f"the L1 share (l1_ratio) must lie in (0, 1], got {s.l1_ratio!r}"
            )
        if s.penalty != "elasticnet":
            raise SettingsError(
                "an L1 share (l1_ratio) goes with the Elastic Net penalty"
            )
        if s.lam1 is not None or s.lam2 is not None:
            raise SettingsError(
                "give either the strengths λ₁ and λ₂ or an L1 share (l1_ratio), not both"
            )
    if s.gamma is not None:
        kind = s.penalty if s.penalty in DEFAULT_GAMMA else "mcp"  # kept: γ > 1
        try:
            check_gamma(kind, s.gamma)
        except ValueError as e:
            raise SettingsError(str(e), setting="gamma") from None
    _one_of(s.rule, RULES, "update rule")
    if s.penalty in NONCONVEX_KINDS and s.rule != "proximal":
        raise SettingsError(
            "SCAD, MCP and L0 are trained with the proximal rule (their thresholding "
            "functions); the naive subgradient rule goes with L1, L2 and Elastic Net",
            setting="rule",
        )
    if s.lr != "auto" and not (_finite(s.lr) and s.lr > 0):
        raise SettingsError(
            f"the step size must be a finite number > 0 or 'auto', got {s.lr!r}"
        )
    if s.batch is not None and (
        isinstance(s.batch, bool) or not isinstance(s.batch, int) or s.batch < 1
    ):
        raise SettingsError(
            f"the batch size must be a whole number >= 1, got {s.batch!r}"
        )
    if (
        isinstance(s.steps, bool)
        or not isinstance(s.steps, int)
        or not 0 <= s.steps <= MAX_STEPS
    ):
        raise SettingsError(
            f"steps must be a whole number in [0, {MAX_STEPS:,}], got {s.steps!r}"
        )
    if not isinstance(s.solve, bool):
        raise SettingsError("solve must be true or false")
    if not (_finite(s.tol) and s.tol > 0):
        raise SettingsError(f"the tolerance must be a finite number > 0, got {s.tol!r}")
    if not isinstance(s.path, PathSettings):
        raise SettingsError("path must be a PathSettings")
    if not isinstance(s.lab, LabSettings):
        raise SettingsError("lab must be a LabSettings")


def _one_of(value, choices: tuple[str, ...], what: str) -> None:
    if value not in choices:
        raise SettingsError(
            f"unknown {what} {value!r}; choose one of {', '.join(choices)}"
        )


def _finite(v) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


def strength_changes(pen: Penalty) -> dict:
    """The settings a penalty fixes: the strengths its kind uses (and SCAD's and
    MCP's γ), to edit into a RunSettings (after a replay, or from a session)."""
    changes: dict = {}
    if pen.kind in ("l1", "elasticnet", *NONCONVEX_KINDS):
        changes["lam1"] = pen.lam1
    if pen.kind in ("l2", "elasticnet"):
        changes["lam2"] = pen.lam2
    if pen.gamma is not None:
        changes["gamma"] = pen.gamma
    return changes


# -- data-dependent defaults: computed here and nowhere else ---------------------------
@dataclass(frozen=True)
class Scales:
    """The data's natural units for the strengths and the step size.

    ``lam_max``: the smallest λ₁ that makes every weight exactly 0.
    ``curvature``: L_D, the Lipschitz constant of the data loss's gradient.
    """

    lam_max: float
    curvature: float

    @property
    def default_lam1(self) -> float:
        return DEFAULT_LAM1_SHARE * self.lam_max

    @property
    def default_lam2(self) -> float:
        return DEFAULT_LAM2_SHARE * self.curvature


def scales(data, loss: str) -> Scales:
    """λ_max and L_D of prepared ``data`` (a TrainingData) under ``loss``."""
    from .losses import get_loss
    from .solvers import lambda_max

    return Scales(
        lam_max=lambda_max(data, loss),
        curvature=get_loss(loss).curvature * data.curvature,
    )


def lipschitz(data, loss: str, lam2: float) -> float:
    """``L = L_D + λ₂``: steps up to 1/L decrease the objective, beyond 2/L
    full-batch gradient descent diverges."""
    from .losses import get_loss

    return get_loss(loss).curvature * data.curvature + lam2


def resolve(settings: RunSettings, data) -> RunSettings:
    """``settings`` with the loss and the strengths made concrete for prepared
    ``data``; SettingsError for a loss the target does not allow."""
    task = data.dataset.task
    loss = settings.loss
    if loss == "auto":
        loss = "logistic" if task == "classification" else "squared"
    if loss == "logistic" and task != "classification":
        raise SettingsError(
            "logistic loss needs a two-class target; "
            f"{data.dataset.target_name!r} has more than two values",
            setting="loss",
        )
    if loss == "logistic" and settings.penalty in NONCONVEX_KINDS:
        raise SettingsError(
            "SCAD, MCP and L0 are fitted with squared loss here; choose L1, L2 or "
            "Elastic Net for logistic loss",
            setting="penalty",
        )
    changes: dict = {"loss": loss}
    if settings.lam1 is None or settings.lam2 is None:
        sc = scales(data, loss)
        if settings.lam1 is None:
            changes["lam1"] = sc.default_lam1
        if settings.l1_ratio is not None:  # the Elastic Net at that L1 share
            rho = settings.l1_ratio
            changes["lam2"] = sc.default_lam1 * (1.0 - rho) / rho
            changes["l1_ratio"] = None
        elif settings.lam2 is None:
            changes["lam2"] = sc.default_lam2
    return settings.replace(**changes)
