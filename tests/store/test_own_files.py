"""The history file and SQLite's files beside it are recognised, existing or not, and refused
with a whole sentence; other files are not."""
import pytest

from app.store import StoreError
from app.store.own_files import is_history_file, refuse_history_file


def test_the_database_and_its_side_files_are_recognised_existing_or_not(tmp_path, store):
    db = tmp_path / "history.db"
    db.write_bytes(b"")                                    # the database exists, its -journal does not
    (tmp_path / "other.db").write_bytes(b"")
    assert is_history_file(db, db)
    assert is_history_file(tmp_path / "sub" / ".." / "history.db-journal", db)   # same place, written otherwise
    assert is_history_file(f"{db}-shm", db)
    assert not is_history_file(tmp_path / "other.db", db)
    assert not is_history_file(tmp_path / "history.db-other", db)


def test_refused_with_a_sentence(tmp_path):
    db = tmp_path / "history.db"
    with pytest.raises(StoreError) as refused:
        refuse_history_file(f"{db}-wal", db, "attached as a document")
    assert str(refused.value) == ("history.db-wal is DeskSeek's own chat history database; "
                                  "it cannot be attached as a document. Nothing was changed.")
    refuse_history_file(tmp_path / "notes.txt", db, "attached as a document")
