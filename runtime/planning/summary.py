"""One line per plan, for lists of many files (the Models page, `deskseek models files`).

The full sentence (Plan.reason) says why; this line says what: where the model runs and how
fast, e.g. "all 62 layers on RTX 4090, 14.2 GiB GPU, context 32768, ≈45 tok/s".
"""
from __future__ import annotations

from runtime.hardware import HardwareInfo
from runtime.modelfile import ModelInfo
from runtime.planning.words import size
from runtime.types import Plan


def one_line(p: Plan, m: ModelInfo, hw: HardwareInfo | None = None) -> str:
    gpu = _gpu_name(p.device, hw)
    gpu_b, cpu_b = sum(b for d, b in p.est_bytes.items() if d != "cpu"), p.est_bytes.get("cpu", 0)
    if p.engine == "torch":
        where = f"torch {p.dtype} on {gpu}" if p.device != "cpu" else f"torch {p.dtype} on the CPU"
    elif p.device == "cpu":
        where = f"CPU only, {p.n_threads} thread{'s' * (p.n_threads != 1)}"
    elif p.n_gpu_layers > m.n_layers and not p.n_cpu_moe_layers:
        where = f"all {m.n_layers} layers on {gpu}"
    elif p.n_cpu_moe_layers and p.n_gpu_layers > m.n_layers:
        where = f"on {gpu}, experts of {p.n_cpu_moe_layers} layers in RAM"
    elif p.n_cpu_moe_layers:
        where = f"{p.n_gpu_layers} of {m.n_layers} layers on {gpu}, experts in RAM"
    else:
        where = f"{p.n_gpu_layers} of {m.n_layers} layers on {gpu}, the rest on the CPU"
    if p.mmap_from_disk_bytes:
        where += f", {size(p.mmap_from_disk_bytes)} mapped from disk (last resort)"
    memory = " + ".join(f"{size(b)} {d}" for d, b in (("GPU", gpu_b), ("RAM", cpu_b)) if b)
    extras = [x for x in (memory, f"context {p.n_ctx}",
                          f"KV {p.kv_type}" if p.kv_type != "f16" else "") if x]
    speed = f"≈{p.est_decode_tok_s:g} tok/s" if p.est_decode_tok_s else ""
    return ", ".join([where, *extras] + ([speed] if speed else []))


def _gpu_name(device: str, hw: HardwareInfo | None) -> str:
    if hw is not None and device.startswith("cuda:"):
        for g in hw.gpus:
            if f"cuda:{g.index}" == device:
                return g.name
    return device
