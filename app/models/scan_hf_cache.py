"""Models in the Hugging Face cache: `models--OWNER--NAME/snapshots/COMMIT/…`, the commit that
refs/main names (else the newest snapshot), so an old revision is not listed twice."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

from app.models.scan_folder import model_paths


def hf_cache_models(cache: Path) -> Iterator[tuple[Path, str]]:
    """(path, "OWNER/NAME") for each model file or folder in the cache."""
    if not cache.is_dir():
        return
    for repo in sorted(cache.glob("models--*")):
        snapshot = current_snapshot(repo)
        if snapshot is None:
            continue
        repo_id = "/".join(repo.name.split("--")[1:])
        for path in model_paths(snapshot):
            yield path, repo_id


def current_snapshot(repo: Path) -> Path | None:
    ref = repo / "refs" / "main"
    try:
        commit = ref.read_text(encoding="utf-8").strip()
        if (repo / "snapshots" / commit).is_dir():
            return repo / "snapshots" / commit
    except OSError:
        pass
    snapshots = [p for p in (repo / "snapshots").glob("*") if p.is_dir()]
    return max(snapshots, key=lambda p: p.stat().st_mtime, default=None)
