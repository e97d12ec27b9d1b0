from __future__ import annotations

import pytest

pytest.importorskip("torch")


@pytest.fixture(scope="session")
def tiny(tmp_path_factory):
    """tiny(kind, **kw) -> (folder, transformers model); each kind is built once per session."""
    from tests.torch_moe.tiny import make_model

    built = {}

    def get(kind: str, layers: int = 3):
        key = (kind, layers)
        if key not in built:
            path = tmp_path_factory.mktemp(f"{kind}_{layers}")
            built[key] = (path, make_model(path, kind, layers=layers))
        return built[key]

    return get
