"""Import an OpenAI ChatGPT data export (conversations.json, or the .zip holding it).

Each conversation is a tree of nodes ("mapping", with parent/children and "current_node").
Visible user/assistant/system text becomes messages; tool calls, tool output and hidden nodes
are skipped (their children are re-attached to the nearest kept ancestor); "thoughts" become
the reasoning of the assistant reply that follows. Ids are derived from the export's own ids,
so importing the same export twice adds nothing the second time.
"""
from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ulid import ULID

from .errors import StoreError
from .files import ZipMemberTooLarge, read_json, read_zip_member
from .ids import from_epoch, now_iso
from .import_check import ImportProblem
from .import_json import import_data
from .own_files import refuse_history_file
from .records import ImportResult

if TYPE_CHECKING:
    from .store import Store

_FINISH = {"stop": "stop", "max_tokens": "length", "interrupted": "cancelled"}
# Years of heavy use make a conversations.json of a few hundred MB; a zip that unpacks to more
# is refused before it is all in memory (a small .zip can hold gigabytes of zeros).
MAX_JSON_BYTES = 1 << 30


def import_chatgpt(store: "Store", path: Path) -> ImportResult:
    path = Path(path)
    refuse_history_file(path, store.path, "imported")
    data = _read_zip(path) if path.suffix.lower() == ".zip" else read_json(path, "a ChatGPT export")
    return import_data(store, convert(data, str(path)), source=str(path))


def _read_zip(path: Path) -> Any:
    try:
        with zipfile.ZipFile(path) as archive:
            raw = read_zip_member(archive, "conversations.json", MAX_JSON_BYTES)
            return json.loads(raw.decode("utf-8-sig"))
    except ZipMemberTooLarge as exc:
        raise StoreError(f"{path}: conversations.json unpacks to more than {MAX_JSON_BYTES // 2**20} MiB, "
                         "more than any ChatGPT export DeskSeek reads. Nothing was imported.") from exc
    except (OSError, KeyError, zipfile.BadZipFile, ValueError) as exc:
        raise StoreError(f"{path} is not a ChatGPT export archive with conversations.json ({exc}). "
                         "Nothing was imported.") from exc


def _stable_id(seconds: float | None, *key: str) -> str:
    millis = int((seconds or 0) * 1000)  # below 2**48: _seconds stops at the year 9999
    return str(ULID.from_bytes(millis.to_bytes(6, "big") + hashlib.sha256("\0".join(key).encode()).digest()[:10]))


def _problem(where: str, what: str) -> ImportProblem:
    return ImportProblem(f"{where}: {what}. Nothing was imported; your history is unchanged.")


def convert(data: Any, source: str) -> dict:
    """The ChatGPT export as DeskSeek export data (which import_data checks and writes)."""
    if not isinstance(data, list):
        raise _problem(source, "this is not a ChatGPT conversations.json (it should hold a list)")
    conversations = []
    for i, conv in enumerate(data, 1):
        if not isinstance(conv, dict) or not isinstance(conv.get("mapping"), dict):
            raise _problem(f"{source}, conversation {i}", "it has no 'mapping' of messages")
        conversations.append(_conversation(conv, f"{source}, conversation {i}"))
    return {"format": "deskseek-history", "version": 1, "conversations": conversations, "attachments": {}}


def _conversation(conv: dict, where: str) -> dict:
    mapping: dict[str, Any] = conv["mapping"]
    source_id = str(conv.get("conversation_id") or conv.get("id") or conv.get("title") or where)
    created_s = _seconds(conv.get("create_time"))
    cid = _stable_id(created_s, "chatgpt", source_id)
    kept: dict[str, str] = {}  # node id -> our message id
    messages: list[dict] = []
    roots = [nid for nid, node in mapping.items()
             if not isinstance(node, dict) or node.get("parent") not in mapping]
    stack = [(nid, None, "") for nid in reversed(roots)]
    while stack:
        nid, parent, pending = stack.pop()
        node = mapping.get(nid)
        if not isinstance(node, dict):
            raise _problem(where, f"node {nid!r} is not an object")
        message = _message(node.get("message"), created_s)
        if message is None:
            pending += _thoughts(node.get("message"))
        else:
            message["id"] = kept[nid] = _stable_id(_seconds((node.get("message") or {}).get("create_time"))
                                                   or created_s, "chatgpt", source_id, nid)
            message["parent_id"] = parent
            if message["role"] == "assistant" and pending:
                message["reasoning"], pending = pending.strip(), ""
            messages.append(message)
            parent = message["id"]
        children = node.get("children") or []
        stack.extend((child, parent, pending) for child in reversed(children) if child in mapping)
    leaf = _active_leaf(mapping, conv.get("current_node"), kept) or (messages[-1]["id"] if messages else None)
    models = [m["model"] for m in messages if m["model"]]
    created = from_epoch(created_s) if created_s else now_iso()
    updated_s = _seconds(conv.get("update_time"))
    return {"id": cid, "title": str(conv.get("title") or ""),
            "model": str(conv.get("default_model_slug") or (models[-1] if models else "")),
            "created": created, "updated": from_epoch(updated_s) if updated_s else created,
            "active_leaf_id": leaf, "messages": messages}


def _message(msg: Any, fallback_s: float | None) -> dict | None:
    if not isinstance(msg, dict):
        return None
    role = (msg.get("author") or {}).get("role")
    metadata = msg.get("metadata") or {}
    if role not in ("user", "assistant", "system") or metadata.get("is_visually_hidden_from_conversation"):
        return None
    if msg.get("recipient", "all") != "all":
        return None  # a call addressed to a tool, not text for the reader
    text = _text(msg.get("content") or {})
    if text is None or not text.strip():
        return None
    finish = _FINISH.get(str((metadata.get("finish_details") or {}).get("type")), "")
    created_s = _seconds(msg.get("create_time")) or fallback_s
    return {"role": role, "content": text, "reasoning": "", "status": "done", "finish_reason": finish,
            "model": str(metadata.get("model_slug") or "") if role == "assistant" else "",
            "created": from_epoch(created_s) if created_s else now_iso()}


def _text(content: dict) -> str | None:
    kind = content.get("content_type")
    if kind in ("text", "multimodal_text"):
        return "\n".join(p if isinstance(p, str) else _placeholder(p) for p in content.get("parts") or [])
    if kind == "code":
        return f"```\n{content.get('text', '')}\n```"
    return None


def _placeholder(part: Any) -> str:
    kind = part.get("content_type", "") if isinstance(part, dict) else ""
    return "[image]" if "image" in kind else "[attachment]"


def _thoughts(msg: Any) -> str:
    content = (msg or {}).get("content") if isinstance(msg, dict) else None
    if not isinstance(content, dict) or content.get("content_type") != "thoughts":
        return ""
    return "".join(f"{t.get('content', '')}\n\n" for t in content.get("thoughts") or [] if isinstance(t, dict))


def _active_leaf(mapping: dict, current: Any, kept: dict[str, str]) -> str | None:
    seen = set()
    while isinstance(current, str) and current in mapping and current not in seen:
        if current in kept:
            return kept[current]
        seen.add(current)
        current = (mapping[current] or {}).get("parent")
    return None


# Times a ChatGPT export can hold: from 1970 to the end of the year 9999 (datetime's last; before
# 1970 Windows cannot convert). Others (NaN, 1e20) are read as missing, like a time that is no number.
_LAST_SECOND = 253402300799


def _seconds(value: Any) -> float | None:
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 <= value <= _LAST_SECOND:
        return None
    return float(value)
