"""Does config.json describe the weights beside it? The shapes it implies for the embeddings,
each layer's attention (q/k/v/o, or DeepSeek's MLA projections) and its MLP or experts, checked
against the safetensors headers, so a mismatched folder is refused when it is planned, not after
minutes of loading. Only names and shapes are read; tensors the rules do not name are left alone.
"""
from __future__ import annotations

import os
import re
from typing import Any, Callable, Iterable

from runtime.modelfile.safetensors_header import SafetensorsTensor
from runtime.types import ModelFileError

# Tensors whose header shape is the real one; packed quantized weights (U8, I32...) are not.
_FLOAT = ("F64", "F32", "F16", "BF16", "F8_E4M3", "F8_E5M2")
# The model types the rules below describe (Llama-style names and [out, in] weights).
CHECKED_TYPES = frozenset({"llama", "mistral", "qwen2", "qwen3", "qwen2_moe", "qwen3_moe", "gemma3_text",
                           "deepseek", "deepseek_v2", "deepseek_v3"})

_LAYER_PREFIX = re.compile(r"^model\.layers\.\d+\.")
Shape = tuple[int, ...]
Rule = Callable[[dict[str, Any]], tuple[Shape, str]]  # config -> (shape, the config values it comes from)


def _get(cfg: dict[str, Any], key: str) -> int:
    return int(cfg.get(key) or 0)


def _words(cfg: dict[str, Any], *keys: str) -> str:
    return ", ".join(f"{k} {cfg.get(k)}" for k in keys)


def _head_dim(cfg: dict[str, Any]) -> int:
    return _get(cfg, "head_dim") or _get(cfg, "hidden_size") // max(1, _get(cfg, "num_attention_heads"))


def _kv_heads(cfg: dict[str, Any]) -> int:
    return _get(cfg, "num_key_value_heads") or _get(cfg, "num_attention_heads")


def _rules(cfg: dict[str, Any]) -> dict[str, Rule]:
    """Tensor name pattern (after 'model.layers.N.' for a layer) -> its shape from the config."""
    h = _get(cfg, "hidden_size")
    heads = _get(cfg, "num_attention_heads")
    hidden = ("hidden_size",)
    rules: dict[str, Rule] = {
        r"model\.embed_tokens\.weight": lambda c: ((_get(c, "vocab_size"), h), _words(c, "vocab_size", "hidden_size")),
        r"lm_head\.weight": lambda c: ((_get(c, "vocab_size"), h), _words(c, "vocab_size", "hidden_size")),
        r"mlp\.(gate|up)_proj\.weight": lambda c: ((_get(c, "intermediate_size"), h),
                                                   _words(c, "intermediate_size", *hidden)),
        r"mlp\.down_proj\.weight": lambda c: ((h, _get(c, "intermediate_size")), _words(c, *hidden, "intermediate_size")),
        r"mlp\.experts\.\d+\.(gate|up)_proj\.weight": lambda c: ((_get(c, "moe_intermediate_size"), h),
                                                                 _words(c, "moe_intermediate_size", *hidden)),
        r"mlp\.experts\.\d+\.down_proj\.weight": lambda c: ((h, _get(c, "moe_intermediate_size")),
                                                            _words(c, *hidden, "moe_intermediate_size")),
        r"mlp\.shared_experts\.(gate|up)_proj\.weight": lambda c: (
            (_get(c, "moe_intermediate_size") * _get(c, "n_shared_experts"), h),
            _words(c, "moe_intermediate_size", "n_shared_experts", *hidden)),
        r"mlp\.shared_experts\.down_proj\.weight": lambda c: (
            (h, _get(c, "moe_intermediate_size") * _get(c, "n_shared_experts")),
            _words(c, *hidden, "moe_intermediate_size", "n_shared_experts")),
    }
    n_experts = _get(cfg, "n_routed_experts") or _get(cfg, "num_experts")
    if n_experts:
        rules[r"mlp\.gate\.weight"] = lambda c: ((n_experts, h), _words(
            c, "n_routed_experts" if c.get("n_routed_experts") else "num_experts", *hidden))
    if _get(cfg, "kv_lora_rank"):  # DeepSeek-V2/V3 multi-head latent attention
        nope, rope, v = _get(cfg, "qk_nope_head_dim"), _get(cfg, "qk_rope_head_dim"), _get(cfg, "v_head_dim")
        lora, q_lora = _get(cfg, "kv_lora_rank"), _get(cfg, "q_lora_rank")
        qk = ("num_attention_heads", "qk_nope_head_dim", "qk_rope_head_dim")
        rules.update({
            r"self_attn\.q_proj\.weight": lambda c: ((heads * (nope + rope), h), _words(c, *qk, *hidden)),
            r"self_attn\.q_a_proj\.weight": lambda c: ((q_lora, h), _words(c, "q_lora_rank", *hidden)),
            r"self_attn\.q_b_proj\.weight": lambda c: ((heads * (nope + rope), q_lora), _words(c, *qk, "q_lora_rank")),
            r"self_attn\.kv_a_proj_with_mqa\.weight": lambda c: (
                (lora + rope, h), _words(c, "kv_lora_rank", "qk_rope_head_dim", *hidden)),
            r"self_attn\.kv_b_proj\.weight": lambda c: (
                (heads * (nope + v), lora),
                _words(c, "num_attention_heads", "qk_nope_head_dim", "v_head_dim", "kv_lora_rank")),
            r"self_attn\.o_proj\.weight": lambda c: ((h, heads * v), _words(c, *hidden, "num_attention_heads",
                                                                           "v_head_dim")),
        })
    else:
        q, kv = heads * _head_dim(cfg), _kv_heads(cfg) * _head_dim(cfg)
        head_words = ("num_attention_heads", "head_dim") if cfg.get("head_dim") else ("num_attention_heads",)
        kv_words = ("num_key_value_heads",) + (("head_dim",) if cfg.get("head_dim") else ())
        rules.update({
            r"self_attn\.q_proj\.weight": lambda c: ((q, h), _words(c, *head_words, *hidden)),
            r"self_attn\.(k|v)_proj\.weight": lambda c: ((kv, h), _words(c, *kv_words, *hidden)),
            r"self_attn\.o_proj\.weight": lambda c: ((h, q), _words(c, *hidden, *head_words)),
        })
    return rules


def check_shapes(folder: str, cfg: dict[str, Any], tensors: Iterable[SafetensorsTensor]) -> None:
    """ModelFileError naming the first tensor whose shape config.json contradicts."""
    if cfg.get("model_type") not in CHECKED_TYPES:
        return
    rules = [(re.compile(p + "$"), rule) for p, rule in _rules(cfg).items()]
    for t in tensors:
        if t.dtype not in _FLOAT:
            continue
        within = _LAYER_PREFIX.sub("", t.name)  # a layer's tensors by their name inside the layer
        for regex, rule in rules:
            if regex.match(within):
                expected, source = rule(cfg)
                if tuple(t.shape) != expected:
                    raise ModelFileError(
                        f"config.json in {os.path.basename(os.path.normpath(folder))} does not match its "
                        f"weights: {t.name} is {list(t.shape)}, but config.json ({source}) makes it "
                        f"{list(expected)}. Download the config.json that came with these weights.")
                break
