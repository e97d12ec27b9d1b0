"""DeskSeek's own JSON export: whole trees (every branch), metadata, attachments, documents
(the file, its passages) and the passages each reply was given."""
from __future__ import annotations

import base64
import dataclasses
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from .files import write_text_atomic
from .ids import now_iso
from .own_files import refuse_history_file
from .records import Conversation, Message, from_row

if TYPE_CHECKING:
    from .store import Store

FORMAT = "deskseek-history"
VERSION = 1


def dump(store: "Store", conversation_ids: Iterable[str] | None = None) -> dict[str, Any]:
    """Plain data for the given conversations (default: all not in the bin)."""
    if conversation_ids is None:
        conversation_ids = [c.id for c in store.list_conversations(include_archived=True)]
    conversations, blobs = [], {}
    with store._read() as db:
        for cid in conversation_ids:
            rows = list(db.query("SELECT * FROM conversations WHERE id = ?", [cid]))
            if not rows:
                continue
            conv = dataclasses.asdict(from_row(Conversation, rows[0]))
            conv["messages"] = []
            for row in db.query("SELECT * FROM messages WHERE conversation_id = ? ORDER BY seq", [cid]):
                message = dataclasses.asdict(from_row(Message, row))
                message["attachments"] = [
                    {"sha256": s, "name": n, "mime": m, "size": z} for s, n, m, z in db.execute(
                        "SELECT a.sha256, l.name, a.mime, a.size FROM message_attachments l JOIN attachments a "
                        "ON a.sha256 = l.sha256 WHERE l.message_id = ? ORDER BY l.position", [row["id"]])]
                for att in message["attachments"]:
                    _add_blob(db, blobs, att["sha256"], att["mime"])
                sources = [{"name": n, "location": loc, "text": t} for n, loc, t in db.execute(
                    "SELECT name, location, text FROM reply_sources WHERE message_id = ? ORDER BY n", [row["id"]])]
                if sources:
                    message["sources"] = sources
                conv["messages"].append(message)
            conv["documents"] = []
            for doc in db.query("SELECT * FROM documents WHERE conversation_id = ? ORDER BY created, rowid", [cid]):
                doc["passages"] = [list(r) for r in db.execute(
                    "SELECT location, text FROM document_passages WHERE document_id = ? ORDER BY ordinal", [doc["id"]])]
                del doc["conversation_id"]
                _add_blob(db, blobs, doc["sha256"], "")
                conv["documents"].append(doc)
            conversations.append(conv)
    return {"format": FORMAT, "version": VERSION, "exported": now_iso(),
            "conversations": conversations, "attachments": blobs}


def _add_blob(db, blobs: dict, digest: str, mime: str) -> None:
    if digest not in blobs:
        data = db.execute("SELECT data FROM attachments WHERE sha256 = ?", [digest]).fetchone()[0]
        blobs[digest] = {"mime": mime, "data_base64": base64.b64encode(data).decode()}


def export_json(store: "Store", path: Path, conversation_ids: Iterable[str] | None = None) -> int:
    """Write the export to `path` (all or nothing); returns how many conversations it holds."""
    refuse_history_file(path, store.path, "overwritten by an export")
    data = dump(store, conversation_ids)
    write_text_atomic(path, json.dumps(data, ensure_ascii=False, indent=1))
    return len(data["conversations"])
