"""The JSON a reply goes out as: OpenAI's chat.completion(.chunk) and text_completion objects.
Reasoning (text inside <think>) goes in `reasoning_content`, beside `content`, as DeepSeek's own
API returns it; the legacy completions endpoint, which has no such field, leaves it out."""
from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field

from runtime.types import Finished

FINISH_REASONS = {"stop": "stop", "length": "length", "cancelled": "stop"}


@dataclass
class Reply:
    """One reply being written: its id, model, creation time and (not streaming) its text."""

    model: str
    chat: bool  # chat.completion or text_completion
    echo: str = ""  # text_completion with echo: the prompt, given back before the completion
    id: str = field(default="")
    created: int = field(default_factory=lambda: int(time.time()))
    content: list[str] = field(default_factory=list)
    reasoning: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.id = self.id or ("chatcmpl-" if self.chat else "cmpl-") + secrets.token_hex(12)

    def _head(self, obj: str) -> dict:
        return {"id": self.id, "object": obj, "created": self.created, "model": self.model,
                "system_fingerprint": None}

    # -- streaming ----------------------------------------------------------------------------
    def first_chunk(self, include_usage: bool) -> dict | None:
        """Chat streams open with the assistant's role, as OpenAI's do; a completion with echo
        opens with its prompt."""
        if not self.chat:
            return self._text_chunk(self.echo, None, include_usage) if self.echo else None
        return self._chunk({"role": "assistant", "content": ""}, None, include_usage)

    def delta_chunk(self, text: str, reasoning: bool, include_usage: bool) -> dict:
        if not self.chat:
            return self._text_chunk(text, None, include_usage)
        return self._chunk({"reasoning_content" if reasoning else "content": text}, None, include_usage)

    def last_chunk(self, done: Finished, include_usage: bool) -> dict:
        reason = FINISH_REASONS.get(done.reason, "stop")
        if not self.chat:
            return self._text_chunk("", reason, include_usage)
        return self._chunk({}, reason, include_usage)

    def usage_chunk(self, done: Finished) -> dict:
        return {**self._head("chat.completion.chunk" if self.chat else "text_completion"),
                "choices": [], "usage": usage(done)}

    def _chunk(self, delta: dict, finish: str | None, include_usage: bool) -> dict:
        chunk = {**self._head("chat.completion.chunk"),
                 "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}]}
        if include_usage:
            chunk["usage"] = None  # OpenAI: null on every chunk but the last
        return chunk

    def _text_chunk(self, text: str, finish: str | None, include_usage: bool) -> dict:
        chunk = {**self._head("text_completion"),
                 "choices": [{"index": 0, "text": text, "logprobs": None, "finish_reason": finish}]}
        if include_usage:
            chunk["usage"] = None
        return chunk

    # -- whole ---------------------------------------------------------------------------------
    def whole(self, done: Finished) -> dict:
        reason = FINISH_REASONS.get(done.reason, "stop")
        if self.chat:
            message = {"role": "assistant", "content": "".join(self.content)}
            if self.reasoning:
                message["reasoning_content"] = "".join(self.reasoning)
            choice = {"index": 0, "message": message, "logprobs": None, "finish_reason": reason}
            return {**self._head("chat.completion"), "choices": [choice], "usage": usage(done)}
        text = self.echo + "".join(self.reasoning) + "".join(self.content)  # no separate field here: all of it
        choice = {"index": 0, "text": text, "logprobs": None, "finish_reason": reason}
        return {**self._head("text_completion"), "choices": [choice], "usage": usage(done)}


def usage(done: Finished) -> dict:
    """Counted by the engine with the model's own tokenizer."""
    return {"prompt_tokens": done.prompt_tokens, "completion_tokens": done.completion_tokens,
            "total_tokens": done.prompt_tokens + done.completion_tokens}
