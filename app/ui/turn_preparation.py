"""A turn's request planned on a worker thread when its conversation has documents.

Quoting the documents (bm25, the stored vectors read, the question's vector, the model's token
count: tens of milliseconds, more with a long PDF) would stall the window (issue 14: at most
50 ms). The worker plans the turn with a copy of the TurnService taken on the GUI thread when the
turn is asked (TurnService.bound_to: the options, system prompt and model of that moment) over its
own store connection (open_worker_store, opened once and kept), so the GUI thread never waits on
the window's store lock while a long ranking holds it; the TurnRequest comes back by a queued
signal and the GUI thread only starts the reply's row with it.

The model's token counter reaches the worker through a CountFence: a load frees the llama model,
and a count on freed memory would crash natively. Before a load or a close the fences are shut:
shutting waits for a count under way, and any later count is the estimate (the bound the quoting
uses without a tokenizer), never the engine's.
"""
from __future__ import annotations

import logging
import math
import threading
import time
from dataclasses import dataclass, field
from typing import Callable

from PySide6.QtCore import QObject, Signal

from app.chat.request import TurnRequest
from app.chat.service import TurnService
from app.store import Store, open_worker_store
from runtime.prompting import estimate_tokens

log = logging.getLogger(__name__)

CLOSE_WAIT_S = 2.0  # closing the window waits this long for a planning thread before closing its store


@dataclass
class Planned:
    """What a worker's planning gave: the request, or the exception that stopped it."""

    token: int  # which preparation (the controller starts only the one it waits for)
    parent_id: str
    prefix: str
    request: TurnRequest | None = None
    error: Exception | None = None
    told: list[str] = field(default_factory=list)  # sentences for the user (a quoting failure: words went alone)


class CountFence:
    """The engine's `count(text) -> tokens` for one planning thread, until shut."""

    def __init__(self, count: Callable[[str], int]) -> None:
        self._count: Callable[[str], int] | None = count
        self._lock = threading.Lock()

    def __call__(self, text: str) -> int:
        with self._lock:
            if self._count is not None:
                return self._count(text)
        return math.ceil(estimate_tokens(text))

    def shut(self) -> None:
        """Waits for a count under way; the engine is never asked again."""
        with self._lock:
            self._count = None


class TurnPreparation(QObject):
    planned = Signal(object)  # Planned, queued from the worker thread to the GUI thread

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._path = store.path
        self._store: Store | None = None  # the workers' own connection, opened on first use
        self._running: list[tuple[threading.Thread, CountFence | None]] = []

    def start(self, token: int, service: TurnService, count: Callable[[str], int] | None,
              parent_id: str, prefix: str = "") -> None:
        """Plan the reply to `parent_id` on a worker thread with a copy of `service` as it is now;
        `planned` brings the outcome back. Raises StoreError when the history file cannot be
        opened a second time."""
        if self._store is None:
            self._store = open_worker_store(self._path)
        fence = CountFence(count) if count is not None else None
        outcome = Planned(token, parent_id, prefix)
        planner = service.bound_to(self._store, token_counter=fence, on_error=outcome.told.append)

        def plan() -> None:
            try:
                outcome.request = planner.plan(parent_id, prefix)
            except Exception as exc:  # told (a StoreError's sentence) or raised on the GUI thread
                outcome.error = exc
            try:
                self.planned.emit(outcome)
            except RuntimeError:  # the window is gone
                pass

        thread = threading.Thread(target=plan, name="turn-preparation", daemon=True)
        self._running = [(t, f) for t, f in self._running if t.is_alive()] + [(thread, fence)]
        thread.start()

    def shut_fences(self) -> None:
        """Before a load: no planning thread counts with the engine's tokenizer from now on
        (waits for a count under way: a few milliseconds)."""
        for _, fence in self._running:
            if fence is not None:
                fence.shut()

    def close(self, timeout_s: float = CLOSE_WAIT_S) -> None:
        """Window closing: fences shut, the planning threads given `timeout_s` in all to end, then
        the workers' store closed (left to the process's end if one is still running)."""
        self.shut_fences()
        deadline = time.monotonic() + timeout_s
        for thread, _ in self._running:
            thread.join(max(0.0, deadline - time.monotonic()))
        if any(t.is_alive() for t, _ in self._running):
            log.warning("a turn was still being planned when the window closed")
            return
        self._running = []
        if self._store is not None:
            self._store.close()
            self._store = None
