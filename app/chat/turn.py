"""One reply being generated: its row in the store, the request it answers, its text so far.

A Turn takes the engine's events (TextDeltas, then one Finished): the text is checkpointed to the
store about every second, so a crash loses at most about a second of it, and the row is finished
with the Finished event's metadata. `run` drives a Turn with any stream callable of Engine.stream's
shape, for callers without an event loop (tests, the API, scripts).
"""
from __future__ import annotations

import time
from typing import Callable, Iterator, Sequence

from app.chat.request import TurnRequest
from app.store import Message, Store, StoreError
from runtime.types import CancelToken, ChatMessage, Finished, GenerationOptions, LoadedModel, StreamEvent, TextDelta

CHECKPOINT_INTERVAL_S = 1.0

Stream = Callable[[Sequence[ChatMessage], GenerationOptions, CancelToken], Iterator[StreamEvent]]


class Turn:
    def __init__(self, store: Store, *, reply: Message, request: TurnRequest, shown: Sequence[Message],
                 model: LoadedModel, prefix: str = "", on_error: Callable[[str], None],
                 checkpoint_interval_s: float = CHECKPOINT_INTERVAL_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._store = store
        self.reply = reply  # the assistant row, status "streaming" until finished
        self.request = request
        self.shown = tuple(shown)  # the active branch before the reply, read once for the turn
        self.model = model  # the model the turn was started with; its plan is kept with the reply
        self.cancel = CancelToken()
        self.text = prefix  # a continued reply goes on from its old text
        self.reasoning = ""
        self.finished: Finished | None = None
        self.message: Message | None = None  # the finished row
        self._on_error = on_error
        self._interval = checkpoint_interval_s
        self._clock = clock
        self._last_checkpoint = clock()
        self._closed = False

    @property
    def conversation_id(self) -> str:
        return self.reply.conversation_id

    @property
    def message_id(self) -> str:
        return self.reply.id

    @property
    def sources(self) -> tuple:
        return self.request.sources

    @property
    def closed(self) -> bool:
        """Finished or closed early; later events are ignored."""
        return self._closed

    def add(self, event: StreamEvent) -> None:
        """A delta is kept (and checkpointed when a second has passed); Finished closes the row.
        Raises StoreError only when the reply cannot be finished."""
        if self._closed:
            return
        if isinstance(event, Finished):
            self.finish(event)
            return
        if event.reasoning:
            self.reasoning += event.text
        else:
            self.text += event.text
        if self._clock() - self._last_checkpoint >= self._interval:
            self.checkpoint()

    def checkpoint(self) -> None:
        """Save the text so far; a failure is told (on_error) and the stream goes on: the next
        checkpoint, or the finish, tries again."""
        self._last_checkpoint = self._clock()
        try:
            self._store.checkpoint_reply(self.message_id, self.text, self.reasoning)
        except StoreError as exc:
            self._on_error(str(exc))

    def finish(self, done: Finished) -> Message:
        """Close the row with the reply's text and the Finished event's metadata."""
        self._closed = True
        self.finished = done
        self.message = self._store.finish_reply(
            self.message_id, content=self.text, reasoning=self.reasoning,
            finish_reason=done.reason, prompt_tokens=done.prompt_tokens,
            completion_tokens=done.completion_tokens,
            time_to_first_token_s=done.time_to_first_token_s, total_s=done.total_s,
            error=done.error, plan_reason=self.model.reason)
        return self.message

    def close_now(self) -> None:
        """Stop generating and close the row at once with the text so far (the window closing, or
        another conversation opened); the stream's later events are ignored. Raises StoreError."""
        self.cancel.cancel()
        if self._closed:
            return
        self._closed = True
        self.message = self._store.finish_reply(self.message_id, content=self.text, reasoning=self.reasoning,
                                                finish_reason="cancelled")


def run(turn: Turn, stream: Stream, on_event: Callable[[StreamEvent], None] | None = None) -> Finished:
    """Generate the turn's reply with `stream` (Engine.stream, or the engine queue's) on this
    thread: each event is handed to on_event, then to the turn. Returns the Finished event.
    A stream that ends without one, or raises, still closes the reply with the text so far."""
    request = turn.request
    done: Finished | None = None
    try:
        for event in stream(list(request.messages), request.options, turn.cancel):
            if on_event is not None:
                on_event(event)
            if isinstance(event, Finished):
                done = event
                break
            turn.add(event)
    except Exception as exc:  # a stream that is not the Engine's may raise; the text is kept
        done = Finished(reason="error", error=f"The engine failed: {exc}")
    if done is None:
        done = (Finished(reason="cancelled") if turn.cancel.cancelled
                else Finished(reason="error", error="The engine stopped without finishing the reply."))
    turn.add(done)
    return done
