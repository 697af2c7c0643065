"""L1 vs L2 vs Elastic Net on the command line: ``--compare``.

Prints the table of :meth:`engine.compare.Comparison.table_lines`: the three
penalties on the run's data and split, at the run's step (and on their solutions
when the run was solved), with each penalty's strength chosen as
``--compare-lambda`` says. The numbers are the ones the window's Compare pane shows
for the same options: both come from :func:`engine.compare.compare` and the same
rows.
"""

from __future__ import annotations

__all__ = ["print_comparison", "report_compare"]


def report_compare(run, out) -> None:
    """Compare the penalties for ``run`` (an :class:`engine.run.Run` built from the
    options and executed) and print the table."""
    from engine.compare import compare

    tr = run.trainer
    comp = compare(run.settings, run.dataset, run.data)
    comp.follow(tr.step_count, solved=tr.solution is not None)
    print_comparison(comp, out)


def print_comparison(comp, out) -> None:
    """Print the table of a comparison brought to the run's state."""
    for line in comp.table_lines():
        print(line, file=out)
