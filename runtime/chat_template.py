"""Render a conversation into a prompt with the model's own Jinja chat template, sandboxed.

Templates come from inside model files, so they run in Jinja's immutable sandbox. A model
without a template gets a plain transcript and the caller is told so.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Sequence

from jinja2 import TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from runtime.template_fixes import alternating, without_system
from runtime.types import ChatMessage, ModelLoadError

# Used when a model ships no template; the stop string keeps the model from writing the next turn.
PLAIN_TRANSCRIPT_STOP = "\nUser:"


@dataclass(frozen=True)
class RenderedPrompt:
    text: str
    starts_with_bos: bool  # the template wrote the BOS token itself: do not add another
    stop: tuple[str, ...] = ()


def _raise(message: str) -> None:
    raise TemplateError(message)


class ChatTemplate:
    def __init__(self, source: str | None, *, bos_token: str = "", eos_token: str = "") -> None:
        self.source = source
        self.bos_token = bos_token
        self.eos_token = eos_token
        self._template = None
        if source:
            env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)
            env.globals["raise_exception"] = _raise
            env.globals["strftime_now"] = lambda fmt: datetime.now().strftime(fmt)
            try:
                self._template = env.from_string(source)
            except TemplateError as exc:
                raise ModelLoadError(f"The model's chat template does not parse: {exc}") from exc

    @property
    def is_plain_transcript(self) -> bool:
        return self._template is None

    def render(self, messages: Sequence[ChatMessage]) -> RenderedPrompt:
        """The prompt for the next assistant turn. A trailing assistant message is a reply
        to continue (cut at the length limit): the prompt ends with its text, unclosed."""
        if messages and messages[-1].role == "assistant":
            head = self.render(messages[:-1])
            return RenderedPrompt(head.text + messages[-1].content, head.starts_with_bos, head.stop)
        if self._template is None:
            return _plain_transcript(messages)
        # Strict templates raise on a system message or on two turns of one role; reshape and retry.
        for fix in (list, without_system, lambda ms: alternating(without_system(ms))):
            try:
                text = self._template.render(
                    messages=[{"role": m.role, "content": m.content} for m in fix(messages)],
                    add_generation_prompt=True,
                    bos_token=self.bos_token,
                    eos_token=self.eos_token,
                )
                break
            except TemplateError as exc:
                error = exc
        else:
            raise ModelLoadError(f"The model's chat template failed on this conversation: {error}") from error
        starts = bool(self.bos_token) and text.startswith(self.bos_token)
        return RenderedPrompt(text=text, starts_with_bos=starts)


def _plain_transcript(messages: Sequence[ChatMessage]) -> RenderedPrompt:
    names = {"system": "System", "user": "User", "assistant": "Assistant"}
    lines = [f"{names[m.role]}: {m.content}" for m in messages]
    return RenderedPrompt("\n".join(lines) + "\nAssistant:", False, (PLAIN_TRANSCRIPT_STOP,))
