"""The app runs numpy's BLAS on one thread unless the user sets it (see main.py)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHECK = (
    "import main, numpy\n"
    "from threadpoolctl import threadpool_info\n"
    "print(max(i['num_threads'] for i in threadpool_info() if i['user_api'] == 'blas'))"
)


@pytest.mark.parametrize(
    "given, expected", [(None, 1), ("2", min(2, os.cpu_count() or 1))]
)
def test_main_sets_one_blas_thread_unless_told(given, expected):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
    }
    if given is not None:
        env["OPENBLAS_NUM_THREADS"] = given
    out = subprocess.run(
        [sys.executable, "-c", CHECK],
        cwd=ROOT,
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert int(out.stdout.strip()) == expected
