"""What this machine offers a model: GPUs, RAM, free CPU cores, and llama.cpp's GPU support.

probe() never raises and never creates a CUDA context: GPUs come from NVML (nvidia-ml-py) and
their CUDA order from the driver API's cuInit/cuDeviceGetUuid, which touch no device memory.
torch is never imported here (importing it costs seconds and hundreds of MB).
"""
from __future__ import annotations

import ctypes
import os
import time
from dataclasses import dataclass

GiB = 1024**3


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


def probe(sample_s: float = 0.2) -> HardwareInfo:
    notes: list[str] = []
    try:
        gpus = _nvml_gpus(notes)
    except Exception as exc:  # a broken driver must not take the app down
        notes.append(f"NVML failed: {exc}")
        gpus = ()
    total, available = _ram()
    physical = _physical_cores()
    busy = _busy_cpus(sample_s)
    return HardwareInfo(
        gpus=gpus,
        ram_bytes=total,
        ram_available_bytes=available,
        physical_cores=physical,
        free_physical_cores=free_cores(physical, busy),
        llama_gpu_offload=_llama_gpu_offload(),
        notes=tuple(notes),
    )


def free_cores(physical: int, busy_cpus: float) -> int:
    """Physical cores left after other processes' load (in CPUs' worth), at least one."""
    return max(1, min(physical, round(physical - busy_cpus)))


# ---- GPUs -------------------------------------------------------------------------------------

def _nvml_gpus(notes: list[str]) -> tuple[GpuInfo, ...]:
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


# ---- RAM and CPU ------------------------------------------------------------------------------

def _ram() -> tuple[int, int]:
    try:
        info = parse_meminfo(open("/proc/meminfo").read())
        total, available = info["MemTotal"], info.get("MemAvailable", info["MemFree"])
    except (OSError, KeyError):
        pages = os.sysconf("SC_PHYS_PAGES") if hasattr(os, "sysconf") else 0
        total = available = pages * os.sysconf("SC_PAGE_SIZE") if pages else 0
    limit = _cgroup_memory_limit()
    if limit is not None and limit < total:  # a container sees the host's RAM in /proc/meminfo
        total, available = limit, min(available, limit)
    return total, available


def parse_meminfo(text: str) -> dict[str, int]:
    out = {}
    for line in text.splitlines():
        key, _, rest = line.partition(":")
        parts = rest.split()
        if parts and parts[0].isdigit():
            out[key] = int(parts[0]) * (1024 if parts[1:] == ["kB"] else 1)
    return out


def _cgroup_memory_limit() -> int | None:
    for path in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            value = open(path).read().strip()
        except OSError:
            continue
        if value.isdigit() and int(value) < 1 << 60:
            return int(value)
    return None


def _physical_cores() -> int:
    allowed = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    try:
        cores = physical_cores_from_cpuinfo(open("/proc/cpuinfo").read(), allowed)
    except OSError:
        cores = 0
    return cores or max(1, (os.cpu_count() or 2) // 2)


def physical_cores_from_cpuinfo(text: str, allowed: set[int] | None = None) -> int:
    """Distinct (package, core) pairs among the CPUs this process may run on."""
    seen, cpu, pkg = set(), None, "0"
    for block in text.strip().split("\n\n"):
        fields = {k.strip(): v.strip() for k, _, v in (ln.partition(":") for ln in block.splitlines())}
        if "processor" not in fields:
            continue
        cpu = int(fields["processor"])
        if allowed is not None and cpu not in allowed:
            continue
        pkg = fields.get("physical id", "0")
        seen.add((pkg, fields.get("core id", str(cpu))))
    return len(seen)


def _busy_cpus(sample_s: float) -> float:
    """CPUs' worth of time other processes used over a short sample of /proc/stat."""
    def read() -> tuple[int, int]:
        fields = [int(x) for x in open("/proc/stat").readline().split()[1:]]
        idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
        return sum(fields[:8]), idle
    try:
        total0, idle0 = read()
        time.sleep(sample_s)
        total1, idle1 = read()
    except (OSError, ValueError, IndexError):
        return 0.0
    elapsed = total1 - total0
    if elapsed <= 0:
        return 0.0
    n_cpus = os.cpu_count() or 1  # /proc/stat sums every CPU of the machine
    return (1 - (idle1 - idle0) / elapsed) * n_cpus


def _llama_gpu_offload() -> bool:
    try:
        import llama_cpp  # lazy: loads the shared library
        return bool(llama_cpp.llama_supports_gpu_offload())
    except Exception:
        return False
