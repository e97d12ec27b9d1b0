"""The models the user opened lately: GGUF files, Hugging Face folders and server addresses,
most recent first, kept as a JSON list in the store's settings table.

Qt-free, so the Models menu today (and the model library to come) and the tests share it. The
embedded default model is not listed: the menu always offers it on its own line.
"""
from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from typing import Callable, Literal, Protocol

from runtime.default_model import is_default_model
from runtime.loading import is_server_url

log = logging.getLogger(__name__)

RECENT_KEY = "recent_models"
MAX_RECENT = 10


class SettingsStore(Protocol):
    def get_setting(self, key: str, default: str | None = None) -> str | None: ...
    def set_setting(self, key: str, value: str) -> None: ...


@dataclass(frozen=True)
class RecentModel:
    path: str  # a .gguf file, a model folder, or a server URL, as it was loaded
    kind: Literal["file", "folder", "server"]
    missing: bool  # a file or folder that is no longer there (deleted, or on an unplugged drive)

    @property
    def name(self) -> str:
        """What a menu shows: the file or folder name, or the server's address."""
        if self.kind == "server":
            return self.path
        return os.path.basename(os.path.normpath(self.path)) or self.path


def recent_models(store: SettingsStore, exists: Callable[[str], bool] = os.path.exists) -> list[RecentModel]:
    """Most recent first. Missing files stay listed (marked), so an unplugged drive loses nothing."""
    out = []
    for path in _paths(store):
        if is_server_url(path):
            out.append(RecentModel(path, "server", False))
        else:
            there = exists(path)
            out.append(RecentModel(path, "folder" if there and os.path.isdir(path) else "file", not there))
    return out


def remember(store: SettingsStore, path: str) -> None:
    """Put `path` first (once); the oldest fall off past MAX_RECENT."""
    if not is_server_url(path):
        if is_default_model(path):
            return
        path = os.path.abspath(path)
    paths = [path] + [p for p in _paths(store) if p != path]
    store.set_setting(RECENT_KEY, json.dumps(paths[:MAX_RECENT]))


def forget_missing(store: SettingsStore, exists: Callable[[str], bool] = os.path.exists) -> int:
    """Drop the files and folders that are gone; how many were dropped."""
    paths = _paths(store)
    kept = [p for p in paths if is_server_url(p) or exists(p)]
    store.set_setting(RECENT_KEY, json.dumps(kept))
    return len(paths) - len(kept)


def clear(store: SettingsStore) -> None:
    store.set_setting(RECENT_KEY, "[]")


def _paths(store: SettingsStore) -> list[str]:
    raw = store.get_setting(RECENT_KEY)
    if not raw:
        return []
    try:
        value = json.loads(raw)
    except ValueError:
        log.warning("the recent models list is not JSON; starting it again")
        return []
    if not isinstance(value, list):
        return []
    return [p for p in value if isinstance(p, str) and p][:MAX_RECENT]
