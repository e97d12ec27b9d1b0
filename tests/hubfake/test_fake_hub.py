"""The fake Hub answers as huggingface_hub expects, serves real bytes, and injects its faults."""
from __future__ import annotations

import hashlib
import http.client
import os
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from huggingface_hub import HfApi, get_hf_file_metadata, hf_hub_download, hf_hub_url
from huggingface_hub.errors import (GatedRepoError, RemoteEntryNotFoundError, RepositoryNotFoundError,
                                    RevisionNotFoundError)

from runtime.default_model import FILENAME
from runtime.modelfile import inspect
from runtime.modelfile.gguf_file import read_gguf
from tests.hubfake import SMOLLM2_REPO, sparse_gguf


def _get(url: str, range_: str | None = None) -> tuple[int, dict, bytes]:
    req = urllib.request.Request(url, headers={"Range": range_} if range_ else {})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def _cdn_url(hub, repo: str, path: str) -> str:
    return get_hf_file_metadata(hf_hub_url(repo, path, endpoint=hub.url), token=False).location


def test_huggingface_hub_reads_search_info_tree_and_metadata(smollm2_hub):
    hub, api = smollm2_hub, HfApi(endpoint=smollm2_hub.url, token=False)
    real = hub.repos[SMOLLM2_REPO].files[FILENAME].source
    sha = hashlib.sha256(real.read_bytes()).hexdigest()
    assert [m.id for m in api.list_models(search="smollm2", filter="gguf")] == [SMOLLM2_REPO]
    assert list(api.list_models(search="no-such-model")) == []
    info = api.model_info(SMOLLM2_REPO, files_metadata=True)
    (sib,) = info.siblings
    assert (sib.rfilename, sib.size, sib.lfs.sha256, sib.lfs.size) == (FILENAME, real.stat().st_size, sha,
                                                                       real.stat().st_size)
    (entry,) = api.list_repo_tree(SMOLLM2_REPO, recursive=True)
    assert (entry.path, entry.size, entry.lfs.sha256) == (FILENAME, real.stat().st_size, sha)
    meta = get_hf_file_metadata(hf_hub_url(SMOLLM2_REPO, FILENAME, endpoint=hub.url), token=False)
    assert (meta.commit_hash, meta.etag, meta.size) == (info.sha, sha, real.stat().st_size)
    assert meta.location.startswith(hub.cdn_url)  # the 302 to another host is not followed


def test_hf_hub_download_through_the_cdn_gets_the_real_file(smollm2_hub, tmp_path):
    path = hf_hub_download(SMOLLM2_REPO, FILENAME, endpoint=smollm2_hub.url, cache_dir=tmp_path, token=False)
    real = smollm2_hub.repos[SMOLLM2_REPO].files[FILENAME].source
    assert Path(path).read_bytes() == real.read_bytes()


def test_errors_take_the_hubs_shape(fake_hub, tmp_path):
    (tmp_path / "README.md").write_text("hello")
    fake_hub.add_repo("org/gated", folder=tmp_path, gated="manual")
    api = HfApi(endpoint=fake_hub.url, token=False)
    with pytest.raises(RepositoryNotFoundError):
        api.model_info("no/such")
    with pytest.raises(RevisionNotFoundError):
        list(api.list_repo_tree("org/gated", revision="v9"))
    with pytest.raises(RemoteEntryNotFoundError):
        get_hf_file_metadata(hf_hub_url("org/gated", "nope.gguf", endpoint=fake_hub.url), token=False)
    with pytest.raises(GatedRepoError):
        get_hf_file_metadata(hf_hub_url("org/gated", "README.md", endpoint=fake_hub.url), token=False)
    fake_hub.tokens.add("hf_ok")
    meta = get_hf_file_metadata(hf_hub_url("org/gated", "README.md", endpoint=fake_hub.url), token="hf_ok")
    assert meta.size == 5
    status, headers, body = _get(f"{fake_hub.url}/api/models/no/such")
    assert (status, headers["X-Error-Code"], body) == (404, "RepoNotFound", b'{"error": "Repository not found"}')


def test_ranges_and_byte_counts(smollm2_hub):
    hub = smollm2_hub
    url = _cdn_url(hub, SMOLLM2_REPO, FILENAME)
    real = hub.repos[SMOLLM2_REPO].files[FILENAME].source.read_bytes()
    hub.reset_log()
    status, headers, body = _get(url, "bytes=100-199")
    assert (status, headers["Content-Range"], body) == (206, f"bytes 100-199/{len(real)}", real[100:200])
    assert _get(url, "bytes=-10")[2] == real[-10:]
    status, headers, _ = _get(url, f"bytes={len(real)}-")
    assert (status, headers["Content-Range"]) == (416, f"bytes */{len(real)}")
    assert hub.bytes_served("cdn") == 110
    assert [r.status for r in hub.requests] == [206, 206, 416]


def test_faults_cut_corrupt_fail_expire(smollm2_hub):
    hub = smollm2_hub
    url = _cdn_url(hub, SMOLLM2_REPO, FILENAME)
    real = hub.repos[SMOLLM2_REPO].files[FILENAME].source.read_bytes()
    hub.faults.cut_after(1000, times=1)
    with pytest.raises(http.client.IncompleteRead) as cut:
        _get(url, "bytes=0-99999")
    assert len(cut.value.partial) == 1000
    assert _get(url, "bytes=0-99999")[2] == real[:100000]  # once only
    hub.faults.corrupt(offset=50)
    body = _get(url, "bytes=0-99")[2]
    assert body[50] == real[50] ^ 0xFF and body[:50] == real[:50]
    hub.faults.clear()
    hub.faults.fail_status(503, times=1)
    assert _get(url, "bytes=0-9")[0] == 503
    assert _get(url, "bytes=0-9")[0] == 206
    hub.faults.expire_urls()
    assert _get(url, "bytes=0-9")[0] == 403
    assert _get(_cdn_url(hub, SMOLLM2_REPO, FILENAME), "bytes=0-9")[0] == 206


def test_stop_and_restart_on_the_same_ports(smollm2_hub):
    hub = smollm2_hub
    url = f"{hub.url}/api/models/{SMOLLM2_REPO}"
    assert _get(url)[0] == 200
    hub.stop()
    with pytest.raises(urllib.error.URLError):
        _get(url)
    hub.restart()
    assert _get(url)[0] == 200


def test_sparse_deepseek_v3_is_header_true_and_mostly_a_hole(tmp_path):
    model = sparse_gguf.write_deepseek(tmp_path, "Q4_K_M")
    names = [f.name for f in model.files]
    assert names[0] == "DeepSeek-V3-Q4_K_M-00001-of-00009.gguf" and len(names) == 9
    info = inspect(str(model.files[0]))
    assert (info.arch, info.n_layers, info.n_experts, info.n_experts_used) == ("deepseek2", 61, 256, 8)
    assert 670e9 < info.n_params < 672e9 and info.dtype == "Q4_K_M"
    assert info.file_bytes == model.claimed_bytes > 370 * 2**30
    on_disk = sum(os.stat(f).st_blocks * 512 for f in model.files)
    assert on_disk < 16 * 2**20
    for i, f in enumerate(model.files):
        meta = read_gguf(str(f)).metadata if i == 0 else _shard_meta(f)
        assert (meta["split.no"], meta["split.count"], meta["split.tensors.count"]) == (i, 9, model.n_tensors)


def _shard_meta(path: Path) -> dict:
    from gguf import GGUFReader

    return {k: v.contents() for k, v in GGUFReader(str(path)).fields.items() if k.startswith("split.")}
