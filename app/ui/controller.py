"""Send, stop, regenerate, edit, continue, delete and switch versions: the GUI thread's side of a turn.

The user's message is committed before it is sent; reply text is painted at most every
~40 ms and checkpointed to SQLite about every second; the row is closed on finish, stop,
error or window close. Regenerate, edit and continue add a new version beside the old one,
so nothing that followed is ever erased. Events from an older request are dropped.
"""
from __future__ import annotations

import itertools
import logging
import time
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, QTimer, Signal

from app.documents.quote import quote_documents
from app.store import Store, StoreError
from app.ui.message_view import MessageView
from app.ui.model_slot import ModelSlot
from app.ui.runtime_thread import RuntimeThread
from app.ui.turn_status import status_line
from runtime.template_fixes import without_system
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
    unpainted_reasoning: str = ""
    first_paint: float | None = None
    last_checkpoint: float = field(default_factory=time.monotonic)


class ChatController(QObject):
    model_state_changed = Signal(str, object)  # kind ("loading" | "ready" | "error"), sentence (str or Sentence)
    load_progress = Signal(float)
    generating_changed = Signal(bool)
    conversations_changed = Signal()
    current_changed = Signal()  # another conversation (or none) is open
    turn_finished = Signal(object)  # Finished
    error = Signal(str)

    def __init__(self, store: Store, runtime: RuntimeThread, chat_view, parent=None) -> None:
        super().__init__(parent)
        self.store = store
        self.runtime = runtime
        self.chat_view = chat_view
        self.options = GenerationOptions()
        self.system_prompt = ""
        # The model's card asks for no system prompt (R1): its text leads the first user message.
        self.fold_system_prompt = False
        self.conversation_id: str | None = None
        self.models = ModelSlot(store, runtime, self)
        self.models.state_changed.connect(self.model_state_changed)
        self.models.progress.connect(self.load_progress)
        self.models.error.connect(self.error)
        self.reply: _Reply | None = None
        self._ids = itertools.count(1)
        self._paint_timer = QTimer(self)
        self._paint_timer.setSingleShot(True)
        self._paint_timer.setInterval(PAINT_INTERVAL_MS)
        self._paint_timer.timeout.connect(self._paint)
        worker = runtime.worker
        worker.delta.connect(self._on_delta)
        worker.finished.connect(self._on_finished)
        chat_view.action.connect(self._on_message_action)
        chat_view.edit_submitted.connect(self.edit)

    # -- model -------------------------------------------------------------------
    @property
    def model(self) -> LoadedModel | None:
        return self.models.model

    @property
    def loading_path(self) -> str | None:
        return self.models.loading_path

    def load_model(self, path: str, prefs=None) -> None:
        self.stop()
        self.models.load(path, prefs)

    # -- conversations -----------------------------------------------------------
    def new_chat(self) -> None:
        self._close_reply_now()
        self.conversation_id = None
        self.chat_view.clear()
        self.current_changed.emit()
        self.conversations_changed.emit()

    def open_conversation(self, conversation_id: str | None) -> None:
        if conversation_id == self.conversation_id:
            return
        self._close_reply_now()
        self.conversation_id = conversation_id
        if conversation_id is None:
            self.chat_view.clear()
        else:
            self.render_branch()
        self.current_changed.emit()

    def ensure_conversation(self, title: str = "") -> str | None:
        """The open conversation, started now if there is none (documents arrive before words)."""
        if self.conversation_id is None:
            try:
                self.conversation_id = self._new_conversation(title)
            except StoreError as exc:
                self.error.emit(str(exc))
                return None
            self.current_changed.emit()
            self.conversations_changed.emit()
        return self.conversation_id

    def _new_conversation(self, title: str = "") -> str:
        cid = self.store.create_conversation(title=title, model=self.model.name if self.model else "").id
        if self.system_prompt:  # the prompt a conversation starts with stays its own
            self.store.set_system_prompt(cid, self.system_prompt)
        return cid

    def render_branch(self, skip_id: str | None = None) -> list:
        """Show the active branch (less skip_id); returns its messages for the caller to reuse."""
        if self.conversation_id is None:
            return []
        rows = [m for m in self.store.messages(self.conversation_id) if m.id != skip_id]
        sources = self.store.reply_sources(m.id for m in rows if m.role == "assistant")
        self.chat_view.show_messages(rows, self.store.branch_positions(self.conversation_id), sources)
        return rows

    # -- a turn ------------------------------------------------------------------
    def send(self, text: str) -> bool:
        """False (and nothing stored) when the message cannot be sent now."""
        if not self._can_start():
            return False
        try:
            if self.conversation_id is None:
                self.conversation_id = self._new_conversation()
                self.current_changed.emit()
            user = self.store.add_message(self.conversation_id, "user", text, model=self.model.name)
        except StoreError as exc:
            self.error.emit(str(exc))
            return False
        self._start_reply(user.id)
        return True

    def regenerate(self, message_id: str) -> None:
        message = self.store.get_message(message_id)
        if message is not None and message.parent_id and self._can_start():
            self._start_reply(message.parent_id)

    def edit(self, message_id: str, text: str) -> None:
        if not self._can_start():
            return
        try:
            edited = self.store.edit_message(message_id, text)
        except StoreError as exc:
            self.error.emit(str(exc))
            return
        self._start_reply(edited.id)  # rebuilds the views, the edit box with them

    def continue_reply(self, message_id: str) -> None:
        """A new version that starts with the cut reply's text and goes on from there."""
        message = self.store.get_message(message_id)
        if message is not None and message.parent_id and self._can_start():
            self._start_reply(message.parent_id, prefix=message.content)

    def delete_message(self, message_id: str) -> None:
        if self.reply is not None:
            return
        try:
            self.store.delete_message(message_id)
        except StoreError as exc:
            self.error.emit(str(exc))
            return
        self.render_branch()

    def step_version(self, message_id: str, step: int) -> None:
        if self.reply is not None:
            return
        versions = self.store.siblings(message_id)
        ids = [m.id for m in versions]
        if message_id in ids and 0 <= ids.index(message_id) + step < len(ids):
            self.store.switch_branch(ids[ids.index(message_id) + step])
            self.render_branch()

    def stop(self) -> None:
        """Set the cancel token directly: the runtime thread sees it before its next token."""
        if self.reply is not None:
            self.reply.cancel.cancel()

    def _on_message_action(self, kind: str, message_id: str) -> None:
        actions = {
            "regenerate": self.regenerate,
            "continue": self.continue_reply,
            "delete": self.delete_message,
            "prev": lambda mid: self.step_version(mid, -1),
            "next": lambda mid: self.step_version(mid, +1),
        }
        if kind in actions:
            actions[kind](message_id)

    def _can_start(self) -> bool:
        if self.reply is not None:
            return False
        if self.loading_path is not None:
            self.error.emit(self.tr("The model is still loading; your text is kept. Send it when the bar says ready."))
            return False
        if self.model is None:
            self.error.emit(self.tr("No model is loaded: open one with File > Open model. Your text is kept."))
            return False
        return True

    def _start_reply(self, parent_id: str, prefix: str = "") -> None:
        cid = self.conversation_id
        try:
            row = self.store.start_reply(cid, parent_id=parent_id, model=self.model.name,
                                         engine=self.model.engine)
        except StoreError as exc:
            self.error.emit(str(exc))
            return
        shown = self.render_branch(skip_id=row.id)  # the branch is read once per turn
        history = [ChatMessage(m.role, m.content) for m in shown if m.role in ("system", "user", "assistant")]
        conversation = self.store.get_conversation(cid)
        if conversation and conversation.system_prompt and not any(m.role == "system" for m in history):
            history.insert(0, ChatMessage("system", conversation.system_prompt))
        if self.fold_system_prompt:
            history = without_system(history)
        sources = self._quote_documents(cid, history, row.id)
        if prefix:
            history.append(ChatMessage("assistant", prefix))
        view = self.chat_view.add_message("assistant", prefix, message_id=row.id, streaming=True)
        view.set_sources(sources)
        self.reply = _Reply(next(self._ids), row.id, cid, view, text=prefix)
        self.chat_view.set_busy(True)
        self.generating_changed.emit(True)
        self.conversations_changed.emit()
        self.runtime.generate(self.reply.request_id, history, self.options, self.reply.cancel)

    def _quote_documents(self, cid: str, history: list[ChatMessage], reply_id: str) -> list:
        """With documents attached, the question goes out with the passages it is about; the
        reply keeps which ones (its [n] citations), shown under it and stored."""
        try:
            passages = quote_documents(self.store, cid, history, self.model.context_length,
                                       self.options.max_tokens, count_tokens=self.runtime.token_counter())
            if passages:
                self.store.set_reply_sources(reply_id, passages)
        except StoreError as exc:
            self.error.emit(str(exc))
            return []
        return passages

    def _on_delta(self, request_id: int, text: str, reasoning: bool) -> None:
        reply = self.reply
        if reply is None or request_id != reply.request_id:
            return
        if reasoning:
            reply.reasoning += text
            reply.unpainted_reasoning += text
        else:
            reply.text += text
            reply.unpainted += text
        if not self._paint_timer.isActive():
            self._paint_timer.start()
        if time.monotonic() - reply.last_checkpoint >= CHECKPOINT_INTERVAL_S:
            reply.last_checkpoint = time.monotonic()
            self._checkpoint(reply)

    def _paint(self) -> None:
        reply = self.reply
        if reply is None:
            return
        if reply.unpainted:
            reply.view.append(reply.unpainted)
            reply.unpainted = ""
            if reply.first_paint is None:
                reply.first_paint = time.perf_counter()
        if reply.unpainted_reasoning:
            reply.view.append_reasoning(reply.unpainted_reasoning)
            reply.unpainted_reasoning = ""

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
            message = self.store.finish_reply(
                reply.message_id, content=reply.text, reasoning=reply.reasoning,
                finish_reason=done.reason, prompt_tokens=done.prompt_tokens,
                completion_tokens=done.completion_tokens,
                time_to_first_token_s=done.time_to_first_token_s, total_s=done.total_s,
                error=done.error, plan_reason=self.model.reason if self.model else None,
            )
            positions = self.store.branch_positions(reply.conversation_id)
            reply.view.set_meta(message.id, positions.get(message.id, (1, 1)), done.reason)
        except StoreError as exc:
            self.error.emit(str(exc))
        reply.view.finish()
        reply.view.set_status(status_line(done))
        self.chat_view.set_busy(False)
        self.generating_changed.emit(False)
        self.turn_finished.emit(done)
        self.conversations_changed.emit()

    def shutdown(self) -> bool:
        """Window closing: stop the reply, keep its partial text, end the runtime thread.
        False when the runtime thread could not be stopped in time."""
        self._close_reply_now(update_view=False)
        return self.runtime.stop()

    def _close_reply_now(self, update_view: bool = True) -> None:
        """Stop the streaming reply and close its row at once with the text so far; the runtime
        thread's later events for it are dropped as stale. Used before its view goes away."""
        reply = self.reply
        if reply is None:
            return
        reply.cancel.cancel()
        self.reply = None
        self._paint_timer.stop()
        try:
            self.store.finish_reply(reply.message_id, content=reply.text, reasoning=reply.reasoning,
                                    finish_reason="cancelled")
        except StoreError as exc:
            log.error("could not save the partial reply: %s", exc)
        if update_view:
            self.chat_view.set_busy(False)
            self.generating_changed.emit(False)
            self.conversations_changed.emit()
