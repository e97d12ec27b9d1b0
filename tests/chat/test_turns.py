"""Turns without the window: a real history file, the real SmolLM2 engine where generating
matters, a scripted stream (the Engine.stream shape) where the exact text matters."""
import pytest

from app.chat.service import TurnError, TurnService
from app.chat.turn import run
from app.documents.read import read_document
from app.store import StoreError, open_worker_store
from runtime.types import ChatMessage, Finished, GenerationOptions, TextDelta

GREEDY = GenerationOptions(max_tokens=12, temperature=0.0)


def scripted(*pieces, done=None, during=None):
    """A stream callable that yields `pieces` (a str, or a TextDelta for reasoning) and then
    `done`; `during(i)` runs before piece i, with the reply streaming. It keeps what it was given."""
    def stream(messages, options, cancel):
        stream.seen.append((list(messages), options))
        produced = 0
        for i, piece in enumerate(pieces):
            if during:
                during(i)
            if cancel.cancelled:
                yield Finished(reason="cancelled", completion_tokens=produced)
                return
            produced += 1
            yield piece if isinstance(piece, TextDelta) else TextDelta(piece)
        yield done or Finished(reason="stop", prompt_tokens=9, completion_tokens=produced)
    stream.seen = []
    return stream


def test_send_commits_the_question_first_and_finishes_the_real_reply_with_its_figures(service, store, engine):
    service.options = GREEDY
    service.system_prompt = "You are brief."
    stored_before = []
    turn = service.send(None, "What is the capital of France?")
    cid = turn.conversation_id
    assert [m.role for m in store.messages(cid)] == ["user", "assistant"]  # committed before generating
    assert turn.request.messages == (ChatMessage("system", "You are brief."),
                                     ChatMessage("user", "What is the capital of France?"))
    done = run(turn, engine.stream, on_event=lambda e: stored_before.append(store.get_message(turn.message_id).status))
    assert done.reason in ("stop", "length") and done.completion_tokens > 0, done.error
    assert set(stored_before) == {"streaming"}
    reply = store.get_message(turn.message_id)
    assert reply.status == "done" and reply.content == turn.text != ""
    assert (reply.finish_reason, reply.prompt_tokens, reply.completion_tokens) == (
        done.reason, done.prompt_tokens, done.completion_tokens)
    assert reply.prompt_tokens == engine.count_tokens(turn.request.messages)
    assert reply.time_to_first_token_s == done.time_to_first_token_s and reply.total_s == done.total_s > 0
    assert reply.model == engine.info.name and reply.engine == "llama_cpp"
    assert reply.plan_reason == str(engine.info.reason)
    assert store.get_conversation(cid).system_prompt == "You are brief."


def test_regenerate_adds_a_version_beside_the_old_one_from_the_same_request(service, store, engine):
    service.options = GenerationOptions(max_tokens=8, temperature=1.0)
    first = service.send(None, "Name a color.")
    run(first, engine.stream)
    again = service.regenerate(first.message_id)
    assert again.request == first.request
    run(again, engine.stream)
    assert [m.id for m in store.siblings(first.message_id)] == [first.message_id, again.message_id]
    assert store.messages(first.conversation_id)[-1].id == again.message_id  # the new one is shown
    assert store.get_message(first.message_id).content == first.text  # the old one kept


def test_edit_branches_from_the_edited_question_and_keeps_the_old_branch(service, store, engine):
    service.options = GREEDY
    run(turn := service.send(None, "What is 2 plus 2?"), engine.stream)
    cid = turn.conversation_id
    run(service.send(cid, "And 3 plus 3?"), engine.stream)
    first_question = store.messages(cid)[0]
    edited = service.edit(first_question.id, "What is 5 plus 5?")
    assert edited.request.messages == (ChatMessage("user", "What is 5 plus 5?"),)
    run(edited, engine.stream)
    assert [m.content for m in store.messages(cid)][:1] == ["What is 5 plus 5?"]
    assert len(store.messages(cid)) == 2
    store.switch_branch(first_question.id)
    assert [m.role for m in store.messages(cid)] == ["user", "assistant", "user", "assistant"]


def test_continue_sends_the_cut_reply_as_the_start_of_the_answer(service, store):
    service.options = GREEDY
    cut = service.send(None, "Write a poem.")
    run(cut, scripted("The sea ", "is", done=Finished(reason="length", completion_tokens=2)))
    more = service.continue_reply(cut.message_id)
    assert more.request.messages == (ChatMessage("user", "Write a poem."), ChatMessage("assistant", "The sea is"))
    stream = scripted(" wide", " and grey.")
    run(more, stream)
    assert stream.seen[0][0][-1] == ChatMessage("assistant", "The sea is")
    reply = store.get_message(more.message_id)
    assert reply.content == "The sea is wide and grey." and reply.finish_reason == "stop"
    assert [m.id for m in store.siblings(cut.message_id)] == [cut.message_id, more.message_id]


def test_a_real_document_is_quoted_into_the_question_and_its_sources_stored(service, store, engine, tmp_path):
    notes = tmp_path / "handbook.md"
    filler = "\n\n".join(f"Section {i}. Visitors sign in at the front desk and wear a badge." for i in range(60))
    notes.write_text(filler + "\n\nThe vault's secret code is 7421.\n\n" + filler, encoding="utf-8")
    cid = service.new_conversation("handbook")
    read_document(store, cid, notes)
    service.options = GenerationOptions(max_tokens=16, temperature=0.0)
    turn = service.send(cid, "What is the vault's secret code?")
    question = turn.request.messages[-1].content
    assert question.startswith("Passages from the documents I attached:") and "7421" in question
    assert question.endswith("Question: What is the vault's secret code?")
    assert len(question) < len(notes.read_text())
    assert turn.sources and any("7421" in p.text for p in turn.sources)
    run(turn, engine.stream)
    assert store.messages(cid)[0].content == "What is the vault's secret code?"  # stored as typed
    with open_worker_store(store.path) as other:
        cited = other.reply_sources([turn.message_id])[turn.message_id]
    assert [(p.name, p.text) for p in cited] == [(p.name, p.text) for p in turn.sources]


def test_plan_writes_nothing_and_is_the_request_its_reply_is_started_with(service, store, engine, tmp_path):
    """The window plans a turn over documents on a worker thread (plan, on a copy bound to the
    worker's own connection) and starts it with that request on the GUI thread."""
    notes = tmp_path / "handbook.md"
    notes.write_text("Visitors sign in at the front desk.\n\nThe vault's secret code is 7421.", encoding="utf-8")
    cid = service.new_conversation("handbook")
    read_document(store, cid, notes)
    service.options, service.system_prompt = GREEDY, "You are brief."
    store.set_system_prompt(cid, "You are brief.")
    question = service.add_user_message(cid, "What is the vault's secret code?")
    run(first := service.reply_to(question.id), scripted("It is 7421."))
    before = [(m.id, m.content, m.status) for m in store.messages(cid)]
    with open_worker_store(store.path) as worker:
        told = []
        copy = service.bound_to(worker, token_counter=engine.count_text_tokens, on_error=told.append)
        service.options = GenerationOptions(max_tokens=3)  # changed after the copy: not the copy's
        planned = copy.plan(question.id)
    assert [(m.id, m.content, m.status) for m in store.messages(cid)] == before and told == []
    assert planned.options == GREEDY and "7421" in planned.messages[-1].content and planned.sources
    # The reply on screen is no part of the branch its regenerated version answers.
    assert planned.messages == first.request.messages and planned.sources == first.request.sources
    again = service.reply_to(question.id, request=planned)
    assert again.request is planned and store.messages(cid)[-1].id == again.message_id
    assert [p.text for p in store.reply_sources([again.message_id])[again.message_id]] == [p.text for p in planned.sources]
    with pytest.raises(StoreError):
        service.plan("no-such-message")


def test_the_reply_is_checkpointed_about_every_second_while_it_streams(store, engine, told):
    now = [0.0]
    service = TurnService(store, lambda: engine.info, on_error=told.append, clock=lambda: now[0])
    turn = service.send(None, "Tell me a story.")
    seen = []

    def later(i):  # the clock moves 0.4 s a piece; the other window reads what is saved
        now[0] += 0.4
        with open_worker_store(store.path) as other:
            row = other.get_message(turn.message_id)
            seen.append((row.status, row.content, row.reasoning))

    run(turn, scripted(TextDelta("hm", reasoning=True), "Once", " upon", " a", " time", during=later))
    assert seen == [("streaming", "", ""), ("streaming", "", ""), ("streaming", "", ""),
                    ("streaming", "Once upon", "hm"), ("streaming", "Once upon", "hm")]
    assert store.get_message(turn.message_id).content == "Once upon a time" and told == []


def test_finish_keeps_the_finished_event_s_metadata(service, store):
    done = Finished(reason="length", prompt_tokens=31, completion_tokens=2, time_to_first_token_s=0.25,
                    total_s=1.5, dropped_messages=4)
    turn = service.send(None, "Hi")
    assert run(turn, scripted("Hel", "lo", done=done)) is done
    reply = store.get_message(turn.message_id)
    assert (reply.status, reply.content, reply.finish_reason, reply.prompt_tokens, reply.completion_tokens,
            reply.time_to_first_token_s, reply.total_s, reply.error) == (
        "done", "Hello", "length", 31, 2, 0.25, 1.5, None)
    assert turn.finished is done and turn.message == reply


def test_an_engine_error_is_kept_with_the_text_so_far(service, store, engine):
    turn = service.send(None, "Hi")
    run(turn, scripted("Par", done=Finished(reason="error", error="The GPU fell off the bus.")))
    reply = store.get_message(turn.message_id)
    assert (reply.content, reply.finish_reason, reply.error) == ("Par", "error", "The GPU fell off the bus.")


def test_a_store_error_mid_turn_is_a_sentence_and_the_reply_text_is_still_given(store, engine, told):
    """Another window deletes the conversation and empties the bin while the reply streams."""
    now = [0.0]
    service = TurnService(store, lambda: engine.info, on_error=told.append, clock=lambda: now[0])
    turn = service.send(None, "Hi")

    def another_window_purges(i):
        if i == 1:
            with open_worker_store(store.path) as other:
                other.delete_conversation(turn.conversation_id)
                other.purge_deleted()
        now[0] += 1.0  # a checkpoint is due at every piece

    with pytest.raises(StoreError, match="no longer exists"):
        run(turn, scripted("Hel", "lo", " there", during=another_window_purges))
    assert told and all("is not being streamed any more" in sentence for sentence in told)
    assert turn.text == "Hello there" and turn.closed
    with pytest.raises(StoreError, match="no longer exists"):
        service.send(turn.conversation_id, "Still there?")


def test_cancel_stops_the_real_engine_and_keeps_the_partial_reply(service, store, engine):
    service.options = GenerationOptions(max_tokens=400, temperature=0.0)
    turn = service.send(None, "Write a long story about a lighthouse keeper.")
    pieces = []

    def stop_after_three(event):
        if isinstance(event, TextDelta):
            pieces.append(event.text)
            if len(pieces) == 3:
                turn.cancel.cancel()

    done = run(turn, engine.stream, on_event=stop_after_three)
    assert done.reason == "cancelled" and done.completion_tokens < 10
    reply = store.get_message(turn.message_id)
    assert reply.finish_reason == "cancelled" and reply.content == turn.text and reply.content.startswith(pieces[0])


def test_closing_a_turn_at_once_keeps_its_text_and_ignores_later_events(service, store):
    turn = service.send(None, "Hi")
    turn.add(TextDelta("Half a rep"))
    turn.close_now()
    assert turn.cancel.cancelled
    turn.add(TextDelta("ly"))
    turn.add(Finished(reason="stop"))
    reply = store.get_message(turn.message_id)
    assert (reply.status, reply.content, reply.finish_reason) == ("done", "Half a rep", "cancelled")


def test_a_stream_that_ends_without_finishing_still_closes_the_reply(service, store):
    def broken(messages, options, cancel):
        yield TextDelta("partial")
        raise RuntimeError("connection reset")

    turn = service.send(None, "Hi")
    done = run(turn, broken)
    reply = store.get_message(turn.message_id)
    assert (reply.content, reply.finish_reason) == ("partial", "error")
    assert done.error == reply.error == "The engine failed: connection reset"


def test_turns_that_cannot_start_say_why(store, engine, service):
    with pytest.raises(TurnError, match="No model is loaded"):
        TurnService(store, lambda: None).send(None, "Hi")
    assert store.list_conversations() == []  # nothing stored without a model
    with pytest.raises(StoreError, match="no longer exists"):
        service.regenerate("no-such-message")
    question = service.store.add_message(service.new_conversation(), "user", "Hi")
    with pytest.raises(TurnError, match="answers nothing"):
        service.regenerate(question.id)


def test_record_keeps_an_api_conversation_as_sent_and_its_reply_through_the_same_turn(service, store):
    service.system_prompt = "The window's prompt, not the client's."
    history = [ChatMessage("system", "Answer in one word."), ChatMessage("user", "Sky colour?"),
               ChatMessage("assistant", "Blue."), ChatMessage("user", "And grass?")]
    options = GenerationOptions(max_tokens=7, temperature=0.2)
    turn = service.record(history, options, origin="api")
    conversation = store.get_conversation(turn.conversation_id)
    assert conversation.origin == "api" and conversation.title == "Sky colour?"
    assert conversation.system_prompt == ""  # the client's system message is kept as a message
    assert turn.request.messages == tuple(history) and turn.request.options == options  # what was generated
    stream = scripted("Green", ".")
    done = run(turn, stream)
    assert stream.seen == [(history, options)] and done.reason == "stop"
    stored = store.messages(turn.conversation_id)
    assert [(m.role, m.content) for m in stored] == [(m.role, m.content) for m in history] + [("assistant", "Green.")]
    assert stored[-1].status == "done" and stored[-1].completion_tokens == 2
    assert [c.origin for c in store.list_conversations()] == ["api"]


def test_record_refuses_a_conversation_with_nothing_to_answer(service, store):
    with pytest.raises(TurnError):
        service.record([], GenerationOptions(), origin="api")
    assert store.list_conversations() == []  # nothing half-made
