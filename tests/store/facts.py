"""What a store tells about its conversations, read through its own public reads, to compare two
stores field by field (an export's dump compared with another dump would miss a field both drop)."""
from __future__ import annotations

from typing import Iterable

EVERYTHING = 10 ** 12  # a passage budget no document reaches: every passage, whole, in reading order


def conversation_facts(store, conversation_id: str, message_ids: Iterable[str]) -> dict:
    """The conversation row, every message of every branch, the branch shown, the versions at each
    point, attachments with their bytes, documents with their passages, and each reply's sources."""
    ids = list(message_ids)
    return {
        "conversation": store.get_conversation(conversation_id),
        "messages": [store.get_message(m) for m in ids],
        "branch shown": store.messages(conversation_id),
        "versions": store.branch_positions(conversation_id),
        "attachments": {m: [(a, store.attachment_data(a.sha256)) for a in store.attachments(m)] for m in ids},
        "documents": store.documents(conversation_id),
        "passages": store.find_passages(conversation_id, "", EVERYTHING),
        "sources": store.reply_sources(ids),
    }


def table_rows(store) -> dict[str, list[tuple]]:
    """Every row of every table (FTS shadow tables included), for "nothing changed" checks."""
    conn = store._db.conn
    tables = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name")]
    return {t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}
