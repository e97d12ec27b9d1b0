"""The recent models list, on a real store file: order, limit, kinds, missing files, bad data."""
import json

from app.models.recent import MAX_RECENT, RECENT_KEY, clear, forget_missing, recent_models, remember
from app.store import open_store
from tests.fixtures.models import tiny
from tests.fixtures.models.real import smollm2


def test_most_recent_first_once_each_with_their_kind(tmp_path):
    store = open_store(tmp_path / "deskseek.sqlite3")
    gguf = tiny.write_gguf(tmp_path / "tiny.gguf")
    folder = tiny.write_hf(tmp_path / "Tiny-HF")
    remember(store, str(gguf))
    remember(store, str(folder))
    remember(store, "http://gpu-box:8000/v1#deepseek-r1")
    remember(store, str(gguf))  # again: moves to the front, not listed twice
    store.close()
    store = open_store(tmp_path / "deskseek.sqlite3")  # remembered across starts
    listed = recent_models(store)
    assert [(m.name, m.kind, m.missing) for m in listed] == [
        ("tiny.gguf", "file", False), ("http://gpu-box:8000/v1#deepseek-r1", "server", False),
        ("Tiny-HF", "folder", False)]
    assert listed[0].path == str(gguf)
    store.close()


def test_the_oldest_fall_off_and_the_embedded_model_is_not_listed(tmp_path):
    store = open_store(tmp_path / "deskseek.sqlite3")
    for i in range(MAX_RECENT + 3):
        remember(store, str(tmp_path / f"m{i}.gguf"))
    default = smollm2()
    if default is not None:
        remember(store, str(default))
    names = [m.name for m in recent_models(store)]
    assert len(names) == MAX_RECENT and names[0] == f"m{MAX_RECENT + 2}.gguf" and "m0.gguf" not in names
    store.close()


def test_missing_files_are_marked_then_forgotten_on_request(tmp_path):
    store = open_store(tmp_path / "deskseek.sqlite3")
    kept = tiny.write_gguf(tmp_path / "kept.gguf")
    gone = tiny.write_gguf(tmp_path / "gone.gguf")
    for path in (str(gone), "https://example.org/v1", str(kept)):
        remember(store, path)
    gone.unlink()
    assert [(m.name, m.missing) for m in recent_models(store)] == [
        ("kept.gguf", False), ("https://example.org/v1", False), ("gone.gguf", True)]
    assert forget_missing(store) == 1
    assert [m.name for m in recent_models(store)] == ["kept.gguf", "https://example.org/v1"]
    clear(store)
    assert recent_models(store) == []
    store.close()


def test_a_damaged_list_starts_again_without_an_error(tmp_path):
    store = open_store(tmp_path / "deskseek.sqlite3")
    for raw in ("{not json", json.dumps({"a": 1}), json.dumps([3, None, "", "/models/x.gguf"])):
        store.set_setting(RECENT_KEY, raw)
        assert [m.path for m in recent_models(store)] in ([], ["/models/x.gguf"])
    remember(store, "/models/y.gguf")
    assert [m.path for m in recent_models(store)] == ["/models/y.gguf", "/models/x.gguf"]
    store.close()
