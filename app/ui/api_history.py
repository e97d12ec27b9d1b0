"""API conversations saved in the history (Settings > Local API server > Save API conversations).

The server tells this of each reply it generates (app.api's ReplyHook, on the server's thread) and
hands it the reply's events (on the engine thread); both reach the GUI thread as queued signals, in
the order they were emitted, and go through the one saving path the window's own turns use:
TurnService.record stores the client's messages in a new conversation marked "api" and starts the
reply's row; the Turn checkpoints it and finishes it with its metadata. So the window's store
connection is only ever used on the GUI thread.
"""
from __future__ import annotations

import itertools
import logging
from typing import Callable, Sequence

from PySide6.QtCore import QObject, Signal

from app.chat.service import TurnError, TurnService
from app.chat.turn import Turn
from app.store import Store, StoreError
from runtime.types import ChatMessage, GenerationOptions, LoadedModel, StreamEvent

log = logging.getLogger(__name__)

API_ORIGIN = "api"  # the conversations' origin in the store; the sidebar marks them


class ApiHistory(QObject):
    saved = Signal(str)  # a conversation id whose rows changed (the sidebar lists it)
    error = Signal(str)  # a sentence: the history could not be written
    _started = Signal(int, object, object)  # reply key, messages, options
    _event = Signal(int, object)  # reply key, StreamEvent

    def __init__(self, store: Store, model: Callable[[], LoadedModel | None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.enabled = True  # the setting; read on the server's thread for each new reply
        self._closed = False
        self.turns = TurnService(store, model, on_error=self.error.emit)
        self._open: dict[int, Turn] = {}
        self._keys = itertools.count(1)
        self._started.connect(self._start)  # emitted on other threads: queued calls on this one
        self._event.connect(self._add)

    def hook(self, messages: Sequence[ChatMessage], options: GenerationOptions):
        """The server's ReplyHook (on the server's thread)."""
        if not self.enabled:
            return None
        key = next(self._keys)
        self._started.emit(key, tuple(messages), options)
        return lambda event: self._event.emit(key, event)

    @property
    def open_replies(self) -> int:
        return len(self._open)

    def _start(self, key: int, messages: tuple, options: GenerationOptions) -> None:
        if self._closed:  # asked just before the window closed: the server has been stopped
            return
        try:
            turn = self.turns.record(messages, options, origin=API_ORIGIN)
        except (StoreError, TurnError) as exc:
            self.error.emit(str(exc))
            return
        self._open[key] = turn
        self.saved.emit(turn.conversation_id)

    def _add(self, key: int, event: StreamEvent) -> None:
        turn = self._open.get(key)
        if turn is None:  # its conversation could not be saved; the client still gets its reply
            return
        try:
            turn.add(event)
        except StoreError as exc:
            self.error.emit(str(exc))
            self._open.pop(key, None)
            return
        if turn.closed:
            del self._open[key]
            self.saved.emit(turn.conversation_id)

    def close_all(self) -> None:
        """The window is closing: replies still being written keep their text so far."""
        self._closed = True
        for turn in self._open.values():
            try:
                turn.close_now()
            except StoreError as exc:
                log.error("an API reply could not be closed: %s", exc)
        self._open.clear()
