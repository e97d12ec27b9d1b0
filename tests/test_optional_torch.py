"""Without torch the torch engine's tests are reported as skipped, with why; not silently absent."""
import os
import subprocess
import sys
from pathlib import Path

HIDE_TORCH_AND_RUN = """
import sys
sys.modules["torch"] = None  # as if torch were not installed: `import torch` raises ImportError
import pytest
sys.exit(pytest.main(["tests/torch_moe", "-q", "-rs", "-p", "no:cacheprovider"]))
"""


def test_torch_engine_tests_are_reported_as_skipped_without_torch():
    root = Path(__file__).parent.parent
    files = sorted((root / "tests" / "torch_moe").glob("test_*.py"))
    run = subprocess.run([sys.executable, "-c", HIDE_TORCH_AND_RUN], cwd=root, capture_output=True,
                         text=True, timeout=300, env=dict(os.environ, PYTHONPATH=str(root)))
    # 5: pytest's "no tests collected", which is what a folder skipped while collected is.
    assert run.returncode == 5, run.stdout[-3000:] + run.stderr[-3000:]
    assert f"SKIPPED [{len(files)}]" in run.stdout and "torch is not installed" in run.stdout, run.stdout[-3000:]
    assert f"{len(files)} skipped" in run.stdout
