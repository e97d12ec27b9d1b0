"""The document library on real SQLite files: a file read once is attached anywhere without being
read again, listed with the conversations using it, found by name and content, removed from one
conversation or from all, and leaves no passage index rows behind (the bin's purge included)."""
import pytest

from app.documents import read as read_module
from app.documents.read import read_document
from app.store import StoreError, open_store

TEXT = ("The garage code is 7421.\n\nThe night guard keeps the spare keys.\n\n"
        "停车场在大楼后面，晚上十点关门。\n")


def fts_rows(store) -> int:
    return store._db.execute("SELECT count(*) FROM passages_fts_docsize").fetchone()[0]


def passage_rows(store) -> int:
    return store._db.execute("SELECT count(*) FROM document_passages").fetchone()[0]


@pytest.fixture
def lease(tmp_path):
    path = tmp_path / "lease.md"
    path.write_text(TEXT, encoding="utf-8")
    return path


def test_a_file_read_once_is_attached_to_another_conversation_without_reading_it_again(
        store, lease, monkeypatch):
    first, second = store.create_conversation(title="First"), store.create_conversation(title="Second")
    doc = read_document(store, first.id, lease)

    def no_second_reading(*_args, **_kwargs):
        raise AssertionError("the file was extracted again")

    monkeypatch.setattr(read_module, "extract", no_second_reading)
    again = read_document(store, second.id, lease, name="copy of lease.md")
    assert (again.sha256, again.passages, again.kind) == (doc.sha256, doc.passages, doc.kind)
    assert again.name == "copy of lease.md" and again.conversation_id == second.id
    assert store.find_passages(second.id, "garage code", 1000)[0].text == \
        store.find_passages(first.id, "garage code", 1000)[0].text
    assert {h.conversation_id for h in store.search_documents("停车场")} == {first.id, second.id}  # indexed
    assert store._db.execute("SELECT count(*) FROM attachments").fetchone()[0] == 1  # the file once


def test_the_library_lists_each_file_once_with_the_conversations_using_it(store, lease, tmp_path):
    first, second = store.create_conversation(title="First"), store.create_conversation(title="Second")
    other = tmp_path / "notes.txt"
    other.write_text("Unrelated notes about the cafeteria.", encoding="utf-8")
    doc = read_document(store, first.id, lease)
    store.attach_from_library(second.id, doc.sha256)
    read_document(store, second.id, other)

    entries = {e.name: e for e in store.library()}
    assert set(entries) == {"lease.md", "notes.txt"}
    entry = entries["lease.md"]
    assert (entry.size, entry.kind, entry.passages) == (len(TEXT.encode()), doc.kind, doc.passages)
    assert {title for _cid, title in entry.conversations} == {"First", "Second"}
    assert len(entry.documents) == 2 and doc.id in entry.documents
    assert [t for _c, t in entries["notes.txt"].conversations] == ["Second"]

    store.delete_conversation(first.id)  # in the bin: not listed as using it
    assert [t for _c, t in {e.name: e for e in store.library()}["lease.md"].conversations] == ["Second"]


def test_attaching_from_the_library_twice_or_after_removal_is_refused_with_a_sentence(store, lease):
    first, second = store.create_conversation(), store.create_conversation()
    doc = read_document(store, first.id, lease)
    store.attach_from_library(second.id, doc.sha256)
    with pytest.raises(StoreError, match="lease.md is already attached to this conversation"):
        store.attach_from_library(second.id, doc.sha256)
    assert store.remove_from_library(doc.sha256) == 2
    with pytest.raises(StoreError, match="no longer in the library"):
        store.attach_from_library(second.id, doc.sha256)


def test_removing_from_one_conversation_keeps_it_for_the_others(store, lease):
    first, second = store.create_conversation(), store.create_conversation()
    doc = read_document(store, first.id, lease)
    copy = store.attach_from_library(second.id, doc.sha256)
    store.remove_document(doc.id)
    assert store.documents(first.id) == []
    assert [e.name for e in store.library()] == ["lease.md"]
    assert fts_rows(store) == passage_rows(store) == copy.passages
    assert store.attachment_data(doc.sha256) == TEXT.encode()


def test_removing_from_the_library_takes_every_copy_its_index_rows_and_file(tmp_path, lease):
    path = tmp_path / "h.sqlite3"
    with open_store(path) as store:
        first, second = store.create_conversation(), store.create_conversation()
        doc = read_document(store, first.id, lease)
        store.attach_from_library(second.id, doc.sha256)
        reply = store.add_message(first.id, "assistant", "It is 7421 [1].")
        store.set_reply_sources(reply.id, store.find_passages(first.id, "garage", 1000))
        store.delete_conversation(second.id)  # a copy in the bin goes too
        assert store.remove_from_library(doc.sha256) == 2
    with open_store(path) as store:
        assert store.library() == [] and fts_rows(store) == passage_rows(store) == 0
        assert store._db.execute("SELECT count(*) FROM attachments").fetchone()[0] == 0
        assert "7421" in store.reply_sources([reply.id])[reply.id][0].text  # what the reply quoted stays
        assert store.search_documents("garage") == []


def test_search_finds_documents_by_name_and_by_content_in_each_conversation(store, lease):
    first, second = store.create_conversation(title="First"), store.create_conversation(title="Second")
    doc = read_document(store, first.id, lease)
    store.attach_from_library(second.id, doc.sha256)

    by_name = store.search_documents("LEASE")
    assert {(h.conversation_title, h.name, h.snippet) for h in by_name} == {
        ("First", "lease.md", "lease.md"), ("Second", "lease.md", "lease.md")}
    assert by_name[0].snippet[slice(*by_name[0].highlights[0])] == "lease"

    by_content = store.search_documents("spare keys")
    assert {h.conversation_title for h in by_content} == {"First", "Second"}
    hit = by_content[0]
    assert "spare keys" in hit.snippet and hit.snippet[slice(*hit.highlights[0])] == "spare"
    assert store.search_documents("停车场")[0].name == "lease.md"
    assert store.search_documents("nothing like this") == []
    assert store.search_documents('"unbalanced AND (') == []  # a query FTS5 cannot parse finds nothing

    store.delete_conversation(second.id)
    assert {h.conversation_title for h in store.search_documents("spare keys")} == {"First"}


def test_purging_a_binned_conversation_leaves_no_passage_index_rows(tmp_path, lease):
    """Issue 11's mutation survivor: `_erase_conversation` unindexing the documents of None left
    index rows behind. Two conversations share the file so the rows of the survivor must stay."""
    path = tmp_path / "h.sqlite3"
    with open_store(path) as store:
        gone, kept = store.create_conversation(), store.create_conversation()
        doc = read_document(store, gone.id, lease)
        store.attach_from_library(kept.id, doc.sha256)
        assert fts_rows(store) == 2 * doc.passages
        store.delete_conversation(gone.id)
        assert store.purge_deleted() == 1
        assert fts_rows(store) == passage_rows(store) == doc.passages
    with open_store(path) as store:  # and after reopening, the index still matches the passages
        assert fts_rows(store) == passage_rows(store) == doc.passages
        # every row left in the index is a live passage: deleting them all empties it
        store.remove_from_library(doc.sha256)
        assert fts_rows(store) == 0


def test_an_import_that_replaces_a_binned_copy_leaves_no_stale_index_rows(tmp_path, lease):
    from app.store import export_json, import_json

    path = tmp_path / "h.sqlite3"
    with open_store(path) as store:
        c = store.create_conversation(title="Lease")
        doc = read_document(store, c.id, lease)
        export_json(store, tmp_path / "out.json", [c.id])
        store.delete_conversation(c.id)
        assert import_json(store, tmp_path / "out.json").conversations == 1  # erases the binned copy
        assert fts_rows(store) == passage_rows(store) == doc.passages


def test_a_document_attached_from_the_library_keeps_its_vectors_and_is_not_embedded_again(store, lease):
    from app.documents import embedding
    from app.documents.meaning import embed_passages, meaning_order

    model = embedding.embedder()  # the product's model (USE), real vectors
    first, second = store.create_conversation(title="First"), store.create_conversation(title="Second")
    doc = read_document(store, first.id, lease)
    assert embed_passages(store, first.id, model) == doc.passages
    store.attach_from_library(second.id, doc.sha256)

    assert store.passages_without_vectors(second.id, model.name, 4 * model.dim) == []
    assert embed_passages(store, second.id, model) == 0  # nothing left to embed
    copied = dict(store.passage_vectors(second.id, model.name))
    original = dict(store.passage_vectors(first.id, model.name))
    assert sorted(copied.values()) == sorted(original.values()) and not set(copied) & set(original)
    # The copies are the second conversation's own: ranked there, and gone with its document.
    assert meaning_order(store, second.id, "Who keeps the spare keys?", model)[0] in copied
    store.remove_document(store.documents(second.id)[0].id)
    assert store.passage_vectors(second.id, model.name) == []
    assert dict(store.passage_vectors(first.id, model.name)) == original
