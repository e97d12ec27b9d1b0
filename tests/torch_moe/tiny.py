"""Tiny random-weight Hugging Face model folders (config, sharded safetensors, tokenizer)."""
from __future__ import annotations

import json
from pathlib import Path

import torch

BOS, EOS = "<｜begin▁of▁sentence｜>", "<｜end▁of▁sentence｜>"
SPECIALS = [BOS, EOS, "<｜User｜>", "<｜Assistant｜>", "<think>", "</think>"]
TEMPLATE = (
    "{{ bos_token }}{% for m in messages %}{% if m['role'] == 'system' %}{{ m['content'] }}"
    "{% elif m['role'] == 'user' %}<｜User｜>{{ m['content'] }}"
    "{% else %}<｜Assistant｜>{{ m['content'] }}{{ eos_token }}{% endif %}{% endfor %}"
    "{% if add_generation_prompt %}<｜Assistant｜>{% endif %}"
)
CORPUS = [
    "The quick brown fox jumps over the lazy dog. Hello world, hello DeepSeek!",
    "def main():\n    return 42  # code, numbers 0123456789",
    "深度求索是一家人工智能公司。你好，世界！今天天气很好。",
    "Mixture of experts routes each token to a few experts; latent attention caches less.",
]
PROMPTS = ["Hello world, the quick brown fox", "你好，世界！今天", "def main():\n    return 4"]

_MLA = dict(kv_lora_rank=16, qk_nope_head_dim=16, qk_rope_head_dim=8, v_head_dim=16,
            moe_intermediate_size=32, n_shared_experts=1, first_k_dense_replace=1)
KINDS = {
    "v3": ("deepseek_v3", dict(_MLA, q_lora_rank=32, n_routed_experts=8, num_experts_per_tok=2,
                               n_group=4, topk_group=2, scoring_func="sigmoid", topk_method="noaux_tc",
                               norm_topk_prob=True, routed_scaling_factor=2.5)),
    "v2_lite": ("deepseek_v2", dict(_MLA, q_lora_rank=None, n_routed_experts=8, num_experts_per_tok=3,
                                    topk_method="greedy", n_group=1, topk_group=1, norm_topk_prob=False,
                                    routed_scaling_factor=1.0)),
    "v2": ("deepseek_v2", dict(_MLA, q_lora_rank=24, n_routed_experts=8, num_experts_per_tok=2,
                               topk_method="group_limited_greedy", n_group=4, topk_group=2,
                               norm_topk_prob=False, routed_scaling_factor=16.0)),
    "v3_yarn": ("deepseek_v3", dict(_MLA, q_lora_rank=32, n_routed_experts=8, num_experts_per_tok=2,
                                    n_group=2, topk_group=1, scoring_func="sigmoid", norm_topk_prob=True,
                                    topk_method="noaux_tc", routed_scaling_factor=2.5,
                                    rope_scaling={"type": "yarn", "factor": 32.0, "beta_fast": 32,
                                                  "beta_slow": 1, "mscale": 1.0, "mscale_all_dim": 1.0,
                                                  "original_max_position_embeddings": 128})),
    # DeepSeek-MoE 16B's shape (v1: Llama attention, shared + routed experts, softmax top-k);
    # transformers has no "deepseek" class, so its reference is an equivalent Qwen2-MoE (below).
    "deepseek_moe": ("deepseek", dict(moe_intermediate_size=32, n_shared_experts=2, n_routed_experts=8,
                                      num_experts_per_tok=3, first_k_dense_replace=1, moe_layer_freq=1,
                                      norm_topk_prob=False, scoring_func="softmax")),
    "llama": ("llama", dict(num_key_value_heads=2)),
    "llama3_rope": ("llama", dict(num_key_value_heads=1, rope_scaling={
        "rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
        "original_max_position_embeddings": 16})),
    "qwen2": ("qwen2", dict(num_key_value_heads=2, tie_word_embeddings=True)),
    # Qwen3 (DeepSeek-R1-0528-Qwen3-8B's base): per-head q/k RMSNorm, a head_dim of its own,
    # and YaRN as that distill's config asks for a 128k context.
    "qwen3": ("qwen3", dict(num_key_value_heads=2, head_dim=24, rope_scaling={
        "rope_type": "yarn", "factor": 4.0, "original_max_position_embeddings": 1024})),
}


def make_tokenizer(path: Path, vocab_size: int = 320) -> None:
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=SPECIALS,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
                                  show_progress=False)
    tok.train_from_iterator(CORPUS * 4, trainer)
    tok.save(str(path / "tokenizer.json"))
    (path / "tokenizer_config.json").write_text(json.dumps({
        "add_bos_token": True, "add_eos_token": False, "bos_token": BOS, "eos_token": EOS,
        "chat_template": TEMPLATE, "model_max_length": 4096,
        "tokenizer_class": "LlamaTokenizerFast"}, ensure_ascii=False))


def make_model(path: Path, kind: str, layers: int = 3, seed: int = 0, dtype=torch.float32):
    """Write a tiny model folder of `kind` to `path` and return the transformers model."""
    import transformers

    model_type, extra = KINDS[kind]
    if model_type == "deepseek":
        return _make_deepseek_moe(path, dict(extra), layers, seed, dtype)
    cfg_cls = transformers.AutoConfig.for_model(model_type).__class__
    cfg = cfg_cls(vocab_size=320, hidden_size=64, intermediate_size=96, num_hidden_layers=layers,
                  num_attention_heads=4, num_key_value_heads=extra.pop("num_key_value_heads", 4),
                  max_position_embeddings=4096, initializer_range=0.08, bos_token_id=0,
                  eos_token_id=1, **extra)
    torch.manual_seed(seed)
    model = transformers.AutoModelForCausalLM.from_config(cfg, dtype=dtype).eval()
    with torch.no_grad():  # random router biases so noaux_tc's correction really changes choices
        for name, buf in model.named_buffers():
            if name.endswith("e_score_correction_bias"):
                buf.copy_(torch.rand_like(buf) * 0.1)
    _randomise_norms(model)
    path.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(path, max_shard_size="300KB")
    make_tokenizer(path)
    return model


def _randomise_norms(model) -> None:
    """Norm weights start at 1, which would hide a norm loaded into the wrong place (or not at all)."""
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("norm.weight"):
                p.copy_(1 + 0.2 * torch.randn_like(p))


def _make_deepseek_moe(path: Path, extra: dict, layers: int, seed: int, dtype):
    """A DeepSeek-MoE (v1) folder, and as its reference a Qwen2-MoE that computes the same function.

    Qwen2-MoE differs only in gating its shared expert by sigmoid(w . x): with w = 0 that factor
    is exactly 0.5, so the reference gets the shared down-projection doubled (exact in floating
    point) and no q/k/v bias. Its dense layers are `mlp_only_layers`, DeepSeek's first_k_dense_replace.
    """
    import transformers
    from safetensors.torch import load_file, save_file

    hid, dense = extra["moe_intermediate_size"], extra["first_k_dense_replace"]
    cfg = transformers.Qwen2MoeConfig(
        vocab_size=320, hidden_size=64, intermediate_size=96, num_hidden_layers=layers,
        num_attention_heads=4, num_key_value_heads=4, max_position_embeddings=4096,
        initializer_range=0.08, bos_token_id=0, eos_token_id=1, qkv_bias=False,
        moe_intermediate_size=hid, shared_expert_intermediate_size=hid * extra["n_shared_experts"],
        num_experts=extra["n_routed_experts"], num_experts_per_tok=extra["num_experts_per_tok"],
        norm_topk_prob=extra["norm_topk_prob"], mlp_only_layers=list(range(dense)))
    torch.manual_seed(seed)
    model = transformers.AutoModelForCausalLM.from_config(cfg, dtype=dtype).eval()
    _randomise_norms(model)
    path.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(path / "qwen2_moe")
    tensors = {}
    for name, t in load_file(path / "qwen2_moe" / "model.safetensors").items():
        if not name.endswith("shared_expert_gate.weight"):
            tensors[name.replace(".mlp.shared_expert.", ".mlp.shared_experts.")] = t.contiguous()
    save_file(tensors, path / "model.safetensors", metadata={"format": "pt"})
    (path / "config.json").write_text(json.dumps(dict(
        extra, architectures=["DeepseekForCausalLM"], model_type="deepseek", vocab_size=320,
        hidden_size=64, intermediate_size=96, num_hidden_layers=layers, num_attention_heads=4,
        num_key_value_heads=4, max_position_embeddings=4096, rms_norm_eps=cfg.rms_norm_eps,
        rope_theta=10000.0, rope_scaling=None, attention_bias=False, tie_word_embeddings=False,
        bos_token_id=0, eos_token_id=1, torch_dtype="float32")))
    for p in (path / "qwen2_moe").iterdir():
        p.unlink()
    (path / "qwen2_moe").rmdir()
    with torch.no_grad():
        for layer in model.model.layers[dense:]:
            layer.mlp.shared_expert_gate.weight.zero_()
            layer.mlp.shared_expert.down_proj.weight.mul_(2)
    make_tokenizer(path)
    return model
