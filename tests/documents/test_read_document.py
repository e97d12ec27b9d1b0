"""read_document, as the window's reading thread and `deskseek passages` call it: a file too large
is refused by its size on disk before it is read into memory, with the sentence; a file the
library already holds is not read again, and keeps the name it is attached under; a locked PDF
opens with its password; a reading stopped at the last page stores nothing; a folder is named."""
import os

import pytest

from app.documents.extract import MAX_BYTES, DocumentError
from app.documents.read import read_document
from app.documents.reading import Reading
from app.store import open_store
from tests.documents.test_extract import encrypt_pdf, make_pdf


def sparse(path, size):
    """A file of `size` bytes on disk that takes no room (all zero bytes)."""
    with open(path, "wb") as f:
        f.truncate(size)
    return path


def test_a_file_over_the_limit_is_refused_by_its_size_and_nothing_is_attached(tmp_path):
    with open_store(tmp_path / "h.sqlite3") as store:
        cid = store.create_conversation().id
        with pytest.raises(DocumentError) as refused:
            read_document(store, cid, sparse(tmp_path / "big.txt", MAX_BYTES + 1))
        assert str(refused.value) == "big.txt is 50 MB; DeskSeek reads documents up to 50 MB."
        assert store.documents(cid) == []
        # Exactly the limit passes the size check: what is refused then is the bytes (all zero).
        with pytest.raises(DocumentError) as refused:
            read_document(store, cid, sparse(tmp_path / "limit.txt", MAX_BYTES))
        assert "binary" in str(refused.value) and "MB" not in str(refused.value)
    assert os.path.getsize(tmp_path / "limit.txt") == MAX_BYTES


def test_a_file_the_library_holds_is_not_read_again_and_keeps_its_new_name(tmp_path, qapp):
    pdf = make_pdf(["The vault opens at nine.", "The guard has the key."])
    (tmp_path / "report.pdf").write_bytes(pdf)
    (tmp_path / "report (2).pdf").write_bytes(pdf)
    with open_store(tmp_path / "h.sqlite3") as store:
        first, second = store.create_conversation().id, store.create_conversation().id
        pages: list[int] = []
        read_document(store, first, tmp_path / "report.pdf", reading=Reading(on_page=lambda n, *_: pages.append(n)))
        assert pages == [1, 2]
        again = read_document(store, second, tmp_path / "report (2).pdf",
                              reading=Reading(on_page=lambda n, *_: pages.append(n)))
        assert pages == [1, 2]  # not read again
        assert again.name == "report (2).pdf" and [d.name for d in store.documents(second)] == ["report (2).pdf"]
        def quoted(cid):
            return [(p.location, p.text) for p in store.find_passages(cid, "When does the vault open?", 10_000, len)]
        assert quoted(second) == quoted(first) == [("p. 1", "The vault opens at nine."), ("p. 2", "The guard has the key.")]
        with pytest.raises(DocumentError) as refused:
            read_document(store, second, tmp_path / "report.pdf")
        assert str(refused.value) == "report.pdf is already attached to this conversation."


def test_a_locked_pdf_is_read_with_the_password_given(tmp_path, qapp):
    (tmp_path / "locked.pdf").write_bytes(encrypt_pdf(make_pdf(["The vault opens at nine."]), "secret", "secret"))
    with open_store(tmp_path / "h.sqlite3") as store:
        cid = store.create_conversation().id
        doc = read_document(store, cid, tmp_path / "locked.pdf", password="secret")
        assert doc.name == "locked.pdf" and doc.pages == 1
        assert [p.text for p in store.find_passages(cid, "vault", 10_000, len)] == ["The vault opens at nine."]


def test_a_reading_stopped_during_the_last_page_names_the_file_and_stores_nothing(tmp_path, qapp):
    (tmp_path / "report.pdf").write_bytes(make_pdf(["The vault opens at nine.", "The guard has the key."]))
    with open_store(tmp_path / "h.sqlite3") as store:
        cid = store.create_conversation().id
        reading = Reading()
        reading.on_page = lambda number, pages, ocr: reading.cancel() if number == pages else None
        with pytest.raises(DocumentError) as stopped:
            read_document(store, cid, tmp_path / "report.pdf", reading=reading)
        assert str(stopped.value) == "Stopped reading report.pdf; nothing of it was attached."
        assert store.documents(cid) == []


def test_a_folder_dropped_as_a_document_is_named(tmp_path):
    (tmp_path / "notes").mkdir()
    with open_store(tmp_path / "h.sqlite3") as store:
        cid = store.create_conversation().id
        with pytest.raises(DocumentError) as refused:
            read_document(store, cid, tmp_path / "notes")
        assert str(refused.value) == "Could not read notes: Is a directory."


def test_a_readers_own_failure_is_a_sentence_naming_the_file(tmp_path, monkeypatch):
    """A bug in a reader (here one put in the chunker) must not end the reading thread silently:
    the file is named with what went wrong, and nothing is stored."""
    import app.documents.read as read_module

    def broken(doc):
        raise ValueError("unexpected end of table")

    monkeypatch.setattr(read_module, "passages", broken)
    (tmp_path / "notes.txt").write_text("The vault opens at nine.")
    with open_store(tmp_path / "h.sqlite3") as store:
        cid = store.create_conversation().id
        with pytest.raises(DocumentError) as refused:
            read_document(store, cid, tmp_path / "notes.txt")
        assert str(refused.value) == "Could not read notes.txt: unexpected end of table."
        assert store.documents(cid) == []


def test_embedding_stops_when_asked_before_a_batch(tmp_path):
    from app.documents.read import embed_documents

    (tmp_path / "notes.txt").write_text("The vault opens at nine.\n\nThe guard has the key.")
    with open_store(tmp_path / "h.sqlite3") as store:
        cid = store.create_conversation().id
        read_document(store, cid, tmp_path / "notes.txt")
        assert embed_documents(store, cid, stop=lambda: True) == 0
        assert embed_documents(store, cid) == 1  # both paragraphs are one passage
