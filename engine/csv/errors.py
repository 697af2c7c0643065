"""The ways a CSV import ends early: the file cannot be used, a choice does not fit
the file, or the user stopped."""

from __future__ import annotations

from ..data import DataError

__all__ = ["CSVCancelled", "CSVError", "ChoiceError"]


class CSVError(DataError):
    """A CSV file that cannot be used; the message names the file and the reason."""


class ChoiceError(CSVError):
    """An import choice the file does not allow, or one that must still be made.

    ``choice`` names it: ``'target'``, ``'one_hot'``, ``'positive_class'`` or
    ``'as_number'`` (the fields of :class:`~engine.settings.DataSource`), so that a
    caller can name its own control or command-line option; ``classes`` lists the
    target's classes when the choice is which of them is the positive one.
    """

    def __init__(self, message: str, choice: str, classes: tuple[str, ...] = ()):
        super().__init__(message)
        self.choice = choice
        self.classes = tuple(classes)


class CSVCancelled(Exception):
    """Reading was cancelled by the user."""
