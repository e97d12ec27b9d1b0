import sys
import types

import pytest

from runtime.hardware import GpuInfo, free_cores, gpus as hw_gpus, host, probe


def test_probe_without_gpu_never_raises():
    hw = probe(sample_s=0.01)
    assert hw.ram_bytes >= hw.ram_available_bytes > 0
    assert 1 <= hw.free_physical_cores <= hw.physical_cores
    if not hw.gpus:
        assert hw.notes  # says why: no driver, no nvidia-ml-py...


@pytest.mark.parametrize("physical, busy, free", [(2, 0.0, 2), (2, 0.6, 1), (2, 1.9, 1), (8, 3.2, 5),
                                                   (8, 12.0, 1), (16, 0.4, 16)])
def test_free_cores(physical, busy, free):
    assert free_cores(physical, busy) == free


def test_cpuinfo_counts_physical_cores_within_affinity():
    block = "processor\t: {cpu}\nphysical id\t: {pkg}\ncore id\t\t: {core}\n"
    text = "\n".join(block.format(cpu=c, pkg=0, core=c % 4) for c in range(8))  # 4 cores, 2 threads
    assert host.physical_cores_from_cpuinfo(text) == 4
    assert host.physical_cores_from_cpuinfo(text, allowed={0, 4}) == 1
    assert host.physical_cores_from_cpuinfo(text, allowed={0, 1}) == 2


def test_meminfo():
    info = host.parse_meminfo("MemTotal:       16000 kB\nMemAvailable:    8000 kB\nHugePages_Total: 0\n")
    assert info == {"MemTotal": 16000 * 1024, "MemAvailable": 8000 * 1024, "HugePages_Total": 0}


def test_uuid_format_and_visible_devices():
    raw = bytes(range(16))
    assert hw_gpus.format_uuid(raw) == "GPU-00010203-0405-0607-0809-0a0b0c0d0e0f"
    uuids = ["GPU-aaaa-1", "GPU-bbbb-2", "GPU-cccc-3"]
    assert hw_gpus._visible(uuids, None) == uuids
    assert hw_gpus._visible(uuids, "2,0") == ["GPU-cccc-3", "GPU-aaaa-1"]
    assert hw_gpus._visible(uuids, "1,7,0") == ["GPU-bbbb-2"]  # CUDA stops at an invalid index
    assert hw_gpus._visible(uuids, "GPU-cccc") == ["GPU-cccc-3"]
    assert hw_gpus._visible(uuids, "") == []


def fake_nvml(devices):
    """A pynvml stand-in: devices in NVML (PCI) order as (uuid, name, total, free, cc)."""
    mod = types.ModuleType("pynvml")
    mod.NVMLError = type("NVMLError", (Exception,), {})
    mod.NVML_CLOCK_MEM = 2
    mod.nvmlInit = mod.nvmlShutdown = lambda: None
    mod.nvmlDeviceGetCount = lambda: len(devices)
    mod.nvmlDeviceGetHandleByIndex = lambda i: devices[i]
    mod.nvmlDeviceGetUUID = lambda h: h[0].encode()
    mod.nvmlDeviceGetName = lambda h: h[1]
    mod.nvmlDeviceGetMemoryInfo = lambda h: types.SimpleNamespace(total=h[2], free=h[3])
    mod.nvmlDeviceGetCudaComputeCapability = lambda h: h[4]
    mod.nvmlDeviceGetMaxClockInfo = lambda h, kind: 10501
    mod.nvmlDeviceGetMemoryBusWidth = lambda h: 384
    return mod


def test_nvml_gpus_follow_cuda_order(monkeypatch):
    devices = [("GPU-slow", "RTX 3060", 12 << 30, 11 << 30, (8, 6)),
               ("GPU-fast", "RTX 4090", 24 << 30, 23 << 30, (8, 9))]
    monkeypatch.setitem(sys.modules, "pynvml", fake_nvml(devices))
    monkeypatch.setattr(hw_gpus, "cuda_uuid_order", lambda: ["GPU-fast", "GPU-slow"])  # FASTEST_FIRST
    gpus = hw_gpus.nvml_gpus([])
    assert [(g.index, g.name, g.uuid) for g in gpus] == [(0, "RTX 4090", "GPU-fast"), (1, "RTX 3060", "GPU-slow")]
    assert gpus[0] == GpuInfo(0, "RTX 4090", 24 << 30, 23 << 30, (8, 9), "GPU-fast", pytest.approx(1.008e12, rel=1e-3))


def test_nvml_failure_is_a_note(monkeypatch):
    mod = fake_nvml([])

    def boom():
        raise mod.NVMLError("NVML Shared Library Not Found")
    mod.nvmlInit = boom
    monkeypatch.setitem(sys.modules, "pynvml", mod)
    hw = probe(sample_s=0.0)
    assert hw.gpus == () and any("NVML Shared Library Not Found" in n for n in hw.notes)


def test_gpu_vanishing_between_probe_and_load_is_not_probe_business(monkeypatch):
    """A driver that dies mid-query must still give a HardwareInfo (the engine falls back to CPU)."""
    mod = fake_nvml([("GPU-x", "A100", 80 << 30, 79 << 30, (8, 0))])

    def lost(h):
        raise mod.NVMLError("GPU is lost")
    mod.nvmlDeviceGetMemoryInfo = lost
    monkeypatch.setitem(sys.modules, "pynvml", mod)
    hw = probe(sample_s=0.0)
    assert hw.gpus == () and any("GPU is lost" in n for n in hw.notes)


def test_ram_fallbacks(monkeypatch):
    total, available = host._ram_sysconf()
    assert total >= available > 0
    monkeypatch.setattr(host, "_cgroup_memory_limit", lambda: 4 << 30)  # a container's limit wins
    assert host.ram()[0] == 4 << 30 and host.ram()[1] <= 4 << 30
