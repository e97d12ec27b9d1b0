"""The contract every engine backend keeps (llama.cpp, torch, remote).

A backend only produces text; the Engine that owns it does timing, context fitting, logging
and error reporting, so each backend stays small.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Generator, Literal, Protocol, Sequence

from runtime.types import CancelToken, ChatMessage, GenerationOptions, Plan, TextDelta


@dataclass(frozen=True)
class GenerationStats:
    """What a backend's stream() generator returns when it ends."""

    prompt_tokens: int
    completion_tokens: int
    finish_reason: Literal["stop", "length", "cancelled"]


class Backend(Protocol):
    def load(self, plan: Plan, on_progress: Callable[[float], bool | None]) -> None:
        """Load the model or raise ModelLoadError/ModelFileError with a sentence for the user.
        on_progress(fraction) returning False asks to abandon the load where the engine can."""

    def context_length(self) -> int: ...

    def count_tokens(self, messages: Sequence[ChatMessage]) -> int:
        """Tokens of the prompt the chat template makes of these messages."""

    def stream(
        self, messages: Sequence[ChatMessage], options: GenerationOptions, cancel: CancelToken
    ) -> Generator[TextDelta, None, GenerationStats]:
        """Yield text (reasoning split out with runtime.reasoning.ThinkSplitter), checking
        `cancel` between tokens; return the stats. Never yields half a UTF-8 character."""

    def unload(self) -> None:
        """Free the model's RAM/VRAM for real."""
