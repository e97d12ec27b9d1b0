"""Socket -> sha256 -> disk on two threads, through a ring of reused buffers.

The calling thread reads the response into a free buffer; a writer thread hashes and writes the
filled ones in order and hands them back. Reading the socket, hashing and writing all release
the GIL, so they overlap and the checksum costs (almost) no throughput. The buffers are
allocated once: a fresh multi-MiB bytes object per chunk would be new memory, page-faulted in
every time. Each read asks for about a fifth of a second of data at the current rate (64 KiB to
4 MiB), so a pause or cancel is seen quickly on a slow link and Python's per-chunk cost vanishes
on a fast one.
"""
from __future__ import annotations

import os
import queue
import sys
import threading
import time
from typing import Callable

from app.models.partial import PartialFile

BUFFER = 4 * 1024**2
N_BUFFERS = 8  # at most 32 MiB read ahead of the disk
MIN_READ = 64 * 1024
WRITEBACK_EVERY = 64 * 1024**2
# Linux: DONTNEED starts the writeback of dirty pages without waiting for it (and drops clean ones).
_FADVISE = getattr(os, "POSIX_FADV_DONTNEED", None) if sys.platform.startswith("linux") else None
READ_SECONDS = 0.2


def copy_response(response, part: PartialFile, check: Callable[[], None],
                  on_bytes: Callable[[int], None]) -> BaseException | None:
    """Append the response's body to `part` until it ends; returns the writer's error, if any.

    `check()` runs before each read (it raises to pause or cancel). Whatever happens, every byte
    read is written (or the write failed) before this returns, so the partial file and its hash
    always agree.
    """
    free: queue.Queue = queue.Queue()
    for _ in range(N_BUFFERS):
        free.put(bytearray(BUFFER))
    filled: queue.Queue = queue.Queue()
    writer = _Writer(part, filled, free, on_bytes)
    writer.start()
    want = MIN_READ * 4
    try:
        while writer.error is None:
            check()
            buf = free.get()
            started = time.monotonic()
            n = response.readinto(memoryview(buf)[:want])
            if not n:
                free.put(buf)
                break
            filled.put((buf, n))
            elapsed = time.monotonic() - started
            if n == want:  # the link kept up: size the next read to ~READ_SECONDS of it
                rate = n / max(elapsed, 1e-4)
                want = int(min(BUFFER, max(MIN_READ, rate * READ_SECONDS)))
    finally:
        filled.put(None)
        writer.join()
    return writer.error


class _Writer(threading.Thread):
    """Hashes and writes filled buffers in order; after an error it only hands them back."""

    def __init__(self, part: PartialFile, filled: queue.Queue, free: queue.Queue,
                 on_bytes: Callable[[int], None]):
        super().__init__(name="download-writer", daemon=True)
        self.part, self.filled, self.free, self.on_bytes = part, filled, free, on_bytes
        self.error: BaseException | None = None
        self._flushed = part.have

    def _start_writeback(self) -> None:
        """Ask the kernel to start writing what arrived (without waiting), so the fsync before the
        file is verified and moved finds little left to write instead of the whole file."""
        if _FADVISE is None or self.part.have - self._flushed < WRITEBACK_EVERY:
            return
        try:
            os.posix_fadvise(self.part.file.fileno(), self._flushed, self.part.have - self._flushed, _FADVISE)
        except OSError:
            pass  # only a hint
        self._flushed = self.part.have

    def run(self) -> None:
        part = self.part
        while (item := self.filled.get()) is not None:
            buf, n = item
            try:
                if self.error is None:
                    view = memoryview(buf)[:n]
                    while view:  # a raw write may take only part of the buffer
                        written = part.file.write(view)
                        part.hasher.update(view[:written])
                        part.have += written
                        view = view[written:]
                    self.on_bytes(part.have)
                    self._start_writeback()
            except BaseException as exc:  # noqa: BLE001 - handed to the reading thread
                self.error = exc
            finally:
                self.free.put(buf)
