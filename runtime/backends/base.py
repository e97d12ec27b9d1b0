"""The contract every engine backend keeps (llama.cpp, torch, remote).

A backend only produces text; the Engine that owns it does timing, context fitting (the one
fit check: a prompt reaches a backend only when it fits), logging and error reporting, so each
backend stays small. Backends subclass Backend, so its optional attributes have their defaults.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Generator, Literal, Protocol, Sequence

from runtime.sentences import Sentence
from runtime.types import CancelToken, ChatMessage, GenerationError, GenerationOptions, Plan, TextDelta


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

    # Optional: raw text continued as is (OpenAI's /v1/completions, editors' code completion).
    # A backend that cannot keeps these defaults, and the user reads why.
    def count_raw_tokens(self, prompt: str) -> int:
        """Tokens of `prompt` as stream_raw() feeds it to the model (no chat template)."""
        raise GenerationError(raw_refusal())

    def stream_raw(
        self, prompt: str, options: GenerationOptions, cancel: CancelToken
    ) -> Generator[TextDelta, None, GenerationStats]:
        """Continue `prompt` as it is: tokenized without a chat template (BOS as the model wants),
        stop strings applied, no reasoning split (raw text has no reply for a <think> block to
        open). Otherwise as stream(): the Engine has checked the fit, cancel is seen per token."""
        raise GenerationError(raw_refusal())

    def unload(self) -> None:
        """Free the model's RAM/VRAM for real."""


def supports_raw(backend: object) -> bool:
    """Whether the backend overrides the raw-text defaults above (a backend that does not
    subclass Backend has them only if it defines them)."""
    method = getattr(type(backend), "stream_raw", None)
    return method is not None and method is not Backend.stream_raw


def raw_refusal() -> Sentence:
    return Sentence("This engine continues conversations only, not raw text: use the chat endpoint, "
                    "or load the model with llama.cpp.")
