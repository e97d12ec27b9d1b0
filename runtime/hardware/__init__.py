"""What this machine offers a model: GPUs, RAM, free CPU cores, and llama.cpp's GPU support.

probe() never raises and never creates a CUDA context: GPUs come from NVML (nvidia-ml-py) and
their CUDA order from the driver API, which touches no device memory (runtime.hardware.gpus).
torch is never imported here (importing it costs seconds and hundreds of MB).
"""
from __future__ import annotations

from runtime.hardware import gpus, host
from runtime.hardware.info import GpuInfo, HardwareInfo

__all__ = ["probe", "free_cores", "GpuInfo", "HardwareInfo"]


def probe(sample_s: float = 0.2) -> HardwareInfo:
    notes: list[str] = []
    try:
        found = gpus.nvml_gpus(notes)
    except Exception as exc:  # a broken or vanishing driver must not take the app down
        notes.append(f"NVML failed: {exc}")
        found = ()
    total, available = host.ram()
    physical = host.physical_cores()
    return HardwareInfo(
        gpus=found,
        ram_bytes=total,
        ram_available_bytes=available,
        physical_cores=physical,
        free_physical_cores=free_cores(physical, host.busy_cpus(sample_s)),
        llama_gpu_offload=_llama_gpu_offload(),
        notes=tuple(notes),
        cpu_bf16=host.cpu_bf16(),
    )


def free_cores(physical: int, busy_cpus: float) -> int:
    """Physical cores left after other processes' load (in CPUs' worth), at least one."""
    return max(1, min(physical, round(physical - busy_cpus)))


def _llama_gpu_offload() -> bool:
    try:
        import llama_cpp  # lazy: loads the shared library
        return bool(llama_cpp.llama_supports_gpu_offload())
    except Exception:
        return False
