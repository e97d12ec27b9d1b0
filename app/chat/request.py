"""What the model is sent for one turn: built here and nowhere else.

The window (through TurnService), `deskseek chat` and the API hand this builder a plain list of
messages; the same conversation therefore makes the same request whichever way it is asked.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

from runtime.template_fixes import without_system
from runtime.types import ChatMessage, GenerationOptions

# Quoting documents: given the history (the question last among its user messages), replace that
# question in place by itself with the passages it is about, and return those passages.
Quote = Callable[[list[ChatMessage]], Sequence[object]]

SPOKEN_ROLES = ("system", "user", "assistant")


@dataclass(frozen=True)
class TurnRequest:
    """Exactly what the engine gets: the messages (before the engine's one fit check) and the
    options; `sources` are the document passages quoted into the question, [1] first."""

    messages: tuple[ChatMessage, ...]
    options: GenerationOptions
    sources: tuple = ()


def build_request(history: Sequence[ChatMessage], *, options: GenerationOptions, system_prompt: str = "",
                  fold_system_prompt: bool = False, prefix: str = "", quote: Quote | None = None) -> TurnRequest:
    """The request for the reply that follows `history` (its last user message is the question).

    system_prompt: the conversation's, put first unless the history already has a system message.
    quote: documents quoted into the question (app.documents.quote through TurnService); the
      question is searched with the user's own words, so it runs before the system prompt is folded.
    fold_system_prompt: the model's card asks for no system role (R1): its text leads the first
      user message (runtime.template_fixes.without_system).
    prefix: a reply being continued; the model goes on from this text.
    """
    messages = [m for m in history if m.role in SPOKEN_ROLES]
    sources = tuple(quote(messages)) if quote is not None else ()
    if system_prompt and not any(m.role == "system" for m in messages):
        messages.insert(0, ChatMessage("system", system_prompt))
    if fold_system_prompt:
        messages = without_system(messages)
    if prefix:
        messages.append(ChatMessage("assistant", prefix))
    return TurnRequest(tuple(messages), options, sources)
