"""The sources of every reply of a long conversation, read at once as the window reads them for
the branch it shows: each reply's own passages, once each, in citation order, however many
messages the conversation holds (the read goes 500 messages at a time)."""
from app.store import Passage, import_data

TURNS = 501  # with the system message, 1003 messages: more than two reads' worth, a reply at 500 and 1000


def _long_conversation():
    messages = [{"id": "S", "role": "system", "content": "Be brief.", "status": "done",
                 "created": "2026-01-02T03:04:05Z"}]
    for i in range(TURNS):
        q, r = f"Q{i:04}", f"R{i:04}"
        messages.append({"id": q, "parent_id": messages[-1]["id"], "role": "user",
                         "content": f"Question {i}?", "status": "done", "created": "2026-01-02T03:04:05Z"})
        messages.append({"id": r, "parent_id": q, "role": "assistant", "content": f"Answer {i} [1][2].",
                         "status": "done", "created": "2026-01-02T03:04:05Z", "sources": [
                             {"name": f"notes{i}.txt", "location": "", "text": f"First passage {i}."},
                             {"name": "lease.pdf", "location": f"p. {i + 1}", "text": f"租约第{i}段。"}]})
    return {"format": "deskseek-history", "version": 1, "attachments": {}, "conversations": [{
        "id": "C1", "title": "Long", "created": "2026-01-02T03:04:05Z", "updated": "2026-01-02T03:04:05Z",
        "active_leaf_id": messages[-1]["id"], "messages": messages}]}


def test_every_reply_of_a_long_conversation_has_its_own_sources_once_in_order(store):
    import_data(store, _long_conversation())
    shown = [m.id for m in store.messages("C1")]
    assert len(shown) == 2 * TURNS + 1
    assert (shown[500], shown[1000]) == ("R0249", "R0499")
    assert store.reply_sources(shown) == {
        f"R{i:04}": [Passage(f"notes{i}.txt", "", f"First passage {i}."),
                     Passage("lease.pdf", f"p. {i + 1}", f"租约第{i}段。")]
        for i in range(TURNS)}


def test_sources_set_on_a_reply_replace_its_earlier_ones_in_the_order_given(store):
    c = store.create_conversation()
    q = store.add_message(c.id, "user", "What do they say?")
    r = store.start_reply(c.id, parent_id=q.id, model="m", sources=[Passage("old.txt", "", "Old.")])
    store.set_reply_sources(r.id, [Passage("b.pdf", "p. 2", "Beta."), Passage("a.txt", "", "Alpha.")])
    assert store.reply_sources([q.id, r.id]) == {
        r.id: [Passage("b.pdf", "p. 2", "Beta."), Passage("a.txt", "", "Alpha.")]}
