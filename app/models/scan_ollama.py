"""Ollama's models as GGUF files: each manifest (`manifests/HOST/NAMESPACE/NAME/TAG`, JSON) names
its layers; the one with mediaType application/vnd.ollama.image.model is the GGUF, stored as
`blobs/sha256-HEX`. Ollama's own files are only read."""
from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Iterator

log = logging.getLogger(__name__)
MODEL_LAYER = "application/vnd.ollama.image.model"
DEFAULT_HOST, DEFAULT_NAMESPACE = "registry.ollama.ai", "library"


def ollama_models(models: Path) -> Iterator[tuple[Path, str]]:
    """(blob path, "NAME:TAG") for every manifest whose model blob is present."""
    manifests = models / "manifests"
    if not manifests.is_dir():
        return
    seen: set[Path] = set()
    for manifest in sorted(p for p in manifests.rglob("*") if p.is_file()):
        parts = manifest.relative_to(manifests).parts
        if len(parts) != 4:  # HOST/NAMESPACE/NAME/TAG
            continue
        try:
            layers = json.loads(manifest.read_text(encoding="utf-8")).get("layers", [])
            digest = next(l["digest"] for l in layers if l.get("mediaType") == MODEL_LAYER)
        except (OSError, ValueError, StopIteration, KeyError, TypeError, AttributeError) as exc:
            log.info("skipping Ollama manifest %s: %s", manifest, exc)
            continue
        blob = models / "blobs" / str(digest).replace(":", "-")
        if blob.is_file() and blob not in seen:
            seen.add(blob)
            yield blob, display_name(*parts)


def display_name(host: str, namespace: str, name: str, tag: str) -> str:
    """As `ollama list` shows it: deepseek-r1:7b, user/model:tag, hf.co/owner/repo:Q4_K_M."""
    prefix = "" if host == DEFAULT_HOST else f"{host}/"
    prefix += "" if namespace == DEFAULT_NAMESPACE and host == DEFAULT_HOST else f"{namespace}/"
    return f"{prefix}{name}:{tag}"
