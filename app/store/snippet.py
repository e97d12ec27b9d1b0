"""The piece of a message shown under a search hit, with where the query matched inside it."""
from __future__ import annotations

import re

WIDTH = 120  # characters of context shown around the first match


def make_snippet(text: str, patterns: list[re.Pattern[str]],
                 width: int = WIDTH) -> tuple[str, tuple[tuple[int, int], ...]]:
    """(snippet, highlight spans inside it) around the first place any pattern matches."""
    found = sorted((m.start(), m.end()) for p in patterns for m in p.finditer(text))
    start = max(0, found[0][0] - width // 3) if found else 0
    snippet = _cut(text, start, width)
    offset = start - (1 if start > 0 else 0)  # the leading "…" shifts positions by one
    spans, last_end = [], -1
    for a, b in found:
        if a >= start and b <= start + width and a >= last_end:  # inside, not overlapping
            spans.append((a - offset, b - offset))
            last_end = b
    return snippet, tuple(spans)


def _cut(text: str, start: int, width: int) -> str:
    piece = text[start:start + width].replace("\n", " ")
    return ("…" if start > 0 else "") + piece + ("…" if start + width < len(text) else "")
