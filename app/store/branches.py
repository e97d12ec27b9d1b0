"""Versions of a message (siblings) and which branch of the tree the conversation shows."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .records import Message, from_row
from .search_index import unindex_messages

if TYPE_CHECKING:
    from sqlite_utils import Database

# Follow the most recent child at every step down to a leaf.
_NEWEST_LEAF_SQL = """
WITH RECURSIVE down(id, depth) AS (
    SELECT :id, 0
    UNION ALL
    SELECT (SELECT c.id FROM messages c WHERE c.parent_id = down.id ORDER BY c.seq DESC LIMIT 1),
           depth + 1
    FROM down WHERE down.id IS NOT NULL
)
SELECT id FROM down WHERE id IS NOT NULL ORDER BY depth DESC LIMIT 1
"""

_SUBTREE_SQL = """
WITH RECURSIVE sub(id) AS (
    SELECT :id UNION ALL SELECT m.id FROM messages m JOIN sub ON m.parent_id = sub.id
)
SELECT id FROM sub
"""


class BranchesMixin:
    def siblings(self, message_id: str) -> list[Message]:
        """Every version at this point of the tree (the message included), oldest first."""
        message = self._require_message(message_id)  # type: ignore[attr-defined]
        with self._read() as db:  # type: ignore[attr-defined]
            rows = db.query("SELECT * FROM messages WHERE conversation_id = ? AND parent_id IS ? "
                            "ORDER BY seq", [message.conversation_id, message.parent_id])
            return [from_row(Message, r) for r in rows]

    def branch_positions(self, conversation_id: str) -> dict[str, tuple[int, int]]:
        """For every message: (its 1-based position among its versions, how many versions)."""
        sql = ("SELECT id, ROW_NUMBER() OVER w, COUNT(*) OVER (PARTITION BY parent_id) "
               "FROM messages WHERE conversation_id = ? WINDOW w AS (PARTITION BY parent_id ORDER BY seq)")
        with self._read() as db:  # type: ignore[attr-defined]
            return {mid: (pos, total) for mid, pos, total in db.execute(sql, [conversation_id])}

    def switch_branch(self, message_id: str) -> list[Message]:
        """Show the branch through `message_id`, down its most recent replies; returns it."""
        message = self._require_message(message_id)  # type: ignore[attr-defined]
        with self._write() as db:  # type: ignore[attr-defined]
            leaf = db.execute(_NEWEST_LEAF_SQL, {"id": message_id}).fetchone()[0]
            db.execute("UPDATE conversations SET active_leaf_id = ? WHERE id = ?",
                       [leaf, message.conversation_id])
        return self.messages(message.conversation_id)  # type: ignore[attr-defined]

    def delete_message(self, message_id: str) -> None:
        """Remove one version and everything that followed it; the view moves to a neighbour."""
        message = self._require_message(message_id)  # type: ignore[attr-defined]
        cid = message.conversation_id
        with self._write() as db:  # type: ignore[attr-defined]
            doomed = [r[0] for r in db.execute(_SUBTREE_SQL, {"id": message_id})]
            unindex_messages(db, doomed)
            db.execute("DELETE FROM messages WHERE id = ?", [message_id])  # children cascade
            self._drop_orphan_attachments(db)  # type: ignore[attr-defined]
            leaf = db.execute("SELECT active_leaf_id FROM conversations WHERE id = ?", [cid]).fetchone()[0]
            if leaf in doomed:
                db.execute("UPDATE conversations SET active_leaf_id = ? WHERE id = ?",
                           [self._fallback_leaf(db, message), cid])

    def _fallback_leaf(self, db: "Database", removed: Message) -> str | None:
        """The newest remaining sibling's newest leaf, else the parent."""
        row = db.execute("SELECT id FROM messages WHERE conversation_id = ? AND parent_id IS ? "
                         "ORDER BY seq DESC LIMIT 1", [removed.conversation_id, removed.parent_id]).fetchone()
        start = row[0] if row else removed.parent_id
        if start is None:
            return None
        return db.execute(_NEWEST_LEAF_SQL, {"id": start}).fetchone()[0]
