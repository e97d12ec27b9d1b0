"""DeskSeek's own llama.cpp decode loop (runtime/backends/llama_session.py) on the real SmolLM2 GGUF:
KV-cache reuse between turns, sampling, cancellation, the attached thread pool."""
import threading

import numpy as np
import pytest

from runtime.backends.llama_cpp import LlamaCppBackend
from runtime.types import CancelToken, ChatMessage, GenerationOptions, Plan
from tests.fixtures.models import real
from tests.runtime.test_llama_backend import collect

GREEDY = GenerationOptions(max_tokens=12, temperature=0.0, repeat_penalty=1.0)


def load(n_ctx=4096, n_threads=2) -> LlamaCppBackend:
    backend = LlamaCppBackend()
    backend.load(Plan(engine="llama_cpp", model_path=str(real.need_smollm2()), n_ctx=n_ctx,
                      n_threads=n_threads), lambda f: None)
    return backend


@pytest.fixture(scope="module")
def backend():
    b = load()
    yield b
    b.unload()


def reply(backend, messages, options=GREEDY, cancel=None):
    return collect(backend.stream(messages, options, cancel or CancelToken()))


def last_logits(backend) -> np.ndarray:
    import llama_cpp

    llm = backend._llm
    return np.ctypeslib.as_array(llama_cpp.llama_get_logits_ith(llm.ctx, -1), shape=(llm.n_vocab(),)).copy()


def test_the_next_turn_evaluates_only_what_follows_the_cached_prefix(backend):
    session = backend._session
    first = [ChatMessage("user", "Name three colours.")]
    answer, _ = reply(backend, first)
    second = first + [ChatMessage("assistant", answer), ChatMessage("user", "And three fruits?")]
    tokens, _ = backend._prompt_tokens(second)
    reused = session.evaluate_prompt(tokens)
    first_tokens, _ = backend._prompt_tokens(first)
    assert reused >= len(first_tokens)  # turn one's prompt stayed in the KV cache
    assert session.cached_tokens == len(tokens)
    warm = last_logits(backend)

    session.forget()  # the same prompt from an empty cache
    assert session.evaluate_prompt(tokens) == 0
    cold = last_logits(backend)
    assert warm.argmax() == cold.argmax()
    assert np.abs(warm - cold).max() < 0.05 * np.abs(cold).max()  # batch shapes differ, not the maths


def test_the_same_prompt_twice_decodes_one_token_for_fresh_logits(backend):
    messages = [ChatMessage("user", "Say hello.")]
    tokens, _ = backend._prompt_tokens(messages)
    backend._session.evaluate_prompt(tokens)
    assert backend._session.evaluate_prompt(tokens) == len(tokens) - 1


def test_greedy_is_deterministic_and_a_seed_repeats_a_sampled_reply(backend):
    messages = [ChatMessage("user", "Write one sentence about the sea.")]
    backend._session.forget()
    assert reply(backend, messages)[0] == (backend._session.forget() or reply(backend, messages)[0])
    sampled = GenerationOptions(max_tokens=16, temperature=0.9, top_k=50, top_p=0.95, seed=7)
    backend._session.forget()
    a = reply(backend, messages, sampled)[0]
    backend._session.forget()
    b = reply(backend, messages, sampled)[0]
    backend._session.forget()
    c = reply(backend, messages, GenerationOptions(max_tokens=16, temperature=0.9, seed=8))[0]
    assert a == b and a != c


def test_a_turn_stopped_inside_its_prompt_leaves_a_cache_the_next_turn_can_trust(backend):
    long_messages = [ChatMessage("user", "Summarise: " + "the river runs past the old mill. " * 400)]
    cancel = CancelToken()
    threading.Timer(0.05, cancel.cancel).start()
    _, stats = reply(backend, long_messages, cancel=cancel)
    assert stats.finish_reason == "cancelled" and stats.completion_tokens == 0

    short = [ChatMessage("user", "What is two plus two?")]
    after_abort = reply(backend, short)[0]
    fresh = load(n_ctx=4096)
    try:
        assert after_abort == reply(fresh, short)[0]
    finally:
        fresh.unload()


def test_a_thread_pool_is_attached_and_sized_for_prompt_and_reply_threads():
    # n_threads=None lets llama-cpp-python pick fewer threads for replies than for prompts;
    # a pool sized for the smaller number crashed llama.cpp's OpenMP loop on the first prompt.
    backend = load(n_ctx=512, n_threads=None)
    try:
        assert backend._pool is not None
        text, stats = reply(backend, [ChatMessage("user", "Hi!")])
        assert stats.completion_tokens > 0 and text
    finally:
        backend.unload()
    assert backend._pool is None


def reference_chain(options: GenerationOptions, seed: int, n_vocab: int):
    """llama.cpp's own samplers for these options, as llama-cpp-python's generate() chained them."""
    import llama_cpp as c

    chain = c.llama_sampler_chain_init(c.llama_sampler_chain_default_params())
    c.llama_sampler_chain_add(chain, c.llama_sampler_init_penalties(n_vocab, 64, options.repeat_penalty, 0.0, 0.0))
    if options.temperature <= 0:
        c.llama_sampler_chain_add(chain, c.llama_sampler_init_greedy())
        return chain
    for sampler in (c.llama_sampler_init_top_k(options.top_k), c.llama_sampler_init_top_p(options.top_p, 1),
                    c.llama_sampler_init_min_p(0.05, 1), c.llama_sampler_init_temp(options.temperature),
                    c.llama_sampler_init_dist(seed)):
        c.llama_sampler_chain_add(chain, sampler)
    return chain


@pytest.mark.parametrize("options", [
    GREEDY,
    GenerationOptions(temperature=0.0, repeat_penalty=1.3),
    GenerationOptions(temperature=0.8, top_k=40, top_p=0.95, repeat_penalty=1.1),
], ids=["greedy", "greedy with penalty", "sampled with penalty"])
def test_the_picks_are_llama_cpps_own_samplers_picks(backend, options):
    """The argmax shortcut and the penalty applied in place pick what llama.cpp's chain picks."""
    import llama_cpp

    session = backend._session
    tokens, _ = backend._prompt_tokens([ChatMessage("user", "List the planets of the solar system.")])
    session.forget()
    session.evaluate_prompt(tokens)
    picks = session.sample(options, seed=1234)
    ours = [next(picks) for _ in range(40)]
    picks.close()

    session.forget()
    session.evaluate_prompt(tokens)
    chain = reference_chain(options, 1234, backend._llm.n_vocab())
    theirs = []
    for _ in range(40):
        theirs.append(llama_cpp.llama_sampler_sample(chain, backend._llm.ctx, -1))
        session._decode([theirs[-1]])
    llama_cpp.llama_sampler_free(chain)
    assert ours == theirs
