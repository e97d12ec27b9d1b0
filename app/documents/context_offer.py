"""Whether a conversation's documents would be given whole with a longer context than the loaded
one, and what context this machine holds for the model: the window offers a reload with it.

The documents' size is the estimate of a question quoting every passage (`quoted_tokens`, as the
quoting counts it), and the context they need is the shortest whose quoting room
(`quoting_room`: the reply's reserve, the template, the passages' share) holds it: the quoting's
own two rules, so the offer never promises what the next question would not get. Runs off the GUI thread
(it reads every passage, inspects the model's header and probes the machine).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from app.store import Store, open_worker_store
from runtime.loading import is_server_url, machine_context
from runtime.planner import PlanPreferences
from app.documents.quote import quoted_tokens, quoting_room
from runtime.types import Plan

STEP = 256  # llama.cpp rounds a context up to this
LONGEST = 1 << 21


@dataclass(frozen=True)
class ContextOffer:
    conversation_id: str
    model_path: str
    tokens: int  # the documents' estimated size
    needed: int  # the context that gives them whole
    loaded: int  # the context the model runs with now
    machine: int  # the longest this machine holds comfortably for this model
    on_gpu: bool  # the planner's plan for it runs on a GPU

    @property
    def whole(self) -> bool:
        """The machine's context gives the documents whole (else only more of them)."""
        return self.machine >= self.needed


def documents_tokens(store: Store, conversation_id: str, question: str = "") -> int:
    """The estimated tokens of `question` quoting every passage of the conversation's documents
    (0 without any): what a turn would send to give them whole (the question adds its own)."""
    if not store.documents(conversation_id):
        return 0
    every = store.find_passages(conversation_id, "", float("inf"), len)  # no budget: every passage
    return quoted_tokens(question, every)


def context_for_whole(tokens: int, reply_tokens: int) -> int:
    """The shortest context whose quoting room holds `tokens` (documents_tokens)."""
    lo, hi = 1, LONGEST // STEP  # in steps; the budget grows with the context, so bisect
    while lo < hi:
        mid = (lo + hi) // 2
        n_ctx = mid * STEP
        if quoting_room(n_ctx, reply_tokens) >= tokens:
            hi = mid
        else:
            lo = mid + 1
    return lo * STEP


def context_offer(db_path: Path, conversation_id: str, model_path: str, loaded_ctx: int,
                  loaded_plan: Plan | None, prefs: PlanPreferences, reply_tokens: int) -> ContextOffer | None:
    """An offer when the documents do not fit whole in `loaded_ctx` and the machine holds a longer
    context for this model (with its other settings, `prefs`); else None."""
    if is_server_url(model_path):
        return None
    store = open_worker_store(db_path)
    try:
        tokens = documents_tokens(store, conversation_id)
    finally:
        store.close()
    needed = context_for_whole(tokens, reply_tokens)
    if not tokens or needed <= loaded_ctx:
        return None
    best = _machine(model_path, loaded_ctx, loaded_plan, prefs)
    if best is None or best.n_ctx <= loaded_ctx:
        return None
    return ContextOffer(conversation_id, model_path, tokens, needed, loaded_ctx, best.n_ctx,
                        best.device.startswith("cuda"))


_answers: dict[tuple, Plan | None] = {}  # what the machine holds, per loaded model: asked once


def _machine(model_path: str, loaded_ctx: int, loaded_plan: Plan | None, prefs: PlanPreferences) -> Plan | None:
    """machine_context, remembered for this model as loaded: reading its header and probing the
    machine again for each document or conversation would only hold the GIL from the window."""
    st = os.stat(model_path)
    key = (model_path, st.st_size, st.st_mtime_ns, loaded_ctx, loaded_plan.device if loaded_plan else "", prefs)
    if key not in _answers:
        if len(_answers) > 8:
            _answers.clear()
        _answers[key] = machine_context(model_path, prefs, loaded_plan)
    return _answers[key]
