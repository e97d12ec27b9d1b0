"""Socket -> disk -> sha256 on three threads, through a ring of reused buffers.

The calling thread reads the response into a free buffer; a writer thread appends the filled
ones to the partial file in order and passes each on to a hashing thread, which hands it back.
Reading the socket, writing and hashing all release the GIL, so the three overlap and the
checksum costs (almost) no throughput: the slowest stage sets the pace, not their sum. The
hash covers exactly what was written, so the partial file and its hash always agree. The
buffers are allocated once: a fresh multi-MiB bytes object per chunk would be new memory,
page-faulted in every time. Each read asks for about a fifth of a second of data at the current
rate (64 KiB to 4 MiB), so a pause or cancel is seen quickly on a slow link and Python's
per-chunk cost vanishes on a fast one.
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
READ_SECONDS = 0.2
WRITEBACK_EVERY = 64 * 1024**2
# Linux: DONTNEED starts the writeback of dirty pages without waiting for it (and drops clean ones).
_FADVISE = getattr(os, "POSIX_FADV_DONTNEED", None) if sys.platform.startswith("linux") else None


def copy_response(response, part: PartialFile, check: Callable[[], None],
                  on_bytes: Callable[[int], None]) -> BaseException | None:
    """Append the response's body to `part` until it ends; returns the writer's error, if any.

    `check()` runs before each read (it raises to pause or cancel). Whatever happens, every byte
    read is written (or the write failed) and hashed before this returns.
    """
    free: queue.Queue = queue.Queue()
    for _ in range(N_BUFFERS):
        free.put(bytearray(BUFFER))
    to_write: queue.Queue = queue.Queue()
    to_hash: queue.Queue = queue.Queue()
    hasher = threading.Thread(target=_hash, args=(part, to_hash, free), name="download-hash", daemon=True)
    writer = _Writer(part, to_write, to_hash, free, on_bytes)
    hasher.start()
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
            to_write.put((buf, n))
            elapsed = time.monotonic() - started
            if n == want:  # the link kept up: size the next read to ~READ_SECONDS of it
                rate = n / max(elapsed, 1e-4)
                want = int(min(BUFFER, max(MIN_READ, rate * READ_SECONDS)))
    finally:
        to_write.put(None)  # the writer passes the end on to the hasher
        writer.join()
        hasher.join()
    return writer.error


def _hash(part: PartialFile, to_hash: queue.Queue, free: queue.Queue) -> None:
    while (item := to_hash.get()) is not None:
        buf, n = item
        part.hasher.update(memoryview(buf)[:n])
        free.put(buf)


class _Writer(threading.Thread):
    """Writes filled buffers in order and passes on what it wrote; after an error it only hands
    buffers back."""

    def __init__(self, part: PartialFile, to_write: queue.Queue, to_hash: queue.Queue, free: queue.Queue,
                 on_bytes: Callable[[int], None]):
        super().__init__(name="download-writer", daemon=True)
        self.part, self.to_write, self.to_hash, self.free, self.on_bytes = part, to_write, to_hash, free, on_bytes
        self.error: BaseException | None = None
        self._flushed = part.have

    def run(self) -> None:
        try:
            while (item := self.to_write.get()) is not None:
                self._write(*item)
        finally:
            self.to_hash.put(None)

    def _write(self, buf: bytearray, n: int) -> None:
        part, written = self.part, 0
        try:
            if self.error is None:
                view = memoryview(buf)[:n]
                while written < n:  # a raw write may take only part of the buffer
                    written += part.file.write(view[written:])
                part.have += written
                self.on_bytes(part.have)
                self._start_writeback()
        except BaseException as exc:  # noqa: BLE001 - handed to the reading thread
            part.have += written
            self.error = exc
        self.to_hash.put((buf, written))  # exactly what reached the file (0 after an error)

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
