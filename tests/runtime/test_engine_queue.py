"""The EngineQueue: one thread owns the Engine; lanes served round-robin; cancelled waiting jobs
end without running; calls and loads on the engine thread. Ordering is checked with a scripted
backend behind the real Engine, the real path with the embedded SmolLM2."""
import threading

import pytest

from runtime.engine_queue import EngineQueue
from runtime.loading import plans_for
from runtime.planner import PlanPreferences
from runtime.types import CancelToken, ChatMessage, DeskSeekError, Finished, GenerationOptions, Plan, TextDelta
from tests.fixtures.models.real import need_smollm2
from tests.ui.scripted_backend import ScriptedBackend, scripted_engine

OPTIONS = GenerationOptions(max_tokens=64)
PLAN = (Plan(engine="llama_cpp", model_path="/models/scripted.gguf", reason="scripted"),)


def ask(text):
    return [ChatMessage("user", text)]


@pytest.fixture
def scripted():
    backend = ScriptedBackend(["a", "b", "c"])
    queue = EngineQueue(scripted_engine(backend))
    queue.load(lambda: PLAN).result(10)
    yield backend, queue
    assert queue.close(10)


def hold(queue):
    """Keep the engine thread busy until the returned event is set (so jobs pile up)."""
    release, holding = threading.Event(), threading.Event()
    queue.call(lambda engine: (holding.set(), release.wait(10)))
    assert holding.wait(10)
    return release


def served(backend):
    return [prompt[-1].content for prompt in backend.prompts]


def test_lanes_take_turns_one_job_each_first_come_first_served_within(scripted):
    backend, queue = scripted
    release = hold(queue)
    jobs = [queue.generate(ask(t), OPTIONS, CancelToken(), lane=lane)
            for t, lane in [("w1", "window"), ("w2", "window"), ("w3", "window"), ("a1", "api"), ("a2", "api"),
                            ("a3", "api"), ("a4", "api")]]
    release.set()
    for job in jobs:
        assert job.wait(10).reason == "stop"
    assert served(backend) == ["w1", "a1", "w2", "a2", "w3", "a3", "a4"]


def test_events_reach_the_callback_on_the_engine_thread_and_the_iterator_alike(scripted):
    _backend, queue = scripted
    seen, threads = [], set()
    job = queue.generate(ask("hi"), OPTIONS, CancelToken(),
                         on_event=lambda e: (seen.append(e), threads.add(threading.current_thread().name)))
    events = list(job.events(timeout=10))
    assert [e.text for e in events if isinstance(e, TextDelta)] == ["a", "b", "c"]
    assert isinstance(events[-1], Finished) and events[-1].reason == "stop" and events[-1].completion_tokens == 3
    assert seen == events and threads == {"deskseek-engine"}


def test_a_job_cancelled_while_waiting_never_runs(scripted):
    backend, queue = scripted
    release = hold(queue)
    cancel = CancelToken()
    stopped = queue.generate(ask("never"), OPTIONS, cancel)
    kept = queue.generate(ask("kept"), OPTIONS, CancelToken())
    cancel.cancel()
    release.set()
    assert [type(e) for e in stopped.events(timeout=10)] == [Finished]
    assert stopped.finished.reason == "cancelled"
    assert kept.wait(10).reason == "stop"
    assert served(backend) == ["kept"]


def test_a_waiting_job_stopped_during_a_long_reply_ends_before_that_reply(tmp_path):
    backend = ScriptedBackend(["x"] * 200, delay_s=0.01)  # a 2-second reply
    queue = EngineQueue(scripted_engine(backend))
    queue.load(lambda: PLAN).result(10)
    long = queue.generate(ask("long"), GenerationOptions(max_tokens=500), CancelToken(), lane="api")
    cancel = CancelToken()
    waiting = queue.generate(ask("window"), OPTIONS, cancel, lane="window")
    next(long.events(timeout=10))  # the long reply is running
    cancel.cancel()
    assert waiting.wait(1.0) is not None and waiting.finished.reason == "cancelled"
    assert not long.done
    long.cancel.cancel()
    assert long.wait(10).reason == "cancelled"
    assert served(backend) == ["long"]
    assert queue.close(10)


def test_calls_run_on_the_engine_thread_and_failures_come_back_in_the_future(scripted):
    _backend, queue = scripted
    assert queue.call(lambda engine: threading.current_thread().name).result(10) == "deskseek-engine"
    assert queue.call(lambda engine: engine.count_tokens(ask("four words here ok"))).result(10) == 8
    with pytest.raises(ZeroDivisionError):
        queue.call(lambda engine: 1 / 0).result(10)
    assert queue.generate(ask("still serving"), OPTIONS, CancelToken()).wait(10).reason == "stop"


def test_a_failing_callback_loses_neither_the_engine_thread_nor_the_finished(scripted):
    _backend, queue = scripted

    def explode(event):
        raise RuntimeError("a client's bug")

    job = queue.generate(ask("hi"), OPTIONS, CancelToken(), on_event=explode)
    assert job.wait(10).reason == "stop"
    assert queue.generate(ask("again"), OPTIONS, CancelToken()).wait(10).reason == "stop"


def test_a_refused_load_comes_back_as_its_sentence_and_info_stays_none():
    queue = EngineQueue()
    future = queue.load(lambda: plans_for("/nowhere/missing.gguf"))
    with pytest.raises(DeskSeekError, match="missing.gguf"):
        future.result(10)
    assert queue.info is None
    job = queue.generate(ask("hi"), OPTIONS, CancelToken())
    assert job.wait(10).reason == "error" and "No model is loaded" in job.finished.error
    assert queue.close(10)


def test_close_ends_waiting_jobs_unloads_and_refuses_new_work():
    backend = ScriptedBackend(["x"] * 100, delay_s=0.01)
    unloaded = []
    backend.unload = lambda: unloaded.append(True)
    queue = EngineQueue(scripted_engine(backend))
    queue.load(lambda: PLAN).result(10)
    running = queue.generate(ask("running"), GenerationOptions(max_tokens=500), CancelToken())
    waiting = queue.generate(ask("waiting"), OPTIONS, CancelToken(), lane="api")
    next(running.events(timeout=10))
    assert queue.close(10)
    assert running.finished.reason == "cancelled" and waiting.finished.reason == "cancelled"
    assert unloaded and queue.info is None
    after = queue.generate(ask("late"), OPTIONS, CancelToken())
    assert after.finished.reason == "cancelled"
    with pytest.raises(RuntimeError, match="shutting down"):
        queue.call(lambda engine: 1).result(1)
    assert served(backend) == ["running"]


def test_the_real_model_loads_counts_and_streams_through_the_queue():
    model = need_smollm2()
    queue = EngineQueue()
    progress = []
    info = queue.load(lambda: plans_for(str(model), PlanPreferences(n_ctx=1024)), progress.append).result(120)
    assert queue.info == info and info.context_length == 1024 and progress[-1] == 1.0
    n = queue.call(lambda engine: engine.count_tokens(ask("What is the capital of France?"))).result(10)
    assert 5 < n < 60
    job = queue.generate(ask("What is the capital of France?"), GenerationOptions(max_tokens=8, temperature=0.0),
                         CancelToken(), lane="api")
    events = list(job.events(timeout=60))
    done = events[-1]
    assert done.reason in ("stop", "length") and done.prompt_tokens == n and done.completion_tokens >= 1
    assert "".join(e.text for e in events[:-1]).strip()
    assert queue.close(30)


class RawScripted(ScriptedBackend):
    """The script for raw text too; its prompt is recorded as a one-message conversation."""

    def count_raw_tokens(self, prompt):
        return len(prompt) // 4 + 1

    def stream_raw(self, prompt, options, cancel):
        return (yield from self.stream([ChatMessage("raw", prompt)], options, cancel))


def test_raw_jobs_take_their_turn_in_the_same_lanes_and_cancel_the_same_way():
    backend = RawScripted(["a", "b", "c"])
    queue = EngineQueue(scripted_engine(backend))
    queue.load(lambda: PLAN).result(10)
    try:
        release = hold(queue)
        stopped = CancelToken()
        jobs = [queue.generate(ask("w1"), OPTIONS, CancelToken(), lane="window"),
                queue.complete("raw1", OPTIONS, CancelToken(), lane="api"),
                queue.complete("never", OPTIONS, stopped, lane="api"),
                queue.generate(ask("w2"), OPTIONS, CancelToken(), lane="window"),
                queue.complete("raw2", OPTIONS, CancelToken(), lane="api")]
        stopped.cancel()
        release.set()
        assert [job.wait(10).reason for job in jobs] == ["stop", "stop", "cancelled", "stop", "stop"]
        assert served(backend) == ["w1", "raw1", "w2", "raw2"]
        assert [p[-1].role for p in backend.prompts] == ["user", "raw", "user", "raw"]
        assert [e.text for e in list(jobs[1].events(timeout=1))[:-1]] == ["a", "b", "c"]
    finally:
        assert queue.close(10)


def test_an_engine_without_raw_text_says_so_in_the_job_s_finished(scripted):
    _backend, queue = scripted
    done = queue.complete("def main():", OPTIONS, CancelToken()).wait(10)
    assert done.reason == "error" and "not raw text" in done.error
