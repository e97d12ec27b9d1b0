"""Automatic conversation titles from the first question."""
from __future__ import annotations

import re

MAX_TITLE_CHARS = 48


def title_from_text(text: str) -> str:
    """The first non-empty line, whitespace collapsed, cut at a word (or CJK char) boundary."""
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    line = re.sub(r"\s+", " ", line).strip(" #>*-`")
    if len(line) <= MAX_TITLE_CHARS:
        return line
    cut = line[:MAX_TITLE_CHARS]
    space = cut.rfind(" ")
    if space > MAX_TITLE_CHARS // 2:
        cut = cut[:space]
    return cut.rstrip(" ,.;:，。；：") + "…"
