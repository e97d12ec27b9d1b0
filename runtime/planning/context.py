"""The context a model gets when the user sets none: the largest that fits comfortably.

Each plan the planner makes at the base context (4096 tokens, or the trained length if shorter)
is made again at longer contexts, 1.5x or 2x apart up to the model's trained length, and the
longest one that stays comfortable is kept:
- the same plan: the same engine, device, tier (all on the GPU stays all on the GPU) and KV cache
  type, within the planner's memory budgets;
- room to spare: the memory a longer context adds on a device takes at most half of what the base
  plan left free there (RAM for every plan; GPU memory for a plan that runs wholly on the GPU,
  since a split plan fills the GPU by design and pays for a longer context with weights moved to
  RAM, which the speed floor prices);
- decode-speed floors: a new token reads the K and V of every cached token besides the weights,
  so at a full context decoding must stay at least SPEED_FLOOR of its speed at a full base
  context; and a short chat, what most turns are, may lose at most a tenth of its speed
  (EVERYDAY_FLOOR) to the longer context: a split GGUF moves weights off the GPU to make room for
  the cache, and the torch engine's compiled decode step reads its whole static cache for every
  token, however little of it is filled.
- a prompt-time ceiling on the CPU: a question that fills half the context with a document's
  passages (the quoting's share) must be read within PROMPT_SECONDS, at a prompt speed calibrated
  on this project's test machine; a GPU reads prompts fast enough for any context here.
The plan's reason then says which of these set its context; a context the user set is said too.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Callable

from runtime.hardware import HardwareInfo
from runtime.modelfile import ModelInfo
from runtime.planning.memory import LlamaLayout
from runtime.planning.words import decode_speed
from runtime.sentences import Sentence, join
from runtime.types import Plan

BASE_CONTEXT = 4096  # the context every model had by default before; the speed floor's anchor
SPEED_FLOOR = 0.5  # at a full context, decode at least half as fast as at a full BASE_CONTEXT
EVERYDAY_FLOOR = 0.9  # a short chat keeps at least this share of its speed at BASE_CONTEXT
ROOM_SHARE = 0.5  # a longer context may take at most this share of the memory left free
PROMPT_SECONDS = 60  # the longest a CPU may take to read a prompt of half the context
# Prompt reading on the CPU is compute-bound, 2 FLOP a token per active parameter outside the token
# embedding and the output head (a lookup, and logits for the last token only). Measured on the
# 2-core test machine (bench/RESULTS.md, llama.cpp vs llama-bench, 2 threads): SmolLM2-135M (106M
# such parameters) read 314-334 tokens/s, 34 GFLOP/s a thread; Gemma 3 270M (100M) 420, 42. 32
# keeps a margin below both.
CPU_PROMPT_FLOPS_PER_THREAD = 32e9

Ranked = list[tuple[tuple, Plan]]
MakePlans = Callable[[int, object], Ranked]  # (context, PlanPreferences) -> ranked plans


def steps(base: int, trained: int) -> list[int]:
    """The longer contexts to try, shortest first: 6K, 8K, 12K, 16K, ... and the trained length."""
    out, c = [], base
    while True:
        for nxt in (c * 3 // 2, c * 2):
            if base < nxt < trained:
                out.append(nxt)
        c *= 2
        if c >= trained:
            break
    if trained > base:
        out.append(trained)
    return sorted(set(out))


def sized(hw: HardwareInfo, m: ModelInfo, prefs, make: MakePlans, budget: Callable[[str], int]) -> Ranked:
    """make's plans at the context the user set, or each at the longest comfortable context."""
    if prefs.n_ctx:
        ctx = min(m.ctx_train, prefs.n_ctx)
        return [(k, _noted(p, _set_note(p, prefs.n_ctx, m))) for k, p in make(ctx, prefs)]
    base = min(m.ctx_train, BASE_CONTEXT)
    strict = replace(prefs, allow_smaller_context=False)
    tried: dict[int, Ranked] = {}

    def at(ctx: int) -> Ranked:
        if ctx not in tried:
            tried[ctx] = make(ctx, replace(strict, n_ctx=ctx))
        return tried[ctx]

    out = []
    for key, p in make(base, prefs):
        if p.n_ctx < base:  # shortened to fit at all: its reason says so already
            out.append((key, p))
            continue
        best, why = p, "trained"
        for ctx in steps(base, m.ctx_train):
            q = next((q for k, q in at(ctx) if _same_route(k, q, key, p)), None)
            if q is None or not _roomy(key, p, q, budget):
                why = "gpu" if p.device.startswith("cuda") and key[0] in (0, 1) else "ram"
                break
            if full_context_speed(hw, m, q) < SPEED_FLOOR * full_context_speed(hw, m, p):
                why = "speed"
                break
            if everyday_speed(hw, m, q) < EVERYDAY_FLOOR * everyday_speed(hw, m, p):
                why = "everyday"
                break
            if prompt_seconds(hw, m, q) > PROMPT_SECONDS:
                why = "prompt"
                break
            best = q
        out.append((key, _noted(best, _auto_note(best.n_ctx, why, base))))
    return out


def full_context_speed(hw: HardwareInfo, m: ModelInfo, p: Plan) -> float:
    """Tokens/s (or a figure proportional to it) at the end of a full context."""
    if p.engine == "torch":  # weights of the active parameters + the latent or K/V of every token
        width = 4 if p.dtype == "float32" else 2
        from runtime.modelfile.arch import kv_bytes_per_token
        return 1.0 / (m.n_active_params * width + p.n_ctx * kv_bytes_per_token(m.hparams, "torch"))
    gpu = next((g for g in hw.gpus if f"cuda:{g.index}" == p.device), None)
    lay = LlamaLayout(p.n_gpu_layers, p.n_cpu_moe_layers, p.n_ctx, p.kv_type, p.flash_attn, p.n_batch)
    return decode_speed(m, lay, p.n_threads or hw.free_physical_cores, gpu, hw.ram_bandwidth_bytes_s,
                        kv_tokens=p.n_ctx)


def everyday_speed(hw: HardwareInfo, m: ModelInfo, p: Plan) -> float:
    """Tokens/s (or a figure proportional to it) of a short chat: the weights alone for llama.cpp
    (the plan's own estimate); the whole static cache too for torch's compiled step on a GPU."""
    if p.engine == "torch":
        return full_context_speed(hw, m, p) if p.device.startswith("cuda") else 1.0
    return p.est_decode_tok_s or 0.0


def prompt_seconds(hw: HardwareInfo, m: ModelInfo, p: Plan) -> float:
    """Seconds the CPU takes to read a prompt of half the plan's context (0 for a GPU plan)."""
    if p.device != "cpu":
        return 0.0
    threads = p.n_threads or hw.free_physical_cores
    a = m.hparams
    lookup = a.n_vocab * a.n_embd * (1 if a.tied_embeddings else 2)  # embedding (+ output head)
    flops = 2 * max(m.n_active_params - lookup, m.n_active_params // 4)
    return (p.n_ctx / 2) * flops / (max(1, threads) * CPU_PROMPT_FLOPS_PER_THREAD)


def _same_route(key: tuple, q: Plan, base_key: tuple, p: Plan) -> bool:
    return (key[0] == base_key[0] and (q.engine, q.device, q.dtype, q.kv_type, q.model_path)
            == (p.engine, p.device, p.dtype, p.kv_type, p.model_path))


def _roomy(key: tuple, p: Plan, q: Plan, budget: Callable[[str], int]) -> bool:
    split = key[0] in (2, 3)  # a GGUF split between GPU and RAM: the GPU is full by design
    for dev, used in q.est_bytes.items():
        if split and dev != "cpu":
            continue
        before = p.est_bytes.get(dev, 0)
        if used - before > ROOM_SHARE * max(0, budget(dev) - before):
            return False
    return True


def _noted(p: Plan, note: str) -> Plan:
    return replace(p, reason=join(" ", [p.reason, note]))


def _auto_note(ctx: int, why: str, base: int) -> Sentence:
    if why == "trained":
        return Sentence("Context: {ctx} tokens, the longest this model was trained for.", ctx=ctx)
    if why == "speed":
        return Sentence("Context: {ctx} tokens, the longest at which replies still come at least half as "
                        "fast as at {base} (each new token reads the whole KV cache).", ctx=ctx, base=base)
    if why == "everyday":
        return Sentence("Context: {ctx} tokens, the longest that costs short replies at most a tenth of "
                        "their speed at {base}.", ctx=ctx, base=base)
    if why == "prompt":
        return Sentence("Context: {ctx} tokens; on the CPU a prompt filling half of a longer one would take "
                        "over a minute to read.", ctx=ctx)
    if why == "gpu":
        return Sentence("Context: {ctx} tokens, the longest whose KV cache leaves half of the free GPU "
                        "memory free.", ctx=ctx)
    return Sentence("Context: {ctx} tokens, the longest whose KV cache leaves half of the free RAM free.",
                    ctx=ctx)


def _set_note(p: Plan, wanted: int, m: ModelInfo) -> Sentence | str:
    if p.n_ctx < min(wanted, m.ctx_train):
        return ""  # shortened to fit: the reason says so already
    if wanted > m.ctx_train:
        return Sentence("Context: {ctx} tokens, the model's trained length (the setting asks for {wanted}).",
                        ctx=p.n_ctx, wanted=wanted)
    return Sentence("Context: {ctx} tokens, as set in the settings.", ctx=p.n_ctx)
