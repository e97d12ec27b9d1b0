"""The torch engine through the Backend protocol, and the bad inputs it must refuse clearly."""
from __future__ import annotations

import json
import shutil

import pytest
import torch

from runtime.backends.torch_moe import loader
from runtime.backends.torch_moe.backend import TorchMoeBackend
from runtime.backends.torch_moe.generate import generate_ids
from runtime.types import (
    CancelToken, ChatMessage, GenerationOptions, ModelFileError, ModelLoadError, Plan,
)

GREEDY = GenerationOptions(max_tokens=12, temperature=0.0, repeat_penalty=1.0)


def _plan(path, **kw):
    kw = {"device": "cpu", "dtype": "float32", "n_ctx": 256, **kw}
    return Plan(engine="torch", model_path=str(path), **kw)


def _run(backend, messages, options, cancel=None):
    gen = backend.stream(messages, options, cancel or CancelToken())
    deltas = []
    while True:
        try:
            deltas.append(next(gen))
        except StopIteration as stop:
            return deltas, stop.value


@pytest.fixture(scope="module")
def loaded(tiny):
    path, _ = tiny("v3")
    backend = TorchMoeBackend()
    progress = []
    backend.load(_plan(path), progress.append)
    assert progress[-1] == 1.0 and progress == sorted(progress)
    return backend


def test_stream_is_the_greedy_continuation_of_the_template(loaded):
    messages = [ChatMessage("user", "你好，世界")]
    ids, _ = loaded._prompt(messages)
    assert ids.count(loaded._tok.bos_id) == 1 and loaded.count_tokens(messages) == len(ids)
    expected = []
    for t in generate_ids(loaded._model, ids, 12, lambda lg, _h: int(lg.argmax())):
        if t in loaded._tok.stop_ids:
            break
        expected.append(t)
    deltas, stats = _run(loaded, messages, GREEDY)
    assert "".join(d.text for d in deltas) == loaded._tok.decode(expected)
    assert stats.prompt_tokens == len(ids) and stats.completion_tokens == len(expected)
    assert stats.finish_reason == ("length" if len(expected) == 12 else "stop")


def test_stop_string_and_cancel(loaded):
    messages = [ChatMessage("user", "Hello world")]
    full = "".join(d.text for d in _run(loaded, messages, GREEDY)[0])
    assert len(full) > 3
    deltas, stats = _run(loaded, messages, GenerationOptions(
        max_tokens=12, temperature=0.0, repeat_penalty=1.0, stop=(full[2:4],)))
    assert stats.finish_reason == "stop" and "".join(d.text for d in deltas) == full[:2]
    cancel = CancelToken()
    gen = loaded.stream(messages, GREEDY, cancel)
    cancel.cancel()
    with pytest.raises(StopIteration) as done:
        next(gen)
    assert done.value.value.finish_reason == "cancelled"


def test_raw_text_is_the_greedy_continuation_of_its_own_tokens(loaded):
    prompt = "你好，世界"
    ids = loaded._tok.encode(prompt)  # the tokenizer's own BOS rule, no template
    assert loaded.count_raw_tokens(prompt) == len(ids) < loaded.count_tokens([ChatMessage("user", prompt)])
    expected = []
    for t in generate_ids(loaded._model, ids, 12, lambda lg, _h: int(lg.argmax())):
        if t in loaded._tok.stop_ids:
            break
        expected.append(t)
    gen = loaded.stream_raw(prompt, GREEDY, CancelToken())
    deltas = []
    while True:
        try:
            deltas.append(next(gen))
        except StopIteration as stop:
            stats = stop.value
            break
    assert "".join(d.text for d in deltas) == loaded._tok.decode(expected)
    assert not any(d.reasoning for d in deltas)
    assert stats.prompt_tokens == len(ids) and stats.completion_tokens == len(expected)


def test_sampling_with_seed_is_reproducible(loaded):
    opts = GenerationOptions(max_tokens=10, temperature=1.0, top_p=0.9, top_k=20, seed=3)
    runs = ["".join(d.text for d in _run(loaded, [ChatMessage("user", "hi")], opts)[0]) for _ in range(2)]
    assert runs[0] == runs[1]


@pytest.fixture
def broken(tiny, tmp_path):
    src, _ = tiny("llama")
    dst = tmp_path / "m"
    shutil.copytree(src, dst)
    return dst


def _edit_config(path, **changes):
    cfg = json.loads((path / "config.json").read_text())
    cfg.update(changes)
    (path / "config.json").write_text(json.dumps(cfg))


def _load_error(path, **plan):
    backend = TorchMoeBackend()
    with pytest.raises((ModelFileError, ModelLoadError)) as err:
        backend.load(_plan(path, **plan), lambda f: None)
    assert backend._model is None
    return str(err.value)


def test_missing_shard(broken):
    next(broken.glob("model-00002-*.safetensors")).unlink()
    assert "model-00002" in _load_error(broken) and "missing" in _load_error(broken)


def test_shape_that_does_not_match_config(broken):
    _edit_config(broken, intermediate_size=100)
    assert "shape" in _load_error(broken)


def test_unsupported_dtype_and_architecture(broken):
    backend = TorchMoeBackend()
    with pytest.raises(ModelLoadError, match="float64"):
        backend.load(Plan(engine="torch", model_path=str(broken), dtype="float64"), lambda f: None)
    _edit_config(broken, model_type="mamba", architectures=["MambaForCausalLM"])
    assert "MambaForCausalLM" in _load_error(broken)


def test_fp8_checkpoint_is_refused(broken):
    _edit_config(broken, quantization_config={"quant_method": "fp8"})
    assert "fp8" in _load_error(broken)


def test_not_enough_memory(broken, monkeypatch):
    monkeypatch.setattr(loader, "available_bytes", lambda dev: 1000)
    assert "Not enough memory" in _load_error(broken)


def test_unsupported_tensor_dtype(broken):
    from safetensors.torch import load_file, save_file

    shard = next(broken.glob("model-00001-*.safetensors"))
    tensors = load_file(shard)
    name = next(iter(tensors))
    tensors[name] = tensors[name].to(torch.float64)
    save_file(tensors, shard, metadata={"format": "pt"})
    assert "F64" in _load_error(broken)


def test_next_turn_reuses_the_cached_prefix_and_says_the_same(tiny, monkeypatch):
    from runtime.backends.torch_moe import generate

    path, _ = tiny("v3")
    first = [ChatMessage("user", "Hello world")]
    warm, cold = TorchMoeBackend(), TorchMoeBackend()
    warm.load(_plan(path), lambda f: None)
    cold.load(_plan(path), lambda f: None)
    reply = "".join(d.text for d in _run(warm, first, GREEDY)[0])
    second = first + [ChatMessage("assistant", reply), ChatMessage("user", "你好")]
    computed = []
    real = generate.prefill
    monkeypatch.setattr(generate, "prefill", lambda m, ids, **kw: computed.append(len(ids)) or real(m, ids, **kw))
    warm_text = "".join(d.text for d in _run(warm, second, GREEDY)[0])
    cold_text = "".join(d.text for d in _run(cold, second, GREEDY)[0])
    full = cold.count_tokens(second)
    assert computed[1] == full and computed[0] < full - len(warm._tok.encode(reply, add_bos=False)) // 2
    assert warm_text == cold_text


def test_the_app_engine_drives_it_by_name(tiny):
    """The window's Engine creates the backend from the plan's engine name and streams from it."""
    from runtime.engine import Engine
    from runtime.types import Finished

    path, _ = tiny("v3")
    engine = Engine()
    loaded = engine.load([_plan(path)])
    assert loaded.engine == "torch" and loaded.context_length == 256
    events = list(engine.stream([ChatMessage("user", "你好")], GREEDY, CancelToken()))
    assert isinstance(events[-1], Finished) and events[-1].reason in ("stop", "length")
    assert events[-1].error is None and events[-1].completion_tokens > 0
    engine.unload()


def test_tensor_missing_from_its_shard(broken):
    from safetensors.torch import load_file, save_file

    shard = next(broken.glob("model-00001-*.safetensors"))
    tensors = load_file(shard)
    gone = sorted(tensors)[0]
    del tensors[gone]
    save_file(tensors, shard, metadata={"format": "pt"})
    assert gone in _load_error(broken)


def test_the_engine_s_fit_check_is_the_only_refusal(loaded, tiny):
    """A prompt longer than the context: the Engine says so in fit_messages's words; the backend
    alone only has no room for a reply (no second refusal in other words)."""
    from runtime.engine import Engine

    too_long = [ChatMessage("user", "你好，世界。" * 100)]
    assert loaded.count_tokens(too_long) > loaded.context_length()
    deltas, stats = _run(loaded, too_long, GREEDY)
    assert deltas == [] and (stats.completion_tokens, stats.finish_reason) == (0, "length")
    engine = Engine()
    engine.load([_plan(tiny("v3")[0])])
    (done,) = engine.stream(too_long, GREEDY, CancelToken())
    engine.unload()
    assert done.reason == "error" and done.error.startswith("The last message takes ")
