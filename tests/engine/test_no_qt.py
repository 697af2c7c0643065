"""The engine is pure numpy: importing every engine module (in its subpackages too)
loads no Qt."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_engine_imports_no_qt_module():
    modules = sorted(
        ".".join(("engine", *p.relative_to(ROOT / "engine").with_suffix("").parts))
        for p in (ROOT / "engine").rglob("*.py")
    )
    modules = [m.removesuffix(".__init__") for m in modules]
    code = (
        "import sys, importlib\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "from engine.datasets import load_dataset; load_dataset('two-features')\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in "
        "('PySide6', 'PyQt5', 'PyQt6', 'pyqtgraph', 'shiboken6', 'qtpy')]\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    r = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True
    )
    assert r.returncode == 0, r.stdout + r.stderr
    assert len(modules) >= 8 and "engine.path.cv" in modules
