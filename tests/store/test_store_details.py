"""The Store's own settings and connections, on real SQLite files: a model set without options
has none; a gone conversation's sentence; a worker thread's store knows its file, so it refuses
to overwrite the history with an export as the window's store does."""
import pytest

from app.store import Conversation, StoreError, export_json, open_worker_store


def test_a_model_set_without_options_has_none(store):
    c = store.create_conversation("Chat", model="m1")
    store.set_model(c.id, "m1", '{"temperature": 0.6}')
    changed = store.set_model(c.id, "m2")
    assert changed == store.get_conversation(c.id) == Conversation(
        id=c.id, title="Chat", model="m2", created=c.created, updated=c.updated, options="{}")


def test_changing_a_gone_conversation_is_refused_with_its_sentence(store):
    with pytest.raises(StoreError) as refused:
        store.set_pinned("01GONE", True)
    assert str(refused.value) == "That conversation no longer exists (01GONE)."


def test_a_worker_store_refuses_to_overwrite_the_history_with_an_export(db_path, store):
    store.create_conversation("Keep me")
    # (the file itself is not read here: opening it with anything but SQLite while a connection
    # is open drops that connection's locks)
    with open_worker_store(db_path) as worker:
        with pytest.raises(StoreError) as refused:
            export_json(worker, db_path)
    assert str(refused.value) == ("history.db is DeskSeek's own chat history database; it cannot be overwritten "
                                  "by an export. Nothing was changed.")
    assert [c.title for c in store.list_conversations()] == ["Keep me"]


def test_a_long_list_of_conversations_is_paged(store):
    titles = [store.create_conversation(f"Chat {i}").title for i in range(5)]
    newest_first = titles[::-1]
    assert [c.title for c in store.list_conversations(limit=2)] == newest_first[:2]
    assert [c.title for c in store.list_conversations(limit=2, offset=2)] == newest_first[2:4]
    assert [c.title for c in store.list_conversations(offset=3)] == newest_first[3:]


def test_a_conversation_created_with_nothing_given_has_no_title_model_or_origin(store):
    c = store.create_conversation()
    assert c == store.get_conversation(c.id) == Conversation(
        id=c.id, title="", model="", created=c.created, updated=c.created, origin="")


def test_listed_conversations_carry_their_pin_and_archive_flags_as_booleans(store):
    pinned = store.create_conversation("Pinned")
    store.set_pinned(pinned.id, True)
    archived = store.create_conversation("Archived")
    store.set_archived(archived.id, True)
    listed = {c.title: (c.pinned, c.archived) for c in store.list_conversations(include_archived=True)}
    assert listed == {"Pinned": (True, False), "Archived": (False, True)}
    assert {type(flag) for pair in listed.values() for flag in pair} == {bool}


def test_a_history_damaged_past_its_header_is_refused_naming_its_file_and_left_as_it_was(db_path):
    """A valid SQLite header but its schema pages overwritten (a disk error, a bad copy): opening
    it says which file is damaged and what to do, and writes nothing to it."""
    from app.store import open_store

    with open_store(db_path) as store:
        cid = store.create_conversation("kept").id
        for _ in range(50):
            store.add_message(cid, "user", "hello " * 200)
    damaged = bytearray(db_path.read_bytes())
    damaged[4096:3 * 4096] = b"Z" * (2 * 4096)
    db_path.write_bytes(bytes(damaged))
    with pytest.raises(StoreError) as refused:
        open_store(db_path)
    assert str(refused.value) == (f"The chat history file {db_path} is damaged or is not a DeskSeek database. "
                                  "Move it aside (or restore a backup) and start DeskSeek again.")
    assert db_path.read_bytes() == bytes(damaged)
