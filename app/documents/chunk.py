"""Cut a document's sections into passages a reply can quote: about `size` characters each,
broken at paragraph, then sentence, then line ends, never across a PDF page (a passage keeps
one location to cite), each starting with the last sentence of the one before (`overlap`), so
a fact split between two passages is whole in one of them."""
from __future__ import annotations

import re
from typing import Iterable

from app.documents.extract import ExtractedDocument

SIZE = 1000
OVERLAP = 150
# After a sentence end (Latin or CJK punctuation) or a line break.
_BREAK = re.compile(r"(?<=[.!?;。！？；])\s+|(?<=[。！？；])|\n")


def passages(doc: ExtractedDocument, size: int = SIZE, overlap: int = OVERLAP) -> list[tuple[str, str]]:
    """(location, text) pairs in reading order."""
    out: list[tuple[str, str]] = []
    for section in doc.sections:
        out += [(section.location, text) for text in split_text(section.text, size, overlap)]
    return out


def split_text(text: str, size: int = SIZE, overlap: int = OVERLAP) -> list[str]:
    pieces = list(_pieces(text, size))
    chunks: list[str] = []
    current = ""
    for piece in pieces:
        if current and len(current) + len(piece) > size:
            chunks.append(current.strip())
            current = _tail(current, overlap)
        current += piece
    if current.strip():
        chunks.append(current.strip())
    return [c for c in chunks if c]


def _pieces(text: str, size: int) -> Iterable[str]:
    """Paragraphs (with their blank line), each cut at sentence or line ends when too long,
    and hard-cut only when a single sentence is longer than `size`."""
    for para in re.split(r"(?<=\n\n)", text):
        if len(para) <= size:
            yield para
            continue
        start = 0
        for m in _BREAK.finditer(para):
            if m.end() - start >= size // 4:
                yield from _hard_cut(para[start:m.end()], size)
                start = m.end()
        if start < len(para):
            yield from _hard_cut(para[start:], size)


def _hard_cut(piece: str, size: int) -> Iterable[str]:
    for i in range(0, len(piece), size):
        yield piece[i:i + size]


def _tail(chunk: str, overlap: int) -> str:
    """The end of `chunk` to repeat at the start of the next one: its last sentences or lines
    that fit in `overlap`, else nothing (a mid-sentence fragment helps nobody)."""
    end = chunk.rstrip()
    cuts = [m.end() for m in _BREAK.finditer(end) if len(end) - overlap <= m.end() < len(end)]
    if overlap <= 0 or not cuts:
        return ""
    return end[cuts[0]:].lstrip() + ("\n" if chunk.endswith("\n") else " ")
