"""The engine is pure numpy: importing every engine module loads no Qt."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_engine_imports_no_qt_module():
    modules = sorted(
        p.stem for p in (ROOT / "engine").glob("*.py") if p.stem != "__init__"
    )
    code = (
        "import sys, importlib\n"
        f"for m in {modules!r}: importlib.import_module('engine.' + m)\n"
        "from engine.datasets import load_dataset; load_dataset('two-features')\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in "
        "('PySide6', 'PyQt5', 'PyQt6', 'pyqtgraph', 'shiboken6', 'qtpy')]\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    r = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True
    )
    assert r.returncode == 0, r.stdout + r.stderr
    assert len(modules) >= 8
