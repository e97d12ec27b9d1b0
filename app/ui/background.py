"""Calls that touch the network or the disk, run off the GUI thread: each on a daemon thread, the
result (or the DeskSeekError's sentence) delivered back through a queued signal. A newer call of
the same kind makes an older one's answer stale, so a slow search never overwrites a newer one."""
from __future__ import annotations

import itertools
import logging
import threading
from typing import Any, Callable

from PySide6.QtCore import QObject, Signal

from runtime.types import DeskSeekError

log = logging.getLogger(__name__)


class Background(QObject):
    done = Signal(str, object)  # kind, result
    failed = Signal(str, str)  # kind, sentence
    _finished = Signal(str, int, object, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ids = itertools.count(1)
        self._latest: dict[str, int] = {}
        self._finished.connect(self._deliver)

    def busy(self, kind: str) -> bool:
        return kind in self._latest

    def forget(self, kind: str) -> None:
        """The call of this kind under way, if any, answers no one (its question no longer stands)."""
        self._latest.pop(kind, None)

    def run(self, kind: str, fn: Callable[..., Any], *args) -> None:
        self._latest[kind] = call_id = next(self._ids)
        threading.Thread(target=self._work, args=(kind, call_id, fn, args), name=f"deskseek-{kind}",
                         daemon=True).start()

    def _work(self, kind: str, call_id: int, fn, args) -> None:
        result, error = None, ""
        try:
            result = fn(*args)
        except DeskSeekError as exc:
            error = str(exc)
        except Exception as exc:  # a bug must reach the user as a sentence, not a silent page
            log.exception("%s failed", kind)
            error = f"Something went wrong ({type(exc).__name__}: {exc})."
        try:
            self._finished.emit(kind, call_id, result, error)
        except RuntimeError:  # the window closed meanwhile
            pass

    def _deliver(self, kind: str, call_id: int, result, error: str) -> None:
        if self._latest.get(kind) != call_id:
            return
        del self._latest[kind]
        if error:
            self.failed.emit(kind, error)
        else:
            self.done.emit(kind, result)
