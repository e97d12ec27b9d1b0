"""The memory-mapped last resort (a GGUF a little larger than RAM, read from disk as needed) and
planning with a described RAM bandwidth: KTransformers' case, DeepSeek-V3 Q4_K_M on 24 GB + 384 GiB."""
from __future__ import annotations

from dataclasses import replace

import pytest

from runtime.hardware import GpuInfo, HardwareInfo
from runtime.hardware.disk import read_speed
from runtime.modelfile import inspect
from runtime.planner import PlanPreferences, plan
from runtime.planning.memory import LlamaLayout, llama_bytes, weight_bytes
from runtime.planning.mmap_plan import mmap_plans, plan_with_disk
from runtime.planning.summary import one_line
from tests.hubfake import sparse_gguf
from tests.runtime.test_planner import model

GiB = 2**30


def machine(gpu_gib: int, ram_gib: int, cores: int = 16, disk: float | None = 7e9,
            bandwidth: float | None = None) -> HardwareInfo:
    gpus = (GpuInfo(0, "RTX 4090", gpu_gib * GiB, gpu_gib * GiB * 31 // 32, (8, 9), "GPU-t", 1e12),) if gpu_gib else ()
    return HardwareInfo(gpus, ram_gib * GiB, ram_gib * GiB * 9 // 10, cores, cores, bool(gpu_gib),
                        ram_bandwidth_bytes_s=bandwidth, disk_read_bytes_s=disk)


@pytest.fixture(scope="module")
def v3(tmp_path_factory):
    return inspect(str(sparse_gguf.write_deepseek(tmp_path_factory.mktemp("v3"), "Q4_K_M").files[0]))


def test_v3_q4_k_m_on_24_gb_and_384_gib_runs_mapped_from_disk_as_a_last_resort(v3):
    assert not plan(machine(24, 384, disk=None), v3).plans  # unknown disk: no plan, as before
    slow, fast = plan(machine(24, 384, disk=1e9), v3).plans[0], plan(machine(24, 384, disk=7e9), v3).plans[0]
    for p in (slow, fast):
        assert (p.engine, p.device, p.use_mmap) == ("llama_cpp", "cuda:0", True)
        assert p.n_gpu_layers == 62 and p.n_cpu_moe_layers > 0
        assert 20 * GiB < p.mmap_from_disk_bytes < 80 * GiB
        assert p.est_bytes["cpu"] <= 384 * GiB * 9 // 10 - 24 * GiB  # what stays in RAM fits its budget
    assert slow.est_decode_tok_s < fast.est_decode_tok_s  # the disk sets the speed
    assert fast.reason.startswith("Last resort: DeepSeek V3 (376.7 GiB) is larger than this machine's memory")
    assert "at the 7.0 GB/s this disk reads" in fast.reason and "tokens/s" in fast.reason
    assert "mapped from disk (last resort)" in one_line(fast, v3)


def test_not_when_another_plan_fits_nor_when_far_larger_than_ram(v3):
    roomy = plan(machine(24, 512), v3).plans
    assert roomy and not any(p.mmap_from_disk_bytes for p in roomy)
    assert not plan(machine(24, 128), v3).plans  # less than half of it would stay in RAM
    assert not plan(machine(24, 384), v3, PlanPreferences(engine="torch")).plans
    cpu_only = plan(machine(0, 384), v3).plans
    assert cpu_only[0].device == "cpu" and cpu_only[0].mmap_from_disk_bytes > 0


def test_a_described_ram_bandwidth_sets_the_speed_of_experts_in_ram(v3):
    hw = machine(24, 512, cores=64)
    base = plan(hw, v3).plans[0].est_decode_tok_s
    wide = plan(replace(hw, ram_bandwidth_bytes_s=400e9), v3).plans[0].est_decode_tok_s
    narrow = plan(replace(hw, ram_bandwidth_bytes_s=20e9), v3).plans[0].est_decode_tok_s
    assert narrow < base < wide


def test_disk_speed_is_measured_once_and_cached(tmp_path):
    cache = tmp_path / "disk.json"
    first = read_speed(tmp_path / "models", cache, sample_bytes=16 * 2**20)
    assert first and first > 1e6 and cache.exists()
    assert not list((tmp_path / "models").iterdir())  # the sample file is gone
    assert read_speed(tmp_path / "models", cache, sample_bytes=16 * 2**20) == first  # from the cache


def test_the_disk_is_measured_only_when_the_last_resort_would_help(v3):
    from runtime.planning.mmap_plan import plan_with_disk

    asked = []

    def disk():
        asked.append(1)
        return 3e9
    assert plan_with_disk(machine(24, 512, disk=None), v3, PlanPreferences(), disk).plans and not asked  # fits
    assert not plan_with_disk(machine(24, 64, disk=None), v3, PlanPreferences(), disk).plans and not asked
    p = plan_with_disk(machine(24, 384, disk=None), v3, PlanPreferences(), disk).plans[0]
    assert asked == [1] and p.mmap_from_disk_bytes and "3.0 GB/s" in p.reason


def test_the_last_resort_puts_on_the_gpu_as_much_as_it_takes(v3):
    # MoE: the attention of every layer first, with as few layers' experts in RAM as the GPU allows
    assert fields(plan(machine(24, 384), v3).plans[0]) == ("cuda:0", 62, 60, True)
    # a GPU too small for every layer's attention: the last layers, each keeping its experts in RAM
    assert fields(plan(machine(8, 384), v3).plans[0]) == ("cuda:0", 49, 61, True)
    assert fields(plan(machine(0, 384), v3).plans[0]) == ("cpu", 0, 0, True)
    dense = model("DeepSeek-R1-Distill-Qwen-32B")
    for gpu_gib, layers in ((8, 23), (5, 13)):  # a dense model: the most layers that fit
        p = plan(machine(gpu_gib, 12), dense).plans[0]
        assert fields(p) == ("cuda:0", layers, 0, True) and p.mmap_from_disk_bytes > 0


def fields(p):
    return p.device, p.n_gpu_layers, p.n_cpu_moe_layers, p.flash_attn


def last_resort(m, lay: LlamaLayout, gpus):
    """mmap_plans where `lay` leaves three quarters of its RAM-side weights resident."""
    w_cpu, _ = weight_bytes(m, lay)
    ram = llama_bytes(m, lay)["cpu"] - w_cpu // 4
    return mmap_plans(machine(24, 384), m, (lay.n_ctx, lay.kv_type, lay.flash_attn), ram, gpus, 16)


@pytest.mark.parametrize("name, n_gpu, n_moe", [("v3", 62, 1), ("v3", 62, 60), ("dense", 21, 0), ("dense", 1, 0)])
def test_a_layout_that_meets_the_gpu_budget_exactly_is_taken(v3, name, n_gpu, n_moe):
    m = v3 if name == "v3" else model("DeepSeek-R1-Distill-Qwen-32B")
    lay = LlamaLayout(n_gpu, n_moe, 4096, "q8_0", True)
    gpu = machine(24, 384).gpus[0]
    (p,) = last_resort(m, lay, [(gpu, llama_bytes(m, lay)["gpu"])])
    assert fields(p) == ("cuda:0", n_gpu, n_moe, True)


def test_only_the_best_gpu_is_used_and_without_room_on_it_the_cpu_runs_it():
    dense = model("DeepSeek-R1-Distill-Qwen-32B")
    gpu = machine(24, 384).gpus[0]
    (p,) = last_resort(dense, LlamaLayout(0, 0, 4096, "q8_0", True), [(gpu, 0), (replace(gpu, index=1), 40 * GiB)])
    assert fields(p) == ("cpu", 0, 0, True) and set(p.est_bytes) == {"cpu"}


def test_the_disk_is_not_measured_when_its_speed_is_known_or_cannot_be_measured(v3):
    asked = []
    hw = machine(24, 384, disk=None)
    assert not plan_with_disk(hw, v3, PlanPreferences(), None).plans  # no way to measure: no plan
    assert not plan_with_disk(machine(24, 64, disk=7e9), v3, PlanPreferences(), lambda: asked.append(1)).plans
    assert not asked
    assert not plan_with_disk(hw, v3, PlanPreferences(), lambda: None).plans  # the measurement failed


def test_the_settings_hold_for_the_plan_made_after_measuring_the_disk(v3):
    p = plan_with_disk(machine(24, 384, disk=None), v3, PlanPreferences(n_ctx=8192, n_threads=3), lambda: 3e9).plans[0]
    assert (p.n_ctx, p.n_threads) == (8192, 3) and p.mmap_from_disk_bytes


def test_the_disk_is_measured_only_for_a_plan_the_settings_allow(v3):
    asked = []
    torch = PlanPreferences(engine="torch")  # a GGUF has no torch plan, fitting or mapped
    assert not plan_with_disk(machine(24, 512, disk=None), v3, torch, lambda: asked.append(1)).plans
    assert not plan_with_disk(machine(24, 384, disk=None), v3, torch, lambda: asked.append(1)).plans
    assert not asked


def test_the_last_resort_only_when_at_least_half_stays_in_ram_and_not_all_of_it(v3):
    lay = LlamaLayout(62, 60, 4096, "q8_0", True)
    gpu = machine(24, 384).gpus[0]
    w_cpu, _ = weight_bytes(v3, lay)
    assert w_cpu % 2 == 0
    buffers = llama_bytes(v3, lay)["cpu"] - w_cpu  # KV cache and buffers: always in RAM

    def at(resident):
        return mmap_plans(machine(24, 384), v3, (4096, "q8_0", True), buffers + resident, [(gpu, llama_bytes(v3, lay)["gpu"])], 16)
    assert at(w_cpu) == []  # it all fits in RAM: no need to map
    (half,) = at(w_cpu // 2)
    assert half.mmap_from_disk_bytes == w_cpu // 2
    assert at(w_cpu // 2 - 1) == []  # less than half: every token would wait on the disk
    assert (half.model_path, half.n_batch, half.kv_type, half.n_ctx, half.use_mmap) == (v3.path, 512, "q8_0", 4096, True)
    assert half.est_bytes == {"cpu": buffers + w_cpu // 2, "cuda:0": llama_bytes(v3, lay)["gpu"]}


def test_a_described_ram_bandwidth_sets_the_speed_of_the_last_resort_too(v3):
    base = plan(machine(24, 384), v3).plans[0]
    narrow = plan(machine(24, 384, bandwidth=20e9), v3).plans[0]
    assert base.mmap_from_disk_bytes and narrow.mmap_from_disk_bytes
    assert narrow.est_decode_tok_s < base.est_decode_tok_s
