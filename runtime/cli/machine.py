"""A machine described on the command line: --gpu "RTX 4090:24GiB" (repeatable), --ram 64GiB."""
from __future__ import annotations

import argparse
import re

from runtime.hardware import GpuInfo, HardwareInfo

_UNITS = {"": 1, "b": 1, "k": 10**3, "kb": 10**3, "kib": 2**10, "m": 10**6, "mb": 10**6, "mib": 2**20,
          "g": 2**30, "gb": 10**9, "gib": 2**30, "t": 2**40, "tb": 10**12, "tib": 2**40}


def parse_size(text: str) -> int:
    """'24GiB', '24 GB', '80g' (a bare G means GiB, as GPU makers mean it) -> bytes."""
    m = re.fullmatch(r"\s*([0-9]*\.?[0-9]+)\s*([a-zA-Z]*)\s*", text)
    if not m or m.group(2).lower() not in _UNITS:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size like 24GiB or 64GB")
    return int(float(m.group(1)) * _UNITS[m.group(2).lower()])


def parse_rate(text: str) -> float:
    """'400GB/s', '7 GB/s' -> bytes per second (GB means 10^9 here, as bandwidths are quoted)."""
    body = text.strip()
    if body.lower().endswith("/s"):
        body = body[:-2]
    try:
        value = parse_size(body)
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a speed like 400GB/s or 3.5GB/s") from None
    if re.fullmatch(r"\s*[0-9.]+\s*[gG]\s*", body):  # a bare G: GB/s, not GiB/s, for a speed
        value = int(float(body.strip()[:-1]) * 10**9)
    return float(value)


def parse_gpu(text: str) -> tuple[str, int, tuple[int, int]]:
    """'NAME:SIZE' or 'NAME:SIZE:CC' (compute capability, default 8.9) -> (name, bytes, cc)."""
    parts = text.rsplit(":", 2)
    if len(parts) == 3 and re.fullmatch(r"\d+\.\d+", parts[2]):
        name, size, cc = parts
        major, minor = (int(x) for x in cc.split("."))
        return name.strip(), parse_size(size), (major, minor)
    name, _, size = text.rpartition(":")
    if not name:
        raise argparse.ArgumentTypeError(f"{text!r}: write the GPU as NAME:SIZE, e.g. \"RTX 4090:24GiB\"")
    return name.strip(), parse_size(size), (8, 9)


def described(probed: HardwareInfo, gpus: list[tuple[str, int, tuple[int, int]]] | None,
              ram: int | None, cores: int | None, bandwidth: float | None = None,
              disk_speed: float | None = None) -> HardwareInfo:
    """The probed machine with the user's GPUs/RAM/cores in place of the real ones.

    A described GPU is taken as idle (all but 3% free) and driven by a CUDA build of llama.cpp.
    """
    gpu_infos = tuple(GpuInfo(i, name, total, total - total // 32, cc, f"GPU-described-{i}")
                      for i, (name, total, cc) in enumerate(gpus or []))
    return HardwareInfo(
        gpus=gpu_infos if gpus is not None else probed.gpus,
        ram_bytes=ram or probed.ram_bytes,
        ram_available_bytes=int(ram * 0.9) if ram else probed.ram_available_bytes,
        physical_cores=cores or probed.physical_cores,
        free_physical_cores=cores or probed.free_physical_cores,
        llama_gpu_offload=True if gpus else probed.llama_gpu_offload,
        notes=probed.notes if gpus is None else (),
        cpu_bf16=probed.cpu_bf16,
        ram_bandwidth_bytes_s=bandwidth or probed.ram_bandwidth_bytes_s,
        disk_read_bytes_s=disk_speed or probed.disk_read_bytes_s,
    )
