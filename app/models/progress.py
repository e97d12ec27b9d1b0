"""Progress of a download in the words the window and the terminal show: bytes, rate, time left.

The downloader reports every chunk; the meter turns that into a few reports a second, with the
rate measured over the last seconds (so a pause in the network shows at once) and the time left
from that rate.
"""
from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import Callable

RATE_WINDOW_S = 5.0
REPORT_EVERY_S = 0.25


def format_bytes(n: float) -> str:
    """1.5 KiB, 93.5 MiB, 4.07 GiB: a download's numbers.

    Finer than the planner's `runtime.planning.words.size` (a rate of 300 KiB/s, a file of a few
    MiB), and importing the planner's words would pull numpy into `deskseek pull`'s start.
    """
    if n < 1024:
        return f"{n:.0f} B"
    for unit in ("KiB", "MiB", "GiB", "TiB"):
        n /= 1024
        if n < 1024 or unit == "TiB":
            return f"{n:.0f} {unit}" if unit == "KiB" else f"{n:.2f} {unit}" if n < 10 else f"{n:.1f} {unit}"
    return f"{n:.1f} TiB"


@dataclass(frozen=True)
class Progress:
    done: int  # bytes on disk, for all files of the download
    total: int
    rate: float  # bytes per second over the last few seconds; 0.0 before it is known
    eta: float | None  # seconds left at that rate; None while unknown

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 1.0


class ProgressMeter:
    """Collects byte counts from the downloading thread; calls `on_progress` at most a few times a second."""

    def __init__(self, total: int, on_progress: Callable[[Progress], None] | None,
                 report_every: float = REPORT_EVERY_S, clock: Callable[[], float] = time.monotonic):
        self.total = total
        self._on_progress = on_progress
        self._every = report_every
        self._clock = clock
        self._samples: deque[tuple[float, int]] = deque()
        self._last_report = float("-inf")
        self._lock = threading.Lock()
        self.done = 0

    def update(self, done: int, force: bool = False) -> None:
        now = self._clock()
        with self._lock:
            self.done = done
            self._samples.append((now, done))
            while len(self._samples) > 2 and now - self._samples[0][0] > RATE_WINDOW_S:
                self._samples.popleft()
            if not force and now - self._last_report < self._every:
                return
            self._last_report = now
            progress = self.snapshot()
        if self._on_progress is not None:
            self._on_progress(progress)

    def snapshot(self) -> Progress:
        rate = 0.0
        if len(self._samples) >= 2:
            (t0, d0), (t1, d1) = self._samples[0], self._samples[-1]
            if t1 > t0 and d1 >= d0:
                rate = (d1 - d0) / (t1 - t0)
        left = max(0, self.total - self.done)
        eta = left / rate if rate > 0 else (0.0 if left == 0 else None)
        return Progress(done=self.done, total=self.total, rate=rate, eta=eta)
