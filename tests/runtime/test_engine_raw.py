"""Engine.complete: raw text continued as it is with the embedded SmolLM2 (no chat template), the
one fit rule shared with conversations, stop strings, and no reasoning split."""
import pytest

from runtime.engine import Engine
from runtime.loading import plans_for
from runtime.planner import PlanPreferences
from runtime.prompting import reply_reserve
from runtime.types import CancelToken, ChatMessage, Finished, GenerationOptions, TextDelta
from tests.fixtures.models.real import need_smollm2

N_CTX = 512
GREEDY = dict(temperature=0.0, repeat_penalty=1.0)


@pytest.fixture(scope="module")
def engine():
    engine = Engine()
    engine.load(plans_for(str(need_smollm2()), PlanPreferences(n_ctx=N_CTX)))
    yield engine
    engine.unload()


def complete(engine, prompt, **opts):
    events = list(engine.complete(prompt, GenerationOptions(**opts), CancelToken()))
    assert all(isinstance(e, TextDelta) for e in events[:-1]) and isinstance(events[-1], Finished)
    return "".join(e.text for e in events[:-1]), events[-1]


def test_raw_text_is_continued_without_the_chat_template(engine):
    prompt = "The capital of France is"
    text, done = complete(engine, prompt, max_tokens=6, **GREEDY)
    assert done.reason == "length" and done.completion_tokens == 6 and text.strip()
    assert done.prompt_tokens == engine.count_raw_tokens(prompt)
    assert done.prompt_tokens < engine.count_tokens([ChatMessage("user", prompt)])  # no template around it


def test_a_prompt_that_leaves_no_room_for_the_reply_is_a_sentence_not_cut(engine):
    options = dict(max_tokens=64, **GREEDY)
    reserve = reply_reserve(N_CTX, 64)
    prompt = "word " * (N_CTX - reserve)  # fits the context alone, not with the reply's reserve
    assert engine.count_raw_tokens(prompt) > N_CTX - reserve
    text, done = complete(engine, prompt, **options)
    assert done.reason == "error" and text == "" and done.completion_tokens == 0
    assert f"holds {N_CTX} tokens with {reserve} kept for the reply" in done.error


def test_stop_strings_cut_raw_text_and_think_tags_stay_text(engine):
    prompt = "<think>"
    free, _ = complete(engine, prompt, max_tokens=24, **GREEDY)
    words = free.split()
    assert len(words) > 3
    stop = words[2]
    cut, done = complete(engine, prompt, max_tokens=24, stop=(stop,), **GREEDY)
    assert done.reason == "stop" and cut == free[:free.index(stop)]
    events = list(engine.complete(prompt, GenerationOptions(max_tokens=24, **GREEDY), CancelToken()))
    assert not any(e.reasoning for e in events[:-1])  # raw text has no reasoning to split out


def test_a_cancelled_completion_ends_with_cancelled(engine):
    cancel = CancelToken()
    events = []
    for event in engine.complete("Once upon a time", GenerationOptions(max_tokens=200, temperature=0.8), cancel):
        events.append(event)
        if len(events) == 3:
            cancel.cancel()
    assert events[-1].reason == "cancelled" and events[-1].completion_tokens <= 4
