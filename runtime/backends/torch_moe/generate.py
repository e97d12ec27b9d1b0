"""The token loop: chunked prefill, one forward per new token, stop and cancel every step."""
from __future__ import annotations

from typing import Callable, Iterator, Sequence

import torch

from runtime.backends.torch_moe.model import Transformer

PREFILL_CHUNK = 512  # bounds activation memory for long prompts


@torch.inference_mode()
def prefill(model: Transformer, ids: Sequence[int], chunk: int = PREFILL_CHUNK,
            cancelled: Callable[[], bool] = lambda: False, at: int = 0) -> torch.Tensor | None:
    """Run ids through the cache from position `at`; the last position's logits [V], or None
    when cancelled between chunks."""
    dev = model.embed.weight.device
    logits = None
    for off in range(0, len(ids), chunk):
        if cancelled():
            return None
        part = torch.tensor([list(ids[off : off + chunk])], device=dev)
        start = at + off
        pos = torch.arange(start, start + part.shape[1], device=dev)
        logits = model(part, pos, kv_len=start + part.shape[1], last_only=True)
    return logits[0, -1]


@torch.inference_mode()
def decode_step(model: Transformer, token: int, pos: int) -> torch.Tensor:
    dev = model.embed.weight.device
    ids = torch.tensor([[token]], device=dev)
    return model(ids, torch.tensor([pos], device=dev), kv_len=pos + 1)[0, -1]


def generate_ids(
    model: Transformer,
    prompt: Sequence[int],
    max_new: int,
    pick: Callable[[torch.Tensor, list[int]], int],
    stop_ids: frozenset[int] = frozenset(),
    cancelled: Callable[[], bool] = lambda: False,
    step: Callable[[Transformer, int, int], torch.Tensor] = decode_step,
    cached: list[int] | None = None,
) -> Iterator[int]:
    """Yield new token ids; a stop token is yielded too (the caller decides what to show).

    `pick(logits, tokens_so_far)` chooses the next token; `step` runs one decode forward.
    `cached` lists the ids whose K/V already sit at positions 0.. of the model's cache: the
    prompt's common prefix with it is not computed again (the next chat turn re-reads only the
    new message), and the list is kept true as tokens go in.
    Whether the prompt fits is the caller's check (the Engine's, for a chat); here the new
    tokens stop where the cache is full, and a full cache gets none.
    """
    if not prompt:
        raise ValueError("The prompt is empty.")
    room = model.max_seq - len(prompt)  # how many new tokens the cache still holds
    if room <= 0:
        return
    cached = [] if cached is None else cached
    reuse = 0
    while reuse < min(len(cached), len(prompt) - 1) and cached[reuse] == prompt[reuse]:
        reuse += 1  # keep one prompt token to compute: its logits choose the first new token
    del cached[reuse:]
    history = list(prompt)
    logits = prefill(model, prompt[reuse:], cancelled=cancelled, at=reuse)
    if logits is None:
        return
    cached.extend(prompt[reuse:])
    for i in range(min(max_new, room)):
        if cancelled():
            return
        token = pick(logits, history)
        history.append(token)
        yield token
        if token in stop_ids or i == min(max_new, room) - 1:
            return
        logits = step(model, token, len(history) - 1)
        cached.append(token)
