"""One dataclass config built from a Hugging Face config.json (no transformers import)."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from runtime.types import ModelFileError, ModelLoadError

# model_type -> attention family: "mla" is latent attention, "dense" is Llama-style GQA/MHA.
# MoE layers come from the config's expert fields (DeepSeek-V2/V3 and DeepSeek-MoE v1 have them).
_FAMILIES = {"deepseek_v3": "mla", "deepseek_v2": "mla", "deepseek": "dense", "llama": "dense",
             "qwen2": "dense", "qwen3": "dense"}


@dataclass(frozen=True)
class ModelConfig:
    model_type: str
    vocab_size: int
    hidden_size: int
    intermediate_size: int
    num_layers: int
    num_heads: int
    num_kv_heads: int
    head_dim: int  # dense attention only
    rms_norm_eps: float
    max_position_embeddings: int
    tie_word_embeddings: bool = False
    attention_bias: bool = False  # Qwen2 q/k/v bias (and Llama's optional one)
    o_bias: bool = False
    mlp_bias: bool = False
    qk_norm: bool = False  # Qwen3 RMS-normalises each query and key head before rope
    # rope: a plain dict in Hugging Face's "rope_parameters" shape (rope_type, rope_theta, factor...)
    rope: dict = field(default_factory=dict)
    rope_interleave: bool = False  # DeepSeek rotates interleaved pairs
    # MLA
    q_lora_rank: int | None = None
    kv_lora_rank: int = 0
    qk_nope_head_dim: int = 0
    qk_rope_head_dim: int = 0
    v_head_dim: int = 0
    # MoE
    n_routed_experts: int = 0
    n_shared_experts: int = 0
    num_experts_per_tok: int = 0
    moe_intermediate_size: int = 0
    first_k_dense_replace: int = 0
    moe_layer_freq: int = 1
    scoring_func: str = "softmax"
    topk_method: str = "greedy"
    n_group: int = 1
    topk_group: int = 1
    norm_topk_prob: bool = False
    routed_scaling_factor: float = 1.0

    @property
    def is_mla(self) -> bool:
        return _FAMILIES[self.model_type] == "mla"

    def is_moe_layer(self, i: int) -> bool:
        return (
            self.n_routed_experts > 0
            and i >= self.first_k_dense_replace
            and i % self.moe_layer_freq == 0
        )

    @property
    def qk_head_dim(self) -> int:
        return self.qk_nope_head_dim + self.qk_rope_head_dim

    def kv_cache_width(self) -> int:
        """Cached numbers per token per layer: the latent + rope key for MLA, K and V otherwise."""
        if self.is_mla:
            return self.kv_lora_rank + self.qk_rope_head_dim
        return 2 * self.num_kv_heads * self.head_dim


def _rope_dict(raw: dict) -> dict:
    """Normalise the old `rope_scaling` + `rope_theta` keys and the new `rope_parameters`."""
    rope = dict(raw.get("rope_parameters") or raw.get("rope_scaling") or {})
    rope.setdefault("rope_theta", raw.get("rope_theta", 10000.0))
    rope_type = rope.get("rope_type", rope.get("type", "default"))
    rope["rope_type"] = rope_type
    if rope_type not in ("default", "linear", "yarn", "llama3"):
        raise ModelLoadError(f"RoPE scaling '{rope_type}' is not supported by the torch engine.")
    if rope_type in ("yarn", "llama3"):
        rope.setdefault("original_max_position_embeddings", raw.get("max_position_embeddings"))
    return rope


def from_dict(raw: dict) -> ModelConfig:
    model_type = raw.get("model_type", "")
    if model_type not in _FAMILIES:
        archs = ", ".join(raw.get("architectures") or []) or model_type or "unknown"
        raise ModelLoadError(
            f"The torch engine does not support the '{archs}' architecture "
            f"(supported: DeepSeek-V2/V3, DeepSeek-MoE, Llama, Qwen2, Qwen3)."
        )
    if raw.get("quantization_config"):
        kind = raw["quantization_config"].get("quant_method", "quantized")
        raise ModelLoadError(
            f"This checkpoint is {kind}-quantized; the torch engine needs bf16/fp16/fp32 weights."
        )
    if raw.get("use_sliding_window"):
        raise ModelLoadError("Sliding-window attention is not supported by the torch engine.")
    heads = raw["num_attention_heads"]
    common = dict(
        model_type=model_type,
        vocab_size=raw["vocab_size"],
        hidden_size=raw["hidden_size"],
        intermediate_size=raw["intermediate_size"],
        num_layers=raw["num_hidden_layers"],
        num_heads=heads,
        num_kv_heads=raw.get("num_key_value_heads") or heads,
        head_dim=raw.get("head_dim") or raw["hidden_size"] // heads,
        rms_norm_eps=raw.get("rms_norm_eps", 1e-6),
        max_position_embeddings=raw.get("max_position_embeddings", 4096),
        tie_word_embeddings=bool(raw.get("tie_word_embeddings", False)),
        mlp_bias=bool(raw.get("mlp_bias", False)),
        rope=_rope_dict(raw),
    )
    if model_type == "qwen2":
        return ModelConfig(**common, attention_bias=True)
    if model_type in ("llama", "qwen3"):  # Qwen3 is DeepSeek-R1-0528's distill base
        bias = bool(raw.get("attention_bias", False))
        return ModelConfig(**common, attention_bias=bias, o_bias=bias, qk_norm=model_type == "qwen3")
    if model_type == "deepseek":  # DeepSeek-MoE 16B: Llama attention, DeepSeek's experts
        bias = bool(raw.get("attention_bias", False))
        return ModelConfig(**common, attention_bias=bias, o_bias=bias, **_moe_fields(raw, v3=False))
    v3 = model_type == "deepseek_v3"
    return ModelConfig(
        **common,
        attention_bias=bool(raw.get("attention_bias", False)),
        rope_interleave=bool(raw.get("rope_interleave", True)),
        q_lora_rank=raw.get("q_lora_rank"),
        kv_lora_rank=raw["kv_lora_rank"],
        qk_nope_head_dim=raw["qk_nope_head_dim"],
        qk_rope_head_dim=raw["qk_rope_head_dim"],
        v_head_dim=raw["v_head_dim"],
        **_moe_fields(raw, v3),
    )


def _moe_fields(raw: dict, v3: bool) -> dict:
    """DeepSeek's expert settings; V3 defaults to sigmoid noaux_tc routing, V2 and v1 to softmax."""
    return dict(
        n_routed_experts=raw.get("n_routed_experts") or 0,
        n_shared_experts=raw.get("n_shared_experts") or 0,
        num_experts_per_tok=raw.get("num_experts_per_tok") or 0,
        moe_intermediate_size=raw.get("moe_intermediate_size") or 0,
        first_k_dense_replace=raw.get("first_k_dense_replace", 0),
        moe_layer_freq=raw.get("moe_layer_freq", 1),
        scoring_func=raw.get("scoring_func", "sigmoid" if v3 else "softmax"),
        topk_method=raw.get("topk_method", "noaux_tc" if v3 else "greedy"),
        n_group=raw.get("n_group") or 1,
        topk_group=raw.get("topk_group") or 1,
        norm_topk_prob=bool(raw.get("norm_topk_prob", v3)),
        routed_scaling_factor=float(raw.get("routed_scaling_factor", 1.0)),
    )


def load_config(model_dir: str | Path) -> ModelConfig:
    path = Path(model_dir) / "config.json"
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelFileError(f"{model_dir} has no config.json; is it a Hugging Face model folder?")
    except (OSError, ValueError) as e:
        raise ModelFileError(f"Could not read {path}: {e}") from e
    try:
        return from_dict(raw)
    except KeyError as e:
        raise ModelFileError(f"{path} lacks the field {e.args[0]!r}.") from e
