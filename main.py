"""L1/L2 Explorer: watch L1, L2 and Elastic Net regularization train a linear model.

This file only dispatches: the command line lives in ``cli/``, the window in
``gui/``, the computations in ``engine/``.
"""

import sys

from cli import build_parser, main

__all__ = ["build_parser", "main"]

if __name__ == "__main__":
    sys.exit(main())
