"""How fast the disk under a folder reads: the speed of a model memory-mapped past the end of RAM.

Measured, not guessed: a 256 MiB file is written into the folder, flushed, dropped from the page
cache (posix_fadvise DONTNEED: the kernel forgets clean pages), then read back in 4 MiB blocks.
The result is cached per filesystem (st_dev) in a JSON file the caller names, for 30 days, so
a machine pays for the measurement once. Where the page cache cannot be dropped (not Linux),
nothing is measured and the planner does not offer the memory-mapped last resort.
"""
from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

SAMPLE_BYTES = 256 * 2**20
BLOCK = 4 * 2**20
MAX_AGE_S = 30 * 24 * 3600


def read_speed(folder: str | os.PathLike, cache_file: str | os.PathLike | None = None,
               sample_bytes: int = SAMPLE_BYTES) -> float | None:
    """Bytes per second read from the disk holding `folder` (created if missing), or None."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        device = str(os.stat(folder).st_dev)
    except OSError:
        return None
    cached = _load(cache_file).get(device)
    if cached and time.time() - cached["when"] < MAX_AGE_S:
        return float(cached["bytes_per_s"])
    speed = measure(folder, sample_bytes)
    if speed and cache_file:
        data = _load(cache_file) | {device: {"bytes_per_s": speed, "when": time.time(), "folder": str(folder)}}
        try:
            Path(cache_file).parent.mkdir(parents=True, exist_ok=True)
            Path(cache_file).write_text(json.dumps(data))
        except OSError:
            pass
    return speed


def measure(folder: Path, sample_bytes: int = SAMPLE_BYTES) -> float | None:
    if not hasattr(os, "posix_fadvise"):
        return None
    fd, name = tempfile.mkstemp(prefix=".deskseek-disk-", dir=folder)
    try:
        block = os.urandom(BLOCK)  # incompressible: a compressing filesystem would flatter zeros
        for _ in range(max(1, sample_bytes // BLOCK)):
            os.write(fd, block)
        os.fsync(fd)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        os.lseek(fd, 0, os.SEEK_SET)
        t0, n = time.perf_counter(), 0
        while chunk := os.read(fd, BLOCK):
            n += len(chunk)
        elapsed = time.perf_counter() - t0
        return n / elapsed if elapsed > 0 else None
    except OSError:
        return None
    finally:
        os.close(fd)
        os.unlink(name)


def _load(cache_file) -> dict:
    if not cache_file:
        return {}
    try:
        data = json.loads(Path(cache_file).read_text())
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}
