"""Planning a model on the Hub from its header alone: shards as one model, the recommended file,
the same description as the file on disk, a few MB read whatever the size, a cache on disk."""
from __future__ import annotations

from dataclasses import replace

import pytest

from app.models.errors import HubError
from app.models.hub import HubClient
from app.models.remote_header import HeaderCache
from app.models.remote_plan import parse_uri, plan_repo, plan_uri
from runtime.hardware import GpuInfo, HardwareInfo
from runtime.modelfile import inspect
from tests.hubfake import sparse_gguf

GiB = 2**30
V3_REPO, LITE_REPO = "unsloth/DeepSeek-V3-GGUF", "someone/DeepSeek-V2-Lite-Chat-GGUF"


def machine(gpu_gib: int, ram_gib: int, cores: int = 16) -> HardwareInfo:
    gpus = (GpuInfo(0, "RTX 4090", gpu_gib * GiB, gpu_gib * GiB * 31 // 32, (8, 9), "GPU-t", 1e12),) if gpu_gib else ()
    return HardwareInfo(gpus, ram_gib * GiB, ram_gib * GiB * 9 // 10, cores, cores, bool(gpu_gib))


@pytest.fixture(scope="module")
def sparse(tmp_path_factory):
    root = tmp_path_factory.mktemp("sparse")
    return {"v3": sparse_gguf.write_deepseek(root / "v3", "Q4_K_M"),
            "lite_q4": sparse_gguf.write_deepseek(root / "q4", "Q4_K_M", sparse_gguf.V2_LITE, split=False),
            "lite_q8": sparse_gguf.write_deepseek(root / "q8", "Q8_0", sparse_gguf.V2_LITE, split=False)}


@pytest.fixture
def hub(fake_hub, sparse, tmp_path):
    fake_hub.add_sparse(V3_REPO, sparse["v3"], folder_in_repo="Q4_K_M")
    fake_hub.add_sparse(LITE_REPO, sparse["lite_q4"])
    fake_hub.add_sparse(LITE_REPO, sparse["lite_q8"])
    (tmp_path / "README.md").write_text("# model card")
    (tmp_path / "mmproj-F16.gguf").write_bytes(b"GGUF" + bytes(100))  # a vision projector: not listed
    fake_hub.add_repo(LITE_REPO, folder=tmp_path)
    return fake_hub


def test_shards_are_one_model_and_the_planners_first_choice_is_recommended(hub):
    result = plan_repo(HubClient(hub.url, token=False), LITE_REPO, machine(24, 64))
    assert [v.quant for v in result.verdicts] == ["Q4_K_M", "Q8_0"]  # smallest first, no mmproj
    assert all(v.fits for v in result.verdicts)
    assert result.recommended.quant == "Q8_0"  # both fit whole: the planner prefers the more precise
    assert result.recommended.summary.startswith("all 27 layers on RTX 4090")
    small = plan_repo(HubClient(hub.url, token=False), LITE_REPO, machine(12, 64))
    assert small.recommended.quant == "Q4_K_M"  # only Q4_K_M fits a 12 GiB GPU whole

    v3 = plan_repo(HubClient(hub.url, token=False), V3_REPO, machine(24, 384))
    (verdict,) = v3.verdicts
    assert verdict.model.path == "Q4_K_M/DeepSeek-V3-Q4_K_M-00001-of-00009.gguf"
    assert len(verdict.model.files) == 9 and verdict.model.size_bytes == verdict.info.file_bytes
    assert verdict.info.n_params > 670e9


def test_remote_header_gives_the_same_description_as_the_file_on_disk(hub, sparse):
    info, _ = plan_uri(HubClient(hub.url, token=False),
                       f"hf://{V3_REPO}/Q4_K_M/DeepSeek-V3-Q4_K_M-00003-of-00009.gguf", machine(24, 384))
    local = inspect(str(sparse["v3"].files[0]))
    assert replace(info, path=local.path, files=local.files) == local


def test_planning_reads_only_the_headers_then_the_cache(hub, tmp_path):
    client, cache = HubClient(hub.url, token=False), HeaderCache(tmp_path / "cache")
    hub.reset_log()
    first = plan_repo(client, V3_REPO, machine(24, 384), cache=cache)
    cdn = [r for r in hub.requests if r.server == "cdn"]
    assert all(r.status == 206 and r.range for r in cdn)
    served = hub.bytes_served()
    assert served <= 16 * 10**6, served  # the goal: a few MB for a 405 GB model
    assert first.bytes_fetched == hub.bytes_served("cdn")
    assert first.verdicts[0].model.size_bytes > 400 * 10**9
    cached = sorted(p.name for p in (tmp_path / "cache" / "gguf-headers").iterdir())
    assert len(cached) == 18 and first.verdicts[0].model.files[0].sha256 + ".bin" in cached
    hub.reset_log()
    again = plan_repo(client, V3_REPO, machine(24, 384), cache=cache)
    assert again.bytes_fetched == 0 and not [r for r in hub.requests if r.server == "cdn"]
    assert again.verdicts[0].info == first.verdicts[0].info


def test_a_broken_file_is_reported_and_the_others_still_planned(hub, tmp_path):
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "model-Q5_K_M.gguf").write_bytes(b"GGUF" + bytes(4000))
    hub.add_repo(LITE_REPO, folder=tmp_path / "broken")
    result = plan_repo(HubClient(hub.url, token=False), LITE_REPO, machine(24, 64))
    broken = next(v for v in result.verdicts if v.model.path == "model-Q5_K_M.gguf")
    assert not broken.fits and "GGUF version 0" in broken.reason and broken.info is None
    assert result.recommended.quant == "Q8_0"


def test_gated_repo_and_bad_uri_say_so(hub):
    hub.repos[LITE_REPO].gated = "manual"
    with pytest.raises(HubError, match="is gated"):
        plan_repo(HubClient(hub.url, token=False), LITE_REPO, machine(24, 64))
    with pytest.raises(HubError, match="hf://OWNER/REPO/PATH.gguf"):
        parse_uri("hf://only/repo")
    with pytest.raises(HubError, match="has no GGUF model file"):
        plan_uri(HubClient(hub.url, token=False), f"hf://{V3_REPO}/nope.gguf", machine(24, 384))


def test_the_cdn_going_away_mid_listing_is_a_sentence_naming_it(hub):
    hub.stop_cdn()
    with pytest.raises(HubError, match=r"Reading the header of .* failed: 127\.0\.0\.1:\d+ cannot be reached") as err:
        plan_repo(HubClient(hub.url, token=False), LITE_REPO, machine(24, 64))
    assert hub.url.split(":")[-1] not in str(err.value)  # the CDN's port, not the Hub's
