"""From a parsed CSV table to a :class:`~engine.data.Dataset`, saying what changed.

:func:`load_table` parses a file (see :mod:`engine.csv_format`) and classifies every
column: ``numeric``, ``categorical`` (few distinct text values: can be one-hot encoded),
``text`` (many distinct values), ``date``, ``id`` (a unique key), ``empty``. The user's
:class:`ImportChoices` (target, features, one-hot, missing values, loss) then turn it
into a dataset with :func:`build_dataset`, which reports every column or row it drops
and every value it converts. :func:`read_csv` does all of it with the defaults: the
target is the last numeric column, the features every other numeric column, text
columns and dates and IDs are skipped, rows with missing values are dropped.

Anything unusable raises :class:`~engine.csv_format.CSVError`, whose message names the
file and the line or column; nothing else escapes these functions.
"""

from __future__ import annotations

import os
import re
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .csv_format import CSVCancelled, CSVError, CSVFormat, read_frame, sniff
from .data import Dataset

__all__ = [
    "CSVCancelled",
    "CSVError",
    "ColumnInfo",
    "ImportChoices",
    "Table",
    "build_dataset",
    "default_choices",
    "load_table",
    "read_csv",
]

#: Text columns with at most this many distinct values count as categorical.
MAX_LEVELS = 50
#: Numbers beyond this size overflow when squared (standardizing needs squares).
HUGE = 1e150
_ID_NAME = re.compile(r"(^|[_\s.-])(id|uuid|key|index)$|^(id|uuid|row|index)$", re.I)


@dataclass
class ColumnInfo:
    """What a column holds. ``values`` are floats for numeric, dates and ids that are
    numbers; text (``object``) otherwise."""

    name: str
    kind: str
    n_missing: int
    n_unique: int
    n_bad: int = 0  # cells that are not numbers in a numeric column
    converted: str = ""  # how text became numbers (thousands separators, ...)
    values: np.ndarray | None = None

    @property
    def onehot_columns(self) -> int:
        """Columns a one-hot encoding adds (one per distinct value)."""
        return self.n_unique


@dataclass
class Table:
    """A parsed file: its format, columns and notes (renamed duplicates, skipped rows,
    encoding)."""

    path: Path
    fmt: CSVFormat
    columns: list[ColumnInfo]
    n_rows: int
    notes: list[str] = field(default_factory=list)
    sha256: str = ""  # of the file's bytes, so a saved session can tell if it changed
    skip_bad_lines: bool = False

    def column(self, name: str) -> ColumnInfo:
        index = self.__dict__.get("_index")
        if index is None or len(index) != len(self.columns):  # names are unique
            index = self.__dict__["_index"] = {c.name: c for c in self.columns}
        if name in index:
            return index[name]
        raise CSVError(
            f"{self.path.name}: no column named '{name}'; columns are "
            + ", ".join(c.name for c in self.columns[:12])
            + (" …" if len(self.columns) > 12 else "")
        )

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


def _as_numbers(col: pd.Series, fmt: CSVFormat) -> tuple[np.ndarray, int, str]:
    """Text to floats: plain numbers, then with thousands separators removed."""
    raw = col.astype("string").str.strip()
    present = (raw.notna() & (raw != "")).to_numpy()
    text = raw.str.replace(fmt.decimal, ".", regex=False) if fmt.decimal != "." else raw
    num = pd.to_numeric(text, errors="coerce").to_numpy(
        dtype=np.float64, na_value=np.nan
    )
    how = ""
    bad = present & np.isnan(num)
    if bad.any():
        # 1,234.5 or 1 234.5 (decimal point); 1.234,5 or 1 234,5 (decimal comma)
        seps = (",'" if fmt.decimal == "." else ".") + " \u00a0\u202f"
        cls = "[" + re.escape(seps) + "]"
        pat = rf"^[+-]?\d{{1,3}}({cls}\d{{3}})+({re.escape(fmt.decimal)}\d+)?$"
        grouped = raw.str.match(pat, na=False).to_numpy() & bad
        if grouped.any():
            cleaned = raw[grouped].str.replace(cls, "", regex=True)
            if fmt.decimal != ".":
                cleaned = cleaned.str.replace(fmt.decimal, ".", regex=False)
            num[grouped] = pd.to_numeric(cleaned, errors="coerce").to_numpy(
                dtype=np.float64, na_value=np.nan
            )
            first = int(np.flatnonzero(grouped)[0])
            how = (
                f"thousands separators removed ({int(grouped.sum())} cell(s), e.g. "
                f"{raw.iloc[first]} → {num[first]:g})"
            )
    n_bad = int((present & np.isnan(num)).sum())
    return num, n_bad, how


def _looks_like_dates(text: pd.Series) -> np.ndarray | None:
    """Days since 1970-01-01 when at least 90% of the cells are dates, else None."""
    sample = text.dropna().astype(str).str.strip()
    sample = sample[sample != ""]
    if sample.empty or not sample.str.contains(r"\d").all():
        return None
    head = sample.iloc[:200]
    for fmt in ("ISO8601", "%d/%m/%Y", "%m/%d/%Y", "%d.%m.%Y", "%Y/%m/%d"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            parsed = pd.to_datetime(head, format=fmt, errors="coerce")
        if parsed.notna().mean() >= 0.9:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                full = pd.to_datetime(
                    text.astype("string"), format=fmt, errors="coerce"
                )
            if full.notna().sum() >= 0.9 * len(sample):
                days = (full - pd.Timestamp("1970-01-01")) / pd.Timedelta(days=1)
                return days.to_numpy(dtype=np.float64, na_value=np.nan)
    return None


def classify(name: str, col: pd.Series, fmt: CSVFormat, n_rows: int) -> ColumnInfo:
    """Decide what kind of column ``col`` is (see the module docstring)."""
    numeric_dtype = pd.api.types.is_numeric_dtype(
        col.dtype
    ) and not pd.api.types.is_bool_dtype(col.dtype)
    if numeric_dtype:  # the fast path: pandas parsed every cell as a number
        values = col.to_numpy(dtype=np.float64, na_value=np.nan)
        missing = np.isnan(values)
        n_bad, how = 0, ""
    else:
        missing = (col.isna() | (col.astype("string").str.strip() == "")).to_numpy()
    n_missing = int(missing.sum())
    present = n_rows - n_missing
    if present == 0:
        return ColumnInfo(name, "empty", n_missing, 0)
    if not numeric_dtype:
        values, n_bad, how = _as_numbers(col, fmt)
    if n_bad <= present / 2:
        if _ID_NAME.search(name) and present > 2:  # a numeric key, if unique integers
            finite = values[np.isfinite(values)]
            n_unique = np.unique(finite).size
            if n_unique == present and np.all(finite == np.round(finite)):
                return ColumnInfo(name, "id", n_missing, n_unique, values=values)
        return ColumnInfo(name, "numeric", n_missing, -1, n_bad, how, values)
    text = col.astype("string").str.strip()
    n_unique = int(text[~missing].nunique())
    days = _looks_like_dates(text)
    if days is not None:
        return ColumnInfo(name, "date", n_missing, n_unique, values=days)
    if (
        n_unique == present
        and present > 2
        and (present > MAX_LEVELS or _ID_NAME.search(name))
    ):
        return ColumnInfo(name, "id", n_missing, n_unique, values=text.to_numpy(object))
    kind = (
        "categorical"
        if n_unique <= MAX_LEVELS and n_unique < max(present, 3)
        else "text"
    )
    return ColumnInfo(name, kind, n_missing, n_unique, values=text.to_numpy(object))


def load_table(
    path,
    fmt: CSVFormat | None = None,
    *,
    skip_bad_lines=False,
    progress=None,
    cancel=None,
) -> Table:
    """Parse and classify ``path``. ``fmt`` defaults to :func:`sniff`'s guess."""
    path = Path(path)
    notes: list[str] = []
    if fmt is None:
        fmt, notes = sniff(path)
    frame, more = read_frame(
        path, fmt, skip_bad_lines=skip_bad_lines, progress=progress, cancel=cancel
    )
    notes += more
    if len(frame) == 0:
        raise CSVError(f"{path.name}: has a header row but no data rows")
    n = len(frame)
    digest = file_sha256(path)
    columns = []
    for k, name in enumerate(frame.columns):
        columns.append(classify(str(name), frame.iloc[:, k], fmt, n))
        if cancel is not None and k % 200 == 0 and cancel():
            raise CSVCancelled()
    return Table(path, fmt, columns, n, notes, digest, skip_bad_lines)


def file_sha256(path) -> str:
    """SHA-256 of a file's bytes (read in 1 MB blocks)."""
    import hashlib

    h = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(2**20), b""):
                h.update(block)
    except OSError as e:
        raise CSVError(
            f"{Path(path).name}: cannot be read: {e.strerror or e}"
        ) from None
    return h.hexdigest()


@dataclass
class ImportChoices:
    """What to make of a table. ``features=None`` means every numeric column."""

    target: str | None = None
    features: tuple[str, ...] | None = None
    onehot: tuple[str, ...] = ()
    missing: str = "drop"  # 'drop' rows, or fill features with the column 'mean'
    loss: str = "auto"  # 'auto': logistic for a two-class target, else squared


def default_choices(table: Table, target: str | None = None) -> ImportChoices:
    """The last numeric column as target, every other numeric column as a feature."""
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


def _rows(rows: np.ndarray) -> str:
    shown = ", ".join(str(int(r) + 1) for r in rows[:6])
    return shown + (" …" if rows.size > 6 else "")


def missing_summary(table: Table, choices: ImportChoices) -> tuple[int, int]:
    """``(rows with a missing target or feature, missing feature cells in rows with a
    target)``, from the columns' missing-value masks (cheap even for a million rows)."""
    y_missing = _missing_mask(table.column(choices.target))
    rows = y_missing.copy()
    cells = 0
    feats = choices.features
    if feats is None:
        feats = [c.name for c in table.columns if c.kind == "numeric"]
    for name in {*feats, *choices.onehot} - {choices.target}:
        m = _missing_mask(table.column(name))
        rows |= m
        cells += int((m & ~y_missing).sum())
    return int(rows.sum()), cells


def _missing_mask(col: ColumnInfo) -> np.ndarray:
    if col.values is None:
        return np.ones(col.n_missing, dtype=bool)
    v = col.values
    if v.dtype.kind == "f":
        return ~np.isfinite(v)
    return pd.Series(v, dtype="string").fillna("").eq("").to_numpy()


def _target(table: Table, choices: ImportChoices):
    name = table.path.name
    col = table.column(choices.target)
    if col.kind in ("numeric", "id", "date"):
        y = np.array(col.values, dtype=float)
        y[~np.isfinite(y)] = np.nan
        values = np.unique(y[np.isfinite(y)])
        if values.size < 2:
            raise CSVError(f"{name}: the target '{col.name}' takes a single value")
        if values.size == 2 and choices.loss in ("auto", "logistic"):
            labels = (_fmt(values[0]), _fmt(values[1]))
            return (
                np.where(np.isnan(y), np.nan, np.where(y == values[1], 1.0, -1.0)),
                labels,
                "classification",
            )
        if choices.loss == "logistic":
            raise CSVError(
                f"{name}: logistic loss needs a target with two values; "
                f"'{col.name}' has {values.size}"
            )
        return y, None, "regression"
    if col.kind == "empty":
        raise CSVError(f"{name}: the target column '{col.name}' is empty")
    text = pd.Series(col.values, dtype="string")
    classes = sorted(text.dropna().loc[lambda s: s != ""].unique())
    if len(classes) != 2:
        raise CSVError(
            f"{name}: the target column '{col.name}' holds text with "
            f"{len(classes)} distinct values; it must be numeric or have "
            "exactly two classes"
        )
    y = np.full(table.n_rows, np.nan)
    y[(text == classes[0]).fillna(False).to_numpy()] = -1.0
    y[(text == classes[1]).fillna(False).to_numpy()] = 1.0
    return y, (classes[0], classes[1]), "classification"


def _fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def _features(table: Table, choices: ImportChoices, report: list[str]):
    feats = choices.features
    if feats is None:
        feats = tuple(
            c.name
            for c in table.columns
            if c.kind == "numeric" and c.name != choices.target
        )
    cols, names = [], []
    for fname in feats:
        if fname == choices.target:
            continue
        c = table.column(fname)
        if c.kind in ("numeric", "id", "date"):
            v = c.values  # copied once, into X below
            if c.n_bad:
                report.append(
                    f"column '{c.name}': {c.n_bad} cell(s) that are not numbers "
                    "became missing"
                )
            if c.converted:
                report.append(f"column '{c.name}': {c.converted}")
            if c.kind == "date":
                report.append(
                    f"column '{c.name}': dates converted to days since 1970-01-01"
                )
            cols.append(v)
            names.append(c.name)
        elif c.kind == "empty":
            report.append(f"dropped column '{c.name}': it has no values")
        else:
            report.append(
                f"skipped column '{c.name}': it holds text (choose one-hot "
                "encoding to use it)"
            )
    for oname in choices.onehot:
        c = table.column(oname)
        if oname == choices.target or c.kind not in ("categorical", "text", "id"):
            continue
        text = pd.Series(c.values, dtype="string")
        levels = sorted(text.dropna().loc[lambda s: s != ""].unique())
        missing = (text.isna() | (text == "")).to_numpy()
        for level in levels:
            v = (text == level).fillna(False).to_numpy(dtype=float)
            v[missing] = np.nan
            cols.append(v)
            names.append(f"{c.name}={level}")
        report.append(
            f"text column '{c.name}': one-hot encoded into {len(levels)} columns"
        )
    # column by column into a Fortran-ordered matrix: contiguous writes, one copy
    X = np.empty((table.n_rows, len(cols)), dtype=np.float64, order="F")
    for j, v in enumerate(cols):
        X[:, j] = v
    return X, names, feats


def build_dataset(table: Table, choices: ImportChoices) -> tuple[Dataset, list[str]]:
    """The dataset for ``choices``, and the report of everything that changed."""
    name = table.path.name
    report = list(table.notes)
    if table.n_rows < 2:
        raise CSVError(
            f"{name}: only one data row; fewer than 2 complete rows to learn from"
        )
    if choices.target is None:
        choices = default_choices(table)
    y, labels, task = _target(table, choices)
    tcol = table.column(choices.target)
    if tcol.converted:
        report.append(f"target '{tcol.name}': {tcol.converted}")
    if tcol.n_bad:
        report.append(
            f"target '{tcol.name}': {tcol.n_bad} cell(s) that are not numbers "
            "became missing"
        )
    X, fnames, feats = _features(table, choices, report)
    chosen = set(feats) | set(choices.onehot) | {choices.target}
    skipped = [c for c in table.columns if c.name not in chosen]
    for kind, word in (
        ("id", "IDs"),
        ("date", "dates"),
        ("text", "free text"),
        ("categorical", "categories"),
        ("empty", "empty"),
    ):
        these = [c.name for c in skipped if c.kind == kind]
        if these:
            report.append(
                f"skipped {len(these)} column(s) of {word}: "
                + ", ".join(these[:6])
                + (" …" if len(these) > 6 else "")
            )
    if X.shape[1] == 0:
        raise CSVError(
            f"{name}: no usable feature columns besides the target "
            f"'{choices.target}' (text columns can be one-hot encoded)"
        )
    inf = np.isinf(X)
    if inf.any():
        for j in np.flatnonzero(inf.any(axis=0)):
            report.append(
                f"column '{fnames[j]}': {int(inf[:, j].sum())} infinite "
                "value(s) (e.g. numbers beyond 1.8e308) treated as missing"
            )
        X[inf] = np.nan
    empty = np.isnan(X).all(axis=0)
    if empty.any():
        report.append(
            "dropped column(s) with no values: "
            + ", ".join(f for f, e in zip(fnames, empty, strict=True) if e)
        )
        X = X[:, ~empty]
        fnames = [f for f, e in zip(fnames, empty, strict=True) if not e]
        if not fnames:
            raise CSVError(f"{name}: every feature column is empty")
    keep = np.isfinite(y)
    if (~keep).any():
        report.append(
            f"dropped {int((~keep).sum())} row(s) whose target "
            f"'{choices.target}' is missing or not usable (data row {_rows(np.flatnonzero(~keep))})"
        )
    miss = np.isnan(X) & keep[:, None]
    if miss.any():
        if choices.missing == "mean":
            means = np.nanmean(np.where(keep[:, None], X, np.nan), axis=0)
            cols = np.flatnonzero(miss.any(axis=0))
            for j in cols:
                X[miss[:, j], j] = means[j]
            report.append(
                f"filled {int(miss.sum())} missing value(s) in {cols.size} "
                "column(s) with the column mean"
            )
        else:
            bad = miss.any(axis=1)
            report.append(
                f"dropped {int(bad.sum())} row(s) with missing feature values "
                f"(data row {_rows(np.flatnonzero(bad))})"
            )
            keep &= ~bad
    X, y = X[keep], y[keep]
    if len(y) < 2:
        raise CSVError(
            f"{name}: fewer than 2 complete rows remain ({table.n_rows} read); "
            "try filling missing values with the column mean"
        )
    if task == "classification" and np.unique(y).size < 2:
        raise CSVError(f"{name}: only one class of '{choices.target}' remains")
    const = X.max(axis=0) == X.min(axis=0)  # (ptp overflows near 1e308)
    if const.any():
        cnames = [f for f, c in zip(fnames, const, strict=True) if c]
        report.append(
            f"dropped {len(cnames)} constant column(s): "
            + ", ".join(cnames[:6])
            + (" …" if len(cnames) > 6 else "")
        )
        X = X[:, ~const]
        fnames = [f for f, c in zip(fnames, const, strict=True) if not c]
        if not fnames:
            raise CSVError(f"{name}: every feature column is constant")
    huge = np.abs(X).max(axis=0) > HUGE
    if huge.any():
        report.append(
            "very large values (beyond 1e150) in: "
            + ", ".join(f for f, h in zip(fnames, huge, strict=True) if h)
            + "; they are usable only with standardization"
        )
    if task == "classification":
        report.append(
            f"target '{choices.target}' has two values: {labels[0]} → −1, "
            f"{labels[1]} → +1 (logistic loss)"
        )
    source = {
        "kind": "csv",
        "path": str(table.path.resolve()),
        "sha256": table.sha256,
        "format": asdict(table.fmt),
        "skip_bad_lines": table.skip_bad_lines,
        "choices": asdict(choices),
    }
    ds = Dataset(
        X,
        y,
        tuple(fnames),
        target_name=choices.target,
        task=task,
        name=name,
        description=f"{len(y):,} rows × {len(fnames)} features from {name}",
        class_labels=labels,
        report=tuple(report),
        source=source,
    )
    return ds, report


def read_csv(
    path: str | os.PathLike,
    target: str | None = None,
    *,
    fmt: CSVFormat | None = None,
    choices: ImportChoices | None = None,
    skip_bad_lines: bool = False,
) -> tuple[Dataset, list[str]]:
    """Sniff, parse and build with the defaults; returns ``(dataset, report)``."""
    table = load_table(path, fmt, skip_bad_lines=skip_bad_lines)
    if choices is None:
        choices = default_choices(table, target)
    return build_dataset(table, choices)


def read_csv_text(text: str, target: str | None = None, **kw):
    """:func:`read_csv` on a string (for tests and the clipboard)."""
    import tempfile

    with tempfile.NamedTemporaryFile("wb", suffix=".csv", delete=False) as f:
        f.write(text.encode("utf-8") if isinstance(text, str) else text)
    try:
        return read_csv(f.name, target, **kw)
    finally:
        os.unlink(f.name)
