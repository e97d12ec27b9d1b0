"""import(export(x)) == x, field by field, for any history: trees of branches, edits, finished
replies with their figures, attachments, documents with passages, replies' sources, Chinese and
any other text; on real SQLite files through a real JSON file."""
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.store import Passage, export_json, import_json, open_store
from tests.store.facts import conversation_facts

chinese = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
texts = st.text(st.one_of(chinese, st.characters(exclude_categories=("Cs",))), max_size=24)
names = st.text(st.one_of(chinese, st.characters(min_codepoint=0x20, max_codepoint=0x7E)), min_size=1, max_size=12)
figures = st.floats(min_value=0, max_value=1e4, allow_nan=False)


def build(store, draw) -> tuple[str, list[str], dict]:
    """A conversation made of drawn steps; returns its id, its messages' ids and what was written."""
    c = store.create_conversation(draw(texts), model=draw(names))
    written = {}
    if draw(st.booleans()):
        store.set_system_prompt(c.id, draw(texts))
    if draw(st.booleans()):
        store.set_model(c.id, draw(names), json.dumps({"temperature": draw(figures)}))
    ids: list[str] = []
    replies: list[str] = []
    for _ in range(draw(st.integers(1, 6))):
        step = draw(st.sampled_from(["user", "reply", "edit"])) if ids else "user"
        content = draw(texts)
        if step == "user":
            m = store.add_message(c.id, "user", content, parent_id=draw(st.sampled_from([None] + ids)))
        elif step == "edit":
            m = store.edit_message(draw(st.sampled_from(ids)), content)
        else:
            m = store.start_reply(c.id, parent_id=draw(st.sampled_from(ids)), model=draw(names), engine="llama_cpp")
            m = store.finish_reply(m.id, content=content, reasoning=draw(texts),
                                   finish_reason=draw(st.sampled_from(["stop", "length", "error"])),
                                   prompt_tokens=draw(st.integers(0, 10 ** 6)),
                                   completion_tokens=draw(st.integers(0, 10 ** 6)),
                                   time_to_first_token_s=draw(st.none() | figures), total_s=draw(figures),
                                   error=draw(st.none() | texts), plan_reason=draw(texts))
            replies.append(m.id)
        ids.append(m.id)
        written[m.id] = content
        if draw(st.integers(0, 3)) == 0:
            store.add_attachment(m.id, draw(names), draw(st.binary(max_size=40)), draw(st.sampled_from(["", "image/png"])))
    for n in range(draw(st.integers(0, 2))):
        passages = draw(st.lists(st.tuples(st.sampled_from(["", "p. 1", "第2页"]), texts), max_size=4))
        store.add_document(c.id, draw(names), f"{n}".encode() + draw(st.binary(max_size=20)), "text", 0, passages)
    for reply in replies:
        sources = draw(st.lists(st.builds(Passage, names, st.sampled_from(["", "p. 3"]), texts), max_size=3))
        if sources:
            store.set_reply_sources(reply, sources)
    store.set_pinned(c.id, draw(st.booleans()))
    store.set_archived(c.id, draw(st.booleans()))
    store.switch_branch(draw(st.sampled_from(ids)))
    return c.id, ids, written


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_import_of_an_export_gives_back_every_field(data):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with open_store(folder / "mine.db") as store:
            made = [build(store, data.draw) for _ in range(data.draw(st.integers(1, 2)))]
            before = [conversation_facts(store, cid, ids) for cid, ids, _ in made]
            assert export_json(store, folder / "export.json") == len(made)
        with open_store(folder / "fresh.db") as fresh:
            result = import_json(fresh, folder / "export.json")
            after = [conversation_facts(fresh, cid, ids) for cid, ids, _ in made]
    assert (result.conversations, result.messages, result.skipped) == (
        len(made), sum(len(ids) for _, ids, _ in made), 0)
    for (cid, ids, written), old, new in zip(made, before, after):
        # What was read back from the first store is what was written into it...
        assert old["conversation"].id == cid
        assert [m.content for m in old["messages"]] == [written[m] for m in ids]
        # ...and the imported copy gives back every field of it.
        for field in old:
            assert new[field] == old[field], field
