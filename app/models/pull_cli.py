"""`deskseek pull OWNER/REPO[/PATH.gguf | :QUANT] [--dir DIR] [--endpoint URL]`.

Downloads with the same code as the window's queue (`app.models.pull.pull`): resumable (run it
again after a kill and it continues), verified against the Hub's sha256. Progress goes to
stderr; the final path (the first shard's, for a split model) is the last line on stdout.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from app.models.endpoint import DEFAULT_ENDPOINT, resolve_endpoint, stored_endpoint
from app.models.gguf_names import shard_names
from app.models.hub import HubClient
from app.models.progress import Progress, format_bytes
from app.models.pull import PullRequest, pull
from app.models.pull_spec import PullSpec, choose, parse_spec
from app.models.tokens import load_token
from runtime.types import DeskSeekError


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
    endpoint = resolve_endpoint(args.endpoint, stored_endpoint())
    token = load_token(endpoint)
    spec = parse_spec(args.model)
    files = shard_names(spec.path) if spec.path else _chosen_files(spec, HubClient(endpoint, token or False),
                                                                   args.revision)
    dest_root = args.dir if args.dir else _models_dir()
    return PullRequest(repo=spec.repo, files=files, endpoint=endpoint, dest_root=dest_root,
                       revision=args.revision, token=token)


def _models_dir() -> Path:
    from app.paths import app_paths

    return app_paths().models_dir


def _chosen_files(spec: PullSpec, client: HubClient, revision: str) -> tuple[str, ...]:
    """`:QUANT` by name; the repository alone: the planner's recommendation for this machine."""
    from app.models.remote_plan import plan_repo, repo_models  # the planner and numpy: only when listing

    if spec.quant:
        models = repo_models(client.repo_files(spec.repo, revision))
        return _paths(choose(spec, models))
    from app.models.remote_header import HeaderCache
    from app.paths import app_paths
    from runtime.hardware import probe

    planned = plan_repo(client, spec.repo, probe(), cache=HeaderCache(app_paths().cache), revision=revision)
    if planned.recommended is not None:
        print(f"The planner recommends {planned.recommended.model.path} for this machine: "
              f"{planned.recommended.summary}", file=sys.stderr)
        return _paths(planned.recommended.model)
    chosen = choose(spec, [v.model for v in planned.verdicts])
    print(f"Nothing in {spec.repo} fits this machine by the planner; taking {chosen.path} "
          "(Q4_K_M or the nearest quantization). Pick another with :QUANT.", file=sys.stderr)
    return _paths(chosen)


def _paths(model) -> tuple[str, ...]:
    return tuple(f.path for f in model.files)


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
        line = (f"{100 * p.fraction:5.1f}%  {format_bytes(p.done)} of {format_bytes(p.total)}"
                + (f"  {format_bytes(p.rate)}/s" if p.rate else "")
                + (f"  {_duration(p.eta)} left" if p.eta is not None and p.done < p.total else ""))
        self.stream.write(("\r" + line.ljust(60)) if self.tty else line + "\n")
        self._open_line = self.tty
        self.stream.flush()

    def end(self) -> None:
        """Finish the line rewritten in place, so what follows starts on its own line."""
        if self._open_line:
            self.stream.write("\n")
            self._open_line = False


def _duration(seconds: float) -> str:
    s = int(seconds + 0.5)
    return f"{s // 3600}h {s % 3600 // 60:02d}m" if s >= 3600 else f"{s // 60}m {s % 60:02d}s" if s >= 60 else f"{s}s"
