"""The user's own GPU split laid over the planner's: per-model settings may fix how many layers go
to the GPU and how many layers keep their MoE experts in RAM. The planner's plans stay behind it,
so a split that does not load falls back to the one the planner chose."""
from __future__ import annotations

from dataclasses import replace

from runtime.planning.choose import PlanPreferences
from runtime.sentences import Sentence
from runtime.types import Plan


def with_override(plans: tuple[Plan, ...], prefs: PlanPreferences, n_layers: int) -> tuple[Plan, ...]:
    if prefs.n_gpu_layers is None and prefs.n_cpu_moe_layers is None:
        return plans
    gpu = next((p for p in plans if p.engine == "llama_cpp" and p.device.startswith("cuda")), None)
    if gpu is None:  # no GPU plan to adjust: the CPU runs it all, as planned
        return plans
    n_gpu = gpu.n_gpu_layers if prefs.n_gpu_layers is None else max(0, min(prefs.n_gpu_layers, n_layers + 1))
    n_moe = gpu.n_cpu_moe_layers if prefs.n_cpu_moe_layers is None else max(0, min(prefs.n_cpu_moe_layers, n_layers))
    if (n_gpu, n_moe) == (gpu.n_gpu_layers, gpu.n_cpu_moe_layers):
        return plans
    mine = replace(gpu, n_gpu_layers=n_gpu, n_cpu_moe_layers=n_moe, use_mmap=not (n_gpu and n_moe),
                   est_decode_tok_s=None,  # the planner's estimate was for its own split
                   reason=Sentence("Your setting: {n_gpu} of {layers} layers on {device}, experts of {n_moe} "
                                   "layers in RAM (the planner chose {planned_gpu} and {planned_moe}).",
                                   n_gpu=n_gpu, layers=n_layers + 1, device=gpu.device, n_moe=n_moe,
                                   planned_gpu=gpu.n_gpu_layers, planned_moe=gpu.n_cpu_moe_layers))
    return (mine, *plans)
