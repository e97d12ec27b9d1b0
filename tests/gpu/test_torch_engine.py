"""On a CUDA machine: the torch engine on the GPU, eager and compiled (CUDA graphs), in fp32 and bf16.

Skipped without CUDA. Tiny random-weight models are written on the fly; a few minutes at most
(the compiled decode step's cold compile dominates).
"""
from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.gpu
if not torch.cuda.is_available():
    pytest.skip("no CUDA GPU visible to torch", allow_module_level=True)

from runtime.backends.torch_moe.compiled import compiled_step  # noqa: E402
from runtime.backends.torch_moe.generate import generate_ids  # noqa: E402
from runtime.backends.torch_moe.loader import load_model  # noqa: E402
from tests.torch_moe.test_exact import _reference_greedy  # noqa: E402
from tests.torch_moe.tiny import make_model  # noqa: E402



@pytest.fixture(scope="module")
def v3(tmp_path_factory):
    path = tmp_path_factory.mktemp("v3")
    return path, make_model(path, "v3")


@pytest.fixture(scope="module")
def folders(tmp_path_factory, v3):
    built = {"v3": v3}

    def get(kind):
        if kind not in built:
            path = tmp_path_factory.mktemp(kind)
            built[kind] = (path, make_model(path, kind))
        return built[kind]

    return get


@pytest.mark.parametrize("kind", ["v3", "v2_lite", "deepseek_moe", "qwen3"])
def test_cuda_fp32_matches_transformers(folders, kind):
    path, hf = folders(kind)
    ids = list(range(2, 30))
    model = load_model(path, "cuda:0", "float32", n_ctx=128)
    with torch.no_grad():
        ref = hf(torch.tensor([ids])).logits[0]
        ours = model(torch.tensor([ids], device="cuda"), torch.arange(len(ids), device="cuda"), len(ids))
    torch.testing.assert_close(ours[0].cpu(), ref, atol=1e-3, rtol=0)
    ref_tokens, _ = _reference_greedy(hf, ids, 24)
    assert list(generate_ids(model, ids, 24, lambda lg, _h: int(lg.argmax()))) == ref_tokens


@pytest.mark.parametrize("dtype", ["float32", "bfloat16"])
def test_compiled_decode_matches_eager(v3, dtype):
    path, _ = v3
    ids = list(range(2, 20))
    model = load_model(path, "cuda:0", dtype, n_ctx=96)
    eager = list(generate_ids(model, ids, 32, lambda lg, _h: int(lg.argmax())))
    step = compiled_step(model)
    compiled = list(generate_ids(model, ids, 32, lambda lg, _h: int(lg.argmax()), step=step))
    agree = sum(a == b for a, b in zip(eager, compiled))
    assert agree == 32 if dtype == "float32" else agree >= 24  # bf16 may flip a near-tie


def test_backend_on_cuda_streams_text(v3):
    from runtime.backends.torch_moe.backend import TorchMoeBackend
    from runtime.types import CancelToken, ChatMessage, GenerationOptions, Plan

    path, _ = v3
    base = torch.cuda.memory_allocated()
    backend = TorchMoeBackend()
    backend.load(Plan(engine="torch", model_path=str(path), device="cuda:0", n_ctx=256), lambda f: None)
    gen = backend.stream([ChatMessage("user", "你好")], GenerationOptions(max_tokens=16, temperature=0), CancelToken())
    deltas = []
    try:
        while True:
            deltas.append(next(gen))
    except StopIteration as stop:
        stats = stop.value
    assert stats.completion_tokens > 0
    backend.unload()
    assert torch.cuda.memory_allocated() <= base + 2**20
