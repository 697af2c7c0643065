"""Soak: the window plays 100,000 training steps (and more, if asked) and its memory
stays flat. Not a unit test: it takes a minute or two; run it with ``make soak``.

The window is the real one, offscreen, on houses (1,000 features) with L1: Play's
timer ticks, every pane redraws and is painted (each viewport grabbed), and λ is
moved every 10,000 steps so the history records changes too. The process's resident
memory is sampled every 10,000 steps; after a warm-up of 20,000 steps it must grow
by less than ``--allow`` MB (default 20) over the rest, else the exit status is 1.

    python -m benchmarks.soak [--steps 100000] [--allow 20]
"""

from __future__ import annotations

import argparse
import os
import sys
import time

WARM_UP = 20_000
EVERY = 10_000


def rss_mb() -> float:
    """This process's resident set size now (Linux: /proc; else the peak)."""
    try:
        with open(f"/proc/{os.getpid()}/statm") as f:
            pages = int(f.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 1e6
    except OSError:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=100_000)
    ap.add_argument("--allow", type=float, default=20.0, help="MB of growth allowed")
    args = ap.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6 import QtWidgets

    from cli import build_parser, window_options
    from gui import theme
    from gui.app import create_window

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    theme.configure_pyqtgraph()
    opts = build_parser().parse_args(["--dataset", "houses", "--penalty", "l1"])
    window = create_window(**window_options(opts))
    window.resize(1366, 768)
    window.show()
    s = window.session
    s.set_steps_per_frame(200)
    views = [
        v
        for pane in window.panes.values()
        for v in pane.findChildren(QtWidgets.QWidget)
    ]
    samples: list[tuple[int, float]] = []
    lam = s.settings.lam1 or 1.0
    t0 = time.perf_counter()
    next_sample = 0
    s.play()
    while s.trainer.step_count < args.steps:
        app.processEvents()
        if not s.playing:  # a divergence or an error stopped it: say so
            print(
                f"soak: Play stopped at step {s.trainer.step_count:,}", file=sys.stderr
            )
            return 1
        if s.trainer.step_count >= next_sample:
            for v in views[:: max(1, len(views) // 20)]:
                v.grab()  # painted, not just updated
            samples.append((s.trainer.step_count, rss_mb()))
            print(
                f"step {samples[-1][0]:>8,}  rss {samples[-1][1]:8.1f} MB", flush=True
            )
            lam *= 1.05
            s.edit(lam1=lam)
            next_sample += EVERY
    s.pause()
    samples.append((s.trainer.step_count, rss_mb()))
    elapsed = time.perf_counter() - t0
    after = [m for step, m in samples if step >= WARM_UP]
    growth = max(after) - after[0] if after else 0.0
    print(
        f"soak: {s.trainer.step_count:,} steps in {elapsed:.0f} s; memory after "
        f"{WARM_UP:,} steps grew {growth:+.1f} MB (allowed {args.allow:g} MB)"
    )
    window.close()
    return 0 if growth < args.allow else 1


if __name__ == "__main__":
    sys.exit(main())
