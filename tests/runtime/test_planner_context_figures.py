"""The figures the default context is chosen by (runtime/planning/context.py), each against the
rule its docstring states, and the scenarios where the search stops for each reason: the context
scenarios of test_planner_context.py pin the context chosen, but a figure moved a little crosses
no bound there (issue 11 §4: mutants of these figures survived)."""
from __future__ import annotations

from dataclasses import replace

import pytest

from runtime.hardware import HardwareInfo
from runtime.modelfile.arch import kv_bytes_per_token
from runtime.planner import PlanPreferences, plan
from runtime.planning.context import (CPU_PROMPT_FLOPS_PER_THREAD, ROOM_SHARE, _roomy, full_context_speed,
                                      prompt_seconds)
from runtime.types import Plan
from tests.runtime.test_planner import GB, machine, model

QWEN7 = "DeepSeek-R1-Distill-Qwen-7B"  # untied embeddings, trained for 128K tokens


def cpu_plan(m, n_ctx, threads=None, **kw) -> Plan:
    return Plan(engine="llama_cpp", model_path=m.path, device="cpu", n_ctx=n_ctx, n_threads=threads, **kw)


def test_a_cpu_reads_half_the_context_at_two_flop_a_parameter_past_the_lookups():
    m, hw = model(QWEN7), machine(0, cores=8)
    a = m.hparams
    assert not a.tied_embeddings
    per_token = 2 * (m.n_active_params - 2 * a.n_vocab * a.n_embd)  # embedding and output head apart
    want = 4096 * per_token / (2 * CPU_PROMPT_FLOPS_PER_THREAD)
    assert prompt_seconds(hw, m, cpu_plan(m, 8192, threads=2)) == pytest.approx(want, rel=1e-12)
    # one thread takes twice as long; no thread count set: the machine's free cores
    assert prompt_seconds(hw, m, cpu_plan(m, 8192, threads=1)) == pytest.approx(2 * want, rel=1e-12)
    assert prompt_seconds(hw, m, cpu_plan(m, 8192)) == pytest.approx(want / 4, rel=1e-12)
    # tied embeddings: the one matrix is counted out once
    tied = replace(m, hparams=replace(a, tied_embeddings=True))
    per_token_tied = 2 * (m.n_active_params - a.n_vocab * a.n_embd)
    assert prompt_seconds(hw, tied, cpu_plan(tied, 8192, threads=2)) == pytest.approx(
        4096 * per_token_tied / (2 * CPU_PROMPT_FLOPS_PER_THREAD), rel=1e-12)


def test_a_model_mostly_lookup_still_costs_a_quarter_of_its_parameters():
    """A vocabulary larger than three quarters of the model (a tiny model with a huge tokenizer):
    the quarter, in whole parameters, is what is counted."""
    m = model(QWEN7)
    small = replace(m, n_active_params=2 * m.hparams.n_vocab * m.hparams.n_embd + 4003)
    want = 2048 * 2 * (small.n_active_params // 4) / (1 * CPU_PROMPT_FLOPS_PER_THREAD)
    assert prompt_seconds(machine(0), small, cpu_plan(small, 4096, threads=1)) == pytest.approx(want, rel=1e-12)


def test_a_gpu_plan_takes_no_prompt_time_into_account():
    m = model(QWEN7)
    assert prompt_seconds(machine(24), m, Plan(engine="llama_cpp", model_path=m.path, device="cuda:0",
                                               n_gpu_layers=29, n_ctx=131072)) == 0.0


def test_torch_at_a_full_context_reads_its_weights_at_their_width_and_every_cached_token():
    m = model(QWEN7, "hf")
    kv = kv_bytes_per_token(m.hparams, "torch")

    def speed(dtype):
        return full_context_speed(machine(80), m, Plan(engine="torch", model_path=m.path, device="cuda:0",
                                                       dtype=dtype, n_ctx=32768))
    # float32 weights are twice as wide as bfloat16 or float16 ones; the cache is the same
    ratio = (m.n_active_params * 2 + 32768 * kv) / (m.n_active_params * 4 + 32768 * kv)
    assert speed("float32") / speed("bfloat16") == pytest.approx(ratio, rel=1e-12)
    assert speed("float16") == speed("bfloat16")


def test_llama_at_a_full_context_reads_the_cache_with_the_plans_threads_and_the_machines_bandwidth():
    m = model(QWEN7)
    hw = machine(0, cores=8)
    short, long = full_context_speed(hw, m, cpu_plan(m, 4096, 2)), full_context_speed(hw, m, cpu_plan(m, 65536, 2))
    assert long < short  # the cache is read too
    # the plan's own thread count, not the machine's free cores
    assert short == full_context_speed(replace(hw, free_physical_cores=2), m, cpu_plan(m, 4096))
    assert short != full_context_speed(hw, m, cpu_plan(m, 4096))
    # a slower RAM than the threads could use (a described machine) slows it down
    slow = replace(hw, ram_bandwidth_bytes_s=5e9)
    assert full_context_speed(slow, m, cpu_plan(m, 4096, 2)) < short


def room_plans(before: dict, after: dict):
    m = model(QWEN7)
    return (Plan(engine="llama_cpp", model_path=m.path, device="cuda:0", est_bytes=before),
            Plan(engine="llama_cpp", model_path=m.path, device="cuda:0", est_bytes=after))


def test_a_longer_context_may_take_half_of_what_was_left_free_and_not_a_byte_more():
    budget = {"cpu": 10_000, "cuda:0": 5_000}.__getitem__
    # RAM: 4,000 used of 10,000, so 3,000 more is half of the 6,000 left
    p, q = room_plans({"cpu": 4_000, "cuda:0": 1_000}, {"cpu": 4_000 + int(ROOM_SHARE * 6_000), "cuda:0": 1_000})
    assert _roomy((1, 0), p, q, budget)
    p, q = room_plans({"cpu": 4_000, "cuda:0": 1_000}, {"cpu": 7_001, "cuda:0": 1_000})
    assert not _roomy((1, 0), p, q, budget)
    # the GPU too, for a plan wholly on it: 2,000 of the 4,000 left
    p, q = room_plans({"cpu": 100, "cuda:0": 1_000}, {"cpu": 100, "cuda:0": 3_000})
    assert _roomy((1, 0), p, q, budget)
    p, q = room_plans({"cpu": 100, "cuda:0": 1_000}, {"cpu": 100, "cuda:0": 3_001})
    assert not _roomy((1, 0), p, q, budget)
    # nothing left free: not a byte more
    p, q = room_plans({"cpu": 10_000}, {"cpu": 10_000})
    assert _roomy((4, 0), p, q, budget)
    p, q = room_plans({"cpu": 10_000}, {"cpu": 10_001})
    assert not _roomy((4, 0), p, q, budget)


@pytest.mark.parametrize("tier", [2, 3])
def test_a_split_plan_fills_the_gpu_by_design_but_not_the_ram(tier):
    budget = {"cpu": 10_000, "cuda:0": 5_000}.__getitem__
    # the GPU (listed first) grows past its share: a split plan pays for that with layers moved
    p, q = room_plans({"cuda:0": 4_000, "cpu": 1_000}, {"cuda:0": 5_000, "cpu": 1_000})
    assert _roomy((tier, 0), p, q, budget) and not _roomy((1, 0), p, q, budget)
    # ... but RAM past half of what was free is too much, whatever the GPU does
    p, q = room_plans({"cuda:0": 4_000, "cpu": 1_000}, {"cuda:0": 4_000, "cpu": 6_000})
    assert not _roomy((tier, 0), p, q, budget)


def test_a_plan_wholly_on_the_gpu_stops_where_the_next_context_needs_another_cache_type():
    """A 7B at 4096 with an f16 cache just fits a 6 GB card; at 6144 only a q8_0 cache would: that
    is not the same plan, so the context stays at 4096 and the GPU's room is named."""
    m = model(QWEN7)
    p = plan(machine(6), m).plans[0]
    assert (p.device, p.n_gpu_layers, p.kv_type, p.n_ctx) == ("cuda:0", 29, "f16", 4096)
    assert p.reason.endswith("Context: 4096 tokens, the longest whose KV cache leaves half of the free GPU "
                             "memory free.")


def test_a_split_plan_is_stopped_by_the_ram_and_says_so():
    """V2-Lite on a 4 GB card: its experts of 24 layers in RAM; the longer context's cache grows in
    RAM, and the GPU (full by design) is not what stops it."""
    m = model("DeepSeek-V2-Lite-Chat")
    p = plan(machine(4, ram_gb=10), m).plans[0]
    assert (p.device, p.n_cpu_moe_layers, p.n_ctx) == ("cuda:0", 24, 49152)
    assert p.reason.endswith("Context: 49152 tokens, the longest whose KV cache leaves half of the free RAM "
                             "free.")


@pytest.mark.parametrize("ram_gb, batch", [(6.28, 128), (6.4, 128), (6.6, 512)])
def test_a_cpu_plan_without_a_quantized_cache_is_not_stretched_by_shortening(ram_gb, batch):
    """RAM for 4096 tokens of f16 cache and not comfortably for 6144 (at 6.28 GB not at all): the
    longer contexts are tried as they are, never shortened to fit (a 6144 shortened to 3072 would
    be shorter than the context already found)."""
    m = model(QWEN7)
    hw = HardwareInfo((), int(ram_gb * GB), int(ram_gb * GB * 0.9), 8, 8, False)
    (p,) = plan(hw, m, PlanPreferences(allow_kv_quant=False)).plans
    assert (p.device, p.kv_type, p.n_ctx, p.n_batch) == ("cpu", "f16", 4096, batch)
    assert p.reason.endswith("Context: 4096 tokens, the longest whose KV cache leaves half of the free RAM free.")


def test_a_plan_wholly_on_the_gpu_stops_where_no_such_plan_exists_at_the_next_context():
    """A GPU whose budget holds the 7B with 4096 tokens of f16 cache and not 6144: at 6144 the
    whole model fits only with a q8_0 cache, a different plan, so the search stops at 4096."""
    from runtime.hardware import GpuInfo
    from runtime.planning.choose import gpu_budget
    m = model(QWEN7)
    total = 8 * GB
    gpu = GpuInfo(0, "GPU", total, 5_530_000_000 + total // 32, (8, 9), "GPU-0", 1e12)
    assert 5_476_696_600 <= gpu_budget(gpu) < 5_594_137_112  # the plan at 4096 and at 6144
    p = plan(HardwareInfo((gpu,), 64 * GB, 58 * GB, 8, 8, True), m).plans[0]
    assert (p.device, p.n_gpu_layers, p.kv_type, p.n_ctx) == ("cuda:0", 29, "f16", 4096)
    assert p.reason.endswith("Context: 4096 tokens, the longest whose KV cache leaves half of the free GPU "
                             "memory free.")
