"""A backend that streams a script at a set pace, for window tests where timing or content
must be controlled (reasoning blocks, hostile HTML, 5,000-token replies). It goes through the
real Engine, runtime thread and <think> splitter; only the model is replaced."""
from __future__ import annotations

import time

from runtime.backends.base import Backend, GenerationStats
from runtime.engine import Engine
from runtime.reasoning import ThinkSplitter
from runtime.types import ModelLoadError


class ScriptedBackend(Backend):
    def __init__(self, pieces, *, delay_s: float = 0.0, fail_after: int | None = None, ctx: int = 4096,
                 load_s: float = 0.0):
        self.pieces = list(pieces)
        self.load_s = load_s
        self.delay_s = delay_s
        self.fail_after = fail_after
        self.ctx = ctx
        self.prompts = []
        self.options = []  # the GenerationOptions of each stream, beside its prompt

    def load(self, plan, on_progress):
        """Takes load_s, reporting progress like llama.cpp; False from on_progress abandons it."""
        steps = max(1, int(self.load_s / 0.05))
        for i in range(steps):
            if on_progress(i / steps) is False:
                raise ModelLoadError("The load was abandoned.")
            time.sleep(self.load_s / steps)

    def context_length(self):
        return self.ctx

    def count_tokens(self, messages):
        return sum(len(m.content) // 4 + 4 for m in messages)

    def stream(self, messages, options, cancel):
        self.prompts.append(list(messages))
        self.options.append(options)
        splitter = ThinkSplitter()
        produced, reason = 0, "stop"
        for i, piece in enumerate(self.pieces):
            if cancel.cancelled:
                reason = "cancelled"
                break
            if self.fail_after is not None and i == self.fail_after:
                raise RuntimeError("the GPU fell off the bus")
            if self.delay_s:
                time.sleep(self.delay_s)
            produced += 1
            yield from splitter.feed(piece)
            if produced >= options.max_tokens:
                reason = "length"
                break
        yield from splitter.flush()
        return GenerationStats(self.count_tokens(messages), produced, reason)

    def unload(self):
        pass


def scripted_engine(backend: ScriptedBackend) -> Engine:
    return Engine(backend_factory=lambda _name: backend)
