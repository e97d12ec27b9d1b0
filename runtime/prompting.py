"""Context budgeting: fit a conversation into the model's context before each turn.

When it does not fit, whole turns are dropped oldest first (a user message with the replies that
follow it), never the system prompt nor the last user message, and the count is reported so the
window can say so. Nothing is truncated silently: if even the minimum does not fit, it raises.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

from runtime.sentences import Sentence
from runtime.token_estimate import estimate_tokens  # noqa: F401  (the budget's unit, re-exported)
from runtime.types import ChatMessage, GenerationError


class PromptTooLongError(GenerationError):
    """The system prompt plus the last user message alone exceed the context."""


@dataclass(frozen=True)
class FittedPrompt:
    messages: tuple[ChatMessage, ...]
    dropped: int  # messages left out, oldest first
    prompt_tokens: int


def reply_reserve(n_ctx: int, max_tokens: int) -> int:
    """The tokens kept free for the reply: the one rule every caller uses (the engine's fit
    check, the document budget, the API's context check). A large max_tokens must not starve
    the history, so the reserve is at most a quarter of the context; the reply may still run
    longer into whatever room the prompt leaves."""
    return max(0, min(max_tokens, n_ctx // 4))


def prompt_budget(n_ctx: int, reserve_tokens: int) -> int:
    """The tokens a prompt may take: the context less the reply's reserve (the one fit rule,
    for conversations and raw text alike)."""
    return n_ctx - max(0, reserve_tokens)


def check_raw_fits(prompt_tokens: int, n_ctx: int, reserve_tokens: int) -> None:
    """Raw text is continued as it is: nothing can be dropped, so too long is a sentence."""
    if prompt_tokens > prompt_budget(n_ctx, reserve_tokens):
        raise PromptTooLongError(Sentence(
            "The prompt takes {n} tokens, but the context holds {n_ctx} tokens with {reserve} kept for "
            "the reply. Shorten the prompt, lower the reply length, or load the model with a longer "
            "context.", n=prompt_tokens, n_ctx=n_ctx, reserve=reserve_tokens))


def fit_messages(messages: Sequence[ChatMessage], n_ctx: int, reserve_tokens: int,
                 count_tokens: Callable[[Sequence[ChatMessage]], int]) -> FittedPrompt:
    """Keep the newest turns whose prompt, plus `reserve_tokens` for the reply, fits in n_ctx.

    count_tokens counts the prompt the chat template makes of a message list; it is called
    O(log turns) times (a binary search over how many turns to drop).
    """
    messages = tuple(messages)
    budget = prompt_budget(n_ctx, reserve_tokens)
    total = count_tokens(messages)
    if total <= budget:
        return FittedPrompt(messages, 0, total)
    system, turns, last = _split(messages)

    def build(n_drop: int) -> tuple[ChatMessage, ...]:
        return system + tuple(m for turn in turns[n_drop:] for m in turn) + last

    lo, hi = 1, len(turns)  # find the fewest dropped turns that fit
    best: tuple[int, int] | None = None
    while lo <= hi:
        mid = (lo + hi) // 2
        n = count_tokens(build(mid))
        if n <= budget:
            best, hi = (mid, n), mid - 1
        else:
            lo = mid + 1
    if best is None:
        minimum = count_tokens(build(len(turns)))
        raise PromptTooLongError(
            f"The {'system prompt and ' if system else ''}last message take{'' if system else 's'} {minimum} tokens, but the "
            f"context holds {n_ctx} tokens with {reserve_tokens} kept for the reply. Shorten the "
            "message, lower the reply length, or load the model with a longer context.")
    kept = build(best[0])
    return FittedPrompt(kept, len(messages) - len(kept), best[1])


def _split(messages: tuple[ChatMessage, ...]):
    """(leading system messages, droppable turns, the tail from the last user message on)."""
    n_sys = 0
    while n_sys < len(messages) and messages[n_sys].role == "system":
        n_sys += 1
    last_user = max((i for i, m in enumerate(messages) if m.role == "user"), default=len(messages))
    last_user = max(last_user, n_sys)
    turns: list[tuple[ChatMessage, ...]] = []
    for m in messages[n_sys:last_user]:
        if m.role == "user" or not turns:
            turns.append((m,))
        else:  # replies (and any mid-conversation system note) go with the turn they follow
            turns[-1] = turns[-1] + (m,)
    return messages[:n_sys], turns, messages[last_user:]


# -- document passages ---------------------------------------------------------------------
def passage_budget_tokens(n_ctx: int, reserve_tokens: int, share: float = 0.5) -> int:
    """How many tokens of document text a turn may carry: `share` of the context left after the
    reply's reserve (the history keeps the rest; fit_messages drops old turns if it must)."""
    return max(100, int((n_ctx - max(0, reserve_tokens)) * share))


def with_passages(question: str, sources: Sequence[tuple[str, str, str]]) -> str:
    """The user's message as the model sees it when documents are attached: numbered passages
    (name, location, text), then the question, asking for [n] citations."""
    if not sources:
        return question
    blocks = []
    for n, (name, location, text) in enumerate(sources, 1):
        where = f"{name}, {location}" if location else name
        blocks.append(f"[{n}] {where}\n{text.strip()}")
    return ("Passages from the documents I attached:\n\n" + "\n\n".join(blocks) + "\n\n"
            "Answer my question from these passages where they are relevant, and cite the ones you "
            "use by number, like [1]. If they do not contain the answer, say so.\n\n"
            f"Question: {question}")
