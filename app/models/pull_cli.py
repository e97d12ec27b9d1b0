"""`deskseek pull OWNER/REPO[/PATH.gguf | :QUANT] [--dir DIR] [--endpoint URL]`.

Downloads with the same code as the window's queue (`app.models.pull.pull`): resumable (run it
again after a kill and it continues), verified against the Hub's sha256. Progress goes to
stderr; the final path (the first shard's, for a split model) is the last line on stdout.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

from app.models.download_errors import DownloadError, NotFoundError
from app.models.gguf_names import group_models, shard_names
from app.models.progress import Progress
from app.models.pull import PullRequest, pull
from app.models.pull_spec import PullSpec, choose, parse_spec
from app.models.remote_file import TIMEOUT_S, USER_AGENT, auth_headers, unreachable
from runtime.planning.words import size as human
from runtime.types import DeskSeekError

DEFAULT_ENDPOINT = "https://huggingface.co"


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="deskseek pull", description=(
        "Download a GGUF model from the Hugging Face Hub (or a mirror): resumable, checked against "
        "the Hub's sha256. Prints the downloaded file's path as its last line."))
    p.add_argument("model", metavar="OWNER/REPO[/PATH.gguf | :QUANT]",
                   help="a repository (its recommended file), a file in it, or a quantization, "
                        "e.g. bartowski/DeepSeek-R1-Distill-Qwen-7B-GGUF:Q4_K_M")
    p.add_argument("--dir", type=Path, help="the models folder (default: DeskSeek's, under its data folder)")
    p.add_argument("--endpoint", help="the Hub or a mirror (default: the setting, else HF_ENDPOINT, "
                                      f"else {DEFAULT_ENDPOINT})")
    p.add_argument("--revision", default="main", help="a branch, tag or commit (default: main)")
    return p


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    progress = StderrProgress()
    try:
        request = plan_pull(args)
        print(f"Downloading {request.repo}/{request.files[0]}"
              + (f" ({len(request.files)} files)" if len(request.files) > 1 else "")
              + f" to {request.first_path.parent}", file=sys.stderr)
        path = pull(request, on_progress=progress)
    except DeskSeekError as exc:
        progress.end()
        print(f"deskseek: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        progress.end()
        print("deskseek: stopped; the partial file is kept: run the same command again to continue.",
              file=sys.stderr)
        return 130
    progress.end()
    print(path)
    return 0


def plan_pull(args) -> PullRequest:
    """Which files the command line means, and where they go."""
    endpoint = resolve_endpoint(args.endpoint)
    token = None
    spec = parse_spec(args.model)
    files = shard_names(spec.path) if spec.path else _chosen_files(spec, endpoint, args.revision, token)
    dest_root = args.dir if args.dir else _models_dir()
    return PullRequest(repo=spec.repo, files=files, endpoint=endpoint, dest_root=dest_root,
                       revision=args.revision, token=token)


def resolve_endpoint(explicit: str | None) -> str:
    return (explicit or os.environ.get("HF_ENDPOINT") or DEFAULT_ENDPOINT).rstrip("/")


def _models_dir() -> Path:
    from app.paths import app_paths

    return app_paths().models_dir


def _chosen_files(spec: PullSpec, endpoint: str, revision: str, token: str | None) -> tuple[str, ...]:
    models = group_models(_list_files(endpoint, spec.repo, revision, token))
    return choose(spec, models).files


def _list_files(endpoint: str, repo: str, revision: str, token: str | None) -> list[str]:
    url = f"{endpoint}/api/models/{repo}/tree/{quote(revision, safe='')}?recursive=true"
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT,
                                                   **auth_headers(token, url, endpoint)})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
            entries = json.load(response)
    except urllib.error.HTTPError as exc:
        if exc.code in (401, 404):
            raise NotFoundError(f"There is no repository {repo} on {endpoint} (or it is private).") from None
        raise DownloadError(f"{endpoint} answered HTTP {exc.code} when listing {repo}.") from None
    except (urllib.error.URLError, OSError) as exc:
        raise unreachable(url, exc) from None
    return [e["path"] for e in entries if e.get("type") == "file"]


class StderrProgress:
    """One line rewritten in place on a terminal; a line every few seconds into a file or pipe."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self._last_time = float("-inf")
        self._last_done = -1
        self._open_line = False

    def __call__(self, p: Progress) -> None:
        now = time.monotonic()
        if p.done == self._last_done or (not self.tty and now - self._last_time < 2.0 and p.done < p.total):
            return
        self._last_time, self._last_done = now, p.done
        line = (f"{100 * p.fraction:5.1f}%  {human(p.done)} of {human(p.total)}"
                + (f"  {_rate(p.rate)}" if p.rate else "")
                + (f"  {_duration(p.eta)} left" if p.eta is not None and p.done < p.total else ""))
        self.stream.write(("\r" + line.ljust(60)) if self.tty else line + "\n")
        self._open_line = self.tty
        self.stream.flush()

    def end(self) -> None:
        """Finish the line rewritten in place, so what follows starts on its own line."""
        if self._open_line:
            self.stream.write("\n")
            self._open_line = False


def _rate(bytes_per_s: float) -> str:
    return f"{bytes_per_s / 1024:.0f} KiB/s" if bytes_per_s < 2**20 else f"{human(bytes_per_s)}/s"


def _duration(seconds: float) -> str:
    s = int(seconds + 0.5)
    return f"{s // 3600}h {s % 3600 // 60:02d}m" if s >= 3600 else f"{s // 60}m {s % 60:02d}s" if s >= 60 else f"{s}s"
