"""DeskSeek's own JSON export: whole trees (every branch), metadata and attachments."""
from __future__ import annotations

import base64
import dataclasses
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from .files import write_text_atomic
from .ids import now_iso
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
                    if att["sha256"] not in blobs:
                        data = db.execute("SELECT data FROM attachments WHERE sha256 = ?", [att["sha256"]]).fetchone()[0]
                        blobs[att["sha256"]] = {"mime": att["mime"], "data_base64": base64.b64encode(data).decode()}
                conv["messages"].append(message)
            conversations.append(conv)
    return {"format": FORMAT, "version": VERSION, "exported": now_iso(),
            "conversations": conversations, "attachments": blobs}


def export_json(store: "Store", path: Path, conversation_ids: Iterable[str] | None = None) -> int:
    """Write the export to `path` (all or nothing); returns how many conversations it holds."""
    data = dump(store, conversation_ids)
    write_text_atomic(path, json.dumps(data, ensure_ascii=False, indent=1))
    return len(data["conversations"])
