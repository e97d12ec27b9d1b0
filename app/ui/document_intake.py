"""Reading dropped files into passages off the GUI thread; storing them on it.

Extraction (a long PDF takes seconds) runs on one worker thread; the result comes back as a
queued signal and is written in one short transaction on the GUI thread, which owns the store
connection. A file that cannot be read gets a sentence naming it; nothing else changes.
"""
from __future__ import annotations

import logging
import queue
import threading
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from app.store import Store, StoreError

log = logging.getLogger(__name__)


class DocumentIntake(QObject):
    stored = Signal(str)  # conversation id whose documents changed
    reading = Signal(str)  # file names being read now ("" when idle)
    error = Signal(str)
    _done = Signal(str, str, object)  # conversation id, file name, (doc, data, passages) | error text

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self._pending: list[tuple[str, str]] = []  # (conversation id, file name) being read
        self._jobs: queue.Queue = queue.Queue()
        # A daemon thread: closing the window mid-way through a long PDF must not wait for it.
        self._thread = threading.Thread(target=self._work, name="deskseek-documents", daemon=True)
        self._thread.start()
        self._done.connect(self._on_done)  # emitted on the worker thread, delivered queued here

    def attach(self, conversation_id: str, paths: list[str]) -> None:
        for path in paths:
            name = Path(path).name
            self._pending.append((conversation_id, name))
            self._jobs.put((conversation_id, path, name))
        self.reading.emit(self.reading_names())

    def reading_names(self, conversation_id: str | None = None) -> str:
        """The files being read (for one conversation, or all), joined by commas; "" if none."""
        return ", ".join(n for c, n in self._pending if conversation_id in (None, c))

    def close(self) -> None:
        self._jobs.put(None)  # the thread ends after the file it is reading, if any

    def _work(self) -> None:  # worker thread
        while (job := self._jobs.get()) is not None:
            try:
                self._read(*job)
            except RuntimeError:  # the window went away while this file was read
                return

    def _read(self, conversation_id: str, path: str, name: str) -> None:  # worker thread
        from app.documents.chunk import passages
        from app.documents.extract import MAX_BYTES, DocumentError, extract

        try:
            size = Path(path).stat().st_size
            if size > MAX_BYTES:  # before reading it all into memory
                raise DocumentError(f"{name} is {size / 2**20:.0f} MB; DeskSeek reads documents up to "
                                    f"{MAX_BYTES // 2**20} MB.")
            data = Path(path).read_bytes()
            doc = extract(name, data)
            result: object = (doc, data, passages(doc))
        except DocumentError as exc:
            result = str(exc)
        except OSError as exc:
            result = f"Could not read {name}: {exc.strerror or exc}."
        except Exception as exc:  # a reader bug must not kill the thread silently
            log.exception("reading %s failed", path)
            result = f"Could not read {name}: {exc}."
        self._done.emit(conversation_id, name, result)

    def _on_done(self, conversation_id: str, name: str, result: object) -> None:
        if (conversation_id, name) in self._pending:
            self._pending.remove((conversation_id, name))
        self.reading.emit(self.reading_names())
        if isinstance(result, str):
            self.error.emit(result)
            return
        doc, data, parts = result  # type: ignore[misc]
        try:
            self.store.add_document(conversation_id, name, data, doc.kind, doc.pages, parts)
        except StoreError as exc:
            self.error.emit(str(exc))
            return
        self.stored.emit(conversation_id)
