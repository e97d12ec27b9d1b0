"""Importing a DeskSeek export field by field, on real SQLite files: what a hand-written or older
export may leave out is filled in as the store would have it; each refusal is its whole sentence
and imports nothing."""
import base64
import hashlib
import json

import pytest

from app.store import StoreError, export_json, import_data, import_json, open_store
from app.store.records import Attachment, Document
from tests.store.facts import table_rows

PNG = b"\x89PNG fake"
LEASE = "租金每月一号交。".encode()
PNG_SHA, LEASE_SHA = hashlib.sha256(PNG).hexdigest(), hashlib.sha256(LEASE).hexdigest()


def _blob(data: bytes) -> dict:
    return {"data_base64": base64.b64encode(data).decode()}  # no "mime": an older or hand-written export


def _export(cid="C1", doc_id="D1", pages=None):
    doc = {"id": doc_id, "sha256": LEASE_SHA, "name": "租约.txt", "kind": "text",
           "created": "2026-01-02T03:04:05Z", "passages": [["p. 1", "租金每月一号交。"]]}
    if pages is not None:
        doc["pages"] = pages
    return {"format": "deskseek-history", "version": 1, "conversations": [{
        "id": cid, "title": "租约", "created": "2026-01-02T03:04:05Z", "updated": "2026-01-02T03:04:05Z",
        "messages": [{"id": f"{cid}-M1", "role": "user", "content": "看图", "status": "done",
                      "created": "2026-01-02T03:04:06Z", "attachments": [{"sha256": PNG_SHA}]}],
        "documents": [doc]}],
        "attachments": {PNG_SHA: _blob(PNG), LEASE_SHA: _blob(LEASE)}}


def test_an_attachment_without_name_or_type_and_a_document_without_pages_are_imported_with_empty_defaults(store):
    import_data(store, _export())
    assert store.attachments("C1-M1") == [Attachment(sha256=PNG_SHA, name="", mime="", size=len(PNG))]
    assert store.documents("C1") == [Document(id="D1", conversation_id="C1", sha256=LEASE_SHA, name="租约.txt",
                                              kind="text", pages=0, created="2026-01-02T03:04:05Z", passages=1)]


def test_a_document_keeps_its_page_count(store):
    import_data(store, _export(pages=3))
    assert [d.pages for d in store.documents("C1")] == [3]


def test_an_imported_documents_file_is_stored_as_the_store_that_read_it_stores_it(tmp_path, store):
    """The same bytes attached later to a message read the same in both stores."""
    c = store.create_conversation(title="Lease")
    store.add_document(c.id, "租约.txt", LEASE, "text", 0, [("", "租金每月一号交。")])
    export_json(store, tmp_path / "doc.json", [c.id])
    with open_store(tmp_path / "other.sqlite3") as other:
        import_json(other, tmp_path / "doc.json")
        attached = []
        for s in (store, other):
            q = s.add_message(c.id, "user", "Here it is again.")
            s.add_attachment(q.id, "again.txt", LEASE, "text/plain")
            attached.append(s.attachments(q.id))
    assert attached[1] == attached[0]


def test_a_document_already_in_another_conversation_is_refused_whole_and_nothing_is_imported(tmp_path, store):
    import_data(store, _export("C1", "D1"))
    path = tmp_path / "clash.json"
    path.write_text(json.dumps(_export("C2", "D1")), encoding="utf-8")
    before = table_rows(store)
    with pytest.raises(StoreError) as refused:
        import_json(store, path)
    assert str(refused.value) == (f"{path}: document D1 already exists in another conversation. "
                                  "Nothing was imported; your history is unchanged.")
    assert table_rows(store) == before


def test_a_file_that_is_not_json_is_refused_with_its_whole_sentence(tmp_path, store):
    path = tmp_path / "bad.json"
    path.write_text("{ this is not json", encoding="utf-8")
    with pytest.raises(StoreError) as refused:
        import_json(store, path)
    assert str(refused.value) == (
        f"{path} is not a DeskSeek JSON export: it is not valid JSON (Expecting property name enclosed in "
        "double quotes: line 1 column 3 (char 2)). Nothing was imported.")
    assert store.list_conversations() == []


def _two_messages():
    """A question and its reply, hand-written as an export holds them."""
    return {"format": "deskseek-history", "version": 1, "attachments": {}, "conversations": [{
        "id": "C1", "title": "Codes", "created": "2026-01-02T03:04:05Z", "updated": "2026-01-02T03:04:05Z",
        "active_leaf_id": "M2", "messages": [
            {"id": "M1", "role": "user", "content": "What is the code?", "status": "done",
             "created": "2026-01-02T03:04:06Z"},
            {"id": "M2", "parent_id": "M1", "role": "assistant", "content": "7421.", "status": "done",
             "created": "2026-01-02T03:04:07Z"}]}]}


def _message(data, n):
    return data["conversations"][0]["messages"][n - 1]


M2 = ", conversation 1, message 2"


@pytest.mark.parametrize("damage, where, problem", [
    (lambda d: d.__setitem__("format", "other"), "",
     'this is not a DeskSeek JSON export (no "format": "deskseek-history")'),
    (lambda d: d.__setitem__("version", 2), "", "export version 2 is not one this DeskSeek can read"),
    (lambda d: d.__setitem__("conversations", {}), "", "field 'conversations' must be a list"),
    (lambda d: d.__setitem__("attachments", []), "", "field 'attachments' must be an object"),
    (lambda d: d["conversations"].__setitem__(0, "x"), ", conversation 1", "must be an object"),
    (lambda d: d["conversations"][0].__setitem__("title", 5), ", conversation 1", "field 'title' must be text"),
    (lambda d: d["conversations"][0].__setitem__("messages", {}), ", conversation 1",
     "field 'messages' must be a list"),
    (lambda d: d["conversations"][0].__setitem__("active_leaf_id", "nope"), ", conversation 1",
     "its active message 'nope' is not one of its messages"),
    (lambda d: d["conversations"][0]["messages"].__setitem__(1, "x"), M2, "must be an object"),
    (lambda d: _message(d, 2).__setitem__("content", 42), M2, "field 'content' must be text"),
    (lambda d: _message(d, 2).__setitem__("id", "M1"), M2, "message id M1 appears twice"),
    (lambda d: _message(d, 2).__setitem__("role", "wizard"), M2, "role 'wizard' is not one of assistant, system, user"),
    (lambda d: _message(d, 2).__setitem__("status", "typing"), M2,
     "status 'typing' is not one of done, interrupted, streaming"),
    (lambda d: _message(d, 2).__setitem__("parent_id", "nope"), M2,
     "its parent 'nope' is not in the same conversation"),
    (lambda d: _message(d, 2).__setitem__("prompt_tokens", "many"), M2, "field 'prompt_tokens' must be a whole number"),
    (lambda d: _message(d, 2).__setitem__("completion_tokens", True), M2,
     "field 'completion_tokens' must be a whole number"),
    (lambda d: _message(d, 2).__setitem__("total_s", "slow"), M2, "field 'total_s' must be a number"),
    (lambda d: _message(d, 2).__setitem__("time_to_first_token_s", "soon"), M2,
     "field 'time_to_first_token_s' must be a number"),
    (lambda d: _message(d, 2).__setitem__("error", 5), M2, "field 'error' must be text or null"),
    (lambda d: _message(d, 2).__setitem__("attachments", [{"sha256": "0" * 64}]), M2,
     "an attachment refers to a file that is not in the export"),
    (lambda d: _message(d, 2).__setitem__("sources", [{"name": "a.txt", "location": "", "text": 5}]), M2,
     "field 'sources' must be a list of {name, location, text}"),
    (lambda d: _message(d, 1).__setitem__("parent_id", "M2"), ", conversation 1", "message M1 is its own ancestor"),
], ids=["format", "version", "conversations", "attachments", "conversation", "title", "messages", "active",
        "not an object", "content", "twice", "role", "status", "dangling parent", "prompt tokens",
        "completion tokens", "total", "first token", "error", "attachment", "sources", "cycle"])
def test_each_damaged_export_is_refused_with_its_whole_sentence(tmp_path, store, damage, where, problem):
    data = _two_messages()
    damage(data)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(StoreError) as refused:
        import_json(store, path)
    assert str(refused.value) == f"{path}{where}: {problem}. Nothing was imported; your history is unchanged."
    assert store.list_conversations() == []


def test_an_export_without_files_may_leave_out_its_attachments(store):
    data = _two_messages()
    del data["attachments"]
    assert import_data(store, data).messages == 2
    assert [m.content for m in store.messages("C1")] == ["What is the code?", "7421."]


def test_a_message_id_in_two_conversations_of_one_export_is_refused(tmp_path, store):
    data = _two_messages()
    data["conversations"].append({**data["conversations"][0], "id": "C2"})
    with pytest.raises(StoreError) as refused:
        import_data(store, data, source="two.json")
    assert str(refused.value) == ("two.json, conversation 2, message 1: message id M1 appears twice. "
                                  "Nothing was imported; your history is unchanged.")
    assert store.list_conversations() == []


def test_a_reply_listed_before_its_question_is_imported_under_it(store):
    data = _two_messages()
    data["conversations"][0]["messages"].reverse()
    assert import_data(store, data).messages == 2
    assert [(m.id, m.parent_id) for m in store.messages("C1")] == [("M1", None), ("M2", "M1")]
