"""The Hub client: search GGUF repos, list a repo's files with size and sha256, locate one file.

Through huggingface_hub's HfApi, always with the endpoint passed explicitly (see endpoint.py).
Its errors become HubError sentences: repository not found, server unreachable, gated (401),
token refused. huggingface_hub's own HTTP client has no timeout and retries a refused connection
for ~20 s; DeskSeek installs one (its documented set_client_factory) that gives up on a refused
connection at once and waits at most 10 s to connect and 60 s for an answer.
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx2
from huggingface_hub import HfApi, get_hf_file_metadata, hf_hub_url, set_client_factory
from huggingface_hub.errors import (GatedRepoError, HfHubHTTPError, OfflineModeIsEnabled, RemoteEntryNotFoundError,
                                    RepositoryNotFoundError, RevisionNotFoundError)
from huggingface_hub.utils import get_session

from app.models.endpoint import host, resolve_endpoint
from app.models.errors import HubError
from app.models.tokens import load_token

_REPO_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")
TIMEOUT = httpx2.Timeout(60.0, connect=10.0)


@dataclass(frozen=True)
class RepoSummary:
    repo_id: str
    downloads: int
    likes: int
    tags: tuple[str, ...]
    gated: bool


@dataclass(frozen=True)
class RemoteFile:
    path: str
    size: int
    sha256: str | None  # the LFS object's digest; None for small files kept in git


@dataclass(frozen=True)
class RepoFiles:
    repo_id: str
    revision: str  # the commit the listing describes: later reads pin it
    gated: bool
    files: tuple[RemoteFile, ...]


@dataclass(frozen=True)
class FileLocation:
    url: str  # where the bytes are: the CDN's signed URL for an LFS file, else the resolve URL
    needs_token: bool  # only when the bytes come from the Hub itself (never sent to a CDN)
    size: int | None
    sha256: str | None
    commit: str | None


class HubUnreachable(Exception):
    """A refused or unresolvable connection (not retried: nothing is listening there)."""


class _FailFastTransport(httpx2.HTTPTransport):
    def handle_request(self, request):
        try:
            return super().handle_request(request)
        except httpx2.ConnectError as exc:
            raise HubUnreachable(str(exc)) from exc


_client_lock = threading.Lock()
_client_installed = False


def install_http_client() -> None:
    """huggingface_hub's shared client, with timeouts and a fast failure on a refused connection."""
    global _client_installed
    with _client_lock:
        if _client_installed:
            return
        from huggingface_hub.utils._http import default_client_factory

        hooks = default_client_factory().event_hooks  # offline mode, request ids: keep the library's

        def factory() -> httpx2.Client:
            return httpx2.Client(event_hooks=hooks, follow_redirects=True, timeout=TIMEOUT,
                                 transport=_FailFastTransport())
        set_client_factory(factory)
        _client_installed = True


def http_session() -> httpx2.Client:
    install_http_client()
    return get_session()


def check_repo_id(repo_id: str) -> str:
    repo_id = repo_id.strip().strip("/")
    if not _REPO_ID.match(repo_id):
        raise HubError(f"{repo_id!r} is not a repository name: write it as OWNER/NAME, e.g. "
                       "unsloth/DeepSeek-R1-Distill-Qwen-7B-GGUF.")
    return repo_id


class HubClient:
    """One endpoint and its token (None: the one in the keyring; False: none)."""

    def __init__(self, endpoint: str | None = None, token: str | bool | None = None) -> None:
        self.endpoint = resolve_endpoint(endpoint)
        self.token = load_token(self.endpoint) if token is None else (token or None)
        install_http_client()
        self._api = HfApi(endpoint=self.endpoint, token=self.token or False)

    def search(self, text: str, limit: int = 30, gguf_only: bool = True) -> list[RepoSummary]:
        """Repos whose name contains `text`, most downloaded first."""
        with self._errors(f"Searching for {text!r}"):
            found = self._api.list_models(search=text.strip() or None, filter="gguf" if gguf_only else None,
                                          sort="downloads", limit=limit)
            return [RepoSummary(m.id, m.downloads or 0, m.likes or 0, tuple(m.tags or ()), bool(m.gated))
                    for m in found]

    def repo_files(self, repo_id: str, revision: str | None = None) -> RepoFiles:
        """Every file of the repo with its size and (LFS files) sha256, at one commit."""
        repo_id = check_repo_id(repo_id)
        with self._errors(f"Listing {repo_id}", repo_id):
            info = self._api.model_info(repo_id, revision=revision, files_metadata=True)
        files = tuple(RemoteFile(s.rfilename, s.size or 0, s.lfs.sha256 if s.lfs else None)
                      for s in info.siblings or ())
        return RepoFiles(repo_id, info.sha or revision or "main", bool(info.gated), files)

    def locate(self, repo_id: str, path: str, revision: str = "main") -> FileLocation:
        """Where one file's bytes are (a HEAD to the Hub; the CDN redirect is not followed)."""
        repo_id = check_repo_id(repo_id)
        url = hf_hub_url(repo_id, path, revision=revision, endpoint=self.endpoint)
        with self._errors(f"Looking up {path} in {repo_id}", repo_id, path):
            meta = get_hf_file_metadata(url, token=self.token or False)
        location = meta.location or url
        same_host = urlsplit(location).netloc == urlsplit(self.endpoint).netloc
        return FileLocation(location, same_host and bool(self.token), meta.size,
                            meta.etag if meta.etag and len(meta.etag) == 64 else None, meta.commit_hash)

    def auth_headers(self, location: FileLocation) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if location.needs_token else {}

    def _errors(self, doing: str, repo_id: str | None = None, path: str | None = None):
        return _Translate(self, doing, repo_id, path)


class _Translate:
    """Turns huggingface_hub's and httpx2's exceptions into one HubError sentence."""

    def __init__(self, client: HubClient, doing: str, repo_id: str | None, path: str | None) -> None:
        self.client, self.doing, self.repo_id, self.path = client, doing, repo_id, path

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind, exc, tb) -> bool:
        if exc is None or isinstance(exc, HubError):
            return False
        sentence = describe(exc, self.client.endpoint, self.repo_id, self.path, bool(self.client.token))
        if sentence is None:
            return False
        raise HubError(f"{self.doing} failed: {sentence}") from None


def describe(exc: BaseException, endpoint: str, repo_id: str | None, path: str | None,
             has_token: bool) -> str | None:
    """The sentence for an exception met while talking to the Hub (None: not a Hub error)."""
    where = host(endpoint)
    if isinstance(exc, OfflineModeIsEnabled):
        return "HF_HUB_OFFLINE is set, so DeskSeek does not go online; unset it to reach the Hub."
    if isinstance(exc, GatedRepoError):
        if has_token:
            return (f"{repo_id} is gated and your token does not open it: accept the model's terms on its "
                    f"page at {where}, with the account the token belongs to.")
        return (f"{repo_id} is gated: accept the model's terms on its page at {where}, then add a Hugging "
                "Face access token (Settings, or `deskseek models login`).")
    if isinstance(exc, RepositoryNotFoundError):
        return (f"the repository {repo_id} does not exist on {where} (or it is private: then add a token "
                "that can read it). Check the spelling: OWNER/NAME.")
    if isinstance(exc, RevisionNotFoundError):
        return f"{repo_id} has no such revision on {where}."
    if isinstance(exc, RemoteEntryNotFoundError):
        return f"{repo_id} has no file {path} on {where}."
    if isinstance(exc, HfHubHTTPError):  # (an OSError too: keep it before the network case)
        status = exc.response.status_code if exc.response is not None else None
        if status == 401:
            return (f"{where} refused the Hugging Face token (401: invalid credentials). Replace it with a "
                    "current access token, or remove it.")
        return f"{where} answered with an error ({status or 'no status'}): {str(exc).splitlines()[0]}"
    if isinstance(exc, (HubUnreachable, httpx2.TransportError, OSError)):
        kind = "did not answer in time" if isinstance(exc, httpx2.TimeoutException) else "cannot be reached"
        return (f"{where} {kind} ({endpoint}). Check the network connection, or the endpoint setting "
                "if you use a mirror.")
    return None
