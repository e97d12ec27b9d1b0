"""Shared by the torch benchmarks: DeepSeek-V2-Lite shapes, random weights built in place, and a
transformers model that views the very same tensors (no copy, so both engines run equal weights).
"""
from __future__ import annotations

import torch

V2_LITE = dict(model_type="deepseek_v2", vocab_size=102400, hidden_size=2048, intermediate_size=10944,
               num_hidden_layers=27, num_attention_heads=16, num_key_value_heads=16, q_lora_rank=None,
               kv_lora_rank=512, qk_nope_head_dim=128, qk_rope_head_dim=64, v_head_dim=128,
               n_routed_experts=64, num_experts_per_tok=6, n_shared_experts=2, moe_intermediate_size=1408,
               first_k_dense_replace=1, topk_method="greedy", n_group=1, topk_group=1,
               norm_topk_prob=False, routed_scaling_factor=1.0, scoring_func="softmax",
               rms_norm_eps=1e-6, max_position_embeddings=163840, rope_theta=10000.0,
               rope_scaling={"type": "yarn", "factor": 40, "original_max_position_embeddings": 4096,
                             "beta_fast": 32, "beta_slow": 1, "mscale": 0.707, "mscale_all_dim": 0.707})
MLA_NAMES = {"q_proj": "wq", "kv_a_proj_with_mqa": "wkv_a", "kv_a_layernorm": "kv_norm",
             "kv_b_proj": "wkv_b", "o_proj": "wo"}


def build_ours(raw: dict, n_ctx: int, device: str, dtype=torch.bfloat16):
    from runtime.backends.torch_moe.config import from_dict
    from runtime.backends.torch_moe.loader import build_meta

    model = build_meta(from_dict(raw), dtype)
    model.to_empty(device=device)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("norm.weight"):
                p.fill_(1.0)
            else:
                p.normal_(0.0, 0.02)
    model.eval().requires_grad_(False).setup_caches(1, n_ctx)
    return model


def _view(ours, hf_name: str, hf_param) -> torch.Tensor:
    """The tensor of ours that transformers' parameter `hf_name` is (a view, never a copy)."""
    parts = hf_name.split(".")
    if parts[0] == "lm_head":
        return ours.lm_head.weight
    if parts[1] in ("embed_tokens", "norm"):
        return ours.embed.weight if parts[1] == "embed_tokens" else ours.norm.weight
    layer = ours.layers[int(parts[2])]
    rest = parts[3:]
    if rest[0] in ("input_layernorm", "post_attention_layernorm"):
        return (layer.attn_norm if rest[0] == "input_layernorm" else layer.ffn_norm).weight
    if rest[0] == "self_attn":
        return getattr(layer.attn, MLA_NAMES[rest[1]]).weight
    ffn = layer.ffn
    if rest[1] == "gate":
        return ffn.gate
    if rest[1] == "experts":
        return ffn.w13 if rest[2] == "gate_up_proj" else ffn.w2
    mlp = ffn.shared if rest[1] == "shared_experts" else ffn
    proj = rest[-2]
    if proj == "down_proj":
        return mlp.w2.weight
    half = mlp.w13.weight.shape[0] // 2
    return mlp.w13.weight[:half] if proj == "gate_proj" else mlp.w13.weight[half:]


def build_hf(raw: dict, ours, device: str):
    from transformers import DeepseekV2Config, DeepseekV2ForCausalLM

    cfg = DeepseekV2Config(**{k: v for k, v in raw.items() if k != "model_type"})
    with torch.device("meta"):
        hf = DeepseekV2ForCausalLM(cfg)
    for name, p in list(hf.named_parameters()):
        mod_name, _, leaf = name.rpartition(".")
        t = _view(ours, name, p)
        assert t.shape == p.shape, (name, t.shape, p.shape)
        setattr(hf.get_submodule(mod_name), leaf, torch.nn.Parameter(t, requires_grad=False))
    for mod_name, mod in list(hf.named_modules()):  # rotary tables were built on meta: rebuild
        if hasattr(mod, "inv_freq"):
            hf.set_submodule(mod_name, type(mod)(cfg).to(device))
    return hf.eval()


def decode_bytes(ours, n_ctx: int) -> int:
    """Bytes read per decode token: all non-expert weights, k routed experts per MoE layer, cache."""
    cfg = ours.cfg
    total = 0
    for name, p in ours.named_parameters():
        if name.endswith(".w13") or name.endswith(".w2"):
            total += p.numel() // cfg.n_routed_experts * cfg.num_experts_per_tok * p.element_size()
        elif not name.startswith("embed"):
            total += p.numel() * p.element_size()
    total += cfg.hidden_size * 2  # one embedding row
    return total + cfg.num_layers * n_ctx * cfg.kv_cache_width() * ours.embed.weight.element_size()
