"""The Store: one connection, one lock, one short transaction per write.

Conversation-level operations live here; messages, search, attachments and the bin are
mixins in their own modules so each file keeps one job.
"""
from __future__ import annotations

import contextlib
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterator

from sqlite_utils import Database

from .attachments import AttachmentsMixin
from .branches import BranchesMixin
from .connection import open_database
from .documents import DocumentsMixin
from .errors import StoreError, translated
from .ids import new_id, now_iso, to_iso
from .library import LibraryMixin
from .messages import MessagesMixin
from .records import Conversation, from_row, rows_to
from .search import SearchMixin
from .search_index import unindex_messages

BIN_KEEP_DAYS = 7


def open_store(path: Path) -> "Store":
    """Open (creating if needed) the history database at `path`; StoreError says why not."""
    path = Path(path).expanduser()
    store = Store(open_database(path), path)
    store._recover_interrupted()
    # Deleting is undoable for a while; after that the text really leaves the file.
    store.purge_deleted(before=to_iso(datetime.now(timezone.utc) - timedelta(days=BIN_KEEP_DAYS)))
    return store


def open_worker_store(path: Path) -> "Store":
    """A second connection to an open history file, for a worker thread that writes (WAL lets
    the window keep reading); the window's own store has already recovered and purged it."""
    path = Path(path).expanduser()
    return Store(open_database(path), path)


class Store(MessagesMixin, BranchesMixin, AttachmentsMixin, DocumentsMixin, LibraryMixin, SearchMixin):
    def __init__(self, db: Database, path: Path) -> None:
        self._db = db
        self.path = path
        self._lock = threading.RLock()  # the sqlite3 connection is shared; keep calls whole
        self._streams: set[str] = set()  # replies this store started and has not finished

    # -- plumbing -------------------------------------------------------------------------
    @contextlib.contextmanager
    def _write(self) -> Iterator[Database]:
        """One short transaction. IMMEDIATE takes the write lock up front, so a read-then-write
        never fails half-way because another window or process wrote in between."""
        with self._lock, translated(self.path):
            if self._db.conn.in_transaction:
                with self._db.atomic():  # nested: a savepoint
                    yield self._db
                return
            self._db.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
                self._db.conn.execute("COMMIT")
            except BaseException:
                self._db.rollback()
                raise

    @contextlib.contextmanager
    def _read(self) -> Iterator[Database]:
        with self._lock, translated(self.path):
            yield self._db

    def close(self) -> None:
        with self._lock:
            self._forget_streams()
            self._db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- conversations --------------------------------------------------------------------
    def create_conversation(self, title: str = "", model: str = "", origin: str = "") -> Conversation:
        """origin: "api" for a conversation asked through the local API server."""
        now = now_iso()
        row = {"id": new_id(), "title": title, "model": model, "created": now, "updated": now, "origin": origin}
        with self._write() as db:
            db["conversations"].insert(row)
        return self._require_conversation(row["id"])

    def list_conversations(self, include_archived: bool = False, *, limit: int | None = None,
                           offset: int = 0) -> list[Conversation]:
        """Pinned first, then the most recently updated; never those in the bin. `limit` and
        `offset` page through a long list (the whole of 10,000 takes about 50-75 ms)."""
        where = "deleted IS NULL" + ("" if include_archived else " AND archived = 0")
        # Served in index order (no sort step); equal times fall back to the index's rowid order.
        sql = (f"SELECT * FROM conversations WHERE {where} ORDER BY pinned DESC, updated DESC "
               "LIMIT ? OFFSET ?")
        with self._read() as db:
            return rows_to(Conversation, db.conn.execute(sql, [-1 if limit is None else limit, offset]))

    def get_conversation(self, conversation_id: str) -> Conversation | None:
        with self._read() as db:
            rows = list(db.query("SELECT * FROM conversations WHERE id = ?", [conversation_id]))
        return from_row(Conversation, rows[0]) if rows else None

    def rename_conversation(self, conversation_id: str, title: str) -> Conversation:
        return self._update_conversation(conversation_id, title=title.strip())

    def set_pinned(self, conversation_id: str, pinned: bool) -> Conversation:
        return self._update_conversation(conversation_id, pinned=int(pinned))

    def set_archived(self, conversation_id: str, archived: bool) -> Conversation:
        return self._update_conversation(conversation_id, archived=int(archived))

    def set_system_prompt(self, conversation_id: str, system_prompt: str) -> Conversation:
        return self._update_conversation(conversation_id, system_prompt=system_prompt)

    def set_model(self, conversation_id: str, model: str, options_json: str = "{}") -> Conversation:
        """Remember the model and generation options (JSON text) the conversation uses."""
        return self._update_conversation(conversation_id, model=model, options=options_json)

    def delete_conversation(self, conversation_id: str) -> None:
        """Move to the bin; `undo_delete` brings it back until `purge_deleted` removes it."""
        self._update_conversation(conversation_id, deleted=now_iso())

    def undo_delete(self, conversation_id: str) -> Conversation:
        return self._update_conversation(conversation_id, deleted=None)

    def purge_deleted(self, before: str | None = None) -> int:
        """Erase conversations moved to the bin before `before` (ISO time; default: all)."""
        with self._write() as db:
            ids = [r["id"] for r in db.query(
                "SELECT id FROM conversations WHERE deleted IS NOT NULL AND deleted < ?",
                [before or "9999"])]
            for cid in ids:
                self._erase_conversation(db, cid)
            if ids:
                self._drop_orphan_attachments(db)
        return len(ids)

    def _erase_conversation(self, db: Database, conversation_id: str) -> None:
        """Remove a conversation with its messages, documents and their search rows, inside
        the caller's transaction (the bin's purge; an import that brings a binned one back)."""
        doomed = [r[0] for r in db.execute("SELECT id FROM messages WHERE conversation_id = ?", [conversation_id])]
        unindex_messages(db, doomed)
        self._unindex_conversation_documents(db, conversation_id)
        db.execute("DELETE FROM conversations WHERE id = ?", [conversation_id])  # messages, documents cascade

    def _update_conversation(self, conversation_id: str, **values: object) -> Conversation:
        """Change settings of a conversation; only new messages count as activity (`updated`)."""
        sets = ", ".join(f"{k} = :{k}" for k in values)
        with self._write() as db:
            cursor = db.execute(f"UPDATE conversations SET {sets} WHERE id = :_id",
                                {**values, "_id": conversation_id})
            if cursor.rowcount == 0:
                raise StoreError(f"That conversation no longer exists ({conversation_id}).")
        return self._require_conversation(conversation_id)

    def _require_conversation(self, conversation_id: str) -> Conversation:
        conversation = self.get_conversation(conversation_id)
        if conversation is None:
            raise StoreError(f"That conversation no longer exists ({conversation_id}).")
        return conversation

    # -- settings -------------------------------------------------------------------------
    def get_setting(self, key: str, default: str | None = None) -> str | None:
        with self._read() as db:
            row = db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str) -> None:
        with self._write() as db:
            db.execute("INSERT INTO settings(key, value) VALUES (?, ?) "
                       "ON CONFLICT(key) DO UPDATE SET value = excluded.value", [key, value])
