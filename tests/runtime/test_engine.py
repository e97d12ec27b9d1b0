"""The Engine's own duties, with scripted backends: plan fallback, Finished always last,
errors as sentences, timing. The real llama.cpp path is tested in test_llama_backend.py."""
import pytest

from runtime.backends.base import Backend, GenerationStats
from runtime.engine import Engine
from runtime.types import (
    CancelToken,
    ChatMessage,
    Finished,
    GenerationOptions,
    ModelLoadError,
    Plan,
    TextDelta,
)


class Scripted(Backend):
    def __init__(self, fail_load=None, pieces=("Hel", "lo"), fail_at=None, ctx=4096):
        self.fail_load, self.pieces, self.fail_at, self.ctx = fail_load, pieces, fail_at, ctx
        self.loaded = False

    def load(self, plan, on_progress):
        if self.fail_load:
            raise ModelLoadError(self.fail_load)
        self.loaded = True

    def context_length(self):
        return self.ctx

    def count_tokens(self, messages):
        return sum(len(m.content.split()) + 4 for m in messages)

    def stream(self, messages, options, cancel):
        for i, p in enumerate(self.pieces):
            if i == self.fail_at:
                raise RuntimeError("kernel exploded")
            yield TextDelta(p)
        return GenerationStats(self.count_tokens(messages), len(self.pieces), "stop")

    def unload(self):
        self.loaded = False


def plan(reason, engine="llama_cpp"):
    return Plan(engine=engine, model_path="/models/m.gguf", reason=reason)


def run(engine, messages=(ChatMessage("user", "hi"),)):
    return list(engine.stream(list(messages), GenerationOptions(max_tokens=16), CancelToken()))


def test_falls_back_to_the_next_plan_and_keeps_its_reason():
    backends = iter([Scripted(fail_load="CUDA out of memory"), Scripted()])
    engine = Engine(lambda name: next(backends))
    info = engine.load([plan("GPU: 30/30 layers"), plan("CPU fallback")])
    assert info.reason == "CPU fallback" and info.engine == "llama_cpp"
    assert engine.plan.reason == "CPU fallback"


def test_all_plans_failing_says_why_each_failed():
    backends = iter([Scripted(fail_load="CUDA out of memory"), Scripted(fail_load="not enough RAM")])
    engine = Engine(lambda name: next(backends))
    with pytest.raises(ModelLoadError) as err:
        engine.load([plan("gpu"), plan("cpu")])
    assert "CUDA out of memory" in str(err.value) and "not enough RAM" in str(err.value)


def test_finished_is_last_with_counts_and_timing():
    engine = Engine(lambda name: Scripted())
    engine.load([plan("cpu")])
    events = run(engine)
    assert [e.text for e in events[:-1]] == ["Hel", "lo"]
    done = events[-1]
    assert isinstance(done, Finished) and done.reason == "stop"
    assert done.completion_tokens == 2 and done.prompt_tokens == 5
    assert done.time_to_first_token_s is not None and done.total_s >= done.time_to_first_token_s


def test_a_backend_crash_mid_reply_becomes_an_error_event():
    engine = Engine(lambda name: Scripted(pieces=("a", "b", "c"), fail_at=2))
    engine.load([plan("cpu")])
    events = run(engine)
    assert [e.text for e in events[:-1]] == ["a", "b"]
    assert events[-1].reason == "error" and "kernel exploded" in events[-1].error


def test_streaming_without_a_model_is_an_error_event_not_an_exception():
    events = run(Engine(lambda name: Scripted()))
    assert len(events) == 1 and events[0].reason == "error" and "No model" in events[0].error


def test_old_turns_are_dropped_to_fit_and_reported():
    engine = Engine(lambda name: Scripted(ctx=60))
    engine.load([plan("cpu")])
    history = [ChatMessage("system", "be brief")]
    for i in range(10):
        history += [ChatMessage("user", f"question {i} " * 3), ChatMessage("assistant", f"answer {i} " * 3)]
    history.append(ChatMessage("user", "last question"))
    done = run(engine, history)[-1]
    assert done.reason == "stop" and done.dropped_messages > 0


def test_every_registered_engine_can_be_created():
    """The registry names real classes (their heavy imports happen on load, not here)."""
    import importlib

    from runtime.backends import BACKENDS

    for engine, target in BACKENDS.items():
        module_name, class_name = target.split(":")
        assert hasattr(importlib.import_module(module_name), class_name), engine


def test_an_unknown_engine_is_a_clear_error():
    from runtime.backends import create_backend

    with pytest.raises(ModelLoadError, match="no engine called 'warp'"):
        create_backend("warp")


class Exploding(Scripted):
    """A backend with a bug: its load raises something that is not a DeskSeekError."""

    def load(self, plan, on_progress):
        raise RuntimeError("segment table is None")


def test_a_plan_that_fails_with_any_exception_falls_back_to_the_next():
    backends = iter([Exploding(), Scripted()])
    engine = Engine(lambda name: next(backends))
    info = engine.load([plan("GPU"), plan("CPU fallback")])
    assert info.reason == "CPU fallback" and run(engine)[-1].reason == "stop"


def test_every_plan_failing_with_bugs_is_still_a_sentence():
    engine = Engine(lambda name: Exploding())
    with pytest.raises(ModelLoadError, match="segment table is None"):
        engine.load([plan("gpu"), plan("cpu")])


def test_a_refused_local_model_gives_the_old_one_back():
    """Two local models may not fit together: the old one is let go, then loaded again."""
    made = []

    def factory(name):
        made.append(Scripted(fail_load="wrong shape" if len(made) == 1 else None))
        return made[-1]

    engine = Engine(factory)
    old = engine.load([plan("the working model")])
    with pytest.raises(ModelLoadError, match="wrong shape"):
        engine.load([plan("the refused one")])
    assert engine.info == old and engine.plan.reason == "the working model"
    assert not made[0].loaded and made[2].loaded  # unloaded for the new one, then reloaded
    assert run(engine)[-1].reason == "stop"


def test_a_refused_server_leaves_the_local_model_loaded():
    """A server takes no memory here, so the local model is never let go for it."""
    local, server = Scripted(), Scripted(fail_load="No OpenAI-compatible server answered")
    backends = iter([local, server])
    engine = Engine(lambda name: next(backends))
    old = engine.load([plan("local")])
    with pytest.raises(ModelLoadError, match="No OpenAI-compatible server"):
        engine.load([plan("server", engine="remote")])
    assert local.loaded and engine.info == old
    assert run(engine)[-1].reason == "stop"


def test_a_working_server_replaces_the_local_model():
    local = Scripted()
    backends = iter([local, Scripted()])
    engine = Engine(lambda name: next(backends))
    engine.load([plan("local")])
    assert engine.load([plan("server", engine="remote")]).engine == "remote"
    assert not local.loaded


def test_when_the_old_model_cannot_come_back_both_reasons_are_given():
    made = []

    def factory(name):
        made.append(Scripted(fail_load=None if not made else f"failure {len(made)}"))
        return made[-1]

    engine = Engine(factory)
    engine.load([plan("old")])
    with pytest.raises(ModelLoadError) as err:
        engine.load([plan("new")])
    assert "failure 1" in str(err.value) and "failure 2" in str(err.value) and "previous model" in str(err.value)
    assert engine.info is None and not engine.loaded


def test_the_backend_s_optional_attributes_are_declared_with_defaults():
    """Backend declares display_name and template_note; the Engine reads them without getattr."""
    class Named(Scripted):
        display_name = "qwen3 @ box:8000"
        template_note = "The file has no chat template; using ChatML."

    named = Engine(lambda name: Named()).load([plan("The server runs it.")])
    assert named.name == "qwen3 @ box:8000"
    assert named.reason == "The server runs it. The file has no chat template; using ChatML."
    plain = Engine(lambda name: Scripted()).load([plan("CPU")])
    assert (plain.name, plain.reason) == ("m.gguf", "CPU")  # no file there: the name as given
    import inspect

    import runtime.engine
    assert "getattr" not in inspect.getsource(runtime.engine)
