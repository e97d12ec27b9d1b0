"""The live history file picked in the window's own dialogs (as a document or a model) is refused
by name, and the window's process keeps SQLite's locks on it."""
import os
from pathlib import Path

from tests.store.test_lock_safety import _locks_held_by
from tests.ui.test_documents import drop_files


def test_dropping_the_history_file_is_refused_and_keeps_the_locks(qtbot, open_window, data_home, smollm):
    window = open_window()
    db = window.store.path
    files = (db, Path(f"{db}-shm"))
    held = _locks_held_by(os.getpid(), *files)
    assert held >= 1
    window.controller.ensure_conversation("a chat")
    # A .txt name for the same file: the reader would take it, so only the guard stands between.
    alias = data_home / "history-alias.txt"
    alias.symlink_to(db)
    drop_files(window, alias)
    qtbot.waitUntil(lambda: "own chat history database" in window.notice.text(), timeout=30_000)
    assert "cannot be attached as a document" in window.notice.text()
    assert window.store.documents(window.controller.conversation_id) == []
    assert _locks_held_by(os.getpid(), *files) == held


def test_opening_the_history_file_as_a_model_keeps_the_working_model(qtbot, open_window, smollm):
    window = open_window()
    db = window.store.path
    held = _locks_held_by(os.getpid(), db, Path(f"{db}-shm"))
    window.controller.load_model(str(db))
    qtbot.waitUntil(lambda: "own chat history database" in window.notice.text(), timeout=30_000)
    assert window.model_status.property("state") == "ready"
    assert window.controller.models.model.path == str(smollm)
    assert _locks_held_by(os.getpid(), db, Path(f"{db}-shm")) == held
