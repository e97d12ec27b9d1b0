"""The sidebar's rows as plain data: date groups with their headers, and collapsed search hits.

Kept free of Qt so the grouping rules are tested as functions; the Qt model only adapts these.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Iterable, Sequence, Union

from app.store import Conversation, DocumentHit, SearchHit

GROUPS = ("pinned", "today", "yesterday", "week", "older", "archived")


@dataclass(frozen=True)
class Header:
    group: str  # one of GROUPS, "no_matches" for an empty search, "documents" over document hits


@dataclass(frozen=True)
class Item:
    conversation: Conversation


@dataclass(frozen=True)
class Hit:
    conversation_id: str
    message_id: str
    title: str
    snippet: str
    highlights: tuple[tuple[int, int], ...]
    document: str = ""  # the document's name, for a document found by name or content


Row = Union[Header, Item, Hit]


def local_day(iso: str) -> date:
    """The user's calendar day of a stored UTC timestamp."""
    return datetime.fromisoformat(iso).astimezone().date()


def group_of(conversation: Conversation, today: date) -> str:
    if conversation.archived:
        return "archived"
    if conversation.pinned:
        return "pinned"
    age = (today - local_day(conversation.updated)).days
    if age <= 0:  # a clock that moved back still files it under today
        return "today"
    if age == 1:
        return "yesterday"
    if age <= 7:
        return "week"
    return "older"


def grouped_rows(conversations: Iterable[Conversation], today: date | None = None) -> list[Row]:
    """Headers followed by their conversations, groups in GROUPS order, newest first inside."""
    today = today or datetime.now().astimezone().date()
    buckets: dict[str, list[Conversation]] = {g: [] for g in GROUPS}
    for conversation in conversations:
        buckets[group_of(conversation, today)].append(conversation)
    rows: list[Row] = []
    for group in GROUPS:
        members = sorted(buckets[group], key=lambda c: (c.updated, c.id), reverse=True)
        if members:
            rows.append(Header(group))
            rows.extend(Item(c) for c in members)
    return rows


def hit_rows(hits: Sequence[SearchHit], conversations: Iterable[Conversation] = (), query: str = "",
             document_hits: Sequence[DocumentHit] = ()) -> list[Row]:
    """One row per conversation (its best message hit), in the store's ranking order, then the
    conversations whose title holds the query (full-text search looks at messages only), then
    under a header the documents found by name or content, once per conversation that has them."""
    seen: set[str] = set()
    rows: list[Row] = []
    for hit in hits:
        if hit.conversation_id in seen:
            continue
        seen.add(hit.conversation_id)
        rows.append(Hit(hit.conversation_id, hit.message_id, hit.conversation_title,
                        hit.snippet, tuple(hit.highlights)))
    needle = query.strip().casefold()
    for c in conversations if needle else ():
        at = c.title.casefold().find(needle)
        if at >= 0 and c.id not in seen:
            seen.add(c.id)
            rows.append(Hit(c.id, "", c.title, c.title, ((at, at + len(needle)),)))
    if document_hits:
        rows.append(Header("documents"))
    for d in document_hits:
        if d.snippet == d.name:  # found by its name
            rows.append(Hit(d.conversation_id, "", d.conversation_title, d.name, d.highlights, d.name))
        else:
            lead = f"{d.name}: "
            rows.append(Hit(d.conversation_id, "", d.conversation_title, lead + d.snippet,
                            tuple((a + len(lead), b + len(lead)) for a, b in d.highlights), d.name))
    return rows or [Header("no_matches")]
