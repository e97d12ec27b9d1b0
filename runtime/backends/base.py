"""The contract every engine backend keeps (llama.cpp, torch, remote).

A backend only produces text; the Engine that owns it does timing, context fitting (the one
fit check: a prompt reaches a backend only when it fits), logging and error reporting, so each
backend stays small. Backends subclass Backend, so its optional attributes have their defaults.
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
    # Optional: a name for the model better than its file's (a server's model id); "" for the file's.
    display_name: str = ""
    # Optional: a word for the user about the loaded model's chat template ("" when there is none).
    template_note: str = ""

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
        `cancel` between tokens; return the stats. Never yields half a UTF-8 character.
        The Engine has already fitted the messages to the context; the reply stops at
        options.max_tokens or where the context is full, whichever comes first."""

    def unload(self) -> None:
        """Free the model's RAM/VRAM for real."""
