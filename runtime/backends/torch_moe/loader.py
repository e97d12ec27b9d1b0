"""Build the model on the meta device, allocate once, read each shard straight into place."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

import torch

from runtime.backends.torch_moe import st_reader
from runtime.backends.torch_moe.config import ModelConfig, load_config
from runtime.backends.torch_moe.model import Transformer
from runtime.backends.torch_moe.moe import MoE
from runtime.types import ModelFileError, ModelLoadError

DTYPES = {"bfloat16": torch.bfloat16, "float16": torch.float16, "float32": torch.float32}

_MLA = {"wq": "q_proj", "wq_a": "q_a_proj", "q_norm": "q_a_layernorm", "wq_b": "q_b_proj",
        "wkv_a": "kv_a_proj_with_mqa", "kv_norm": "kv_a_layernorm", "wkv_b": "kv_b_proj",
        "wo": "o_proj"}


def _mlp_sources(dst: str, src: str, hidden: int) -> dict:
    out = {}
    for kind in ("weight", "bias"):
        out[f"{dst}.w13.{kind}"] = [(f"{src}.gate_proj.{kind}", (slice(0, hidden),)),
                                    (f"{src}.up_proj.{kind}", (slice(hidden, 2 * hidden),))]
        out[f"{dst}.w2.{kind}"] = [(f"{src}.down_proj.{kind}", ())]
    return out


def sources(cfg: ModelConfig) -> dict[str, list[tuple[str, tuple]]]:
    """Our parameter name -> [(checkpoint tensor, index into our parameter), ...]."""
    m: dict[str, list] = {"embed.weight": [("model.embed_tokens.weight", ())],
                          "norm.weight": [("model.norm.weight", ())],
                          "lm_head.weight": [("lm_head.weight", ())]}
    for i in range(cfg.num_layers):
        d, s = f"layers.{i}", f"model.layers.{i}"
        m[f"{d}.attn_norm.weight"] = [(f"{s}.input_layernorm.weight", ())]
        m[f"{d}.ffn_norm.weight"] = [(f"{s}.post_attention_layernorm.weight", ())]
        for kind in ("weight", "bias"):
            if cfg.is_mla:
                for ours, theirs in _MLA.items():
                    m[f"{d}.attn.{ours}.{kind}"] = [(f"{s}.self_attn.{theirs}.{kind}", ())]
            else:
                q, kv = cfg.num_heads * cfg.head_dim, cfg.num_kv_heads * cfg.head_dim
                m[f"{d}.attn.wqkv.{kind}"] = [
                    (f"{s}.self_attn.q_proj.{kind}", (slice(0, q),)),
                    (f"{s}.self_attn.k_proj.{kind}", (slice(q, q + kv),)),
                    (f"{s}.self_attn.v_proj.{kind}", (slice(q + kv, q + 2 * kv),))]
                m[f"{d}.attn.wo.{kind}"] = [(f"{s}.self_attn.o_proj.{kind}", ())]
                for norm in ("q_norm", "k_norm"):
                    m[f"{d}.attn.{norm}.{kind}"] = [(f"{s}.self_attn.{norm}.{kind}", ())]
        if not cfg.is_moe_layer(i):
            m.update(_mlp_sources(f"{d}.ffn", f"{s}.mlp", cfg.intermediate_size))
            continue
        hid = cfg.moe_intermediate_size
        m[f"{d}.ffn.gate"] = [(f"{s}.mlp.gate.weight", ())]
        m[f"{d}.ffn.bias"] = [(f"{s}.mlp.gate.e_score_correction_bias", ())]
        e_src = f"{s}.mlp.experts"
        m[f"{d}.ffn.w13"] = [x for e in range(cfg.n_routed_experts) for x in (
            (f"{e_src}.{e}.gate_proj.weight", (e, slice(0, hid))),
            (f"{e_src}.{e}.up_proj.weight", (e, slice(hid, 2 * hid))))]
        m[f"{d}.ffn.w2"] = [(f"{e_src}.{e}.down_proj.weight", (e,)) for e in range(cfg.n_routed_experts)]
        m.update(_mlp_sources(f"{d}.ffn.shared", f"{s}.mlp.shared_experts", hid * cfg.n_shared_experts))
    return m


def weight_files(model_dir: Path) -> dict[str, Path]:
    """Checkpoint tensor name -> shard, from the index if there is one; missing shards fail."""
    index = model_dir / "model.safetensors.index.json"
    if index.exists():
        try:
            weight_map = json.loads(index.read_text())["weight_map"]
        except (OSError, ValueError, KeyError) as e:
            raise ModelFileError(f"{index.name} is unreadable: {e}") from e
        files = {name: model_dir / shard for name, shard in weight_map.items()}
        for shard in sorted({p for p in files.values() if not p.exists()}):
            raise ModelFileError(f"The shard {shard.name} listed in {index.name} is missing.")
        return files
    shards = sorted(model_dir.glob("*.safetensors"))
    if not shards:
        raise ModelFileError(f"{model_dir} has no .safetensors weights.")
    return {name: p for p in shards for name in st_reader.read_header(p)}


def available_bytes(device: torch.device) -> int:
    if device.type == "cuda":
        return torch.cuda.mem_get_info(device)[0]
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    import os
    return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")


def build_meta(cfg: ModelConfig, dtype: torch.dtype) -> Transformer:
    with torch.device("meta"):
        model = Transformer(cfg).to(dtype)
    for mod in model.modules():
        if isinstance(mod, MoE):  # routing decisions are made in fp32, as the reference does
            mod.gate.data = mod.gate.data.float()
            if mod.bias is not None:
                mod.bias.data = mod.bias.data.float()
    if cfg.tie_word_embeddings:
        model.lm_head.weight = model.embed.weight
    return model


def load_model(model_dir: str | Path, device: str = "cpu", dtype: str = "bfloat16",
               n_ctx: int = 4096, on_progress: Callable[[float], None] = lambda f: None) -> Transformer:
    model_dir = Path(model_dir)
    if dtype not in DTYPES:
        raise ModelLoadError(f"dtype {dtype!r} is not supported; use one of {', '.join(DTYPES)}.")
    cfg = load_config(model_dir)
    n_ctx = min(n_ctx, cfg.max_position_embeddings)
    dev = torch.device(device)
    model = build_meta(cfg, DTYPES[dtype])
    params = dict(model.named_parameters())  # tied weights appear once
    need = sum(p.numel() * p.element_size() for p in params.values())
    need += cfg.num_layers * n_ctx * cfg.kv_cache_width() * torch.finfo(DTYPES[dtype]).bits // 8
    if need > 0.92 * available_bytes(dev):
        raise ModelLoadError(
            f"Not enough memory: this plan needs about {need / 2**30:.1f} GiB on {device} "
            f"(weights + a {n_ctx}-token cache), and {available_bytes(dev) / 2**30:.1f} GiB is free."
        )
    files = weight_files(model_dir)
    todo = {}  # shard -> [(checkpoint name, our param, index)]
    src = sources(cfg)
    assert set(params) <= set(src), f"no checkpoint source for {sorted(set(params) - set(src))}"
    for ours in params:
        for name, idx in src[ours]:
            if name not in files:
                raise ModelFileError(f"The checkpoint lacks the tensor {name}.")
            todo.setdefault(files[name], []).append((name, ours, idx))
    model.to_empty(device=dev)
    if cfg.tie_word_embeddings:  # to_empty gives each use of a shared parameter its own copy
        model.lm_head.weight = model.embed.weight
    params = dict(model.named_parameters())
    total, done, shown = sum(len(v) for v in todo.values()), 0, 0.0
    for shard, items in todo.items():
        header = st_reader.read_header(shard)
        with open(shard, "rb") as f:
            for name, ours, idx in sorted(items, key=lambda it: header[it[0]].begin if it[0] in header else 0):
                if name not in header:
                    raise ModelFileError(f"{shard.name} does not contain {name} as its index says.")
                with torch.no_grad():
                    st_reader.read_into(f, name, header[name], params[ours].data[idx])
                done += 1
                if done == total or done / total - shown >= 0.01:  # ~100 calls, not one per tensor
                    shown = done / total
                    on_progress(shown)
    model.eval().requires_grad_(False)
    model.setup_caches(1, n_ctx)
    return model
