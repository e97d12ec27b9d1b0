"""Faults the fake Hub can inject, and the log of what it served.

Each fault may be limited to requests whose path contains `match` and to a number of `times`
(None: every time). The servers consult them per request, from their handler threads.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field


@dataclass
class _Fault:
    match: str | None
    times: int | None
    value: object = None

    def applies(self, path: str) -> bool:
        return (self.times is None or self.times > 0) and (self.match is None or self.match in path)

    def use(self) -> None:
        if self.times is not None:
            self.times -= 1


@dataclass
class RequestRecord:
    server: str  # "hub" or "cdn"
    method: str
    path: str  # with the query string
    range: str | None
    status: int
    bytes_sent: int = 0  # body bytes written (what a download or a header read cost)
    authorization: bool = False  # whether a token came with it (never the token itself)


@dataclass
class Faults:
    """Set by tests: cut_after / corrupt / throttle / fail_status / expire_urls."""

    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _cuts: list[_Fault] = field(default_factory=list)
    _corrupt: list[_Fault] = field(default_factory=list)
    _fail: list[_Fault] = field(default_factory=list)
    throttle_bytes_per_s: float | None = None
    url_generation: int = 0

    def cut_after(self, n_bytes: int, times: int | None = 1, match: str | None = None) -> None:
        """Close the connection after n body bytes of a file response (headers promise them all)."""
        with self._lock:
            self._cuts.append(_Fault(match, times, n_bytes))

    def corrupt(self, offset: int, times: int | None = None, match: str | None = None) -> None:
        """Serve the byte at this file offset inverted (a download then fails its sha256)."""
        with self._lock:
            self._corrupt.append(_Fault(match, times, offset))

    def fail_status(self, status: int, times: int | None = 1, match: str | None = None,
                    server: str = "cdn") -> None:
        """Answer `status` (e.g. 500, 503, 429) instead of serving, on the given server."""
        with self._lock:
            self._fail.append(_Fault(match, times, (server, status)))

    def throttle(self, bytes_per_s: float | None) -> None:
        """Serve files at about this rate (None: as fast as possible)."""
        self.throttle_bytes_per_s = bytes_per_s

    def expire_urls(self) -> None:
        """CDN URLs handed out so far answer 403, as signed URLs do once they expire."""
        with self._lock:
            self.url_generation += 1

    def clear(self) -> None:
        with self._lock:
            self._cuts.clear()
            self._corrupt.clear()
            self._fail.clear()
            self.throttle_bytes_per_s = None

    # -- consulted by the servers --
    def take_cut(self, path: str) -> int | None:
        return self._take(self._cuts, path)

    def take_failure(self, path: str, server: str) -> int | None:
        with self._lock:
            for f in self._fail:
                if f.applies(path) and f.value[0] == server:
                    f.use()
                    return f.value[1]
        return None

    def corrupt_offsets(self, path: str, start: int, end: int) -> list[int]:
        """File offsets in [start, end) to invert for this response (each use counts once)."""
        out = []
        with self._lock:
            for f in self._corrupt:
                if f.applies(path) and start <= f.value < end:
                    f.use()
                    out.append(f.value)
        return out

    def _take(self, faults: list[_Fault], path: str):
        with self._lock:
            for f in faults:
                if f.applies(path):
                    f.use()
                    return f.value
        return None
