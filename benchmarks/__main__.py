"""``make bench`` / ``python -m benchmarks``: every benchmark, one report."""

import platform
import sys
import time

from benchmarks import csv_bench, engine_bench, gui_bench, path_bench, stability_bench


def main() -> int:
    print(
        f"L1/L2 Explorer benchmarks, {time.strftime('%Y-%m-%d')}, Python "
        f"{platform.python_version()}, {platform.machine()}"
    )
    for section, module in (
        ("engine", engine_bench),
        ("regularization path and cross-validation", path_bench),
        ("window", gui_bench),
        ("CSV import", csv_bench),
        ("stability lab", stability_bench),
    ):
        print(f"\n== {section} ==", flush=True)
        for line in module.run():
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
