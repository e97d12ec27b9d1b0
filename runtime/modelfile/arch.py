"""The hyperparameters the memory formulas need, from GGUF metadata or a config.json.

KV-cache widths follow llama.cpp's allocation: heads x (K + V) per layer, except for an MLA GGUF
(one with key_length_mla) where llama.cpp caches only the latent, K = kv_lora_rank + rope, and no V
(llama-kv-cache.cpp: has_v = !is_mla). DeskSeek's torch engine caches that same latent, so
DeepSeek-V2/V3 need far less than their 128 heads suggest. Older DeepSeek-V2 GGUFs, converted
before llama.cpp knew MLA, cache full heads (16 x (192 + 128) per layer for V2-Lite).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# llama.cpp's fixed sliding-window patterns: every Nth layer attends to the full context.
SWA_PATTERN = {"gemma2": 2, "gemma3": 6, "cohere2": 4, "gpt-oss": 2}


@dataclass(frozen=True)
class Arch:
    name: str  # llama.cpp architecture name: llama, qwen2, deepseek, deepseek2, gemma3...
    n_layers: int
    n_embd: int
    n_head: int
    n_head_kv: int
    head_dim_k: int  # per KV head, as cached by llama.cpp
    head_dim_v: int
    n_vocab: int
    ctx_train: int
    n_ff: int = 0
    n_experts: int = 0  # routed experts per MoE layer
    n_experts_used: int = 0
    n_shared_experts: int = 0
    n_ff_expert: int = 0
    n_dense_layers: int = 0  # leading dense layers of a MoE model
    kv_lora_rank: int = 0  # MLA (DeepSeek-V2/V3)
    q_lora_rank: int = 0
    rope_dim: int = 0
    sliding_window: int = 0
    n_swa_layers: int = 0  # layers with a sliding window (their cache stays small)
    tied_embeddings: bool = False
    qkv_bias: bool = False
    model_type: str = ""  # config.json's, for a Hugging Face folder
    quant_method: str = ""  # config.json's quantization_config (fp8 for DeepSeek-V3's release)

    @property
    def is_moe(self) -> bool:
        return self.n_experts > 0

    @property
    def is_mla(self) -> bool:
        return self.kv_lora_rank > 0

    @property
    def n_moe_layers(self) -> int:
        return self.n_layers - self.n_dense_layers if self.is_moe else 0


def kv_bytes_per_token(a: Arch, engine: str = "llama_cpp", bytes_per_value: float = 2.0,
                       include_swa: bool = True) -> int:
    """Bytes of K+V per token over all (or only the full-attention) layers."""
    if engine == "torch" and a.is_mla:
        width = a.kv_lora_rank + a.rope_dim  # the latent cache
    else:
        width = a.n_head_kv * (a.head_dim_k + a.head_dim_v)
    layers = a.n_layers if include_swa else a.n_layers - a.n_swa_layers
    return int(layers * width * bytes_per_value)


def arch_from_gguf(meta: dict[str, Any], n_vocab: int) -> Arch:
    name = str(meta.get("general.architecture", "unknown"))

    def get(key: str, default: Any = 0) -> Any:
        value = meta.get(f"{name}.{key}", default)
        return max(value) if isinstance(value, list) and value else value  # per-layer arrays

    n_layers, n_embd = int(get("block_count")), int(get("embedding_length"))
    n_head = int(get("attention.head_count", 1)) or 1
    n_head_kv = int(get("attention.head_count_kv", n_head)) or n_head
    hd_k = int(get("attention.key_length", n_embd // n_head))
    hd_v = int(get("attention.value_length", n_embd // n_head))
    if get("attention.key_length_mla") and get("attention.value_length_mla"):
        hd_v = 0  # MLA: V is read out of the cached latent
    window = int(get("attention.sliding_window", 0))
    pattern = meta.get(f"{name}.attention.sliding_window_pattern")
    if isinstance(pattern, list):
        n_swa = sum(1 for p in pattern if p)
    elif window and name in SWA_PATTERN:
        n_swa = sum(1 for il in range(n_layers) if il % SWA_PATTERN[name] < SWA_PATTERN[name] - 1)
    else:
        n_swa = 0
    return Arch(
        name=name, n_layers=n_layers, n_embd=n_embd, n_head=n_head, n_head_kv=n_head_kv,
        head_dim_k=hd_k, head_dim_v=hd_v, n_vocab=int(get("vocab_size", n_vocab) or n_vocab),
        ctx_train=int(get("context_length", 4096)), n_ff=int(get("feed_forward_length")),
        n_experts=int(get("expert_count")), n_experts_used=int(get("expert_used_count")),
        n_shared_experts=int(get("expert_shared_count")),
        n_ff_expert=int(get("expert_feed_forward_length")),
        n_dense_layers=int(get("leading_dense_block_count")),
        kv_lora_rank=int(get("attention.kv_lora_rank")), q_lora_rank=int(get("attention.q_lora_rank")),
        rope_dim=int(get("rope.dimension_count")), sliding_window=window, n_swa_layers=n_swa,
    )


# config.json model_type -> llama.cpp architecture name
_HF_ARCH = {"llama": "llama", "qwen2": "qwen2", "deepseek": "deepseek", "deepseek_v2": "deepseek2",
            "deepseek_v3": "deepseek2", "mistral": "llama", "qwen3": "qwen3", "gemma3_text": "gemma3",
            "qwen2_moe": "qwen2moe", "qwen3_moe": "qwen3moe", "mixtral": "llama"}


def arch_from_hf_config(cfg: dict[str, Any]) -> Arch:
    model_type = str(cfg.get("model_type", "unknown"))
    name = _HF_ARCH.get(model_type, model_type)
    n_embd, n_head = int(cfg["hidden_size"]), int(cfg["num_attention_heads"])
    n_head_kv = int(cfg.get("num_key_value_heads") or n_head)
    head_dim = int(cfg.get("head_dim") or n_embd // n_head)
    kv_lora = int(cfg.get("kv_lora_rank") or 0)
    rope = int(cfg.get("qk_rope_head_dim") or 0)
    if kv_lora:  # an MLA GGUF caches one latent "head": K = latent + rope, no V
        n_head_kv, hd_k, hd_v = 1, kv_lora + rope, 0
    else:
        hd_k = hd_v = head_dim
    n_experts = int(cfg.get("n_routed_experts") or cfg.get("num_local_experts")
                    or cfg.get("num_experts") or 0)
    return Arch(
        name=name, n_layers=int(cfg["num_hidden_layers"]), n_embd=n_embd, n_head=n_head,
        n_head_kv=n_head_kv, head_dim_k=hd_k, head_dim_v=hd_v, n_vocab=int(cfg["vocab_size"]),
        ctx_train=int(cfg.get("max_position_embeddings") or 4096),
        n_ff=int(cfg.get("intermediate_size") or 0), n_experts=n_experts,
        n_experts_used=int(cfg.get("num_experts_per_tok") or 0),
        n_shared_experts=int(cfg.get("n_shared_experts") or 0),
        n_ff_expert=int(cfg.get("moe_intermediate_size") or 0),
        n_dense_layers=int(cfg.get("first_k_dense_replace") or 0) if n_experts else 0,
        kv_lora_rank=kv_lora, q_lora_rank=int(cfg.get("q_lora_rank") or 0), rope_dim=rope,
        sliding_window=int(cfg.get("sliding_window") or 0) if cfg.get("use_sliding_window") else 0,
        tied_embeddings=bool(cfg.get("tie_word_embeddings", False)),
        qkv_bias=bool(cfg.get("attention_bias", model_type == "qwen2")), model_type=model_type,
        quant_method=str((cfg.get("quantization_config") or {}).get("quant_method", "")),
    )


@dataclass(frozen=True)
class ParamCount:
    """Parameters per part of a model, computed from its hyperparameters alone."""

    embedding: int
    output: int  # output head + final norm (0 head when tied)
    per_layer: tuple[int, ...]
    routed_per_layer: tuple[int, ...]  # routed-expert weights inside per_layer

    @property
    def total(self) -> int:
        return self.embedding + self.output + sum(self.per_layer)


def count_params(a: Arch, hf: dict[str, Any] | None = None) -> ParamCount:
    """Weights of a DeepSeek/Llama/Qwen2-style decoder from its config (used for the doc table)."""
    hf = hf or {}
    h = a.n_embd
    if a.is_mla:
        nope, rope = int(hf.get("qk_nope_head_dim", 128)), a.rope_dim
        v_dim = int(hf.get("v_head_dim", 128))
        q_out = a.n_head * (nope + rope)
        q = (h * a.q_lora_rank + a.q_lora_rank + a.q_lora_rank * q_out) if a.q_lora_rank else h * q_out
        attn = q + h * (a.kv_lora_rank + rope) + a.kv_lora_rank \
            + a.kv_lora_rank * a.n_head * (nope + v_dim) + a.n_head * v_dim * h
    else:
        hd = a.head_dim_k
        attn = 2 * h * a.n_head * hd + 2 * h * a.n_head_kv * hd
        if a.qkv_bias:
            attn += a.n_head * hd + 2 * a.n_head_kv * hd
    dense_mlp = 3 * h * a.n_ff
    routed = a.n_experts * 3 * h * a.n_ff_expert
    shared = a.n_shared_experts * 3 * h * a.n_ff_expert + h * a.n_experts  # + router
    per_layer, routed_layers = [], []
    for il in range(a.n_layers):
        moe = a.is_moe and il >= a.n_dense_layers
        per_layer.append(attn + 2 * h + (routed + shared if moe else dense_mlp))
        routed_layers.append(routed if moe else 0)
    output = h + (0 if a.tied_embeddings else a.n_vocab * h)
    return ParamCount(a.n_vocab * h, output, tuple(per_layer), tuple(routed_layers))
