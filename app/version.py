"""DeskSeek's version: the one in pyproject.toml, as the installed package reports it."""
from __future__ import annotations

import importlib.metadata


def deskseek_version() -> str:
    try:
        return importlib.metadata.version("deskseek")
    except importlib.metadata.PackageNotFoundError:  # run from a source tree that was never installed
        return "0+unknown"
