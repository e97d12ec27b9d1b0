"""The piece of a message shown under a search hit, with where the query matched inside it."""
from __future__ import annotations

import re

WIDTH = 120  # characters of context shown around the first match


def make_snippet(text: str, terms: list[str], width: int = WIDTH) -> tuple[str, tuple[tuple[int, int], ...]]:
    """(snippet, highlight spans) around the first place any term occurs (case-insensitive)."""
    if not terms:
        return _cut(text, 0, width), ()
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)),
                         re.IGNORECASE)
    first = pattern.search(text)
    center = first.start() if first else 0
    start = max(0, center - width // 3)
    snippet = _cut(text, start, width)
    offset = start - (1 if start > 0 else 0)  # the leading "…" shifts positions by one
    spans = tuple((m.start() - offset, m.end() - offset) for m in pattern.finditer(text, start, start + width))
    return snippet, spans


def _cut(text: str, start: int, width: int) -> str:
    piece = text[start:start + width].replace("\n", " ")
    return ("…" if start > 0 else "") + piece + ("…" if start + width < len(text) else "")
