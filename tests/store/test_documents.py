"""Documents in the store: passages found by what a question is about (Chinese too), within a
budget, in reading order; removal and the bin take their index rows and files with them."""
import pytest

from app.store import StoreError, open_store

FILLER = [f"Section {i} describes the loading dock, the parking rules and the cafeteria menu." for i in range(60)]


def fts_rows(store) -> int:
    # A contentless FTS5 table counts its rows through its docsize shadow table.
    return store._db.execute("SELECT count(*) FROM passages_fts_docsize").fetchone()[0]


def add(store, cid, name, texts, location=""):
    return store.add_document(cid, name, ("\n".join(texts)).encode(), "text", 0, [(location, t) for t in texts])


def test_documents_are_listed_and_found_by_what_the_question_is_about(store):
    c = store.create_conversation()
    texts = FILLER[:30] + ["The vault's secret code is 7421 and only the night guard knows it."] + FILLER[30:]
    doc = add(store, c.id, "handbook.txt", texts)
    assert (doc.name, doc.kind, doc.passages) == ("handbook.txt", "text", 61)
    assert [d.name for d in store.documents(c.id)] == ["handbook.txt"]

    found = store.find_passages(c.id, "What is the secret code of the vault?", budget=400)
    assert "7421" in found[0].text and found[0].name == "handbook.txt"
    assert sum(len(p.text) for p in found) <= 400

    # A question naming nothing in it gets the beginning, in reading order.
    start = store.find_passages(c.id, "Summarize this document, please.", budget=300)
    assert [p.text for p in start] == texts[:len(start)] and start


def test_a_small_document_is_given_whole_in_reading_order(store):
    c = store.create_conversation()
    add(store, c.id, "a.md", ["First part.", "Second part."], "")
    add(store, c.id, "b.pdf", ["Page one text."], "p. 1")
    got = store.find_passages(c.id, "second", budget=10_000)
    assert [(p.name, p.location, p.text) for p in got] == [
        ("a.md", "", "First part."), ("a.md", "", "Second part."), ("b.pdf", "p. 1", "Page one text.")]


def test_chinese_questions_find_chinese_passages(store):
    c = store.create_conversation()
    texts = [f"第{i}章介绍公司的食堂和停车场。" for i in range(40)]
    texts.insert(17, "深度求索的新模型在数学推理上表现最好，测试成绩是九十二分。")
    add(store, c.id, "报告.txt", texts)
    found = store.find_passages(c.id, "新模型的数学推理成绩是多少？", budget=60)
    assert found and "九十二分" in found[0].text


def test_passages_are_searched_only_in_their_own_conversation(store):
    mine, other = store.create_conversation(), store.create_conversation()
    add(store, mine.id, "mine.txt", FILLER)
    add(store, other.id, "other.txt", ["The secret code is 7421."] + FILLER)
    found = store.find_passages(mine.id, "secret code", budget=200)
    assert all(p.name == "mine.txt" for p in found)


def test_removing_a_document_takes_its_passages_index_rows_and_file(store):
    c = store.create_conversation()
    doc = add(store, c.id, "x.txt", FILLER)
    assert fts_rows(store) == len(FILLER)
    store.remove_document(doc.id)
    assert store.documents(c.id) == [] and fts_rows(store) == 0
    assert store._db.execute("SELECT count(*) FROM attachments").fetchone()[0] == 0
    assert store.find_passages(c.id, "parking", 1000) == []


def test_a_document_file_survives_attachment_cleanup_and_leaves_with_the_bin(store):
    c = store.create_conversation()
    doc = add(store, c.id, "x.txt", FILLER)
    q = store.add_message(c.id, "user", "hi")
    store.add_attachment(q.id, "other.bin", b"other")
    store.delete_message(q.id)  # runs the orphan cleanup
    assert store.attachment_data(doc.sha256)
    store.delete_conversation(c.id)
    store.purge_deleted()
    assert fts_rows(store) == 0
    with pytest.raises(StoreError):
        store.attachment_data(doc.sha256)


def test_reply_sources_round_trip_and_reopen(tmp_path):
    path = tmp_path / "h.sqlite3"
    with open_store(path) as store:
        c = store.create_conversation()
        add(store, c.id, "x.txt", FILLER)
        reply = store.add_message(c.id, "assistant", "Per [1], parking is free.")
        store.set_reply_sources(reply.id, store.find_passages(c.id, "parking", 150))
    with open_store(path) as store:
        sources = store.reply_sources([reply.id])[reply.id]
        assert sources[0].name == "x.txt" and "parking" in sources[0].text
        assert store.find_passages(c.id, "cafeteria", 100)
    with open_store(path) as store, pytest.raises(StoreError):
        store.add_document("no-such-conversation", "x.txt", b"x", "text", 0, [("", "x")])


def test_a_reply_starts_with_its_sources_in_one_transaction(tmp_path):
    """The window waits for this write before it shows the turn: one commit (one sync to disk),
    and a reopened file has the streaming reply with its sources."""
    path = tmp_path / "h.sqlite3"
    with open_store(path) as store:
        c = store.create_conversation()
        add(store, c.id, "x.txt", FILLER)
        question = store.add_message(c.id, "user", "Where is parking?")
        passages = store.find_passages(c.id, "parking", 150)
        statements: list[str] = []
        store._db.conn.set_trace_callback(statements.append)
        reply = store.start_reply(c.id, parent_id=question.id, model="m", sources=passages)
        store._db.conn.set_trace_callback(None)
        assert sum(s.strip().upper() == "COMMIT" for s in statements) == 1
    with open_store(path) as store:
        kept = store.reply_sources([reply.id])[reply.id]
        assert [(p.name, p.location, p.text) for p in kept] == [(p.name, p.location, p.text) for p in passages]
        assert store.get_message(reply.id).status == "interrupted"  # closed unfinished: kept, marked


def test_the_markdown_export_names_the_documents_and_each_reply_s_sources(store):
    from app.store import conversation_markdown

    c = store.create_conversation(title="Lease")
    add(store, c.id, "lease.pdf", ["The garage code is 7421."], "p. 2")
    store.add_message(c.id, "user", "What is the code?")
    reply = store.add_message(c.id, "assistant", "It is 7421 [1].")
    store.set_reply_sources(reply.id, store.find_passages(c.id, "code", 1000))
    text = conversation_markdown(store, c.id)
    assert "*Documents: lease.pdf*" in text
    assert "It is 7421 [1].\n\n*Sources: [1] lease.pdf, p. 2*" in text


def test_documents_and_sources_survive_a_json_export_and_import(tmp_path, store):
    from app.store import export_json, import_json
    from app.store.import_check import ImportProblem

    c = store.create_conversation(title="Lease")
    doc = add(store, c.id, "租约.pdf", ["The garage code is 7421.", "停车场在后面。"], "p. 2")
    store.add_message(c.id, "user", "What is the code?")
    reply = store.add_message(c.id, "assistant", "It is 7421 [1].")
    store.set_reply_sources(reply.id, store.find_passages(c.id, "code", 1000))
    export_json(store, tmp_path / "out.json", [c.id])

    with open_store(tmp_path / "other.sqlite3") as other:
        assert import_json(other, tmp_path / "out.json").conversations == 1
        (copy,) = other.documents(c.id)
        assert (copy.name, copy.kind, copy.passages, copy.sha256) == ("租约.pdf", "text", 2, doc.sha256)
        assert other.attachment_data(doc.sha256) == store.attachment_data(doc.sha256)
        assert other.reply_sources([reply.id]) == store.reply_sources([reply.id])
        assert "停车场" in other.find_passages(c.id, "停车场在哪里", 5)[0].text  # indexed again

    import json
    data = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    data["conversations"][0]["documents"][0]["passages"] = "not a list"
    (tmp_path / "bad.json").write_text(json.dumps(data), encoding="utf-8")
    with open_store(tmp_path / "third.sqlite3") as third:
        with pytest.raises(ImportProblem, match="document 1: field 'passages'"):
            import_json(third, tmp_path / "bad.json")
        assert third.list_conversations() == []


def test_the_same_file_twice_in_one_conversation_is_refused_by_name(store):
    c, other = store.create_conversation(), store.create_conversation()
    add(store, c.id, "a.txt", ["Same words."])
    with pytest.raises(StoreError, match="copy.txt is already attached to this conversation"):
        add(store, c.id, "copy.txt", ["Same words."])
    add(store, other.id, "a.txt", ["Same words."])  # another conversation may have it too
    assert len(store.documents(c.id)) == len(store.documents(other.id)) == 1
