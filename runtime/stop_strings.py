"""Hold back streamed text that might be the start of a stop string, and cut at a full one."""
from __future__ import annotations

from typing import Sequence


class StopStringFilter:
    def __init__(self, stops: Sequence[str]) -> None:
        self._stops = tuple(s for s in stops if s)
        self._held = ""
        self.stopped = False

    def feed(self, text: str) -> str:
        """Text safe to show now; sets `stopped` once a stop string is complete."""
        if not self._stops:
            return text
        buf = self._held + text
        # The stop string complete first ends the text (generation stops there), at its start;
        # not the one that starts first, which a longer stop might, complete only further on:
        # that would make the cut depend on how the text was split into deltas.
        found = [(at + len(s), at) for s in self._stops if (at := buf.find(s)) >= 0]
        if found:
            self._held, self.stopped = "", True
            return buf[:min(found)[1]]
        keep = max((_overlap(buf, s) for s in self._stops), default=0)
        self._held = buf[len(buf) - keep:]
        return buf[: len(buf) - keep]

    def flush(self) -> str:
        text, self._held = self._held, ""
        return text


def _overlap(text: str, stop: str) -> int:
    for n in range(min(len(stop) - 1, len(text)), 0, -1):
        if text.endswith(stop[:n]):
            return n
    return 0
