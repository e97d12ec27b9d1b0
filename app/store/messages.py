"""Messages as a tree: add, stream a reply (start, checkpoint, finish), walk the active branch."""
from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, Sequence

from .errors import StoreError
from .ids import new_id, now_iso, to_iso
from .liveness import process_alive
from .records import Message, Passage, from_row, rows_to
from .search_index import index_message, unindex_messages
from .titles import title_from_text

if TYPE_CHECKING:
    from sqlite_utils import Database

ROLES = ("system", "user", "assistant")
STALE_AFTER = timedelta(minutes=10)  # a long prompt on a CPU may go minutes without a token
# Replies being streamed by stores open in this process: recovery must leave them alone.
_LIVE_STREAMS: set[str] = set()

_BRANCH_SQL = """
WITH RECURSIVE chain(seq, parent_id, depth) AS (
    SELECT m.seq, m.parent_id, 0 FROM conversations c JOIN messages m ON m.id = c.active_leaf_id
    WHERE c.id = :cid
    UNION ALL
    SELECT p.seq, p.parent_id, chain.depth + 1 FROM chain JOIN messages p ON p.id = chain.parent_id
)
SELECT m.* FROM chain JOIN messages m ON m.seq = chain.seq ORDER BY chain.depth DESC
"""
# The same walk up from one message, whichever branch is active.
_PATH_SQL = """
WITH RECURSIVE chain(seq, parent_id, depth) AS (
    SELECT m.seq, m.parent_id, 0 FROM messages m WHERE m.id = :id
    UNION ALL
    SELECT p.seq, p.parent_id, chain.depth + 1 FROM chain JOIN messages p ON p.id = chain.parent_id
)
SELECT m.* FROM chain JOIN messages m ON m.seq = chain.seq ORDER BY chain.depth DESC
"""


class MessagesMixin:
    _db: "Database"
    _streams: set[str]

    def add_message(self, conversation_id: str, role: str, content: str, *,
                    parent_id: str | None = None, model: str = "") -> Message:
        """Committed before it returns. parent_id None: after the active branch's leaf."""
        if role not in ROLES:
            raise StoreError(f"Unknown message role {role!r}; expected one of {', '.join(ROLES)}.")
        with self._write() as db:  # type: ignore[attr-defined]
            parent = self._parent_for(db, conversation_id, parent_id, default_to_leaf=True)
            message_id = self._insert(db, conversation_id, parent, role=role, content=content, model=model)
            if role == "user":
                db.execute("UPDATE conversations SET title = ? WHERE id = ? AND title = ''",
                           [title_from_text(content), conversation_id])
        return self._require_message(message_id)

    def edit_message(self, message_id: str, content: str) -> Message:
        """A new version beside `message_id` (same parent); what followed the old one is kept."""
        old = self._require_message(message_id)
        with self._write() as db:  # type: ignore[attr-defined]
            new = self._insert(db, old.conversation_id, old.parent_id, role=old.role,
                               content=content, model=old.model)
        return self._require_message(new)

    def start_reply(self, conversation_id: str, *, parent_id: str, model: str, engine: str = "",
                    sources: Sequence[Passage] = ()) -> Message:
        """An empty assistant row in status "streaming", with the document passages it is given
        (`sources`, [1] first), in one transaction: one sync to disk while the window waits to
        show the turn. A second call on one parent regenerates."""
        with self._write() as db:  # type: ignore[attr-defined]
            parent = self._parent_for(db, conversation_id, parent_id, default_to_leaf=False)
            message_id = self._insert(db, conversation_id, parent, role="assistant", content="",
                                      model=model, engine=engine, status="streaming",
                                      stream_pid=os.getpid(), stream_heartbeat=now_iso())
            if sources:
                self.set_reply_sources(message_id, sources)  # type: ignore[attr-defined]  # nested: same transaction
        _LIVE_STREAMS.add(message_id)
        self._streams.add(message_id)
        return self._require_message(message_id)

    def checkpoint_reply(self, message_id: str, content: str, reasoning: str = "") -> None:
        """Save the text streamed so far (one short transaction, about once a second)."""
        with self._write() as db:  # type: ignore[attr-defined]
            row = db.execute("SELECT status FROM messages WHERE id = ?", [message_id]).fetchone()
            if row is None or row[0] == "done":
                raise StoreError(f"The reply {message_id} is not being streamed any more.")
            if row[0] == "interrupted":  # another window took us for a crash; we are alive
                unindex_messages(db, [message_id])
            db.execute("UPDATE messages SET content = ?, reasoning = ?, status = 'streaming', "
                       "stream_pid = ?, stream_heartbeat = ? WHERE id = ?",
                       [content, reasoning, os.getpid(), now_iso(), message_id])
        _LIVE_STREAMS.add(message_id)
        self._streams.add(message_id)

    def finish_reply(self, message_id: str, *, content: str, reasoning: str = "", finish_reason: str,
                     prompt_tokens: int = 0, completion_tokens: int = 0,
                     time_to_first_token_s: float | None = None, total_s: float = 0.0,
                     error: str | None = None, plan_reason: str | None = None) -> Message:
        """Close the reply with its text and metadata; it is "done" from now on."""
        values: dict[str, Any] = dict(
            content=content, reasoning=reasoning, finish_reason=finish_reason,
            prompt_tokens=prompt_tokens, completion_tokens=completion_tokens,
            time_to_first_token_s=time_to_first_token_s, total_s=total_s, error=error,
            status="done", stream_pid=None)
        if plan_reason is not None:
            values["plan_reason"] = plan_reason
        sets = ", ".join(f"{k} = :{k}" for k in values)
        with self._write() as db:  # type: ignore[attr-defined]
            unindex_messages(db, [message_id])  # only if already final (finished twice, or interrupted)
            cursor = db.execute(f"UPDATE messages SET {sets} WHERE id = :_id", {**values, "_id": message_id})
            if cursor.rowcount == 0:
                raise StoreError(f"The reply {message_id} no longer exists.")
            db.execute("UPDATE conversations SET updated = ? WHERE id = "
                       "(SELECT conversation_id FROM messages WHERE id = ?)", [now_iso(), message_id])
            index_message(db, message_id)
        _LIVE_STREAMS.discard(message_id)
        self._streams.discard(message_id)
        return self._require_message(message_id)

    def messages(self, conversation_id: str) -> list[Message]:
        """The active branch, root to leaf."""
        with self._read() as db:  # type: ignore[attr-defined]
            return rows_to(Message, db.conn.execute(_BRANCH_SQL, {"cid": conversation_id}))

    def branch_to(self, message_id: str) -> list[Message]:
        """The messages from the root down to `message_id` (itself last); [] when it is gone."""
        with self._read() as db:  # type: ignore[attr-defined]
            return rows_to(Message, db.conn.execute(_PATH_SQL, {"id": message_id}))

    def get_message(self, message_id: str) -> Message | None:
        with self._read() as db:  # type: ignore[attr-defined]
            rows = list(db.query("SELECT * FROM messages WHERE id = ?", [message_id]))
        return from_row(Message, rows[0]) if rows else None

    # -- internals ------------------------------------------------------------------------
    def _insert(self, db: "Database", conversation_id: str, parent_id: str | None, **values: Any) -> str:
        now = now_iso()
        row = {"id": new_id(), "conversation_id": conversation_id, "parent_id": parent_id,
               "created": now, **values}
        db["messages"].insert(row)
        db.execute("UPDATE conversations SET active_leaf_id = ?, updated = ? WHERE id = ?",
                   [row["id"], now, conversation_id])
        index_message(db, row["id"])  # skips it while streaming
        return row["id"]

    def _parent_for(self, db: "Database", conversation_id: str, parent_id: str | None,
                    *, default_to_leaf: bool) -> str | None:
        conv = db.execute("SELECT active_leaf_id FROM conversations WHERE id = ?", [conversation_id]).fetchone()
        if conv is None:
            raise StoreError(f"That conversation no longer exists ({conversation_id}).")
        if parent_id is None:
            return conv[0] if default_to_leaf else None
        owner = db.execute("SELECT conversation_id FROM messages WHERE id = ?", [parent_id]).fetchone()
        if owner is None or owner[0] != conversation_id:
            raise StoreError(f"Message {parent_id} is not part of conversation {conversation_id}.")
        return parent_id

    def _require_message(self, message_id: str) -> Message:
        message = self.get_message(message_id)
        if message is None:
            raise StoreError(f"That message no longer exists ({message_id}).")
        return message

    def _recover_interrupted(self) -> None:
        """Mark replies left "streaming" by a process that is gone (a crash) as interrupted.
        A reply silent for STALE_AFTER counts as gone even if its process id is alive (it may
        have been reused); were it alive after all, its next checkpoint takes it back."""
        stale = to_iso(datetime.now(timezone.utc) - STALE_AFTER)
        with self._read() as db:  # type: ignore[attr-defined]
            rows = db.execute("SELECT id, stream_pid, stream_heartbeat FROM messages "
                              "WHERE status = 'streaming'").fetchall()
        dead = [mid for mid, pid, beat in rows
                if (beat or "") < stale
                or not (mid in _LIVE_STREAMS if pid == os.getpid() else process_alive(pid))]
        self._mark_interrupted(dead)

    def _mark_interrupted(self, message_ids: list[str]) -> None:
        if not message_ids:
            return
        with self._write() as db:  # type: ignore[attr-defined]
            for mid in message_ids:
                cursor = db.execute("UPDATE messages SET status = 'interrupted', stream_pid = NULL "
                                    "WHERE id = ? AND status = 'streaming'", [mid])
                if cursor.rowcount:
                    index_message(db, mid)

    def _forget_streams(self) -> None:
        """On close, replies this store was still streaming keep their text as interrupted."""
        streams = sorted(self._streams)
        try:
            self._mark_interrupted(streams)
        except StoreError:
            pass  # closing must not fail; the next open recovers them anyway
        for mid in streams:
            _LIVE_STREAMS.discard(mid)
        self._streams = set()
