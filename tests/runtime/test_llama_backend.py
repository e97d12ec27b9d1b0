"""The llama.cpp backend on the real embedded SmolLM2 GGUF."""
import threading
import time

import pytest

from runtime.backends.llama_cpp import LlamaCppBackend
from runtime.types import CancelToken, ChatMessage, GenerationOptions, ModelLoadError, Plan
from tests.fixtures.models import real


@pytest.fixture(scope="module")
def backend():
    progress = []
    b = LlamaCppBackend()
    b.load(Plan(engine="llama_cpp", model_path=str(real.need_smollm2()), n_ctx=8192, n_threads=2),
           progress.append)
    b.progress = progress
    yield b
    b.unload()


def collect(gen):
    pieces = []
    try:
        while True:
            pieces.append(next(gen).text)
    except StopIteration as stop:
        return "".join(pieces), stop.value


def test_load_reports_progress_from_llama_cpp(backend):
    assert backend.progress[0] == 0.0 and backend.progress[-1] == 1.0
    assert len(backend.progress) > 3  # llama.cpp's own steps, not just start and end
    assert backend.has_chat_template and backend.context_length() == 8192


def test_greedy_reply_uses_the_gguf_chat_template(backend):
    text, stats = collect(backend.stream([ChatMessage("user", "What is the capital of France?")],
                                         GenerationOptions(max_tokens=32, temperature=0.0), CancelToken()))
    assert "Paris" in text
    assert stats.finish_reason == "stop" and stats.completion_tokens > 0
    assert stats.prompt_tokens == backend.count_tokens([ChatMessage("user", "What is the capital of France?")])


def test_max_tokens_ends_with_length(backend):
    text, stats = collect(backend.stream([ChatMessage("user", "Tell me a long story.")],
                                         GenerationOptions(max_tokens=5, temperature=0.0), CancelToken()))
    assert stats.finish_reason == "length" and stats.completion_tokens == 5 and text


def test_stop_during_a_long_prompt_is_prompt(backend):
    """Stop interrupts llama.cpp inside the prompt's evaluation, not after it."""
    cancel = CancelToken()
    messages = [ChatMessage("user", "Tell me about bread. " * 1200)]
    threading.Timer(0.2, cancel.cancel).start()
    start = time.monotonic()
    text, stats = collect(backend.stream(messages, GenerationOptions(max_tokens=64), cancel))
    assert stats.finish_reason == "cancelled" and stats.completion_tokens == 0
    assert time.monotonic() - start < 1.5
    text, stats = collect(backend.stream([ChatMessage("user", "Hi")],
                                         GenerationOptions(max_tokens=4, temperature=0.0), CancelToken()))
    assert stats.completion_tokens == 4  # the context is usable again after the abort


def test_same_seed_same_reply(backend):
    opts = GenerationOptions(max_tokens=16, temperature=0.9, seed=1234)
    msgs = [ChatMessage("user", "Invent a name for a cat.")]
    assert collect(backend.stream(msgs, opts, CancelToken()))[0] == collect(backend.stream(msgs, opts, CancelToken()))[0]


def test_a_file_llama_cpp_rejects_is_a_load_error(tmp_path):
    bad = tmp_path / "half.gguf"
    bad.write_bytes(real.need_smollm2().read_bytes()[:3_000_000])
    with pytest.raises(ModelLoadError, match="half.gguf"):
        LlamaCppBackend().load(Plan(engine="llama_cpp", model_path=str(bad)), lambda f: None)


def test_a_reply_cut_inside_a_character_never_ends_in_a_replacement_character(backend):
    """SmolLM2 writes Chinese in byte tokens; every cut point must end on a whole character."""
    for n in range(1, 13):
        text, _ = collect(backend.stream([ChatMessage("user", "请写一首关于春天的短诗。")],
                                         GenerationOptions(max_tokens=n, temperature=0.0), CancelToken()))
        assert "\ufffd" not in text, (n, text)


def test_a_missing_llama_library_is_named_not_a_traceback(monkeypatch):
    """A damaged install (the package's .so gone) says which part is missing."""
    import sys

    monkeypatch.setitem(sys.modules, "llama_cpp", None)  # import llama_cpp now raises ImportError
    plan = Plan(engine="llama_cpp", model_path=str(real.smollm2()), device="cpu", n_ctx=512)
    with pytest.raises(ModelLoadError, match=r"llama\.cpp could not be loaded .*libllama, libggml.*Reinstall"):
        LlamaCppBackend().load(plan, lambda _f: None)
