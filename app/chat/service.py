"""Turns on stored conversations: send, regenerate, edit, continue.

`plan` builds a turn's request from the branch it answers (the conversation's system prompt,
documents quoted, a continued reply's text) with app.chat.request.build_request, reading only (the
window runs it on a worker thread over another store connection); `reply_to` starts the reply's
row with it, keeps the quoted passages with the reply, and returns a Turn that takes the engine's
events. The user's message is committed before anything is generated;
regenerate, edit and continue add a new version beside the old one, so nothing is erased.
Store failures are StoreErrors, whose text is a sentence for the user.
"""
from __future__ import annotations

import logging
import time
from typing import Callable, Sequence

from app.chat.request import SPOKEN_ROLES, TurnRequest, build_request
from app.chat.turn import CHECKPOINT_INTERVAL_S, Turn
from app.documents.quote import quote_documents
from app.store import Message, Store, StoreError
from runtime.types import ChatMessage, DeskSeekError, GenerationOptions, LoadedModel

log = logging.getLogger(__name__)


class TurnError(DeskSeekError):
    """A turn that cannot start (no model, or a message that cannot be answered)."""


class TurnService:
    """The settings the window (or a caller) changes between turns are plain attributes:
    options, system_prompt (a new conversation's), fold_system_prompt (the loaded model's card)."""

    def __init__(self, store: Store, model: Callable[[], LoadedModel | None], *,
                 on_error: Callable[[str], None] | None = None,
                 token_counter: Callable[[], Callable[[str], int] | None] = lambda: None,
                 checkpoint_interval_s: float = CHECKPOINT_INTERVAL_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.store = store
        self._model = model
        self.options = GenerationOptions()
        self.system_prompt = ""
        self.fold_system_prompt = False
        # Sentences for what went wrong without stopping the turn (a checkpoint, the quoting).
        self.on_error = on_error or (lambda sentence: log.error("%s", sentence))
        # The loaded model's own count of a text's tokens (None: a server, or none at hand), so
        # the passages quoted are chosen by real tokens rather than the bound for every script.
        self._token_counter = token_counter
        self._interval = checkpoint_interval_s
        self._clock = clock

    # -- conversations and messages ----------------------------------------------------------
    def new_conversation(self, title: str = "") -> str:
        model = self._model()
        cid = self.store.create_conversation(title=title, model=model.name if model else "").id
        if self.system_prompt:  # the prompt a conversation starts with stays its own
            self.store.set_system_prompt(cid, self.system_prompt)
        return cid

    def add_user_message(self, conversation_id: str | None, text: str) -> Message:
        """Committed before it returns; a new conversation when conversation_id is None."""
        model = self._require_model()
        cid = conversation_id if conversation_id is not None else self.new_conversation()
        return self.store.add_message(cid, "user", text, model=model.name)

    # -- turns ---------------------------------------------------------------------------------
    def send(self, conversation_id: str | None, text: str) -> Turn:
        """The user's message (committed first), then its reply."""
        return self.reply_to(self.add_user_message(conversation_id, text).id)

    def regenerate(self, message_id: str) -> Turn:
        """Another version of a reply, beside the old one."""
        return self.reply_to(self.answered(message_id).parent_id)

    def edit(self, message_id: str, text: str) -> Turn:
        """A new version of a user message beside the old one, and its reply."""
        return self.reply_to(self.edit_message(message_id, text).id)

    def edit_message(self, message_id: str, text: str) -> Message:
        """The new version of a user message, committed beside the old one (its reply comes next)."""
        self._require_model()
        return self.store.edit_message(message_id, text)

    def continue_reply(self, message_id: str) -> Turn:
        """A new version that starts with the reply's text and goes on from there."""
        message = self.answered(message_id)
        return self.reply_to(message.parent_id, prefix=message.content)

    def record(self, history: Sequence[ChatMessage], options: GenerationOptions, *, origin: str) -> Turn:
        """A conversation asked from outside the window (the local API server): its messages
        stored as sent, in a new conversation marked with `origin`, and its reply started. The
        request is the caller's own (its messages and options; no system prompt added, no
        documents), so what is saved is what was generated."""
        model = self._require_model()
        spoken = [m for m in history if m.role in SPOKEN_ROLES]
        if not spoken:
            raise TurnError("The conversation has no message to answer.")
        cid = self.store.create_conversation(model=model.name, origin=origin).id
        for m in spoken:
            parent = self.store.add_message(cid, m.role, m.content, model=model.name).id
        return self.reply_to(parent, request=TurnRequest(tuple(history), options))

    def plan(self, parent_id: str, prefix: str = "") -> TurnRequest:
        """The request for the reply to `parent_id`, exactly as reply_to builds it, writing nothing:
        the branch from the root down to `parent_id` (whichever branch is on screen: a reply being
        regenerated is no part of it), with its documents quoted. The window runs it on a worker
        thread, on a copy of this service over the worker's own store connection (bound_to)."""
        model = self._require_model()
        branch = self.store.branch_to(parent_id)
        if not branch:
            raise StoreError(f"That message no longer exists ({parent_id}).")
        return self.request_for(branch[-1].conversation_id, branch, model, prefix=prefix)

    def reply_to(self, parent_id: str, *, prefix: str = "", request: TurnRequest | None = None) -> Turn:
        """Start the reply to `parent_id` (the last message it sees) with `request`: one the caller
        already made (plan's, or the API client's for `record`), else plan's made now."""
        model = self._require_model()
        if request is None:
            request = self.plan(parent_id, prefix)
        parent = self.store.get_message(parent_id)
        if parent is None:
            raise StoreError(f"That message no longer exists ({parent_id}).")
        cid = parent.conversation_id
        row = self.store.start_reply(cid, parent_id=parent_id, model=model.name, engine=model.engine,
                                     sources=list(request.sources))
        shown = [m for m in self.store.messages(cid) if m.id != row.id]
        return Turn(self.store, reply=row, request=request, shown=shown, model=model, prefix=prefix,
                    on_error=self.on_error, checkpoint_interval_s=self._interval, clock=self._clock)

    def request_for(self, conversation_id: str, branch: list[Message], model: LoadedModel,
                    prefix: str = "") -> TurnRequest:
        """The request for a stored branch: its messages, the conversation's system prompt, its
        documents quoted into the question."""
        conversation = self.store.get_conversation(conversation_id)
        history = [ChatMessage(m.role, m.content) for m in branch]

        def quote(messages: list[ChatMessage]) -> list:
            """With documents attached, the question goes out with the passages it is about; a
            store failure is told and the question goes out alone."""
            try:
                return quote_documents(self.store, conversation_id, messages, model.context_length,
                                       self.options.max_tokens, count_tokens=self._token_counter())
            except StoreError as exc:
                self.on_error(str(exc))
                return []

        return build_request(history, options=self.options,
                             system_prompt=conversation.system_prompt if conversation else "",
                             fold_system_prompt=self.fold_system_prompt, prefix=prefix, quote=quote)

    def bound_to(self, store: Store, *, token_counter: Callable[[str], int] | None,
                 on_error: Callable[[str], None]) -> "TurnService":
        """A copy for a worker thread that plans a turn: this service's options, system prompt,
        fold and model as they are now (later changes do not reach it), over `store` (the
        worker's own connection), counting tokens with `token_counter`, telling `on_error`."""
        model = self._model()
        copy = TurnService(store, lambda: model, on_error=on_error, token_counter=lambda: token_counter,
                           checkpoint_interval_s=self._interval, clock=self._clock)
        copy.options, copy.system_prompt, copy.fold_system_prompt = (
            self.options, self.system_prompt, self.fold_system_prompt)
        return copy

    def answered(self, message_id: str) -> Message:
        """A reply that answers a message (regenerate and continue work on it)."""
        message = self.store.get_message(message_id)
        if message is None:
            raise StoreError(f"That message no longer exists ({message_id}).")
        if not message.parent_id:
            raise TurnError("That message answers nothing, so it cannot be generated again.")
        return message

    # -- helpers -------------------------------------------------------------------------------
    def _require_model(self) -> LoadedModel:
        model = self._model()
        if model is None:
            raise TurnError("No model is loaded: load one before sending.")
        return model
