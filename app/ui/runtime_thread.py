"""The window's side of the EngineQueue: its thread owns the Engine, and this adapter turns the
queue's callbacks into Qt signals. Signals emitted on the engine thread reach the GUI thread's
slots as queued calls. Stop sets a CancelToken directly (a queued stop would wait behind the
generation it is meant to end). Every event carries the request id it answers.

The window's turns go in the queue's "window" lane; the local API server shares the same queue
(`RuntimeThread.queue`) in its own lane, served in turn with the window's."""
from __future__ import annotations

import logging
import threading
from concurrent.futures import Future

from PySide6.QtCore import QObject, Signal

from runtime.engine import Engine
from runtime.engine_queue import EngineQueue
from runtime.sentences import message_of
from runtime.types import CancelToken, DeskSeekError, GenerationOptions, StreamEvent, TextDelta

log = logging.getLogger(__name__)

WINDOW_LANE = "window"


class RuntimeWorker(QObject):
    load_progress = Signal(int, float)  # request id, fraction
    loaded = Signal(int, object)  # request id, LoadedModel
    load_failed = Signal(int, object, object)  # request id, message (str or Sentence), the model still loaded
    delta = Signal(int, str, bool)  # request id, text, is reasoning
    finished = Signal(int, object)  # request id, Finished

    def __init__(self, queue: EngineQueue) -> None:
        super().__init__()
        self.queue = queue
        self.abort_load = threading.Event()  # set by the GUI thread when the window closes

    def load(self, request_id: int, model_path: str, prefs=None) -> None:
        from app.models.machine import disk_speed_cache
        from runtime.loading import plans_for  # planner and model inspection, Qt-free

        future = self.queue.load(lambda: plans_for(model_path, prefs, disk_speed_cache()),
                                 lambda f: self._progress(request_id, f))
        future.add_done_callback(lambda done: self._load_done(request_id, done))

    def _load_done(self, request_id: int, future: Future) -> None:
        """On the engine thread (or the caller's, when the queue is already closed)."""
        exc = future.exception()
        if exc is None:
            self.loaded.emit(request_id, future.result())
        elif isinstance(exc, DeskSeekError):
            self.load_failed.emit(request_id, message_of(exc), self.queue.info)
        else:  # a backend's bug, or the queue shutting down
            log.error("model load failed", exc_info=exc)
            self.load_failed.emit(request_id, f"Loading failed unexpectedly: {exc}", self.queue.info)

    def _progress(self, request_id: int, fraction: float) -> bool:
        """False asks the backend to abandon the load (llama.cpp stops at its next step)."""
        self.load_progress.emit(request_id, fraction)
        return not self.abort_load.is_set()

    def generate(self, request_id: int, messages, options: GenerationOptions, cancel: CancelToken) -> None:
        def forward(event: StreamEvent) -> None:
            if isinstance(event, TextDelta):
                self.delta.emit(request_id, event.text, event.reasoning)
            else:
                self.finished.emit(request_id, event)

        self.queue.generate(messages, options, cancel, lane=WINDOW_LANE, on_event=forward)


class RuntimeThread(QObject):
    """Starts the engine thread (an EngineQueue) and forwards the window's requests to it."""

    def __init__(self, engine: Engine | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.queue = EngineQueue(engine, name="deskseek-runtime")
        self.worker = RuntimeWorker(self.queue)

    def load(self, request_id: int, model_path: str, prefs=None) -> None:
        self.worker.load(request_id, model_path, prefs)

    def generate(self, request_id: int, messages, options: GenerationOptions, cancel: CancelToken) -> None:
        self.worker.generate(request_id, messages, options, cancel)

    def stop(self, timeout_ms: int = 30_000) -> bool:
        """Abandon a load, end every generation, unload the model and end the thread. False if
        the thread is still busy after the timeout."""
        self.worker.abort_load.set()
        return self.queue.close(timeout_ms / 1000)
