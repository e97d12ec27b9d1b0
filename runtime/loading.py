"""From a model path to the plans for loading it on this machine: inspect, probe, plan.

Kept apart from the Engine so the window, the CLI and tests share one path, and so a file
that is not a model is refused with a clear sentence before any engine touches it.
"""
from __future__ import annotations

import os
from urllib.parse import urlsplit

from runtime.hardware import probe
from runtime.hardware.disk import read_speed
from runtime.modelfile import inspect
from runtime.planner import PlanPreferences
from runtime.planning.mmap_plan import plan_with_disk
from runtime.planning.override import with_override
from runtime.sentences import Sentence
from runtime.types import ModelLoadError, Plan


def is_server_url(model_path: str) -> bool:
    return model_path.startswith(("http://", "https://"))


def plans_for(model_path: str, prefs: PlanPreferences | None = None,
              disk_speed_cache: str | os.PathLike | None = None) -> tuple[Plan, ...]:
    """disk_speed_cache: where the disk speed measured for the memory-mapped last resort is kept
    (a model a little larger than RAM; measured only then)."""
    if is_server_url(model_path):
        host = urlsplit(model_path).netloc
        return (Plan(engine="remote", model_path=model_path, device=model_path,
                     n_ctx=(prefs.n_ctx if prefs and prefs.n_ctx else 4096),
                     reason=Sentence("The OpenAI-compatible server at {host} runs the model; "
                                     "nothing is loaded on this machine.", host=host)),)
    model = inspect(model_path)
    prefs = prefs or PlanPreferences()
    folder = os.path.dirname(model.path) or "."
    result = plan_with_disk(probe(), model, prefs, lambda: read_speed(folder, disk_speed_cache))
    if not result.plans:
        raise ModelLoadError(result.summary)
    return with_override(result.plans, prefs, model.n_layers)
