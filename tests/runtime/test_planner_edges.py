"""The planner at its edges (runtime/planning/choose.py): contexts shortened to fit, KV caches
without quantization, an engine the user forces, the memory-mapped last resort, and the flags a
plan hands llama.cpp. Each detail here is what llama.cpp or torch is then asked to do, or what the
Models page shows; mutants of them survived the other planner tests (issue 11 §4)."""
from __future__ import annotations

import json
from dataclasses import replace

from runtime.hardware import HardwareInfo
from runtime.planner import PlanPreferences, plan
from runtime.planning.memory import SMALL_BATCH
from runtime.modelfile import from_config
from tests.runtime.test_planner import CONFIGS, GB, machine, model

QWEN7 = "DeepSeek-R1-Distill-Qwen-7B"  # 56 KiB of KV a token, trained for 128K
LLM7 = "deepseek-llm-7b-chat"  # multi-head attention: 480 KiB of KV a token, trained for 4096


def ram_only(gb: float) -> HardwareInfo:
    return HardwareInfo((), int(gb * GB), int(gb * GB * 0.9), 8, 8, False)


def fields(p):
    return (p.engine, p.device, p.n_ctx, p.kv_type, p.flash_attn, p.n_batch, p.n_gpu_layers, p.n_cpu_moe_layers,
            p.use_mmap)


def test_a_context_shortened_to_fit_on_the_cpu_reads_prompts_in_small_batches_with_flash_attention():
    (p,) = plan(ram_only(6.5), model(LLM7)).plans
    assert fields(p) == ("llama_cpp", "cpu", 2048, "q8_0", True, SMALL_BATCH, 0, 0, True)
    # the cache's size is the quantized one's (f16 would be 960 MiB)
    assert p.reason == ("No CUDA GPU found: running on the CPU with 8 threads; 3.9 GiB model + 510 MiB KV cache at "
                        "2048 tokens fits in 5.8 GiB free RAM. Context shortened from 4096 to 2048 tokens to fit. KV "
                        "cache quantized to q8_0 (with flash attention) to fit. Prompts are read 128 tokens at a time "
                        "(slower) to fit.")


def test_without_a_quantized_cache_the_shortened_context_keeps_flash_attention():
    """Flash attention on the CPU is the planner's choice at every rung (25% faster here), not
    only where a quantized V cache needs it."""
    (p,) = plan(ram_only(7), model(LLM7), PlanPreferences(allow_kv_quant=False)).plans
    assert fields(p) == ("llama_cpp", "cpu", 2048, "f16", True, SMALL_BATCH, 0, 0, True)


def test_a_context_set_too_long_for_the_ram_is_halved_until_it_fits():
    m = model(QWEN7)
    (p,) = plan(ram_only(6.6), m, PlanPreferences(n_ctx=65536)).plans
    assert (p.n_ctx, p.kv_type, p.n_batch) == (16384, "q8_0", SMALL_BATCH)  # 65536, 32768, then 16384
    assert "Context shortened from 65536 to 16384 tokens to fit." in p.reason
    (q,) = plan(ram_only(6.4), m, PlanPreferences(n_ctx=65536)).plans
    assert q.n_ctx == 8192


def test_a_gpu_plan_shortened_to_fit_comes_with_the_cpu_plan_at_the_full_context():
    """A 6 GB card holds deepseek-llm-7b whole only with 2048 tokens of q8_0 cache: that plan is
    first, as it says, and the CPU plan at the model's 4096 tokens is still offered after it."""
    first, cpu = plan(machine(6, ram_gb=64), model(LLM7)).plans
    assert fields(first) == ("llama_cpp", "cuda:0", 2048, "q8_0", True, 512, 31, 0, True)
    assert first.reason == ("All 30/30 layers on GPU 6G (cuda:0): 5.0 GiB of 5.5 GiB free, with a 510 MiB KV cache "
                            "at 2048 tokens. Context shortened from 4096 to 2048 tokens to fit. KV cache quantized to "
                            "q8_0 (with flash attention) to fit.")
    assert fields(cpu) == ("llama_cpp", "cpu", 4096, "f16", True, 512, 0, 0, True)


def test_a_split_without_a_quantized_cache_keeps_flash_attention():
    (p, _cpu) = plan(machine(4), model(QWEN7), PlanPreferences(allow_kv_quant=False)).plans
    assert (p.device, p.kv_type, p.flash_attn, p.n_gpu_layers) == ("cuda:0", "f16", True, 15)


def test_weights_are_mapped_except_where_experts_are_overridden_to_the_ram():
    """llama.cpp warns that tensors overridden to the CPU run better read than mapped: only a plan
    with layers on the GPU and experts kept in RAM turns mapping off."""
    moe = plan(machine(8, ram_gb=16), model("deepseek-moe-16b-chat")).plans[0]
    assert (moe.device, moe.n_gpu_layers, moe.n_cpu_moe_layers, moe.use_mmap) == ("cuda:0", 29, 12, False)
    split, cpu = plan(machine(4), model(QWEN7)).plans
    assert (split.n_gpu_layers, split.n_cpu_moe_layers, split.use_mmap) == (16, 0, True)
    assert (cpu.device, cpu.use_mmap) == ("cpu", True)
    whole = plan(machine(24), model(QWEN7)).plans[0]
    assert (whole.n_gpu_layers, whole.use_mmap) == (29, True)


def test_forcing_torch_plans_only_torch_on_the_gpu_and_on_the_cpu():
    gguf, hf = model(QWEN7), model(QWEN7, "hf")
    gpu, cpu = plan(machine(24), [gguf, hf], PlanPreferences(engine="torch")).plans
    assert (gpu.engine, gpu.device, gpu.dtype, gpu.model_path) == ("torch", "cuda:0", "bfloat16", hf.path)
    assert (cpu.engine, cpu.device, cpu.dtype, cpu.model_path) == ("torch", "cpu", "float32", hf.path)


def test_forcing_llama_cpp_plans_only_the_gguf():
    gguf, hf = model(QWEN7), model(QWEN7, "hf")
    plans = plan(machine(24), [gguf, hf], PlanPreferences(engine="llama_cpp")).plans
    assert [(p.engine, p.device, p.model_path) for p in plans] == [("llama_cpp", "cuda:0", gguf.path),
                                                                 ("llama_cpp", "cpu", gguf.path)]


def on_disk(hw: HardwareInfo) -> HardwareInfo:
    return replace(hw, disk_read_bytes_s=2e9)


def test_the_last_resort_when_llama_cpp_is_forced():
    (p,) = plan(on_disk(ram_only(4)), model(QWEN7), PlanPreferences(engine="llama_cpp")).plans
    assert (p.device, p.n_ctx, p.kv_type, p.flash_attn) == ("cpu", 4096, "q8_0", True) and p.mmap_from_disk_bytes > 0


def test_the_last_resort_without_a_quantized_cache():
    (p,) = plan(on_disk(ram_only(4.5)), model(QWEN7), PlanPreferences(allow_kv_quant=False)).plans
    assert (p.device, p.n_ctx, p.kv_type, p.flash_attn, p.n_batch) == ("cpu", 4096, "f16", True, 512)
    assert p.mmap_from_disk_bytes > 0


def test_the_last_resort_leaves_a_gpu_alone_that_this_llama_cpp_cannot_offload_to():
    (p,) = plan(on_disk(machine(4, ram_gb=4, offload=False)), model(QWEN7)).plans
    assert (p.device, p.n_gpu_layers, p.n_cpu_moe_layers) == ("cpu", 0, 0) and p.mmap_from_disk_bytes > 0


def test_two_quantizations_read_from_the_disk_the_faster_first():
    q4, q8 = model(QWEN7), model(QWEN7, bpw=8.5)
    fast, slow = plan(on_disk(ram_only(6)), [q8, q4]).plans
    assert fast.model_path == q4.path and fast.est_decode_tok_s > slow.est_decode_tok_s > 0
    assert slow.mmap_from_disk_bytes > fast.mmap_from_disk_bytes > 0


def test_a_moe_with_experts_in_its_first_layer_keeps_just_that_layers_experts_in_ram():
    """DeepSeek's MoEs begin with a dense layer, so one layer of experts in RAM moves nothing for
    them; a MoE routed from its first layer on (Mixtral, Qwen-MoE) is spilled one layer at a time."""
    cfg = json.loads((CONFIGS / "deepseek-moe-16b-chat.json").read_text()) | {"first_k_dense_replace": 0}
    m = from_config(cfg, "moe-routed-from-the-first-layer", "gguf", 4.85, "Q4_K_M")
    assert m.expert_bytes[0] > 0
    p = plan(machine(11.3, ram_gb=32), m, PlanPreferences(allow_smaller_context=False)).plans[0]
    assert (p.device, p.n_gpu_layers, p.n_cpu_moe_layers, p.n_ctx) == ("cuda:0", m.n_layers + 1, 1, 4096)


def test_a_gpu_that_holds_a_single_layer_still_gets_it():
    p, cpu = plan(machine(2, ram_gb=10), model(QWEN7)).plans
    assert (p.device, p.n_gpu_layers, p.n_ctx) == ("cuda:0", 1, 65536)
    assert p.reason.endswith("Context: 65536 tokens, the longest whose KV cache leaves half of the free RAM free.")


def test_a_gguf_too_big_for_the_ram_leaves_the_folder_in_torch_as_the_cpu_fallback():
    """An F32 GGUF beside its bfloat16 folder: both fit a 40 GB card, only the folder fits the RAM,
    so the CPU plan (for when the GPU cannot be used) is the folder in torch."""
    f32, hf = model(QWEN7, bpw=32.0), model(QWEN7, "hf")
    plans = plan(machine(40, ram_gb=24), [f32, hf]).plans
    assert [(p.engine, p.device, p.model_path) for p in plans] == [
        ("torch", "cuda:0", hf.path), ("llama_cpp", "cuda:0", f32.path), ("torch", "cpu", hf.path)]
    assert plans[-1].dtype == "bfloat16"


def test_plans_that_rank_the_same_keep_the_order_the_files_were_given_in():
    """Two files planned alike (a copy of a model, or two quantizations whose speeds round the
    same): ranked by the planner's key alone, in the order given, never compared otherwise."""
    a = model(QWEN7)
    b = replace(a, path="copy/" + a.path)
    plans = plan(ram_only(64), [a, b]).plans
    assert [p.model_path for p in plans] == [a.path, b.path]
    assert plans[0].est_decode_tok_s == plans[1].est_decode_tok_s
    assert [p.model_path for p in plan(ram_only(64), [b, a]).plans] == [b.path, a.path]
