"""This machine's facts that the planner needs and only the app can keep: the models disk's speed.

The disk is measured once (runtime.hardware.disk: a 256 MiB write, read back past the page
cache) and cached under the app's cache dir; it is asked for only when a model fits nowhere
else, for the memory-mapped last resort.
"""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Callable

from app.paths import AppPaths, app_paths
from runtime.hardware.disk import read_speed

DISK_SPEED_CACHE = "disk-speed.json"


def disk_speed_cache(paths: AppPaths | None = None) -> Path:
    """The file that keeps each disk's measured read speed (also given to runtime.loading.plans_for)."""
    return (paths or app_paths()).cache / DISK_SPEED_CACHE


def models_disk_speed(paths: AppPaths | None = None) -> Callable[[], float | None]:
    """A zero-argument function giving the models folder's read speed (bytes/s), measured at most once."""
    paths = paths or app_paths()

    @functools.cache
    def speed() -> float | None:
        return read_speed(paths.models_dir, disk_speed_cache(paths))
    return speed
