"""Files written whole or not at all.

Every file the app writes (weights, paths, sessions, figures, frames) goes through
:func:`replacing`: the content is written to a temporary file in the same folder and
renamed over the target only when it is complete, so a failed or interrupted write
(a missing folder, a read-only disk, a full disk, a crash) leaves the previous file
intact; the error names the user's file and says why.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

__all__ = ["replacing", "write_text"]


def _reason(e: OSError) -> str:
    if isinstance(e, FileNotFoundError):
        return "the folder does not exist"
    if isinstance(e, PermissionError):
        return "permission denied (a read-only folder or file?)"
    if getattr(e, "errno", None) == 28:  # ENOSPC
        return "the disk is full"
    return e.strerror or str(e) or type(e).__name__


@contextlib.contextmanager
def replacing(path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; once the block has written it, rename
    it over ``path``. On any error the temporary file is removed, ``path`` is left as
    it was, and OSError says ``cannot write <path>: <why>``."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        if not path.parent.is_dir():
            raise FileNotFoundError(path.parent)
        yield tmp
        if not tmp.exists():
            raise OSError("nothing was written")
        os.replace(tmp, path)
    except OSError as e:
        raise OSError(f"cannot write {path}: {_reason(e)}") from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def write_text(path, text: str) -> None:
    """Write ``text`` (UTF-8, line endings as given) to ``path`` whole or not at all."""
    with replacing(path) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="")
