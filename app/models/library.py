"""One list of the models on this machine, wherever they came from, each with what the planner
says about running it here.

`find_models` only walks folders (names and stat); `describe` reads each model's header through
runtime.modelfile.inspect (a few MB at most, whatever the size) and runs the real planner. Both
can take seconds on a big disk, so the window calls them off the GUI thread. Qt-free.
"""
from __future__ import annotations

import json
import logging
import os
import shutil
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable

from app.models.locations import Location, all_locations
from app.models.scan_folder import model_paths
from app.models.scan_hf_cache import hf_cache_models
from app.models.scan_ollama import ollama_models
from runtime.hardware import HardwareInfo, probe
from runtime.modelfile import inspect
from runtime.hardware.disk import read_speed
from runtime.planner import PlanPreferences
from runtime.planning.mmap_plan import plan_with_disk
from runtime.planning.summary import one_line
from runtime.types import ModelFileError, Plan

log = logging.getLogger(__name__)
FOLDERS_KEY = "model_folders"  # the store setting: the folders the user added, a JSON list


@dataclass(frozen=True)
class Found:
    """A model's place, before any file is read."""
    path: str  # the file, the first shard of a split GGUF, or a Hugging Face folder
    name: str
    source: str
    own: bool


@dataclass(frozen=True)
class LibraryModel:
    path: str
    name: str
    source: str
    own: bool
    size_bytes: int = 0  # every shard together
    arch: str = ""
    quant: str = ""
    general_name: str = ""  # the file's own name for itself (GGUF general.name)
    fits: bool = False
    verdict: str = ""  # the planner's sentence for this machine, or why it cannot run
    summary: str = ""  # the chosen plan in one line (runtime.planning.summary), "" when nothing fits
    plan: Plan | None = None
    error: str = ""  # the file could not be read (a missing shard, a damaged header)


def find_models(locations: Iterable[Location]) -> list[Found]:
    found, seen = [], set()
    for loc in locations:
        for path, name in _candidates(loc):
            key = os.path.realpath(path)
            if key in seen:
                continue
            seen.add(key)
            found.append(Found(str(path), name, loc.source, loc.own))
    return found


def _candidates(loc: Location):
    try:
        if loc.kind == "hf_cache":
            for path, repo in hf_cache_models(loc.path):
                yield path, f"{repo}/{path.name}" if path.is_file() else repo
        elif loc.kind == "ollama":
            yield from ollama_models(loc.path)
        else:
            for path in model_paths(loc.path):
                yield path, path.name
    except OSError as exc:  # an unreadable folder hides only itself
        log.info("cannot scan %s: %s", loc.path, exc)


def describe(found: Found, hardware: HardwareInfo, prefs: PlanPreferences = PlanPreferences(),
             speed_cache: Path | None = None) -> LibraryModel:
    """speed_cache: where disk speeds are kept; given, a model a little larger than RAM is planned
    memory-mapped from its disk (measured once) as loading it would (runtime.loading.plans_for)."""
    base = LibraryModel(found.path, found.name, found.source, found.own)
    try:
        info = inspect(found.path)
    except ModelFileError as exc:
        return replace(base, error=str(exc), verdict=str(exc))
    folder = os.path.dirname(info.path)
    disk = (lambda: read_speed(folder, speed_cache)) if speed_cache is not None else None
    result = plan_with_disk(hardware, info, prefs, disk)
    chosen = result.plans[0] if result.plans else None
    return replace(base, size_bytes=info.file_bytes, arch=info.arch, quant=info.dtype,
                    general_name=info.name, fits=chosen is not None, verdict=result.summary, plan=chosen,
                    summary=one_line(chosen, info, hardware) if chosen else "")


def scan_library(models_dir: Path, user_folders: list[str], hardware: HardwareInfo | None = None,
                 prefs: PlanPreferences = PlanPreferences(), speed_cache: Path | None = None) -> list[LibraryModel]:
    """Everything, described; the hardware probed once for the whole list."""
    hardware = hardware or probe()
    return [describe(f, hardware, prefs, speed_cache)
            for f in find_models(all_locations(models_dir, user_folders))]


# -- the folders the user added ------------------------------------------------
def user_folders(store) -> list[str]:
    try:
        value = json.loads(store.get_setting(FOLDERS_KEY) or "[]")
    except json.JSONDecodeError:
        return []
    return [p for p in value if isinstance(p, str)] if isinstance(value, list) else []


def add_user_folder(store, folder: str) -> str | None:
    """None when added; else the sentence saying why not."""
    path = os.path.abspath(os.path.expanduser(folder))
    if not os.path.isdir(path):
        return f"{folder} is not a folder."
    folders = user_folders(store)
    if path not in folders:
        store.set_setting(FOLDERS_KEY, json.dumps([*folders, path], ensure_ascii=False))
    return None


def remove_user_folder(store, folder: str) -> None:
    store.set_setting(FOLDERS_KEY, json.dumps([p for p in user_folders(store) if p != folder],
                                              ensure_ascii=False))


# -- deleting ----------------------------------------------------------------------
class DeleteRefused(Exception):
    """The sentence says why; nothing was deleted."""


def delete_model(model: LibraryModel | Found, models_dir: Path) -> list[str]:
    """Delete one of DeskSeek's own downloads (every shard of a split GGUF, or a whole folder);
    returns what was removed. Another app's model is refused with a sentence, never touched."""
    own_root = os.path.realpath(models_dir)
    path = os.path.realpath(model.path)
    if not model.own or os.path.commonpath([own_root, path]) != own_root or path == own_root:
        raise DeleteRefused(
            f"DeskSeek deletes only the models it downloaded itself; {model.name} belongs to "
            f"{model.source} ({model.path}). Remove it there if you no longer need it.")
    if os.path.isdir(path):
        shutil.rmtree(path)
        return [path]
    try:
        files = list(inspect(path).files) or [path]
    except ModelFileError:  # a damaged file is deleted all the same: it is ours
        files = [path]
    removed = []
    for f in files:
        real = os.path.realpath(f)
        if os.path.commonpath([own_root, real]) == own_root and os.path.exists(real):
            os.remove(real)
            removed.append(real)
    return removed
