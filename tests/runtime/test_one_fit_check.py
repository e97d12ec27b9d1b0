"""One prompt-fit check, the Engine's: with the real llama.cpp engine a prompt too long is refused
once, in fit_messages's words; the backend itself only stops the reply where the context is full."""
import pytest

from runtime.backends.llama_cpp import LlamaCppBackend
from runtime.engine import Engine
from runtime.types import CancelToken, ChatMessage, Finished, GenerationOptions, Plan
from tests.fixtures.models import real

N_CTX = 256


@pytest.fixture(scope="module")
def engine():
    backend = LlamaCppBackend()
    engine = Engine(lambda _name: backend)
    engine.load([Plan(engine="llama_cpp", model_path=str(real.need_smollm2()), n_ctx=N_CTX, n_threads=2)])
    yield engine
    engine.unload()


def message_of(engine, tokens: int) -> list[ChatMessage]:
    """The longest user message whose prompt (as the chat template makes it) is at most `tokens`."""
    def message(words: int) -> list[ChatMessage]:
        return [ChatMessage("user", "Count on: " + " ".join(str(i) for i in range(1, words + 1)))]

    lo, hi = 0, tokens
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if engine.count_tokens(message(mid)) <= tokens:
            lo = mid
        else:
            hi = mid - 1
    return message(lo)


def test_a_prompt_too_long_is_refused_once_in_the_engine_s_words(engine):
    events = list(engine.stream(message_of(engine, 600), GenerationOptions(max_tokens=1024), CancelToken()))
    (done,) = events
    assert done.reason == "error" and done.error.startswith("The last message takes ")
    assert f"but the context holds {N_CTX} tokens with {N_CTX // 4} kept for the reply" in done.error


def test_the_backend_stops_the_reply_where_the_context_is_full(engine):
    """max_tokens asks for more than the context has left: the reply takes the room, no more."""
    backend = engine._backend
    messages = message_of(engine, N_CTX - 4)
    room = N_CTX - backend.count_tokens(messages)
    gen = backend.stream(messages, GenerationOptions(max_tokens=100, temperature=0.0), CancelToken())
    with pytest.raises(StopIteration) as stop:
        while True:
            next(gen)
    stats = stop.value.value
    assert 0 < room <= 4 and stats.completion_tokens <= room
    assert stats.finish_reason == "stop" or (stats.finish_reason, stats.completion_tokens) == ("length", room)


def test_the_backend_alone_refuses_nothing_when_the_context_is_full(engine):
    backend = engine._backend
    full = message_of(engine, N_CTX + 40)
    assert backend.count_tokens(full) > N_CTX
    with pytest.raises(StopIteration) as stop:
        next(backend.stream(full, GenerationOptions(max_tokens=8), CancelToken()))
    stats = stop.value.value
    assert (stats.prompt_tokens, stats.completion_tokens, stats.finish_reason) == (
        backend.count_tokens(full), 0, "length")
