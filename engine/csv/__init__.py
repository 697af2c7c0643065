"""CSV import as one pipeline: sniff → read → column plan → build.

- :mod:`~engine.csv.sniff`: the file's format guessed from its beginning
  (:func:`sniff`, :class:`CSVFormat`);
- :mod:`~engine.csv.read`: the file read once into a :class:`Table` of classified
  columns (:func:`load_table`), its SHA-256 (:mod:`~engine.csv.digest`) and short rows found on the way
  (:mod:`~engine.csv.scan`, or afterwards for a big file pandas reads on every core:
  :mod:`~engine.csv.parallel`); :func:`preview` for the first rows;
- :mod:`~engine.csv.plan`: what importing will do, column by column
  (:class:`ImportPlan`, which the import dialog asks; :class:`ImportChoices`, the
  decision);
- :mod:`~engine.csv.build`: the :class:`~engine.data.Dataset` and the report of
  every change (:func:`build_dataset`); :func:`read_csv` does it all with the
  defaults.
"""

from .build import build_dataset, read_csv, read_csv_text
from .columns import KINDS, ColumnInfo
from .digest import FileDigest, file_sha256
from .errors import ChoiceError, CSVCancelled, CSVError
from .plan import (
    ImportChoices,
    ImportPlan,
    default_choices,
    missing_summary,
    target_problem,
)
from .read import Table, load_table, preview
from .sniff import DELIMITER_NAMES, ENCODING_NAMES, WHITESPACE, CSVFormat, sniff

__all__ = [
    "DELIMITER_NAMES",
    "ENCODING_NAMES",
    "KINDS",
    "WHITESPACE",
    "CSVCancelled",
    "CSVError",
    "ChoiceError",
    "CSVFormat",
    "ColumnInfo",
    "FileDigest",
    "ImportChoices",
    "ImportPlan",
    "Table",
    "build_dataset",
    "default_choices",
    "file_sha256",
    "load_table",
    "missing_summary",
    "preview",
    "read_csv",
    "read_csv_text",
    "sniff",
    "target_problem",
]
