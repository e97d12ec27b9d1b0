"""One dedicated QThread that owns the Engine. Load and generate are queued calls, so the
backends need no locks; Stop sets a CancelToken directly (a queued stop would wait behind
the generation it is meant to end). Every event carries the request id it answers."""
from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QObject, QThread, Signal, Slot

from runtime.engine import Engine
from runtime.sentences import message_of
from runtime.types import CancelToken, DeskSeekError, Finished, GenerationOptions, TextDelta

log = logging.getLogger(__name__)


class RuntimeWorker(QObject):
    load_progress = Signal(int, float)  # request id, fraction
    loaded = Signal(int, object)  # request id, LoadedModel
    load_failed = Signal(int, object, object)  # request id, message (str or Sentence), the model still loaded
    delta = Signal(int, str, bool)  # request id, text, is reasoning
    finished = Signal(int, object)  # request id, Finished

    def __init__(self, engine: Engine | None = None) -> None:
        super().__init__()
        self._engine = engine
        self.abort_load = threading.Event()  # set by the GUI thread when the window closes

    @Slot(int, str, object)
    def load(self, request_id: int, model_path: str, prefs=None) -> None:
        from app.models.machine import disk_speed_cache
        from runtime.loading import plans_for  # planner and model inspection, Qt-free

        try:
            if self._engine is None:
                self._engine = Engine()
            plans = plans_for(model_path, prefs, disk_speed_cache())
            info = self._engine.load(plans, lambda f: self._progress(request_id, f))
        except DeskSeekError as exc:
            self.load_failed.emit(request_id, message_of(exc), self._engine.info if self._engine else None)
            return
        except Exception as exc:  # keep the thread alive whatever a backend does
            log.exception("model load failed")
            self.load_failed.emit(request_id, f"Loading failed unexpectedly: {exc}",
                                  self._engine.info if self._engine else None)
            return
        self.loaded.emit(request_id, info)

    def _progress(self, request_id: int, fraction: float) -> bool:
        """False asks the backend to abandon the load (llama.cpp stops at its next step)."""
        self.load_progress.emit(request_id, fraction)
        return not self.abort_load.is_set()

    @Slot(int, object, object, object)
    def generate(self, request_id: int, messages, options: GenerationOptions, cancel: CancelToken) -> None:
        if self._engine is None:
            self.finished.emit(request_id, Finished("error", error="No model is loaded yet."))
            return
        for event in self._engine.stream(messages, options, cancel):
            if isinstance(event, TextDelta):
                self.delta.emit(request_id, event.text, event.reasoning)
            else:
                self.finished.emit(request_id, event)

    @Slot()
    def shutdown(self) -> None:
        if self._engine is not None:
            self._engine.unload()


class RuntimeThread(QObject):
    """Starts the worker's thread and forwards requests to it as queued calls."""

    _load = Signal(int, str, object)
    _generate = Signal(int, object, object, object)
    _shutdown = Signal()

    def __init__(self, engine: Engine | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.thread = QThread()
        self.thread.setObjectName("deskseek-runtime")
        self.worker = RuntimeWorker(engine)
        self.worker.moveToThread(self.thread)
        self._load.connect(self.worker.load)
        self._generate.connect(self.worker.generate)
        self._shutdown.connect(self.worker.shutdown)
        self.thread.start()

    def load(self, request_id: int, model_path: str, prefs=None) -> None:
        self._load.emit(request_id, model_path, prefs)

    def generate(self, request_id: int, messages, options: GenerationOptions, cancel: CancelToken) -> None:
        self._generate.emit(request_id, messages, options, cancel)

    def token_counter(self):
        """The loaded model's own `count(text) -> tokens`, or None (no model, or a server's guess).
        Call it between turns only: the runtime thread is idle then (no reply streams, no model
        loads), and counting reads the model's vocabulary, nothing that generation changes."""
        engine = self.worker._engine
        if engine is None or not engine.tokenizer_at_hand:
            return None
        return engine.count_text_tokens

    def stop(self, timeout_ms: int = 30_000) -> bool:
        """Abandon a load, unload the model and end the thread (the caller cancels any
        generation first). False if the thread is still busy after the timeout."""
        if not self.thread.isRunning():
            return True
        self.worker.abort_load.set()
        self._shutdown.emit()
        self.thread.quit()
        return self.thread.wait(timeout_ms)
