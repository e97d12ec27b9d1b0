"""Editing a question or regenerating an answer adds a version; nothing that followed is lost."""
import pytest

from app.store import StoreError


def _exchange(store):
    c = store.create_conversation()
    q1 = store.add_message(c.id, "user", "q1")
    a1 = store.add_message(c.id, "assistant", "a1")
    q2 = store.add_message(c.id, "user", "q2")
    a2 = store.add_message(c.id, "assistant", "a2")
    return c, q1, a1, q2, a2


def test_regenerate_adds_sibling_and_switch_back(store):
    c, q1, a1, q2, a2 = _exchange(store)
    r = store.start_reply(c.id, parent_id=q2.id, model="m")
    store.finish_reply(r.id, content="a2 again", finish_reason="stop")
    assert [m.content for m in store.messages(c.id)] == ["q1", "a1", "q2", "a2 again"]
    assert [m.id for m in store.siblings(r.id)] == [a2.id, r.id]
    assert store.branch_positions(c.id)[r.id] == (2, 2)
    assert [m.content for m in store.switch_branch(a2.id)] == ["q1", "a1", "q2", "a2"]
    assert store.get_conversation(c.id).active_leaf_id == a2.id


def test_edit_first_question_keeps_old_branch(store):
    c, q1, a1, q2, a2 = _exchange(store)
    q1b = store.edit_message(q1.id, "q1 edited")
    assert q1b.parent_id is None
    store.add_message(c.id, "assistant", "a1b")
    assert [m.content for m in store.messages(c.id)] == ["q1 edited", "a1b"]
    # Switching to the old first question brings its whole old tail back.
    assert [m.content for m in store.switch_branch(q1.id)] == ["q1", "a1", "q2", "a2"]
    assert [m.content for m in store.siblings(q1.id)] == ["q1", "q1 edited"]


def test_switch_follows_most_recent_child(store):
    c, q1, a1, q2, a2 = _exchange(store)
    q2b = store.add_message(c.id, "user", "q2b", parent_id=a1.id)
    a2b = store.add_message(c.id, "assistant", "a2b")
    store.switch_branch(a2.id)
    assert store.switch_branch(q1.id)[-1].id == a2b.id  # newest child of a1 is q2b
    assert q2b.parent_id == a1.id


def test_parent_must_belong_to_conversation(store):
    c, q1, *_ = _exchange(store)
    other = store.create_conversation()
    with pytest.raises(StoreError):
        store.add_message(other.id, "user", "x", parent_id=q1.id)


def test_delete_message_removes_its_tail_and_moves_view(store):
    c, q1, a1, q2, a2 = _exchange(store)
    r = store.start_reply(c.id, parent_id=q2.id, model="m")
    store.finish_reply(r.id, content="a2b", finish_reason="stop")
    store.delete_message(r.id)
    assert [m.content for m in store.messages(c.id)] == ["q1", "a1", "q2", "a2"]
    store.delete_message(q2.id)
    assert store.get_message(a2.id) is None
    assert [m.content for m in store.messages(c.id)] == ["q1", "a1"]


def test_pin_archive_delete_undo_purge(store):
    a = store.create_conversation("a")
    b = store.create_conversation("b")
    c = store.create_conversation("c")
    store.set_pinned(a.id, True)
    assert [x.title for x in store.list_conversations()] == ["a", "c", "b"]
    store.set_pinned(a.id, False)  # settings are not activity: a goes back to its place
    assert [x.title for x in store.list_conversations()] == ["c", "b", "a"]
    store.set_pinned(a.id, True)
    store.set_archived(c.id, True)
    assert [x.title for x in store.list_conversations()] == ["a", "b"]
    assert [x.title for x in store.list_conversations(include_archived=True)] == ["a", "c", "b"]
    store.add_message(b.id, "user", "hello")
    store.delete_conversation(b.id)
    assert store.get_conversation(b.id).deleted is not None
    assert [x.title for x in store.list_conversations()] == ["a"]
    store.undo_delete(b.id)
    assert [x.title for x in store.list_conversations()] == ["a", "b"]
    store.delete_conversation(b.id)
    assert store.purge_deleted() == 1
    assert store.get_conversation(b.id) is None
    assert store._db.execute("SELECT count(*) FROM messages").fetchone()[0] == 0


def test_system_prompt_and_model(store):
    c = store.create_conversation()
    c2 = store.set_system_prompt(c.id, "Be brief.")
    c3 = store.set_model(c.id, "deepseek-r1-7b", '{"temperature": 0.6}')
    assert c2.system_prompt == "Be brief." and (c3.model, c3.options) == ("deepseek-r1-7b", '{"temperature": 0.6}')


def test_auto_title_keeps_user_rename_and_cuts_long_lines(store):
    from app.store.titles import title_from_text
    assert title_from_text("\n\n  ## How do I   cook rice?\nmore") == "How do I cook rice?"
    long = title_from_text("word " * 40)
    assert long.endswith("…") and len(long) <= 49
    assert title_from_text("中" * 100) == "中" * 48 + "…"
    c = store.create_conversation("Mine")
    store.add_message(c.id, "user", "something else")
    assert store.get_conversation(c.id).title == "Mine"


def test_bin_is_emptied_after_a_week_on_open(db_path):
    from app.store import open_store

    with open_store(db_path) as store:
        old = store.create_conversation("old")
        recent = store.create_conversation("recent")
        store.delete_conversation(old.id)
        store.delete_conversation(recent.id)
        store._db.execute("UPDATE conversations SET deleted = '2020-01-01T00:00:00.000000+00:00' WHERE id = ?", [old.id])
    with open_store(db_path) as store:
        assert store.get_conversation(old.id) is None
        assert store.undo_delete(recent.id).title == "recent"


def test_editing_a_later_message_makes_a_sibling_with_its_model(store):
    c = store.create_conversation()
    store.add_message(c.id, "user", "first")
    reply = store.add_message(c.id, "assistant", "answer", model="m1")
    second = store.add_message(c.id, "user", "second")
    edited = store.edit_message(second.id, "second, better")
    assert (edited.parent_id, edited.role, edited.content) == (reply.id, "user", "second, better")
    edited_reply = store.edit_message(reply.id, "answer, fixed")
    assert (edited_reply.parent_id, edited_reply.model) == (reply.parent_id, "m1")


def test_deleting_an_edited_first_question_shows_the_old_branch_again(store):
    c, q1, a1, q2, a2 = _exchange(store)
    edit = store.edit_message(q1.id, "q1b")
    assert [m.content for m in store.switch_branch(edit.id)] == ["q1b"]
    store.delete_message(edit.id)
    assert [m.content for m in store.messages(c.id)] == ["q1", "a1", "q2", "a2"]


def test_a_finished_reply_takes_no_more_checkpoints(store):
    c, q1, a1, q2, a2 = _exchange(store)
    r = store.start_reply(c.id, parent_id=q2.id, model="m")
    store.finish_reply(r.id, content="done", finish_reason="stop")
    with pytest.raises(StoreError) as refused:
        store.checkpoint_reply(r.id, "more")
    assert str(refused.value) == f"The reply {r.id} is not being streamed any more."
    assert store.get_message(r.id).content == "done"


def test_a_checkpoint_without_reasoning_saves_none(store):
    c, q1, a1, q2, a2 = _exchange(store)
    r = store.start_reply(c.id, parent_id=q2.id, model="m")
    store.checkpoint_reply(r.id, "partial")
    assert (store.get_message(r.id).content, store.get_message(r.id).reasoning) == ("partial", "")
