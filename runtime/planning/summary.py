"""One line per plan, for lists of many files (the Models page, `deskseek models files`).

The full sentence (Plan.reason) says why; this line says what: where the model runs and how
fast, e.g. "all 62 layers on RTX 4090, 14.2 GiB GPU, context 32768, ≈45 tok/s".
"""
from __future__ import annotations

from runtime.hardware import HardwareInfo
from runtime.modelfile import ModelInfo
from runtime.planning.words import size
from runtime.sentences import Sentence, join
from runtime.types import Plan


def one_line(p: Plan, m: ModelInfo, hw: HardwareInfo | None = None) -> str:
    """A Sentence (the window shows it in its language; plain English everywhere else)."""
    gpu = _gpu_name(p.device, hw)
    gpu_b, cpu_b = sum(b for d, b in p.est_bytes.items() if d != "cpu"), p.est_bytes.get("cpu", 0)
    layers, on_gpu = m.n_layers, p.n_gpu_layers
    if p.engine == "torch":
        where = (Sentence("torch {dtype} on {gpu}", dtype=p.dtype, gpu=gpu) if p.device != "cpu"
                 else Sentence("torch {dtype} on the CPU", dtype=p.dtype))
    elif p.device == "cpu":
        where = (Sentence("CPU only, 1 thread") if p.n_threads == 1
                 else Sentence("CPU only, {threads} threads", threads=p.n_threads))
    elif on_gpu > layers and not p.n_cpu_moe_layers:
        where = Sentence("all {layers} layers on {gpu}", layers=layers, gpu=gpu)
    elif p.n_cpu_moe_layers and on_gpu > layers:
        where = Sentence("on {gpu}, experts of {moe} layers in RAM", gpu=gpu, moe=p.n_cpu_moe_layers)
    elif p.n_cpu_moe_layers:
        where = Sentence("{on_gpu} of {layers} layers on {gpu}, experts in RAM", on_gpu=on_gpu, layers=layers, gpu=gpu)
    else:
        where = Sentence("{on_gpu} of {layers} layers on {gpu}, the rest on the CPU", on_gpu=on_gpu, layers=layers, gpu=gpu)
    disk = (Sentence("{size} mapped from disk (last resort)", size=size(p.mmap_from_disk_bytes))
            if p.mmap_from_disk_bytes else "")
    memory = join(" + ", [Sentence("{size} GPU", size=size(gpu_b)) if gpu_b else "",
                          Sentence("{size} RAM", size=size(cpu_b)) if cpu_b else ""])
    return join(", ", [where, disk, memory, Sentence("context {n_ctx}", n_ctx=p.n_ctx),
                       Sentence("KV {kv_type}", kv_type=p.kv_type) if p.kv_type != "f16" else "",
                       Sentence("≈{speed} tok/s", speed=f"{p.est_decode_tok_s:g}") if p.est_decode_tok_s else ""])


def _gpu_name(device: str, hw: HardwareInfo | None) -> str:
    if hw is not None and device.startswith("cuda:"):
        for g in hw.gpus:
            if f"cuda:{g.index}" == device:
                return g.name
    return device
