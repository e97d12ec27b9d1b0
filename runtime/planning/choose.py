"""plan(): a pure function from (hardware, model, preferences) to plans, best first.

Order of preference: torch with full-precision weights on one CUDA GPU; GGUF entirely on the GPU
(a quantized KV cache or a shorter context first, when allowed); GGUF with MoE routed experts in
RAM (llama.cpp's --n-cpu-moe); GGUF with whole layers on the CPU; GGUF on the CPU alone. A CPU
plan, when it fits, always closes the list so the engine can fall back if the GPU fails to load.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterable

from runtime.hardware import GpuInfo, HardwareInfo
from runtime.modelfile import ModelInfo
from runtime.planning.memory import GiB, SMALL_BATCH, LlamaLayout, MiB, kv_cache_bytes, llama_bytes, torch_bytes
from runtime.planning.context import BASE_CONTEXT, sized
from runtime.planning.mmap_plan import mmap_plans
from runtime.planning.words import (
    cpu_reason, decode_speed, gpu_reason, nothing_fits, size, torch_cpu_reason, torch_reason, torch_refusal,
)
from runtime.types import Plan

DEFAULT_CONTEXT = BASE_CONTEXT  # the base a model's default context grows from (runtime/planning/context.py)


@dataclass(frozen=True)
class PlanPreferences:
    n_ctx: int | None = None  # None: the longest that fits comfortably (runtime/planning/context.py)
    allow_smaller_context: bool = True
    allow_kv_quant: bool = True
    min_ctx: int = 2048  # never shrink the context below this on the user's behalf
    engine: str | None = None  # "llama_cpp" or "torch" to force one
    use_gpu: bool = True
    n_threads: int | None = None
    # The user's own split for a GGUF on the GPU (per-model settings); None: the planner's choice.
    n_gpu_layers: int | None = None
    n_cpu_moe_layers: int | None = None


@dataclass(frozen=True)
class PlanResult:
    plans: tuple[Plan, ...]
    summary: str


def ram_budget(hw: HardwareInfo) -> int:
    """Available RAM less room for the desktop, the window and the page cache."""
    return hw.ram_available_bytes - max(GiB, hw.ram_bytes // 16)


def gpu_budget(gpu: GpuInfo) -> int:
    return gpu.free_bytes - max(256 * MiB, gpu.total_bytes // 32)


def plan(hardware: HardwareInfo, model: ModelInfo | Iterable[ModelInfo],
         prefs: PlanPreferences = PlanPreferences()) -> PlanResult:
    models = (model,) if isinstance(model, ModelInfo) else tuple(model)
    budget = _budgets(hardware)
    ranked: list[tuple[tuple, Plan]] = []
    for m in models:
        ranked += sized(hardware, m, prefs, lambda c, pr, m=m: _plans_at(hardware, m, c, pr), budget)
    if not any(p.engine == "llama_cpp" and p.device == "cpu" for _, p in ranked):
        for m in models:  # no GGUF to fall back on: the folder itself, in torch on the CPU
            if prefs.engine in (None, "torch"):
                ranked += sized(hardware, m, prefs, lambda c, pr, m=m: [
                    ((5, 0), p) for p in _torch_cpu_plans(hardware, m, c, pr)], budget)
    if not ranked and prefs.engine in (None, "llama_cpp"):  # the last resort: mapped from disk
        for m in models:
            ctx = min(m.ctx_train, prefs.n_ctx or DEFAULT_CONTEXT)
            rung = [s for s in _ladder(m, ctx, prefs, True) if s[0] == ctx][-1]
            gpus = [(g, gpu_budget(g)) for g in _cuda(hardware, prefs)] if hardware.llama_gpu_offload else []
            threads = prefs.n_threads or hardware.free_physical_cores
            ranked += [((6, -p.est_decode_tok_s), p)
                       for p in mmap_plans(hardware, m, rung, ram_budget(hardware), gpus, threads)]
    ranked.sort(key=lambda kp: kp[0])
    plans = tuple(p for _, p in ranked)
    if plans:
        return PlanResult(plans, plans[0].reason)
    return PlanResult((), nothing_fits(hardware, models, prefs, ram_budget(hardware),
                                       max((gpu_budget(g) for g in _cuda(hardware, prefs)), default=0)))


def _plans_at(hw: HardwareInfo, m: ModelInfo, ctx: int, prefs: PlanPreferences) -> list[tuple[tuple, Plan]]:
    """Every plan for one model at one context, with its rank."""
    ranked: list[tuple[tuple, Plan]] = []
    if prefs.engine in (None, "torch"):
        ranked += [((0, -m.bits_per_weight), p) for p in _torch_plans(hw, m, ctx, prefs)]
    if prefs.engine in (None, "llama_cpp") and m.format == "gguf":
        ranked += _llama_plans(hw, m, ctx, prefs)
    return ranked


def _budgets(hw: HardwareInfo):
    """device ("cpu", "cuda:N") -> the bytes a plan may use there."""
    gpus = {f"cuda:{g.index}": gpu_budget(g) for g in hw.gpus}
    return lambda dev: ram_budget(hw) if dev == "cpu" else gpus.get(dev, 0)


def _cuda(hw: HardwareInfo, prefs: PlanPreferences) -> list[GpuInfo]:
    return sorted(hw.gpus, key=lambda g: -g.free_bytes) if prefs.use_gpu else []


def _torch_plans(hw: HardwareInfo, m: ModelInfo, ctx: int, prefs: PlanPreferences) -> list[Plan]:
    if m.format != "hf" or torch_refusal(m):
        return []
    for gpu in _cuda(hw, prefs):
        need = torch_bytes(m, ctx)
        if need <= gpu_budget(gpu):
            dtype = "bfloat16" if gpu.compute_capability >= (8, 0) else "float16"
            bw = gpu.bandwidth_bytes_s or 500e9
            return [Plan(engine="torch", model_path=m.path, device=f"cuda:{gpu.index}", dtype=dtype,
                         n_ctx=ctx, est_bytes={f"cuda:{gpu.index}": need},
                         est_decode_tok_s=round(0.6 * bw / (2 * m.n_active_params), 1),
                         reason=torch_reason(gpu, dtype, need, ctx))]
    return []


def _torch_cpu_plans(hw: HardwareInfo, m: ModelInfo, ctx: int, prefs: PlanPreferences) -> list[Plan]:
    """A Hugging Face folder with no GPU to hold it still runs, in torch on the CPU. bfloat16 on a
    CPU with bf16 arithmetic (faster there, and half the memory); elsewhere float32 when RAM allows
    (bf16 matmuls are emulated and slower), else bfloat16. Always the last resort."""
    if m.format != "hf" or torch_refusal(m):
        return []
    threads = prefs.n_threads or hw.free_physical_cores
    fallback = bool(_torch_plans(hw, m, ctx, prefs))  # a GPU holds it: this plan is its understudy
    order = (("bfloat16", 2),) if hw.cpu_bf16 else (("float32", 4), ("bfloat16", 2))
    for dtype, width in order:
        need = torch_bytes(m, ctx, width)
        if need <= ram_budget(hw):
            return [Plan(engine="torch", model_path=m.path, device="cpu", dtype=dtype, n_ctx=ctx,
                         n_threads=threads, est_bytes={"cpu": need},
                         reason=torch_cpu_reason(m, hw, _cuda(hw, prefs), dtype, need, ctx, threads,
                                                 fallback))]
    return []


def _ladder(m: ModelInfo, ctx: int, prefs: PlanPreferences, flash_attn: bool) -> list[tuple[int, str, bool]]:
    """(n_ctx, kv_type, flash_attn) to try, most generous first. Quantized V needs flash attention."""
    steps = [(ctx, "f16", flash_attn)]
    a = m.hparams  # llama.cpp refuses a quantized cache whose head width is not whole 32-blocks
    quant_ok = (prefs.allow_kv_quant and a.head_dim_k % 32 == 0 and a.head_dim_v % 32 == 0
                and a.kv_lora_rank % 32 == 0)  # MLA: llama.cpp checks V's width though it caches no V
    prefs = replace(prefs, allow_kv_quant=quant_ok)
    if prefs.allow_kv_quant:
        steps.append((ctx, "q8_0", True))
    c = ctx // 2
    while prefs.allow_smaller_context and c >= min(prefs.min_ctx, ctx):
        steps.append((c, "q8_0" if prefs.allow_kv_quant else "f16", flash_attn or prefs.allow_kv_quant))
        c //= 2
    return steps


def _llama_plans(hw: HardwareInfo, m: ModelInfo, ctx: int, prefs: PlanPreferences):
    threads = prefs.n_threads or hw.free_physical_cores
    out, ram = [], ram_budget(hw)
    gpus = _cuda(hw, prefs) if hw.llama_gpu_offload else []
    for gpu in gpus[:1]:  # one GPU: splitting a model over several is not planned yet
        dev, budget = f"cuda:{gpu.index}", gpu_budget(gpu)
        found = None
        for n_ctx, kv, fa in _ladder(m, ctx, prefs, True):
            lay = LlamaLayout(m.n_layers + 1, 0, n_ctx, kv, fa)
            if _fits(m, lay, budget, ram):
                found = (1, lay)
                break
        if found is None:  # spill: routed experts first, then whole layers, at the first rung
            steps = [s for s in _ladder(m, ctx, prefs, True) if s[0] == ctx]
            n_ctx, kv, fa = steps[-1]  # the full context, with the KV cache quantized if allowed
            found = _spill(m, n_ctx, kv, fa, budget, ram)
        if found:
            tier, lay = found
            est = llama_bytes(m, lay)
            est = {"cpu": est["cpu"], dev: est.get("gpu", 0)}
            reason = gpu_reason(m, gpu, lay, est, ctx, threads)
            p = _llama_plan(m, lay, dev, threads, est, hw, gpu, reason)
            # all on the GPU: the most precise quant first; split: the fastest (smallest) first
            out.append(((tier, -m.bits_per_weight if tier == 1 else -p.est_decode_tok_s), p))
    # Flash attention on the CPU too: llama.cpp decoded 25% faster with it here (SmolLM2, 1 thread).
    rungs = _ladder(m, ctx, prefs, True)
    full = [LlamaLayout(0, 0, c, kv, fa) for c, kv, fa in rungs if c == ctx]
    shorter = [LlamaLayout(0, 0, c, kv, fa, SMALL_BATCH) for c, kv, fa in rungs if c < ctx]
    # smaller prompt batches (a smaller compute buffer) cost less than a shorter context
    cpu_steps = full + [replace(full[-1], n_batch=SMALL_BATCH)] + shorter
    for lay in cpu_steps:
        est = llama_bytes(m, lay)
        if est["cpu"] <= ram:
            reason = cpu_reason(m, hw, prefs, lay, ctx, threads, gpus, fallback=bool(out))
            p = _llama_plan(m, lay, "cpu", threads, est, hw, None, reason)
            out.append(((4, -p.est_decode_tok_s), p))
            break
    return out


def _fits(m: ModelInfo, lay: LlamaLayout, gpu_budget_b: int, ram: int) -> bool:
    est = llama_bytes(m, lay)
    return est.get("gpu", 0) <= gpu_budget_b and est["cpu"] <= ram


def _spill(m: ModelInfo, n_ctx: int, kv: str, fa: bool, budget: int, ram: int):
    if m.n_experts:  # fewest layers with routed experts in RAM such that the rest fits
        for k in range(1, m.n_layers + 1):
            lay = LlamaLayout(m.n_layers + 1, k, n_ctx, kv, fa)
            if _fits(m, lay, budget, ram):
                return 2, lay
    for n_gpu in range(m.n_layers, 0, -1):  # most layers on the GPU, experts (if any) in RAM
        lay = LlamaLayout(n_gpu, m.n_layers if m.n_experts else 0, n_ctx, kv, fa)
        if _fits(m, lay, budget, ram):
            return 3, lay
    return None


def _llama_plan(m, lay, device, threads, est, hw, gpu, reason) -> Plan:
    return Plan(engine="llama_cpp", model_path=m.path, device=device, n_gpu_layers=lay.n_gpu_layers,
                n_batch=lay.n_batch,
                n_cpu_moe_layers=min(lay.n_cpu_moe, m.n_layers) if lay.n_gpu_layers else 0,
                n_ctx=lay.n_ctx, n_threads=threads, kv_type=lay.kv_type, flash_attn=lay.flash_attn,
                # llama.cpp warns that tensors overridden to the CPU run better read than mapped
                use_mmap=not (lay.n_gpu_layers and lay.n_cpu_moe),
                est_bytes=est, est_decode_tok_s=decode_speed(m, lay, threads, gpu, hw.ram_bandwidth_bytes_s),
                reason=reason)


__all__ = ["plan", "PlanPreferences", "PlanResult", "kv_cache_bytes", "size"]
