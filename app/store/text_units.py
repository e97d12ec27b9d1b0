"""Where a document's text may be cut, in any script: after a sentence end, then at a space,
then anywhere. The chunker (app.documents.chunk) cuts passages with these rules and a quoted
passage's excerpt (excerpt.py) is made of the same units, so both cut a text alike.

Sentence ends: Latin . ! ? ; followed by a space, the CJK full-width 。！？； (no space after
them), the Devanagari danda । ॥ and the Arabic ؟ ؛ followed by a space, and any line break.
Thai, Lao, Khmer and Burmese write no sentence punctuation: their phrases end at a space, so a
long run of them is cut at its spaces first and only then by length.

`cost` is any additive measure of a text (len, or runtime.prompting.estimate_tokens, which is
a per-character sum): cost(a + b) == cost(a) + cost(b).
"""
from __future__ import annotations

import re
from typing import Callable, Iterator

Cost = Callable[[str], float]

# After a sentence end or a line break (the break itself stays with the sentence before it).
BREAK = re.compile(r"(?<=[.!?;।॥؟؛])\s+|(?<=[。！？；])|\n")
_SPACE = re.compile(r"\s+")


def longest_prefix_within(text: str, budget: float, cost: Cost) -> str:
    """The longest start of `text` whose cost fits the budget (Chinese up front is dearer than
    a share by length says); at least one character."""
    low, high = 1, len(text)
    while low < high:
        mid = (low + high + 1) // 2
        if cost(text[:mid]) <= budget:
            low = mid
        else:
            high = mid - 1
    return text[:low]


def cut_to_size(piece: str, size: float, cost: Cost) -> Iterator[str]:
    """`piece` in consecutive parts each within `size` (one character at least): each ends at the
    last space that keeps it within size when there is one, else it is the longest start that fits."""
    while piece:
        if cost(piece) <= size:
            yield piece
            return
        start = longest_prefix_within(piece, size, cost)
        spaces = [m.end() for m in _SPACE.finditer(start)]
        end = next((e for e in reversed(spaces) if start[:e].strip()), len(start))
        yield piece[:end]
        piece = piece[end:]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence or line of `text`, covering it in order, separators kept
    with the sentence before them."""
    spans, start = [], 0
    for m in BREAK.finditer(text):
        if m.end() > start:
            spans.append((start, m.end()))
            start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def unit_spans(text: str, size: float, cost: Cost) -> list[tuple[int, int]]:
    """Sentence spans of `text`, those costing more than `size` cut at spaces, then by length."""
    out = []
    for start, end in sentence_spans(text):
        for part in cut_to_size(text[start:end], size, cost):
            out.append((start, start + len(part)))
            start += len(part)
    return out
