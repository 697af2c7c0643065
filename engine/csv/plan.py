"""The column plan: what importing a table will do, column by column.

:class:`ImportChoices` is the plain record of a decision (target, features, one-hot
columns, missing values, loss, the positive class) that
:func:`~engine.csv.build.build_dataset` carries out and a saved session stores.
:class:`ImportPlan` is the same decision while it is being made: it answers the
questions the import dialog asks (is this column a feature, the target, what will
importing it do, how many columns will one-hot encoding add, how many rows have
missing values, what will be imported, and if nothing can be, why not) and takes its
edits. :func:`default_choices` is the decision the command line makes from its
options. Every rule lives here, so the dialog and the command line decide alike.

The target: two distinct values are two classes (logistic loss) unless the loss is
squared. A target with more classes (categories, or few whole numbers: see
:func:`~engine.csv.columns.target_classes`) is never silently a number: either one
class is chosen as positive, against the rest (logistic loss), or the loss is set to
squared, which treats the target as a number.
"""

from __future__ import annotations

from dataclasses import dataclass

from .columns import (
    KINDS,
    ColumnInfo,
    distinct_values,
    few_distinct_values,
    missing_mask,
    target_classes,
)
from .errors import ChoiceError, CSVError
from .read import Table

__all__ = [
    "ImportChoices",
    "ImportPlan",
    "default_choices",
    "missing_summary",
    "target_problem",
]


@dataclass
class ImportChoices:
    """What to make of a table. ``features=None`` means every numeric column.

    ``loss``: 'auto' (logistic for two classes, else squared), 'logistic', or
    'squared', which treats the target as a number whatever its values.
    ``positive_class``: the class coded +1, every other class −1 (one against the
    rest); None: the larger of two values (sorted), and no choice for more classes.
    """

    target: str | None = None
    features: tuple[str, ...] | None = None
    onehot: tuple[str, ...] = ()
    missing: str = "drop"  # 'drop' rows, or fill features with the column 'mean'
    loss: str = "auto"
    positive_class: str | None = None


def _shown(names, k: int = 8) -> str:
    names = list(names)
    return ", ".join(names[:k]) + (" …" if len(names) > k else "")


def default_choices(
    table: Table,
    target: str | None = None,
    *,
    one_hot: tuple[str, ...] | str = (),
    positive_class: str | None = None,
    target_as_number: bool = False,
) -> ImportChoices:
    """The import the command line asks for: ``target`` (default: the column the
    file names as its target, else the last numeric column, else the last two-class
    text column), every other numeric column as a feature, the text columns
    ``one_hot`` (or ``'all'`` categories) one-hot encoded, and the target's
    ``positive_class`` or, ``target_as_number``, the target as a number (squared loss).
    :class:`~engine.csv.errors.ChoiceError` names the choice that does not fit."""
    name = table.path.name
    numeric = [c.name for c in table.columns if c.kind == "numeric"]
    if target is None:
        target = table.target
    if target is None:
        if not numeric:
            two = [
                c.name
                for c in table.columns
                if c.kind == "categorical" and c.n_unique == 2
            ]
            if not two:
                raise ChoiceError(
                    f"{name}: no numeric column to use as the "
                    "target (the columns hold text, dates or IDs)",
                    "target",
                )
            target = two[-1]
        else:
            target = numeric[-1]
    try:
        col = table.column(target)
    except CSVError as e:
        raise ChoiceError(str(e), "target") from None
    onehot = _one_hot(table, target, one_hot)
    feats = tuple(n for n in numeric if n != target)
    if target_as_number and positive_class is not None:
        raise ChoiceError(
            f"{name}: a positive class makes the target two classes; it does "
            "not go with treating the target as a number",
            "positive_class",
        )
    del col  # the target itself is checked by target_problem, when it is built
    return ImportChoices(
        target=target,
        features=feats,
        onehot=onehot,
        loss="squared" if target_as_number else "auto",
        positive_class=positive_class,
    )


def _one_hot(table: Table, target: str, wanted) -> tuple[str, ...]:
    """The columns ``wanted`` one-hot encoded: 'all' categories, or those named
    (text columns other than the target)."""
    if wanted == "all":
        return tuple(
            c.name
            for c in table.columns
            if c.kind == "categorical" and c.name != target
        )
    out = []
    for cname in wanted:
        try:
            c = table.column(cname)
        except CSVError as e:
            raise ChoiceError(str(e), "one_hot") from None
        why = ""
        if cname == target:
            why = "it is the target"
        elif becomes_numbers(c):
            why = f"it holds {KINDS[c.kind]}s, which are used as they are"
        elif c.kind == "empty":
            why = "it is empty"
        if why:
            raise ChoiceError(
                f"{table.path.name}: column '{cname}' cannot be one-hot encoded: "
                f"{why} (one-hot encoding is for text columns)",
                "one_hot",
            )
        if cname not in out:
            out.append(cname)
    return tuple(out)


def target_problem(table: Table, choices: ImportChoices) -> ChoiceError | None:
    """Why the target of ``choices`` cannot be imported as they stand, or None."""
    name = table.path.name
    col = table.column(choices.target)
    t = f"the target '{col.name}'"
    if col.kind == "empty":
        return ChoiceError(f"{name}: {t} is empty", "target")
    if col.is_number:  # only whether there are 0, 1, 2 or more values matters
        few = few_distinct_values(col, 2)
        n_values = 3 if few is None else few.size
    else:
        n_values = distinct_values(col).size
    if n_values < 2:
        return ChoiceError(f"{name}: {t} takes a single value", "target")
    classes = target_classes(col)
    pc = choices.positive_class
    if pc is not None:
        if choices.loss == "squared":
            return ChoiceError(
                f"{name}: a positive class makes {t} two classes; it does not go "
                "with squared loss",
                "positive_class",
            )
        if classes is None:
            return ChoiceError(
                f"{name}: {t} is not a column of classes ({KINDS[col.kind]}), so it "
                "has no positive class",
                "positive_class",
            )
        if pc not in classes:
            return ChoiceError(
                f"{name}: {pc!r} is not a class of {t}; its classes are "
                f"{_shown(classes)}",
                "positive_class",
                classes,
            )
        return None
    if n_values == 2:  # two classes; with squared loss their codes −1, +1
        return None
    if choices.loss == "squared":
        if col.is_number:
            return None
        return ChoiceError(
            f"{name}: {t} holds text with {n_values} distinct values; it cannot "
            "be treated as a number",
            "target_as_number",
        )
    if col.is_number:
        if classes is not None:
            return ChoiceError(
                f"{name}: {t} has {len(classes)} classes ({_shown(classes)})",
                "positive_class",
                classes,
                advice="choose its positive class (that class against the rest, "
                "logistic loss) or treat it as a number (squared loss)",
                alternatives=("positive_class", "target_as_number"),
            )
        if choices.loss == "logistic":
            return ChoiceError(
                f"{name}: logistic loss needs a target with two values; "
                f"'{col.name}' has {distinct_values(col).size}",
                "target",
            )
        return None
    if classes is not None:
        return ChoiceError(
            f"{name}: {t} has {len(classes)} classes ({_shown(classes)})",
            "positive_class",
            classes,
            advice="choose its positive class (that class against the rest, "
            "logistic loss); text cannot be treated as a number",
            alternatives=("positive_class",),
        )
    return ChoiceError(
        f"{name}: the target column '{col.name}' holds text with "
        f"{n_values} distinct values; it must be numeric or have "
        "classes",
        "target",
    )


def missing_summary(table: Table, choices: ImportChoices) -> tuple[int, int]:
    """``(rows with a missing target or feature, missing feature cells in rows with a
    target)``, from the columns' missing-value masks (cheap even for a million rows)."""
    y_missing = missing_mask(table.column(choices.target))
    rows = y_missing.copy()
    cells = 0
    feats = choices.features
    if feats is None:
        feats = [c.name for c in table.columns if c.kind == "numeric"]
    for name in {*feats, *choices.onehot} - {choices.target}:
        m = missing_mask(table.column(name))
        rows |= m
        cells += int((m & ~y_missing).sum())
    return int(rows.sum()), cells


def becomes_numbers(col: ColumnInfo) -> bool:
    """Whether a used column enters as itself (numbers, dates as days, numeric IDs)
    rather than one-hot encoded (categories, free text, text IDs)."""
    return col.kind in ("numeric", "date") or (col.kind == "id" and col.is_number)


class ImportPlan:
    """The import of ``table`` being decided: one target, the columns used, what to
    do with missing values and which loss. ``missing`` and ``loss`` may be set
    directly; :meth:`choices` is the decision."""

    def __init__(self, table: Table, choices: ImportChoices):
        self.table = table
        self.target = choices.target
        feats = choices.features
        if feats is None:
            feats = [c.name for c in table.columns if c.kind == "numeric"]
        wanted = {*feats, *choices.onehot}
        self._used = {
            c.name for c in table.columns if c.name in wanted and c.kind != "empty"
        }
        self.missing = choices.missing
        self.loss = choices.loss
        self.positive_class = choices.positive_class
        # per target: a million rows are not cheap
        self._classes: dict[str, tuple[str, ...] | None] = {}
        self._values: dict[str, int] = {}
        self._problems: dict[tuple, ChoiceError | None] = {}

    @classmethod
    def suggest(
        cls, table: Table, target: str | None = None
    ) -> tuple[ImportPlan, str | None]:
        """The default plan, with ``target`` if the table has it: ``(plan,
        problem)``; ``problem`` says why no target could be chosen (then the plan
        has none and the user must pick one)."""
        if target not in table.names:
            target = None
        try:
            return cls(table, default_choices(table, target)), None
        except CSVError as e:
            return cls(table, ImportChoices(target=None, features=())), str(e)

    # -- questions about one column --------------------------------------------------
    def kind(self, name: str) -> str:
        """The column's kind in words (number, categories, free text, date, ID,
        empty)."""
        return KINDS[self.table.column(name).kind]

    def missing_cells(self, name: str) -> int:
        return self.table.column(name).n_missing

    def is_target(self, name: str) -> bool:
        return name == self.target

    def is_feature(self, name: str) -> bool:
        """Whether the column is used (as itself or one-hot encoded)."""
        return name in self._used and name != self.target

    def can_choose(self, name: str) -> bool:
        """Whether the column can be a feature or the target (not if it is empty)."""
        return self.table.column(name).kind != "empty"

    def meaning(self, name: str) -> str:
        """What importing the column means, in a few words."""
        c = self.table.column(name)
        if name == self.target:
            return "the target"
        if c.kind == "empty":
            return "nothing: the column is empty"
        if not self.is_feature(name):
            return {
                "id": "skipped (an identifier)",
                "date": "skipped",
                "text": "skipped (tick to one-hot encode)",
                "categorical": "skipped (tick to one-hot encode)",
            }.get(c.kind, "skipped")
        if not becomes_numbers(c):
            return f"one-hot: {c.onehot_columns} new columns"
        if c.kind == "date":
            return "days since 1970-01-01"
        extra = []
        if c.n_bad:
            extra.append(f"{c.n_bad} non-numbers become missing")
        if c.converted:
            extra.append("thousands separators removed")
        return "a feature" + (f" ({'; '.join(extra)})" if extra else "")

    # -- edits -----------------------------------------------------------------------
    def set_feature(self, name: str, on: bool) -> bool:
        """Use the column or not; False if it cannot be chosen."""
        if not self.can_choose(name):
            return False
        if on:
            self._used.add(name)
        else:
            self._used.discard(name)
        return True

    def set_target(self, name: str) -> bool:
        """Make the column the target (it stops being a feature)."""
        if not self.can_choose(name):
            return False
        if name != self.target:
            self.positive_class = None
        self.target = name
        self._used.discard(name)
        return True

    # -- the whole import ------------------------------------------------------------
    def choices(self) -> ImportChoices:
        feats, onehot = [], []
        for c in self.table.columns:
            if self.is_feature(c.name):
                (feats if becomes_numbers(c) else onehot).append(c.name)
        return ImportChoices(
            self.target,
            tuple(feats),
            tuple(onehot),
            self.missing,
            self.loss,
            None if self.loss == "squared" else self.positive_class,
        )

    def n_feature_columns(self) -> int:
        """Feature columns the import makes (one-hot columns counted one by one)."""
        ch = self.choices()
        return len(ch.features) + sum(
            self.table.column(c).onehot_columns for c in ch.onehot
        )

    def missing_summary(self) -> tuple[int, int]:
        """See :func:`missing_summary`."""
        return missing_summary(self.table, self.choices())

    def missing_line(self) -> str:
        rows, cells = self.missing_summary()
        return f"{rows:,} row(s) have a missing value ({cells:,} feature cell(s))"

    def rows_kept(self) -> int:
        """About how many rows the import keeps (before constant columns and
        infinities are looked at)."""
        if self.missing == "mean":
            lost = int(missing_mask(self.table.column(self.target)).sum())
        else:
            lost = self.missing_summary()[0]
        return self.table.n_rows - lost

    def classes(self) -> tuple[str, ...] | None:
        """The classes the target can be read as (see
        :func:`~engine.csv.columns.target_classes`), or None."""
        if self.target is None:
            return None
        if self.target not in self._classes:
            col = self.table.column(self.target)
            self._classes[self.target] = target_classes(col)
            self._values[self.target] = distinct_values(col).size
        return self._classes[self.target]

    def two_classes(self) -> bool:
        """Whether the target has exactly two distinct values."""
        self.classes()
        return self._values.get(self.target) == 2

    def is_classification(self) -> bool:
        """A two-valued target, or one class against the rest, is classification
        (logistic loss) unless the loss is set to squared."""
        if self.target is None or self.loss == "squared":
            return False
        return self.two_classes() or (
            self.positive_class is not None
            and self.positive_class in (self.classes() or ())
        )

    def problem(self) -> str:
        """Why Import is unavailable, in one sentence; '' if it is available."""
        if self.target is None:
            return "No target column is chosen: tick one in the 'target' column."
        if self.n_feature_columns() == 0:
            return (
                "No feature column is used: tick 'use' for at least one column "
                "besides the target."
            )
        ch = self.choices()
        key = (ch.target, ch.loss, ch.positive_class)
        if key not in self._problems:
            self._problems[key] = target_problem(self.table, ch)
        err = self._problems[key]
        if err is None:
            return ""
        text = str(err).removeprefix(f"{self.table.path.name}: ")
        text = text.replace("; choose", ": choose", 1)
        return text[:1].upper() + text[1:] + "."

    def can_import(self) -> bool:
        return not self.problem()

    def summary(self) -> str:
        """One line: what Import will make."""
        if self.target is None:
            return ""
        classes = self.classes() or ()
        pc = self.positive_class
        if len(classes) > 2 and pc is None and self.loss != "squared":
            kind = f"{len(classes)} classes: choose the positive class"
        elif not self.is_classification():
            kind = "regression → squared loss"
        elif pc is not None and len(classes) > 2:
            kind = f"{pc} against the other {len(classes) - 1} classes → logistic loss"
        elif pc is not None:
            kind = f"two classes, {pc} → +1 → logistic loss"
        else:
            kind = "two classes → logistic loss"
        return (
            f"Will import about {self.rows_kept():,} rows × "
            f"{self.n_feature_columns()} feature columns; target '{self.target}' "
            f"({kind}). Constant columns are dropped and listed."
        )
