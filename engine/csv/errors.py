"""The two ways a CSV import ends early: the file cannot be used, or the user stopped."""

from __future__ import annotations

from ..data import DataError

__all__ = ["CSVCancelled", "CSVError"]


class CSVError(DataError):
    """A CSV file that cannot be used; the message names the file and the reason."""


class CSVCancelled(Exception):
    """Reading was cancelled by the user."""
