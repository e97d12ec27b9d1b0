"""Model candidates in a folder tree: GGUF files (a split GGUF once, by its first shard) and
Hugging Face folders (config.json beside *.safetensors). Names and stat only; no file is opened."""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Iterator

MAX_DEPTH = 6  # LM Studio's PUBLISHER/REPO/file is 3; deeper trees are not model folders
_SHARD = re.compile(r"-(\d{5})-of-\d{5}\.gguf$", re.IGNORECASE)


def model_paths(root: Path) -> Iterator[Path]:
    if not root.is_dir():
        return
    base_depth = len(root.parts)
    for folder, dirs, files in os.walk(root, followlinks=False):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        if "config.json" in files and any(f.endswith(".safetensors") for f in files):
            yield here
        for name in sorted(files):
            if is_model_file(name):
                yield here / name
        if len(here.parts) - base_depth >= MAX_DEPTH:
            dirs[:] = []


def is_model_file(name: str) -> bool:
    """A .gguf, or the first shard of a split one (the others come with it); partial downloads
    (.part, .incomplete, .download) end otherwise and are never listed."""
    if not name.lower().endswith(".gguf") or name.startswith("."):
        return False
    shard = _SHARD.search(name)
    return shard is None or shard.group(1) == "00001"
