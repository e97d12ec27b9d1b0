"""Attachments are stored once per content hash and leave with the last message using them."""
import hashlib

import pytest

from app.store import StoreError


def test_attachments_dedupe_and_cleanup(store):
    c = store.create_conversation()
    q1 = store.add_message(c.id, "user", "see file")
    q2 = store.add_message(c.id, "user", "same file again")
    data = b"%PDF-1.7 fake" * 100
    a = store.add_attachment(q1.id, "report.pdf", data, "application/pdf")
    store.add_attachment(q1.id, "notes.txt", b"notes")
    store.add_attachment(q2.id, "copy.pdf", data, "application/pdf")
    assert a.sha256 == hashlib.sha256(data).hexdigest() and a.size == len(data)
    assert [x.name for x in store.attachments(q1.id)] == ["report.pdf", "notes.txt"]
    assert store.attachment_data(a.sha256) == data
    assert store._db.execute("SELECT count(*) FROM attachments").fetchone()[0] == 2
    store.delete_message(q2.id)
    assert store.attachment_data(a.sha256) == data  # still used by q1
    store.delete_message(q1.id)
    with pytest.raises(StoreError):
        store.attachment_data(a.sha256)
    with pytest.raises(StoreError):
        store.add_attachment("missing", "x", b"x")


def test_plan_reason_is_kept(store):
    c = store.create_conversation()
    q = store.add_message(c.id, "user", "q")
    r = store.start_reply(c.id, parent_id=q.id, model="m", engine="llama_cpp")
    done = store.finish_reply(r.id, content="a", finish_reason="stop",
                              plan_reason="CPU: no usable GPU; 8 threads")
    assert done.plan_reason == "CPU: no usable GPU; 8 threads" and done.engine == "llama_cpp"


def test_an_attachment_is_returned_and_listed_whole_mime_empty_unless_given(store):
    from app.store.records import Attachment

    c = store.create_conversation()
    q = store.add_message(c.id, "user", "see files")
    pdf = store.add_attachment(q.id, "report.pdf", b"%PDF-1.7 tiny", "application/pdf")
    txt = store.add_attachment(q.id, "notes.txt", b"notes")
    expected = [Attachment(hashlib.sha256(b"%PDF-1.7 tiny").hexdigest(), "report.pdf", "application/pdf", 13),
                Attachment(hashlib.sha256(b"notes").hexdigest(), "notes.txt", "", 5)]
    assert [pdf, txt] == expected == store.attachments(q.id)


def test_refusals_name_the_message_or_the_file_in_a_whole_sentence(store):
    with pytest.raises(StoreError) as refused:
        store.add_attachment("01NOSUCHMESSAGE", "x.txt", b"x")
    assert str(refused.value) == "That message no longer exists (01NOSUCHMESSAGE)."
    with pytest.raises(StoreError) as refused:
        store.attachment_data("0123456789abcdef" * 4)
    assert str(refused.value) == "The attached file 0123456789ab… is no longer stored."
