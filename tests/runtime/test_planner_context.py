"""The default context: the longest that fits comfortably on the machine described, up to the
model's trained length (runtime/planning/context.py), and the user's own setting still wins."""
from __future__ import annotations

from dataclasses import replace

import pytest

from runtime.cli import main
from runtime.hardware import HardwareInfo
from runtime.loading import machine_context
from runtime.modelfile import inspect
from runtime.planner import PlanPreferences, plan
from runtime.planning.choose import gpu_budget, ram_budget
from runtime.planning.context import SPEED_FLOOR, full_context_speed, prompt_seconds, steps
from runtime.planning.memory import kv_cache_bytes
from tests.fixtures.models import real
from tests.runtime.test_planner import GB, machine, model


def fits(hw: HardwareInfo, p) -> bool:
    """The plan's estimate within the planner's own budgets (free memory less the margins)."""
    gpu = {f"cuda:{g.index}": gpu_budget(g) for g in hw.gpus}
    return all(used <= (ram_budget(hw) if dev == "cpu" else gpu[dev]) for dev, used in p.est_bytes.items())


def test_the_steps_tried_run_from_the_base_to_the_trained_length():
    assert steps(4096, 8192) == [6144, 8192]
    assert steps(4096, 163840) == [6144, 8192, 12288, 16384, 24576, 32768, 49152, 65536, 98304, 131072, 163840]
    assert steps(4096, 4096) == [] and steps(2048, 2048) == []


def test_a_two_core_machine_without_a_gpu_gives_smollm2_its_trained_context():
    m = inspect(str(real.need_smollm2()))  # 135M, trained for 8192 tokens
    hw = HardwareInfo((), 8 * GB, 5 * GB, 2, 2, False)
    (p,) = plan(hw, m).plans
    assert (p.device, p.n_ctx, p.n_threads) == ("cpu", 8192, 2) and fits(hw, p)
    assert p.reason.endswith("Context: 8192 tokens, the longest this model was trained for.")
    # a 1 GiB machine: 4096 tokens need 0.3 GiB, 8192 would take more than half of what is left
    small = HardwareInfo((), 1536 * 2**20, 1400 * 2**20, 2, 2, False)
    (q,) = plan(small, m).plans
    assert q.n_ctx == 6144 and fits(small, q) and "half of the free RAM" in q.reason


def test_a_cpu_alone_keeps_prompts_readable():
    """A 7B on 8 CPU threads reads prompts at ~20 tokens/s (2 x 6.5 GFLOP a token outside the
    embedding and output head, at 32 GFLOP/s a thread): half of 6144 tokens would take 156 s, so
    it keeps 4096 though its RAM holds 64K."""
    m = model("DeepSeek-R1-Distill-Qwen-7B")
    hw = machine(0, ram_gb=64)
    (p,) = plan(hw, m).plans
    assert (p.device, p.n_ctx) == ("cpu", 4096) and prompt_seconds(hw, m, p) > 60
    assert p.reason.endswith("Context: 4096 tokens; on the CPU a prompt filling half of a longer one would "
                             "take over a minute to read.")
    lite = plan(hw, model("DeepSeek-V2-Lite-Chat")).plans[0]  # 2.2B active past the lookups: ~57 tokens/s
    assert (lite.device, lite.n_ctx) == ("cpu", 6144) and prompt_seconds(hw, model("DeepSeek-V2-Lite-Chat"), lite) <= 60


def test_a_24_gb_gpu_gives_a_7b_q4_64k():
    m = model("DeepSeek-R1-Distill-Qwen-7B")  # Q4_K_M, 4.3 GiB, 56 KiB of KV a token, trained 128K
    hw = machine(24)
    p = plan(hw, m).plans[0]
    assert (p.device, p.n_gpu_layers, p.kv_type, p.n_ctx) == ("cuda:0", 29, "f16", 65536) and fits(hw, p)
    assert p.est_bytes["cuda:0"] > kv_cache_bytes(m, 65536) + m.weight_bytes  # the cache is counted
    # 96K would still fit in memory, but a token at its end would decode below half the speed at 4096
    base = plan(hw, m, PlanPreferences(n_ctx=4096)).plans[0]
    longer = plan(hw, m, PlanPreferences(n_ctx=98304)).plans[0]
    assert longer.device == "cuda:0" and fits(hw, longer)
    assert full_context_speed(hw, m, p) >= SPEED_FLOOR * full_context_speed(hw, m, base)
    assert full_context_speed(hw, m, longer) < SPEED_FLOOR * full_context_speed(hw, m, base)
    assert "at least half as fast as at 4096" in p.reason
    cpu = plan(hw, m).plans[-1]  # the fallback gets the context that fits the RAM
    assert cpu.device == "cpu" and fits(hw, cpu) and cpu.n_ctx >= 4096


def test_an_80_gb_gpu_with_v2_lite():
    hw = machine(80, ram_gb=128)
    gguf = plan(hw, model("DeepSeek-V2-Lite-Chat")).plans[0]  # MLA: 30 KiB of latent a token
    assert (gguf.device, gguf.kv_type, gguf.n_ctx) == ("cuda:0", "f16", 49152) and fits(hw, gguf)
    # the torch engine's compiled step reads its whole static cache for every token: a longer
    # context slows every reply, so it stops where short replies keep 90% of their speed
    hf = plan(hw, model("DeepSeek-V2-Lite-Chat", "hf")).plans[0]
    assert (hf.engine, hf.device, hf.n_ctx) == ("torch", "cuda:0", 16384) and fits(hw, hf)
    assert "at most a tenth of their speed" in hf.reason


def test_a_big_moe_with_experts_in_ram_keeps_its_speed():
    m = model("DeepSeek-V2-Lite-Chat")
    hw = machine(8, ram_gb=32)
    base = plan(hw, m, PlanPreferences(n_ctx=4096)).plans[0]
    p = plan(hw, m).plans[0]
    assert p.n_gpu_layers == 28 and 0 < p.n_cpu_moe_layers < 27 and fits(hw, p)
    assert p.n_ctx == 32768 and p.est_decode_tok_s >= 0.9 * base.est_decode_tok_s
    assert "at most a tenth of their speed at 4096" in p.reason
    v3 = model("DeepSeek-V3")  # 24 GB GPU, 512 GiB of RAM: attention on the GPU, experts in RAM
    big = replace(machine(24, ram_gb=512), free_physical_cores=32, physical_cores=32)
    q = plan(big, v3).plans[0]
    assert q.n_gpu_layers == 62 and q.n_cpu_moe_layers > 0 and fits(big, q)
    assert q.n_ctx == v3.ctx_train == 163840  # its latent cache is small next to 37B active weights
    short = plan(big, v3, PlanPreferences(n_ctx=4096)).plans[0]
    assert q.est_bytes["cuda:0"] - short.est_bytes["cuda:0"] >= kv_cache_bytes(v3, 163840, "q8_0") * 0.9


def test_the_users_setting_wins_and_the_reason_says_so():
    m = model("DeepSeek-R1-Distill-Qwen-7B")
    p = plan(machine(24), m, PlanPreferences(n_ctx=8192)).plans[0]
    assert p.n_ctx == 8192 and p.reason.endswith("Context: 8192 tokens, as set in the settings.")
    over = plan(machine(24), model("deepseek-llm-7b-chat"), PlanPreferences(n_ctx=32768)).plans[0]
    assert over.n_ctx == 4096 and over.reason.endswith(
        "Context: 4096 tokens, the model's trained length (the setting asks for 32768).")
    exactly = plan(machine(24), model("deepseek-llm-7b-chat"), PlanPreferences(n_ctx=4096)).plans[0]
    assert exactly.reason.endswith(" tokens. Context: 4096 tokens, as set in the settings.")  # its trained length
    shortened = plan(machine(8), m, PlanPreferences(n_ctx=131072)).plans[0]  # the reason says why, no note
    assert shortened.n_ctx == 65536 and shortened.reason.endswith(
        " at 65536 tokens. Context shortened from 131072 to 65536 tokens to fit. "
        "KV cache quantized to q8_0 (with flash attention) to fit.")
    trained_short = plan(machine(24), model("deepseek-moe-16b-chat")).plans[0]  # trained for 4096
    assert trained_short.n_ctx == 4096 and "the longest this model was trained for" in trained_short.reason


def test_the_context_for_a_reload_counts_the_loaded_models_memory_as_free():
    path = str(real.need_smollm2())
    loaded = plan(HardwareInfo((), 8 * GB, 5 * GB, 2, 2, False), inspect(path), PlanPreferences(n_ctx=2048)).plans[0]
    # the loaded model's cache and buffers hold most of what is free now: counted back, 8192 fits
    now = HardwareInfo((), 8 * GB, loaded.est_bytes["cpu"] + 1200 * 2**20, 2, 2, False)
    best = machine_context(path, PlanPreferences(n_ctx=2048), loaded, now)
    assert best is not None and best.n_ctx == 8192
    assert machine_context(path, PlanPreferences(), None, now).n_ctx < 8192  # without counting it back
    assert machine_context("http://127.0.0.1:1/v1", PlanPreferences(), None, now) is None


@pytest.mark.parametrize("args, ctx", [(["--no-gpu", "--ram", "8GiB", "--cores", "2"], 8192),
                                       (["--no-gpu", "--ram", "8GiB", "--ctx", "2048"], 2048)])
def test_deskseek_plan_shows_the_context_and_why(capsys, args, ctx):
    assert main(["plan", str(real.need_smollm2()), *args]) == 0
    out = capsys.readouterr().out
    assert f"context {ctx}," in out
    assert (f"Context: {ctx} tokens, the longest this model was trained for." if ctx == 8192
            else f"Context: {ctx} tokens, as set in the settings.") in out


SPEED = "the longest at which replies still come at least half as fast as at 4096 (each new token reads the whole KV cache)."
EVERYDAY = "the longest that costs short replies at most a tenth of their speed at 4096."
GPU_HALF = "the longest whose KV cache leaves half of the free GPU memory free."
RAM_HALF = "the longest whose KV cache leaves half of the free RAM free."
PROMPT = "on the CPU a prompt filling half of a longer one would take over a minute to read."


@pytest.mark.parametrize("name, fmt, hw, prefs, route, note", [
    ("DeepSeek-R1-Distill-Qwen-7B", "gguf", machine(24, 64), {}, ("llama_cpp", "cuda:0", None), f"65536 tokens, {SPEED}"),
    ("DeepSeek-V2-Lite-Chat", "gguf", machine(0, 16, cores=64), {}, ("llama_cpp", "cpu", None), f"49152 tokens, {SPEED}"),
    ("DeepSeek-R1-Distill-Qwen-32B", "gguf", machine(8, 32), {}, ("llama_cpp", "cuda:0", None), f"32768 tokens, {EVERYDAY}"),
    ("DeepSeek-R1-Distill-Qwen-7B", "hf", machine(80, 256, cores=16), {}, ("torch", "cuda:0", "bfloat16"),
     f"32768 tokens, {EVERYDAY}"),
    ("DeepSeek-V2-Lite-Chat", "hf", machine(80, 256, cores=16), {}, ("torch", "cuda:0", "bfloat16"),
     f"16384 tokens, {EVERYDAY}"),
    ("DeepSeek-R1-Distill-Qwen-7B", "hf", machine(24, 64), {}, ("torch", "cuda:0", "bfloat16"), f"32768 tokens, {GPU_HALF}"),
    ("DeepSeek-R1-Distill-Qwen-32B", "hf", machine(80, 256, cores=16), {}, ("torch", "cuda:0", "bfloat16"),
     f"24576 tokens, {GPU_HALF}"),
    ("DeepSeek-R1-Distill-Qwen-7B", "gguf", machine(8, 32), {}, ("llama_cpp", "cuda:0", None), f"16384 tokens, {GPU_HALF}"),
    ("DeepSeek-R1-Distill-Qwen-32B", "gguf", machine(24, 64), {}, ("llama_cpp", "cuda:0", None), f"8192 tokens, {GPU_HALF}"),
    ("DeepSeek-V2-Lite-Chat", "gguf", machine(0, 12, cores=32), {}, ("llama_cpp", "cpu", None), f"12288 tokens, {RAM_HALF}"),
    ("DeepSeek-R1-Distill-Qwen-7B", "gguf", machine(0, 8, cores=64), {}, ("llama_cpp", "cpu", None), f"16384 tokens, {RAM_HALF}"),
    ("DeepSeek-R1-Distill-Qwen-7B", "gguf", machine(0, 64, cores=32), {}, ("llama_cpp", "cpu", None), f"8192 tokens; {PROMPT}"),
    ("DeepSeek-R1-Distill-Qwen-7B", "gguf", machine(0, 64, cores=32), dict(n_threads=4), ("llama_cpp", "cpu", None),
     f"4096 tokens; {PROMPT}"),
    ("DeepSeek-R1-Distill-Qwen-7B", "hf", machine(0, 64, cores=32), {}, ("torch", "cpu", "float32"), f"8192 tokens; {PROMPT}"),
    ("DeepSeek-V2-Lite-Chat", "hf", machine(0, 64, cores=32), {}, ("torch", "cpu", "bfloat16"), f"24576 tokens; {PROMPT}"),
    ("DeepSeek-V2-Lite-Chat", "gguf", machine(0, 64), {}, ("llama_cpp", "cpu", None), f"6144 tokens; {PROMPT}"),
    ("deepseek-llm-7b-chat", "gguf", machine(0, 16, cores=2), {}, ("llama_cpp", "cpu", None),
     "4096 tokens, the longest this model was trained for."),
])
def test_the_context_chosen_and_the_reason_said(name, fmt, hw, prefs, route, note):
    p = plan(hw, model(name, fmt), PlanPreferences(**prefs)).plans[0]
    assert (p.engine, p.device, p.dtype) == route
    assert p.reason.endswith(" Context: " + note)

