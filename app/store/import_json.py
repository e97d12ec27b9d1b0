"""Import a DeskSeek JSON export (or the same data as a dict) in one transaction, losslessly."""
from __future__ import annotations

import base64
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cjk import index_text
from .files import read_json
from .ids import now_iso
from .import_check import ImportProblem, check_export, parents_first
from .own_files import refuse_history_file
from .records import ImportResult
from .search_index import TABLE as FTS

if TYPE_CHECKING:
    from sqlite_utils import Database

    from .store import Store

_CONV_COLUMNS = ("id", "title", "model", "created", "updated", "active_leaf_id", "pinned", "archived",
                 "system_prompt", "options", "deleted", "origin")
_MSG_COLUMNS = ("id", "conversation_id", "parent_id", "role", "content", "reasoning", "model", "engine",
                "status", "finish_reason", "prompt_tokens", "completion_tokens", "time_to_first_token_s",
                "total_s", "error", "created", "plan_reason")
_CONV_DEFAULTS = {"title": "", "model": "", "active_leaf_id": None, "pinned": False, "archived": False,
                  "system_prompt": "", "options": "{}", "deleted": None, "origin": ""}
_MSG_DEFAULTS = {"parent_id": None, "reasoning": "", "model": "", "engine": "", "finish_reason": "",
                 "prompt_tokens": 0, "completion_tokens": 0, "time_to_first_token_s": None,
                 "total_s": 0.0, "error": None, "plan_reason": ""}


def import_json(store: "Store", path: Path) -> ImportResult:
    refuse_history_file(path, store.path, "imported")
    return import_data(store, read_json(path, "a DeskSeek JSON export"), source=str(path))


def import_data(store: "Store", data: Any, source: str = "import") -> ImportResult:
    """Add every conversation whose id is new; all or nothing. Checked fully before writing.

    A conversation that is only in the bin (deleted, not yet purged) is brought back as the
    export has it: the binned copy is erased first, in the same transaction, as the purge would."""
    check_export(data, source)
    added = messages = skipped = erased = 0
    with store._write() as db:
        for conv in data["conversations"]:
            here = db.execute("SELECT deleted FROM conversations WHERE id = ?", [conv["id"]]).fetchone()
            if here is not None and here[0] is None:
                skipped += 1
                continue
            if here is not None:
                store._erase_conversation(db, conv["id"])
                erased += 1
            _insert_conversation(db, conv, data.get("attachments", {}), source)
            added += 1
            messages += len(conv["messages"])
        if erased:
            store._drop_orphan_attachments(db)  # the binned copy's files that the export lacks
    return ImportResult(conversations=added, messages=messages, skipped=skipped)


def _insert_conversation(db: "Database", conv: dict, blobs: dict, source: str) -> None:
    row = {**_CONV_DEFAULTS, **{k: conv[k] for k in _CONV_COLUMNS if k in conv}}
    row["pinned"], row["archived"] = int(bool(row["pinned"])), int(bool(row["archived"]))
    # Insert without the leaf first: it points at a message that does not exist yet.
    leaf = row.pop("active_leaf_id")
    db.conn.execute(f"INSERT INTO conversations({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                    list(row.values()))
    insert_sql = f"INSERT INTO messages({', '.join(_MSG_COLUMNS)}) VALUES ({', '.join('?' * len(_MSG_COLUMNS))})"
    for msg in parents_first(conv["messages"]):
        values = {**_MSG_DEFAULTS, **msg, "conversation_id": conv["id"]}
        if values["status"] == "streaming":
            values["status"] = "interrupted"  # no process is streaming it here
        if db.execute("SELECT 1 FROM messages WHERE id = ?", [values["id"]]).fetchone():
            raise ImportProblem(f"{source}: message {values['id']} already exists in another "
                                "conversation. Nothing was imported; your history is unchanged.")
        seq = db.conn.execute(insert_sql, [values[k] for k in _MSG_COLUMNS]).lastrowid
        db.conn.execute(f"INSERT INTO {FTS}(rowid, body) VALUES (?, ?)", [seq, index_text(values["content"])])
        for position, att in enumerate(msg.get("attachments", [])):
            blob = blobs[att["sha256"]]
            data = base64.b64decode(blob["data_base64"])
            db.conn.execute("INSERT OR IGNORE INTO attachments(sha256, size, mime, data, created) "
                            "VALUES (?, ?, ?, ?, ?)", [att["sha256"], len(data), blob.get("mime", ""), data, now_iso()])
            db.conn.execute("INSERT INTO message_attachments(message_id, position, sha256, name) VALUES (?, ?, ?, ?)",
                            [values["id"], position, att["sha256"], att.get("name", "")])
        if msg.get("sources"):
            db.conn.executemany(
                "INSERT INTO reply_sources(message_id, n, name, location, text) VALUES (?, ?, ?, ?, ?)",
                [(values["id"], n, x["name"], x["location"], x["text"]) for n, x in enumerate(msg["sources"], 1)])
    for doc in conv.get("documents", []):
        _insert_document(db, conv["id"], doc, blobs, source)
    db.conn.execute("UPDATE conversations SET active_leaf_id = ? WHERE id = ?", [leaf, conv["id"]])


def _insert_document(db: "Database", conversation_id: str, doc: dict, blobs: dict, source: str) -> None:
    if db.execute("SELECT 1 FROM documents WHERE id = ?", [doc["id"]]).fetchone():
        raise ImportProblem(f"{source}: document {doc['id']} already exists in another conversation. "
                            "Nothing was imported; your history is unchanged.")
    data = base64.b64decode(blobs[doc["sha256"]]["data_base64"])
    db.conn.execute("INSERT OR IGNORE INTO attachments(sha256, size, mime, data, created) VALUES (?, ?, ?, ?, ?)",
                    [doc["sha256"], len(data), "", data, now_iso()])
    db.conn.execute("INSERT INTO documents(id, conversation_id, sha256, name, kind, pages, created) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)", [doc["id"], conversation_id, doc["sha256"], doc["name"],
                                                     doc["kind"], doc.get("pages", 0), doc["created"]])
    for ordinal, (location, text) in enumerate(doc["passages"]):
        seq = db.conn.execute("INSERT INTO document_passages(document_id, ordinal, location, text) "
                              "VALUES (?, ?, ?, ?)", [doc["id"], ordinal, location, text]).lastrowid
        db.conn.execute("INSERT INTO passages_fts(rowid, body) VALUES (?, ?)", [seq, index_text(text)])
