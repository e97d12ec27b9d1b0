"""A question put to the model with the passages of the conversation's documents it is about."""
from __future__ import annotations

from app.store import Passage, Store
from runtime.prompting import estimate_tokens, passage_budget_tokens, reply_reserve, with_passages
from runtime.types import ChatMessage


def quote_documents(store: Store, conversation_id: str, history: list[ChatMessage], n_ctx: int,
                    reply_tokens: int) -> list[Passage]:
    """Replace the last user message in `history` (in place) by itself with numbered passages,
    and return those passages ([1] first); nothing changes when no document is attached.
    Raises StoreError as the store does."""
    last = max((i for i, m in enumerate(history) if m.role == "user"), default=None)
    if last is None or not store.documents(conversation_id):
        return []
    budget = passage_budget_tokens(n_ctx, reply_reserve(n_ctx, reply_tokens))
    passages = store.find_passages(conversation_id, history[last].content, budget, estimate_tokens)
    history[last] = ChatMessage("user", with_passages(history[last].content,
                                                      [(p.name, p.location, p.text) for p in passages]))
    return passages
