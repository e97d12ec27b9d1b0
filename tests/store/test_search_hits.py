"""What a search hit carries, filters combined, and how many hits a search returns by default."""
from datetime import datetime, timedelta, timezone

from pytest import approx

from app.store.ranking import scores, term_patterns
from app.store.records import SearchHit


def test_a_hit_carries_its_message_whole(store):
    c = store.create_conversation(model="m-conv")
    store.add_message(c.id, "user", "Tell me about DeepSeek")
    reply = store.add_message(c.id, "assistant", "DeepSeek makes models.", model="m-reply")
    hits = store.search("models")
    assert hits == [SearchHit(message_id=reply.id, conversation_id=c.id, conversation_title="Tell me about DeepSeek",
                              role="assistant", model="m-reply", created=reply.created,
                              snippet="DeepSeek makes models.", highlights=((15, 21),),
                              score=approx(scores(["DeepSeek makes models."], term_patterns("models"))[0]))]


def test_filters_combine(store):
    c = store.create_conversation()
    old = store.add_message(c.id, "user", "shared words", model="a")
    new = store.add_message(c.id, "assistant", "shared words", model="b")
    future = datetime(2999, 1, 1, tzinfo=timezone.utc)
    assert [h.message_id for h in store.search("shared", since=old.created, until=future, model="b")] == [new.id]
    assert [h.message_id for h in store.search("shared", since=old.created, model="a")] == [old.id]


def test_at_most_fifty_hits_unless_asked(store):
    c = store.create_conversation()
    for i in range(51):
        store.add_message(c.id, "user", f"needle {i}")
    assert len(store.search("needle")) == 50
    assert len(store.search("needle", limit=51)) == 51


def test_datetime_bounds_compare_as_the_stored_times(store):
    c = store.create_conversation()
    hit = store.add_message(c.id, "user", "shared words")
    created = datetime.fromisoformat(hit.created.replace("Z", "+00:00"))
    assert [h.message_id for h in store.search("shared", since=created)] == [hit.id]
    assert store.search("shared", since=created + timedelta(seconds=1)) == []
    assert store.search("shared", until=created) == []
