"""What the Hub says about one file before any byte of it is fetched.

`HEAD {endpoint}/{repo}/resolve/{revision}/{path}` is asked without following an absolute
redirect (as huggingface_hub does): an LFS file answers 302 to its CDN with X-Linked-Etag (the
sha256), X-Linked-Size and X-Repo-Commit; a small git file answers 200 with its git blob sha1 as
the ETag. A relative redirect (a renamed repository) is followed on the same host.
"""
from __future__ import annotations

import re
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import quote, urljoin, urlsplit

from app.models.download_errors import ConnectionLostError, DownloadError, NotFoundError

TIMEOUT_S = 30
USER_AGENT = "DeskSeek/0.1 (model download)"
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_SHA1 = re.compile(r"^[0-9a-f]{40}$")
_NOT_FOUND_CODES = {"RepoNotFound", "EntryNotFound", "RevisionNotFound"}


@dataclass(frozen=True)
class RemoteFile:
    repo: str
    path: str  # inside the repository
    url: str  # the resolve URL on the endpoint
    data_url: str  # where the bytes are: the CDN target of the redirect, or `url` itself
    size: int
    digest: str  # hex
    digest_kind: str  # "sha256" (LFS) or "git-sha1" (a small file kept in git)
    commit: str | None


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # urllib then raises HTTPError with the 3xx response, headers and all


no_redirect_opener = urllib.request.build_opener(_NoRedirect)


def resolve_url(endpoint: str, repo: str, revision: str, path: str) -> str:
    return f"{endpoint.rstrip('/')}/{repo}/resolve/{quote(revision, safe='')}/{quote(path)}"


def head_file(endpoint: str, repo: str, path: str, revision: str = "main",
              token: str | None = None) -> RemoteFile:
    """The file's size, checksum, commit and download location; a sentence when it is not there."""
    url = resolve_url(endpoint, repo, revision, path)
    target = url
    for _ in range(5):  # relative redirects only: a renamed repository
        status, headers = _head(target, auth_headers(token, target, endpoint))
        location = headers.get("Location")
        if 300 <= status < 400 and location:
            next_url = urljoin(target, location)
            if same_host(next_url, endpoint):
                target = next_url
                continue
        break
    code = headers.get("X-Error-Code")
    if status == 404 or (status >= 400 and code in _NOT_FOUND_CODES):  # the Hub says 401 for a missing repo
        raise _not_found(code, endpoint, repo, revision, path)
    if status in (401, 403):
        raise DownloadError(f"{repo} is gated or private on {endpoint} (HTTP {status}): accept its licence "
                            "on the Hub and save an access token in DeskSeek's settings.")
    if not (200 <= status < 400):
        raise DownloadError(f"{endpoint} answered HTTP {status} for {repo}/{path}.")
    data_url = urljoin(target, location) if 300 <= status < 400 and location else target
    return _describe(repo, path, url, data_url, headers, endpoint)


def _describe(repo: str, path: str, url: str, data_url: str, headers, endpoint: str) -> RemoteFile:
    linked = _clean_etag(headers.get("X-Linked-Etag"))
    etag = _clean_etag(headers.get("ETag"))
    size_text = headers.get("X-Linked-Size") or headers.get("Content-Length")
    if linked and _SHA256.match(linked):
        digest, kind = linked, "sha256"
    elif not linked and etag and _SHA256.match(etag):
        digest, kind = etag, "sha256"
    elif not linked and etag and _SHA1.match(etag):
        digest, kind = etag, "git-sha1"
    else:
        raise DownloadError(f"{endpoint} gave no checksum for {repo}/{path}, so DeskSeek cannot verify "
                            "it and will not download it (is the endpoint a Hugging Face mirror?).")
    if not size_text or not size_text.isdigit():
        raise DownloadError(f"{endpoint} gave no size for {repo}/{path}; it cannot be downloaded safely.")
    return RemoteFile(repo=repo, path=path, url=url, data_url=data_url, size=int(size_text),
                      digest=digest, digest_kind=kind, commit=headers.get("X-Repo-Commit"))


def _head(url: str, headers: dict[str, str]):
    request = urllib.request.Request(url, method="HEAD", headers={
        "User-Agent": USER_AGENT, "Accept-Encoding": "identity", **headers})
    try:
        with no_redirect_opener.open(request, timeout=TIMEOUT_S) as response:
            return response.status, response.headers
    except urllib.error.HTTPError as exc:
        exc.close()
        return exc.code, exc.headers
    except (urllib.error.URLError, OSError) as exc:
        raise unreachable(url, exc) from None


def unreachable(url: str, exc: BaseException) -> ConnectionLostError:
    reason = getattr(exc, "reason", exc)
    if isinstance(reason, socket.timeout) or isinstance(exc, TimeoutError):
        why = "it did not answer in time"
    elif isinstance(reason, ConnectionRefusedError):
        why = "the connection was refused (is the server down?)"
    elif isinstance(reason, socket.gaierror):
        why = "its name could not be resolved (are you offline?)"
    else:
        why = str(reason) or type(reason).__name__
    host = urlsplit(url).netloc
    return ConnectionLostError(f"Cannot reach {host}: {why}.")


def _not_found(code: str | None, endpoint: str, repo: str, revision: str, path: str) -> NotFoundError:
    if code == "RevisionNotFound":
        return NotFoundError(f"{repo} has no revision {revision!r} on {endpoint}.")
    if code == "EntryNotFound":
        return NotFoundError(f"{repo} has no file {path} (revision {revision}) on {endpoint}.")
    if code == "RepoNotFound" or code is None:
        return NotFoundError(f"There is no repository {repo} on {endpoint} (or it is private: save an "
                             "access token in DeskSeek's settings).")
    return NotFoundError(f"{endpoint} cannot find {repo}/{path} ({code}).")


def _clean_etag(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip()
    if value.startswith("W/"):
        value = value[2:]
    return value.strip('"').lower() or None


def same_host(url: str, endpoint: str) -> bool:
    a, b = urlsplit(url), urlsplit(endpoint)
    return (a.scheme, a.netloc.lower()) == (b.scheme, b.netloc.lower())


def auth_headers(token: str | None, url: str, endpoint: str) -> dict[str, str]:
    """The token goes to the endpoint only, never to the CDN host a redirect points at."""
    return {"Authorization": f"Bearer {token}"} if token and same_host(url, endpoint) else {}
