"""NVIDIA GPUs from NVML, in CUDA's order, without creating a CUDA context.

NVML (nvidia-ml-py) gives names, memory and compute capability; the driver API's cuInit +
cuDeviceGetUuid give CUDA's device order (CUDA_VISIBLE_DEVICES, CUDA_DEVICE_ORDER) and touch
no device memory. The two are matched by UUID.
"""
from __future__ import annotations

import ctypes
import os

from runtime.hardware.info import GpuInfo


def nvml_gpus(notes: list[str]) -> tuple[GpuInfo, ...]:
    try:
        import pynvml
    except ImportError:
        notes.append("nvidia-ml-py is not installed")
        return ()
    try:
        pynvml.nvmlInit()
    except pynvml.NVMLError as exc:
        notes.append(f"no NVIDIA driver ({exc})")
        return ()
    try:
        found = {}
        for i in range(pynvml.nvmlDeviceGetCount()):
            h = pynvml.nvmlDeviceGetHandleByIndex(i)
            uuid = _text(pynvml.nvmlDeviceGetUUID(h))
            mem = pynvml.nvmlDeviceGetMemoryInfo(h)
            cc = pynvml.nvmlDeviceGetCudaComputeCapability(h)
            found[uuid] = (_text(pynvml.nvmlDeviceGetName(h)), mem.total, mem.free, tuple(cc),
                           _bandwidth(pynvml, h))
    finally:
        pynvml.nvmlShutdown()
    order = cuda_uuid_order()
    if order is None:  # no libcuda: NVML (PCI) order, filtered like CUDA_VISIBLE_DEVICES would
        order = _visible(list(found), os.environ.get("CUDA_VISIBLE_DEVICES"))
    gpus = []
    for cuda_index, uuid in enumerate(order):
        if uuid in found:
            name, total, free, cc, bw = found[uuid]
            gpus.append(GpuInfo(cuda_index, name, total, free, cc, uuid, bw))
    if not gpus:
        notes.append("NVML found no GPU visible to CUDA")
    return tuple(gpus)


def _bandwidth(pynvml, handle) -> float | None:
    """Peak memory bandwidth: double data rate x bus width; close to data sheets (4090: 1.0 TB/s)."""
    try:
        clock_mhz = pynvml.nvmlDeviceGetMaxClockInfo(handle, pynvml.NVML_CLOCK_MEM)
        bus_bits = pynvml.nvmlDeviceGetMemoryBusWidth(handle)
    except Exception:
        return None
    return 2.0 * clock_mhz * 1e6 * bus_bits / 8


def _visible(uuids: list[str], spec: str | None) -> list[str]:
    if spec is None:
        return uuids
    out = []
    for item in (s.strip() for s in spec.split(",") if s.strip()):
        if item.isdigit():
            if int(item) >= len(uuids):
                break  # CUDA stops at the first invalid entry
            out.append(uuids[int(item)])
        else:
            match = [u for u in uuids if u.startswith(item) or u[4:].startswith(item)]
            if not match:
                break
            out.append(match[0])
    return out


def cuda_uuid_order() -> list[str] | None:
    """UUIDs in CUDA's device order (honours CUDA_VISIBLE_DEVICES and CUDA_DEVICE_ORDER).

    cuInit loads the driver but creates no context, so no device memory is taken.
    """
    try:
        cuda = ctypes.CDLL("libcuda.so.1" if os.name != "nt" else "nvcuda.dll")
    except OSError:
        return None
    if cuda.cuInit(0) != 0:
        return None
    count = ctypes.c_int()
    if cuda.cuDeviceGetCount(ctypes.byref(count)) != 0:
        return None
    get_uuid = getattr(cuda, "cuDeviceGetUuid_v2", None) or cuda.cuDeviceGetUuid
    out = []
    for i in range(count.value):
        dev, raw = ctypes.c_int(), ctypes.create_string_buffer(16)
        if cuda.cuDeviceGet(ctypes.byref(dev), i) != 0 or get_uuid(raw, dev) != 0:
            return None
        out.append(format_uuid(raw.raw))
    return out


def format_uuid(raw: bytes) -> str:
    h = raw.hex()
    return f"GPU-{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


def _text(value) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
