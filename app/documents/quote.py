"""A question put to the model with the passages of the conversation's documents it is about.

The quoted request always fits the context: the reply's reserve (runtime.prompting.reply_reserve,
the engine's own rule), the system prompt, the question in its wrapper and the chat template's
own tokens come first; the passages get what is left, at most the usual share
(passage_budget_tokens). Passages are chosen by estimated tokens (runtime.token_estimate, a bound
for every script), then the whole quoted message is counted, with the model's own tokenizer when
the caller has one (`count_tokens`), and the choice is made again with a budget scaled by what
the count says: larger when the model's tokenizer is cheaper than the bound (most are), smaller
when a text defeats the estimate. Only a choice whose count fits is ever returned; when none does,
the question goes without passages (the engine then drops old turns, as for any question).
"""
from __future__ import annotations

import logging
import math
from typing import Callable, Sequence

from app.documents.embedding import Embedder
from app.documents.meaning import meaning_order
from app.store import Passage, Quoted, Store
from runtime.prompting import estimate_tokens, passage_budget_tokens, reply_reserve, with_passages
from runtime.types import ChatMessage

# What a chat template adds around the system prompt and the question: role markers, and the
# default system prompt some templates write when there is none (SmolLM2's is 23 tokens; the
# whole frame, 34). Counted apart because a text counter cannot see the template.
TEMPLATE_TOKENS = 64
_TRIES = 4  # choices counted: the first by the estimate, then scaled by the count (each converges fast)

log = logging.getLogger(__name__)


def quote_documents(store: Store, conversation_id: str, history: list[ChatMessage], n_ctx: int,
                    reply_tokens: int, *, count_tokens: Callable[[str], int] | None = None,
                    model: Embedder | None = None) -> Quoted:
    """Replace the last user message in `history` (in place) by itself with numbered passages,
    and return those passages ([1] first) with `ranker`, what chose them (by their words, their
    meaning through `model` — the store's choice by default — or both); nothing changes when no
    document is attached. `count_tokens(text)` is the model's tokenizer when one is at hand (the
    engine's); without it the estimate, an upper bound for natural text in every script, counts.
    Raises StoreError as the store does."""
    last = max((i for i, m in enumerate(history) if m.role == "user"), default=None)
    if last is None or not store.documents(conversation_id):
        return Quoted()
    count = count_tokens or _estimated
    question = history[last].content
    limit = quoting_room(n_ctx, reply_tokens, sum(count(m.content) for m in history[:last] if m.role == "system"))
    names = [d.name for d in store.documents(conversation_id)]
    bare = count(with_passages(question, [(max(names, key=len), "p. 9999", "")]))
    budget = limit - bare  # estimated tokens for passages, with their headers
    if budget <= 0:
        return Quoted()
    try:
        meaning = meaning_order(store, conversation_id, question, model)
    except Exception:  # an embedding model that fails must not stop the question: words alone
        log.exception("ranking passages by meaning failed")
        meaning = []
    header = max(estimate_tokens(f"[99] {name}, p. 9999\n\n") for name in names)
    best: tuple[int, Quoted] | None = None
    previous: Quoted | None = None
    for _ in range(_TRIES):
        passages = store.find_passages(conversation_id, question, budget, lambda t: estimate_tokens(t) + header,
                                       meaning)
        if passages == previous:  # everything there is already fits, or nothing more does
            break
        previous = passages
        quoted = _quoted(question, passages)
        used = count(quoted)
        if used <= limit and (best is None or used > best[0]):
            best = (used, passages)
        spent = used - bare  # what the passages cost in the model's tokens
        if spent <= 0 or abs(limit - used) <= limit * 0.03:
            break
        budget *= (limit - bare) / spent * 0.98
    chosen = best[1] if best else Quoted()
    if chosen:
        history[last] = ChatMessage("user", _quoted(question, chosen))
    return chosen


def quoting_room(n_ctx: int, reply_tokens: int, system_tokens: int = 0) -> int:
    """The tokens the question with its passages may take: after the reply's reserve (the
    engine's rule), the system prompt and the template's own tokens, and at most the passages'
    usual share of the context. The one rule for the quoting and for the offer of a longer
    context (app.documents.context_offer)."""
    reserve = reply_reserve(n_ctx, reply_tokens)
    return min(passage_budget_tokens(n_ctx, reserve), n_ctx - reserve - TEMPLATE_TOKENS - system_tokens)


def quoted_tokens(question: str, passages: Sequence[Passage]) -> int:
    """The estimated tokens of the question quoting these passages, as quote_documents sends it."""
    return _estimated(_quoted(question, passages))


def _quoted(question: str, passages: Sequence[Passage]) -> str:
    return with_passages(question, [(p.name, p.location, p.text) for p in passages])


def _estimated(text: str) -> int:
    return math.ceil(estimate_tokens(text))
