from __future__ import annotations

import pytest

try:  # the torch engine is optional
    import torch  # noqa: F401
except ImportError:
    class _WithoutTorch(pytest.Module):
        """A test file of this folder, reported as skipped (with why) instead of imported."""

        def collect(self):
            pytest.skip("torch is not installed (the torch engine's tests need pip install -e '.[torch]')")

    def pytest_pycollect_makemodule(module_path, parent):
        return _WithoutTorch.from_parent(parent, path=module_path)


@pytest.fixture(scope="session")
def tiny(tmp_path_factory):
    """tiny(kind, layers=3) -> (folder, transformers model); each is built once per session."""
    pytest.importorskip("transformers")  # a test-only dependency: the reference implementation
    from tests.torch_moe.tiny import make_model

    built = {}

    def get(kind: str, layers: int = 3):
        key = (kind, layers)
        if key not in built:
            path = tmp_path_factory.mktemp(f"{kind}_{layers}")
            built[key] = (path, make_model(path, kind, layers=layers))
        return built[key]

    return get
