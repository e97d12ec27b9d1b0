"""Sampling as small pure functions over one row of fp32 logits [V]."""
from __future__ import annotations

import torch


def repetition_penalty(logits: torch.Tensor, seen: torch.Tensor, penalty: float) -> torch.Tensor:
    """CTRL-style: divide positive logits of seen tokens by `penalty`, multiply negative ones."""
    if penalty == 1.0 or seen.numel() == 0:
        return logits
    picked = logits[seen]
    out = logits.clone()
    out[seen] = torch.where(picked > 0, picked / penalty, picked * penalty)
    return out


def top_k(logits: torch.Tensor, k: int) -> torch.Tensor:
    if k <= 0 or k >= logits.shape[-1]:
        return logits
    kth = logits.topk(k).values[-1]
    return logits.masked_fill(logits < kth, float("-inf"))


def top_p(logits: torch.Tensor, p: float) -> torch.Tensor:
    """Keep the smallest set of most likely tokens whose probability reaches p."""
    if p >= 1.0:
        return logits
    sorted_logits, order = logits.sort(descending=True)
    cum = sorted_logits.softmax(-1).cumsum(-1)
    drop = cum - sorted_logits.softmax(-1) >= p  # mass before this token already reaches p
    drop[0] = False
    return logits.masked_fill(drop.scatter(0, order, drop), float("-inf"))


def greedy(logits: torch.Tensor) -> int:
    return int(logits.argmax())


def sample(logits: torch.Tensor, temperature: float, k: int, p: float,
           generator: torch.Generator | None = None) -> int:
    """Temperature, then top-k, then top-p, then a draw. Works on the logits' own device; with
    top-k the sort for top-p covers k candidates, not the whole vocabulary."""
    if temperature <= 0:
        return greedy(logits)
    scaled = logits / temperature
    if 0 < k < scaled.shape[-1]:
        values, ids = scaled.topk(k)  # sorted, best first
    else:
        values, ids = scaled.sort(descending=True)
    probs = top_p(values, p).softmax(-1)
    return int(ids[torch.multinomial(probs, 1, generator=generator)])
