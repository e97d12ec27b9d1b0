"""Frozen rows handed to the window: plain data, no database handle inside."""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass, fields
from typing import Any, Mapping, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Conversation:
    id: str
    title: str
    model: str
    created: str
    updated: str
    active_leaf_id: str | None = None
    pinned: bool = False
    archived: bool = False
    system_prompt: str = ""
    options: str = "{}"  # JSON text of the generation options last used
    deleted: str | None = None  # when it was moved to the bin (undo until purged)
    origin: str = ""  # "api": asked through the local API server; "": the window


@dataclass(frozen=True)
class Message:
    id: str
    conversation_id: str
    parent_id: str | None
    role: str
    content: str
    reasoning: str
    model: str
    engine: str
    status: str  # "done" | "streaming" | "interrupted"
    finish_reason: str
    prompt_tokens: int
    completion_tokens: int
    time_to_first_token_s: float | None
    total_s: float
    error: str | None
    created: str
    plan_reason: str = ""


@dataclass(frozen=True)
class Attachment:
    sha256: str
    name: str
    mime: str
    size: int


@dataclass(frozen=True)
class Document:
    """A file attached to a conversation, read into passages the replies can quote."""

    id: str
    conversation_id: str
    sha256: str
    name: str
    kind: str  # "pdf" | "docx" | "html" | "markdown" | "text" | "code"
    pages: int
    created: str
    passages: int = 0


@dataclass(frozen=True)
class Passage:
    """A piece of a document; `location` is "p. 3" for a PDF page, else ""."""

    name: str  # the document's file name
    location: str
    text: str
    document_id: str = ""
    ordinal: int = 0


class Quoted(list):
    """The passages chosen for a question (Passage items, in the order they are quoted) and
    `ranker`: what chose them (app.store.passage_ranking: "whole", "words", "words+meaning",
    "meaning", "start")."""

    def __init__(self, passages=(), ranker: str = "") -> None:
        super().__init__(passages)
        self.ranker = ranker


@dataclass(frozen=True)
class LibraryEntry:
    """A document of the library: one file (by hash) however many conversations use it."""

    sha256: str
    name: str  # as it was first read
    kind: str
    size: int  # bytes of the file
    pages: int
    passages: int
    added: str  # when it was first read
    conversations: tuple[tuple[str, str], ...]  # (id, title) of those using it, not in the bin
    documents: tuple[str, ...] = ()  # its document id in each of those conversations, same order


@dataclass(frozen=True)
class DocumentHit:
    """A document found by name or content, in one conversation that has it."""

    document_id: str
    conversation_id: str
    conversation_title: str
    name: str
    snippet: str  # the name itself when the name matched, else the passage around the match
    highlights: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class SearchHit:
    message_id: str
    conversation_id: str
    conversation_title: str
    role: str
    model: str
    created: str
    snippet: str
    highlights: tuple[tuple[int, int], ...]  # (start, end) offsets of matches inside snippet
    score: float  # higher is better


def rows_to(cls: type[T], cursor: sqlite3.Cursor) -> list[T]:
    """Records from a cursor, positionally: several times faster than dicts for long lists."""
    columns = [d[0] for d in cursor.description]
    names = [f.name for f in fields(cls)]  # type: ignore[arg-type]
    if not set(names) <= set(columns):
        return [from_row(cls, dict(zip(columns, row))) for row in cursor]
    index = [columns.index(n) for n in names]
    flags = [i for i, n in enumerate(names) if n in ("pinned", "archived")]
    records = []
    new = object.__new__
    for row in cursor:
        values = [row[i] for i in index]
        for i in flags:
            values[i] = bool(values[i])
        # What the generated __init__ does, minus its per-field object.__setattr__ calls
        # (3x slower on a 10,000-row list). These records have no __post_init__.
        record = new(cls)
        record.__dict__.update(zip(names, values))
        records.append(record)
    return records


def from_row(cls: type[T], row: Mapping[str, Any]) -> T:
    """Build a record from a row, ignoring columns the record does not carry."""
    names = {f.name for f in fields(cls)}  # type: ignore[arg-type]
    values = {k: row[k] for k in row.keys() if k in names}
    for flag in ("pinned", "archived"):
        if flag in values:
            values[flag] = bool(values[flag])
    return cls(**values)


@dataclass(frozen=True)
class ImportResult:
    conversations: int  # newly added
    messages: int
    skipped: int  # already present (same id), left as they were
