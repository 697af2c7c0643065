"""CSV benchmark: a 1,000,000-row × 20-column numeric file.

Measures, each in a fresh process so that the peak memory is its own:
``pandas.read_csv`` alone, and our whole import (sniff, chunked parse with progress,
column classification, building the dataset). Then, in the window's import dialog, the
longest pause of the event loop while the file loads on the worker thread.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
ROWS, COLS = 1_000_000, 20

PANDAS = """
import resource, sys, time
import pandas as pd
t = time.perf_counter()
df = pd.read_csv(sys.argv[1])
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""

OURS = """
import resource, sys, time
from engine.csv import build_dataset, default_choices, load_table
t = time.perf_counter()
table = load_table(sys.argv[1], progress=lambda f, m: None)
ds, report = build_dataset(table, default_choices(table))
assert ds.X.shape == (1_000_000, 19)
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""

BASELINE = """
import resource
import numpy, pandas
print(0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""

GUI = """
import os, sys, time
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6 import QtCore, QtWidgets
app = QtWidgets.QApplication([])
from gui import theme
theme.configure_pyqtgraph()
import main
from gui.app import create_window
from cli import window_options
w = create_window(**window_options(main.build_parser().parse_args(["--dataset", "diabetes"])))
w.show()
app.processEvents()
gaps, last = [], [time.perf_counter()]
def tick():
    now = time.perf_counter(); gaps.append(now - last[0]); last[0] = now
timer = QtCore.QTimer(); timer.timeout.connect(tick); timer.start(10)
t = time.perf_counter()
dlg = w.open_csv(sys.argv[1])
while dlg.worker is not None:
    app.processEvents(QtCore.QEventLoop.ProcessEventsFlag.AllEvents, 5)
took = time.perf_counter() - t
read_gap = max(gaps)
n = dlg.table.n_rows
gaps.clear(); last[0] = time.perf_counter()
t = time.perf_counter()
dlg.import_button.click()  # build, standardize and split on the worker
while w.session.dataset.name != "big.csv":
    app.processEvents(QtCore.QEventLoop.ProcessEventsFlag.AllEvents, 5)
imported = time.perf_counter() - t
print(took, read_gap * 1000, n, imported, max(gaps) * 1000)
"""


def make_file(folder: Path) -> Path:
    path = folder / "big.csv"
    if not path.exists():
        rng = np.random.default_rng(0)
        A = rng.standard_normal((ROWS, COLS)).round(6)
        header = ",".join(f"x{j}" for j in range(COLS - 1)) + ",y"
        np.savetxt(path, A, delimiter=",", header=header, comments="", fmt="%.6f")
    return path


def _run(code: str, path: Path) -> list[float]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    if out.returncode:
        raise RuntimeError(out.stderr[-2000:])
    return [float(v) for v in out.stdout.split()[-5:]]


def run() -> list[str]:
    folder = Path(tempfile.gettempdir()) / "l1l2-bench"
    folder.mkdir(exist_ok=True)
    t = time.perf_counter()
    path = make_file(folder)
    made = time.perf_counter() - t
    size = path.stat().st_size / 2**20
    base = _run(BASELINE, path)[1]
    pd_t, pd_mem = min((_run(PANDAS, path) for _ in range(2)), key=lambda r: r[0])
    our_t, our_mem = min((_run(OURS, path) for _ in range(2)), key=lambda r: r[0])
    lines = [
        f"{ROWS:,} × {COLS} numeric CSV ({size:.0f} MB; written in {made:.1f} s)",
        f"pandas.read_csv alone: {pd_t:.2f} s, peak memory {pd_mem:.0f} MB "
        f"({pd_mem - base:.0f} MB above Python with numpy and pandas loaded)",
        f"our import (sniff, chunked parse, classify, build): {our_t:.2f} s = "
        f"{our_t / pd_t:.2f}× pandas, peak memory {our_mem:.0f} MB "
        f"({our_mem - base:.0f} MB above the same baseline)",
    ]
    took, gap, n, imported, import_gap = _run(GUI, path)
    lines.append(
        f"import dialog, file parsed on the worker thread in {took:.2f} s; the "
        f"window's longest pause meanwhile: {gap:.0f} ms ({int(n):,} rows)"
    )
    lines.append(
        f"Import pressed: dataset built, standardized and split on the worker in "
        f"{imported:.2f} s; the window's longest pause: {import_gap:.0f} ms"
    )
    return lines


if __name__ == "__main__":
    for line in run():
        print(line)
