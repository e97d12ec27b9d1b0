"""The Hub client against the fake Hub: search, files with size and sha256, and its sentences."""
from __future__ import annotations

import hashlib

import keyring
import pytest
from keyring.backends import fail

from app.models.endpoint import DEFAULT_ENDPOINT, resolve_endpoint, save_endpoint_setting, endpoint_setting
from app.models.errors import HubError
from app.models.hub import HubClient
from app.models.tokens import forget_token, load_token, save_token
from tests.hubfake import SMOLLM2_REPO
from tests.models.file_keyring import FileKeyring


@pytest.fixture
def file_keyring(tmp_path):
    previous = keyring.get_keyring()
    ring = FileKeyring(tmp_path / "keyring.json")
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(previous)


def test_endpoint_order_explicit_setting_environment_default():
    env = {"HF_ENDPOINT": "https://hf-mirror.com/"}
    assert resolve_endpoint("http://a.example", "http://b.example", env) == "http://a.example"
    assert resolve_endpoint(None, "http://b.example/", env) == "http://b.example"
    assert resolve_endpoint(None, "", env) == "https://hf-mirror.com"
    assert resolve_endpoint(None, None, {}) == DEFAULT_ENDPOINT
    with pytest.raises(HubError, match="not a web address"):
        resolve_endpoint("hf-mirror.com", None, {})


def test_endpoint_setting_lives_in_the_store(tmp_path):
    from app.store import open_store

    store = open_store(tmp_path / "db.sqlite3")
    try:
        save_endpoint_setting(store, "https://hf-mirror.com/")
        assert resolve_endpoint(None, endpoint_setting(store), {}) == "https://hf-mirror.com"
        with pytest.raises(HubError):
            save_endpoint_setting(store, "ftp://x")
        assert endpoint_setting(store) == "https://hf-mirror.com"  # a bad value loses nothing
        save_endpoint_setting(store, "")
        assert resolve_endpoint(None, endpoint_setting(store), {}) == DEFAULT_ENDPOINT
    finally:
        store.close()


def test_search_and_files_with_size_and_sha256(smollm2_hub):
    client = HubClient(smollm2_hub.url, token=False)
    assert [r.repo_id for r in client.search("SmolLM2")] == [SMOLLM2_REPO]
    assert client.search("deepseek") == []
    listing = client.repo_files(SMOLLM2_REPO)
    (f,) = listing.files
    source = smollm2_hub.repos[SMOLLM2_REPO].files[f.path].source
    assert (f.size, f.sha256) == (source.stat().st_size, hashlib.sha256(source.read_bytes()).hexdigest())
    assert listing.revision == smollm2_hub.repos[SMOLLM2_REPO].sha


def test_clear_sentences_for_missing_unreachable_gated_and_bad_token(fake_hub, tmp_path, file_keyring):
    (tmp_path / "m.gguf").write_bytes(b"GGUF")
    fake_hub.add_repo("org/gated", folder=tmp_path, gated="manual")
    client = HubClient(fake_hub.url)
    with pytest.raises(HubError, match="the repository org/nothing does not exist"):
        client.repo_files("org/nothing")
    with pytest.raises(HubError, match="org/gated is gated: accept the model's terms"):
        client.locate("org/gated", "m.gguf")
    with pytest.raises(HubError, match="not a repository name"):
        client.repo_files("just-a-name")
    with pytest.raises(HubError, match="refused the Hugging Face token"):
        HubClient(fake_hub.url, token="hf_wrong").repo_files("org/gated")
    fake_hub.tokens.add("hf_right")
    save_token(fake_hub.url, "hf_right")  # the keyring's token is used when none is given
    assert HubClient(fake_hub.url).locate("org/gated", "m.gguf").size == 4
    url = fake_hub.url
    fake_hub.stop()
    with pytest.raises(HubError, match="cannot be reached"):
        client.search("x")


def test_token_kept_in_the_keyring_per_host(file_keyring, tmp_path):
    save_token("https://huggingface.co", "hf_abc")
    assert load_token("https://huggingface.co/") == "hf_abc"
    assert load_token("https://hf-mirror.com") is None
    assert "hf_abc" in file_keyring.path.read_text()
    assert forget_token("https://huggingface.co") and load_token("https://huggingface.co") is None
    with pytest.raises(HubError, match="empty"):
        save_token("https://huggingface.co", "  ")


def test_without_a_keyring_no_token_and_a_sentence():
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        assert load_token("https://huggingface.co") is None
        with pytest.raises(HubError, match="no usable keyring"):
            save_token("https://huggingface.co", "hf_abc")
    finally:
        keyring.set_keyring(previous)
