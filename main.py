"""L1/L2 Explorer: watch L1, L2 and Elastic Net regularization train a linear model.

This file only dispatches: the command line lives in ``cli/``, the window in
``gui/``, the computations in ``engine/``.
"""

import os
import sys

# One BLAS thread unless the user says otherwise, set before numpy is imported. The
# engine's solvers are many small matrix products (active sets, kept inverses, one
# fold's path after another), where a second BLAS thread only contends: on a shared
# 2-core machine, choosing the compare pane's strengths on houses took 21-26 s with
# two OpenBLAS threads and 5.5 s with one (45 s and 6 s in the window). The
# benchmarks measure with one thread too.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

from cli import build_parser, main  # noqa: E402

__all__ = ["build_parser", "main"]

if __name__ == "__main__":
    sys.exit(main())
