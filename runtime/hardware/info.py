"""The plain data probe() returns."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class GpuInfo:
    index: int  # CUDA device index (what llama.cpp and torch call device N)
    name: str
    total_bytes: int
    free_bytes: int
    compute_capability: tuple[int, int]
    uuid: str
    bandwidth_bytes_s: float | None = None  # from the memory clock and bus width


@dataclass(frozen=True)
class HardwareInfo:
    gpus: tuple[GpuInfo, ...]
    ram_bytes: int
    ram_available_bytes: int
    physical_cores: int
    free_physical_cores: int  # llama.cpp threads: oversubscribing slowed it 5-10x here
    llama_gpu_offload: bool
    notes: tuple[str, ...] = ()  # why a GPU is missing, for the plan's reason
    cpu_bf16: bool = False  # the CPU multiplies bfloat16 natively (AVX512-BF16, AMX-BF16, Arm BF16)
    ram_bandwidth_bytes_s: float | None = None  # when known (described): sets the speed of experts in RAM
    disk_read_bytes_s: float | None = None  # the models' disk (measured, or described): a model mapped
    # from disk past the end of RAM runs at this speed; None: never planned
