"""One thread owns the Engine; everyone else queues work for it (Qt-free).

The window's turns, the local API server's requests and token counting all reach the one model
through an EngineQueue, so the backends need no locks and two replies never interleave tokens.
Generations wait in lanes ("window", "api", ...) served round-robin, one job per lane in turn and
first come first served within a lane, so a burst of API requests cannot starve the window's
turn (nor the reverse). Loads and calls (`call(fn)`: counting tokens, say) are short control work
and go before any generation still waiting.

Only two things cross threads: a job's CancelToken (set from anywhere, seen by the backend before
its next token) and the events, which reach the submitter through `on_event` (called on the
engine thread) and/or `GenerationJob.events()` (read from any thread).
"""
from __future__ import annotations

import logging
import queue
import threading
import time
from collections import deque
from concurrent.futures import Future
from typing import Callable, Iterator, Sequence

from runtime.engine import Engine
from runtime.types import (
    CancelToken,
    ChatMessage,
    Finished,
    GenerationOptions,
    LoadedModel,
    Plan,
    StreamEvent,
)

log = logging.getLogger(__name__)

_QUEUED_CANCEL_CHECK_S = 0.02  # how often a running generation looks for cancelled waiting jobs


class GenerationJob:
    """One queued reply: to a conversation (`messages`), or raw text continued as it is
    (`prompt`, not None). Its events end with exactly one Finished, whatever happens."""

    def __init__(self, messages: Sequence[ChatMessage], options: GenerationOptions, cancel: CancelToken,
                 lane: str, on_event: Callable[[StreamEvent], None] | None, prompt: str | None = None) -> None:
        self.messages = tuple(messages)
        self.prompt = prompt
        self.options = options
        self.cancel = cancel
        self.lane = lane
        self._on_event = on_event
        self._events: queue.SimpleQueue[StreamEvent] = queue.SimpleQueue()
        self._done = threading.Event()
        self.finished: Finished | None = None
        self.started_at: float | None = None  # perf_counter when the engine took it up
        self.ended_at: float | None = None  # perf_counter when its Finished was delivered

    @property
    def done(self) -> bool:
        return self._done.is_set()

    def wait(self, timeout: float | None = None) -> Finished | None:
        """The Finished event once the job has ended (None if the timeout passed first)."""
        self._done.wait(timeout)
        return self.finished

    def events(self, timeout: float | None = None) -> Iterator[StreamEvent]:
        """The job's events as they come, ending with its Finished. `timeout` bounds the wait
        for each event (TimeoutError). One consumer per job: each event is handed out once."""
        while True:
            try:
                event = self._events.get(timeout=timeout)
            except queue.Empty:
                raise TimeoutError(f"no event from the engine within {timeout} s") from None
            yield event
            if isinstance(event, Finished):
                return

    def _deliver(self, event: StreamEvent) -> None:
        """On the engine thread: to the callback, then to events(); a callback's failure must
        neither stop the engine thread nor lose the Finished."""
        if isinstance(event, Finished):
            self.finished = event
            self.ended_at = time.perf_counter()
        if self._on_event is not None:
            try:
                self._on_event(event)
            except Exception:
                log.exception("an on_event callback failed")
        self._events.put(event)
        if isinstance(event, Finished):
            self._done.set()


class _Control:
    """A load, a call or the final unload: runs before any waiting generation."""

    def __init__(self, fn: Callable[[Engine], object]) -> None:
        self.fn = fn
        self.future: Future = Future()


class EngineQueue:
    def __init__(self, engine: Engine | None = None, name: str = "deskseek-engine") -> None:
        self._engine = engine if engine is not None else Engine()
        self._info: LoadedModel | None = self._engine.info
        self._lock = threading.Condition()
        self._controls: deque[_Control] = deque()
        self._lanes: dict[str, deque[GenerationJob]] = {}
        self._turns: deque[str] = deque()  # lanes with waiting jobs, in the order they are served
        self._running: GenerationJob | None = None
        self._closing = False
        self._last_check = 0.0
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    # -- any thread ------------------------------------------------------------------------
    @property
    def info(self) -> LoadedModel | None:
        """The model loaded now (None before the first load or after a failed one with nothing kept)."""
        return self._info

    @property
    def closed(self) -> bool:
        return self._closing

    def text_counter(self) -> Callable[[str], int] | None:
        """The loaded model's own count of a text's tokens, callable from any thread, or None (no
        model, or a server, whose count would be a guess). Counting reads only the model's
        vocabulary and chat template, which generation never changes, so it may run beside a
        reply streaming on the engine thread; the caller must not count while a load is under
        way (the window counts only when it is not loading)."""
        engine = self._engine
        if engine.info is None or not engine.tokenizer_at_hand:
            return None
        return engine.count_text_tokens

    def load(self, plans_factory: Callable[[], Sequence[Plan]],
             on_progress: Callable[[float], bool | None] | None = None) -> Future:
        """Load the first plan that works; plans_factory (inspect, probe, plan) runs on the engine
        thread too, so a slow disk never blocks the caller. The future holds the LoadedModel or
        the DeskSeekError (a sentence for the user)."""

        def progress(fraction: float) -> bool:
            wanted = on_progress(fraction) if on_progress is not None else None
            return wanted is not False and not self._closing  # False abandons the load

        def run(engine: Engine) -> LoadedModel:
            try:
                return engine.load(plans_factory(), progress)
            finally:
                self._info = engine.info  # a failed load may keep (or restore) the old model

        return self._submit_control(run)

    def call(self, fn: Callable[[Engine], object]) -> Future:
        """fn(engine) on the engine thread, before any waiting generation (token counting)."""
        return self._submit_control(fn)

    def generate(self, messages: Sequence[ChatMessage], options: GenerationOptions, cancel: CancelToken,
                 lane: str = "window", on_event: Callable[[StreamEvent], None] | None = None) -> GenerationJob:
        """A reply to the conversation, queued in `lane`."""
        return self._enqueue(GenerationJob(messages, options, cancel, lane, on_event))

    def complete(self, prompt: str, options: GenerationOptions, cancel: CancelToken,
                 lane: str = "window", on_event: Callable[[StreamEvent], None] | None = None) -> GenerationJob:
        """Raw text continued as it is (Engine.complete): the same lanes, turns and cancelling as
        generate()."""
        return self._enqueue(GenerationJob((), options, cancel, lane, on_event, prompt=prompt))

    def _enqueue(self, job: GenerationJob) -> GenerationJob:
        lane = job.lane
        with self._lock:
            if self._closing:
                closed = True
            else:
                closed = False
                waiting = self._lanes.setdefault(lane, deque())
                if not waiting:
                    self._turns.append(lane)
                waiting.append(job)
                self._lock.notify()
        if closed:
            job._deliver(Finished(reason="cancelled", error="The engine is shutting down."))
        return job

    def waiting(self, lane: str | None = None) -> int:
        """Generations not started yet (in one lane, or all)."""
        with self._lock:
            if lane is not None:
                return len(self._lanes.get(lane, ()))
            return sum(len(q) for q in self._lanes.values())

    def close(self, timeout: float | None = 30.0) -> bool:
        """Cancel every waiting and running generation, abandon a load, unload the model and end
        the thread. False if the thread is still busy after the timeout (a load llama.cpp cannot
        abandon); it is a daemon thread and ends with the process."""
        with self._lock:
            if not self._closing:
                self._closing = True
                if self._running is not None:
                    self._running.cancel.cancel()
                self._controls.append(_Control(self._unload))
                self._lock.notify()
        if threading.current_thread() is self._thread:
            return False
        self._thread.join(timeout)
        return not self._thread.is_alive()

    # -- the engine thread -------------------------------------------------------------------
    def _submit_control(self, fn: Callable[[Engine], object]) -> Future:
        control = _Control(fn)
        with self._lock:
            if self._closing:
                control.future.set_exception(RuntimeError("The engine is shutting down."))
                return control.future
            self._controls.append(control)
            self._lock.notify()
        return control.future

    def _run(self) -> None:
        while True:
            with self._lock:
                while not self._controls and not self._turns and not self._closing:
                    self._lock.wait()
                if self._controls:
                    work: _Control | GenerationJob = self._controls.popleft()
                elif self._turns:
                    work = self._next_job()
                    if self._closing:
                        work.cancel.cancel()
                    self._running = work
                else:  # closing, and the unload has run
                    return
            if isinstance(work, _Control):
                self._run_control(work)
            else:
                self._run_job(work)
                with self._lock:
                    self._running = None

    def _unload(self, engine: Engine) -> None:
        engine.unload()
        self._info = None

    def _next_job(self) -> GenerationJob:
        """Round-robin over lanes: the next lane's oldest job; the lane goes to the back if more wait."""
        lane = self._turns.popleft()
        waiting = self._lanes[lane]
        job = waiting.popleft()
        if waiting:
            self._turns.append(lane)
        return job

    def _run_control(self, control: _Control) -> None:
        if not control.future.set_running_or_notify_cancel():
            return
        try:
            result = control.fn(self._engine)
        except BaseException as exc:  # to the caller, never up the engine thread
            control.future.set_exception(exc)
        else:
            control.future.set_result(result)

    def _run_job(self, job: GenerationJob) -> None:
        if job.cancel.cancelled:  # stopped while it waited: it never reaches the model
            job._deliver(Finished(reason="cancelled"))
            return
        job.started_at = time.perf_counter()
        if job.prompt is not None:
            events = self._engine.complete(job.prompt, job.options, job.cancel)
        else:
            events = self._engine.stream(job.messages, job.options, job.cancel)
        for event in events:
            job._deliver(event)
            self._end_cancelled_waiting()

    def _end_cancelled_waiting(self) -> None:
        """While one reply runs, a waiting job that its owner stopped ends now rather than after
        the running one (the window's Stop must not wait for an API client's long reply)."""
        now = time.perf_counter()
        if now - self._last_check < _QUEUED_CANCEL_CHECK_S:
            return
        self._last_check = now
        ended: list[GenerationJob] = []
        with self._lock:
            for lane, waiting in self._lanes.items():
                if any(j.cancel.cancelled for j in waiting):
                    ended += [j for j in waiting if j.cancel.cancelled]
                    self._lanes[lane] = deque(j for j in waiting if not j.cancel.cancelled)
            if ended:
                self._turns = deque(lane for lane in self._turns if self._lanes[lane])
        for job in ended:
            job._deliver(Finished(reason="cancelled"))
