"""Send, stop, regenerate, edit, continue, delete and switch versions: the GUI thread's side of a turn.

The turn itself (the request the model sees, the reply's row: started, checkpointed about every
second, finished with its metadata) is app.chat's TurnService; a request that quotes documents is
planned on a worker thread (app.ui.turn_preparation), the rest here. This adapter gives it the
window's widgets: reply text painted at most every ~40 ms, request ids for the runtime thread,
the row closed at once on window close. Events from an older request are dropped.
"""
from __future__ import annotations

import itertools
import logging
import time
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer, Signal

from app.chat.request import TurnRequest
from app.chat.service import TurnError, TurnService
from app.chat.turn import Turn
from app.store import Quoted, Store, StoreError
from app.ui.message_view import MessageView
from app.ui.model_slot import ModelSlot
from app.ui.runtime_thread import RuntimeThread
from app.ui.turn_preparation import Planned, TurnPreparation
from app.ui.turn_status import status_line
from runtime.types import CancelToken, Finished, GenerationOptions, LoadedModel, TextDelta

log = logging.getLogger(__name__)

PAINT_INTERVAL_MS = 40


@dataclass
class _Reply:
    """The window's side of a Turn: its request id, its view, the text not painted yet."""

    request_id: int
    turn: Turn
    view: MessageView
    unpainted: str = ""
    unpainted_reasoning: str = ""
    first_paint: float | None = None

    @property
    def text(self) -> str:
        return self.turn.text

    @property
    def message_id(self) -> str:
        return self.turn.message_id

    @property
    def cancel(self) -> CancelToken:
        return self.turn.cancel


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
        self.conversation_id: str | None = None
        self.models = ModelSlot(store, runtime, self)
        self.turns = TurnService(store, lambda: self.models.model, on_error=self.error.emit,
                                 token_counter=runtime.token_counter)
        self.models.state_changed.connect(self.model_state_changed)
        self.models.progress.connect(self.load_progress)
        self.models.error.connect(self.error)
        self.reply: _Reply | None = None
        self._ids = itertools.count(1)
        self._paint_timer = QTimer(self)
        self._paint_timer.setSingleShot(True)
        self._paint_timer.setInterval(PAINT_INTERVAL_MS)
        self._paint_timer.timeout.connect(self._paint)
        self._preparing: int | None = None  # the turn a worker is planning (its documents quoted)
        self._preparations = itertools.count(1)
        self._preparation = TurnPreparation(store, self)
        self._preparation.planned.connect(self._on_planned)
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
    def preparing(self) -> bool:
        """A turn over documents waits for its request (planned on a worker thread) before it starts."""
        return self._preparing is not None

    @property
    def loading_path(self) -> str | None:
        return self.models.loading_path

    def load_model(self, path: str, prefs=None) -> None:
        """Stops the reply; a turn still being planned does not start (its question stays, unanswered)."""
        self.stop()
        self._preparation.shut_fences()  # a load frees the model: no planning thread counts with it from now
        if self._preparing is not None:
            self._preparing = None
            self.render_branch()
        self.models.load(path, prefs)

    # -- what the next turn is sent with (the service keeps them) --------------------------
    @property
    def options(self) -> GenerationOptions:
        return self.turns.options

    @options.setter
    def options(self, options: GenerationOptions) -> None:
        self.turns.options = options

    @property
    def system_prompt(self) -> str:
        """A new conversation's system prompt (each conversation keeps its own)."""
        return self.turns.system_prompt

    @system_prompt.setter
    def system_prompt(self, text: str) -> None:
        self.turns.system_prompt = text

    @property
    def fold_system_prompt(self) -> bool:
        """The model's card asks for no system prompt (R1): its text leads the first user message."""
        return self.turns.fold_system_prompt

    @fold_system_prompt.setter
    def fold_system_prompt(self, fold: bool) -> None:
        self.turns.fold_system_prompt = fold

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
                self.conversation_id = self.turns.new_conversation(title)
            except StoreError as exc:
                self.error.emit(str(exc))
                return None
            self.current_changed.emit()
            self.conversations_changed.emit()
        return self.conversation_id

    def render_branch(self, skip_id: str | None = None) -> list:
        """Show the active branch (less skip_id); returns its messages for the caller to reuse."""
        if self.conversation_id is None:
            return []
        rows = [m for m in self.store.messages(self.conversation_id) if m.id != skip_id]
        self._show(rows)
        return rows

    def _show(self, rows: list, keep_shown: bool = False) -> None:
        sources = self.store.reply_sources(m.id for m in rows if m.role == "assistant")
        self.chat_view.show_messages(rows, self.store.branch_positions(self.conversation_id), sources,
                                     keep_shown=keep_shown)

    # -- a turn ------------------------------------------------------------------
    # Each action does its cheap store step here (send: the user's message; edit: its new version;
    # regenerate and continue: the reply's parent and prefix), then _start plans the request.
    def send(self, text: str) -> bool:
        """False (and nothing stored) when the message cannot be sent now."""
        if not self._can_start():
            return False
        try:
            if self.conversation_id is None:
                self.conversation_id = self.turns.new_conversation()
                self.current_changed.emit()
            user = self.turns.add_user_message(self.conversation_id, text)
        except StoreError as exc:
            self.error.emit(str(exc))
            return False
        self._start(user.id)  # the message is kept whatever follows
        return True

    def regenerate(self, message_id: str) -> None:
        if self._can_start():
            try:
                parent_id = self.turns.answered(message_id).parent_id
            except (StoreError, TurnError) as exc:
                self.error.emit(str(exc))
                return
            self._start(parent_id)

    def edit(self, message_id: str, text: str) -> None:
        if self._can_start():
            try:
                edited = self.turns.edit_message(message_id, text)
            except (StoreError, TurnError) as exc:
                self.error.emit(str(exc))
                return
            self._start(edited.id)  # its turn rebuilds the views, the edit box with them

    def continue_reply(self, message_id: str) -> None:
        """A new version that starts with the cut reply's text and goes on from there."""
        if self._can_start():
            try:
                cut = self.turns.answered(message_id)
            except (StoreError, TurnError) as exc:
                self.error.emit(str(exc))
                return
            self._start(cut.parent_id, cut.content)

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
        if self.reply is not None or self._preparing is not None:
            return False
        if self.loading_path is not None:
            self.error.emit(self.tr("The model is still loading; your text is kept. Send it when the bar says ready."))
            return False
        if self.model is None:
            self.error.emit(self.tr("No model is loaded: open one with File > Open model. Your text is kept."))
            return False
        return True

    def _start(self, parent_id: str, prefix: str = "") -> None:
        """Plan the reply to `parent_id` (TurnService.plan), then begin it. With documents attached
        the plan quotes them (tens of milliseconds, more with a long PDF): it is made on a worker
        thread (app.ui.turn_preparation) and the turn begins when it comes back; without, here."""
        cid = self.conversation_id
        try:
            if cid is None or not self.store.documents(cid):
                self._begin(parent_id, prefix, self.turns.plan(parent_id, prefix))
                return
            token = self._preparing = next(self._preparations)
            self._preparation.start(token, self.turns, self.runtime.token_counter(), parent_id, prefix)
        except (StoreError, TurnError) as exc:
            self._preparing = None
            self.error.emit(str(exc))

    def _on_planned(self, planned: Planned) -> None:
        if planned.token != self._preparing:  # another chat opened, a load, a close: its message stays unanswered
            return
        self._preparing = None
        for sentence in planned.told:
            self.error.emit(sentence)
        if isinstance(planned.error, (StoreError, TurnError)):
            self.error.emit(str(planned.error))
        elif planned.error is not None:
            raise planned.error  # a defect: reported as if it had happened here
        else:
            self._begin(planned.parent_id, planned.prefix, planned.request)

    def _begin(self, parent_id: str, prefix: str, request: TurnRequest) -> None:
        try:
            turn = self.turns.reply_to(parent_id, prefix=prefix, request=request)
        except (StoreError, TurnError) as exc:
            self.error.emit(str(exc))
            return
        self._show(list(turn.shown), keep_shown=True)  # read once per turn, by the service; a send adds its views
        view = self.chat_view.add_message("assistant", turn.text, message_id=turn.message_id, streaming=True)
        view.set_sources(Quoted(turn.sources, turn.request.ranker))
        self.reply = _Reply(next(self._ids), turn, view)
        self.chat_view.set_busy(True)
        self.generating_changed.emit(True)
        self.conversations_changed.emit()
        self.runtime.generate(self.reply.request_id, list(request.messages), request.options, turn.cancel)

    def _on_delta(self, request_id: int, text: str, reasoning: bool) -> None:
        reply = self.reply
        if reply is None or request_id != reply.request_id:
            return
        if reasoning:
            reply.unpainted_reasoning += text
        else:
            reply.unpainted += text
        if not self._paint_timer.isActive():
            self._paint_timer.start()
        reply.turn.add(TextDelta(text, reasoning))  # checkpointed about every second

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

    def _on_finished(self, request_id: int, done: Finished) -> None:
        reply = self.reply
        if reply is None or request_id != reply.request_id:
            return
        self._paint()
        self.reply = None
        try:
            message = reply.turn.finish(done)
            positions = self.store.branch_positions(reply.turn.conversation_id)
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
        self._preparation.close()  # before the model is unloaded: no planning thread counts with it
        return self.runtime.stop()

    def _close_reply_now(self, update_view: bool = True) -> None:
        """Stop the streaming reply and close its row at once with the text so far; the runtime
        thread's later events for it are dropped as stale. Used before its view goes away. A turn
        still being planned will not start."""
        self._preparing = None
        reply = self.reply
        if reply is None:
            return
        self.reply = None
        self._paint_timer.stop()
        try:
            reply.turn.close_now()
        except StoreError as exc:
            log.error("could not save the partial reply: %s", exc)
        if update_view:
            self.chat_view.set_busy(False)
            self.generating_changed.emit(False)
            self.conversations_changed.emit()
