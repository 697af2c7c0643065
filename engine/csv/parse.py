"""pandas' C parser over a CSV file, its errors turned into one sentence each.

:func:`parse_frame` is the one call of ``pandas.read_csv`` for a whole file or its
first rows: over a :class:`~engine.csv.scan.OnePassStream` (progress, cancel and the
watchers as the bytes go by) or over the file's path, which pandas 3.1 and later
reads on every core (:mod:`engine.csv.parallel`). Either way the file's header row
was read before (the ``names`` given), and a parser error becomes a
:class:`~engine.csv.errors.CSVError` whose message names the file and the line.
"""

from __future__ import annotations

import csv
import io
import re
import warnings

from .errors import CSVError
from .sniff import open_error

__all__ = ["parse_frame", "parser_message"]


def parser_message(name: str, e: Exception) -> str:
    """The sentence for a pandas parser error on the file called ``name``."""
    msg = str(e).strip().splitlines()[-1] if str(e).strip() else type(e).__name__
    msg = msg.replace("Error tokenizing data. C error: ", "")
    m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", msg)
    if m:
        return (
            f"{name}: line {m.group(2)} has {m.group(3)} fields where the header has "
            f"{m.group(1)}: a ragged row. Fix the file or skip malformed rows"
        )
    return f"{name}: not a regular table: {msg}"


def parser_options(fmt, names, *, skip_bad_lines: bool, as_text: bool) -> dict:
    """``pandas.read_csv``'s keywords for a file of format ``fmt`` whose columns
    are ``names`` (the header row, if any, is skipped)."""
    kw = dict(
        sep=fmt.delimiter,
        decimal=fmt.decimal,
        encoding=fmt.encoding,
        header=0 if fmt.header else None,
        names=names,
        skiprows=fmt.skip,
        skip_blank_lines=True,
        index_col=False,
        # a stray byte in a UTF-8 file becomes '\ufffd' (Utf8Check says where);
        # any other encoding that does not fit is refused
        encoding_errors="replace" if fmt.encoding.startswith("utf-8") else "strict",
        on_bad_lines="warn" if skip_bad_lines else "error",
    )
    if as_text:
        kw.update(dtype=str, keep_default_na=False)
    return kw


def parse_frame(
    path,
    fmt,
    names,
    *,
    stream=None,
    size: int = 1,
    nrows: int | None = None,
    skip_bad_lines: bool = False,
    as_text: bool = False,
    tick=None,
):
    """pandas over ``stream``, or over the file at ``path`` itself when there is no
    stream: ``(frame, malformed-row notes)``. ``tick()`` is called every 1% of
    the stream read, 1 MB at least (it may raise :class:`CSVCancelled`)."""
    import pandas as pd  # here, not at the top: the window starts faster without it

    name = path.name
    kw = parser_options(fmt, names, skip_bad_lines=skip_bad_lines, as_text=as_text)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", pd.errors.ParserWarning)
        try:
            if stream is None:
                frame = pd.read_csv(str(path), **kw, nrows=nrows)
            elif nrows:
                frame = pd.read_csv(
                    io.BufferedReader(stream, 1 << 20), **kw, nrows=nrows
                )
            else:
                # in one call: chunks would have to be concatenated, a copy of the
                # whole table; progress and cancel come from the stream as it is read
                if tick is not None:
                    stream.every(max(size // 100, 1 << 20), tick)
                frame = pd.read_csv(stream, **kw)
        except UnicodeDecodeError:
            raise CSVError(
                f"{name}: not readable as {fmt.encoding}; choose another encoding"
            ) from None
        except pd.errors.EmptyDataError:
            raise CSVError(f"{name}: the file has no data") from None
        except pd.errors.ParserError as e:
            raise CSVError(parser_message(name, e)) from None
        except OSError as e:
            raise open_error(path, e) from None
        except (ValueError, LookupError, csv.Error, OverflowError) as e:
            raise CSVError(f"{name}: cannot be read as CSV: {e}") from None
    notes = []
    bad = [
        str(w.message)
        for w in caught
        if issubclass(w.category, pd.errors.ParserWarning)
    ]
    lines = re.findall(r"Skipping line (\d+)", " ".join(bad))
    if lines:
        shown = ", ".join(lines[:6]) + (" …" if len(lines) > 6 else "")
        notes.append(
            f"skipped {len(lines)} malformed row(s) with the wrong number of "
            f"fields (line {shown})"
        )
    return frame, notes
