"""Messages field by field, on real SQLite files: a reply closed with only its text (the window
cancelling it) has no tokens, times or reasoning; the path to any message, whichever branch is
shown; the sentence for a gone reply; a reply taken back by a checkpoint stays streaming."""
import pytest

from app.store import Message, StoreError, open_store


def test_a_reply_closed_with_only_its_text_has_no_reasoning_tokens_or_times(store):
    c = store.create_conversation()
    q = store.add_message(c.id, "user", "Count to ten.")
    r = store.start_reply(c.id, parent_id=q.id, model="m", engine="llama_cpp")
    store.checkpoint_reply(r.id, "1, 2", "counting")
    done = store.finish_reply(r.id, content="1, 2, 3", finish_reason="cancelled")
    assert done == store.get_message(r.id)
    assert done == Message(
        id=r.id, conversation_id=c.id, parent_id=q.id, role="assistant", content="1, 2, 3", reasoning="",
        model="m", engine="llama_cpp", status="done", finish_reason="cancelled", prompt_tokens=0,
        completion_tokens=0, time_to_first_token_s=None, total_s=0.0, error=None, created=r.created, plan_reason="")


def test_the_path_to_a_message_is_its_own_branch_whichever_is_shown(store):
    c = store.create_conversation()
    q = store.add_message(c.id, "user", "Name a colour.")
    first = store.start_reply(c.id, parent_id=q.id, model="m")
    store.finish_reply(first.id, content="Red.", finish_reason="stop")
    second = store.start_reply(c.id, parent_id=q.id, model="m")
    store.finish_reply(second.id, content="Blue.", finish_reason="stop")
    follow = store.add_message(c.id, "user", "Another?")
    assert [m.id for m in store.messages(c.id)] == [q.id, second.id, follow.id]
    assert store.branch_to(first.id) == [store.get_message(q.id), store.get_message(first.id)]
    assert store.branch_to(follow.id) == store.messages(c.id)
    assert store.branch_to("01GONE") == []


def test_finishing_a_gone_reply_is_refused_with_its_sentence(store):
    with pytest.raises(StoreError) as refused:
        store.finish_reply("01GONE", content="late text", finish_reason="stop")
    assert str(refused.value) == "The reply 01GONE no longer exists."


def test_a_reply_taken_back_by_a_checkpoint_is_left_streaming_by_a_store_opened_later(db_path):
    """Its first store closed (marking it interrupted), the streamer goes on through another;
    a third store opened in this process must not take it for a crash."""
    first = open_store(db_path)
    c = first.create_conversation()
    r = first.start_reply(c.id, parent_id=first.add_message(c.id, "user", "q").id, model="m")
    first.close()
    with open_store(db_path) as second:
        assert second.get_message(r.id).status == "interrupted"
        second.checkpoint_reply(r.id, "still going")
        with open_store(db_path) as third:
            assert (third.get_message(r.id).status, third.get_message(r.id).content) == ("streaming", "still going")
        second.finish_reply(r.id, content="still going, done", finish_reason="stop")


def test_a_reply_started_without_an_engine_is_an_empty_streaming_row_under_its_question(store):
    c = store.create_conversation()
    q = store.add_message(c.id, "user", "Hello?")
    r = store.start_reply(c.id, parent_id=q.id, model="m")
    assert r == store.get_message(r.id) == Message(
        id=r.id, conversation_id=c.id, parent_id=q.id, role="assistant", content="", reasoning="", model="m",
        engine="", status="streaming", finish_reason="", prompt_tokens=0, completion_tokens=0,
        time_to_first_token_s=None, total_s=0.0, error=None, created=r.created, plan_reason="")


def test_a_message_for_a_gone_conversation_or_under_another_conversations_message_is_refused(store):
    first, second = store.create_conversation(), store.create_conversation()
    q = store.add_message(first.id, "user", "Hello?")
    with pytest.raises(StoreError) as refused:
        store.add_message("01GONE", "user", "Anyone?")
    assert str(refused.value) == "That conversation no longer exists (01GONE)."
    with pytest.raises(StoreError) as refused:
        store.start_reply(second.id, parent_id=q.id, model="m")
    assert str(refused.value) == f"Message {q.id} is not part of conversation {second.id}."
    assert store.messages(second.id) == []


def test_a_message_added_without_a_model_has_none_and_an_unknown_role_is_refused(store):
    c = store.create_conversation()
    q = store.add_message(c.id, "user", "Hello?")
    assert (q.model, q.parent_id, q.status) == ("", None, "done")
    with pytest.raises(StoreError) as refused:
        store.add_message(c.id, "wizard", "Abracadabra.")
    assert str(refused.value) == "Unknown message role 'wizard'; expected one of system, user, assistant."
    with pytest.raises(StoreError) as refused:
        store.edit_message("01GONE", "New text.")
    assert str(refused.value) == "That message no longer exists (01GONE)."
    assert store.messages(c.id) == [q]


def test_a_store_closed_mid_reply_shows_it_interrupted_to_a_store_still_open_and_closes_twice(db_path):
    window, other = open_store(db_path), open_store(db_path)
    c = window.create_conversation()
    r = window.start_reply(c.id, parent_id=window.add_message(c.id, "user", "q").id, model="m")
    window.checkpoint_reply(r.id, "half")
    window.close()
    window.close()  # closing again is harmless
    assert (other.get_message(r.id).status, other.get_message(r.id).content) == ("interrupted", "half")
    other.close()
