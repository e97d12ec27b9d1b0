"""Send, stop and switch conversations: the GUI thread's side of a turn.

The user's message is committed before it is sent; reply text is painted at most every
~40 ms and checkpointed to SQLite about every second; the row is closed on finish, stop,
error or window close. Events from an older request are dropped by request id.
"""
from __future__ import annotations

import itertools
import logging
import time
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, QTimer, Signal

from app.store import Store, StoreError
from app.ui.message_view import MessageView
from app.ui.runtime_thread import RuntimeThread
from runtime.types import CancelToken, ChatMessage, Finished, GenerationOptions, LoadedModel

log = logging.getLogger(__name__)

PAINT_INTERVAL_MS = 40
CHECKPOINT_INTERVAL_S = 1.0


@dataclass
class _Reply:
    request_id: int
    message_id: str
    conversation_id: str
    view: MessageView
    cancel: CancelToken = field(default_factory=CancelToken)
    text: str = ""
    reasoning: str = ""
    unpainted: str = ""
    last_checkpoint: float = field(default_factory=time.monotonic)


class ChatController(QObject):
    model_state_changed = Signal(str, str)  # kind ("loading" | "ready" | "error"), sentence
    generating_changed = Signal(bool)
    conversations_changed = Signal()
    error = Signal(str)

    def __init__(self, store: Store, runtime: RuntimeThread, chat_view, parent=None) -> None:
        super().__init__(parent)
        self.store = store
        self.runtime = runtime
        self.chat_view = chat_view
        self.options = GenerationOptions()
        self.conversation_id: str | None = None
        self.model: LoadedModel | None = None
        self.reply: _Reply | None = None
        self._ids = itertools.count(1)
        self._load_request = 0
        self._paint_timer = QTimer(self)
        self._paint_timer.setSingleShot(True)
        self._paint_timer.setInterval(PAINT_INTERVAL_MS)
        self._paint_timer.timeout.connect(self._paint)
        worker = runtime.worker
        worker.load_progress.connect(self._on_load_progress)
        worker.loaded.connect(self._on_loaded)
        worker.load_failed.connect(self._on_load_failed)
        worker.delta.connect(self._on_delta)
        worker.finished.connect(self._on_finished)

    # -- model -------------------------------------------------------------------
    def load_model(self, path: str) -> None:
        self._load_request = next(self._ids)
        self.model = None
        self.model_state_changed.emit("loading", f"Loading {path.rsplit('/', 1)[-1]}…")
        self.runtime.load(self._load_request, path)

    def _on_load_progress(self, request_id: int, fraction: float) -> None:
        if request_id == self._load_request and fraction < 1.0:
            self.model_state_changed.emit("loading", f"Loading… {fraction:.0%}")

    def _on_loaded(self, request_id: int, info: LoadedModel) -> None:
        if request_id != self._load_request:
            return
        self.model = info
        self._save_setting("model_path", info.path)
        note = f" · {info.languages}" if info.languages else ""
        self.model_state_changed.emit("ready", f"{info.name}{note} — {info.reason}")

    def _on_load_failed(self, request_id: int, message: str) -> None:
        if request_id == self._load_request:
            self.model_state_changed.emit("error", message)

    # -- conversations -----------------------------------------------------------
    def new_chat(self) -> None:
        self.stop()
        self.conversation_id = None
        self.chat_view.clear()
        self.conversations_changed.emit()

    def open_conversation(self, conversation_id: str) -> None:
        if conversation_id == self.conversation_id:
            return
        self.stop()
        self.conversation_id = conversation_id
        rows = []
        for m in self.store.messages(conversation_id):
            status = {"interrupted": "Interrupted: the app stopped while this reply was being written.",
                      "streaming": "Still being written in another window."}.get(m.status, "")
            if m.status == "done" and m.finish_reason == "cancelled":
                status = "Stopped."
            elif m.status == "done" and m.finish_reason == "error":
                status = f"Failed: {m.error}"
            rows.append((m.role, m.content, status))
        self.chat_view.show_messages(rows)

    # -- a turn ------------------------------------------------------------------
    def send(self, text: str) -> bool:
        """False (and nothing stored) when the message cannot be sent now."""
        if self.reply is not None:
            return False
        if self.model is None:
            self.error.emit("The model is not ready yet; your message is still in the box.")
            return False
        try:
            if self.conversation_id is None:
                self.conversation_id = self.store.create_conversation(model=self.model.name).id
            user = self.store.add_message(self.conversation_id, "user", text, model=self.model.name)
            row = self.store.start_reply(self.conversation_id, parent_id=user.id,
                                         model=self.model.name, engine=self.model.engine)
        except StoreError as exc:
            self.error.emit(str(exc))
            return False
        history = [ChatMessage(m.role, m.content) for m in self.store.messages(self.conversation_id)
                   if m.id != row.id and m.role in ("system", "user", "assistant")]
        self.chat_view.add_message("user", text)
        view = self.chat_view.add_message("assistant", streaming=True)
        self.reply = _Reply(next(self._ids), row.id, self.conversation_id, view)
        self.generating_changed.emit(True)
        self.conversations_changed.emit()
        self.runtime.generate(self.reply.request_id, history, self.options, self.reply.cancel)
        return True

    def stop(self) -> None:
        """Set the cancel token directly: the runtime thread sees it before its next token."""
        if self.reply is not None:
            self.reply.cancel.cancel()

    def _on_delta(self, request_id: int, text: str, reasoning: bool) -> None:
        reply = self.reply
        if reply is None or request_id != reply.request_id:
            return
        if reasoning:
            reply.reasoning += text
            return
        reply.text += text
        reply.unpainted += text
        if not self._paint_timer.isActive():
            self._paint_timer.start()
        if time.monotonic() - reply.last_checkpoint >= CHECKPOINT_INTERVAL_S:
            reply.last_checkpoint = time.monotonic()
            self._checkpoint(reply)

    def _paint(self) -> None:
        reply = self.reply
        if reply is not None and reply.unpainted:
            reply.view.append(reply.unpainted)
            reply.unpainted = ""

    def _checkpoint(self, reply: _Reply) -> None:
        try:
            self.store.checkpoint_reply(reply.message_id, reply.text, reply.reasoning)
        except StoreError as exc:
            self.error.emit(str(exc))

    def _on_finished(self, request_id: int, done: Finished) -> None:
        reply = self.reply
        if reply is None or request_id != reply.request_id:
            return
        self._paint()
        self.reply = None
        try:
            self.store.finish_reply(
                reply.message_id, content=reply.text, reasoning=reply.reasoning,
                finish_reason=done.reason, prompt_tokens=done.prompt_tokens,
                completion_tokens=done.completion_tokens,
                time_to_first_token_s=done.time_to_first_token_s, total_s=done.total_s,
                error=done.error,
            )
        except StoreError as exc:
            self.error.emit(str(exc))
        reply.view.finish()
        reply.view.set_status(_status_line(done))
        self.generating_changed.emit(False)
        self.conversations_changed.emit()

    def shutdown(self) -> None:
        """Window closing: stop the reply, keep its partial text, end the runtime thread."""
        reply = self.reply
        if reply is not None:
            reply.cancel.cancel()
            self.reply = None
            try:
                self.store.finish_reply(reply.message_id, content=reply.text,
                                        reasoning=reply.reasoning, finish_reason="cancelled")
            except StoreError as exc:
                log.error("could not save the partial reply: %s", exc)
        self.runtime.stop()

    def _save_setting(self, key: str, value: str) -> None:
        try:
            self.store.set_setting(key, value)
        except StoreError as exc:
            self.error.emit(str(exc))


def _status_line(done: Finished) -> str:
    if done.reason == "error":
        return f"Failed: {done.error}"
    parts = []
    if done.reason == "cancelled":
        parts.append("Stopped")
    elif done.reason == "length":
        parts.append("Cut at the length limit")
    if done.completion_tokens and done.total_s > 0:
        gen_s = done.total_s - (done.time_to_first_token_s or 0)
        rate = done.completion_tokens / gen_s if gen_s > 0 else 0
        parts.append(f"{done.completion_tokens} tokens, {rate:.1f} tok/s, "
                     f"first token {done.time_to_first_token_s or 0:.2f} s")
    if done.dropped_messages:
        parts.append(f"{done.dropped_messages} older messages left out to fit the context")
    return " · ".join(parts)
