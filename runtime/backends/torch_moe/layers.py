"""Small shared blocks: RMSNorm, the gated MLP, and grouped-query attention for dense models."""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from runtime.backends.torch_moe import rope
from runtime.backends.torch_moe.config import ModelConfig


class RMSNorm(nn.Module):
    def __init__(self, dim: int, eps: float = 1e-6) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))
        self.eps = eps

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # Normalise in fp32, scale in the model dtype: the same rounding as the reference.
        xf = x.float()
        xf = xf * torch.rsqrt(xf.pow(2).mean(-1, keepdim=True) + self.eps)
        return self.weight * xf.to(x.dtype)


class MLP(nn.Module):
    """SwiGLU with gate and up fused into one matrix (one matmul per token instead of two)."""

    def __init__(self, dim: int, hidden: int, bias: bool = False) -> None:
        super().__init__()
        self.w13 = nn.Linear(dim, 2 * hidden, bias=bias)
        self.w2 = nn.Linear(hidden, dim, bias=bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        gate, up = self.w13(x).chunk(2, dim=-1)
        return self.w2(F.silu(gate) * up)


def causal_mask(input_pos: torch.Tensor, kv_len: int) -> torch.Tensor:
    """[S, kv_len] bool, True where a query may attend (keys at or before its position)."""
    keys = torch.arange(kv_len, device=input_pos.device)
    return keys[None, :] <= input_pos[:, None]


class Attention(nn.Module):
    """Llama/Qwen2/Qwen3 attention with q, k, v fused and a static [B, kv_heads, T, head_dim] cache."""

    def __init__(self, cfg: ModelConfig) -> None:
        super().__init__()
        self.h, self.kvh, self.d = cfg.num_heads, cfg.num_kv_heads, cfg.head_dim
        self.wqkv = nn.Linear(cfg.hidden_size, (self.h + 2 * self.kvh) * self.d, cfg.attention_bias)
        self.wo = nn.Linear(self.h * self.d, cfg.hidden_size, bias=cfg.o_bias)
        self.q_norm = RMSNorm(self.d, cfg.rms_norm_eps) if cfg.qk_norm else None
        self.k_norm = RMSNorm(self.d, cfg.rms_norm_eps) if cfg.qk_norm else None
        self.register_buffer("k_cache", None, persistent=False)
        self.register_buffer("v_cache", None, persistent=False)

    def setup_cache(self, batch: int, length: int, dtype: torch.dtype, device) -> None:
        shape = (batch, self.kvh, length, self.d)
        self.k_cache = torch.zeros(shape, dtype=dtype, device=device)
        self.v_cache = torch.zeros(shape, dtype=dtype, device=device)

    def forward(self, x, cos, sin, input_pos, kv_len: int, mask):
        b, s, _ = x.shape
        q, k, v = self.wqkv(x).split([self.h * self.d, self.kvh * self.d, self.kvh * self.d], -1)
        q, k = q.view(b, s, self.h, self.d), k.view(b, s, self.kvh, self.d)
        if self.q_norm is not None:
            q, k = self.q_norm(q), self.k_norm(k)
        q = rope.apply(q, cos, sin, interleave=False)
        k = rope.apply(k, cos, sin, interleave=False)
        v = v.view(b, s, self.kvh, self.d)
        self.k_cache.index_copy_(2, input_pos, k.transpose(1, 2))
        self.v_cache.index_copy_(2, input_pos, v.transpose(1, 2))
        keys, values = self.k_cache[:, :, :kv_len], self.v_cache[:, :, :kv_len]
        out = F.scaled_dot_product_attention(
            q.transpose(1, 2), keys, values, attn_mask=mask, enable_gqa=self.h != self.kvh
        )
        return self.wo(out.transpose(1, 2).reshape(b, s, self.h * self.d))
