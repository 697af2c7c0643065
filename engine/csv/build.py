"""Building: a :class:`~engine.data.Dataset` from a table and the import choices.

:func:`build_dataset` carries out an :class:`~engine.csv.plan.ImportChoices`: the
target (numbers, or two classes mapped to −1/+1), the features (numbers, dates as days,
one-hot columns), then missing values (rows dropped or features filled with the column
mean), infinities, empty and constant columns, each change reported in words.
:func:`read_csv` does the whole pipeline with the defaults, the one call the command
line needs. Anything unusable raises :class:`~engine.csv.errors.CSVError`, whose
message names the file and the line or column; nothing else escapes these functions.
"""

from __future__ import annotations

import os
from dataclasses import asdict

import numpy as np
import pandas as pd

from ..data import HUGE, Dataset, too_large
from .columns import (
    MAX_CLASSES,
    distinct_values,
    few_distinct_values,
    missing_mask,
    number_label,
    target_classes,
)
from .errors import ChoiceError, CSVError
from .plan import ImportChoices, default_choices, target_problem
from .read import Table, load_table
from .sniff import CSVFormat

__all__ = ["HUGE", "build_dataset", "read_csv", "read_csv_text"]


def _rows(rows: np.ndarray) -> str:
    shown = ", ".join(str(int(r) + 1) for r in rows[:6])
    return shown + (" …" if rows.size > 6 else "")


def _target(table: Table, choices: ImportChoices):
    """``(y, class labels or None, task)``: two classes (−1, +1) for two distinct
    values unless the loss is squared, or for the positive class against the rest;
    otherwise numbers, and two text values with squared loss their codes −1, +1 as
    numbers (see :func:`~engine.csv.plan.target_problem` for what is refused)."""
    problem = target_problem(table, choices)
    if problem is not None:
        raise problem
    col = table.column(choices.target)
    pc = choices.positive_class
    if col.is_number:
        y = np.array(col.values, dtype=float)
        y[~np.isfinite(y)] = np.nan
        # classes (a positive class, or two values) are few: a target of many
        # values is not sorted
        values = few_distinct_values(col, max(MAX_CLASSES, 2))
        if pc is None and (
            values is None or values.size != 2 or choices.loss == "squared"
        ):
            return y, None, "regression"
        labels = [number_label(v) for v in values]
        positive = values[labels.index(pc)] if pc is not None else values[1]
        hit = y == positive
    else:
        values = distinct_values(col)
        text = pd.Series(col.values, dtype="string")
        y = np.where(missing_mask(col), np.nan, 0.0)
        labels = [str(v) for v in values]
        hit = (text == (pc if pc is not None else labels[1])).fillna(False).to_numpy()
    pos = pc if pc is not None else labels[1]
    rest = [v for v in labels if v != pos]
    negative = rest[0] if len(rest) == 1 else f"not {pos}"
    y = np.where(np.isnan(y), np.nan, np.where(hit, 1.0, -1.0))
    task = "regression" if choices.loss == "squared" else "classification"
    return y, (negative, pos), task


def _features(table: Table, choices: ImportChoices, report: list[str]):
    feats = choices.features
    if feats is None:
        feats = tuple(
            c.name
            for c in table.columns
            if c.kind == "numeric" and c.name != choices.target
        )
    cols, names = [], []
    finite = True  # every value known to be finite when the columns were read
    for fname in feats:
        if fname == choices.target:
            continue
        c = table.column(fname)
        if c.is_number:
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
            finite = finite and c.finite
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
        finite = finite and not missing.any()
        for level in levels:
            v = (text == level).fillna(False).to_numpy(dtype=float)
            v[missing] = np.nan
            cols.append(v)
            names.append(f"{c.name}={level}")
        report.append(
            f"text column '{c.name}': one-hot encoded into {len(levels)} columns"
        )
    X = _block_view(cols)
    if X is None:
        # column by column into a Fortran-ordered matrix: contiguous writes, one copy
        X = np.empty((table.n_rows, len(cols)), dtype=np.float64, order="F")
        for j, v in enumerate(cols):
            X[:, j] = v
    return X, names, feats, finite


def _block_view(cols: list[np.ndarray]) -> np.ndarray | None:
    """The columns as one matrix without a copy, when they are rows of one 2-D
    float64 array, equally spaced and in order: a numeric table pandas read in
    parallel is one such block, and the chosen features are most often all its
    columns but the target. Read-only (it is the table's memory, which another
    import from the same table reads again); None when the columns are not so.

    A copy would cost more than the copying: in a fresh process every new page of
    memory is a page fault, about a third of a second for 150 MB here."""
    base = cols[0].base if cols else None
    if not (
        isinstance(base, np.ndarray)
        and base.ndim == 2
        and base.dtype == np.float64
        and base.flags.c_contiguous
    ):
        return None
    start, row = base.__array_interface__["data"][0], base.strides[0]
    rows = []
    for v in cols:
        if v.base is not base or v.shape != (base.shape[1],) or v.strides != (8,):
            return None
        offset = v.__array_interface__["data"][0] - start
        if offset % row:
            return None
        rows.append(offset // row)
    step = rows[1] - rows[0] if len(rows) > 1 else 1
    if step <= 0 or any(b - a != step for a, b in zip(rows, rows[1:], strict=False)):
        return None
    X = base[rows[0] : rows[-1] + 1 : step].T
    X.flags.writeable = False
    return X


def _note_target_rows(keep: np.ndarray, choices: ImportChoices, report: list[str]):
    if (~keep).any():
        report.append(
            f"dropped {int((~keep).sum())} row(s) whose target "
            f"'{choices.target}' is missing or not usable (data row {_rows(np.flatnonzero(~keep))})"
        )


def _missing_values(X, fnames, keep, choices: ImportChoices, report, name):
    """Infinities made missing, empty columns dropped, then the missing values
    filled with the column mean or their rows dropped (``keep``), each reported:
    ``(X, fnames, keep)``. ``X`` is changed in place, or copied first when it is
    the table's own memory (read-only: :func:`_block_view`)."""
    if not X.flags.writeable:
        X = np.array(X, order="F")
    inf = np.isinf(X)
    if inf.any():
        for j in np.flatnonzero(inf.any(axis=0)):
            report.append(
                f"column '{fnames[j]}': {int(inf[:, j].sum())} infinite "
                "value(s) (e.g. numbers beyond 1.8e308) treated as missing"
            )
        X[inf] = np.nan
    del inf
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
    _note_target_rows(keep, choices, report)
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
            keep = keep & ~bad
    return X, fnames, keep


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
    X, fnames, feats, finite = _features(table, choices, report)
    chosen = set(feats) | set(choices.onehot) | {choices.target}
    skipped = [c for c in table.columns if c.name not in chosen]
    for kind, word in (
        ("id", "IDs"),
        ("date", "dates"),
        ("text", "free text"),
        ("categorical", "categories"),
        ("empty", "empty"),
    ):
        these = [
            c.name + (f" ({c.why})" if c.why else "") for c in skipped if c.kind == kind
        ]
        if these:
            report.append(
                f"skipped {len(these)} column(s) of {word}: "
                + ", ".join(these[:6])
                + (" …" if len(these) > 6 else "")
            )
    if X.shape[1] == 0:
        text = [
            c.name
            for c in skipped
            if c.kind in ("categorical", "text") and c.name != choices.target
        ]
        if text:
            raise ChoiceError(
                f"{name}: no usable feature columns besides the target "
                f"'{choices.target}'",
                "one_hot",
                advice=f"the text columns ({', '.join(text[:6])}"
                + (" …" if len(text) > 6 else "")
                + ") can be one-hot encoded",
                alternatives=("one_hot",),
            )
        raise CSVError(
            f"{name}: no usable feature columns besides the target '{choices.target}'"
        )
    keep = np.isfinite(y)
    # a column whose sum is finite holds no infinity and no missing value (a sum
    # that overflows only sends it the long way); columns read as all finite
    # need no pass at all
    if not finite:
        with np.errstate(over="ignore", invalid="ignore"):
            finite = np.isfinite(X.sum(axis=0)).all()
    if finite:
        _note_target_rows(keep, choices, report)
    else:
        X, fnames, keep = _missing_values(X, fnames, keep, choices, report, name)
    if not keep.all():
        X, y = X[keep], y[keep]
    if len(y) < 2:
        raise CSVError(
            f"{name}: fewer than 2 complete rows remain ({table.n_rows} read); "
            "try filling missing values with the column mean"
        )
    if task == "classification" and np.unique(y).size < 2:
        raise CSVError(f"{name}: only one class of '{choices.target}' remains")
    problem = too_large(choices.target, "the target", y[np.isfinite(y)], "divide it")
    if problem:
        raise CSVError(f"{name}: {problem}")
    top, bottom = X.max(axis=0), X.min(axis=0)
    const = top == bottom  # (ptp overflows near 1e308)
    if const.any():
        cnames = [f for f, c in zip(fnames, const, strict=True) if c]
        report.append(
            f"dropped {len(cnames)} constant column(s): "
            + ", ".join(cnames[:6])
            + (" …" if len(cnames) > 6 else "")
        )
        X, top, bottom = X[:, ~const], top[~const], bottom[~const]
        fnames = [f for f, c in zip(fnames, const, strict=True) if not c]
        if not fnames:
            raise CSVError(f"{name}: every feature column is constant")
    huge = np.maximum(np.abs(top), np.abs(bottom)) > HUGE  # the largest |value|
    if huge.any():
        report.append(
            "very large values (beyond 1e150) in: "
            + ", ".join(f for f, h in zip(fnames, huge, strict=True) if h)
            + "; they are usable only with standardization"
        )
    if task == "classification" and labels[0] == f"not {labels[1]}":
        others = [c for c in target_classes(tcol) or () if c != labels[1]]
        report.append(
            f"target '{choices.target}': {labels[1]} → +1, the other "
            f"{len(others)} classes ({', '.join(others[:6])}"
            + (" …" if len(others) > 6 else "")
            + ") → −1 (one against the rest, logistic loss)"
        )
    elif task == "classification":
        report.append(
            f"target '{choices.target}' has two values: {labels[0]} → −1, "
            f"{labels[1]} → +1 (logistic loss)"
        )
    elif labels is not None:
        report.append(
            f"target '{choices.target}' has two values: {labels[0]} → −1, "
            f"{labels[1]} → +1, fitted as numbers (squared loss)"
        )
    source = {
        "kind": "csv",
        "path": str(table.path.resolve()),
        "sha256": table.digest,  # (a FileDigest: hashed when a session is saved)
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
    one_hot: tuple[str, ...] | str = (),
    positive_class: str | None = None,
    target_as_number: bool = False,
) -> tuple[Dataset, list[str]]:
    """Sniff, parse and build; returns ``(dataset, report)``. Without ``choices``,
    those of :func:`~engine.csv.plan.default_choices` for ``target``, ``one_hot``,
    ``positive_class`` and ``target_as_number``."""
    table = load_table(path, fmt, skip_bad_lines=skip_bad_lines)
    if choices is None:
        choices = default_choices(
            table,
            target,
            one_hot=one_hot,
            positive_class=positive_class,
            target_as_number=target_as_number,
        )
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
