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
from runtime.sentences import Sentence, join

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
        return Sentence("the torch engine does not run '{model_type}' models (it runs DeepSeek-V2/V3, "
                        "DeepSeek-MoE, Llama, Qwen2 and Qwen3); use a GGUF of it", model_type=a.model_type)
    if a.quant_method:
        return Sentence("this folder is {quant}-quantized and the torch engine needs bf16/fp16 weights",
                        quant=a.quant_method)
    return None


def size(n: float) -> str:
    return f"{n / GiB:.1f} GiB" if n >= GiB else f"{n / 2**20:.0f} MiB"


def decode_speed(m: ModelInfo, lay: LlamaLayout, threads: int, gpu: GpuInfo | None,
                 ram_bw: float | None = None, disk_share: float = 0.0, disk_bw: float | None = None,
                 kv_tokens: int = 0) -> float:
    """Tokens/s from the bytes each token reads. ram_bw: the machine's RAM bandwidth when known
    (else the calibrated per-thread figure up to a desktop's ceiling); disk_share: the part of the
    RAM-side weights that lives on disk (the memory-mapped last resort), read at disk_bw;
    kv_tokens: cached tokens whose K and V each new token reads too (0: the weights alone, the
    speed of a short chat, which plans show; the context's length: the speed at a full context)."""
    cpu_b, gpu_b = active_bytes(m, lay)
    if kv_tokens:
        on_gpu = min(lay.n_gpu_layers, m.n_layers)
        gpu_b += kv_cache_bytes(m, kv_tokens, lay.kv_type, on_gpu)
        cpu_b += kv_cache_bytes(m, kv_tokens, lay.kv_type, m.n_layers - on_gpu)
    cpu_bw = min(ram_bw or CPU_BW_MAX, CPU_BW_PER_THREAD * threads)
    gpu_bw = (gpu.bandwidth_bytes_s or 500e9) if gpu else 1.0
    seconds = cpu_b * (1 - disk_share) / cpu_bw + (gpu_b / gpu_bw if gpu_b else 0.0)
    if disk_share and disk_bw:
        seconds += cpu_b * disk_share / disk_bw
    return round(EFFICIENCY / seconds, 1) if seconds > 0 else 0.0


def _adjusted(lay: LlamaLayout, wanted_ctx: int) -> str:
    notes = []
    if lay.n_ctx < wanted_ctx:
        notes.append(Sentence(" Context shortened from {wanted} to {ctx} tokens to fit.",
                              wanted=wanted_ctx, ctx=lay.n_ctx))
    if lay.kv_type != "f16":
        notes.append(Sentence(" KV cache quantized to {kv} (with flash attention) to fit.", kv=lay.kv_type))
    if lay.n_batch < N_UBATCH:
        notes.append(Sentence(" Prompts are read {n} tokens at a time (slower) to fit.", n=lay.n_batch))
    return join("", notes)


def _threads(n: int) -> str:
    return Sentence("{n} thread", n=n) if n == 1 else Sentence("{n} threads", n=n)


def _why_cpu(hw: HardwareInfo, use_gpu: bool, gpus: list[GpuInfo]) -> str:
    if not use_gpu:
        return Sentence("GPU use is turned off")
    if not hw.gpus:
        return Sentence("No CUDA GPU found")
    if not hw.llama_gpu_offload:
        return Sentence("{gpu} found, but this llama-cpp-python build cannot offload to a GPU "
                        "(install a CUDA build)", gpu=hw.gpus[0].name)
    g = gpus[0]
    return Sentence("{gpu} has too little free memory ({free}) for any layer", gpu=g.name, free=size(g.free_bytes))


def cpu_reason(m, hw: HardwareInfo, prefs, lay: LlamaLayout, wanted_ctx: int, threads: int,
               gpus: list[GpuInfo], fallback: bool = False) -> str:
    kv = kv_cache_bytes(m, lay.n_ctx, lay.kv_type)
    why = Sentence("If the GPU cannot be used") if fallback else _why_cpu(hw, prefs.use_gpu, gpus)
    return join("", [Sentence("{why}: running on the CPU with {threads}; {model} model + {kv} KV cache at "
                              "{ctx} tokens fits in {ram} free RAM.", why=why, threads=_threads(threads),
                              model=size(m.weight_bytes), kv=size(kv), ctx=lay.n_ctx,
                              ram=size(hw.ram_available_bytes)),
                     _adjusted(lay, wanted_ctx)])


def gpu_reason(m: ModelInfo, gpu: GpuInfo, lay: LlamaLayout, est, wanted_ctx: int, threads: int) -> str:
    dev = f"cuda:{gpu.index}"
    used = Sentence("{used} of {free} free", used=size(est[dev]), free=size(gpu.free_bytes))
    n = m.n_layers
    if lay.n_gpu_layers > n and lay.n_cpu_moe == 0:
        text = Sentence("All {n}/{n} layers on {gpu} ({dev}): {used}, with a {kv} KV cache at {ctx} tokens.",
                        n=n, gpu=gpu.name, dev=dev, used=used,
                        kv=size(kv_cache_bytes(m, lay.n_ctx, lay.kv_type)), ctx=lay.n_ctx)
    elif lay.n_gpu_layers > n:
        text = Sentence("{model} does not fit on {gpu} whole: attention and shared experts of all {n} "
                        "layers are on the GPU ({used}); the routed experts of {moe} layers stay "
                        "in RAM ({ram}), run by {threads} CPU threads.", model=m.name, gpu=gpu.name, n=n,
                        used=used, moe=lay.n_cpu_moe, ram=size(est["cpu"]), threads=threads)
    else:
        text = Sentence("{model} does not fit on {gpu}: {on_gpu}/{n} layers on the GPU ({used}){experts}; "
                        "the other {rest} run on the CPU with {threads} threads ({ram} of RAM).",
                        model=m.name, gpu=gpu.name, on_gpu=lay.n_gpu_layers, n=n, used=used,
                        experts=Sentence(", routed experts in RAM") if m.n_experts else "",
                        rest=n - lay.n_gpu_layers, threads=threads, ram=size(est["cpu"]))
    return join("", [text, _adjusted(lay, wanted_ctx)])


def mmap_reason(m: ModelInfo, gpu: GpuInfo | None, resident: int, from_disk: int, disk_bw: float,
                speed: float, threads: int) -> str:
    where = (Sentence("attention and shared experts on {gpu} (cuda:{index}); ", gpu=gpu.name, index=gpu.index)
             if gpu and m.n_experts
             else Sentence("{gpu} (cuda:{index}) runs what fits; ", gpu=gpu.name, index=gpu.index) if gpu else "")
    return Sentence("Last resort: {model} ({file}) is larger than this machine's memory, so llama.cpp maps it "
                    "from disk: {where}{resident} of its weights stay in RAM and the other {from_disk} are read "
                    "from the disk as they are needed, at the {bandwidth} GB/s this disk reads, by {threads}. "
                    "Expect about {speed} tokens/s; more RAM or a smaller quantization is much faster.",
                    model=m.name, file=size(m.file_bytes), where=where, resident=size(resident),
                    from_disk=size(from_disk), bandwidth=f"{disk_bw / 1e9:.1f}",
                    threads=Sentence("{n} CPU thread", n=threads) if threads == 1 else Sentence("{n} CPU threads", n=threads),
                    speed=f"{speed:g}")


def torch_reason(gpu: GpuInfo, dtype: str, need: int, ctx: int) -> str:
    cc = ".".join(map(str, gpu.compute_capability))
    return Sentence("{gpu} (cuda:{index}) holds the full-precision weights: {dtype} model + KV cache at {ctx} "
                    "tokens + working memory = {need} of {free} free (compute capability {cc}, so {dtype}).",
                    gpu=gpu.name, index=gpu.index, dtype=dtype, ctx=ctx, need=size(need),
                    free=size(gpu.free_bytes), cc=cc)


def torch_cpu_reason(m: ModelInfo, hw: HardwareInfo, gpus: list[GpuInfo], dtype: str, need: int, ctx: int,
                     threads: int, fallback: bool = False) -> str:
    if fallback:
        why = Sentence("If the GPU cannot be used")
    else:
        why = (Sentence("No CUDA GPU found") if not gpus
               else Sentence("No GPU here holds {model} in full precision", model=m.name))
    if dtype == "float32":
        kind = Sentence("float32: this CPU has no bfloat16 arithmetic")
    elif hw.cpu_bf16:
        kind = Sentence("bfloat16: this CPU computes in it natively")
    else:
        kind = Sentence("bfloat16: float32 would not fit in RAM")
    return Sentence("{why}: running the full-precision Hugging Face model in torch on the CPU ({kind}; "
                    "{threads}; {need} of {ram} free RAM at {ctx} tokens). This is slow for large models: "
                    "a GGUF quantization of it runs several times faster here.", why=why, kind=kind,
                    threads=_threads(threads), need=size(need), ram=size(hw.ram_available_bytes), ctx=ctx)


def nothing_fits(hw: HardwareInfo, models, prefs, ram: int, gpu: int) -> str:
    """No plan: say what would fit (a smaller quant, a shorter context, more RAM)."""
    if not models:
        return Sentence("No model given.")
    m = max(models, key=lambda x: x.n_params)
    refusal = torch_refusal(m) if m.format == "hf" else None
    if m.format == "hf" and not any(x.format == "gguf" for x in models) and refusal:
        lead = Sentence("{model}: {refusal}.", model=m.name, refusal=refusal)
    elif m.format == "hf" and not any(x.format == "gguf" for x in models) and not hw.gpus:
        lead = Sentence("{model} is a full-precision Hugging Face folder: it needs {need} in bfloat16, and "
                        "this machine has no CUDA GPU and {ram} of usable RAM.", model=m.name,
                        need=size(m.n_params * 2), ram=size(max(ram, 0)))
    elif gpu > 0 and not hw.llama_gpu_offload and m.format == "gguf" and hw.gpus:
        # llama.cpp cannot use the GPU here: its memory is no part of what would fit
        lead = Sentence("{model} does not fit: it needs about {need} but this machine has {ram} of usable "
                        "RAM, and this llama-cpp-python build cannot offload to {gpu} (install a CUDA build).",
                        model=m.name, need=size(_need(m, prefs)), ram=size(max(ram, 0)), gpu=hw.gpus[0].name)
    elif gpu > 0:
        lead = Sentence("{model} does not fit: it needs about {need} but this machine has {ram} of usable "
                        "RAM and {gpu} of free GPU memory.", model=m.name, need=size(_need(m, prefs)),
                        ram=size(max(ram, 0)), gpu=size(gpu))
    else:
        lead = Sentence("{model} does not fit: it needs about {need} but this machine has {ram} of usable "
                        "RAM.", model=m.name, need=size(_need(m, prefs)), ram=size(max(ram, 0)))
    budget = max(ram, 0) + (max(gpu, 0) if hw.llama_gpu_offload else 0)
    ctx = min(m.ctx_train, prefs.min_ctx)
    overhead = kv_cache_bytes(m, ctx, "q8_0") + compute_buffer_bytes(m, ctx, True, SMALL_BATCH)
    bpw = (budget - overhead) * 8 / m.n_params
    quant = next(((q, b) for q, b in QUANTS if b <= bpw), None)
    if quant:
        q, b = quant
        args = dict(quant=q, size=size(m.n_params * b / 8), ctx=ctx)
        return join(" ", [lead, Sentence("An {quant} GGUF (about {size}) with a {ctx}-token context would fit.",
                                         **args) if q.startswith("I") else
                          Sentence("A {quant} GGUF (about {size}) with a {ctx}-token context would fit.", **args)])
    more = m.n_params * 1.56 / 8 + overhead - budget
    return join(" ", [lead, Sentence("Even the smallest common quantization (IQ1_S, about {size}) would not "
                                     "fit; it would take {more} more RAM or GPU memory, or a smaller model.",
                                     size=size(m.n_params * 1.56 / 8), more=size(more))])


def _need(m: ModelInfo, prefs, ctx: int | None = None) -> int:
    ctx = ctx or min(m.ctx_train, prefs.n_ctx or 4096)
    if m.format == "hf":
        return m.n_params * 2 + kv_cache_bytes(m, ctx, "f16")
    return llama_bytes(m, LlamaLayout(0, 0, ctx, "f16", False))["cpu"]
