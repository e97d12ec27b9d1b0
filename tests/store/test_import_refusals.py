"""A damaged DeskSeek export is refused with a sentence that says where and what, whole, and
nothing is imported: each document and attached-file check, on a real export of a real store."""
import base64
import json

import pytest

from app.store import export_json, import_json, open_store
from app.store.import_check import ImportProblem

from .test_documents import add

TAIL = ". Nothing was imported; your history is unchanged."


@pytest.fixture
def exported(tmp_path, store):
    c = store.create_conversation(title="Lease")
    add(store, c.id, "lease.txt", ["The garage code is 7421."])
    store.add_message(c.id, "user", "What is the code?")
    export_json(store, tmp_path / "out.json", [c.id])
    return json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))


def _doc(data):
    return data["conversations"][0]["documents"][0]


def _blob(data):
    return next(iter(data["attachments"].values()))


def _digest(data):
    return next(iter(data["attachments"]))


@pytest.mark.parametrize("damage, where, problem", [
    (lambda d: d["conversations"][0].__setitem__("documents", {}), "conversation 1", "field 'documents' must be a list"),
    (lambda d: d["conversations"][0]["documents"].__setitem__(0, "x"), "conversation 1, document 1", "must be an object"),
    (lambda d: _doc(d).__setitem__("kind", 3), "conversation 1, document 1", "field 'kind' must be text"),
    (lambda d: _doc(d).__setitem__("pages", "2"), "conversation 1, document 1", "field 'pages' must be a whole number"),
    (lambda d: _doc(d).__setitem__("sha256", "0" * 64), "conversation 1, document 1", "its file is not in the export"),
    (lambda d: _doc(d).__setitem__("passages", [["p. 1", "a", "b"]]), "conversation 1, document 1",
     "field 'passages' must be a list of [location, text] pairs"),
    (lambda d: _blob(d).pop("data_base64"), "attachment {digest12}", "must hold 'data_base64' text"),
    (lambda d: _blob(d).__setitem__("data_base64", _blob(d)["data_base64"] + "!"), "attachment {digest12}",
     "'data_base64' is not valid base64"),
    (lambda d: _blob(d).__setitem__("data_base64", base64.b64encode(b"other").decode()), "attachment {digest12}",
     "its content does not match its SHA-256 (the file is damaged)"),
])
def test_each_damage_is_refused_with_its_sentence(tmp_path, exported, damage, where, problem):
    digest12 = _digest(exported)[:12]
    damage(exported)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(exported), encoding="utf-8")
    with open_store(tmp_path / "other.sqlite3") as other:
        with pytest.raises(ImportProblem) as refused:
            import_json(other, bad)
        assert other.list_conversations() == []
    message = str(refused.value)
    assert message == f"{bad}, " + where.format(digest12=digest12) + ": " + problem + TAIL
