"""The fake Hub's repositories: files on this disk described as the Hub describes them.

A file is "LFS" (served by a 302 to the CDN) when its name is one the Hub's default
.gitattributes sends to LFS (*.gguf, *.safetensors, *.bin ...) or when it is 10 MiB or more;
other files are served by the Hub itself. Git ids are computed as git computes them: an LFS
file's oid is that of its pointer file.
"""
from __future__ import annotations

import hashlib
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

LFS_SUFFIXES = (".gguf", ".safetensors", ".bin", ".pt", ".pth", ".onnx", ".msgpack", ".h5", ".zip", ".tar")
LFS_MIN_SIZE = 10 * 1024 * 1024
_sha_cache: dict[tuple[str, int, int], str] = {}
_sha_lock = threading.Lock()


def file_sha256(path: Path) -> str:
    """sha256 of a real file, computed once per (path, size, mtime)."""
    st = path.stat()
    key = (str(path), st.st_size, st.st_mtime_ns)
    with _sha_lock:
        if key in _sha_cache:
            return _sha_cache[key]
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(4 << 20):
            h.update(chunk)
    with _sha_lock:
        _sha_cache[key] = h.hexdigest()
    return _sha_cache[key]


def git_blob_oid(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


@dataclass
class HubFile:
    path: str  # inside the repo, "/"-separated
    source: Path  # the bytes served
    sha256_override: str | None = None  # for sparse files (see sparse_gguf)

    @property
    def size(self) -> int:
        return os.path.getsize(self.source)

    @property
    def is_lfs(self) -> bool:
        return self.path.lower().endswith(LFS_SUFFIXES) or self.size >= LFS_MIN_SIZE

    @property
    def sha256(self) -> str:
        return self.sha256_override or file_sha256(self.source)

    def pointer(self) -> bytes:
        return (f"version https://git-lfs.github.com/spec/v1\noid sha256:{self.sha256}\n"
                f"size {self.size}\n").encode()

    @property
    def blob_id(self) -> str:
        return git_blob_oid(self.pointer() if self.is_lfs else self.source.read_bytes())

    def lfs_json(self, sha_key: str) -> dict | None:
        """The "lfs" object: sha_key is "sha256" in /api/models siblings, "oid" in /tree."""
        if not self.is_lfs:
            return None
        return {sha_key: self.sha256, "size": self.size, "pointerSize": len(self.pointer())}


@dataclass
class FakeRepo:
    repo_id: str
    files: dict[str, HubFile] = field(default_factory=dict)
    gated: bool | str = False  # "manual"/"auto" like the Hub; then resolve wants a token
    tags: list[str] = field(default_factory=list)
    downloads: int = 0
    likes: int = 0
    private: bool = False

    @property
    def sha(self) -> str:
        """The commit: changes whenever a file is added, renamed or changes size."""
        h = hashlib.sha1(self.repo_id.encode())
        for p in sorted(self.files):
            h.update(f"{p}\0{self.files[p].size}\0".encode())
        return h.hexdigest()

    def all_tags(self) -> list[str]:
        auto = ["gguf"] if any(p.endswith(".gguf") for p in self.files) else []
        return sorted(set(self.tags) | set(auto))

    def summary_json(self, full: bool = False) -> dict:
        """One entry of /api/models."""
        out = {"_id": self.sha[:24], "id": self.repo_id, "modelId": self.repo_id, "likes": self.likes,
               "downloads": self.downloads, "private": self.private, "tags": self.all_tags(),
               "library_name": "gguf" if "gguf" in self.all_tags() else None,
               "createdAt": "2025-01-01T00:00:00.000Z"}
        if full:
            out |= {"sha": self.sha, "lastModified": "2025-01-02T00:00:00.000Z", "gated": self.gated,
                    "siblings": [{"rfilename": p} for p in sorted(self.files)]}
        return out

    def info_json(self, blobs: bool) -> dict:
        """/api/models/{repo} (?blobs=true adds size, blobId and lfs to each sibling)."""
        siblings = []
        for p in sorted(self.files):
            f = self.files[p]
            s: dict = {"rfilename": p}
            if blobs:
                s |= {"blobId": f.blob_id, "size": f.size}
                if f.is_lfs:
                    s["lfs"] = f.lfs_json("sha256")
            siblings.append(s)
        used = sum(f.size for f in self.files.values())
        return self.summary_json(full=True) | {"author": self.repo_id.split("/")[0], "disabled": False,
                                              "siblings": siblings, "usedStorage": used}

    def tree_json(self, prefix: str, recursive: bool) -> list[dict] | None:
        """/api/models/{repo}/tree/{rev}/{prefix}; None when prefix is not a folder."""
        prefix = prefix.strip("/")
        base = prefix + "/" if prefix else ""
        entries: dict[str, dict] = {}
        for p in sorted(self.files):
            if not p.startswith(base):
                continue
            rest = p[len(base):].split("/")
            for depth in range(1, len(rest)):  # the folders on the way
                folder = base + "/".join(rest[:depth])
                if depth == 1 or recursive:
                    entries.setdefault(folder, {"type": "directory", "oid": git_blob_oid(folder.encode()),
                                                "size": 0, "path": folder})
            if len(rest) == 1 or recursive:
                f = self.files[p]
                e = {"type": "file", "oid": f.blob_id, "size": f.size, "path": p}
                if f.is_lfs:
                    e["lfs"] = f.lfs_json("oid")
                entries[p] = e
        if prefix and not entries:
            return None
        return [entries[k] for k in sorted(entries)]
