"""Incremental detokenization that never emits half a UTF-8 character.

Byte-level tokens can split a character; decoding such a prefix yields U+FFFD. We decode a short
window of recent ids and emit only the new text once it no longer ends in U+FFFD. The window also
keeps tokenizers that drop a leading space (SentencePiece) from gluing words together.
"""
from __future__ import annotations

from typing import Callable


class Detokenizer:
    def __init__(self, decode: Callable[[list[int]], str]) -> None:
        self._decode = decode
        self._ids: list[int] = []
        self._prefix = 0  # window start
        self._read = 0  # ids before this are already emitted

    def add(self, token: int) -> str:
        self._ids.append(token)
        before = self._decode(self._ids[self._prefix : self._read])
        now = self._decode(self._ids[self._prefix :])
        if now.endswith("\ufffd") or len(now) <= len(before):
            return ""  # an incomplete character (or nothing new) so far
        self._prefix, self._read = self._read, len(self._ids)
        return now[len(before) :]

    def flush(self) -> str:
        """Whatever is still held (a truly invalid byte sequence shows as U+FFFD)."""
        before = self._decode(self._ids[self._prefix : self._read])
        now = self._decode(self._ids[self._prefix :])
        self._prefix = self._read = len(self._ids)
        return now[len(before) :]
