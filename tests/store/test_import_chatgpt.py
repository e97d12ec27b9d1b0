"""Import an OpenAI ChatGPT export: tree, branches, reasoning, models; tool noise left out."""
import importlib
import json
import zipfile
from pathlib import Path

import pytest

from app.store import StoreError, import_chatgpt

FIXTURE = Path(__file__).parent / "fixtures" / "chatgpt_conversations.json"


def test_import_chatgpt_tree(store):
    result = import_chatgpt(store, FIXTURE)
    assert (result.conversations, result.messages, result.skipped) == (2, 7, 0)
    convs = {c.title: c for c in store.list_conversations()}
    rice = convs["Rice cooking"]
    assert rice.model == "gpt-4o" and rice.created.startswith("2024-05-29T16:26:40.5")
    branch = store.messages(rice.id)  # current_node picks the edited question's branch
    assert [m.content for m in branch] == ["How do I cook rice?", "Rinse, then 1:1.2 water.",
                                           "[image]\nWhat about this 糙米?", "糙米需要更多水，大约1:1.5。"]
    assert branch[3].reasoning == "Brown rice needs more water." and branch[3].model == "o3"
    assert branch[1].finish_reason == "stop" and branch[3].parent_id == branch[2].id
    versions = store.siblings(branch[2].id)
    assert [m.content for m in versions] == ["And brown rice?", "[image]\nWhat about this 糙米?"]
    old = store.switch_branch(versions[0].id)
    assert old[-1].content == "Longer." and old[-1].finish_reason == "length"
    assert {h.conversation_id for h in store.search("糙米")} == {rice.id}
    untitled = [c for c in store.list_conversations() if c.id != rice.id][0]
    assert untitled.title == "" and [m.content for m in store.messages(untitled.id)] == ["Untitled question"]


def test_reimport_and_zip(tmp_path, store):
    import_chatgpt(store, FIXTURE)
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(FIXTURE, "conversations.json")
    again = import_chatgpt(store, archive)
    assert (again.conversations, again.skipped) == (0, 2)


@pytest.mark.parametrize("content,match", [
    ({"not": "a list"}, "should hold a list"),
    ([{"title": "no mapping"}], "no 'mapping'"),
    ([{"mapping": {"a": 5}}], "not an object"),
])
def test_wrong_shape_changes_nothing(tmp_path, store, content, match):
    c = store.create_conversation("mine")
    path = tmp_path / "conversations.json"
    path.write_text(json.dumps(content), encoding="utf-8")
    with pytest.raises(StoreError, match=match):
        import_chatgpt(store, path)
    assert [x.id for x in store.list_conversations()] == [c.id]
    bad_zip = tmp_path / "bad.zip"
    bad_zip.write_bytes(b"PK not really")
    with pytest.raises(StoreError, match="not a ChatGPT export archive"):
        import_chatgpt(store, bad_zip)


def _zip_with(path, text: str, declared: int | None = None) -> Path:
    import io

    from tests.fixtures.zip_headers import declare_size

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("conversations.json", text)
    data = out.getvalue()
    path.write_bytes(data if declared is None else declare_size(data, "conversations.json", declared))
    return path


def test_a_zip_that_unpacks_past_the_limit_is_refused_having_held_no_more(tmp_path, store, monkeypatch):
    import tracemalloc

    module = importlib.import_module("app.store.import_chatgpt")  # the package exports the function by that name

    limit = 2**20
    monkeypatch.setattr(module, "MAX_JSON_BYTES", limit)
    padded = FIXTURE.read_text(encoding="utf-8") + " " * (40 * limit)  # valid JSON, 40 MB of it
    for declared in (None, 100):  # the truth, or a header that claims 100 bytes
        bomb = _zip_with(tmp_path / "export.zip", padded, declared)
        tracemalloc.start()
        try:
            with pytest.raises(StoreError) as err:
                import_chatgpt(store, bomb)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert peak < 3 * limit, (declared, peak)
        assert "Nothing was imported" in str(err.value)
        if declared is None:  # (a header that lies fails zipfile's CRC check: "not an export")
            assert str(err.value) == (f"{bomb}: conversations.json unpacks to more than 1 MiB, "
                                      "more than any ChatGPT export DeskSeek reads. Nothing was imported.")
    assert store.list_conversations() == []


def test_a_zip_whose_header_claims_too_much_is_read_by_what_it_holds(tmp_path, store, monkeypatch):
    module = importlib.import_module("app.store.import_chatgpt")  # the package exports the function by that name

    monkeypatch.setattr(module, "MAX_JSON_BYTES", 2**20)
    archive = _zip_with(tmp_path / "export.zip", FIXTURE.read_text(encoding="utf-8"), declared=0xFFFF_FFFE)
    assert import_chatgpt(store, archive).conversations == 2
