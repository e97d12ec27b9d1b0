"""The sentences the planner shows (the Models page, `deskseek plan`), whole: why the CPU runs a
model, what the torch engine holds, the memory-mapped last resort, and what would fit when nothing
does. The numbers come from the real planner on the described machines."""
from __future__ import annotations

from dataclasses import replace

import pytest

from runtime.hardware import GpuInfo, HardwareInfo
from runtime.planner import PlanPreferences, plan
from runtime.planning.words import nothing_fits
from tests.runtime.test_planner import GB, machine, model
from tests.runtime.test_planner_mmap import machine as mmap_machine

Q7 = "DeepSeek-R1-Distill-Qwen-7B"
ON_CPU = "4.3 GiB model + 224 MiB KV cache at 4096 tokens fits in 57.6 GiB free RAM. Context: 4096 tokens, as set in the settings."
TINY_GPU = HardwareInfo((GpuInfo(0, "GT 710", GB, GB // 8, (3, 5), "GPU-0"),), 64 * GB, int(57.6 * GB), 8, 8, True)


@pytest.mark.parametrize("hw, prefs, why", [
    (machine(24), PlanPreferences(use_gpu=False), "GPU use is turned off: running on the CPU with 8 threads"),
    (machine(0), PlanPreferences(n_threads=1), "No CUDA GPU found: running on the CPU with 1 thread"),
    (machine(24, offload=False), PlanPreferences(),
     "GPU 24G found, but this llama-cpp-python build cannot offload to a GPU (install a CUDA build): running on "
     "the CPU with 8 threads"),
    (TINY_GPU, PlanPreferences(), "GT 710 has too little free memory (128 MiB) for any layer: running on the CPU "
                                  "with 8 threads"),
])
def test_why_the_cpu_runs_a_gguf(hw, prefs, why):
    p = plan(hw, model(Q7), replace(prefs, n_ctx=4096)).plans[0]
    assert p.device == "cpu" and p.reason == f"{why}; {ON_CPU}"


TORCH_CPU = ("running the full-precision Hugging Face model in torch on the CPU ({kind}; 8 threads; {need} of {ram} "
             "free RAM at 4096 tokens). This is slow for large models: a GGUF quantization of it runs several times "
             "faster here. Context: 4096 tokens, as set in the settings.")
NO_BF16 = "float32: this CPU has no bfloat16 arithmetic"


def test_the_torch_engine_on_a_gpu_and_on_the_cpu_behind_it():
    gpu, cpu = plan(machine(80, cc=(8, 0)), model(Q7, "hf"), PlanPreferences(n_ctx=4096)).plans[:2]
    assert (gpu.engine, gpu.device, gpu.reason) == ("torch", "cuda:0", (
        "GPU 80G (cuda:0) holds the full-precision weights: bfloat16 model + KV cache at 4096 tokens + working "
        "memory = 15.4 GiB of 79.5 GiB free (compute capability 8.0, so bfloat16). Context: 4096 tokens, as set "
        "in the settings."))
    assert (cpu.engine, cpu.device, cpu.reason) == ("torch", "cpu", "If the GPU cannot be used: " + TORCH_CPU.format(
        kind=NO_BF16, need="29.6 GiB", ram="57.6 GiB"))


@pytest.mark.parametrize("hw, why, kind, need, ram", [
    (machine(0, 64), "No CUDA GPU found", NO_BF16, "29.6 GiB", "57.6 GiB"),
    (replace(machine(0, 64), cpu_bf16=True), "No CUDA GPU found", "bfloat16: this CPU computes in it natively",
     "15.4 GiB", "57.6 GiB"),
    (machine(8, 128), f"No GPU here holds {Q7} in full precision", NO_BF16, "29.6 GiB", "115.2 GiB"),
])
def test_why_the_torch_engine_runs_on_the_cpu_and_in_what(hw, why, kind, need, ram):
    p = plan(hw, model(Q7, "hf"), PlanPreferences(n_ctx=4096)).plans[0]
    assert (p.engine, p.device) == ("torch", "cpu")
    assert p.reason == f"{why}: " + TORCH_CPU.format(kind=kind, need=need, ram=ram)


def test_bfloat16_on_a_cpu_without_it_when_float32_would_not_fit():
    p = plan(machine(0, 24), model(Q7, "hf"), PlanPreferences(n_ctx=4096)).plans[0]
    assert (p.engine, p.dtype) == ("torch", "bfloat16")
    assert "(bfloat16: float32 would not fit in RAM; 8 threads; 15.4 GiB of " in p.reason


LAST_RESORT = ("Last resort: {model} is larger than this machine's memory, so llama.cpp maps it from disk: {where}"
               "{ram} of its weights stay in RAM and the other {disk} are read from the disk as they are needed, at "
               "the 7.0 GB/s this disk reads, by {threads}. Expect about {speed} tokens/s; more RAM or a smaller "
               "quantization is much faster.")


def test_the_last_resort_says_what_runs_where_and_how_fast():
    from tests.hubfake import sparse_gguf
    from runtime.modelfile import inspect
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as d:
        v3 = inspect(str(sparse_gguf.write_deepseek(Path(d), "Q4_K_M").files[0]))
        moe = plan(mmap_machine(24, 384), v3).plans[0]
        cpu = plan(mmap_machine(0, 384), v3, PlanPreferences(n_threads=1)).plans[0]
    dense = plan(mmap_machine(8, 12), model("DeepSeek-R1-Distill-Qwen-32B")).plans[0]
    assert moe.reason == LAST_RESORT.format(
        model="DeepSeek V3 (376.7 GiB)", where="attention and shared experts on RTX 4090 (cuda:0); ",
        ram="321.5 GiB", disk="39.1 GiB", threads="16 CPU threads", speed="1.6")
    assert dense.reason == LAST_RESORT.format(
        model="DeepSeek-R1-Distill-Qwen-32B (18.5 GiB)", where="RTX 4090 (cuda:0) runs what fits; ",
        ram="9.4 GiB", disk="2.8 GiB", threads="16 CPU threads", speed="1")
    assert cpu.reason == LAST_RESORT.format(
        model="DeepSeek V3 (376.7 GiB)", where="", ram="321.2 GiB", disk="55.5 GiB", threads="1 CPU thread",
        speed="0.2")


IQ1_S = ("Even the smallest common quantization (IQ1_S, about {size}) would not fit; it would take {more} more RAM or "
         "GPU memory, or a smaller model.")


@pytest.mark.parametrize("hw, name, fmt, summary", [
    (machine(0, 64), "DeepSeek-V3", "hf",
     "DeepSeek-V3 is a full-precision Hugging Face folder: it needs 1249.9 GiB in bfloat16, and this machine has no "
     "CUDA GPU and 53.6 GiB of usable RAM. " + IQ1_S.format(size="121.9 GiB", more="68.4 GiB")),
    (machine(24, 64), "DeepSeek-V3", "hf",
     "DeepSeek-V3 does not fit: it needs about 1250.2 GiB but this machine has 53.6 GiB of usable RAM and 22.8 GiB "
     "of free GPU memory. " + IQ1_S.format(size="121.9 GiB", more="45.7 GiB")),
    (machine(24, 64), "DeepSeek-V3", "gguf",
     "DeepSeek-V3 does not fit: it needs about 380.2 GiB but this machine has 53.6 GiB of usable RAM and 22.8 GiB "
     "of free GPU memory. " + IQ1_S.format(size="121.9 GiB", more="45.7 GiB")),
    (machine(0, 16), "DeepSeek-V3", "gguf",
     "DeepSeek-V3 does not fit: it needs about 380.2 GiB but this machine has 13.4 GiB of usable RAM. "
     + IQ1_S.format(size="121.9 GiB", more="108.6 GiB")),
    (machine(0, 2), Q7, "gguf",
     f"{Q7} does not fit: it needs about 4.8 GiB but this machine has 819 MiB of usable RAM. "
     + IQ1_S.format(size="1.4 GiB", more="734 MiB")),
    (machine(0, 16), "DeepSeek-R1-Distill-Qwen-32B", "gguf",
     "DeepSeek-R1-Distill-Qwen-32B does not fit: it needs about 19.8 GiB but this machine has 13.4 GiB of usable "
     "RAM. A Q2_K GGUF (about 11.4 GiB) with a 2048-token context would fit."),
    (machine(8, 16), "deepseek-llm-67b-chat", "gguf",
     "deepseek-llm-67b-chat does not fit: it needs about 40.1 GiB but this machine has 13.4 GiB of usable RAM and "
     "7.2 GiB of free GPU memory. An IQ2_XXS GGUF (about 16.2 GiB) with a 2048-token context would fit."),
    # a build that cannot offload: the GPU's memory is not quoted, and what would fit counts the RAM alone
    (machine(8, 16, offload=False), "deepseek-llm-67b-chat", "gguf",
     "deepseek-llm-67b-chat does not fit: it needs about 40.1 GiB but this machine has 13.4 GiB of usable RAM, "
     "and this llama-cpp-python build cannot offload to GPU 8G (install a CUDA build). An IQ1_S GGUF (about "
     "12.2 GiB) with a 2048-token context would fit."),
])
def test_when_nothing_fits_the_sentence_says_what_would(hw, name, fmt, summary):
    result = plan(hw, model(name, fmt))
    assert not result.plans and result.summary == summary


@pytest.mark.parametrize("hparams, refusal", [
    (dict(model_type="mistral"), "the torch engine does not run 'mistral' models (it runs DeepSeek-V2/V3, "
                                 "DeepSeek-MoE, Llama, Qwen2 and Qwen3); use a GGUF of it"),
    (dict(quant_method="awq"), "this folder is awq-quantized and the torch engine needs bf16/fp16 weights"),
])
def test_a_folder_the_torch_engine_refuses_says_why_and_what_gguf_would_fit(hparams, refusal):
    hf = model(Q7, "hf")
    refused = replace(hf, hparams=replace(hf.hparams, **hparams))
    assert plan(machine(0, 8), refused).summary == (
        f"{Q7}: {refusal}. A Q6_K GGUF (about 5.8 GiB) with a 2048-token context would fit.")
    # beside a GGUF of it, the sentence is about what the memory holds, not about the folder
    both = plan(machine(0, 2), [refused, model(Q7)])
    assert not both.plans and both.summary.startswith(f"{Q7} does not fit: it needs about ")


def test_no_model_given():
    assert nothing_fits(machine(0), [], PlanPreferences(), 0, 0) == "No model given."


SET = " Context: 4096 tokens, as set in the settings."
KV_Q8 = " KV cache quantized to q8_0 (with flash attention) to fit."


@pytest.mark.parametrize("gpu_gb, ram_gb, name, reason", [
    (24, 64, Q7, "All 28/28 layers on GPU 24G (cuda:0): 5.1 GiB of 23.5 GiB free, with a 224 MiB KV cache at 4096 "
                 "tokens." + SET),
    (8, 64, "DeepSeek-R1-Distill-Qwen-32B",
     "DeepSeek-R1-Distill-Qwen-32B does not fit on GPU 8G: 22/64 layers on the GPU (7.1 GiB of 7.5 GiB free); the "
     "other 42 run on the CPU with 8 threads (12.9 GiB of RAM)." + KV_Q8 + SET),
    (8, 64, "DeepSeek-V2-Lite-Chat",
     "DeepSeek-V2-Lite-Chat does not fit on GPU 8G whole: attention and shared experts of all 27 layers are on the "
     "GPU (7.1 GiB of 7.5 GiB free); the routed experts of 9 layers stay in RAM (2.7 GiB), run by 8 CPU threads."
     + KV_Q8 + SET),
    (8, 512, "DeepSeek-V3",
     "DeepSeek-V3 does not fit on GPU 8G: 47/61 layers on the GPU (7.2 GiB of 7.5 GiB free), routed experts in RAM; "
     "the other 14 run on the CPU with 8 threads (372.8 GiB of RAM)." + KV_Q8 + SET),
])
def test_what_the_gpu_holds_and_what_stays_in_ram(gpu_gb, ram_gb, name, reason):
    p = plan(machine(gpu_gb, ram_gb), model(name), PlanPreferences(n_ctx=4096)).plans[0]
    assert p.device == "cuda:0" and p.reason == reason


@pytest.mark.parametrize("name, n_moe, start", [
    (Q7, 0, f"{Q7} does not fit on GPU 24G: 28/28 layers on the GPU (1.0 GiB of 23.5 GiB free); the other 0 run"),
    ("DeepSeek-V2-Lite-Chat", 3, "DeepSeek-V2-Lite-Chat does not fit on GPU 24G: 27/27 layers on the GPU (1.0 GiB of "
                                 "23.5 GiB free), routed experts in RAM; the other 0 run"),
])
def test_every_block_on_the_gpu_but_not_the_output_head_is_not_all_layers(name, n_moe, start):
    """llama.cpp counts the output head as one more layer: n blocks of n are not "all"."""
    from runtime.planning.memory import LlamaLayout
    from runtime.planning.words import gpu_reason

    m = model(name)
    lay = LlamaLayout(m.n_layers, n_moe, 4096, "f16", False)
    reason = gpu_reason(m, machine(24).gpus[0], lay, {"cuda:0": GB, "cpu": GB}, 4096, 8)
    assert reason.startswith(start)


def test_the_torch_engine_on_the_cpu_takes_the_threads_set():
    p = plan(machine(0, 64), model(Q7, "hf"), PlanPreferences(n_ctx=4096, n_threads=3)).plans[0]
    assert (p.engine, p.device, p.n_threads, p.model_path) == ("torch", "cpu", 3, model(Q7, "hf").path)
    assert "(float32: this CPU has no bfloat16 arithmetic; 3 threads; 29.6 GiB of 57.6 GiB free RAM" in p.reason


@pytest.mark.parametrize("name, need", [
    ("DeepSeek-V2-Lite-Chat", "32.6 GiB"),  # MLA: torch caches the latent, not the expanded K and V
    (Q7, "18.8 GiB"),
])
def test_the_torch_engine_s_memory_at_a_long_context(name, need):
    """Past the 4096 tokens the fixed working memory covers, the scores of a prompt chunk against every
    cached key and one layer's keys and values for every head grow with the context."""
    p = plan(machine(80, cc=(8, 0)), model(name, "hf"), PlanPreferences(n_ctx=32768)).plans[0]
    assert p.reason == (
        "GPU 80G (cuda:0) holds the full-precision weights: bfloat16 model + KV cache at 32768 tokens + working "
        f"memory = {need} of 79.5 GiB free (compute capability 8.0, so bfloat16). Context: 32768 tokens, as set "
        "in the settings.")


def test_experts_in_ram_rank_before_layers_split_even_when_slower():
    """The planner's tiers: all on the GPU, then routed experts in RAM, then whole layers split, then
    the CPU; speed orders plans within a tier only."""
    first, second = plan(machine(40, 512), [model("DeepSeek-V3"), model("deepseek-llm-67b-chat")],
                         PlanPreferences(n_ctx=4096)).plans[:2]
    assert (first.model_path, first.n_gpu_layers, first.n_cpu_moe_layers) == ("DeepSeek-V3", 62, 57)
    assert (second.model_path, second.n_gpu_layers, second.n_cpu_moe_layers) == ("deepseek-llm-67b-chat", 93, 0)
    assert first.est_decode_tok_s < second.est_decode_tok_s


def test_the_torch_engine_on_the_cpu_at_the_context_set():
    p = plan(machine(0, 128), model(Q7, "hf"), PlanPreferences(n_ctx=8192)).plans[0]
    assert (p.engine, p.device, p.n_ctx) == ("torch", "cpu", 8192) and " RAM at 8192 tokens)." in p.reason


def test_the_quantization_suggested_leaves_room_for_the_kv_cache_and_buffers():
    m = model(Q7)
    q4_weights = int(m.n_params * 4.85 / 8)  # exactly a Q4_K_M's weights, nothing for the cache
    summary = nothing_fits(machine(0), [m], PlanPreferences(), q4_weights, 0)
    assert summary.endswith(" A Q3_K_M GGUF (about 3.5 GiB) with a 2048-token context would fit.")


@pytest.mark.parametrize("hw, n_ctx, reason", [
    (machine(0, 8), 131072,
     "No CUDA GPU found: running on the CPU with 8 threads; 4.3 GiB model + 952 MiB KV cache at 32768 tokens fits in "
     "7.2 GiB free RAM. Context shortened from 131072 to 32768 tokens to fit. KV cache quantized to q8_0 (with flash "
     "attention) to fit. Prompts are read 128 tokens at a time (slower) to fit."),
    (machine(0, 10), 65536,
     "No CUDA GPU found: running on the CPU with 8 threads; 4.3 GiB model + 1.9 GiB KV cache at 65536 tokens fits in "
     "9.0 GiB free RAM. KV cache quantized to q8_0 (with flash attention) to fit." + " Context: 65536 tokens, as set "
     "in the settings."),
    (machine(8, 32), 65536,
     "All 28/28 layers on GPU 8G (cuda:0): 6.7 GiB of 7.5 GiB free, with a 1.9 GiB KV cache at 65536 tokens. KV cache "
     "quantized to q8_0 (with flash attention) to fit. Context: 65536 tokens, as set in the settings."),
])
def test_what_was_given_up_to_fit_is_said_after_the_plan(hw, n_ctx, reason):
    p = plan(hw, model(Q7), PlanPreferences(n_ctx=n_ctx)).plans[0]
    assert p.reason == reason


def test_the_gpu_with_the_most_free_memory_runs_it_and_the_file_is_mapped_unless_experts_stay_in_ram():
    two = HardwareInfo((GpuInfo(0, "small", 8 * GB, 7 * GB, (8, 9), "GPU-a"),
                        GpuInfo(1, "big", 24 * GB, 23 * GB, (8, 9), "GPU-b")), 64 * GB, 57 * GB, 8, 8, True)
    gpu, cpu = plan(two, model(Q7), PlanPreferences(n_ctx=4096)).plans
    assert (gpu.device, gpu.n_gpu_layers, gpu.n_cpu_moe_layers, gpu.use_mmap) == ("cuda:1", 29, 0, True)
    assert (cpu.device, cpu.n_gpu_layers, cpu.n_cpu_moe_layers, cpu.use_mmap) == ("cpu", 0, 0, True)
    experts, cpu = plan(machine(8, 64), model("DeepSeek-V2-Lite-Chat"), PlanPreferences(n_ctx=4096)).plans
    assert (experts.n_gpu_layers, experts.n_cpu_moe_layers, experts.use_mmap) == (28, 9, False)
    assert (cpu.device, cpu.n_cpu_moe_layers, cpu.use_mmap) == ("cpu", 0, True)
