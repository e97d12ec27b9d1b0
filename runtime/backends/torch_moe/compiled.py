"""A decode step with fixed shapes for torch.compile + CUDA graphs (mode "reduce-overhead").

Attention spans the whole static cache behind a mask (kv_len=None) and MoE gathers expert
weights on the device, so one captured graph serves every position with no host sync.
"""
from __future__ import annotations

import logging

import torch

from runtime.backends.torch_moe.generate import decode_step
from runtime.backends.torch_moe.model import Transformer

log = logging.getLogger(__name__)


def _forward(model: Transformer, ids: torch.Tensor, pos: torch.Tensor) -> torch.Tensor:
    return model(ids, pos, kv_len=None)


def compiled_step(model: Transformer, mode: str = "reduce-overhead", backend: str = "inductor"):
    """A drop-in for generate.decode_step; falls back to eager if compilation fails.

    backend="eager" only traces (no code generation): a quick check that the step is one graph.
    """
    for buf in model.buffers():  # the KV caches: written in place by every replay
        torch._dynamo.mark_static_address(buf)
    opts = {"mode": mode} if backend == "inductor" else {}
    fwd = torch.compile(_forward, backend=backend, fullgraph=True, dynamic=False, **opts)
    dev = model.embed.weight.device
    ids = torch.zeros((1, 1), dtype=torch.long, device=dev)
    pos = torch.zeros((1,), dtype=torch.long, device=dev)
    state = {"broken": False}

    @torch.inference_mode()
    def step(m: Transformer, token: int, p: int) -> torch.Tensor:
        if state["broken"]:
            return decode_step(m, token, p)
        ids.fill_(token)
        pos.fill_(p)
        try:
            # clone: the graph's output buffer is reused by the next replay
            return fwd(m, ids, pos)[0, -1].clone()
        except Exception as e:  # a compiler failure must cost speed, not the reply
            log.warning("compiled decode failed, using eager: %s", e)
            state["broken"] = True
            return decode_step(m, token, p)

    return step


def warm_up(step, model: Transformer, calls: int = 3) -> None:
    """Compile and capture now (at load) instead of stalling the first reply.

    Writes position 0 of the cache, which the next prompt's prefill overwrites anyway.
    """
    for _ in range(calls):  # cudagraph trees record on a later call than the first
        step(model, 0, 0)
