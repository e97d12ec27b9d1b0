"""The decoder: embedding, blocks (MLA or GQA attention; MoE or dense MLP), norm, head."""
from __future__ import annotations

import torch
from torch import nn

from runtime.backends.torch_moe import rope
from runtime.backends.torch_moe.config import ModelConfig
from runtime.backends.torch_moe.layers import MLP, Attention, RMSNorm, causal_mask
from runtime.backends.torch_moe.mla import MLA
from runtime.backends.torch_moe.moe import MoE


class Block(nn.Module):
    def __init__(self, cfg: ModelConfig, i: int) -> None:
        super().__init__()
        self.attn_norm = RMSNorm(cfg.hidden_size, cfg.rms_norm_eps)
        self.attn = MLA(cfg) if cfg.is_mla else Attention(cfg)
        self.ffn_norm = RMSNorm(cfg.hidden_size, cfg.rms_norm_eps)
        if cfg.is_moe_layer(i):
            self.ffn = MoE(cfg)
        else:
            self.ffn = MLP(cfg.hidden_size, cfg.intermediate_size, cfg.mlp_bias)

    def forward(self, x, cos, sin, input_pos, kv_len, mask):
        x = x + self.attn(self.attn_norm(x), cos, sin, input_pos, kv_len, mask)
        return x + self.ffn(self.ffn_norm(x))


class Transformer(nn.Module):
    def __init__(self, cfg: ModelConfig) -> None:
        super().__init__()
        self.cfg = cfg
        self.embed = nn.Embedding(cfg.vocab_size, cfg.hidden_size)
        self.layers = nn.ModuleList(Block(cfg, i) for i in range(cfg.num_layers))
        self.norm = RMSNorm(cfg.hidden_size, cfg.rms_norm_eps)
        self.lm_head = nn.Linear(cfg.hidden_size, cfg.vocab_size, bias=False)
        self.max_seq = 0
        # Buffers, so CUDA graphs see fixed addresses (plain attributes would be copied per replay).
        self.register_buffer("cos", None, persistent=False)
        self.register_buffer("sin", None, persistent=False)

    def setup_caches(self, batch: int, max_seq: int) -> None:
        """Allocate the static KV cache and the rope tables for `max_seq` positions."""
        p = self.embed.weight
        cfg = self.cfg
        for layer in self.layers:
            layer.attn.setup_cache(batch, max_seq, p.dtype, p.device)
        dim = cfg.qk_rope_head_dim if cfg.is_mla else cfg.head_dim
        cos, sin = rope.tables(cfg.rope, dim, cfg.max_position_embeddings, max_seq)
        self.cos, self.sin = cos.to(p.device), sin.to(p.device)
        self.max_seq = max_seq

    def forward(
        self, ids: torch.Tensor, input_pos: torch.Tensor, kv_len: int | None = None,
        last_only: bool = False,
    ) -> torch.Tensor:
        """ids [B, S] at positions input_pos [S] -> logits [B, S, V] ([B, 1, V] if last_only).

        kv_len bounds the keys attended (eager: last position + 1); None attends the whole
        static cache behind a mask, which keeps shapes fixed for CUDA graphs.
        """
        kv_len = self.max_seq if kv_len is None else kv_len
        mask = causal_mask(input_pos, kv_len)
        cos, sin = self.cos[input_pos], self.sin[input_pos]
        x = self.embed(ids)
        for layer in self.layers:
            x = layer(x, cos, sin, input_pos, kv_len, mask)
        if last_only:
            x = x[:, -1:]
        return self.lm_head(self.norm(x)).float()
