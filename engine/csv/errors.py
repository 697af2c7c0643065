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
    ``'target_as_number'`` (the fields of :class:`~engine.settings.DataSource`), so
    that a caller can name its own control or command-line option. A choice still to
    be made has ``alternatives``, the choices that would settle it, and ``advice``
    in words (the message is ``problem; advice``); ``classes`` lists the target's
    classes when the choice is which of them is the positive one.
    """

    def __init__(
        self,
        problem: str,
        choice: str,
        classes: tuple[str, ...] = (),
        *,
        advice: str = "",
        alternatives: tuple[str, ...] = (),
    ):
        super().__init__(f"{problem}; {advice}" if advice else problem)
        self.problem = problem
        self.choice = choice
        self.classes = tuple(classes)
        self.advice = advice
        self.alternatives = tuple(alternatives)


class CSVCancelled(Exception):
    """Reading was cancelled by the user."""
