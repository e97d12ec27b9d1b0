"""The sentences that explain each plan, with its numbers, and the speed estimate.

Every decision the planner takes reaches the user through one of these; tests check that each
branch names its cause (no GPU, GPU too small, context reduced, experts in RAM...).
"""
from __future__ import annotations

from runtime.hardware import GpuInfo, HardwareInfo
from runtime.modelfile import ModelInfo
from runtime.planning.memory import (
    N_UBATCH, SMALL_BATCH, GiB, LlamaLayout, active_bytes, compute_buffer_bytes, kv_cache_bytes, llama_bytes,
)

# Common GGUF quantizations, bits per weight (llama.cpp's quantize table), largest first.
QUANTS = (("Q8_0", 8.5), ("Q6_K", 6.56), ("Q5_K_M", 5.69), ("Q4_K_M", 4.85), ("Q3_K_M", 3.91),
          ("Q2_K", 3.0), ("IQ2_XXS", 2.06), ("IQ1_S", 1.56))
# Bytes/s one decode thread streams, and a desktop's ceiling. Calibrated here (bench/RESULTS.md):
# one thread decoded SmolLM2 Q4_1 at 46-48 tokens/s (estimate 53) and Gemma 3 270M at 21-22 (20.6).
CPU_BW_PER_THREAD, CPU_BW_MAX = 8.5e9, 60e9
EFFICIENCY = 0.6  # decode reaches about this share of peak memory bandwidth


# What runtime/backends/torch_moe runs (tests/runtime/test_planner.py keeps the two in step).
TORCH_MODEL_TYPES = frozenset({"deepseek_v3", "deepseek_v2", "deepseek", "llama", "qwen2", "qwen3"})


def torch_refusal(m: ModelInfo) -> str | None:
    """Why the torch engine cannot run this folder, or None."""
    a = m.hparams
    if a.model_type not in TORCH_MODEL_TYPES:
        return (f"the torch engine does not run '{a.model_type}' models (it runs DeepSeek-V2/V3, "
                "DeepSeek-MoE, Llama, Qwen2 and Qwen3); use a GGUF of it")
    if a.quant_method:
        return f"this folder is {a.quant_method}-quantized and the torch engine needs bf16/fp16 weights"
    return None


def size(n: float) -> str:
    return f"{n / GiB:.1f} GiB" if n >= GiB else f"{n / 2**20:.0f} MiB"


def decode_speed(m: ModelInfo, lay: LlamaLayout, threads: int, gpu: GpuInfo | None,
                 ram_bw: float | None = None, disk_share: float = 0.0, disk_bw: float | None = None) -> float:
    """Tokens/s from the bytes each token reads. ram_bw: the machine's RAM bandwidth when known
    (else the calibrated per-thread figure up to a desktop's ceiling); disk_share: the part of the
    RAM-side weights that lives on disk (the memory-mapped last resort), read at disk_bw."""
    cpu_b, gpu_b = active_bytes(m, lay)
    cpu_bw = min(ram_bw or CPU_BW_MAX, CPU_BW_PER_THREAD * threads)
    gpu_bw = (gpu.bandwidth_bytes_s or 500e9) if gpu else 1.0
    seconds = cpu_b * (1 - disk_share) / cpu_bw + (gpu_b / gpu_bw if gpu_b else 0.0)
    if disk_share and disk_bw:
        seconds += cpu_b * disk_share / disk_bw
    return round(EFFICIENCY / seconds, 1) if seconds > 0 else 0.0


def _adjusted(lay: LlamaLayout, wanted_ctx: int) -> str:
    notes = []
    if lay.n_ctx < wanted_ctx:
        notes.append(f" Context shortened from {wanted_ctx} to {lay.n_ctx} tokens to fit.")
    if lay.kv_type != "f16":
        notes.append(f" KV cache quantized to {lay.kv_type} (with flash attention) to fit.")
    if lay.n_batch < N_UBATCH:
        notes.append(f" Prompts are read {lay.n_batch} tokens at a time (slower) to fit.")
    return "".join(notes)


def _why_cpu(hw: HardwareInfo, use_gpu: bool, gpus: list[GpuInfo]) -> str:
    if not use_gpu:
        return "GPU use is turned off"
    if not hw.gpus:
        return "No CUDA GPU found"
    if not hw.llama_gpu_offload:
        return (f"{hw.gpus[0].name} found, but this llama-cpp-python build cannot offload to a GPU "
                "(install a CUDA build)")
    g = gpus[0]
    return f"{g.name} has too little free memory ({size(g.free_bytes)}) for any layer"


def cpu_reason(m, hw: HardwareInfo, prefs, lay: LlamaLayout, est, wanted_ctx: int, threads: int,
               gpus: list[GpuInfo], fallback: bool = False) -> str:
    kv = kv_cache_bytes(m, lay.n_ctx, lay.kv_type)
    why = "If the GPU cannot be used" if fallback else _why_cpu(hw, prefs.use_gpu, gpus)
    return (f"{why}: running on the CPU with {threads} "
            f"thread{'s' * (threads != 1)}; {size(m.weight_bytes)} model + {size(kv)} KV cache at "
            f"{lay.n_ctx} tokens fits in {size(hw.ram_available_bytes)} free RAM."
            + _adjusted(lay, wanted_ctx))


def gpu_reason(m: ModelInfo, gpu: GpuInfo, lay: LlamaLayout, est, wanted_ctx: int, threads: int) -> str:
    dev = f"cuda:{gpu.index}"
    used = f"{size(est[dev])} of {size(gpu.free_bytes)} free"
    n = m.n_layers
    if lay.n_gpu_layers > n and lay.n_cpu_moe == 0:
        text = (f"All {n}/{n} layers on {gpu.name} ({dev}): {used}, with a "
                f"{size(kv_cache_bytes(m, lay.n_ctx, lay.kv_type))} KV cache at {lay.n_ctx} tokens.")
    elif lay.n_gpu_layers > n:
        text = (f"{m.name} does not fit on {gpu.name} whole: attention and shared experts of all {n} "
                f"layers are on the GPU ({used}); the routed experts of {lay.n_cpu_moe} layers stay "
                f"in RAM ({size(est['cpu'])}), run by {threads} CPU threads.")
    else:
        text = (f"{m.name} does not fit on {gpu.name}: {lay.n_gpu_layers}/{n} layers on the GPU "
                f"({used}){', routed experts in RAM' if m.n_experts else ''}; the other "
                f"{n - lay.n_gpu_layers} run on the CPU with {threads} threads ({size(est['cpu'])} of RAM).")
    return text + _adjusted(lay, wanted_ctx)


def mmap_reason(m: ModelInfo, gpu: GpuInfo | None, resident: int, from_disk: int, disk_bw: float,
                speed: float, threads: int) -> str:
    where = (f"attention and shared experts on {gpu.name} (cuda:{gpu.index}); " if gpu and m.n_experts
             else f"{gpu.name} (cuda:{gpu.index}) runs what fits; " if gpu else "")
    return (f"Last resort: {m.name} ({size(m.file_bytes)}) is larger than this machine's memory, so "
            f"llama.cpp maps it from disk: {where}{size(resident)} of its weights stay in RAM and the "
            f"other {size(from_disk)} are read from the disk as they are needed, at the "
            f"{disk_bw / 1e9:.1f} GB/s this disk reads, by {threads} CPU thread{'s' * (threads != 1)}. "
            f"Expect about {speed:g} tokens/s; more RAM or a smaller quantization is much faster.")


def torch_reason(m: ModelInfo, gpu: GpuInfo, dtype: str, need: int, ctx: int) -> str:
    cc = ".".join(map(str, gpu.compute_capability))
    return (f"{gpu.name} (cuda:{gpu.index}) holds the full-precision weights: {dtype} model + KV cache "
            f"at {ctx} tokens + working memory = {size(need)} of {size(gpu.free_bytes)} free "
            f"(compute capability {cc}{', so bfloat16' if dtype == 'bfloat16' else ', so float16'}).")


def torch_cpu_reason(m: ModelInfo, hw: HardwareInfo, gpus: list[GpuInfo], dtype: str, need: int, ctx: int,
                     threads: int, fallback: bool = False) -> str:
    if fallback:
        why = "If the GPU cannot be used"
    else:
        why = "No CUDA GPU found" if not gpus else f"No GPU here holds {m.name} in full precision"
    if dtype == "float32":
        kind = "float32: this CPU has no bfloat16 arithmetic"
    elif hw.cpu_bf16:
        kind = "bfloat16: this CPU computes in it natively"
    else:
        kind = "bfloat16: float32 would not fit in RAM"
    return (f"{why}: running the full-precision Hugging Face model in torch on the CPU ({kind}; "
            f"{threads} thread{'s' * (threads != 1)}; {size(need)} of {size(hw.ram_available_bytes)} free "
            f"RAM at {ctx} tokens). This is slow for large models: a GGUF quantization of it runs "
            f"several times faster here.")


def nothing_fits(hw: HardwareInfo, models, prefs, ram: int, gpu: int) -> str:
    """No plan: say what would fit (a smaller quant, a shorter context, more RAM)."""
    if not models:
        return "No model given."
    m = max(models, key=lambda x: x.n_params)
    refusal = torch_refusal(m) if m.format == "hf" else None
    if m.format == "hf" and not any(x.format == "gguf" for x in models) and refusal:
        lead = f"{m.name}: {refusal}."
    elif m.format == "hf" and not any(x.format == "gguf" for x in models) and not hw.gpus:
        lead = (f"{m.name} is a full-precision Hugging Face folder: it needs {size(m.n_params * 2)} in "
                f"bfloat16, and this machine has no CUDA GPU and {size(max(ram, 0))} of usable RAM.")
    else:
        lead = (f"{m.name} does not fit: it needs about {size(_need(m, prefs))} but this machine has "
                f"{size(max(ram, 0))} of usable RAM" + (f" and {size(gpu)} of free GPU memory." if gpu > 0 else "."))
    budget = max(ram, 0) + (max(gpu, 0) if hw.llama_gpu_offload else 0)
    ctx = min(m.ctx_train, prefs.min_ctx)
    overhead = kv_cache_bytes(m, ctx, "q8_0") + compute_buffer_bytes(m, ctx, True, SMALL_BATCH)
    bpw = (budget - overhead) * 8 / m.n_params
    quant = next(((q, b) for q, b in QUANTS if b <= bpw), None)
    if quant:
        q, b = quant
        return (f"{lead} A{'n' * q.startswith('I')} {q} GGUF (about {size(m.n_params * b / 8)}) with a {ctx}-token context "
                "would fit.")
    more = m.n_params * 1.56 / 8 + overhead - budget
    return (f"{lead} Even the smallest common quantization (IQ1_S, about "
            f"{size(m.n_params * 1.56 / 8)}) would not fit; it would take {size(more)} more RAM or "
            "GPU memory, or a smaller model.")


def _need(m: ModelInfo, prefs, ctx: int | None = None) -> int:
    ctx = ctx or min(m.ctx_train, prefs.n_ctx or 4096)
    if m.format == "hf":
        return m.n_params * 2 + kv_cache_bytes(m, ctx, "f16")
    return llama_bytes(m, LlamaLayout(0, 0, ctx, "f16", False))["cpu"]
