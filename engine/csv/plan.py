"""The column plan: what importing a table will do, column by column.

:class:`ImportChoices` is the plain record of a decision (target, features, one-hot
columns, missing values, loss) that :func:`~engine.csv.build.build_dataset` carries
out and a saved session stores. :class:`ImportPlan` is the same decision while it is
being made: it answers the questions the import dialog asks (is this column a feature,
the target, what will importing it do, how many columns will one-hot encoding add,
how many rows have missing values, what will be imported) and takes its edits. Every
rule lives here, so the dialog and the command line decide alike.
"""

from __future__ import annotations

from dataclasses import dataclass

from .columns import KINDS, ColumnInfo, distinct_values, missing_mask
from .errors import CSVError
from .read import Table

__all__ = ["ImportChoices", "ImportPlan", "default_choices", "missing_summary"]


@dataclass
class ImportChoices:
    """What to make of a table. ``features=None`` means every numeric column."""

    target: str | None = None
    features: tuple[str, ...] | None = None
    onehot: tuple[str, ...] = ()
    missing: str = "drop"  # 'drop' rows, or fill features with the column 'mean'
    loss: str = "auto"  # 'auto': logistic for a two-class target, else squared


def default_choices(table: Table, target: str | None = None) -> ImportChoices:
    """The last numeric column as target (else the last two-class text column),
    every other numeric column as a feature."""
    numeric = [c.name for c in table.columns if c.kind == "numeric"]
    if target is None:
        if not numeric:
            two = [
                c.name
                for c in table.columns
                if c.kind == "categorical" and c.n_unique == 2
            ]
            if not two:
                raise CSVError(
                    f"{table.path.name}: no numeric column to use as the "
                    "target (the columns hold text, dates or IDs)"
                )
            target = two[-1]
        else:
            target = numeric[-1]
    table.column(target)  # exists?
    feats = tuple(n for n in numeric if n != target)
    return ImportChoices(target=target, features=feats)


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
        self._two: dict[str, bool] = {}  # per target: a million rows are not cheap

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
            self.target, tuple(feats), tuple(onehot), self.missing, self.loss
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

    def two_classes(self) -> bool:
        """Whether the target has exactly two distinct values."""
        if self.target not in self._two:
            values = distinct_values(self.table.column(self.target))
            self._two[self.target] = values.size == 2
        return self._two[self.target]

    def is_classification(self) -> bool:
        """A two-valued target is classification (logistic loss) unless the loss is
        set to squared."""
        return self.two_classes() and self.loss != "squared"

    def can_import(self) -> bool:
        return self.target is not None and self.n_feature_columns() > 0

    def summary(self) -> str:
        """One line: what Import will make."""
        if self.target is None:
            return ""
        kind = (
            "two classes → logistic loss"
            if self.is_classification()
            else "regression → squared loss"
        )
        return (
            f"Will import about {self.rows_kept():,} rows × "
            f"{self.n_feature_columns()} feature columns; target '{self.target}' "
            f"({kind}). Constant columns are dropped and listed."
        )
