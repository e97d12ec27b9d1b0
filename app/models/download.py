"""One file from the Hub onto the disk: resumable, verified, moved into place atomically.

The bytes go to `<dest>.part` (see partial.py); a later run, in this process or another one after
a kill, continues from there with an HTTP Range request. A dropped connection is retried with
backoff, resuming each time. The whole file's sha256 (re-hashing what an earlier run left) is
checked before `os.replace` puts it at `dest`, so nothing unverified is ever at the final path.

Reading the socket and hashing + writing run on two threads (both release the GIL), so the
checksum costs no throughput.
"""
from __future__ import annotations

import http.client
import queue
import threading
from pathlib import Path
from typing import Callable

from app.models.disk import check_space, disk_full_error, is_disk_full
from app.models.download_errors import ConnectionLostError, DownloadError, DownloadStopped
from app.models.partial import PartialFile, new_hasher
from app.models.range_get import RangeRefused, open_range
from app.models.remote_file import RemoteFile
from runtime.planning.words import size as _size

CHUNK = 4 * 1024**2  # most a single socket read returns; large so that Python's per-chunk cost vanishes
QUEUE_CHUNKS = 16  # read-ahead between the socket and the disk: at most 64 MiB in memory
RETRY_DELAYS = (1.0, 2.0, 4.0, 8.0, 15.0)  # after a dropped connection that brought no new bytes


class DownloadControl:
    """Pause or cancel from any thread; the download checks it before every chunk.

    Pause stops and keeps the partial file (downloading again continues); cancel deletes it.
    """

    def __init__(self) -> None:
        self._event = threading.Event()
        self.reason: str | None = None

    def pause(self) -> None:
        if self.reason != "cancel":
            self.reason = "pause"
        self._event.set()

    def cancel(self) -> None:
        self.reason = "cancel"
        self._event.set()

    def check(self) -> None:
        if self._event.is_set():
            raise DownloadStopped(self.reason or "pause")

    def sleep(self, seconds: float) -> None:
        if self._event.wait(seconds):
            raise DownloadStopped(self.reason or "pause")


def download_file(remote: RemoteFile, dest: Path, *, endpoint: str, token: str | None = None,
                  control: DownloadControl | None = None, on_bytes: Callable[[int], None] | None = None,
                  refresh: Callable[[], RemoteFile] | None = None,
                  retry_delays: tuple[float, ...] = RETRY_DELAYS) -> Path:
    """Download `remote` to `dest` and return `dest`. `on_bytes(n)` gets the bytes on disk so far.

    `refresh` asks the Hub again after a dropped connection (a CDN link can expire); when the
    file changed there meanwhile, the download starts over from zero.
    """
    control = control or DownloadControl()
    on_bytes = on_bytes or (lambda n: None)
    dest.parent.mkdir(parents=True, exist_ok=True)
    if _already_there(dest, remote):
        on_bytes(remote.size)
        return dest
    part = PartialFile(dest, remote)
    try:
        check_space(dest.parent, remote.size - part.have, f"{remote.path} ({_size(remote.size)})")
        on_bytes(part.have)
        failures = 0
        while part.have < remote.size:
            control.check()
            before = part.have
            try:
                _fetch(part, remote, endpoint, token, control, on_bytes)
                problem = None if part.have >= remote.size else "the connection closed early"
            except (ConnectionLostError, RangeRefused, http.client.HTTPException, OSError) as exc:
                problem = str(exc) or type(exc).__name__
            if problem is None:
                break
            failures = 0 if part.have > before else failures + 1
            if failures > len(retry_delays):
                raise ConnectionLostError(
                    f"The download of {remote.path} stopped at {_size(part.have)} of {_size(remote.size)} "
                    f"and could not be resumed ({problem}). The partial file is kept: start the download "
                    "again to continue.")
            control.sleep(retry_delays[max(0, failures - 1)] if failures else 0.0)
            if refresh is not None:
                part, remote = _refreshed(part, remote, refresh, dest)
        return part.finish()
    except DownloadStopped as stop:
        if stop.reason == "cancel":
            part.discard()
        else:
            part.close()
        raise
    except BaseException:
        part.close()
        raise


def _refreshed(part: PartialFile, remote: RemoteFile, refresh, dest: Path) -> tuple[PartialFile, RemoteFile]:
    try:
        fresh = refresh()
    except ConnectionLostError:
        return part, remote  # still unreachable: the next try counts as one more failure
    if (fresh.digest, fresh.size) == (remote.digest, remote.size):
        return part, fresh  # same file, maybe a new CDN link
    part.close()
    return PartialFile(dest, fresh), fresh  # changed on the Hub: its sidecar no longer matches, from zero


def _fetch(part: PartialFile, remote: RemoteFile, endpoint: str, token: str | None,
           control: DownloadControl, on_bytes: Callable[[int], None]) -> None:
    """Stream from the partial file's end to the end of the file (or until the connection drops)."""
    response, offset = open_range(remote.data_url, part.have, token, endpoint)
    with response:
        if offset != part.have:  # the server ignored Range and sends everything again
            part.truncate()
        chunks: queue.Queue = queue.Queue(maxsize=QUEUE_CHUNKS)
        writer = _Writer(part, chunks, on_bytes)
        writer.start()
        try:
            while writer.error is None:
                control.check()
                chunk = response.read1(CHUNK)
                if not chunk:
                    break
                chunks.put(chunk)
        finally:
            chunks.put(None)
            writer.join()
    if writer.error is not None:
        if isinstance(writer.error, OSError) and is_disk_full(writer.error):
            raise disk_full_error(part.dest.parent, part.path, part.have, remote.size)
        raise DownloadError(f"Cannot write {part.path}: {writer.error}.")


class _Writer(threading.Thread):
    """Hashes and writes chunks in order; after an error it only drains the queue."""

    def __init__(self, part: PartialFile, chunks: queue.Queue, on_bytes: Callable[[int], None]):
        super().__init__(name="download-writer", daemon=True)
        self.part, self.chunks, self.on_bytes = part, chunks, on_bytes
        self.error: BaseException | None = None

    def run(self) -> None:
        part = self.part
        while (chunk := self.chunks.get()) is not None:
            if self.error is not None:
                continue
            try:
                view = memoryview(chunk)
                while view:  # a raw write may take only part of the chunk
                    n = part.file.write(view)
                    part.hasher.update(view[:n])
                    part.have += n
                    view = view[n:]
                self.on_bytes(part.have)
            except BaseException as exc:  # noqa: BLE001 - handed to the reading thread
                self.error = exc


def _already_there(dest: Path, remote: RemoteFile) -> bool:
    """A finished file from an earlier run: checked, never trusted by its name alone."""
    try:
        if dest.stat().st_size != remote.size:
            return False
    except OSError:
        return False
    hasher = new_hasher(remote)
    with open(dest, "rb", buffering=0) as f:
        buf = bytearray(8 * 1024**2)
        while n := f.readinto(buf):
            hasher.update(memoryview(buf)[:n])
    return hasher.hexdigest() == remote.digest

