"""What a ChatGPT export's details become, each checked exactly: code, images and files, visible
system text, hidden and tool nodes, thoughts, the branch shown, times, models, ids that never
collide, and the sentences of a refused file (found by mutation testing: bench/RESULTS.md)."""
import json
import zipfile

import pytest

from app.store import StoreError, import_chatgpt
from app.store.ids import now_iso

T0 = 1_700_000_000.5  # 2023-11-14 22:13:20.5 UTC


def node(nid, parent, children, role=None, content=None, **extra):
    message = None
    if role is not None:
        message = {"author": {"role": role}, "content": content, **extra}
    return nid, {"id": nid, "parent": parent, "children": children, "message": message}


def text(*parts):
    return {"content_type": "text", "parts": list(parts)}


def conversation(*nodes, **fields):
    return {"mapping": dict(nodes), **fields}


DETAILS = conversation(
    node("root", None, ["sys"]),
    node("sys", "root", ["hid"], "system", text("You are helpful.")),
    node("hid", "sys", ["u1"], "system", text("secret rules"), metadata={"is_visually_hidden_from_conversation": True}),
    node("u1", "hid", ["th", "alt"], "user",
         {"content_type": "multimodal_text",
          "parts": ["Look:", {"content_type": "image_asset_pointer"}, {"content_type": "file"}, {}, 5]},
         metadata={"model_slug": "gpt-4o"}),
    node("th", "u1", ["a1"], "assistant",
         {"content_type": "thoughts", "thoughts": [{"content": "First."}, {"summary": "none"}, {"content": "Second."}]}),
    node("a1", "th", ["tool"], "assistant", {"content_type": "code", "text": "print(1)"},
         metadata={"model_slug": "o3", "finish_details": {"type": "max_tokens"}}),
    node("tool", "a1", ["a2"], "assistant", text("run it"), recipient="python"),
    node("a2", "tool", ["tail"], "assistant", text("Done."), create_time=T0 + 50,
         metadata={"model_slug": "o3-mini", "finish_details": {"type": "unknown"}}),
    node("tail", "a2", [], "assistant", text("hidden"), metadata={"is_visually_hidden_from_conversation": True}),
    node("alt", "u1", [], "assistant", text("Other answer."), metadata={"model_slug": "gpt-4o"}),
    conversation_id="details", title="Details", create_time=T0, update_time=T0 + 100.25, current_node="tail")


def write(tmp_path, conversations, name="conversations.json"):
    path = tmp_path / name
    path.write_text(json.dumps(conversations), encoding="utf-8")
    return path


def only(store, title=None):
    convs = [c for c in store.list_conversations() if title is None or c.title == title]
    assert len(convs) == 1
    return convs[0]


def test_every_detail_of_a_conversation(tmp_path, store):
    result = import_chatgpt(store, write(tmp_path, [DETAILS]))
    assert (result.conversations, result.messages) == (1, 5)
    c = only(store)
    assert (c.title, c.model) == ("Details", "gpt-4o")  # no default slug: the last reply's model
    assert (c.created, c.updated) == ("2023-11-14T22:13:20.500000+00:00", "2023-11-14T22:15:00.750000+00:00")
    shown = store.messages(c.id)  # current_node is a hidden node: the branch of its nearest kept ancestor
    assert [(m.role, m.content, m.reasoning, m.model, m.finish_reason) for m in shown] == [
        ("system", "You are helpful.", "", "", ""),
        ("user", "Look:\n[image]\n[attachment]\n[attachment]\n[attachment]", "", "", ""),
        ("assistant", "```\nprint(1)\n```", "First.\n\n\n\nSecond.", "o3", "length"),
        ("assistant", "Done.", "", "o3-mini", ""),
    ]
    # Without a time of its own a message takes the conversation's.
    assert [m.created for m in shown] == [c.created] * 3 + ["2023-11-14T22:14:10.500000+00:00"]
    assert [m.content for m in store.siblings(shown[2].id)] == ["```\nprint(1)\n```", "Other answer."]


def test_thoughts_go_to_the_reply_that_follows_them_not_to_a_question(tmp_path, store):
    conv = conversation(
        node("t", None, ["q"], "assistant", {"content_type": "thoughts", "thoughts": [{"content": "Plan."}]}),
        node("q", "t", ["a"], "user", text("Question?")),
        node("a", "q", ["b", "c"], "assistant", {"content_type": "code"}),
        node("b", "a", [], "assistant", text("B.")),
        node("c", "a", [], "assistant", text("C.")),
        ("junk", {"parent": None, "children": [], "message": "not an object"}), title="Plain")
    before = store._db.execute("SELECT strftime('%Y-%m-%dT%H:%M:%S', 'now')").fetchone()[0]
    import_chatgpt(store, write(tmp_path, [conv]))
    c = only(store)
    # No current_node: the branch of the last message; no times: now; no reply names a model.
    assert [(m.content, m.reasoning) for m in store.messages(c.id)] == [
        ("Question?", ""), ("```\n\n```", "Plan."), ("C.", "")]
    assert c.model == "" and c.created >= before and c.updated == c.created


@pytest.mark.parametrize("current", ["gone", "loop"])
def test_a_current_node_that_leads_nowhere_shows_the_last_branch(tmp_path, store, current):
    conv = conversation(node("q", None, ["a", "b"], "user", text("Q")),
                        node("a", "q", [], "assistant", text("A")), node("b", "q", [], "assistant", text("B")),
                        node("loop", "loop", [], "assistant", text("x"), recipient="tool"),
                        title="Odd", create_time=T0, current_node=current)
    import_chatgpt(store, write(tmp_path, [conv]))
    assert [m.content for m in store.messages(only(store).id)] == ["Q", "B"]


def test_conversations_alike_in_time_and_node_ids_never_collide(tmp_path, store):
    def same(**fields):
        return conversation(node("n1", None, ["n2"], "user", text("Hi")),
                            node("n2", "n1", [], "assistant", text("Hello")), create_time=T0, **fields)

    convs = [same(conversation_id="x"), same(conversation_id="y"), same(id="z"), same(title="one"),
             same(title="two"), same(), same()]
    result = import_chatgpt(store, write(tmp_path, convs))
    assert (result.conversations, result.messages, result.skipped) == (7, 14, 0)
    assert import_chatgpt(store, write(tmp_path, convs)).skipped == 7  # and the same file again adds nothing


def test_refused_files_say_which_file_which_conversation_and_that_nothing_changed(tmp_path, store):
    bad = write(tmp_path, [DETAILS, {"title": "no mapping"}])
    with pytest.raises(StoreError) as refused:
        import_chatgpt(store, bad)
    assert str(refused.value) == (f"{bad}, conversation 2: it has no 'mapping' of messages. "
                                  "Nothing was imported; your history is unchanged.")
    broken_node = write(tmp_path, [{"mapping": {"a": {"parent": None, "children": ["b"]}, "b": 7}}])
    with pytest.raises(StoreError) as refused:
        import_chatgpt(store, broken_node)
    assert str(refused.value) == (f"{broken_node}, conversation 1: node 'b' is not an object. "
                                  "Nothing was imported; your history is unchanged.")
    not_list = write(tmp_path, {"a": 1})
    with pytest.raises(StoreError) as refused:
        import_chatgpt(store, not_list)
    assert str(refused.value) == (f"{not_list}: this is not a ChatGPT conversations.json (it should hold a "
                                  "list). Nothing was imported; your history is unchanged.")
    not_json = tmp_path / "conversations.json"
    not_json.write_text("{", encoding="utf-8")
    with pytest.raises(StoreError, match=r"conversations.json is not a ChatGPT export: it is not valid JSON"):
        import_chatgpt(store, not_json)
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("other.json", "[]")
    with pytest.raises(StoreError) as refused:
        import_chatgpt(store, archive)
    assert str(refused.value).startswith(f"{archive} is not a ChatGPT export archive with conversations.json (")
    assert str(refused.value).endswith("). Nothing was imported.")
    assert store.list_conversations() == []


def test_a_clash_with_messages_already_here_names_the_file(tmp_path, store):
    first = conversation(node("n1", None, [], "user", text("Hi"), create_time=T0), conversation_id="same",
                         create_time=T0)
    import_chatgpt(store, write(tmp_path, [first]))
    again = write(tmp_path, [{**first, "create_time": T0 + 1}], "later.json")  # another conversation id
    with pytest.raises(StoreError) as refused:
        import_chatgpt(store, again)
    assert str(refused.value).startswith(f"{again}: message ") and "already exists in another conversation" in str(
        refused.value)
    assert len(store.list_conversations()) == 1


def test_a_conversation_known_by_its_title_only_is_recognised_in_a_later_export(tmp_path, store):
    def titled(title):
        return conversation(node("q", None, [], "user", text(f"About {title}")), title=title, create_time=T0)

    import_chatgpt(store, write(tmp_path, [titled("one")]))
    again = import_chatgpt(store, write(tmp_path, [titled("two"), titled("one")], "later.json"))
    assert (again.conversations, again.skipped) == (1, 1)


def test_a_conversation_with_nothing_visible_imports_empty(tmp_path, store):
    conv = conversation(node("h", None, [], "system", text("rules"),
                             metadata={"is_visually_hidden_from_conversation": True}),
                        title="Hidden only", create_time=T0, current_node="h")
    result = import_chatgpt(store, write(tmp_path, [conv]))
    assert (result.conversations, result.messages) == (1, 0)
    assert store.messages(only(store).id) == []


def test_ids_are_pinned_so_an_export_imported_by_an_earlier_version_is_recognised(tmp_path, store):
    """The ids come from the export's own ids and times (milliseconds, then a hash of "chatgpt", the
    conversation's id and the node's, joined by NULs): if they changed between versions, importing
    a newer export of the same account would add every conversation a second time."""
    timed = conversation(node("q", None, ["a"], "user", text("When?"), create_time=T0 + 0.001),
                         node("a", "q", [], "assistant", text("Now.")),
                         conversation_id="timed", title="Timed", create_time=T0 + 0.001)
    untimed = conversation(node("q", None, [], "user", text("Ever?")), conversation_id="untimed", title="Untimed")
    import_chatgpt(store, write(tmp_path, [timed, untimed]))
    ids = {c.title: (c.id, [m.id for m in store.messages(c.id)]) for c in store.list_conversations()}
    assert ids == {  # computed by DeskSeek as of 2026-12 (the milliseconds are odd: 1700000000501)
        "Timed": ("01HF7YATFNPDHSPHW5KE6A0CMS", ["01HF7YATFNK62VWEXPVDP266YX", "01HF7YATFNJKK8VRF37NH4KA9G"]),
        "Untimed": ("0000000000RCECPZTX2GAD0T00", ["000000000059E4F0PTD5GQNMHC"])}


@pytest.mark.parametrize("bad", [1e20, -1e20, float("nan"), 1e12, -1.5])
def test_a_time_no_calendar_holds_is_taken_as_missing_not_a_crash(tmp_path, store, bad):
    """Bug found by a mutant of the id's 48-bit mask: a create_time past year 9999, before 1970, or
    NaN (Python's json reads it) stopped the import with OverflowError or ValueError."""
    conv = conversation(node("q", None, [], "user", text("Hi."), create_time=bad),
                        conversation_id="odd", title="Odd", create_time=bad, update_time=bad)
    path = tmp_path / "conversations.json"
    path.write_text(json.dumps([conv]), encoding="utf-8")  # NaN written as Python's json writes it
    before = now_iso()
    assert (import_chatgpt(store, path).conversations, store.list_conversations()[0].title) == (1, "Odd")
    c = only(store)
    [q] = store.messages(c.id)
    assert before <= c.created == c.updated and before <= q.created  # as if it had no time: now
    assert c.id.startswith("0000000000") and q.id.startswith("0000000000")  # and millisecond 0 in its id
