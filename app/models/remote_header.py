"""A remote GGUF's header, read by HTTP Range requests and kept in a cache on disk.

`RemoteSource` is a runtime.modelfile ByteSource: the one GGUF parser reads through it exactly as
it reads a local file, and only the blocks it asks for are fetched (a few MB, whatever the
model's size). What was fetched is kept under the app's cache dir, keyed by the file's sha256
(the Hub's LFS digest, so a new upload never reuses an old header) with the repo, revision and
path beside it; a second look at the same file costs no request at all.
"""
from __future__ import annotations

import hashlib
import json
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

from app.models.errors import HubError
from app.models.hub import FileLocation, HubClient, http_session

HEADER_CACHE = "gguf-headers"


@dataclass
class HeaderCacheEntry:
    """The byte ranges of one file already fetched: {offset: bytes}."""

    key: str
    size: int
    chunks: dict[int, bytes] = field(default_factory=dict)
    changed: bool = False

    def find(self, offset: int, n: int) -> bytes | None:
        for start, data in self.chunks.items():
            if start <= offset and offset + n <= start + len(data):
                return data[offset - start:offset - start + n]
        return None

    def add(self, offset: int, data: bytes) -> None:
        self.chunks[offset] = data
        self.changed = True


class HeaderCache:
    """<cache dir>/gguf-headers/<key>.json (what and where) + <key>.bin (the bytes)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder / HEADER_CACHE if folder is not None else None
        self._lock = threading.Lock()

    @staticmethod
    def key(repo_id: str, revision: str, path: str, sha256: str | None) -> str:
        return sha256 or hashlib.sha256(f"{repo_id}\0{revision}\0{path}".encode()).hexdigest()

    def load(self, key: str, size: int) -> HeaderCacheEntry:
        entry = HeaderCacheEntry(key, size)
        if self.folder is None:
            return entry
        try:
            index = json.loads((self.folder / f"{key}.json").read_text())
            blob = (self.folder / f"{key}.bin").read_bytes()
        except (OSError, ValueError):
            return entry
        if index.get("size") != size or sum(n for _, n in index.get("chunks", [])) != len(blob):
            return entry  # another file under the same key, or a torn write: fetch again
        at = 0
        for offset, n in index["chunks"]:
            entry.chunks[int(offset)] = blob[at:at + n]
            at += n
        return entry

    def save(self, entry: HeaderCacheEntry, about: dict) -> None:
        if self.folder is None or not entry.changed:
            return
        with self._lock:
            self.folder.mkdir(parents=True, exist_ok=True)
            order = sorted(entry.chunks)
            tmp = self.folder / f"{entry.key}.{os.getpid()}.tmp"
            tmp.write_bytes(b"".join(entry.chunks[o] for o in order))
            os.replace(tmp, self.folder / f"{entry.key}.bin")
            index = about | {"size": entry.size, "chunks": [[o, len(entry.chunks[o])] for o in order]}
            tmp.write_text(json.dumps(index))
            os.replace(tmp, self.folder / f"{entry.key}.json")
        entry.changed = False


class RemoteSource:
    """One file on the Hub as a ByteSource: cached ranges first, else a Range GET to its URL."""

    def __init__(self, name: str, size: int, entry: HeaderCacheEntry,
                 locate: Callable[[], FileLocation], client: HubClient) -> None:
        self.name, self.size, self.entry = name, size, entry
        self._locate, self._client = locate, client
        self._location: FileLocation | None = None
        self.bytes_fetched = 0
        self.requests = 0

    def read(self, offset: int, n: int) -> bytes:
        cached = self.entry.find(offset, n)
        if cached is not None:
            return cached
        data = self._fetch(offset, n)
        self.entry.add(offset, data)
        return data

    def _fetch(self, offset: int, n: int, retry: bool = True) -> bytes:
        if self._location is None:
            self._location = self._locate()
        loc = self._location
        headers = {"Range": f"bytes={offset}-{offset + n - 1}", "Accept-Encoding": "identity"}
        headers |= self._client.auth_headers(loc)
        try:
            with http_session().stream("GET", loc.url, headers=headers) as r:
                self.requests += 1
                if r.status_code == 403 and retry:  # a signed CDN link that expired: ask again
                    self._location = None
                    return self._fetch(offset, n, retry=False)
                if r.status_code != 206:
                    # never read a 200: that would be the whole model
                    raise HubError(f"Reading the header of {self.name} failed: the server answered "
                                   f"{r.status_code} to a byte-range request instead of 206, so DeskSeek "
                                   "cannot read only the header (a mirror without Range support?).")
                data = b"".join(r.iter_bytes())
        except HubError:
            raise
        except Exception as exc:  # noqa: BLE001  network errors: the same sentences as the Hub calls
            from app.models.hub import describe

            origin = "{0.scheme}://{0.netloc}".format(urlsplit(loc.url))  # the CDN, not the Hub
            sentence = describe(exc, origin, None, self.name, bool(self._client.token))
            if sentence is None:
                raise
            raise HubError(f"Reading the header of {self.name} failed: {sentence}") from None
        self.bytes_fetched += len(data)
        if len(data) != n and offset + len(data) != self.size:
            raise HubError(f"Reading the header of {self.name} failed: the server sent {len(data)} bytes "
                           f"of the {n} asked for.")
        return data
