"""Cut a document's sections into passages a reply can quote: about `size` estimated tokens each
(runtime.token_estimate, an upper bound for every script), so a passage costs about the same
share of the context in any language and any model (~900 characters of English, ~340 of
Russian, ~210 of Hindi, ~180 of Thai, ~160 of Chinese) and several fit even a small context.
Cut at paragraph, then sentence, then line ends, then spaces (Thai writes no sentence
punctuation), never across a PDF page (a passage keeps one location to cite), each starting with
the last sentence of the one before (`overlap`), so a fact split between two passages is whole
in one of them.

`cost` measures a text (estimated tokens by default; `len` cuts by characters); it must be
additive, as both are, so running totals stand for the cost of what they add up."""
from __future__ import annotations

import re
from typing import Iterable

from app.documents.extract import ExtractedDocument
from app.store.text_units import BREAK as _BREAK
from app.store.text_units import Cost, cut_to_size
from runtime.prompting import estimate_tokens

SIZE = 400  # estimated tokens
OVERLAP = 60


def passages(doc: ExtractedDocument, size: float = SIZE, overlap: float = OVERLAP,
             cost: Cost = estimate_tokens) -> list[tuple[str, str]]:
    """(location, text) pairs in reading order."""
    out: list[tuple[str, str]] = []
    for section in doc.sections:
        out += [(section.location, text) for text in split_text(section.text, size, overlap, cost)]
    return out


def split_text(text: str, size: float = SIZE, overlap: float = OVERLAP, cost: Cost = estimate_tokens) -> list[str]:
    chunks: list[str] = []
    current, used = "", 0.0
    for piece in _pieces(text, size, cost):
        c = cost(piece)
        if current and used + c > size:
            chunks.append(current.strip())
            current = _tail(current, overlap, cost)
            used = cost(current)
        current += piece
        used += c
    if current.strip():
        chunks.append(current.strip())
    return [c for c in chunks if c]


def _pieces(text: str, size: float, cost: Cost) -> Iterable[str]:
    """Paragraphs (with their blank line), each cut at sentence or line ends when too long,
    and cut at spaces, else anywhere, only when a single sentence is longer than `size`."""
    for para in re.split(r"(?<=\n\n)", text):
        if cost(para) <= size:
            yield para
            continue
        start = end = 0
        run = 0.0  # the cost of para[start:end], a sentence at a time (cost is additive)
        for m in _BREAK.finditer(para):
            run += cost(para[end:m.end()])
            end = m.end()
            if run >= size // 4:
                yield from cut_to_size(para[start:end], size, cost)
                start, run = end, 0.0
        if start < len(para):
            yield from cut_to_size(para[start:], size, cost)


def _tail(chunk: str, overlap: float, cost: Cost) -> str:
    """The end of `chunk` to repeat at the start of the next one: its last sentences or lines
    that fit in `overlap`, else nothing (a mid-sentence fragment helps nobody)."""
    end = chunk.rstrip()
    breaks = [m.end() for m in _BREAK.finditer(end) if m.end() < len(end)]
    if overlap <= 0 or not breaks:
        return ""
    # The earliest break whose rest fits: the rest only shrinks as the break moves on.
    low, high = 0, len(breaks)
    while low < high:
        mid = (low + high) // 2
        if cost(end[breaks[mid]:]) <= overlap:
            high = mid
        else:
            low = mid + 1
    if low == len(breaks):
        return ""
    return end[breaks[low]:].lstrip() + ("\n" if chunk.endswith("\n") else " ")
