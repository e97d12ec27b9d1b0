"""The direction of dependencies, and the Qt pin, checked as tests so CI enforces them."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_hold():
    lint = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" in result.stdout and "0 broken" in result.stdout


def test_app_package_imports_without_torch_or_llama_cpp():
    code = (
        "import sys, app.__main__, app.ui.main_window, runtime.engine;"
        "bad = [m for m in ('torch', 'llama_cpp', 'transformers') if m in sys.modules];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                            env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stdout + result.stderr


def test_many_signal_emits_do_not_abort_the_process():
    """PySide6 6.12.0 on Python 3.11 aborted after a few hundred emits (bool_dealloc)."""
    code = """
from PySide6.QtCore import QCoreApplication, QObject, Signal
class S(QObject):
    fired = Signal(int, str, bool)
app = QCoreApplication([])
s = S(); seen = []
s.fired.connect(lambda i, t, b: seen.append(b))
for i in range(20000):
    s.fired.emit(i, "x", True)
print(len(seen))
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "20000"
