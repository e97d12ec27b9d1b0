"""Where models already are on this machine: DeskSeek's own folder, the user's folders, and the
folders other apps download into. Only paths here; the scanners read them.

Layouts (read from each project's public docs and code): the Hugging Face cache keeps
`models--OWNER--NAME/snapshots/COMMIT/…` (HF_HUB_CACHE, else HF_HOME/hub, else
~/.cache/huggingface/hub); LM Studio `~/.lmstudio/models/PUBLISHER/REPO/*.gguf` (before 0.3:
~/.cache/lm-studio/models); GPT4All a flat `~/.local/share/nomic.ai/GPT4All/*.gguf`; Jan
`~/jan/models/ID/*.gguf` (older) and `~/.local/share/Jan/data/{models,llamacpp/models}/…`; Ollama
`~/.ollama/models` (OLLAMA_MODELS) with manifests naming sha256 blobs.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Mapping

# The app a folder belongs to, as the library shows it (proper names, not translated).
DESKSEEK, USER, HF_CACHE, LM_STUDIO, GPT4ALL, JAN, OLLAMA = (
    "DeskSeek", "Your folder", "Hugging Face cache", "LM Studio", "GPT4All", "Jan", "Ollama")


@dataclass(frozen=True)
class Location:
    source: str
    path: Path
    kind: Literal["folder", "hf_cache", "ollama"]
    own: bool = False  # DeskSeek's own downloads: the only files it may delete


def hf_hub_cache(env: Mapping[str, str], home: Path) -> Path:
    if env.get("HF_HUB_CACHE"):
        return Path(env["HF_HUB_CACHE"]).expanduser()
    if env.get("HF_HOME"):
        return Path(env["HF_HOME"]).expanduser() / "hub"
    xdg = env.get("XDG_CACHE_HOME")
    return (Path(xdg).expanduser() if xdg else home / ".cache") / "huggingface" / "hub"


def other_apps(env: Mapping[str, str] | None = None, home: Path | None = None) -> list[Location]:
    env = os.environ if env is None else env
    home = Path.home() if home is None else home
    share = Path(env["XDG_DATA_HOME"]).expanduser() if env.get("XDG_DATA_HOME") else home / ".local" / "share"
    ollama = Path(env["OLLAMA_MODELS"]).expanduser() if env.get("OLLAMA_MODELS") else home / ".ollama" / "models"
    return [
        Location(HF_CACHE, hf_hub_cache(env, home), "hf_cache"),
        Location(LM_STUDIO, home / ".lmstudio" / "models", "folder"),
        Location(LM_STUDIO, home / ".cache" / "lm-studio" / "models", "folder"),
        Location(GPT4ALL, share / "nomic.ai" / "GPT4All", "folder"),
        Location(JAN, home / "jan" / "models", "folder"),
        Location(JAN, share / "Jan" / "data" / "models", "folder"),
        Location(JAN, share / "Jan" / "data" / "llamacpp" / "models", "folder"),
        Location(OLLAMA, ollama, "ollama"),
    ]


def all_locations(models_dir: Path, user_folders: list[str], env: Mapping[str, str] | None = None,
                  home: Path | None = None) -> list[Location]:
    """DeskSeek's own first (a file found twice keeps its first, most deletable, owner)."""
    return [Location(DESKSEEK, Path(models_dir), "folder", own=True),
            *(Location(USER, Path(p).expanduser(), "folder") for p in user_folders),
            *other_apps(env, home)]
