"""The one line per plan that the Models page and `deskseek models files` show: where the model
runs and how fast, whole, for each kind of plan."""
from __future__ import annotations

import pytest

from runtime.hardware import GpuInfo, HardwareInfo
from runtime.modelfile import inspect
from runtime.planning.summary import one_line
from runtime.types import Plan
from tests.fixtures.models.real import need_smollm2

GiB, MiB = 2**30, 2**20
TWO_GPUS = HardwareInfo((GpuInfo(0, "RTX 4090", 24 * GiB, 23 * GiB, (8, 9), "GPU-a"),
                         GpuInfo(1, "RTX 3060", 12 * GiB, 11 * GiB, (8, 6), "GPU-b")),
                        64 * GiB, 60 * GiB, 8, 8, True)


@pytest.fixture(scope="module")
def smol():
    m = inspect(str(need_smollm2()))
    assert m.n_layers == 30
    return m


def llama(**kw) -> Plan:
    return Plan(engine="llama_cpp", model_path="m.gguf", **kw)


@pytest.mark.parametrize("p, line", [
    (llama(device="cuda:0", n_gpu_layers=31, n_ctx=8192, est_bytes={"cuda:0": 3 * GiB, "cpu": 200 * MiB},
           est_decode_tok_s=45.5),
     "all 30 layers on RTX 4090, 3.0 GiB GPU + 200 MiB RAM, context 8192, ≈45.5 tok/s"),
    (llama(device="cuda:1", n_gpu_layers=31, est_bytes={"cuda:1": 3 * GiB}, kv_type="q8_0"),
     "all 30 layers on RTX 3060, 3.0 GiB GPU, context 4096, KV q8_0"),
    (llama(device="cuda:0", n_gpu_layers=30, est_bytes={"cuda:0": 2 * GiB, "cpu": GiB}, est_decode_tok_s=20),
     "30 of 30 layers on RTX 4090, the rest on the CPU, 2.0 GiB GPU + 1.0 GiB RAM, context 4096, ≈20 tok/s"),
    (llama(device="cuda:0", n_gpu_layers=12, est_bytes={"cuda:0": GiB, "cpu": 2 * GiB}),
     "12 of 30 layers on RTX 4090, the rest on the CPU, 1.0 GiB GPU + 2.0 GiB RAM, context 4096"),
    (llama(device="cuda:0", n_gpu_layers=31, n_cpu_moe_layers=5, est_bytes={"cuda:0": GiB, "cpu": 9 * GiB}),
     "on RTX 4090, experts of 5 layers in RAM, 1.0 GiB GPU + 9.0 GiB RAM, context 4096"),
    (llama(device="cuda:0", n_gpu_layers=30, n_cpu_moe_layers=3, est_bytes={"cuda:0": GiB}),
     "30 of 30 layers on RTX 4090, experts in RAM, 1.0 GiB GPU, context 4096"),
    (llama(device="cuda:0", n_gpu_layers=31, n_cpu_moe_layers=20, mmap_from_disk_bytes=40 * GiB,
           est_bytes={"cuda:0": 20 * GiB, "cpu": 300 * GiB}, est_decode_tok_s=2.25),
     "on RTX 4090, experts of 20 layers in RAM, 40.0 GiB mapped from disk (last resort), "
     "20.0 GiB GPU + 300.0 GiB RAM, context 4096, ≈2.25 tok/s"),
    (llama(n_threads=1, est_bytes={"cpu": 300 * MiB}, est_decode_tok_s=30),
     "CPU only, 1 thread, 300 MiB RAM, context 4096, ≈30 tok/s"),
    (llama(n_threads=2, est_bytes={"cpu": 300 * MiB}), "CPU only, 2 threads, 300 MiB RAM, context 4096"),
    (llama(n_threads=8, n_ctx=2048, est_bytes={"cpu": 300 * MiB}), "CPU only, 8 threads, 300 MiB RAM, context 2048"),
    (Plan(engine="torch", model_path="m", device="cuda:0", dtype="bfloat16", est_bytes={"cuda:0": GiB}),
     "torch bfloat16 on RTX 4090, 1.0 GiB GPU, context 4096"),
    (Plan(engine="torch", model_path="m", dtype="float32", est_bytes={"cpu": GiB}),
     "torch float32 on the CPU, 1.0 GiB RAM, context 4096"),
])
def test_each_kind_of_plan_in_one_whole_line(smol, p, line):
    assert one_line(p, smol, TWO_GPUS) == line


def test_without_the_hardware_the_gpu_is_named_by_its_device(smol):
    p = llama(device="cuda:1", n_gpu_layers=31, est_bytes={"cuda:1": GiB})
    assert one_line(p, smol) == "all 30 layers on cuda:1, 1.0 GiB GPU, context 4096"
    gone = HardwareInfo(TWO_GPUS.gpus[:1], 64 * GiB, 60 * GiB, 8, 8, True)  # that GPU is not there now
    assert one_line(p, smol, gone) == "all 30 layers on cuda:1, 1.0 GiB GPU, context 4096"


def test_the_lines_of_real_plans_with_their_memory_and_speed(smol):
    """What the Models page shows for the planner's own plans: the memory it estimates on each
    device and the decode speed (the bytes each token reads over each device's bandwidth)."""
    from dataclasses import replace as with_

    from runtime.planner import PlanPreferences, plan
    from tests.runtime.test_planner import machine, model

    q7 = model("DeepSeek-R1-Distill-Qwen-7B")
    cases = [
        (machine(24), smol, 8192, "all 30 layers on GPU 24G, 970 MiB GPU + 53 MiB RAM, context 8192, ≈6212.7 tok/s"),
        (machine(24), q7, 4096, "all 28 layers on GPU 24G, 5.1 GiB GPU + 393 MiB RAM, context 4096, ≈140 tok/s"),
        (machine(0, 64), q7, 4096, "CPU only, 8 threads, 4.8 GiB RAM, context 4096, ≈8.4 tok/s"),
        (with_(machine(0, 64), ram_bandwidth_bytes_s=30e9), q7, 4096,
         "CPU only, 8 threads, 4.8 GiB RAM, context 4096, ≈4.2 tok/s"),
        (machine(8, 64), model("DeepSeek-R1-Distill-Qwen-32B"), 4096,
         "22 of 64 layers on GPU 8G, the rest on the CPU, 7.1 GiB GPU + 12.9 GiB RAM, context 4096, KV q8_0, ≈2.7 tok/s"),
        (machine(8, 64), model("DeepSeek-V2-Lite-Chat"), 4096,
         "on GPU 8G, experts of 9 layers in RAM, 7.1 GiB GPU + 2.7 GiB RAM, context 4096, KV q8_0, ≈110.5 tok/s"),
        (machine(8, 512), model("DeepSeek-V3"), 4096,
         "47 of 61 layers on GPU 8G, experts in RAM, 7.2 GiB GPU + 372.8 GiB RAM, context 4096, KV q8_0, ≈2.3 tok/s"),
        (machine(24), model("DeepSeek-R1-Distill-Qwen-7B", "hf"), 4096,
         "torch bfloat16 on GPU 24G, 15.4 GiB GPU, context 4096, ≈39.4 tok/s"),
    ]
    for hw, m, n_ctx, line in cases:
        assert one_line(plan(hw, m, PlanPreferences(n_ctx=n_ctx)).plans[0], m, hw) == line
