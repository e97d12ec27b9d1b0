"""Where llama.cpp keeps a model's weights and what a token reads (runtime/planning/memory.py),
for tied and untied embeddings at the layouts where the output head moves: every layer on the
GPU, and every layer plus the output (llama.cpp's n_gpu_layers = n_layers + 1). The planner's
memory figures and speeds are built from these (issue 11 §4: their mutants survived)."""
from __future__ import annotations

from runtime.modelfile import inspect
from runtime.planning.memory import LlamaLayout, active_bytes, weight_bytes
from tests.fixtures.models import real
from tests.runtime.test_planner import model


def layout(n_gpu: int) -> LlamaLayout:
    return LlamaLayout(n_gpu, 0, 4096, "f16", True)


def test_an_untied_models_output_head_goes_to_the_gpu_only_with_every_layer():
    m = model("DeepSeek-R1-Distill-Qwen-7B")
    assert not m.hparams.tied_embeddings and m.output_bytes > 0
    layers = sum(m.layer_bytes)
    assert weight_bytes(m, layout(m.n_layers)) == (m.embd_bytes + m.output_bytes, layers)
    assert weight_bytes(m, layout(m.n_layers + 1)) == (m.embd_bytes, layers + m.output_bytes)
    assert weight_bytes(m, layout(0)) == (m.embd_bytes + layers + m.output_bytes, 0)
    # a token reads every layer and the output head, never the whole embedding table
    assert active_bytes(m, layout(m.n_layers)) == (m.output_bytes, layers)
    assert active_bytes(m, layout(m.n_layers + 1)) == (0, layers + m.output_bytes)


def test_a_tied_models_output_head_is_its_embedding_table_read_whole_for_every_token():
    m = inspect(str(real.need_smollm2()))  # SmolLM2: the output head is the token embedding
    assert m.hparams.tied_embeddings and m.embd_bytes > 1000 * m.output_bytes
    layers = sum(m.layer_bytes)
    # on the GPU with every layer, the table is there too (as the head) and stays in RAM (lookups)
    assert weight_bytes(m, layout(m.n_layers + 1)) == (m.embd_bytes, layers + m.output_bytes + m.embd_bytes)
    assert weight_bytes(m, layout(m.n_layers)) == (m.embd_bytes + m.output_bytes, layers)
    assert active_bytes(m, layout(m.n_layers + 1)) == (0, layers + m.output_bytes + m.embd_bytes)
    assert active_bytes(m, layout(m.n_layers)) == (m.output_bytes + m.embd_bytes, layers)
    assert active_bytes(m, layout(0)) == (layers + m.output_bytes + m.embd_bytes, 0)
