"""The last resort: a GGUF a little larger than RAM, memory-mapped from a fast disk.

llama.cpp maps the model file; what does not fit in RAM stays on disk and the kernel pages it
in when a token needs it (for a MoE model, the few routed experts each token uses). It runs
only as fast as the disk reads that part, so it is planned only when nothing else fits, when
the disk's speed is known (measured or described), when the KV cache and buffers fit in RAM,
and when at least half of the RAM-side weights stay resident ("a little larger than RAM"; past
that every token waits on the disk). KTransformers' case: DeepSeek-V3 Q4_K_M on a 24 GB GPU
and 384 GiB of RAM.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Callable

from runtime.hardware import GpuInfo, HardwareInfo
from runtime.modelfile import ModelInfo
from runtime.planning.memory import LlamaLayout, llama_bytes, weight_bytes
from runtime.planning.words import decode_speed, mmap_reason
from runtime.types import Plan

MIN_RESIDENT = 0.5  # of the RAM-side weights


def mmap_plans(hw: HardwareInfo, m: ModelInfo, rung: tuple[int, str, bool], ram: int,
               gpus: list[tuple[GpuInfo, int]], threads: int) -> list[Plan]:
    """rung: the (context, KV type, flash attention) to use; gpus: (GPU, its budget), best first."""
    if m.format != "gguf" or not hw.disk_read_bytes_s:
        return []
    n_ctx, kv, fa = rung
    gpu, lay = _layout(m, n_ctx, kv, fa, gpus)
    est = llama_bytes(m, lay)
    w_cpu, _ = weight_bytes(m, lay)
    resident = ram - (est["cpu"] - w_cpu)  # KV cache and buffers must be in RAM
    if w_cpu <= 0 or resident >= w_cpu or resident < MIN_RESIDENT * w_cpu:
        return []
    from_disk = w_cpu - resident
    speed = decode_speed(m, lay, threads, gpu, hw.ram_bandwidth_bytes_s, from_disk / w_cpu,
                         hw.disk_read_bytes_s)
    device = f"cuda:{gpu.index}" if gpu else "cpu"
    est_bytes = {"cpu": est["cpu"] - from_disk} | ({device: est["gpu"]} if gpu else {})
    return [Plan(engine="llama_cpp", model_path=m.path, device=device, n_gpu_layers=lay.n_gpu_layers,
                 n_batch=lay.n_batch, n_cpu_moe_layers=min(lay.n_cpu_moe, m.n_layers) if gpu else 0,
                 n_ctx=lay.n_ctx, n_threads=threads, kv_type=lay.kv_type, flash_attn=lay.flash_attn,
                 use_mmap=True, mmap_from_disk_bytes=from_disk, est_bytes=est_bytes,
                 est_decode_tok_s=speed,
                 reason=mmap_reason(m, gpu, resident, from_disk, hw.disk_read_bytes_s, speed, threads))]


def _layout(m: ModelInfo, n_ctx: int, kv: str, fa: bool, gpus: list[tuple[GpuInfo, int]]):
    """The most the GPU can take (MoE: attention and shared experts of every layer first)."""
    for gpu, budget in gpus[:1]:
        if m.n_experts:
            for k in range(1, m.n_layers + 1):
                lay = LlamaLayout(m.n_layers + 1, k, n_ctx, kv, fa)
                if llama_bytes(m, lay).get("gpu", 0) <= budget:
                    return gpu, lay
        for n_gpu in range(m.n_layers, 0, -1):
            lay = LlamaLayout(n_gpu, m.n_layers if m.n_experts else 0, n_ctx, kv, fa)
            if llama_bytes(m, lay).get("gpu", 0) <= budget:
                return gpu, lay
    return None, LlamaLayout(0, 0, n_ctx, kv, fa)


def plan_with_disk(hw: HardwareInfo, model: ModelInfo, prefs, disk_speed: Callable[[], float | None] | None):
    """plan(); when nothing fits and the disk's speed is unknown but would allow the last resort,
    ask for it (a measurement: 256 MiB written once, then cached by the caller) and plan again."""
    from runtime.planning.choose import plan

    result = plan(hw, model, prefs)
    if result.plans or disk_speed is None or hw.disk_read_bytes_s or model.format != "gguf":
        return result
    if not plan(replace(hw, disk_read_bytes_s=1.0), model, prefs).plans:  # would any speed do?
        return result  # no: spare the measurement
    speed = disk_speed()
    return plan(replace(hw, disk_read_bytes_s=speed), model, prefs) if speed else result
