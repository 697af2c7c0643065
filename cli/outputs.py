"""Nothing lost: the files the command line writes never replace what it reads.

Before anything runs, :func:`check_outputs` refuses (exit status 2, one line):

- an output that is one of the inputs (the ``--csv`` data or the ``--session`` file),
  however it is spelled (``./d.csv``, a symbolic link, another case on a
  case-insensitive disk);
- two outputs that are the same file;
- an output that would replace an existing file of another kind: weights, path and
  cross-validation tables replace only text tables, a PNG figure only a PNG, and so
  on, so that a slip of the finger (``--export-weights fig.png``) cannot destroy a
  figure or a session.
"""

from __future__ import annotations

import os
from pathlib import Path

from .parser import UsageError

__all__ = ["check_outputs", "file_kind"]

#: Output options, and the kind of file each writes ('figure' by its ending).
OUTPUTS = {
    "export_weights": "table",
    "export_path": "table",
    "export_cv": "table",
    "export_stability": "table",
    "screenshot": "figure",
    "animate": "gif",
}
INPUTS = ("csv", "session")

_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF8", "gif"),
)


def file_kind(path: Path) -> str:
    """What an existing file holds, from its first bytes: 'png', 'jpeg', 'gif',
    'svg', 'session', 'table' (other text), 'empty' or 'binary'."""
    with open(path, "rb") as f:
        head = f.read(4096)
    if not head:
        return "empty"
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    try:
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 text
            text = head[: len(head) // 2 * 2].decode("utf-16", errors="replace")
        else:
            text = head.decode("utf-8")
    except UnicodeDecodeError:
        text = head.decode("utf-8", errors="ignore") if b"\x00" not in head else None
        if text is None:
            return "binary"
    start = text.lstrip("\ufeff \t\r\n")
    if start.startswith("<?xml") or start.startswith("<svg"):
        return "svg"
    if start.startswith("{") and "l1l2-explorer-session" in text:
        return "session"
    return "table"


def _wanted_kind(option: str, path: str) -> str:
    kind = OUTPUTS[option]
    if kind != "figure":
        return kind
    ending = Path(path).suffix.lower()
    return {".jpg": "jpeg", ".jpeg": "jpeg", ".svg": "svg"}.get(ending, "png")


def _same(a: Path, b: Path) -> bool:
    if a.exists() and b.exists():
        return os.path.samefile(a, b)
    return a.resolve() == b.resolve()


def _flag(option: str) -> str:
    return "--" + option.replace("_", "-")


def check_outputs(args) -> None:
    """UsageError if an output of ``args`` would replace an input, another output or
    an existing file of another kind."""
    inputs = [(k, Path(getattr(args, k))) for k in INPUTS if getattr(args, k, None)]
    outputs = [(k, Path(getattr(args, k))) for k in OUTPUTS if getattr(args, k, None)]
    for i, (opt, out) in enumerate(outputs):
        for src_opt, src in inputs:
            if _same(out, src):
                raise UsageError(
                    f"{_flag(opt)} {out} is the {_flag(src_opt)} input: it would be "
                    "overwritten; choose another file name"
                )
        for other_opt, other in outputs[:i]:
            if _same(out, other):
                raise UsageError(
                    f"{_flag(other_opt)} and {_flag(opt)} name the same file {out}; "
                    "choose two names"
                )
        if out.is_dir():
            raise UsageError(f"{_flag(opt)} {out} is a folder; give a file name")
        if not out.absolute().parent.is_dir():  # said before any work is done
            raise UsageError(
                f"{_flag(opt)} {out}: cannot write there: the folder does not exist"
            )
        if not out.exists():
            continue
        try:
            found = file_kind(out)
        except OSError as e:
            raise UsageError(
                f"{_flag(opt)} {out}: cannot be read ({e.strerror})"
            ) from None
        wanted = _wanted_kind(opt, str(out))
        if found not in (wanted, "empty"):
            what = {
                "table": "a text table",
                "session": "a session file",
                "binary": "a binary file",
            }.get(found, f"a {found.upper()} image")
            raise UsageError(
                f"{_flag(opt)} {out} exists and is {what}, not what {_flag(opt)} "
                "writes; refusing to replace it (remove it or choose another name)"
            )
