"""Rotary position tables (default, linear, YaRN, Llama-3) and their application.

Tables are computed once in fp32 for the whole context and indexed by position, so a decode
step does no trigonometry.
"""
from __future__ import annotations

import math

import torch


def _mscale(scale: float, m: float = 1.0) -> float:
    return 1.0 if scale <= 1 else 0.1 * m * math.log(scale) + 1.0


def _yarn(rope: dict, dim: int, base: float, max_pos: int) -> tuple[torch.Tensor, float]:
    factor = rope.get("factor") or max_pos / rope["original_max_position_embeddings"]
    orig = rope["original_max_position_embeddings"]
    m, m_all = rope.get("mscale"), rope.get("mscale_all_dim")
    attn = rope.get("attention_factor")
    if attn is None:
        attn = _mscale(factor, m) / _mscale(factor, m_all) if (m and m_all) else _mscale(factor)
    beta_fast, beta_slow = rope.get("beta_fast") or 32, rope.get("beta_slow") or 1

    def corr_dim(rot: float) -> float:
        return (dim * math.log(orig / (rot * 2 * math.pi))) / (2 * math.log(base))

    low, high = corr_dim(beta_fast), corr_dim(beta_slow)
    if rope.get("truncate", True):
        low, high = math.floor(low), math.ceil(high)
    low, high = max(low, 0), min(high, dim - 1)
    if low == high:
        high += 0.001
    ramp = torch.clamp((torch.arange(dim // 2, dtype=torch.float32) - low) / (high - low), 0, 1)
    pos_freqs = base ** (torch.arange(0, dim, 2, dtype=torch.float32) / dim)
    extrap = 1 - ramp  # share of each frequency kept unscaled
    inv = (1.0 / (factor * pos_freqs)) * (1 - extrap) + (1.0 / pos_freqs) * extrap
    return inv, float(attn)


def _llama3(rope: dict, inv: torch.Tensor) -> torch.Tensor:
    factor, lo, hi = rope["factor"], rope["low_freq_factor"], rope["high_freq_factor"]
    old = rope["original_max_position_embeddings"]
    wavelen = 2 * math.pi / inv
    scaled = torch.where(wavelen > old / lo, inv / factor, inv)
    smooth = (old / wavelen - lo) / (hi - lo)
    smoothed = (1 - smooth) * scaled / factor + smooth * scaled
    medium = ~(wavelen < old / hi) * ~(wavelen > old / lo)
    return torch.where(medium, smoothed, scaled)


def inv_freq_and_scale(rope: dict, dim: int, max_pos: int) -> tuple[torch.Tensor, float]:
    """Inverse frequencies for `dim` rotary dims and the factor applied to cos/sin."""
    base = float(rope["rope_theta"])
    kind = rope.get("rope_type", "default")
    if kind == "yarn":
        return _yarn(rope, dim, base, max_pos)
    inv = 1.0 / (base ** (torch.arange(0, dim, 2, dtype=torch.int64).float() / dim))
    if kind == "linear":
        inv = inv / rope["factor"]
    elif kind == "llama3":
        inv = _llama3(rope, inv)
    return inv, 1.0


def yarn_softmax_scale(rope: dict, head_dim: int) -> float:
    """DeepSeek multiplies the softmax scale by mscale(all_dim)^2 under YaRN."""
    scale = head_dim**-0.5
    if rope.get("rope_type", "default") != "default" and rope.get("mscale_all_dim"):
        m = _mscale(rope["factor"], rope["mscale_all_dim"])
        scale *= m * m
    return scale


def tables(rope: dict, dim: int, max_pos: int, n: int) -> tuple[torch.Tensor, torch.Tensor]:
    """cos and sin of shape [n, dim // 2] (one angle per rotated pair), fp32."""
    inv, attn = inv_freq_and_scale(rope, dim, max_pos)
    freqs = torch.outer(torch.arange(n, dtype=torch.float32), inv)
    return freqs.cos() * attn, freqs.sin() * attn


def apply(x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor, interleave: bool) -> torch.Tensor:
    """Rotate x [..., S, heads, dim] by cos/sin [S, dim // 2].

    Interleaved (DeepSeek) rotates pairs (x0, x1), (x2, x3)...; the result is written with the
    rotated evens first and odds second, as Hugging Face does. Query and key get the same
    permutation, so their dot products are unchanged.
    """
    cos, sin = cos[:, None, :].to(x.dtype), sin[:, None, :].to(x.dtype)
    if interleave:
        x1, x2 = x[..., 0::2], x[..., 1::2]
    else:
        half = x.shape[-1] // 2
        x1, x2 = x[..., :half], x[..., half:]
    return torch.cat((x1 * cos - x2 * sin, x2 * cos + x1 * sin), dim=-1)
