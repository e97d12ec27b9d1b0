"""Export to Markdown and JSON; DeskSeek JSON imports back losslessly; bad input changes nothing."""
import pytest

from app.store import (Passage, StoreError, conversation_markdown, export_json, export_markdown, import_data,
                       import_json, open_store)
from app.store.export_json import dump
from tests.store.facts import conversation_facts, table_rows


def _rich_history(store):
    c = store.create_conversation("Branches and 中文", model="deepseek-r1")
    store.set_system_prompt(c.id, "Answer briefly.")
    store.set_model(c.id, "deepseek-r1", '{"temperature": 0.6}')
    q = store.add_message(c.id, "user", "什么是数据库？")
    store.add_attachment(q.id, "schema.png", b"\x89PNG fake bytes", "image/png")
    r1 = store.start_reply(c.id, parent_id=q.id, model="deepseek-r1", engine="llama_cpp")
    store.finish_reply(r1.id, content="数据库是……", reasoning="<用户问定义>", finish_reason="stop",
                       prompt_tokens=12, completion_tokens=30, time_to_first_token_s=0.4, total_s=2.5,
                       plan_reason="CPU only")
    r2 = store.start_reply(c.id, parent_id=q.id, model="deepseek-r1")
    store.finish_reply(r2.id, content="partial", finish_reason="error", error="out of memory")
    store.switch_branch(r1.id)
    d = store.create_conversation("archived one")
    store.add_message(d.id, "user", "old stuff")
    store.set_archived(d.id, True)
    store.set_pinned(c.id, True)
    return c, q, r1, r2


def test_json_round_trip_is_lossless(tmp_path, store):
    c, q, r1, r2 = _rich_history(store)
    path = tmp_path / "out" / "export.json"
    assert export_json(store, path) == 2
    with open_store(tmp_path / "fresh.db") as fresh:
        result = import_json(fresh, path)
        assert (result.conversations, result.messages, result.skipped) == (2, 4, 0)
        # Field by field through the store's own reads (a dump compared with a dump would miss a
        # field the export drops on both sides).
        d = next(x for x in store.list_conversations(include_archived=True) if x.id != c.id)
        for cid, ids in [(c.id, [q.id, r1.id, r2.id]), (d.id, [m.id for m in store.messages(d.id)])]:
            old, new = conversation_facts(store, cid, ids), conversation_facts(fresh, cid, ids)
            for field in old:
                assert new[field] == old[field], field
        assert [m.id for m in fresh.messages(c.id)] == [q.id, r1.id]
        assert fresh.get_message(r2.id).error == "out of memory"
        assert fresh.branch_positions(c.id)[r2.id] == (2, 2)
        assert fresh.get_conversation(c.id).system_prompt == "Answer briefly."
        assert fresh.get_conversation(d.id).archived and fresh.get_conversation(c.id).pinned
        assert fresh.attachment_data(fresh.attachments(q.id)[0].sha256) == b"\x89PNG fake bytes"
        assert {h.message_id for h in fresh.search("数据库")} == {q.id, r1.id}
        again = import_json(fresh, path)
        assert (again.conversations, again.skipped) == (0, 2)


BAD = [
    ("not a dict", []),
    ("wrong format", {"format": "other", "version": 1, "conversations": []}),
    ("future version", {"format": "deskseek-history", "version": 9, "conversations": []}),
    ("role", lambda d: d["conversations"][0]["messages"][0].update(role="wizard")),
    ("content type", lambda d: d["conversations"][0]["messages"][0].update(content=42)),
    ("missing id", lambda d: d["conversations"][0]["messages"][0].pop("id")),
    ("dangling parent", lambda d: d["conversations"][0]["messages"][1].update(parent_id="nope")),
    ("tokens", lambda d: d["conversations"][0]["messages"][1].update(prompt_tokens="many")),
    ("cycle", lambda d: d["conversations"][0]["messages"][0].update(
        parent_id=d["conversations"][0]["messages"][1]["id"])),
    ("blob hash", lambda d: d["attachments"].update(
        {k: {"mime": "", "data_base64": "AAAA"} for k in d["attachments"]})),
]


@pytest.mark.parametrize("name,change", BAD, ids=[b[0] for b in BAD])
def test_bad_import_changes_nothing(tmp_path, store, name, change):
    _rich_history(store)
    data = dump(store)
    if callable(change):
        change(data)
        for conv in data["conversations"]:
            conv["id"] += "-new"  # would otherwise be skipped as already present
    else:
        data = change
    before = table_rows(store)
    with pytest.raises(StoreError, match="Nothing was imported"):
        import_data(store, data)
    assert table_rows(store) == before


def test_import_not_json_and_clash(tmp_path, store):
    bad = tmp_path / "bad.json"
    bad.write_text("{ this is not json", encoding="utf-8")
    with pytest.raises(StoreError, match="not valid JSON"):
        import_json(store, bad)
    with pytest.raises(StoreError, match="could not be read"):
        import_json(store, tmp_path / "missing.json")
    c, *_ = _rich_history(store)
    data = dump(store, [c.id])
    data["conversations"][0]["id"] = "other"  # same message ids under a new conversation
    with pytest.raises(StoreError, match="already exists"):
        import_data(store, data)
    assert store.get_conversation("other") is None


def test_export_to_unwritable_folder(tmp_path, store):
    _rich_history(store)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="could not be written"):
        export_json(store, blocker / "export.json")
    with pytest.raises(StoreError, match="could not be written"):
        export_markdown(store, blocker / "export.md")
    assert len(store.list_conversations()) == 1


def test_markdown(tmp_path, store):
    c, q, r1, r2 = _rich_history(store)
    text = conversation_markdown(store, c.id)
    assert text.startswith("# Branches and 中文\n")
    assert "## Assistant (deepseek-r1)" in text and "<details><summary>Reasoning</summary>" in text
    assert "数据库是……" in text and "partial" not in text  # only the branch shown
    assert "> **System prompt:** Answer briefly." in text
    path = tmp_path / "all.md"
    assert export_markdown(store, path) == 2
    written = path.read_text(encoding="utf-8")
    assert written.count("\n---\n") == 1
    first, second = written.split("\n---\n\n")
    assert first == text  # pinned first, exactly as shown for one conversation
    assert second.startswith("# archived one\n") and "## User\n\nold stuff\n" in second


def test_markdown_of_a_full_conversation_is_exactly_what_a_reader_sees(tmp_path, store):
    c = store.create_conversation("", model="deepseek-r1")
    store.set_system_prompt(c.id, "Be brief.\nCite sources.")
    store.add_document(c.id, "a.txt", b"alpha", "text", 0, [("", "Alpha text.")])
    store.add_document(c.id, "b.pdf", b"beta", "pdf", 1, [("p. 1", "Beta text.")])
    q = store.add_message(c.id, "user", "What do they say?", model="deepseek-r1")
    r = store.start_reply(c.id, parent_id=q.id, model="deepseek-r1")
    store.finish_reply(r.id, content="  They agree [1][2].  ", reasoning="\n  Read both.  \n",
                       finish_reason="error", error="out of memory")
    store.set_reply_sources(r.id, [Passage("a.txt", "", "Alpha text."), Passage("b.pdf", "p. 1", "Beta text.")])
    follow = store.add_message(c.id, "user", "And then?")
    store.start_reply(c.id, parent_id=follow.id, model="")  # left streaming: interrupted once imported
    store.rename_conversation(c.id, "")
    export_json(store, tmp_path / "x.json")
    with open_store(tmp_path / "other.db") as other:
        import_json(other, tmp_path / "x.json")
        created = other.get_conversation(c.id).created
        text = conversation_markdown(other, c.id)
    assert text == (
        "# Untitled conversation\n\n"
        f"*Model: deepseek-r1 · Created {created[:10]} {created[11:16]} UTC*\n\n"
        "> **System prompt:** Be brief.\n> Cite sources.\n\n"
        "*Documents: a.txt, b.pdf*\n\n"
        "## User\n\nWhat do they say?\n\n"
        "## Assistant (deepseek-r1)\n\n"
        "<details><summary>Reasoning</summary>\n\nRead both.\n\n</details>\n\n"
        "They agree [1][2].\n\n"
        "*Sources: [1] a.txt · [2] b.pdf, p. 1*\n\n"
        "*Error: out of memory*\n\n"
        "## User\n\nAnd then?\n\n"
        "## Assistant (interrupted)\n")
    with pytest.raises(StoreError, match=r"^That conversation no longer exists \(nope\)\.$"):
        conversation_markdown(store, "nope")


def test_importing_the_export_of_a_deleted_conversation_restores_it(tmp_path, db_path):
    """Deleted past the Undo, the row waits in the bin; importing its own export brings it back."""
    store = open_store(db_path)
    c, q, r1, r2 = _rich_history(store)
    store.add_document(c.id, "lease.txt", b"the rent is due monthly", "text", 0, [("", "the rent is due monthly")])
    export = tmp_path / "one.json"
    export_json(store, export, [c.id])
    exported = dump(store, [c.id])["conversations"][0]
    store.delete_conversation(c.id)
    store.close()
    store = open_store(db_path)  # a later start: still in the bin (kept for days), not listed
    assert c.id not in [x.id for x in store.list_conversations(include_archived=True)]
    result = import_json(store, export)
    assert (result.conversations, result.messages, result.skipped) == (1, 3, 0)
    assert dump(store, [c.id])["conversations"][0] == exported
    assert store.get_conversation(c.id).deleted is None
    assert sorted(h.message_id for h in store.search("数据库")) == sorted([q.id, r1.id])  # each indexed once
    assert store.find_passages(c.id, "rent", 1000)
    assert store.attachment_data(store.attachments(q.id)[0].sha256) == b"\x89PNG fake bytes"
    assert import_json(store, export).skipped == 1  # now it is here: a second import adds nothing
    store.close()


def test_importing_the_export_of_a_purged_conversation_restores_it(tmp_path, store):
    c, q, *_ = _rich_history(store)
    export = tmp_path / "one.json"
    export_json(store, export, [c.id])
    store.delete_conversation(c.id)
    assert store.purge_deleted() == 1
    assert import_json(store, export).conversations == 1
    assert [m.id for m in store.messages(c.id)][0] == q.id
