"""Store details that mutants of app/store/store.py and app/store/documents.py showed untested
(issue 11 §4): the sources of more replies than one SQL statement may name, the sentence for a
conversation gone, and the file a worker's connection names in its sentences."""
from __future__ import annotations

import pytest

from app.store import Passage, StoreError, open_store
from app.store.errors import describe
from app.store.store import open_worker_store


def test_the_sources_of_over_a_thousand_replies_come_back_all_in_citation_order(store):
    """A long conversation's sources are read 500 replies a statement: every reply's come back,
    [1] first, whichever statement it falls in."""
    c = store.create_conversation()
    replies = []
    with store._write():  # one transaction for the 1,001 replies (the write path nests)
        for i in range(1001):
            store.add_message(c.id, "user", f"question {i}")
            replies.append(store.add_message(c.id, "assistant", f"answer {i}").id)
            store.set_reply_sources(replies[-1], [Passage("a.md", "", f"first {i}"), Passage("b.md", "p. 2", f"second {i}")])
    got = store.reply_sources(replies)
    assert len(got) == 1001
    for i in (0, 499, 500, 999, 1000):
        assert got[replies[i]] == [Passage("a.md", "", f"first {i}"), Passage("b.md", "p. 2", f"second {i}")]


def test_changing_a_conversation_that_is_gone_is_refused_with_its_sentence(store):
    c = store.create_conversation()
    store.delete_conversation(c.id)
    store.purge_deleted()
    with pytest.raises(StoreError) as caught:
        store.set_model(c.id, "SmolLM2")
    assert str(caught.value) == f"That conversation no longer exists ({c.id})."


def test_a_workers_connection_names_the_history_file_in_its_sentences(db_path):
    main = open_store(db_path)
    worker = open_worker_store(db_path)
    try:
        assert worker.path == main.path == db_path
        full = OSError(28, "No space left on device")
        assert describe(full, worker.path) == describe(full, db_path)
    finally:
        worker.close()
        main.close()
