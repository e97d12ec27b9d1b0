import json
from pathlib import Path

import pytest

from runtime.hardware import GpuInfo, HardwareInfo
from runtime.modelfile import from_config, inspect
from runtime.planner import PlanPreferences, plan
from tests.fixtures.models import real

GB = 1024**3
CONFIGS = Path(__file__).parents[1] / "fixtures" / "models" / "configs"


def machine(gpu_gb=0, ram_gb=64, cc=(8, 9), offload=True, cores=8):
    gpus = (GpuInfo(0, f"GPU {gpu_gb}G", gpu_gb * GB, gpu_gb * GB - GB // 2, cc, "GPU-0", 1e12),) if gpu_gb else ()
    return HardwareInfo(gpus, ram_gb * GB, int(ram_gb * GB * 0.9), cores, cores, offload and bool(gpu_gb))


def model(name, fmt="gguf", bpw=4.85):
    cfg = json.loads((CONFIGS / f"{name}.json").read_text())
    return from_config(cfg, name, fmt, 16.0 if fmt == "hf" else bpw, None if fmt == "hf" else "Q4_K_M")


def test_cpu_machine_plans_llama_cpp_on_cpu_and_says_why():
    path = real.need_smollm2()
    hw = HardwareInfo((), 24 * GB, 21 * GB, 2, 2, False, ("no NVIDIA driver",))
    result = plan(hw, inspect(path))
    (p,) = result.plans
    # its trained 8192 tokens: the 180 MiB cache fits easily, and at a full context a token reads
    # 92 + 180 MiB instead of 92 + 90 at 4096, 0.67 of that speed (above the floor of half)
    assert (p.engine, p.device, p.n_gpu_layers, p.n_ctx, p.n_threads, p.kv_type) == ("llama_cpp", "cpu", 0, 8192, 2, "f16")
    assert result.summary == p.reason == ("No CUDA GPU found: running on the CPU with 2 threads; 92 MiB model + "
                                          "180 MiB KV cache at 8192 tokens fits in 21.0 GiB free RAM. "
                                          "Context: 8192 tokens, the longest this model was trained for.")
    assert p.est_bytes["cpu"] > 92 * 2**20 + 180 * 2**20 and p.est_decode_tok_s > 0
    (set_,) = plan(hw, inspect(path), PlanPreferences(n_ctx=4096)).plans
    assert set_.n_ctx == 4096 and set_.reason.endswith("Context: 4096 tokens, as set in the settings.")


def test_torch_when_the_gpu_holds_full_precision():
    hf, q4 = model("DeepSeek-R1-Distill-Qwen-7B", "hf"), model("DeepSeek-R1-Distill-Qwen-7B")
    result = plan(machine(24), [q4, hf])
    assert [p.engine for p in result.plans] == ["torch", "llama_cpp", "llama_cpp"]
    t = result.plans[0]
    assert (t.device, t.dtype) == ("cuda:0", "bfloat16") and "full-precision" in t.reason
    # 15.4 GiB at 4096 leaves 7.3 GiB of the GPU's budget; 48K would add 5.4 GiB (more than half
    # of it), 32K adds 3.4 GiB (and its compiled step, reading the whole cache, keeps 90% of the speed)
    assert t.n_ctx == 32768 and t.reason.endswith(
        "Context: 32768 tokens, the longest whose KV cache leaves half of the free GPU memory free.")
    assert t.est_bytes["cuda:0"] <= 23.5 * GB
    assert plan(machine(24, cc=(7, 5)), hf).plans[0].dtype == "float16"
    assert result.plans[-1].device == "cpu"  # the fallback if the GPU fails to load
    assert result.plans[-1].reason.startswith("If the GPU cannot be used: running on the CPU with 8 threads")
    assert plan(machine(16), [q4, hf]).plans[0].engine == "llama_cpp"  # 15 GiB of bf16 does not fit


def test_gguf_fully_on_gpu():
    p = plan(machine(8), model("DeepSeek-R1-Distill-Qwen-7B")).plans[0]
    assert (p.engine, p.device, p.n_gpu_layers, p.n_cpu_moe_layers, p.flash_attn) == ("llama_cpp", "cuda:0", 29, 0, True)
    assert p.reason.startswith("All 28/28 layers on GPU 8G (cuda:0)")


def test_moe_keeps_routed_experts_in_ram_before_spilling_layers():
    p = plan(machine(8), model("DeepSeek-V2-Lite-Chat")).plans[0]
    assert p.n_gpu_layers == 28 and 0 < p.n_cpu_moe_layers < 27
    assert "routed experts of" in p.reason and p.est_bytes["cuda:0"] <= 8 * GB
    assert not p.use_mmap  # llama.cpp: CPU-overridden tensors are better loaded than mapped


def test_dense_model_spills_whole_layers():
    p = plan(machine(12), model("DeepSeek-R1-Distill-Qwen-32B")).plans[0]
    assert 0 < p.n_gpu_layers < 64 and p.n_cpu_moe_layers == 0 and f"{p.n_gpu_layers}/64 layers" in p.reason


def test_quantized_kv_or_shorter_context_before_spilling():
    m = model("deepseek-llm-7b-chat")  # MHA: 0.5 MiB of KV per token
    p = plan(machine(6), m, PlanPreferences(n_ctx=4096)).plans[0]
    assert (p.n_gpu_layers, p.kv_type, p.flash_attn) == (31, "q8_0", True) and "quantized to q8_0" in p.reason
    strict = plan(machine(6), m, PlanPreferences(allow_kv_quant=False, allow_smaller_context=False)).plans[0]
    assert strict.n_gpu_layers < 31 and strict.kv_type == "f16"


def test_no_offload_build_says_so():
    p = plan(machine(24, offload=False), model("DeepSeek-R1-Distill-Qwen-7B")).plans[0]
    assert p.device == "cpu" and "cannot offload to a GPU" in p.reason


def test_nothing_fits_says_what_would():
    result = plan(machine(24, ram_gb=64), model("DeepSeek-V3"))
    assert result.plans == () and "DeepSeek-V3 does not fit" in result.summary
    assert "IQ1_S" in result.summary and "more RAM" in result.summary
    result = plan(machine(80, ram_gb=128), model("DeepSeek-V3"))
    assert result.plans == () and "An IQ2_XXS GGUF" in result.summary
    hf_only = plan(machine(0, ram_gb=8), model("DeepSeek-R1-Distill-Qwen-7B", "hf"))
    assert hf_only.plans == () and "no CUDA GPU" in hf_only.summary and "GGUF" in hf_only.summary


def test_a_folder_without_a_gpu_runs_in_torch_on_the_cpu_as_a_last_resort():
    hf = model("DeepSeek-R1-Distill-Qwen-7B", "hf")
    (p,) = plan(machine(0, ram_gb=64), hf).plans
    assert (p.engine, p.device, p.dtype) == ("torch", "cpu", "float32")
    assert p.reason.startswith("No CUDA GPU found: running the full-precision Hugging Face model in torch")
    assert "GGUF" in p.reason
    assert "float32: this CPU has no bfloat16 arithmetic" in p.reason
    small = plan(machine(0, ram_gb=32), hf).plans[0]  # 30 GB of float32 does not fit
    assert small.dtype == "bfloat16" and "float32 would not fit in RAM" in small.reason
    with_gguf = plan(machine(0, ram_gb=64), [hf, model("DeepSeek-R1-Distill-Qwen-7B")]).plans
    assert [x.engine for x in with_gguf] == ["llama_cpp"]  # a GGUF on the CPU beats torch there


def test_context_defaults_to_min_of_trained_and_4096():
    assert plan(machine(24), model("deepseek-moe-16b-chat")).plans[0].n_ctx == 4096
    assert plan(machine(24), model("DeepSeek-V2-Lite-Chat"), PlanPreferences(n_ctx=32768)).plans[0].n_ctx == 32768
    assert plan(machine(24), model("deepseek-llm-7b-chat"), PlanPreferences(n_ctx=32768)).plans[0].n_ctx == 4096


def test_no_quantized_kv_for_head_widths_llama_cpp_refuses():
    """llama.cpp: "K cache type q8_0 with block size 32 does not divide n_embd_head_k=48"."""
    from dataclasses import replace
    m = model("deepseek-llm-7b-chat")
    odd = replace(m, hparams=replace(m.hparams, head_dim_k=48, head_dim_v=48))
    p = plan(machine(6), odd, PlanPreferences(n_ctx=4096)).plans[0]
    assert p.kv_type == "f16"


def test_torch_model_types_match_the_torch_engine():
    config = pytest.importorskip("runtime.backends.torch_moe.config")
    from runtime.planning.words import TORCH_MODEL_TYPES
    assert TORCH_MODEL_TYPES == set(config._FAMILIES)


def test_deepseek_moe_16b_runs_in_torch_when_the_gpu_holds_it():
    moe_v1 = model("deepseek-moe-16b-chat", "hf")  # model_type "deepseek": Llama attention + MoE
    t, cpu = plan(machine(80), moe_v1).plans
    assert (t.engine, t.device, t.dtype) == ("torch", "cuda:0", "bfloat16") and "full-precision" in t.reason
    assert (cpu.engine, cpu.device) == ("torch", "cpu")  # the fallback says it is one
    assert cpu.reason.startswith("If the GPU cannot be used: running the full-precision Hugging Face model")
    assert plan(machine(24), moe_v1).plans[0].device == "cpu"  # 31 GiB of bf16 weights do not fit 24 GB


def test_folders_the_torch_engine_refuses_get_no_torch_plan():
    other = json.loads((CONFIGS / "deepseek-moe-16b-chat.json").read_text())
    other["model_type"] = "qwen2_moe"  # an architecture the torch engine does not run
    result = plan(machine(80), from_config(other, "Qwen-MoE", "hf"))
    assert result.plans == () and "does not run 'qwen2_moe' models" in result.summary
    fp8 = json.loads((CONFIGS / "DeepSeek-V2-Lite-Chat.json").read_text())
    fp8["quantization_config"] = {"quant_method": "fp8"}
    result = plan(machine(80), from_config(fp8, "V2-Lite-FP8", "hf"))
    assert result.plans == () and "fp8-quantized" in result.summary


def test_tight_ram_reads_prompts_in_smaller_batches():
    m = model("DeepSeek-R1-Distill-Qwen-7B")  # 152k vocabulary: 297 MiB of logits per 512-token batch
    hw = HardwareInfo((), 8 * GB, int(5.55 * GB), 4, 4, False)
    (p,) = plan(hw, m, PlanPreferences(n_ctx=2048)).plans
    assert p.n_batch == 128 and "128 tokens at a time" in p.reason
    roomy = plan(HardwareInfo((), 8 * GB, 6 * GB, 4, 4, False), m, PlanPreferences(n_ctx=2048)).plans[0]
    assert roomy.n_batch == 512


def test_a_cpu_with_bfloat16_arithmetic_runs_a_folder_in_bfloat16():
    from dataclasses import replace

    hf = model("DeepSeek-R1-Distill-Qwen-7B", "hf")
    (p,) = plan(replace(machine(0, ram_gb=64), cpu_bf16=True), hf).plans
    assert (p.engine, p.device, p.dtype) == ("torch", "cpu", "bfloat16")
    assert "bfloat16: this CPU computes in it natively" in p.reason
    assert p.est_bytes["cpu"] < 20 * GB  # half of float32's 30 GB


@pytest.mark.parametrize("flags, expected", [
    ("fpu sse2 avx2 avx512f avx512_bf16 amx_tile", True),
    ("fpu sse2 avx2 amx_bf16", True),
    ("fpu sse2 avx2 fma avx512f", False),
])
def test_bfloat16_arithmetic_is_read_from_the_cpu_flags(flags, expected):
    from runtime.hardware.host import cpu_bf16_from_cpuinfo

    assert cpu_bf16_from_cpuinfo(f"processor\t: 0\nflags\t\t: {flags}\n") is expected
    assert cpu_bf16_from_cpuinfo(f"processor\t: 0\nFeatures\t: fp asimd {'bf16' if expected else 'sve'}\n") is expected


def test_memory_met_to_the_byte_fits_and_one_byte_short_does_not():
    """The planner's budgets are limits it may reach: the GPU's free memory less its margin, the
    available RAM less the desktop's share (here 1/16 of 64 GB)."""
    from runtime.planning.memory import LlamaLayout, llama_bytes

    m = model("DeepSeek-R1-Distill-Qwen-7B")
    prefs = PlanPreferences(n_ctx=4096, allow_smaller_context=False)
    est = llama_bytes(m, LlamaLayout(m.n_layers + 1, 0, 4096, "f16", True))
    total = 24 * GB

    def machine_for(gpu_free, ram_free):
        gpu = GpuInfo(0, "RTX", total, gpu_free + total // 32, (8, 9), "GPU-0")
        return HardwareInfo((gpu,), 64 * GB, ram_free + 64 * GB // 16, 8, 8, True)
    p = plan(machine_for(est["gpu"], est["cpu"]), m, prefs).plans[0]
    assert (p.device, p.n_gpu_layers, p.kv_type) == ("cuda:0", 29, "f16")
    p = plan(machine_for(est["gpu"] - 1, est["cpu"]), m, prefs).plans[0]
    assert (p.device, p.n_gpu_layers, p.kv_type) == ("cuda:0", 29, "q8_0")  # the cache quantized to fit
    assert not plan(machine_for(est["gpu"], est["cpu"] - 1), m, prefs).plans


def test_a_small_gpu_keeps_256_mib_free_and_a_large_one_a_32nd():
    from runtime.planning.choose import gpu_budget

    assert gpu_budget(GpuInfo(0, "small", 4 * GB, 3 * GB, (8, 6), "GPU-s")) == 3 * GB - 256 * 2**20
    assert gpu_budget(GpuInfo(0, "large", 24 * GB, 23 * GB, (8, 9), "GPU-l")) == 23 * GB - 24 * GB // 32
