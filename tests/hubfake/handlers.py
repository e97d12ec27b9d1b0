"""The two request handlers: the Hub (API + resolve) and the CDN it redirects LFS files to.

Errors take the Hub's shape: a JSON body {"error": "..."} with X-Error-Code (RepoNotFound,
RevisionNotFound, EntryNotFound, GatedRepo) and X-Error-Message headers, which is what
huggingface_hub's hf_raise_for_status() reads to choose its exception class.
"""
from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, quote, unquote, urlsplit

from tests.hubfake.faults import RequestRecord
from tests.hubfake.serve_file import send_file

PAGE_LIMIT = 1000  # the Hub's page size for /api/models


class _Base(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 30  # an idle keep-alive connection ends its thread
    server_name_ = "hub"

    @property
    def hub(self):
        return self.server.hub

    def log_message(self, *args) -> None:  # quiet: the request log is hub.requests
        pass

    def _record(self) -> RequestRecord:
        r = RequestRecord(self.server_name_, self.command, self.path, self.headers.get("Range"), 0,
                          authorization=bool(self.headers.get("Authorization")))
        self.hub.log(r)
        return r

    def _json(self, rec: RequestRecord, status: int, body, headers: dict[str, str] | None = None) -> None:
        raw = json.dumps(body).encode()
        rec.status = status
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(raw)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(raw)
            rec.bytes_sent = len(raw)

    def _error(self, rec: RequestRecord, status: int, code: str | None, message: str) -> None:
        headers = {"X-Error-Message": message} | ({"X-Error-Code": code} if code else {})
        self._json(rec, status, {"error": message}, headers)

    def _failure(self, rec: RequestRecord) -> bool:
        status = self.hub.faults.take_failure(self.path, self.server_name_)
        if status is None:
            return False
        self._error(rec, status, None, f"Injected failure {status}")
        return True


class HubHandler(_Base):
    def do_GET(self) -> None:
        self._route(head=False)

    def do_HEAD(self) -> None:
        self._route(head=True)

    def _route(self, head: bool) -> None:
        rec = self._record()
        if self._failure(rec):
            return
        url = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        parts = [unquote(p) for p in url.path.split("/")[1:]]
        token = (self.headers.get("Authorization") or "").removeprefix("Bearer ").strip()
        if token and token not in self.hub.tokens:
            return self._error(rec, 401, None, "Invalid credentials in Authorization header")
        if parts[:2] == ["api", "models"] and len(parts) == 2:
            return self._search(rec, query, url.query)
        if parts[:2] == ["api", "models"] and len(parts) >= 4:
            repo = self._repo(rec, "/".join(parts[2:4]), token)
            if repo is None:
                return
            rest = parts[4:]
            if not rest:
                return self._json(rec, 200, repo.info_json(_true(query.get("blobs"))))
            if rest[0] in ("revision", "tree") and len(rest) >= 2:
                if not self._revision(rec, repo, rest[1]):
                    return
                if rest[0] == "revision" and len(rest) == 2:
                    return self._json(rec, 200, repo.info_json(_true(query.get("blobs"))))
                if rest[0] == "tree":
                    tree = repo.tree_json("/".join(rest[2:]), _true(query.get("recursive")))
                    if tree is None:
                        return self._error(rec, 404, "EntryNotFound", "Entry not found")
                    return self._json(rec, 200, tree)
        if len(parts) >= 5 and parts[2] == "resolve":
            return self._resolve(rec, "/".join(parts[:2]), parts[3], "/".join(parts[4:]), token, head)
        self._error(rec, 404, None, "Sorry, we can't find the page you are looking for.")

    def _repo(self, rec, repo_id: str, token: str):
        repo = self.hub.repos.get(repo_id)
        if repo is None or (repo.private and not token):
            self._error(rec, 404, "RepoNotFound", "Repository not found")
            return None
        return repo

    def _revision(self, rec, repo, rev: str) -> bool:
        if rev in ("main", repo.sha):
            return True
        self._error(rec, 404, "RevisionNotFound", f"Invalid rev id: {rev}")
        return False

    def _search(self, rec, query: dict[str, str], raw_query: str) -> None:
        text = query.get("search", "").lower()
        filters = [f for k, vs in parse_qs(raw_query).items() if k == "filter" for f in vs]
        author = query.get("author")
        found = [r for _, r in sorted(self.hub.repos.items()) if not r.private
                 and text in r.repo_id.lower() and all(f in r.all_tags() for f in filters)
                 and (author is None or r.repo_id.split("/")[0] == author)]
        if query.get("sort") in ("downloads", "likes"):
            found.sort(key=lambda r: -getattr(r, query["sort"]))
        limit = min(int(query.get("limit") or PAGE_LIMIT), PAGE_LIMIT)
        cursor = int(query.get("cursor") or 0)
        page = found[cursor:cursor + limit]
        headers = {}
        if cursor + limit < len(found):
            nxt = f"{self.hub.url}/api/models?{raw_query}&cursor={cursor + limit}"
            headers["Link"] = f'<{nxt}>; rel="next"'
        full = _true(query.get("full")) or "siblings" in parse_qs(raw_query).get("expand", [])
        self._json(rec, 200, [r.summary_json(full) for r in page], headers)

    def _resolve(self, rec, repo_id: str, rev: str, path: str, token: str, head: bool) -> None:
        repo = self._repo(rec, repo_id, token)
        if repo is None or not self._revision(rec, repo, rev):
            return
        f = repo.files.get(path)
        if f is None:
            return self._error(rec, 404, "EntryNotFound", "Entry not found")
        if repo.gated and not token:
            return self._error(rec, 401, "GatedRepo",
                               f"Access to model {repo_id} is restricted. You must have access to it "
                               "and be authenticated to access it. Please log in.")
        common = {"X-Repo-Commit": repo.sha, "Content-Disposition": f'inline; filename="{path.split("/")[-1]}"'}
        if not f.is_lfs:
            return send_file(self, f.source, common | {"ETag": f'"{f.blob_id}"'}, self.hub.faults, rec, head)
        location = (f"{self.hub.cdn_url}/repos/{f.sha256[:2]}/{f.sha256[2:4]}/{f.sha256}"
                    f"?response-content-disposition={quote('attachment; filename=' + path.split('/')[-1])}"
                    f"&X-Amz-Expires=3600&X-Amz-Signature=g{self.hub.faults.url_generation}")
        body = f"Found. Redirecting to {location}".encode()
        rec.status = 302
        self.send_response(302)
        for k, v in (common | {"Location": location, "ETag": f'"{f.sha256}"',
                               "X-Linked-Etag": f'"{f.sha256}"', "X-Linked-Size": str(f.size),
                               "Content-Type": "text/plain; charset=utf-8",
                               "Content-Length": str(len(body))}).items():
            self.send_header(k, v)
        self.end_headers()
        if not head:
            self.wfile.write(body)
            rec.bytes_sent = len(body)


class CdnHandler(_Base):
    server_name_ = "cdn"

    def do_GET(self) -> None:
        self._serve(head=False)

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def _serve(self, head: bool) -> None:
        rec = self._record()
        if self._failure(rec):
            return
        url = urlsplit(self.path)
        sig = parse_qs(url.query).get("X-Amz-Signature", [""])[-1]
        if sig != f"g{self.hub.faults.url_generation}":
            return self._error(rec, 403, None, "Request has expired")
        f = self.hub.file_by_sha256(url.path.rsplit("/", 1)[-1])
        if f is None:
            return self._error(rec, 404, None, "NoSuchKey")
        send_file(self, f.source, {"ETag": f'"{f.sha256}"'}, self.hub.faults, rec, head)


def _true(value: str | None) -> bool:
    return (value or "").lower() in ("1", "true", "yes")
