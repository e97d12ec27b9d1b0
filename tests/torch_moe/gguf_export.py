"""Write a Hugging Face DeepSeek folder as an f32 GGUF in llama.cpp's layout.

Test-only: lets the cross-engine test run both engines on the very same weights. DeepSeek-V2/V3
become "deepseek2": MLA as MQA with one KV head, kv_b split into per-head k_b (transposed) and
v_b, experts stacked per layer, the router bias as exp_probs_b. DeepSeek-MoE (v1) becomes
"deepseek": Llama attention with q and k permuted for llama.cpp's rope, experts stacked.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import torch


def _tensors(model_dir: Path) -> dict[str, torch.Tensor]:
    from safetensors.torch import load_file

    out = {}
    for shard in sorted(model_dir.glob("*.safetensors")):
        out.update(load_file(shard))
    return out


def _vocab(writer, model_dir: Path, vocab_size: int) -> None:
    import gguf

    tj = json.loads((model_dir / "tokenizer.json").read_text(encoding="utf-8"))
    tc = json.loads((model_dir / "tokenizer_config.json").read_text(encoding="utf-8"))
    by_id = {i: t for t, i in tj["model"]["vocab"].items()}
    special = {a["id"] for a in tj["added_tokens"] if a.get("special")}
    by_id.update({a["id"]: a["content"] for a in tj["added_tokens"]})
    tokens = [by_id.get(i, f"[PAD{i}]") for i in range(vocab_size)]
    types = [gguf.TokenType.CONTROL if i in special else
             gguf.TokenType.NORMAL if i in by_id else gguf.TokenType.UNUSED for i in range(vocab_size)]
    merges = [m if isinstance(m, str) else " ".join(m) for m in tj["model"]["merges"]]
    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre("gpt-2")  # the tiny tokenizers use ByteLevel's GPT-2 split
    writer.add_token_list(tokens)
    writer.add_token_types(types)
    writer.add_token_merges(merges)
    ids = {t: i for i, t in enumerate(tokens)}
    writer.add_bos_token_id(ids[tc["bos_token"]])
    writer.add_eos_token_id(ids[tc["eos_token"]])
    writer.add_add_bos_token(bool(tc.get("add_bos_token")))
    writer.add_add_eos_token(False)


def _common(w, cfg: dict) -> None:
    """The keys every DeepSeek layout shares: sizes, rope base, norm, experts, f32."""
    import gguf

    w.add_block_count(cfg["num_hidden_layers"])
    w.add_context_length(cfg["max_position_embeddings"])
    w.add_embedding_length(cfg["hidden_size"])
    w.add_feed_forward_length(cfg["intermediate_size"])
    w.add_head_count(cfg["num_attention_heads"])
    w.add_rope_freq_base((cfg.get("rope_parameters") or {}).get("rope_theta", cfg.get("rope_theta", 10000.0)))
    w.add_layer_norm_rms_eps(cfg["rms_norm_eps"])
    w.add_file_type(gguf.LlamaFileType.ALL_F32)
    w.add_vocab_size(cfg["vocab_size"])
    w.add_expert_count(cfg["n_routed_experts"])
    w.add_expert_used_count(cfg["num_experts_per_tok"])
    w.add_expert_shared_count(cfg["n_shared_experts"])
    w.add_expert_feed_forward_length(cfg["moe_intermediate_size"])
    w.add_leading_dense_block_count(cfg["first_k_dense_replace"])


def _adder(w, arch, n_layers: int):
    """add(hf_name, tensor): the tensor under llama.cpp's name for it, as f32."""
    import gguf

    names = gguf.get_tensor_name_map(arch, n_layers)

    def add(hf_name: str, t: torch.Tensor, suffix: str = ".weight") -> None:
        base = hf_name[: -len(suffix)] if hf_name.endswith(suffix) else hf_name
        w.add_tensor(names.get_name(base) + suffix, t.float().contiguous().numpy().astype(np.float32))

    return add


def _add_stacked_experts(add, src: dict, cfg: dict) -> None:
    for i in range(cfg["first_k_dense_replace"], cfg["num_hidden_layers"]):
        for proj in ("gate_proj", "up_proj", "down_proj"):
            stacked = torch.stack([src[f"model.layers.{i}.mlp.experts.{e}.{proj}.weight"]
                                   for e in range(cfg["n_routed_experts"])])
            add(f"model.layers.{i}.mlp.experts.{proj}.weight", stacked)


def _finish(w, out: Path) -> Path:
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return out


def export(model_dir: Path, out: Path) -> Path:
    """The GGUF layout llama.cpp reads for this folder's model_type."""
    model_type = json.loads((model_dir / "config.json").read_text())["model_type"]
    return export_deepseek_moe(model_dir, out) if model_type == "deepseek" else export_deepseek(model_dir, out)


def export_deepseek_moe(model_dir: Path, out: Path) -> Path:
    import gguf

    cfg = json.loads((model_dir / "config.json").read_text())
    h, kvh = cfg["num_attention_heads"], cfg.get("num_key_value_heads") or cfg["num_attention_heads"]
    w = gguf.GGUFWriter(str(out), "deepseek")
    _common(w, cfg)
    w.add_head_count_kv(kvh)
    w.add_rope_dimension_count(cfg["hidden_size"] // h)
    w.add_rope_scaling_type(gguf.RopeScalingType.NONE)
    w.add_expert_weights_scale(1.0)
    _vocab(w, model_dir, cfg["vocab_size"])
    add = _adder(w, gguf.MODEL_ARCH.DEEPSEEK, cfg["num_hidden_layers"])
    src = _tensors(model_dir)

    def permute(t: torch.Tensor, heads: int) -> torch.Tensor:
        """Hugging Face rotates half-split pairs, llama.cpp's normal rope adjacent ones."""
        return t.reshape(heads, 2, t.shape[0] // heads // 2, *t.shape[1:]).swapaxes(1, 2).reshape(t.shape)

    for name, t in src.items():
        if ".mlp.experts." in name:
            continue
        if name.endswith("q_proj.weight"):
            t = permute(t, h)
        elif name.endswith("k_proj.weight"):
            t = permute(t, kvh)
        add(name, t)
    _add_stacked_experts(add, src, cfg)
    return _finish(w, out)


def export_deepseek(model_dir: Path, out: Path) -> Path:
    import gguf

    cfg = json.loads((model_dir / "config.json").read_text())
    n_layers, h = cfg["num_hidden_layers"], cfg["num_attention_heads"]
    nope, rope_dim, vd, r = cfg["qk_nope_head_dim"], cfg["qk_rope_head_dim"], cfg["v_head_dim"], cfg["kv_lora_rank"]
    w = gguf.GGUFWriter(str(out), "deepseek2")
    _common(w, cfg)
    w.add_head_count_kv(1)  # MLA runs as MQA over the latent
    w.add_expert_group_count(cfg.get("n_group") or 1)
    w.add_expert_group_used_count(cfg.get("topk_group") or 1)
    scoring = cfg.get("scoring_func", "softmax")
    w.add_expert_gating_func(gguf.ExpertGatingFuncType.SIGMOID if scoring == "sigmoid"
                             else gguf.ExpertGatingFuncType.SOFTMAX)
    if cfg.get("q_lora_rank"):
        w.add_q_lora_rank(cfg["q_lora_rank"])
    w.add_kv_lora_rank(r)
    w.add_key_length(r + rope_dim)
    w.add_value_length(r)
    w.add_key_length_mla(nope + rope_dim)
    w.add_value_length_mla(vd)
    w.add_expert_weights_scale(cfg["routed_scaling_factor"])
    if cfg.get("norm_topk_prob"):
        w.add_expert_weights_norm(True)
    w.add_rope_dimension_count(rope_dim)
    _vocab(w, model_dir, cfg["vocab_size"])

    add = _adder(w, gguf.MODEL_ARCH.DEEPSEEK2, n_layers)
    src = _tensors(model_dir)

    for name, t in src.items():
        if ".mlp.experts." in name:
            continue
        if name.endswith("e_score_correction_bias"):
            w.add_tensor(f"blk.{name.split('.')[2]}.exp_probs_b.bias", t.float().numpy())
        elif name.endswith("kv_b_proj.weight"):
            kv_b = t.view(h, nope + vd, r)
            add(name.replace("kv_b_proj", "k_b_proj"), kv_b[:, :nope].transpose(1, 2))
            add(name.replace("kv_b_proj", "v_b_proj"), kv_b[:, nope:])
        else:
            add(name, t)
    _add_stacked_experts(add, src, cfg)
    return _finish(w, out)
