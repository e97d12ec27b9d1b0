"""Markdown for reading and sharing: the branch each conversation shows, reasoning folded away.
(The JSON export is the one that keeps every branch and can be imported back.)"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from .errors import StoreError
from .files import write_text_atomic
from .own_files import refuse_history_file

if TYPE_CHECKING:
    from .store import Store

_ROLE_NAMES = {"user": "User", "assistant": "Assistant", "system": "System"}


def conversation_markdown(store: "Store", conversation_id: str) -> str:
    conv = store.get_conversation(conversation_id)
    if conv is None:
        raise StoreError(f"That conversation no longer exists ({conversation_id}).")
    lines = [f"# {conv.title or 'Untitled conversation'}", ""]
    facts = [f"Created {conv.created[:16].replace('T', ' ')} UTC"]
    if conv.model:
        facts.insert(0, f"Model: {conv.model}")
    lines += ["*" + " · ".join(facts) + "*", ""]
    if conv.system_prompt:
        lines += ["> **System prompt:** " + conv.system_prompt.replace("\n", "\n> "), ""]
    documents = store.documents(conversation_id)
    if documents:
        lines += ["*Documents: " + ", ".join(d.name for d in documents) + "*", ""]
    messages = store.messages(conversation_id)
    sources = store.reply_sources(m.id for m in messages if m.role == "assistant")
    for message in messages:
        heading = _ROLE_NAMES.get(message.role, message.role)
        if message.role == "assistant" and message.model:
            heading += f" ({message.model})"
        if message.status == "interrupted":
            heading += " (interrupted)"
        lines += [f"## {heading}", ""]
        if message.reasoning:
            lines += ["<details><summary>Reasoning</summary>", "", message.reasoning.strip(), "", "</details>", ""]
        lines += [message.content.strip(), ""]
        if message.id in sources:
            cited = (f"[{n}] {p.name}" + (f", {p.location}" if p.location else "")
                     for n, p in enumerate(sources[message.id], 1))
            lines += ["*Sources: " + " · ".join(cited) + "*", ""]
        if message.error:
            lines += [f"*Error: {message.error}*", ""]
    return "\n".join(lines).rstrip() + "\n"


def export_markdown(store: "Store", path: Path, conversation_ids: Iterable[str] | None = None) -> int:
    """Write one Markdown file (all conversations not in the bin by default); returns how many."""
    refuse_history_file(path, store.path, "overwritten by an export")
    if conversation_ids is None:
        conversation_ids = [c.id for c in store.list_conversations(include_archived=True)]
    parts = [conversation_markdown(store, cid) for cid in conversation_ids]
    write_text_atomic(path, "\n---\n\n".join(parts))
    return len(parts)
