"""The columns of a table: what each holds, as numbers or as text.

:func:`classify` gives every column a kind: ``numeric``, ``categorical`` (few
distinct text values: can be one-hot encoded), ``text`` (many distinct values),
``date``, ``id`` (a unique key, by its name or because every value differs; or a
row counter: a column called ``Obs``, ``row``, ``No`` … or left unnamed that counts
the rows 1, 2, … n or 0, 1, … n − 1) or ``empty``. Numbers written with thousands separators (``1,234.5``, ``1 850``,
``1.234,5``) are converted, and the conversion is remembered for the report.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .sniff import CSVFormat

__all__ = [
    "KINDS",
    "MAX_CLASSES",
    "MAX_LEVELS",
    "ColumnInfo",
    "classify",
    "distinct_values",
    "few_distinct_values",
    "missing_mask",
    "number_label",
    "target_classes",
]

#: Every kind of column, in the words the import dialog shows.
KINDS = {
    "numeric": "number",
    "categorical": "categories",
    "text": "free text",
    "date": "date",
    "id": "ID",
    "empty": "empty",
}
#: Text columns with at most this many distinct values count as categorical.
MAX_LEVELS = 50
#: A target of whole numbers with at most this many distinct values (each seen at
#: least twice on average) may be classes: it is never taken for a number silently.
MAX_CLASSES = 10
_ID_NAME = re.compile(r"(^|[_\s.-])(id|uuid|key|index)$|^(id|uuid|row|index)$", re.I)
#: Names of row counters (``column_N`` is a column without a name).
_COUNTER_NAME = re.compile(
    r"^(obs|observations?|rows?|row ?names|rownames|no\.?|nr\.?|num|n|#|case|"
    r"record|idx|index|unnamed.*|column_\d+)$",
    re.I,
)


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
    why: str = ""  # why it is an ID when its values do not say so alone
    finite: bool = False  # every value is known to be a finite number

    @property
    def is_number(self) -> bool:
        """Whether its values are numbers (numeric, dates as days, numeric IDs)."""
        return self.values is not None and self.values.dtype.kind == "f"

    @property
    def onehot_columns(self) -> int:
        """Columns a one-hot encoding adds (one per distinct value)."""
        return self.n_unique


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


def _counts_rows(values: np.ndarray) -> bool:
    """Whether ``values`` are 1, 2, … n or 0, 1, … n − 1 in row order (n ≥ 3)."""
    n = values.size
    if n < 3 or values[0] not in (0.0, 1.0):
        return False
    return bool(np.array_equal(values, np.arange(n, dtype=np.float64) + values[0]))


def classify(name: str, col: pd.Series, fmt: CSVFormat, n_rows: int) -> ColumnInfo:
    """Decide what kind of column ``col`` is (see the module docstring)."""
    numeric_dtype = pd.api.types.is_numeric_dtype(
        col.dtype
    ) and not pd.api.types.is_bool_dtype(col.dtype)
    finite = False
    if numeric_dtype:  # the fast path: pandas parsed every cell as a number
        values = col.to_numpy(dtype=np.float64, na_value=np.nan)
        with np.errstate(over="ignore", invalid="ignore"):
            # a finite sum: no NaN and no infinity (one pass, no temporary)
            finite = bool(np.isfinite(values.sum()))
        missing = np.zeros(0, dtype=bool) if finite else np.isnan(values)
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
        if _COUNTER_NAME.match(name.strip()) and _counts_rows(values):
            why = f"a row counter {int(values[0])} … {int(values[-1])}"
            return ColumnInfo(name, "id", 0, n_rows, values=values, why=why)
        if _ID_NAME.search(name) and present > 2:  # a numeric key, if unique integers
            finite = values[np.isfinite(values)]
            n_unique = np.unique(finite).size
            if n_unique == present and np.all(finite == np.round(finite)):
                return ColumnInfo(name, "id", n_missing, n_unique, values=values)
        return ColumnInfo(
            name, "numeric", n_missing, -1, n_bad, how, values, finite=finite
        )
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


def missing_mask(col: ColumnInfo) -> np.ndarray:
    """True where the column has no usable value (empty cell, NaN, infinity)."""
    if col.values is None:
        return np.ones(col.n_missing, dtype=bool)
    v = col.values
    if v.dtype.kind == "f":
        return ~np.isfinite(v)
    return pd.Series(v, dtype="string").fillna("").eq("").to_numpy()


def distinct_values(col: ColumnInfo) -> np.ndarray:
    """The distinct present values, sorted: floats for a column of numbers, text
    otherwise. Computed once per column (checking and building a target both ask,
    and sorting a million values takes a while); the array is read-only."""
    if col.values is None:
        return np.array([])
    cached = col.__dict__.get("_distinct")
    if cached is not None and cached[0] is col.values:
        return cached[1]
    v = col.values
    if v.dtype.kind == "f":
        out = np.unique(v[np.isfinite(v)])
    else:
        text = pd.Series(v, dtype="string")
        out = np.array(
            sorted(text.dropna().loc[lambda s: s != ""].unique()), dtype=object
        )
    out.setflags(write=False)
    col.__dict__["_distinct"] = (col.values, out)
    return out


def few_distinct_values(col: ColumnInfo, k: int) -> np.ndarray | None:
    """:func:`distinct_values` when there are at most ``k`` of them, else None;
    a column of numbers whose first few thousand values already differ more is
    not sorted at all (a target of a million measurements)."""
    v = col.values
    if v is not None and v.dtype.kind == "f" and "_distinct" not in col.__dict__:
        head = v[:4096]
        if np.unique(head[np.isfinite(head)]).size > k:
            return None
    values = distinct_values(col)
    return values if values.size <= k else None


def number_label(v: float) -> str:
    """A number as a class label: ``2`` for 2.0, ``0.5`` for 0.5."""
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def target_classes(col: ColumnInfo) -> tuple[str, ...] | None:
    """The classes a target column can be read as, sorted, or None if it is no
    classification target: any two distinct values; categories (text with at most
    :data:`MAX_LEVELS` values); whole numbers with at most :data:`MAX_CLASSES`
    distinct values, each seen at least twice on average."""
    if col.is_number:
        values = few_distinct_values(col, max(MAX_CLASSES, 2))
        if values is None or values.size < 2:  # (more than MAX_CLASSES: no classes)
            return None
        if values.size == 2:
            return tuple(number_label(v) for v in values)
        present = int(np.isfinite(col.values).sum())
        small = values.size <= MAX_CLASSES and present >= 2 * values.size
        if col.kind == "numeric" and small and np.all(values == np.round(values)):
            return tuple(number_label(v) for v in values)
        return None
    values = distinct_values(col)
    if values.size < 2:
        return None
    if values.size == 2 or col.kind == "categorical":
        return tuple(str(v) for v in values)
    return None
