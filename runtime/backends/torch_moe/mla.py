"""Multi-head latent attention (DeepSeek-V2/V3) over a cache of the compressed latent only.

The cache holds, per token, the normalised KV latent (kv_lora_rank) and the shared rope key
(qk_rope_head_dim): 576 numbers for V2-Lite/V3 instead of heads * (192 + 128).
Few queries (decode): the up-projection is absorbed into the query and the output, so attention
runs directly against the latent. Many queries (prefill): expanding K/V once is cheaper.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from runtime.backends.torch_moe import rope
from runtime.backends.torch_moe.config import ModelConfig
from runtime.backends.torch_moe.layers import RMSNorm


class MLA(nn.Module):
    def __init__(self, cfg: ModelConfig) -> None:
        super().__init__()
        dim, self.h = cfg.hidden_size, cfg.num_heads
        self.r, self.nope, self.pe, self.vd = (
            cfg.kv_lora_rank, cfg.qk_nope_head_dim, cfg.qk_rope_head_dim, cfg.v_head_dim,
        )
        qk = self.nope + self.pe
        if cfg.q_lora_rank:
            self.wq_a = nn.Linear(dim, cfg.q_lora_rank, bias=cfg.attention_bias)
            self.q_norm = RMSNorm(cfg.q_lora_rank)
            self.wq_b = nn.Linear(cfg.q_lora_rank, self.h * qk, bias=False)
        else:
            self.wq = nn.Linear(dim, self.h * qk, bias=False)
        self.wkv_a = nn.Linear(dim, self.r + self.pe, bias=cfg.attention_bias)
        self.kv_norm = RMSNorm(self.r)
        self.wkv_b = nn.Linear(self.r, self.h * (self.nope + self.vd), bias=False)
        self.wo = nn.Linear(self.h * self.vd, dim, bias=cfg.attention_bias)
        self.scale = rope.yarn_softmax_scale(cfg.rope, qk)
        self.interleave = cfg.rope_interleave
        # Absorbed attention costs ~2*r per query per key; expanding costs r*(nope+v) per key once.
        self.absorb_max_q = max(1, (self.nope + self.vd) // 2)
        # A buffer (not a plain attribute) so CUDA graphs treat its in-place writes as state.
        self.register_buffer("cache", None, persistent=False)

    def setup_cache(self, batch: int, length: int, dtype: torch.dtype, device) -> None:
        self.cache = torch.zeros(batch, length, self.r + self.pe, dtype=dtype, device=device)

    def forward(self, x, cos, sin, input_pos, kv_len: int, mask):
        b, s, _ = x.shape
        q = self.wq_b(self.q_norm(self.wq_a(x))) if hasattr(self, "wq_a") else self.wq(x)
        q_nope, q_pe = q.view(b, s, self.h, -1).split([self.nope, self.pe], dim=-1)
        q_pe = rope.apply(q_pe, cos, sin, self.interleave)
        latent, k_pe = self.wkv_a(x).split([self.r, self.pe], dim=-1)
        k_pe = rope.apply(k_pe.unsqueeze(2), cos, sin, self.interleave).squeeze(2)
        self.cache.index_copy_(1, input_pos, torch.cat((self.kv_norm(latent), k_pe), dim=-1))
        ckv = self.cache[:, :kv_len]
        w = self.wkv_b.weight.view(self.h, self.nope + self.vd, self.r)
        if s <= self.absorb_max_q:
            out = self._absorbed(q_nope, q_pe, ckv, w, mask)
        else:
            out = self._expanded(q_nope, q_pe, ckv, mask)
        return self.wo(out.reshape(b, s, self.h * self.vd))

    def _absorbed(self, q_nope, q_pe, ckv, w, mask):
        b, s = q_nope.shape[:2]
        q_lat = torch.einsum("bshd,hdr->bshr", q_nope, w[:, : self.nope])
        q_all = torch.cat((q_lat, q_pe), dim=-1).view(b, s * self.h, -1)
        scores = torch.bmm(q_all, ckv.transpose(1, 2)).view(b, s, self.h, -1) * self.scale
        scores = scores.masked_fill(~mask[None, :, None, :], float("-inf"))
        probs = scores.softmax(dim=-1, dtype=torch.float32).to(q_nope.dtype)
        o_lat = torch.bmm(probs.view(b, s * self.h, -1), ckv[..., : self.r])
        return torch.einsum("bshr,hvr->bshv", o_lat.view(b, s, self.h, self.r), w[:, self.nope :])

    def _expanded(self, q_nope, q_pe, ckv, mask):
        b, t = ckv.shape[:2]
        kv = self.wkv_b(ckv[..., : self.r]).view(b, t, self.h, self.nope + self.vd)
        k_nope, v = kv.split([self.nope, self.vd], dim=-1)
        k_pe = ckv[..., self.r :].unsqueeze(2).expand(b, t, self.h, self.pe)
        k = torch.cat((k_nope, k_pe), dim=-1)
        q = torch.cat((q_nope, q_pe), dim=-1)
        out = F.scaled_dot_product_attention(
            q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2), attn_mask=mask, scale=self.scale
        )
        return out.transpose(1, 2)
