"""The partial file a download writes (`<dest>.part`) and its sidecar (`<dest>.part.json`).

The sidecar records which remote file the partial bytes belong to (checksum, size, commit), so a
download started again after a crash or a kill continues only when the remote file is still the
same one, and starts from zero when it changed. The partial file is locked while a download
writes it, so two DeskSeek processes never write the same file.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from app.models.download_errors import ChecksumError, DownloadError
from app.models.download_source import DownloadSource

REHASH_CHUNK = 8 * 1024**2

try:
    import fcntl
except ImportError:  # Windows: no advisory lock; one DeskSeek at a time is then the user's care
    fcntl = None


def part_path(dest: Path) -> Path:
    return dest.with_name(dest.name + ".part")


def sidecar_path(dest: Path) -> Path:
    return dest.with_name(dest.name + ".part.json")


class PartialFile:
    """An open, locked `.part` file positioned at its end, and the hash of what it already holds."""

    def __init__(self, dest: Path, remote: DownloadSource):
        self.dest = dest
        self.remote = remote
        self.path = part_path(dest)
        self.sidecar = sidecar_path(dest)
        self.file = open(self.path, "a+b", buffering=0)  # created if missing, never truncated here
        try:
            _lock(self.file.fileno(), self.path)
            self.have = self._continue_or_restart()
            self.hasher = hashlib.sha256()
            self._rehash()
        except BaseException:
            self.file.close()
            raise

    def _continue_or_restart(self) -> int:
        have = os.fstat(self.file.fileno()).st_size
        if have and self._same_remote_file() and have <= self.remote.size:
            return have
        # Another remote file (a new commit changed it), no sidecar, or more bytes than the file has.
        self.truncate()
        r = self.remote
        record = {"repo": r.repo, "path": r.path, "size": r.size, "sha256": r.sha256, "commit": r.commit,
                  "endpoint": r.endpoint, "revision": r.revision}  # the last two: to offer it again later
        tmp = self.sidecar.with_name(self.sidecar.name + ".tmp")
        tmp.write_text(json.dumps(record), encoding="utf-8")
        os.replace(tmp, self.sidecar)
        return 0

    def _same_remote_file(self) -> bool:
        """The same bytes as the partial ones began: a new commit that left the file alone still is."""
        recorded = read_sidecar(self.sidecar) or {}
        r = self.remote
        return all(recorded.get(k) == v for k, v in (("repo", r.repo), ("path", r.path), ("size", r.size),
                                                      ("sha256", r.sha256)))

    def _rehash(self) -> None:
        """Hash what an earlier run left, so the final checksum covers every byte."""
        buf = bytearray(REHASH_CHUNK)
        view = memoryview(buf)
        offset = 0
        self.file.seek(0)
        while offset < self.have:
            n = self.file.readinto(view[: min(REHASH_CHUNK, self.have - offset)])
            if not n:
                break
            self.hasher.update(view[:n])
            offset += n
        self.have = offset

    def truncate(self) -> None:
        self.file.truncate(0)
        self.have = 0
        self.hasher = hashlib.sha256()

    def finish(self) -> Path:
        """fsync, check the checksum, and move into place; a mismatch deletes the partial file."""
        os.fsync(self.file.fileno())
        self.file.close()
        got = self.hasher.hexdigest()
        if self.have != self.remote.size or got != self.remote.sha256:
            self.discard()
            raise_mismatch(self.remote, self.have, got)
        os.replace(self.path, self.dest)
        _fsync_dir(self.dest.parent)
        self.sidecar.unlink(missing_ok=True)
        return self.dest

    def close(self) -> None:
        self.file.close()  # also releases the lock

    def discard(self) -> None:
        self.close()
        self.path.unlink(missing_ok=True)
        self.sidecar.unlink(missing_ok=True)


def read_sidecar(path: Path) -> dict | None:
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def raise_mismatch(remote: DownloadSource, have: int, got: str) -> None:
    if have != remote.size:
        what = f"{have} bytes arrived where the Hub announced {remote.size}"
    else:
        what = f"its sha256 is {got}, the Hub's is {remote.sha256}"
    raise ChecksumError(f"{remote.path} from {remote.repo} failed its checksum ({what}); the damaged "
                           "download was deleted. Try again; if it fails again the mirror may be corrupt.")


def _lock(fd: int, path: Path) -> None:
    if fcntl is None:
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise DownloadError(f"{path.name} is already being downloaded by another DeskSeek process.") from None


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # Windows cannot open a folder; os.replace is still atomic there
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

