"""From a model path to the plans for loading it on this machine: inspect, probe, plan.

Kept apart from the Engine so the window, the CLI and tests share one path, and so a file
that is not a model is refused with a clear sentence before any engine touches it.
"""
from __future__ import annotations

import os
from dataclasses import replace
from urllib.parse import urlsplit

from runtime.hardware import HardwareInfo, probe
from runtime.hardware.disk import read_speed
from runtime.modelfile import inspect
from runtime.planner import PlanPreferences, plan
from runtime.planning.memory import LlamaLayout, weight_bytes
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


def machine_context(model_path: str, prefs: PlanPreferences, loaded: Plan | None = None,
                    hardware: HardwareInfo | None = None) -> Plan | None:
    """The plan this model would get here with the context left to the planner (the longest that
    fits comfortably), or None for a server or when nothing fits. `loaded`: the plan the model
    runs with now; what it holds counts as free, since a reload lets it go first."""
    if is_server_url(model_path):
        return None
    model = inspect(model_path)
    hw = hardware or probe()
    if loaded is not None:
        hw = _with_freed(hw, model, loaded)
    result = plan(hw, model, replace(prefs, n_ctx=None))
    return result.plans[0] if result.plans else None


def _with_freed(hw: HardwareInfo, model, loaded: Plan) -> HardwareInfo:
    """The machine as it would be with `loaded` let go. Weights mapped from the file are page
    cache, which the available RAM already counts; only the rest comes back."""
    ram = loaded.est_bytes.get("cpu", 0)
    if loaded.engine == "llama_cpp" and loaded.use_mmap:
        lay = LlamaLayout(loaded.n_gpu_layers, loaded.n_cpu_moe_layers, loaded.n_ctx, loaded.kv_type,
                          loaded.flash_attn, loaded.n_batch)
        ram -= weight_bytes(model, lay)[0]
    gpus = tuple(replace(g, free_bytes=min(g.total_bytes, g.free_bytes + loaded.est_bytes.get(f"cuda:{g.index}", 0)))
                 for g in hw.gpus)
    return replace(hw, gpus=gpus, ram_available_bytes=min(hw.ram_bytes, hw.ram_available_bytes + max(0, ram)))
