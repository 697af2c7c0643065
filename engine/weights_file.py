"""Weights as a CSV file: ``feature,weight`` rows and an ``(intercept)`` row.

The values are written with ``repr`` so they read back bit for bit; the file is
written to a temporary file in the same folder and renamed, so a failed write leaves
an older file intact.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

__all__ = ["write_weights"]


def write_weights(path, names, w, b) -> None:
    """Write the weights ``w`` (named ``names``) and the intercept ``b`` to ``path``;
    OSError if it cannot be written."""
    buf = io.StringIO()
    wr = csv.writer(buf, lineterminator="\n")
    wr.writerow(["feature", "weight"])
    for name, value in zip(names, w, strict=True):
        wr.writerow([name, repr(float(value))])
    wr.writerow(["(intercept)", repr(float(b))])
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(buf.getvalue(), encoding="utf-8", newline="")
        tmp.replace(path)
    except OSError as e:  # name the file the user asked for, not the temporary one
        raise OSError(f"cannot write {path}: {e.strerror or e}") from None
    finally:
        tmp.unlink(missing_ok=True)
