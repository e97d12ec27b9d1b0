"""One file from disk into a conversation's documents: checked, extracted, cut into passages and
stored in one transaction; then its passages' vectors (`embed_documents`), so questions in any
language find them. The window's reading thread (app.ui.document_intake) and `deskseek passages`
both read files through these two, so they quote the same passages. Embedding comes second and
apart: the document is listed, and answers by its words, as soon as it is stored; a 300-page PDF
takes ~4-5 s to embed on two cores after its ~3 s of reading (bench/RESULTS.md).
"""
from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Callable

from app.documents.chunk import passages
from app.documents.extract import MAX_BYTES, DocumentError, extract
from app.documents.reading import Reading
from app.documents.meaning import embed_passages
from app.store import Document, Store, StoreError
from app.store.own_files import refuse_history_file

log = logging.getLogger(__name__)


def read_document(store: Store, conversation_id: str, path: str | Path, name: str | None = None,
                  password: str = "", reading: Reading | None = None) -> Document:
    """Read the file at `path` into the conversation, named `name` (its file name by default);
    `password` opens a password-protected PDF; `reading` hears of each page and can stop the
    reading (nothing is stored then: ReadingCancelled), and names the pages that could not be
    read in its `unread`. Every failure is a DocumentError whose message is the sentence to show
    (app.documents.pdf_text.PasswordNeeded when the PDF wants its password). A file the library
    already holds (same content) is not read again: its passages are reused."""
    name = name or Path(path).name
    try:
        refuse_history_file(path, store.path, "attached as a document")
        size = Path(path).stat().st_size
        if size > MAX_BYTES:  # before reading it all into memory
            raise DocumentError(f"{name} is {size / 2**20:.0f} MB; DeskSeek reads documents up to "
                                f"{MAX_BYTES // 2**20} MB.")
        data = Path(path).read_bytes()
        # Read before, in some conversation: its passages are copied, the file is not read again.
        reused = store.reuse_document(conversation_id, hashlib.sha256(data).hexdigest(), name)
        if reused is not None:
            return reused
        doc = extract(name, data, password, reading)
        if reading is not None:
            reading.check(name)  # cancelled after the last page: still nothing stored
        return store.add_document(conversation_id, name, data, doc.kind, doc.pages, passages(doc))
    except DocumentError:
        raise
    except StoreError as exc:
        raise DocumentError(str(exc)) from exc
    except OSError as exc:
        raise DocumentError(f"Could not read {name}: {exc.strerror or exc}.") from exc
    except Exception as exc:  # a reader bug must not kill the caller's thread silently
        log.exception("reading %s failed", path)
        raise DocumentError(f"Could not read {name}: {exc}.") from exc


def embed_documents(store: Store, conversation_id: str, stop: Callable[[], bool] = lambda: False) -> int:
    """Vectors for the conversation's passages that have none (this document's, and those of
    documents read before vectors existed), a batch at a time until `stop()`; how many were made.
    A failure is logged and loses nothing: those passages are ranked by their words."""
    try:
        return embed_passages(store, conversation_id, stop=stop)
    except StoreError as exc:
        log.warning("passage vectors not stored: %s", exc)
    except Exception:  # an embedding model's failure must not end the reading thread
        log.exception("embedding the passages of %s failed", conversation_id)
    return 0
