"""The context a conversation's documents need to be given whole is the one at which the quoting
itself gives them whole (the same budget rule), and an offer is made only when the machine holds
more than the loaded context. A real history file, the real SmolLM2 header, this machine."""
from __future__ import annotations

import pytest

from app.documents.context_offer import context_for_whole, context_offer, documents_tokens
from app.documents.quote import quote_documents
from app.documents.read import read_document
from app.store import open_store
from runtime.planner import PlanPreferences
from runtime.types import ChatMessage
from tests.fixtures.models import real

TEXT = "\n\n".join(f"Paragraph {i}: the lease runs {i % 9 + 1} years; rent is due on day {i % 28 + 1}; "
                   f"深度求索的第{i}条。" for i in range(60))


@pytest.fixture
def conversation(tmp_path):
    store = open_store(tmp_path / "history.sqlite3")
    cid = store.create_conversation("lease").id
    (tmp_path / "lease.txt").write_text(TEXT, encoding="utf-8")
    read_document(store, cid, str(tmp_path / "lease.txt"), "lease.txt")
    yield store, cid
    store.close()


def test_the_context_needed_is_where_the_quoting_gives_the_documents_whole(conversation):
    store, cid = conversation
    tokens = documents_tokens(store, cid, "What is the rent?")
    assert tokens > 1000
    needed = context_for_whole(tokens, 1024)
    every = len(store.find_passages(cid, "", float("inf"), len))
    for n_ctx, whole in ((needed, True), (needed - 256, False)):
        history = [ChatMessage("user", "What is the rent?")]
        quoted = quote_documents(store, cid, history, n_ctx, 1024)
        assert (len(quoted) == every) is whole, n_ctx


def test_an_offer_only_when_the_machine_holds_more(conversation, tmp_path):
    store, cid = conversation
    model = str(real.need_smollm2())  # trained for 8192 tokens
    offer = context_offer(store.path, cid, model, 2048, None, PlanPreferences(), 1024)
    assert offer is not None and offer.loaded == 2048 and offer.machine > 2048
    assert offer.needed == context_for_whole(offer.tokens, 1024) and not offer.on_gpu
    assert offer.whole == (offer.machine >= offer.needed)
    assert context_offer(store.path, cid, model, offer.machine, None, PlanPreferences(), 1024) is None
    assert context_offer(store.path, cid, model, offer.needed, None, PlanPreferences(), 1024) is None  # fits
    empty = store.create_conversation("nothing attached").id
    assert context_offer(store.path, empty, model, 2048, None, PlanPreferences(), 1024) is None
    assert context_offer(store.path, cid, "http://127.0.0.1:9/v1", 2048, None, PlanPreferences(), 1024) is None
