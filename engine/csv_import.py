"""Reading a CSV file into a :class:`~engine.data.Dataset`, saying what changed.

The reader takes a delimited text file with a header row and returns the dataset with a
report: every column or row that was dropped, converted or renamed is named there.
Anything it cannot use raises :class:`CSVError` with the file name and the reason (and
the line or column when there is one); nothing else escapes it.

Choices (all overridable): delimiter (comma, semicolon, tab or '|', detected from the
first lines), decimal mark ('.' or ','), encoding (UTF-8 with or without BOM, else
Latin-1), target column (default: the last numeric one), which text columns to one-hot
encode (default: none, they are skipped), what to do with missing values (drop the rows,
or fill with the column mean).
"""

from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .data import DataError, Dataset

__all__ = ["CSVError", "CSVOptions", "read_csv"]

MAX_BYTES_SNIFF = 64 * 1024
DELIMITERS = (",", ";", "\t", "|")


class CSVError(DataError):
    """A CSV file that cannot be used; the message names the file and the reason."""


@dataclass(frozen=True)
class CSVOptions:
    """How to read the file; ``None`` means detect."""

    delimiter: str | None = None
    decimal: str | None = None
    encoding: str | None = None
    missing: str = "drop"  # 'drop' rows or fill with the column 'mean'
    onehot: tuple[str, ...] = ()  # text columns to one-hot encode
    features: tuple[str, ...] | None = None  # None: every usable column


def _detect_encoding(raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        raw.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as e:
        if e.start > len(raw) - 4:  # a character cut by the sniffing window
            return "utf-8"
        return "latin-1"


def _detect_delimiter(lines: list[str]) -> str:
    """The delimiter giving the same number (> 1) of fields on most lines."""
    best, best_score = ",", -1.0
    for delim in DELIMITERS:
        try:
            counts = [len(row) for row in csv.reader(lines, delimiter=delim)]
        except csv.Error:
            continue
        if not counts or max(counts) < 2:
            continue
        mode = max(set(counts), key=counts.count)
        score = counts.count(mode) / len(counts) + (mode > 1) * mode * 1e-3
        if mode > 1 and score > best_score:
            best, best_score = delim, score
    return best


def _detect_decimal(lines: list[str], delimiter: str) -> str:
    """',' when the delimiter is not ',' and numbers like 3,14 outnumber 3.14."""
    if delimiter == ",":
        return "."
    body = "\n".join(lines[1:])
    commas = len(re.findall(r"(?<![\w.,])-?\d+,\d+(?![\w.,])", body))
    points = len(re.findall(r"(?<![\w.,])-?\d+\.\d+(?![\w.,])", body))
    return "," if commas > points else "."


def read_csv(
    path: str | os.PathLike,
    target: str | None = None,
    options: CSVOptions | None = None,
) -> tuple[Dataset, list[str]]:
    """Read ``path`` and return ``(dataset, report)``.

    Raises
    ------
    CSVError
        The file is missing, unreadable, empty, not a table, has no usable numeric
        feature, or the target column is missing or unusable.
    """
    opts = options or CSVOptions()
    path = Path(path)
    name = path.name
    try:
        with open(path, "rb") as f:
            head = f.read(MAX_BYTES_SNIFF)
    except FileNotFoundError:
        raise CSVError(f"{name}: the file does not exist (any more): {path}") from None
    except IsADirectoryError:
        raise CSVError(f"{name}: is a folder, not a CSV file") from None
    except OSError as e:
        raise CSVError(f"{name}: cannot be read: {e.strerror or e}") from None
    if not head.strip():
        raise CSVError(f"{name}: the file is empty")
    if b"\x00" in head:
        raise CSVError(f"{name}: this is a binary file, not CSV text")
    encoding = opts.encoding or _detect_encoding(head)
    text_head = head.decode(encoding, errors="replace")
    lines = [ln for ln in text_head.splitlines()[:50] if ln.strip()]
    delimiter = opts.delimiter or _detect_delimiter(lines)
    decimal = opts.decimal or _detect_decimal(lines, delimiter)
    report: list[str] = []
    try:
        df = pd.read_csv(
            path,
            sep=delimiter,
            decimal=decimal,
            encoding=encoding,
            skipinitialspace=True,
            thousands=None,
            on_bad_lines="error",
            low_memory=False,
        )
    except UnicodeDecodeError as e:
        raise CSVError(
            f"{name}: not readable as {encoding} text (byte {e.start}); "
            "choose another encoding"
        ) from None
    except pd.errors.EmptyDataError:
        raise CSVError(f"{name}: the file has no columns") from None
    except pd.errors.ParserError as e:
        raise CSVError(f"{name}: not a regular table: {_parser_message(e)}") from None
    except (ValueError, OSError, csv.Error) as e:
        raise CSVError(f"{name}: cannot be read as CSV: {e}") from None
    if df.shape[1] < 2:
        raise CSVError(
            f"{name}: found only one column (delimiter {_show(delimiter)}); "
            "need a target and at least one feature"
        )
    if len(df) == 0:
        raise CSVError(f"{name}: has a header row but no data rows")
    return _to_dataset(df, name, target, opts, report)


def _show(delim: str) -> str:
    return {"\t": "tab", ",": "comma", ";": "semicolon", "|": "'|'"}.get(
        delim, repr(delim)
    )


def _parser_message(e: Exception) -> str:
    msg = str(e).strip().splitlines()[-1] if str(e).strip() else type(e).__name__
    return msg.replace("Error tokenizing data. C error: ", "")


def _unique_names(columns) -> tuple[list[str], list[str]]:
    """Column names made unique and non-empty, with notes of every change."""
    names, notes, seen = [], [], {}
    for i, c in enumerate(columns):
        base = str(c).strip()
        if not base or base.startswith("Unnamed: "):
            base = f"column_{i + 1}"
            notes.append(f"column {i + 1} has no name; called it {base}")
        # pandas renames duplicates 'a' -> 'a.1'; keep its renaming but report it
        name = base
        k = 1
        while name in seen:
            k += 1
            name = f"{base}_{k}"
        if name != base:
            notes.append(f"duplicate column name {base!r}: renamed to {name!r}")
        seen[name] = True
        names.append(name)
    return names, notes


def _to_numeric(col: pd.Series) -> tuple[np.ndarray, int]:
    """Numeric values and how many non-empty cells were not numbers."""
    num = pd.to_numeric(col, errors="coerce")
    bad = int((num.isna() & col.notna()).sum())
    return num.to_numpy(dtype=np.float64, na_value=np.nan), bad


def _to_dataset(
    df, name, target, opts: CSVOptions, report
) -> tuple[Dataset, list[str]]:
    columns, notes = _unique_names(df.columns)
    report += notes
    df.columns = columns
    n = len(df)

    numeric: dict[str, np.ndarray] = {}
    text: list[str] = []
    for col in columns:
        values, bad = _to_numeric(df[col])
        present = int(df[col].notna().sum())
        if present and bad > present / 2:
            text.append(col)
            continue
        if bad:
            report.append(
                f"column {col!r}: {bad} cell(s) that are not numbers became missing"
            )
        numeric[col] = values

    if target is None:
        if not numeric:
            raise CSVError(f"{name}: no numeric column to use as the target")
        target = list(numeric)[-1]
    elif target not in columns:
        raise CSVError(
            f"{name}: no column named {target!r}; columns are {', '.join(columns[:12])}"
            + (" …" if len(columns) > 12 else "")
        )

    # the target: numeric, or text with exactly two classes
    class_labels = None
    if target in numeric:
        y = numeric.pop(target)
    else:
        text.remove(target)
        labels = df[target].dropna().astype(str).str.strip()
        classes = sorted(labels.unique())
        if len(classes) != 2:
            raise CSVError(
                f"{name}: target column {target!r} holds text with {len(classes)} "
                "distinct values; it must be numeric or have exactly two classes"
            )
        y = np.full(n, np.nan)
        mapped = df[target].astype(str).str.strip()
        y[(mapped == classes[0]).to_numpy() & df[target].notna().to_numpy()] = -1.0
        y[(mapped == classes[1]).to_numpy()] = 1.0
        class_labels = (classes[0], classes[1])

    feats = {k: v for k, v in numeric.items()}
    for col in opts.onehot:
        if col in text:
            cats = df[col].astype("string").str.strip()
            levels = sorted(cats.dropna().unique())
            for level in levels:
                feats[f"{col}={level}"] = (cats == level).fillna(False).to_numpy(float)
            report.append(
                f"text column {col!r}: one-hot encoded into {len(levels)} columns"
            )
            text.remove(col)
    if text:
        report.append(
            f"skipped {len(text)} text column(s): {', '.join(text[:8])}"
            + (" …" if len(text) > 8 else "")
        )
    if opts.features is not None:
        dropped = [c for c in feats if c not in opts.features]
        feats = {c: v for c, v in feats.items() if c in opts.features}
        if dropped:
            report.append(f"left out {len(dropped)} column(s) not chosen as features")

    y_missing = ~np.isfinite(y)
    if y_missing.all():
        raise CSVError(f"{name}: target column {target!r} has no usable values")
    for col, v in list(feats.items()):
        inf = np.isinf(v)
        if inf.any():
            report.append(
                f"column {col!r}: {int(inf.sum())} infinite value(s) treated as missing"
            )
            v[inf] = np.nan
        if np.isnan(v[~y_missing]).all():
            report.append(f"dropped column {col!r}: it has no values")
            del feats[col]
    if not feats:
        raise CSVError(
            f"{name}: no numeric feature columns besides the target {target!r}"
        )

    X = np.column_stack(list(feats.values()))
    fnames = list(feats)
    keep = ~y_missing
    if y_missing.any():
        rows = _line_numbers(np.flatnonzero(y_missing))
        report.append(
            f"dropped {int(y_missing.sum())} row(s) with a missing or non-numeric target "
            f"(data row {rows})"
        )
    miss = np.isnan(X) & keep[:, None]
    if miss.any():
        if opts.missing == "mean":
            means = np.nanmean(X[keep], axis=0)
            cols = np.flatnonzero(miss.any(axis=0))
            for j in cols:
                X[miss[:, j], j] = means[j]
            report.append(
                f"filled {int(miss.sum())} missing value(s) in {cols.size} column(s) with "
                "the column mean"
            )
        else:
            bad_rows = miss.any(axis=1)
            report.append(
                f"dropped {int(bad_rows.sum())} row(s) with missing feature values "
                f"(data row {_line_numbers(np.flatnonzero(bad_rows))})"
            )
            keep &= ~bad_rows
    X, y = X[keep], y[keep]
    if len(y) < 2:
        raise CSVError(
            f"{name}: fewer than 2 complete rows remain after dropping missing values"
        )
    const = np.ptp(X, axis=0) == 0
    if const.any():
        names_c = [fnames[j] for j in np.flatnonzero(const)]
        report.append(
            f"dropped {len(names_c)} constant column(s): {', '.join(names_c[:8])}"
            + (" …" if len(names_c) > 8 else "")
        )
        X = X[:, ~const]
        fnames = [f for f, c in zip(fnames, const, strict=True) if not c]
        if not fnames:
            raise CSVError(f"{name}: every feature column is constant")
    task = "regression"
    if class_labels is None:
        values = np.unique(y)
        if len(values) == 2:
            class_labels = (_fmt(values[0]), _fmt(values[1]))
            y = np.where(y == values[1], 1.0, -1.0)
            task = "classification"
        elif len(values) < 2:
            raise CSVError(f"{name}: the target {target!r} takes a single value")
    else:
        task = "classification"
        if len(np.unique(y)) < 2:
            raise CSVError(f"{name}: only one class of {target!r} remains")
    if task == "classification":
        report.append(
            f"target {target!r} has two values: {class_labels[0]} → −1, "
            f"{class_labels[1]} → +1 (logistic loss)"
        )
    ds = Dataset(
        X,
        y,
        tuple(fnames),
        target_name=target,
        task=task,
        name=name,
        description=f"{len(y)} rows × {len(fnames)} features from {name}",
        class_labels=class_labels,
        report=tuple(report),
    )
    return ds, report


def _fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else repr(float(v))


def _line_numbers(rows: np.ndarray) -> str:
    """Data row numbers (the first row after the header is 1), abbreviated."""
    lines = [str(int(r) + 1) for r in rows[:5]]
    return ", ".join(lines) + (" …" if rows.size > 5 else "")


def read_csv_text(
    text: str, target: str | None = None, **kw
) -> tuple[Dataset, list[str]]:
    """:func:`read_csv` on a string (for tests and the clipboard)."""
    import tempfile

    with tempfile.NamedTemporaryFile(
        "w", suffix=".csv", delete=False, encoding="utf-8"
    ) as f:
        f.write(text)
    try:
        return read_csv(f.name, target, **kw)
    finally:
        os.unlink(f.name)
