"""Reading dropped files into passages and storing them, off the GUI thread.

One daemon thread extracts each file (a long PDF takes seconds) and writes it through its own
SQLite connection (WAL lets the window keep reading meanwhile) in one transaction, so a
document is there whole or not at all; then a queued signal tells the window. A file that
cannot be read gets a sentence naming it; nothing else changes. A password-protected PDF is
handed back (`password_needed`) for the window to ask its password and attach it again with it;
the password travels with that one job and is kept nowhere.

Each job carries an app.documents.reading.Reading: the reader reports each page through it
(`progress`, at most ten times a second unless the page is read by OCR, which takes seconds), and
`cancel()` sets its flag from the GUI thread, so the reader stops before its next page and the
file is not stored. Pages that could not be read are named after the rest is stored.


Once a document is listed, the same thread gives its passages vectors
(app.documents.read.embed_documents), between files; at start, when the history has documents,
it gives them to the passages that have none of the chosen model (read before vectors existed,
or embedded by an earlier pass of the built-in model, whose vectors it deletes).
"""
from __future__ import annotations

import logging

import queue
import threading
import time
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from app.documents.reading import Reading
from app.store import Store, StoreError, open_worker_store

log = logging.getLogger(__name__)

PROGRESS_EVERY = 0.1  # seconds between reports of pages that have a text layer (hundreds a second)


class DocumentIntake(QObject):
    stored = Signal(str)  # conversation id whose documents changed
    reading = Signal(str)  # file names being read now ("" when idle)
    error = Signal(str)
    progress = Signal(str, int, int, bool)  # file name, page (from 1), pages, read by OCR
    password_needed = Signal(str, str, str, bool)  # conversation id, path, file name, a password was tried
    _done = Signal(str, str, str, str)  # conversation id, file name, error sentence ("" when stored), pages unread
    _cancelled = Signal(str, str)  # conversation id, file name
    _locked = Signal(str, str, str, bool)  # as password_needed, from the worker thread

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._db_path = store.path
        self._pending: list[tuple[str, str]] = []  # (conversation id, file name) being read
        self._readings: list[Reading] = []  # of the jobs not finished, so cancel() reaches them
        self._jobs: queue.Queue = queue.Queue()
        self._to_embed: dict[str, None] = {}  # conversation ids whose passages want vectors (worker thread only)
        self._done.connect(self._on_done)  # emitted on the worker thread, delivered queued here
        self._locked.connect(self._on_locked)
        self._cancelled.connect(self._on_cancelled)
        # A daemon thread: closing the window mid-way through a long PDF must not wait for it.
        self._thread = threading.Thread(target=self._work, name="deskseek-documents", daemon=True)
        self._thread.start()

    def attach(self, conversation_id: str, paths: list[str], password: str = "") -> None:
        """Read `paths` into the conversation; `password` opens password-protected PDFs among them."""
        for path in paths:
            name = Path(path).name
            reading = Reading(on_page=self._page_reporter(name))
            self._pending.append((conversation_id, name))
            self._readings.append(reading)
            self._jobs.put((conversation_id, path, name, password, "", reading))
        self.reading.emit(self.reading_names())

    def attach_from_library(self, conversation_id: str, sha256: str, name: str) -> None:
        """Attach a document the library holds: its passages are copied (a long one takes a
        tenth of a second, too long for the GUI thread), the file is not read again."""
        self._pending.append((conversation_id, name))
        reading = Reading()
        self._readings.append(reading)
        self._jobs.put((conversation_id, "", name, "", sha256, reading))
        self.reading.emit(self.reading_names())

    def cancel(self) -> None:
        """Stop every file being read or waiting: each ends before its next page, stores
        nothing, and is named in a sentence."""
        for reading in self._readings:
            reading.cancel()

    def reading_names(self, conversation_id: str | None = None) -> str:
        """The files being read (for one conversation, or all), joined by commas; "" if none."""
        return ", ".join(n for c, n in self._pending if conversation_id in (None, c))

    def close(self) -> None:
        self._jobs.put(None)  # the thread ends after the file it is reading, if any

    # -- the worker thread ---------------------------------------------------------------
    def _work(self) -> None:
        writer: Store | None = None
        try:
            writer = self._warm_rankers()
            if writer is not None:
                self._embed_waiting(writer)  # what start found unembedded, until a file is dropped
            while (job := self._jobs.get()) is not None:
                if writer is None:
                    try:
                        writer = open_worker_store(self._db_path)
                    except StoreError as exc:
                        self._done.emit(job[0], job[2], str(exc), "")
                        continue
                try:
                    self._read(writer, *job)
                    self._embed_waiting(writer)
                except RuntimeError:  # the window went away while this file was read
                    return
        finally:
            if writer is not None:
                writer.close()

    def _read(self, writer: Store, conversation_id: str, path: str, name: str, password: str,
              sha256: str, reading: Reading) -> None:
        """Extract, cut and store one file (or copy a library document's passages, by its
        sha256), then tell the window: stored, locked, cancelled, or why not."""
        from app.documents.extract import DocumentError
        from app.documents.pdf_text import PasswordNeeded
        from app.documents.read import read_document
        from app.documents.reading import ReadingCancelled

        try:
            reading.check(name)  # cancelled while it waited its turn
            if sha256:
                writer.attach_from_library(conversation_id, sha256, name)
            else:
                read_document(writer, conversation_id, path, name, password, reading=reading)
        except PasswordNeeded as exc:
            self._locked.emit(conversation_id, path, name, exc.tried)
        except ReadingCancelled:
            self._cancelled.emit(conversation_id, name)
        except (DocumentError, StoreError) as exc:
            self._done.emit(conversation_id, name, str(exc), "")
        else:
            self._done.emit(conversation_id, name, "", ", ".join(reading.unread))
            self._to_embed[conversation_id] = None
            self._warm_dictionary()  # before the first question about it

    def _page_reporter(self, name: str):
        """The reader's on_page for one file: pages read by OCR are each reported, the others
        (read hundreds a second) every PROGRESS_EVERY seconds and the last one."""
        last = [0.0]

        def on_page(page: int, pages: int, ocr: bool) -> None:
            now = time.monotonic()
            if ocr or page == pages or now - last[0] >= PROGRESS_EVERY:
                last[0] = now
                self.progress.emit(name, page, pages, ocr)  # queued to the GUI thread

        return on_page

    def _warm_rankers(self) -> Store | None:
        """Load the embedding model and the bilingual dictionary here, at start, when the history
        has documents: the window's first question would otherwise wait for them (1.4 s for
        USE, about 2 s for the dictionary on this 2-core machine)."""
        try:
            writer = open_worker_store(self._db_path)
        except StoreError:
            return None  # said when a file is read
        if writer.has_passages():
            self._warm_dictionary()
            try:
                from app.documents.meaning import conversation_embedder

                model = conversation_embedder(writer)
            except Exception:  # no model: questions are ranked by their words
                model = None
            if model is not None:
                self._catch_up(writer, model)
        return writer

    def _catch_up(self, writer: Store, model) -> None:
        """Passages that have no vector of this model (read before vectors existed, embedded by
        an earlier pass of the built-in model, or left when the window closed mid-way) are
        embedded when the thread is idle, conversation by conversation; an earlier built-in
        pass's vectors, never compared again, are deleted."""
        from app.documents.embedding import BUILT_IN_FAMILY

        try:
            if model.name.startswith(BUILT_IN_FAMILY):
                writer.forget_passage_vectors(BUILT_IN_FAMILY, keep=model.name)
            for conversation_id in writer.conversations_without_vectors(model.name, 4 * model.dim):
                self._to_embed[conversation_id] = None
        except StoreError as exc:  # a locked or full database: the vectors wait for the next start
            log.warning("passage vectors not caught up: %s", exc)

    @staticmethod
    def _warm_dictionary() -> None:
        from app.store.translated_terms import dictionary

        try:
            dictionary()  # parsed once per process; later calls return it
        except Exception:  # a broken dictionary file: said when a question is ranked
            log.exception("loading the bilingual dictionary failed")

    def _embed_waiting(self, writer: Store) -> None:
        """Vectors for the conversations read lately: listed and answering by their words already,
        now by their meaning, on this thread. A file waiting to be read goes first: embedding
        stops between batches and goes on after it."""
        from app.documents.read import embed_documents

        while self._to_embed and self._jobs.empty():
            conversation_id = next(iter(self._to_embed))
            embed_documents(writer, conversation_id, stop=lambda: not self._jobs.empty())
            if self._jobs.empty():  # not interrupted: this conversation is done
                self._to_embed.pop(conversation_id, None)

    # -- back on the GUI thread ----------------------------------------------------------
    def _on_locked(self, conversation_id: str, path: str, name: str, tried: bool) -> None:
        self._finished(conversation_id, name)
        self.password_needed.emit(conversation_id, path, name, tried)

    def _finished(self, conversation_id: str, name: str) -> None:
        if (conversation_id, name) in self._pending:
            index = self._pending.index((conversation_id, name))
            del self._pending[index], self._readings[index]
        self.reading.emit(self.reading_names())

    def _on_cancelled(self, conversation_id: str, name: str) -> None:
        self._finished(conversation_id, name)
        self.error.emit(self.tr("Stopped reading %1; nothing of it was attached.").replace("%1", name))

    def _on_done(self, conversation_id: str, name: str, problem: str, unread: str) -> None:
        self._finished(conversation_id, name)
        if problem:
            self.error.emit(problem)
            return
        self.stored.emit(conversation_id)
        if unread:  # after `stored`, which clears the documents notice
            self.error.emit(self.tr("%1 was attached without %2: the text there could not be read.")
                            .replace("%1", name).replace("%2", unread))
