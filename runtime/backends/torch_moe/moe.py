"""DeepSeek mixture of experts: routing as a pure function, experts run only where selected.

Routing covers V2's softmax greedy and group-limited greedy, and V3's sigmoid `noaux_tc`
(correction bias used to choose, not to weigh; top-2 sum per group). Expert weights are stacked
[experts, ...] so a token's experts are addressed by index, never by a Python module list.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from runtime.backends.torch_moe.config import ModelConfig
from runtime.backends.torch_moe.layers import MLP


def route(
    logits: torch.Tensor, bias: torch.Tensor | None, cfg: ModelConfig
) -> tuple[torch.Tensor, torch.Tensor]:
    """fp32 router logits [T, E] -> (weights [T, k] fp32, expert indices [T, k])."""
    scores = logits.sigmoid() if cfg.scoring_func == "sigmoid" else logits.softmax(-1)
    choice = scores if bias is None else scores + bias
    if cfg.topk_method in ("group_limited_greedy", "noaux_tc") and cfg.n_group > 1:
        grouped = choice.view(-1, cfg.n_group, cfg.n_routed_experts // cfg.n_group)
        if cfg.topk_method == "noaux_tc":
            group_scores = grouped.topk(2, dim=-1)[0].sum(-1)
        else:
            group_scores = grouped.amax(-1)
        keep = torch.zeros_like(group_scores, dtype=torch.bool)
        keep.scatter_(1, group_scores.topk(cfg.topk_group, dim=-1, sorted=False)[1], True)
        keep = keep.unsqueeze(-1).expand_as(grouped).reshape_as(choice)
        choice = choice.masked_fill(~keep, float("-inf"))
    idx = choice.topk(cfg.num_experts_per_tok, dim=-1, sorted=False)[1]
    weights = scores.gather(1, idx)
    if cfg.norm_topk_prob and cfg.num_experts_per_tok > 1:
        weights = weights / (weights.sum(-1, keepdim=True) + 1e-20)
    return weights * cfg.routed_scaling_factor, idx


class MoE(nn.Module):
    def __init__(self, cfg: ModelConfig) -> None:
        super().__init__()
        e, dim, hid = cfg.n_routed_experts, cfg.hidden_size, cfg.moe_intermediate_size
        self.cfg = cfg
        self.gate = nn.Parameter(torch.empty(e, dim))  # kept in fp32 by the loader
        self.bias = nn.Parameter(torch.empty(e)) if cfg.topk_method == "noaux_tc" else None
        self.w13 = nn.Parameter(torch.empty(e, 2 * hid, dim))  # gate and up, fused
        self.w2 = nn.Parameter(torch.empty(e, dim, hid))
        self.shared = MLP(dim, hid * cfg.n_shared_experts) if cfg.n_shared_experts else None
        # Gathering expert weights keeps a decode step free of host syncs (CUDA graphs); on the
        # CPU a host loop over the few selected experts reads each weight once instead.
        self.gather_max_tokens = 4

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shape = x.shape
        flat = x.reshape(-1, shape[-1])
        weights, idx = route(F.linear(flat.float(), self.gate.float()), self.bias, self.cfg)
        graphable = flat.is_cuda or torch.compiler.is_compiling()  # no host sync allowed
        if graphable and flat.shape[0] <= self.gather_max_tokens:
            y = self._gathered(flat, weights, idx)
        elif flat.shape[0] == 1:
            y = self._one_token(flat, weights, idx)
        else:
            y = self._grouped(flat, weights, idx)
        if self.shared is not None:
            y = y + self.shared(flat)
        return y.view(shape)

    def _expert(self, e: int, x: torch.Tensor) -> torch.Tensor:
        gate, up = F.linear(x, self.w13[e]).chunk(2, dim=-1)
        return F.linear(F.silu(gate) * up, self.w2[e])

    def _one_token(self, x, weights, idx):
        """Decode on the CPU: the k selected experts in turn, no sorting or scatter."""
        y = None
        for e, w in zip(idx[0].tolist(), weights[0].tolist()):
            out = self._expert(e, x) * w
            y = out if y is None else y + out
        return y

    def _grouped(self, x, weights, idx):
        """Sort the (token, expert) pairs by expert and run each used expert once on its rows."""
        k = idx.shape[1]
        order = idx.view(-1).argsort(stable=True)
        tokens = order // k
        counts = torch.bincount(idx.view(-1), minlength=self.w13.shape[0]).tolist()
        rows = x[tokens]
        out = torch.empty_like(rows)
        start = 0
        for e, n in enumerate(counts):
            if n:
                out[start : start + n] = self._expert(e, rows[start : start + n])
                start += n
        out = (out.float() * weights.view(-1)[order, None]).to(x.dtype)
        return torch.zeros_like(x).index_add_(0, tokens, out)

    def _gathered(self, x, weights, idx):
        """Each token's experts by gathered weights, with no host sync (CUDA graphs)."""
        t, k = idx.shape
        rows = x.repeat_interleave(k, dim=0)
        if torch.compiler.is_compiling():
            # As multiply-and-sum, Inductor fuses the gather into the mat-vec reduction and
            # reads each selected expert once instead of copying it first.
            h = (self.w13[idx.view(-1)] * rows[:, None, :]).sum(-1)
            gate, up = h.chunk(2, dim=-1)
            out = (self.w2[idx.view(-1)] * (F.silu(gate) * up)[:, None, :]).sum(-1)
        else:
            gate, up = torch.bmm(self.w13[idx.view(-1)], rows.unsqueeze(-1)).squeeze(-1).chunk(2, dim=-1)
            out = torch.bmm(self.w2[idx.view(-1)], (F.silu(gate) * up).unsqueeze(-1)).squeeze(-1)
        out = (out.float() * weights.view(-1, 1)).to(x.dtype)
        return out.view(t, k, -1).sum(1)
