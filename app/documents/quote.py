"""A question put to the model with the passages of the conversation's documents it is about."""
from __future__ import annotations

import logging

from app.documents.embedding import Embedder
from app.documents.meaning import meaning_order
from app.store import Quoted, Store
from runtime.prompting import estimate_tokens, passage_budget_tokens, reply_reserve, with_passages
from runtime.types import ChatMessage

log = logging.getLogger(__name__)


def quote_documents(store: Store, conversation_id: str, history: list[ChatMessage], n_ctx: int,
                    reply_tokens: int, model: Embedder | None = None) -> Quoted:
    """Replace the last user message in `history` (in place) by itself with numbered passages,
    and return those passages ([1] first) with `ranker`, what chose them (by their words, their
    meaning through `model` — the store's choice by default — or both); nothing changes when no
    document is attached. Raises StoreError as the store does."""
    last = max((i for i, m in enumerate(history) if m.role == "user"), default=None)
    if last is None or not store.documents(conversation_id):
        return Quoted()
    question = history[last].content
    budget = passage_budget_tokens(n_ctx, reply_reserve(n_ctx, reply_tokens))
    try:
        meaning = meaning_order(store, conversation_id, question, model)
    except Exception:  # an embedding model that fails must not stop the question: words alone
        log.exception("ranking passages by meaning failed")
        meaning = []
    passages = store.find_passages(conversation_id, question, budget, estimate_tokens, meaning)
    history[last] = ChatMessage("user", with_passages(question, [(p.name, p.location, p.text) for p in passages]))
    return passages
