"""Check an import completely before anything is written, and say exactly what is wrong."""
from __future__ import annotations

import base64
import binascii
import hashlib
from typing import Any

from .errors import StoreError

ROLES = {"system", "user", "assistant"}
STATUSES = {"done", "streaming", "interrupted"}
_CONV_TEXT = ("id", "title", "model", "created", "updated", "system_prompt", "options", "origin")
_MSG_TEXT = ("id", "role", "content", "reasoning", "model", "engine", "status", "finish_reason",
             "created", "plan_reason")
_OPTIONAL_TEXT = {"model", "system_prompt", "options", "origin", "reasoning", "engine", "finish_reason", "plan_reason"}


class ImportProblem(StoreError):
    pass


def _fail(where: str, problem: str) -> None:
    raise ImportProblem(f"{where}: {problem}. Nothing was imported; your history is unchanged.")


def _text(obj: dict, key: str, where: str) -> None:
    if key not in obj and key in _OPTIONAL_TEXT:
        return
    if not isinstance(obj.get(key), str):
        _fail(where, f"field '{key}' must be text")


def check_export(data: Any, source: str) -> None:
    """Raise ImportProblem unless `data` is a well-formed DeskSeek export."""
    if not isinstance(data, dict) or data.get("format") != "deskseek-history":
        _fail(source, "this is not a DeskSeek JSON export (no \"format\": \"deskseek-history\")")
    if not isinstance(data.get("version"), int) or data["version"] > 1:
        _fail(source, f"export version {data.get('version')!r} is not one this DeskSeek can read")
    if not isinstance(data.get("conversations"), list):
        _fail(source, "field 'conversations' must be a list")
    blobs = data.get("attachments", {})
    if not isinstance(blobs, dict):
        _fail(source, "field 'attachments' must be an object")
    for digest, blob in blobs.items():
        _check_blob(digest, blob, f"{source}, attachment {digest[:12]}")
    seen: set[str] = set()
    for i, conv in enumerate(data["conversations"], 1):
        where = f"{source}, conversation {i}"
        if not isinstance(conv, dict):
            _fail(where, "must be an object")
        for key in _CONV_TEXT:
            _text(conv, key, where)
        if not isinstance(conv.get("messages"), list):
            _fail(where, "field 'messages' must be a list")
        _check_messages(conv, where, seen, blobs)
        _check_documents(conv.get("documents", []), where, blobs)


def _check_messages(conv: dict, where: str, seen: set[str], blobs: dict) -> None:
    ids = {m.get("id") for m in conv["messages"] if isinstance(m, dict)}
    for j, msg in enumerate(conv["messages"], 1):
        here = f"{where}, message {j}"
        if not isinstance(msg, dict):
            _fail(here, "must be an object")
        for key in _MSG_TEXT:
            _text(msg, key, here)
        if msg["id"] in seen:
            _fail(here, f"message id {msg['id']} appears twice")
        seen.add(msg["id"])
        if msg["role"] not in ROLES:
            _fail(here, f"role {msg['role']!r} is not one of {', '.join(sorted(ROLES))}")
        if msg["status"] not in STATUSES:
            _fail(here, f"status {msg['status']!r} is not one of {', '.join(sorted(STATUSES))}")
        parent = msg.get("parent_id")
        if parent is not None and parent not in ids:
            _fail(here, f"its parent {parent!r} is not in the same conversation")
        for key in ("prompt_tokens", "completion_tokens"):
            if not isinstance(msg.get(key, 0), int) or isinstance(msg.get(key, 0), bool):
                _fail(here, f"field '{key}' must be a whole number")
        for key in ("total_s", "time_to_first_token_s"):
            value = msg.get(key)
            if value is not None and not isinstance(value, (int, float)):
                _fail(here, f"field '{key}' must be a number")
        if msg.get("error") is not None and not isinstance(msg["error"], str):
            _fail(here, "field 'error' must be text or null")
        for att in msg.get("attachments", []):
            if not isinstance(att, dict) or att.get("sha256") not in blobs:
                _fail(here, "an attachment refers to a file that is not in the export")
        sources = msg.get("sources", [])
        if not isinstance(sources, list) or not all(
                isinstance(x, dict) and all(isinstance(x.get(k), str) for k in ("name", "location", "text"))
                for x in sources):
            _fail(here, "field 'sources' must be a list of {name, location, text}")
    parents_first(conv["messages"], where)
    active = conv.get("active_leaf_id")
    if active is not None and active not in ids:
        _fail(where, f"its active message {active!r} is not one of its messages")


def _check_documents(documents: Any, where: str, blobs: dict) -> None:
    if not isinstance(documents, list):
        _fail(where, "field 'documents' must be a list")
    for k, doc in enumerate(documents, 1):
        here = f"{where}, document {k}"
        if not isinstance(doc, dict):
            _fail(here, "must be an object")
        for key in ("id", "name", "kind", "created", "sha256"):
            if not isinstance(doc.get(key), str):
                _fail(here, f"field '{key}' must be text")
        if not isinstance(doc.get("pages", 0), int):
            _fail(here, "field 'pages' must be a whole number")
        if doc["sha256"] not in blobs:
            _fail(here, "its file is not in the export")
        passages = doc.get("passages")
        if not isinstance(passages, list) or not all(
                isinstance(p, list) and len(p) == 2 and all(isinstance(x, str) for x in p) for p in passages):
            _fail(here, "field 'passages' must be a list of [location, text] pairs")


def _check_blob(digest: str, blob: Any, where: str) -> None:
    if not isinstance(blob, dict) or not isinstance(blob.get("data_base64"), str):
        _fail(where, "must hold 'data_base64' text")
    try:
        data = base64.b64decode(blob["data_base64"], validate=True)
    except (binascii.Error, ValueError):
        _fail(where, "'data_base64' is not valid base64")
    if hashlib.sha256(data).hexdigest() != digest:
        _fail(where, "its content does not match its SHA-256 (the file is damaged)")


def parents_first(messages: list[dict], where: str = "import") -> list[dict]:
    """The messages reordered so every parent comes before its children; a cycle is an error."""
    by_id = {m["id"]: m for m in messages}
    placed: set[str] = set()
    order: list[dict] = []
    for message in messages:
        chain, on_chain, current = [], set(), message
        while current is not None and current["id"] not in placed:
            if current["id"] in on_chain:
                _fail(where, f"message {current['id']} is its own ancestor")
            chain.append(current)
            on_chain.add(current["id"])
            parent = current.get("parent_id")
            current = by_id.get(parent) if parent is not None else None
        for item in reversed(chain):
            placed.add(item["id"])
            order.append(item)
    return order
