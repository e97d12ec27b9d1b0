"""Pull one model: every file it needs (all shards of a split GGUF), one after another.

Where models go: `<models dir>/<owner>/<repo>/<path in the repo>`; the models dir is the app's
(`app.paths`, moved by DESKSEEK_HOME) unless the caller gives another. The window's queue and
`deskseek pull` both end here.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Callable

from app.models.disk import check_space
from app.models.download import DownloadControl, download_file
from app.models.download_errors import DownloadError
from app.models.download_source import DownloadSource, locate_source
from app.models.gguf_names import shard_names
from app.models.hub import HubClient
from app.models.partial import part_path, read_sidecar, sidecar_path
from app.models.progress import Progress, ProgressMeter


@dataclass(frozen=True)
class PullRequest:
    """A model to download: `files` are repository paths, all shards of a split model."""

    repo: str  # "owner/name"
    files: tuple[str, ...]
    endpoint: str
    dest_root: Path  # the models folder; the file lands at dest_root/owner/name/path
    revision: str = "main"
    token: str | None = field(default=None, repr=False)  # for gated repos; never in logs or reprs

    @classmethod
    def for_file(cls, repo: str, path: str, endpoint: str, dest_root: Path, **kw) -> "PullRequest":
        """Any shard of a split model names the whole model."""
        return cls(repo=repo, files=shard_names(path), endpoint=endpoint, dest_root=Path(dest_root), **kw)

    @property
    def first_path(self) -> Path:
        return local_path(self.dest_root, self.repo, self.files[0])


def local_path(dest_root: Path, repo: str, path: str) -> Path:
    """`<root>/<owner>/<name>/<path>`; a path that would leave that folder is refused."""
    parts = [*repo.split("/"), *PurePosixPath(path).parts]
    if len(repo.split("/")) != 2 or any(p in ("", ".", "..") or "\\" in p for p in parts) or path.startswith("/"):
        raise DownloadError(f"{repo}/{path} is not a file name DeskSeek can save.")
    return Path(dest_root).joinpath(*parts)


def pull(request: PullRequest, control: DownloadControl | None = None,
         on_progress: Callable[[Progress], None] | None = None,
         retry_delays: tuple[float, ...] | None = None) -> Path:
    """Download every file of `request` and return the first one's final path."""
    control = control or DownloadControl()
    client = HubClient(request.endpoint, token=request.token or False)

    def locate(path: str) -> DownloadSource:
        return locate_source(client, request.repo, path, request.revision)

    remotes = [locate(path) for path in request.files]
    total = sum(r.size for r in remotes)
    dests = [local_path(request.dest_root, request.repo, r.path) for r in remotes]
    check_space(_existing_parent(dests[0]), total - sum(_bytes_kept(d, r) for d, r in zip(dests, remotes)),
                request.files[0])
    meter = ProgressMeter(total, on_progress)
    before = 0
    for remote, dest in zip(remotes, dests):
        kw = {"retry_delays": retry_delays} if retry_delays is not None else {}
        download_file(remote, dest, control=control, on_bytes=lambda n, base=before: meter.update(base + n),
                      refresh=lambda path=remote.path: locate(path), **kw)
        before += remote.size
    meter.update(total, force=True)
    return dests[0]


def interrupted_downloads(dest_root: Path) -> list[PullRequest]:
    """Downloads stopped before they finished (paused, killed, the app closed): one request per
    model, found from the partial files' sidecars, so a new session can offer to continue them.
    The token is not kept there: add it (`dataclasses.replace(request, token=...)`) to resume."""
    found: dict[tuple[str, str], PullRequest] = {}
    for sidecar in sorted(Path(dest_root).rglob("*.part.json")):
        record = read_sidecar(sidecar) or {}
        repo, path, endpoint = record.get("repo"), record.get("path"), record.get("endpoint")
        if not (isinstance(repo, str) and isinstance(path, str) and isinstance(endpoint, str) and endpoint):
            continue
        try:
            if sidecar != sidecar_path(local_path(dest_root, repo, path)):
                continue  # a sidecar that does not describe the file next to it
        except DownloadError:
            continue
        request = PullRequest.for_file(repo, path, endpoint, dest_root, revision=record.get("revision") or "main")
        found.setdefault((repo, request.files[0]), request)
    return list(found.values())


def _bytes_kept(dest: Path, remote: DownloadSource) -> int:
    """What an earlier run left that will not be fetched again (a finished file, or a partial one)."""
    try:
        if dest.stat().st_size == remote.size:
            return remote.size
    except OSError:
        pass
    try:
        if sidecar_path(dest).exists():
            return min(remote.size, part_path(dest).stat().st_size)
    except OSError:
        pass
    return 0


def _existing_parent(path: Path) -> Path:
    """The nearest folder that exists: the free-space probe needs a real path before mkdir."""
    for parent in path.parents:
        if parent.exists():
            return parent
    return Path(os.sep)
