"""The minimal API the window uses: conversations, messages, streaming replies, settings."""
import os
import sqlite3

import pytest

from app.store import Conversation, Message, StoreError, open_store
from runtime.types import DeskSeekError


def test_open_creates_parent_dirs_and_wal(db_path):
    store = open_store(db_path)
    assert db_path.exists() and store.path == db_path
    store.close()
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_conversation_lifecycle(store):
    a = store.create_conversation("First", model="m1")
    b = store.create_conversation()
    assert isinstance(a, Conversation) and a.title == "First" and a.model == "m1"
    assert len(a.id) == 26 and a.created.endswith("+00:00")
    assert [c.id for c in store.list_conversations()] == [b.id, a.id]
    assert [c.id for c in store.list_conversations(limit=1, offset=1)] == [a.id]
    store.add_message(a.id, "user", "bump")  # a becomes the most recently updated
    assert [c.id for c in store.list_conversations()] == [a.id, b.id]
    store.rename_conversation(b.id, "  Renamed ")
    assert store.get_conversation(b.id).title == "Renamed"
    store.delete_conversation(b.id)
    assert [c.id for c in store.list_conversations()] == [a.id]
    assert store.get_conversation("nope") is None
    with pytest.raises(StoreError):
        store.rename_conversation("nope", "x")


def test_add_message_appends_after_leaf_and_auto_titles(store):
    c = store.create_conversation()
    q = store.add_message(c.id, "user", "What is WAL mode?\nDetails follow")
    a = store.add_message(c.id, "assistant", "Write-ahead logging.", model="m")
    assert isinstance(a, Message) and a.parent_id == q.id and q.parent_id is None
    assert [m.id for m in store.messages(c.id)] == [q.id, a.id]
    assert store.get_conversation(c.id).title == "What is WAL mode?"
    with pytest.raises(StoreError):
        store.add_message(c.id, "robot", "x")
    with pytest.raises(StoreError):
        store.add_message("missing", "user", "x")


def test_streaming_reply(store):
    c = store.create_conversation()
    q = store.add_message(c.id, "user", "hi")
    r = store.start_reply(c.id, parent_id=q.id, model="m", engine="llama_cpp")
    assert r.status == "streaming" and r.content == "" and r.role == "assistant"
    store.checkpoint_reply(r.id, "Hel", "thinking")
    assert store.get_message(r.id).content == "Hel"
    done = store.finish_reply(r.id, content="Hello", reasoning="thinking", finish_reason="stop",
                              prompt_tokens=3, completion_tokens=2, time_to_first_token_s=0.25,
                              total_s=1.5)
    assert (done.status, done.content, done.reasoning, done.finish_reason) == ("done", "Hello", "thinking", "stop")
    assert (done.prompt_tokens, done.completion_tokens, done.time_to_first_token_s, done.total_s) == (3, 2, 0.25, 1.5)
    assert [m.id for m in store.messages(c.id)] == [q.id, r.id]
    with pytest.raises(StoreError):
        store.checkpoint_reply(r.id, "late")  # finished replies never change behind the user's back


def test_error_reply_keeps_partial_text(store):
    c = store.create_conversation()
    q = store.add_message(c.id, "user", "hi")
    r = store.start_reply(c.id, parent_id=q.id, model="m")
    done = store.finish_reply(r.id, content="partial", finish_reason="error", error="out of memory")
    assert done.error == "out of memory" and done.content == "partial"


def test_streaming_left_by_dead_process_is_interrupted(db_path):
    store = open_store(db_path)
    c = store.create_conversation()
    q = store.add_message(c.id, "user", "hi")
    r = store.start_reply(c.id, parent_id=q.id, model="m")
    store.checkpoint_reply(r.id, "half an ans")
    store._db.execute("UPDATE messages SET stream_pid = 999999999 WHERE id = ?", [r.id])
    store._db.close()  # as if the process vanished: no close() bookkeeping
    from app.store import messages
    messages._LIVE_STREAMS.discard(r.id)
    again = open_store(db_path)
    m = again.get_message(r.id)
    assert (m.status, m.content) == ("interrupted", "half an ans")
    again.close()


def test_close_mid_reply_marks_interrupted(db_path):
    store = open_store(db_path)
    c = store.create_conversation()
    r = store.start_reply(c.id, parent_id=store.add_message(c.id, "user", "q").id, model="m")
    store.checkpoint_reply(r.id, "some")
    store.close()
    with open_store(db_path) as again:
        assert again.get_message(r.id).status == "interrupted"


def test_second_store_leaves_live_reply_alone(db_path):
    one = open_store(db_path)
    c = one.create_conversation()
    r = one.start_reply(c.id, parent_id=one.add_message(c.id, "user", "q").id, model="m")
    two = open_store(db_path)
    assert two.get_message(r.id).status == "streaming"
    one.checkpoint_reply(r.id, "still going")
    two.close()
    one.close()


def test_settings(store):
    assert store.get_setting("theme") is None and store.get_setting("theme", "dark") == "dark"
    store.set_setting("theme", "light")
    store.set_setting("theme", "dark")
    assert store.get_setting("theme") == "dark"


def test_not_sqlite_file_is_refused_and_untouched(db_path):
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b"hello, I am a text file" * 100)
    with pytest.raises(StoreError) as err:
        open_store(db_path)
    assert isinstance(err.value, DeskSeekError) and "not a DeskSeek" in str(err.value)
    assert db_path.read_bytes() == b"hello, I am a text file" * 100


def test_corrupt_sqlite_file_is_refused(db_path):
    open_store(db_path).close()
    data = bytearray(db_path.read_bytes())
    data[16:len(data)] = b"\xff" * (len(data) - 16)  # keep the header, wreck everything after
    db_path.write_bytes(bytes(data))
    with pytest.raises(StoreError, match="damaged"):
        open_store(db_path)


def test_foreign_sqlite_file_is_refused_and_untouched(db_path):
    db_path.parent.mkdir(parents=True)
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, path TEXT)")
    conn.commit()
    conn.close()
    before = db_path.read_bytes()
    with pytest.raises(StoreError) as refused:
        open_store(db_path)
    assert str(refused.value) == (f"{db_path} is an SQLite database that belongs to another program, not DeskSeek. "
                                  "Choose another file; this one has not been changed.")
    assert db_path.read_bytes() == before


def test_newer_schema_is_refused(db_path):
    open_store(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute("INSERT INTO _sqlite_migrations(migration_set, name, applied_at) "
                 "VALUES ('deskseek', 'm999_from_the_future', 'x')")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError) as refused:
        open_store(db_path)
    assert str(refused.value) == (f"{db_path} was written by a newer DeskSeek (schema step m999_from_the_future). "
                                  "Update DeskSeek to open it; it has not been changed.")


def test_a_history_in_folders_that_do_not_exist_yet_makes_them(tmp_path):
    path = tmp_path / "portable" / "DeskSeek" / "data" / "history.db"
    store = open_store(path)
    try:
        store.create_conversation("First")
    finally:
        store.close()
    store = open_store(path)
    try:
        assert [c.title for c in store.list_conversations()] == ["First"]
    finally:
        store.close()


def test_locked_database_gives_clear_message(db_path, monkeypatch):
    store = open_store(db_path)
    blocker = sqlite3.connect(db_path, timeout=0)
    blocker.execute("BEGIN IMMEDIATE")
    store._db.execute("PRAGMA busy_timeout = 50")
    with pytest.raises(StoreError, match="busy"):
        store.create_conversation()
    blocker.rollback()
    assert store.create_conversation()
    store.close()


def test_silent_reply_of_a_live_pid_is_interrupted_and_can_be_reclaimed(db_path):
    store = open_store(db_path)
    c = store.create_conversation()
    r = store.start_reply(c.id, parent_id=store.add_message(c.id, "user", "q").id, model="m")
    store.checkpoint_reply(r.id, "narwhal text")
    # As if written long ago by a process whose id now belongs to a live, unrelated program.
    store._db.execute("UPDATE messages SET stream_pid = ?, stream_heartbeat = '2020-01-01' WHERE id = ?",
                      [os.getppid(), r.id])
    other = open_store(db_path)
    assert other.get_message(r.id).status == "interrupted"
    assert len(other.search("narwhal")) == 1
    store.checkpoint_reply(r.id, "narwhal text, still going")  # the streamer was alive after all
    assert other.get_message(r.id).status == "streaming" and other.search("narwhal") == []
    store.finish_reply(r.id, content="narwhal done", finish_reason="stop")
    assert [h.message_id for h in other.search("narwhal")] == [r.id]
    other.close()
    store.close()


def test_a_history_under_a_file_is_refused_naming_it(tmp_path):
    (tmp_path / "notes").write_text("not a folder", encoding="utf-8")
    path = tmp_path / "notes" / "DeskSeek" / "history.db"
    with pytest.raises(StoreError) as refused:
        open_store(path)
    assert str(refused.value) == (f"The folder for {path} cannot be created: {tmp_path / 'notes'} is a "
                                  "file, not a folder. Choose another location.")


def test_a_store_opened_on_one_thread_serves_and_closes_on_another(db_path):
    """The window opens the store on the GUI thread; the turn-preparation thread reads through it
    and the window may close it from any thread (the store serialises its own calls)."""
    import threading

    store = open_store(db_path)
    store.create_conversation("Made on the first thread")
    seen, errors = [], []

    def elsewhere():
        try:
            seen.extend(c.title for c in store.list_conversations())
            store.close()
        except Exception as exc:  # noqa: BLE001 - the test reports whatever went wrong
            errors.append(exc)

    worker = threading.Thread(target=elsewhere)
    worker.start()
    worker.join(30)
    assert (seen, errors) == (["Made on the first thread"], [])
