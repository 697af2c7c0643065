"""CSV benchmark: a 1,000,000-row × 20-column numeric file.

Measures, each in a fresh process that reads its own peak memory (VmHWM):
``pandas.read_csv`` alone, and our whole import (sniff, parse with progress, column
classification, building the dataset), three times each, alternating. Then
:func:`engine.data.prepare` (standardize, split) and its peak memory beyond the dataset,
in units of the size of X; then, in the window's import dialog, the longest pause of the
event loop while the file loads on the worker thread.
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

# Each side runs in a fresh interpreter started by subprocess; the child reads its own
# peak resident memory, VmHWM in /proc/self/status. (getrusage's ru_maxrss is no use
# here: on Linux a child starts with its parent's peak, and the parent of these runs
# may have used gigabytes for the other benchmarks.)
PEAK = """
def peak_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
"""

PANDAS = (
    PEAK
    + """
import sys, time
import numpy, pandas as pd
t, c = time.perf_counter(), time.process_time()
df = pd.read_csv(sys.argv[1])
print(time.perf_counter() - t, peak_mb(), time.process_time() - c)
"""
)

OURS = (
    PEAK
    + """
import sys, time
import numpy, pandas
from engine.csv import build_dataset, default_choices, load_table
t, c = time.perf_counter(), time.process_time()
table = load_table(sys.argv[1], progress=lambda f, m: None)
ds, report = build_dataset(table, default_choices(table))
assert ds.X.shape == (1_000_000, 19)
print(time.perf_counter() - t, peak_mb(), time.process_time() - c)
"""
)

BASELINE = (
    PEAK
    + """
import numpy, pandas
from engine.csv import build_dataset
print(0, peak_mb())
"""
)

# prepare (standardize, split 80/20) in a fresh process: its peak beyond the dataset,
# in units of the size of X
PREPARE = (
    PEAK
    + """
import sys, time
import numpy as np
from engine.data import Dataset, prepare
n, d = int(sys.argv[1]), int(sys.argv[2])
rng = np.random.default_rng(0)
X = np.empty((n, d))
for i in range(0, n, 1000):
    X[i : i + 1000] = rng.standard_normal((min(1000, n - i), d))
ds = Dataset(X, rng.standard_normal(n), tuple(f"x{j}" for j in range(d)))
before = peak_mb()
t = time.perf_counter()
td = prepare(ds, validation=0.2, seed=0)
took = time.perf_counter() - t
print(took, (peak_mb() - before) / (X.nbytes / 2**20), X.nbytes / 2**20)
"""
)

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


def _run(code: str, *args) -> list[float]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run(
        [sys.executable, "-c", code, *map(str, args)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    if out.returncode:
        raise RuntimeError(out.stderr[-2000:])
    return [float(v) for v in out.stdout.split()[-5:]]


def _mem_total_mb() -> float:
    """The machine's memory in MB (NaN where /proc/meminfo cannot be read)."""
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return float("nan")  # not Linux: the bench says "nan MB" rather than guess
    return float("nan")


def run() -> list[str]:
    folder = Path(tempfile.gettempdir()) / "l1l2-bench"
    folder.mkdir(exist_ok=True)
    t = time.perf_counter()
    path = make_file(folder)
    made = time.perf_counter() - t
    size = path.stat().st_size / 2**20
    base = _run(BASELINE, path)[1]
    pairs = [(_run(PANDAS, path), _run(OURS, path)) for _ in range(3)]  # alternating
    pd_t, pd_mem, pd_cpu = min((p for p, _ in pairs), key=lambda r: r[0])
    our_t, our_mem, our_cpu = min((o for _, o in pairs), key=lambda r: r[0])
    ratios = sorted(o[0] / p[0] for p, o in pairs)
    cpu = sorted(o[2] / p[2] for p, o in pairs)  # all threads' CPU time
    lines = [
        f"{ROWS:,} × {COLS} numeric CSV ({size:.0f} MB; written in {made:.1f} s)",
        f"pandas.read_csv alone (fresh process, best of 3): {pd_t:.2f} s, peak memory "
        f"{pd_mem:.0f} MB ({pd_mem - base:.0f} MB above Python with numpy, pandas "
        "and engine.csv loaded)",
        f"our import (sniff, parse, classify, build; fresh process, best of 3): "
        f"{our_t:.2f} s = {our_t / pd_t:.2f}× pandas (pairs run side by side: "
        f"{ratios[0]:.2f}–{ratios[-1]:.2f}×), peak memory {our_mem:.0f} MB "
        f"({our_mem - base:.0f} MB above the same baseline)",
        f"CPU time, all threads (this machine's cores are shared, so wall time "
        f"waits for them): ours {our_cpu:.2f} s, pandas {pd_cpu:.2f} s; pairs "
        f"{cpu[0]:.2f}–{cpu[-1]:.2f}×",
    ]
    total = _mem_total_mb()
    for n, d in ((1_000_000, 20), (4000, 2000), (10_000, 5000)):
        took, ratio, xmb = _run(PREPARE, n, d)
        lines.append(
            f"prepare (standardize, 80/20 split) {n:,} × {d:,} (X {xmb:.0f} MB): "
            f"{took:.2f} s, peak {ratio:.2f}× the size of X beyond the dataset"
        )
    big = 40_000 * 20_000 * 8 / 2**20
    lines.append(
        f"so 40,000 × 20,000 (X {big / 1024:.1f} GB) needs about "
        f"{(1 + ratio) * big / 1024:.1f} GB with the dataset, of {total / 1024:.0f} GB "
        "on this machine (not run: more than half of it)"
    )
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
