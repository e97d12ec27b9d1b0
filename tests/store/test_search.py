"""Search over all history: English and Chinese (two-character words too), ranked, filtered."""
import sqlite3
from datetime import datetime, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.store import open_store
from app.store.cjk import fts_any_query, fts_query, index_text, parse_query
from app.store.errors import StoreError
from app.store.ranking import term_patterns
from app.store.snippet import make_snippet


def _fts_ok(store):
    store._db.execute("INSERT INTO messages_fts(messages_fts) VALUES ('integrity-check')")


def test_index_text_and_queries():
    assert index_text("用数据库 SQLite") == " 用数 数据 据库 库  SQLite"
    assert index_text("plain text") == "plain text"
    assert parse_query("数据库 WAL wal 模式 库 do*") == [("数据库", False), ("WAL", False), ("模式", False),
                                                      ("库", True), ("do", True)]
    assert fts_query("数据库 wal") == '"数据 据库" AND "wal"'
    assert fts_query("库 data*") == '"库"* AND "data"*'
    assert fts_query('"); DROP') == '"DROP"'
    assert fts_query("  ...  ") == ""


def test_a_questions_passage_query_has_its_pairs_single_characters_and_words():
    """For a document's passages any term may match: a CJK run's pairs (its last character alone
    is in the last pair), a lone CJK character as a prefix, words but not common ones, digits."""
    assert fts_any_query("数据库 wal") == '"数据" OR "据库" OR "wal"'
    assert fts_any_query("Where is the 猫?") == '"猫"*'
    assert fts_any_query("Is 7 the 数据库 code, x?") == '"7" OR "数据" OR "据库" OR "code"'
    assert fts_any_query("What is AI in Go?") == '"AI" OR "Go"'  # two letters are a word


def test_chinese_two_character_words_and_single_characters(store):
    c = store.create_conversation()
    m1 = store.add_message(c.id, "user", "我想学习机器学习和数据库设计")
    m2 = store.add_message(c.id, "assistant", "数据是关键。Databases store data durably.")
    store.add_message(c.id, "user", "天气很好")
    assert {h.message_id for h in store.search("学习")} == {m1.id}
    assert {h.message_id for h in store.search("数据")} == {m1.id, m2.id}
    assert {h.message_id for h in store.search("数据库设计")} == {m1.id}
    assert {h.message_id for h in store.search("库")} == {m1.id}  # last char of a run
    assert {h.message_id for h in store.search("计")} == {m1.id}
    assert store.search("库数") == []  # pairs must be adjacent, in order
    assert {h.message_id for h in store.search("databases 关键")} == {m2.id}
    assert store.search("DURAB") == []  # whole words unless asked for a prefix
    assert {h.message_id for h in store.search("DURAB*")} == {m2.id}  # case-insensitive too


def test_ranking_and_snippet(store):
    c = store.create_conversation("Rust talk")
    store.add_message(c.id, "user", "Tell me about rust. " + "filler words here " * 30)
    best = store.add_message(c.id, "assistant", "Rust rust rust: the rust language.")
    hits = store.search("rust")
    assert hits[0].message_id == best.id and hits[0].conversation_title == "Rust talk"
    long = "x" * 500 + " 重要的数据库 " + "y" * 500
    snippet, spans = make_snippet(long, term_patterns("数据库"))
    assert snippet.startswith("…") and snippet.endswith("…")
    assert [snippet[a:b] for a, b in spans] == ["数据库"]
    first = store.search("language")[0]
    assert [first.snippet[a:b].lower() for a, b in first.highlights] == ["language"]
    snippet, spans = make_snippet("There is the thing", term_patterns("the"))
    assert [snippet[a:b] for a, b in spans] == ["the"]  # whole words, as the search matched


def test_filters_by_date_and_model(store):
    a = store.create_conversation(model="deepseek-r1")
    b = store.create_conversation(model="qwen")
    qa = store.add_message(a.id, "user", "shared words")
    qb = store.add_message(b.id, "user", "shared words")
    store._db.execute("UPDATE messages SET created = '2025-01-05T10:00:00.000000+00:00' WHERE id = ?", [qa.id])
    assert {h.message_id for h in store.search("shared", model="qwen")} == {qb.id}
    assert {h.message_id for h in store.search("shared", until="2026-01-01")} == {qa.id}
    since = datetime(2026, 1, 1, tzinfo=timezone.utc)
    assert {h.message_id for h in store.search("shared", since=since)} == {qb.id}
    assert len(store.search("shared", limit=1)) == 1


def test_streaming_deleted_and_bin(store):
    c = store.create_conversation()
    q = store.add_message(c.id, "user", "question about penguins")
    r = store.start_reply(c.id, parent_id=q.id, model="m")
    store.checkpoint_reply(r.id, "emperor penguins huddle")
    assert {h.message_id for h in store.search("emperor")} == set()  # not final yet
    store.finish_reply(r.id, content="emperor penguins huddle together", finish_reason="stop")
    assert {h.message_id for h in store.search("huddle")} == {r.id}
    store.finish_reply(r.id, content="king penguins", finish_reason="stop")  # replaced text
    assert store.search("huddle") == [] and {h.message_id for h in store.search("king")} == {r.id}
    store.delete_conversation(c.id)
    assert store.search("penguins") == []
    store.undo_delete(c.id)
    assert len(store.search("penguins")) == 2
    store.delete_message(r.id)
    assert {h.message_id for h in store.search("penguins")} == {q.id}
    store.delete_conversation(c.id)
    store.purge_deleted()
    assert store.search("penguins") == []
    _fts_ok(store)


def test_interrupted_reply_is_searchable_and_rebuild(db_path):
    from app.store import open_store

    store = open_store(db_path)
    c = store.create_conversation()
    r = store.start_reply(c.id, parent_id=store.add_message(c.id, "user", "q").id, model="m")
    store.checkpoint_reply(r.id, "half written walrus")
    store.close()
    with open_store(db_path) as again:
        assert {h.message_id for h in again.search("walrus")} == {r.id}
        again.finish_reply(r.id, content="walrus done", finish_reason="stop")
        assert len(again.search("walrus")) == 1
        assert again.rebuild_search_index() == 2
        assert len(again.search("walrus")) == 1
        _fts_ok(again)


def test_only_newest_candidates_are_ranked(store, monkeypatch):
    from app.store import search

    monkeypatch.setattr(search, "CANDIDATES", 3)
    c = store.create_conversation()
    old_dense = store.add_message(c.id, "user", "otter otter otter otter")
    newer = [store.add_message(c.id, "user", f"an otter story number {i}") for i in range(5)]
    hits = store.search("otter", limit=2)
    assert old_dense.id not in {h.message_id for h in hits}  # beyond the newest three
    assert {h.message_id for h in hits} <= {m.id for m in newer[-3:]}
    monkeypatch.setattr(search, "CANDIDATES", 100)
    assert store.search("otter")[0].message_id == old_dense.id  # densest first when all are seen


def test_a_history_whose_search_index_is_gone_says_so_instead_of_finding_nothing(store, db_path):
    """Any query text is a valid search (the query is built from quoted words), so a failure of the
    search is the history's own: it is said, with the file, and not shown as "no results"."""
    c = store.create_conversation()
    store.add_message(c.id, "user", "the vault opens at nine")
    assert len(store.search("vault")) == 1
    damage = sqlite3.connect(db_path)  # another program that broke the file's index
    damage.execute("DROP TABLE messages_fts")
    damage.commit()
    damage.close()
    with pytest.raises(StoreError) as refused:
        store.search("vault")
    assert str(refused.value) == f"The chat history at {db_path} could not be used: no such table: messages_fts"



@pytest.fixture(scope="module")
def searchable(tmp_path_factory):
    store = open_store(tmp_path_factory.mktemp("search") / "history.sqlite3")
    store.add_message(store.create_conversation().id, "user", 'vault 数据库 "NEAR(x) AND y*"')
    yield store
    store.close()


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.text())
def test_any_text_typed_in_the_search_box_is_a_search(searchable, query):
    """Quotes, stars, FTS5's own words and operators (NEAR, AND, ^, :) are searched as text:
    never an error, and what is found holds the words."""
    hits = searchable.search(query)
    assert len(hits) <= 1
    assert len(searchable.search(query + " vault")) <= 1


def test_fts5_operators_typed_in_the_search_box_are_words(searchable):
    assert len(searchable.search('"NEAR(x) AND y*"')) == 1  # the words near, x, and, y…
    assert searchable.search("NEAR(vault, nothing)") == []  # …not FTS5's NEAR: "nothing" is in no message
    assert len(searchable.search("数据库 vault")) == 1
