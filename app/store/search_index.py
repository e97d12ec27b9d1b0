"""The derived full-text index: one contentless FTS5 row per finished message (rowid = seq).

Invariant: a message is in the index exactly when its status is not "streaming", under the
text `index_text(content)`. A contentless table keeps no copy of the text (the database stays
small), so removing a row must present the same text again; it is recomputed from the message.
Changing `index_text` therefore needs a new migration that calls `rebuild`.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from .cjk import index_text

if TYPE_CHECKING:
    from sqlite_utils import Database

TABLE = "messages_fts"
CREATE_SQL = (f"CREATE VIRTUAL TABLE {TABLE} USING fts5(body, content='', "
              "tokenize='unicode61 remove_diacritics 2')")


def index_message(db: "Database", message_id: str) -> None:
    row = db.execute("SELECT seq, content, status FROM messages WHERE id = ?", [message_id]).fetchone()
    if row and row[2] != "streaming":
        db.execute(f"INSERT INTO {TABLE}(rowid, body) VALUES (?, ?)", [row[0], index_text(row[1])])


def unindex_messages(db: "Database", message_ids: Iterable[str]) -> None:
    """Take messages out of the index (before they are erased or their text replaced)."""
    for message_id in message_ids:
        row = db.execute("SELECT seq, content, status FROM messages WHERE id = ?", [message_id]).fetchone()
        if row and row[2] != "streaming":
            db.execute(f"INSERT INTO {TABLE}({TABLE}, rowid, body) VALUES ('delete', ?, ?)",
                       [row[0], index_text(row[1])])


def rebuild(db: "Database", batch: int = 5000) -> int:
    """Throw the index away and fill it again from the messages (it is derived data)."""
    db.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('delete-all')")
    cursor = db.conn.execute("SELECT seq, content FROM messages WHERE status != 'streaming'")
    count = 0
    while rows := cursor.fetchmany(batch):
        db.conn.executemany(f"INSERT INTO {TABLE}(rowid, body) VALUES (?, ?)",
                            [(seq, index_text(content)) for seq, content in rows])
        count += len(rows)
    return count
