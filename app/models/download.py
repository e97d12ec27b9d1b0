"""One file from the Hub onto the disk: resumable, verified, moved into place atomically.

The bytes go to `<dest>.part` (see partial.py); a later run, in this process or another one after
a kill, continues from there with an HTTP Range request. A dropped connection is retried with
backoff, resuming each time. The whole file's sha256 (re-hashing what an earlier run left) is
checked before `os.replace` puts it at `dest`, so nothing unverified is ever at the final path.

Reading the socket and hashing + writing run on two threads (pipeline.py), so the checksum
costs (almost) no throughput.
"""
from __future__ import annotations

import hashlib
import http.client
import threading
from pathlib import Path
from typing import Callable

from app.models.disk import check_space, disk_full_error, is_disk_full
from app.models.download_errors import ConnectionLostError, DownloadError, DownloadStopped
from app.models.download_source import DownloadSource
from app.models.partial import PartialFile
from app.models.pipeline import copy_response
from app.models.progress import format_bytes
from app.models.range_get import RangeRefused, open_range
from runtime.types import DeskSeekError

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


def download_file(remote: DownloadSource, dest: Path, *,
                  control: DownloadControl | None = None, on_bytes: Callable[[int], None] | None = None,
                  refresh: Callable[[], DownloadSource] | None = None,
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
        check_space(dest.parent, remote.size - part.have, remote.path)
        on_bytes(part.have)
        failures = 0
        while part.have < remote.size:
            control.check()
            before = part.have
            try:
                _fetch(part, remote, control, on_bytes)
                problem = None if part.have >= remote.size else "the connection closed early"
            except (ConnectionLostError, RangeRefused, http.client.HTTPException, OSError) as exc:
                problem = str(exc) or type(exc).__name__
            if problem is None:
                break
            failures = 0 if part.have > before else failures + 1
            if failures > len(retry_delays):
                raise ConnectionLostError(
                    f"The download of {remote.path} stopped at {format_bytes(part.have)} of {format_bytes(remote.size)} "
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


def _refreshed(part: PartialFile, remote: DownloadSource, refresh, dest: Path) -> tuple[PartialFile, DownloadSource]:
    try:
        fresh = refresh()
    except DeskSeekError:
        return part, remote  # the Hub is not answering either: the next try counts as one more failure
    if (fresh.sha256, fresh.size) == (remote.sha256, remote.size):
        return part, fresh  # same file, maybe a new CDN link
    part.close()
    return PartialFile(dest, fresh), fresh  # changed on the Hub: its sidecar no longer matches, from zero


def _fetch(part: PartialFile, remote: DownloadSource, control: DownloadControl,
           on_bytes: Callable[[int], None]) -> None:
    """Stream from the partial file's end to the end of the file (or until the connection drops)."""
    response, offset = open_range(remote.url, part.have, remote.headers)
    with response:
        if offset != part.have:  # the server ignored Range and sends everything again
            part.truncate()
        error = copy_response(response, part, control.check, on_bytes)
    if error is not None:
        if isinstance(error, OSError) and is_disk_full(error):
            raise disk_full_error(part.dest.parent, part.path, part.have, remote.size)
        raise DownloadError(f"Cannot write {part.path}: {error}.")


def _already_there(dest: Path, remote: DownloadSource) -> bool:
    """A finished file from an earlier run: checked, never trusted by its name alone."""
    try:
        if dest.stat().st_size != remote.size:
            return False
    except OSError:
        return False
    hasher = hashlib.sha256()
    with open(dest, "rb", buffering=0) as f:
        buf = bytearray(8 * 1024**2)
        while n := f.readinto(buf):
            hasher.update(memoryview(buf)[:n])
    return hasher.hexdigest() == remote.sha256

