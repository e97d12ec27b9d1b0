"""The library over a temporary HOME holding each app's real layout and real GGUF files."""
from __future__ import annotations

import json
import os

import pytest

from app.models import locations
from app.models.library import (
    DeleteRefused, add_user_folder, delete_model, describe, find_models, scan_library, user_folders,
)
from app.store import open_store
from runtime.hardware import HardwareInfo
from tests.fixtures.models import tiny
from tests.models.layouts import build_home, place

GB = 1024 ** 3
LAPTOP = HardwareInfo((), 16 * GB, 12 * GB, 4, 4, False)
TINY_PC = HardwareInfo((), 2 * GB, int(0.5 * GB), 2, 2, False)  # too little RAM for anything but tiny


@pytest.fixture
def home(tmp_path, monkeypatch):
    home = tmp_path / "user"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for var in ("HF_HUB_CACHE", "HF_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "OLLAMA_MODELS"):
        monkeypatch.delenv(var, raising=False)
    return home


@pytest.fixture
def placed(home, tmp_path):
    models_dir = tmp_path / "deskseek" / "models"
    return models_dir, build_home(home, models_dir)


def test_every_app_s_models_are_found_once_each(placed):
    models_dir, where = placed
    found = find_models(locations.all_locations(models_dir, []))
    by_path = {f.path: f for f in found}
    assert set(by_path) == {str(p) for p in where.values()}, "the .part file and later shards are not models"
    assert by_path[str(where["own"])].own and by_path[str(where["split"])].own
    assert [f.source for f in found if not f.own] == [
        locations.HF_CACHE, locations.HF_CACHE, locations.LM_STUDIO, locations.GPT4ALL, locations.JAN,
        locations.OLLAMA]
    assert by_path[str(where["ollama"])].name == "smollm2:135m"
    assert by_path[str(where["hf_gguf"])].name == "bartowski/SmolLM2-135M-Instruct-GGUF/SmolLM2-135M-Instruct-Q4_1.gguf"
    assert by_path[str(where["hf_folder"])].name == "tiny/llama"


def test_each_model_is_described_from_its_header_with_the_planner_s_verdict(placed):
    models_dir, where = placed
    models = {m.path: m for m in scan_library(models_dir, [], LAPTOP)}
    smol = models[str(where["ollama"])]
    assert (smol.arch, smol.quant, smol.fits) == ("llama", "Q4_1", True)
    assert smol.size_bytes == where["ollama"].stat().st_size
    assert smol.plan.device == "cpu" and smol.verdict == smol.plan.reason
    split = models[str(where["split"])]
    shards = sorted(p for p in where["split"].parent.iterdir())
    assert split.size_bytes == sum(p.stat().st_size for p in shards) and split.fits
    assert models[str(where["hf_folder"])].quant in ("F32", "float32", "F16", "BF16")


def test_a_model_that_does_not_fit_says_why(placed):
    _models_dir, where = placed
    from app.models.library import Found
    m = describe(Found(str(where["gpt4all"]), "smol", locations.GPT4ALL, False),
                 HardwareInfo((), 1 * GB, 0, 1, 1, False))
    assert not m.fits and m.plan is None and m.verdict


def test_a_split_model_missing_a_shard_is_listed_with_the_reason(placed):
    models_dir, where = placed
    shards = sorted(where["split"].parent.iterdir())
    shards[1].unlink()
    m = next(m for m in scan_library(models_dir, [], LAPTOP) if m.path == str(where["split"]))
    assert not m.fits and f"{shards[1].name} of {len(shards)} is missing" in m.error


def test_environment_variables_move_the_caches(home, tmp_path, monkeypatch):
    hub = tmp_path / "elsewhere" / "hub"
    monkeypatch.setenv("HF_HUB_CACHE", str(hub))
    monkeypatch.setenv("OLLAMA_MODELS", str(tmp_path / "ollama-models"))
    from tests.models.layouts import hf_cache, ollama
    hf_cache(hub, "o/r-GGUF", "f.gguf")
    ollama(tmp_path / "ollama-models", "deepseek-r1", "1.5b")
    found = find_models(locations.other_apps())
    assert [f.name for f in found] == ["o/r-GGUF/f.gguf", "deepseek-r1:1.5b"]
    monkeypatch.delenv("HF_HUB_CACHE")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "elsewhere"))
    assert locations.hf_hub_cache(os.environ, home) == hub


def test_only_the_current_snapshot_of_a_cached_repo_is_listed(home):
    from tests.models.layouts import hf_cache
    cache = home / ".cache" / "huggingface" / "hub"
    hf_cache(cache, "o/r-GGUF", "new.gguf", commit="new")
    old = cache / "models--o--r-GGUF" / "snapshots" / "old" / "old.gguf"
    place(old)
    assert [f.name for f in find_models(locations.other_apps())] == ["o/r-GGUF/new.gguf"]


def test_folders_the_user_adds_are_kept_in_the_store_and_scanned(home, tmp_path):
    store = open_store(tmp_path / "db.sqlite3")
    try:
        mine = tmp_path / "my models"
        place(mine / "deep" / "a.gguf")
        assert add_user_folder(store, str(tmp_path / "nope")) == f"{tmp_path / 'nope'} is not a folder."
        assert add_user_folder(store, str(mine)) is None
        assert add_user_folder(store, str(mine)) is None  # once only
        assert user_folders(store) == [str(mine)]
        found = find_models(locations.all_locations(tmp_path / "own", user_folders(store)))
        assert [(f.name, f.source, f.own) for f in found] == [("a.gguf", locations.USER, False)]
    finally:
        store.close()


def test_deskseek_deletes_its_own_files_and_refuses_others(placed):
    models_dir, where = placed
    found = {f.path: f for f in find_models(locations.all_locations(models_dir, []))}
    shards = sorted(where["split"].parent.iterdir())
    assert sorted(delete_model(found[str(where["split"])], models_dir)) == [str(p) for p in shards]
    assert not any(p.exists() for p in shards)
    for key in ("ollama", "hf_gguf", "lmstudio"):
        with pytest.raises(DeleteRefused, match="DeskSeek deletes only the models it downloaded"):
            delete_model(found[str(where[key])], models_dir)
        assert where[key].exists()
    assert json.loads((where["ollama"].parents[1] / "manifests" / "registry.ollama.ai" / "library" / "smollm2"
                       / "135m").read_text())["layers"]


def test_a_link_out_of_deskseek_s_folder_is_not_followed_to_delete(placed, tmp_path):
    models_dir, where = placed
    outside = place(tmp_path / "outside" / "keep.gguf")
    link = models_dir / "link.gguf"
    link.symlink_to(outside)
    entry = next(f for f in find_models(locations.all_locations(models_dir, [])) if f.path == str(link))
    with pytest.raises(DeleteRefused):
        delete_model(entry, models_dir)
    assert outside.exists()
