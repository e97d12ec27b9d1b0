"""Split a reasoning model's `<think>…</think>` text from its answer while it streams.

Tags may arrive cut across deltas ("<thi" + "nk>"), and some templates (the DeepSeek-R1
distills) open the block inside the prompt, so the stream starts already inside it.
"""
from __future__ import annotations

from typing import Iterator

from runtime.types import TextDelta

OPEN_TAG = "<think>"
CLOSE_TAG = "</think>"


def prompt_opens_think(prompt: str) -> bool:
    """True when the rendered prompt ends inside an unclosed <think> block."""
    tail = prompt.rstrip()
    return tail.rfind(OPEN_TAG) > tail.rfind(CLOSE_TAG)


class ThinkSplitter:
    def __init__(self, *, inside: bool = False) -> None:
        self._inside = inside
        self._pending = ""  # text that may be the start of a tag
        self._seen_answer = False
        self._after_close = False  # drop the newlines that follow </think>

    def feed(self, text: str) -> Iterator[TextDelta]:
        buf = self._pending + text
        self._pending = ""
        while buf:
            if self._after_close:  # first, so the same text split anywhere drops the same newlines
                buf = buf.lstrip("\n")
                if not buf:
                    break
                self._after_close = False
            tag = CLOSE_TAG if self._inside else OPEN_TAG
            at = buf.find(tag)
            # An opening tag counts only before any answer text (models write "<think>" first).
            if at >= 0 and (self._inside or not buf[:at].strip() and not self._seen_answer):
                yield from self._emit(buf[:at])
                self._inside = not self._inside
                buf = buf[at + len(tag):]
                self._after_close = not self._inside
                continue
            keep = _partial_tag_suffix(buf, tag) if (self._inside or not self._seen_answer) else 0
            yield from self._emit(buf[: len(buf) - keep])
            self._pending = buf[len(buf) - keep:]
            break

    def flush(self) -> Iterator[TextDelta]:
        text, self._pending = self._pending, ""
        yield from self._emit(text)

    def _emit(self, text: str) -> Iterator[TextDelta]:
        if not text:
            return
        if not self._inside and text.strip():
            self._seen_answer = True
        yield TextDelta(text, reasoning=self._inside)


def _partial_tag_suffix(text: str, tag: str) -> int:
    """Length of the longest suffix of text that is a proper prefix of tag."""
    for n in range(min(len(tag) - 1, len(text)), 0, -1):
        if text.endswith(tag[:n]):
            return n
    return 0
