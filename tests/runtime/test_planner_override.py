"""The user's own GPU split (per-model settings) laid over the planner's plans: which plan it
adjusts, how its numbers are bounded, what else changes, and the sentence that says so."""
from __future__ import annotations

from dataclasses import replace

import pytest

from runtime.hardware import GpuInfo, HardwareInfo
from runtime.modelfile import inspect
from runtime.planner import PlanPreferences, plan
from runtime.planning.override import with_override
from runtime.types import Plan
from tests.fixtures.models import tiny

GiB = 2**30
N_LAYERS = 4
CPU = Plan("llama_cpp", "m.gguf", n_threads=8, est_decode_tok_s=9.0, reason="CPU.")
TORCH_GPU = Plan("torch", "m", device="cuda:0", dtype="bfloat16", reason="torch.")
GPU = Plan("llama_cpp", "m.gguf", device="cuda:1", n_gpu_layers=5, n_cpu_moe_layers=2, n_ctx=8192,
           use_mmap=False, est_bytes={"cuda:1": GiB, "cpu": 2 * GiB}, est_decode_tok_s=30.0, reason="Planned.")
PLANS = (TORCH_GPU, CPU, GPU)


def mine(**prefs) -> tuple[Plan, ...]:
    return with_override(PLANS, PlanPreferences(**prefs), N_LAYERS)


def test_no_setting_keeps_the_planner_s_plans():
    assert mine() is PLANS


def test_the_first_llama_cpp_gpu_plan_is_adjusted_and_put_first_the_planner_s_stay_behind():
    plans = mine(n_gpu_layers=3, n_cpu_moe_layers=1)
    assert plans[1:] == PLANS
    assert plans[0] == replace(GPU, n_gpu_layers=3, n_cpu_moe_layers=1, use_mmap=False, est_decode_tok_s=None,
                               reason="Your setting: 3 of 5 layers on cuda:1, experts of 1 layers in RAM "
                                      "(the planner chose 5 and 2).")


@pytest.mark.parametrize("prefs, split", [
    (dict(n_gpu_layers=3), (3, 2)),              # the experts as planned
    (dict(n_cpu_moe_layers=0), (5, 0)),          # the layers as planned
    (dict(n_gpu_layers=99, n_cpu_moe_layers=99), (5, 4)),  # at most every layer and the output
    (dict(n_gpu_layers=-3, n_cpu_moe_layers=-1), (0, 0)),
    (dict(n_gpu_layers=1, n_cpu_moe_layers=4), (1, 4)),
])
def test_each_number_is_the_user_s_within_the_model_s_layers_the_other_the_planner_s(prefs, split):
    first = mine(**prefs)[0]
    assert (first.n_gpu_layers, first.n_cpu_moe_layers) == split
    assert first.reason == (f"Your setting: {split[0]} of 5 layers on cuda:1, experts of {split[1]} layers in RAM "
                            "(the planner chose 5 and 2).")


@pytest.mark.parametrize("prefs, use_mmap", [
    (dict(n_gpu_layers=3, n_cpu_moe_layers=1), False),  # experts in RAM with GPU layers: read in, not mapped
    (dict(n_cpu_moe_layers=0), True),
    (dict(n_gpu_layers=0), True),
])
def test_the_file_is_mapped_unless_experts_stay_in_ram_beside_gpu_layers(prefs, use_mmap):
    assert mine(**prefs)[0].use_mmap is use_mmap


def test_the_planner_s_own_split_asked_again_changes_nothing():
    assert mine(n_gpu_layers=5, n_cpu_moe_layers=2) is PLANS
    assert mine(n_gpu_layers=5) is PLANS and mine(n_cpu_moe_layers=2) is PLANS


def test_without_a_llama_cpp_gpu_plan_the_cpu_runs_it_as_planned():
    assert with_override((TORCH_GPU, CPU), PlanPreferences(n_gpu_layers=2), N_LAYERS) == (TORCH_GPU, CPU)


def test_with_the_planner_s_plans_for_a_real_moe_file(tmp_path):
    m = inspect(tiny.write_gguf(tmp_path / "moe.gguf", n_layers=N_LAYERS, n_experts=4))
    hw = HardwareInfo((GpuInfo(0, "RTX", 24 * GiB, 23 * GiB, (8, 9), "GPU-1"),), 64 * GiB, 60 * GiB, 8, 8, True)
    planned = plan(hw, m, PlanPreferences()).plans
    gpu = next(p for p in planned if p.device == "cuda:0")
    adjusted = with_override(planned, PlanPreferences(n_cpu_moe_layers=3), m.n_layers)
    assert adjusted[1:] == planned
    assert adjusted[0] == replace(gpu, n_cpu_moe_layers=3, use_mmap=False, est_decode_tok_s=None,
                                  reason=f"Your setting: {gpu.n_gpu_layers} of 5 layers on cuda:0, experts of 3 "
                                         f"layers in RAM (the planner chose {gpu.n_gpu_layers} and "
                                         f"{gpu.n_cpu_moe_layers}).")
