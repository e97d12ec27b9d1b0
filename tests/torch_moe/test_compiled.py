"""The decode step traces as one graph (what CUDA graphs need) and decodes the same tokens."""
from __future__ import annotations

import logging

import pytest

from runtime.backends.torch_moe.compiled import compiled_step
from runtime.backends.torch_moe.generate import generate_ids
from runtime.backends.torch_moe.loader import load_model


@pytest.mark.parametrize("kind", ["v3", "qwen2", "qwen3", "deepseek_moe"])
def test_decode_step_is_a_single_graph(tiny, kind, caplog):
    path, _ = tiny(kind)
    model = load_model(path, dtype="float32", n_ctx=48)
    greedy = lambda lg, _h: int(lg.argmax())  # noqa: E731
    ids = list(range(2, 14))
    eager = list(generate_ids(model, ids, 10, greedy))
    # Trace only (backend="eager"): fullgraph=True raises on any graph break, and the step
    # would then log a warning and fall back to eager.
    step = compiled_step(model, backend="eager")
    with caplog.at_level(logging.WARNING):
        traced = list(generate_ids(model, ids, 10, greedy, step=step))
    assert not [r for r in caplog.records if "compiled decode failed" in r.getMessage()]
    assert traced == eager
