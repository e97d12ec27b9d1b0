"""The library's entries and document search hits field by field, on real SQLite files: whole
LibraryEntry and DocumentHit values, the exact order of content hits (best passage first, newest
among equals), one hit per document however it matched, and the sentences of refusals."""
import pytest

from app.store import StoreError
from app.store.records import DocumentHit, LibraryEntry


def add(store, cid, name, text, pages=3):
    return store.add_document(cid, name, text.encode(), "text", pages, [("p. 1", text)])


def test_a_library_entry_holds_the_file_its_first_reading_and_every_conversation_using_it(store):
    first, second = store.create_conversation(title="First"), store.create_conversation(title="Second")
    doc = add(store, first.id, "lease.md", "The garage code is 7421.", pages=4)
    copy = store.attach_from_library(second.id, doc.sha256)
    [entry] = store.library()
    uses = {first.id: ("First", doc.id), second.id: ("Second", copy.id)}
    order = [cid for cid, _title in entry.conversations]
    assert entry == LibraryEntry(
        sha256=doc.sha256, name="lease.md", kind="text", size=len(b"The garage code is 7421."), pages=4,
        passages=1, added=doc.created, conversations=tuple((c, uses[c][0]) for c in order),
        documents=tuple(uses[c][1] for c in order))
    assert set(order) == {first.id, second.id}


def test_a_document_whose_conversations_are_all_in_the_bin_is_listed_with_none_using_it(store):
    c = store.create_conversation(title="Gone")
    doc = add(store, c.id, "old.txt", "Old notes.", pages=1)
    store.delete_conversation(c.id)
    assert store.library() == [LibraryEntry(
        sha256=doc.sha256, name="old.txt", kind="text", size=len(b"Old notes."), pages=1, passages=1,
        added=doc.created, conversations=(), documents=())]


def test_attaching_from_the_library_under_another_name_keeps_that_name(store):
    first, second, third = (store.create_conversation() for _ in range(3))
    doc = add(store, first.id, "lease.md", "The garage code is 7421.")
    assert store.attach_from_library(second.id, doc.sha256, "renamed.md").name == "renamed.md"
    assert store.reuse_document(third.id, doc.sha256).name == "lease.md"  # no name: the first reading's
    assert [d.name for d in store.documents(second.id)] == ["renamed.md"]


def test_attaching_from_the_library_refuses_a_gone_file_or_conversation_with_a_whole_sentence(store):
    c = store.create_conversation()
    doc = add(store, c.id, "lease.md", "The garage code is 7421.")
    with pytest.raises(StoreError) as refused:
        store.attach_from_library("01NOSUCHCONVERSATION", doc.sha256)
    assert str(refused.value) == "That conversation no longer exists (01NOSUCHCONVERSATION)."
    store.remove_from_library(doc.sha256)
    with pytest.raises(StoreError) as refused:
        store.attach_from_library(c.id, doc.sha256)
    assert str(refused.value) == "That document is no longer in the library."


def test_a_name_hit_is_the_whole_document_with_the_first_place_the_query_is_in_its_name(store):
    c = store.create_conversation(title="Leases")
    doc = add(store, c.id, "Lease-LEASE.md", "Nothing about it here.")
    assert store.search_documents("lease") == [
        DocumentHit(doc.id, c.id, "Leases", "Lease-LEASE.md", "Lease-LEASE.md", ((0, 5),))]


def test_a_query_with_no_word_still_finds_names(store):
    c = store.create_conversation(title="Notes")
    doc = add(store, c.id, "a-b.txt", "Nothing here.")
    assert store.search_documents("-") == [DocumentHit(doc.id, c.id, "Notes", "a-b.txt", "a-b.txt", ((1, 2),))]


def test_a_document_found_by_name_and_content_is_one_hit_and_content_hits_are_whole(store):
    first, second = store.create_conversation(title="First"), store.create_conversation(title="Second")
    by_name = add(store, first.id, "keys.txt", "Where are the keys? The keys are here.")
    by_content = add(store, second.id, "notes.txt", "The night guard keeps the spare keys.")
    assert store.search_documents("keys") == [
        DocumentHit(by_name.id, first.id, "First", "keys.txt", "keys.txt", ((0, 4),)),
        DocumentHit(by_content.id, second.id, "Second", "notes.txt",
                    "The night guard keeps the spare keys.", ((32, 36),))]


def test_content_hits_come_best_passage_first_and_newest_first_among_equals(store):
    c = store.create_conversation(title="Docs")
    best = add(store, c.id, "best.txt", "keys keys keys and more words")  # oldest, best
    older = add(store, c.id, "older.txt", "keys and other words alpha")
    newer = add(store, c.id, "newer.txt", "keys and other words bravo")  # newest, equal to older
    assert [h.document_id for h in store.search_documents("keys")] == [best.id, newer.id, older.id]


def test_search_gives_fifty_hits_unless_asked_for_more(store):
    first = store.create_conversation(title="C0")
    doc = add(store, first.id, "lease.md", "The garage code is 7421.")
    for i in range(1, 51):
        store.attach_from_library(store.create_conversation(title=f"C{i}").id, doc.sha256)
    assert len(store.search_documents("lease")) == 50
    assert len(store.search_documents("lease", limit=60)) == 51


def test_a_name_hit_highlights_the_query_even_after_a_letter_that_folds_to_two(store):
    """Bug found by a mutant's survival: the place was found in the casefolded name, where "ß"
    is "ss", so in "Straße lease.md" the highlight fell on "ease." instead of "lease"."""
    c = store.create_conversation(title="Leases")
    doc = add(store, c.id, "Straße LEASE.md", "Nothing about it here.")
    [hit] = store.search_documents("lease")
    assert hit == DocumentHit(doc.id, c.id, "Leases", "Straße LEASE.md", "Straße LEASE.md", ((7, 12),))
    assert hit.name[slice(*hit.highlights[0])] == "LEASE"
