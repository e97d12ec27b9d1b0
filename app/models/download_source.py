"""Where one file's bytes are and what they must hash to, as the downloader needs it.

Asked of the Hub by `HubClient.locate` (a HEAD that does not follow the redirect to the CDN:
X-Linked-Etag is the sha256, X-Linked-Size the size, X-Repo-Commit the commit). A file the Hub
gives no sha256 for is refused: DeskSeek never keeps what it cannot verify.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from app.models.download_errors import DownloadError
from app.models.hub import HubClient


@dataclass(frozen=True)
class DownloadSource:
    repo: str
    path: str  # inside the repository
    url: str  # where the bytes are: the CDN's signed URL for an LFS file
    size: int
    sha256: str
    commit: str | None
    endpoint: str = ""  # where it was asked for, and at which revision: a sidecar keeps them so an
    revision: str = "main"  # interrupted download can be offered again after a restart
    headers: dict[str, str] = field(default_factory=dict, repr=False, compare=False)  # the token, Hub host only


def locate_source(client: HubClient, repo: str, path: str, revision: str = "main") -> DownloadSource:
    """Ask the Hub about one file (a HubError sentence when it is not there or not reachable)."""
    where = client.locate(repo, path, revision)
    if not where.sha256 or where.size is None:
        raise DownloadError(f"{client.endpoint} gives no sha256 for {repo}/{path}, so DeskSeek cannot verify it "
                            "and does not download it (is the endpoint a Hugging Face mirror?).")
    return DownloadSource(repo=repo, path=path, url=where.url, size=where.size, sha256=where.sha256,
                          commit=where.commit, endpoint=client.endpoint, revision=revision,
                          headers=client.auth_headers(where))
