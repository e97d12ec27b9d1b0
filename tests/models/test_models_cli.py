"""`deskseek models search|files|login` and `deskseek plan hf://…`, run as real processes against
the fake Hub, with a file keyring and DESKSEEK_HOME in a temp folder."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hubfake import SMOLLM2_REPO, sparse_gguf
from tests.models.file_keyring import ENV as KEYRING_ENV

V3_REPO = "unsloth/DeepSeek-V3-GGUF"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def v3(tmp_path_factory):
    return sparse_gguf.write_deepseek(tmp_path_factory.mktemp("v3"), "Q4_K_M")


@pytest.fixture
def hub(smollm2_hub, v3):
    smollm2_hub.add_sparse(V3_REPO, v3, folder_in_repo="Q4_K_M")
    return smollm2_hub


@pytest.fixture
def run(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "HF_ENDPOINT"}
    env |= {"DESKSEEK_HOME": str(tmp_path / "home"), "PYTHONPATH": str(ROOT),
            KEYRING_ENV: str(tmp_path / "keyring.json"),
            "PYTHON_KEYRING_BACKEND": "tests.models.file_keyring.FileKeyring"}

    def run(*args: str, stdin: str = "", **extra_env: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "app", *args], input=stdin, capture_output=True,
                              text=True, env=env | extra_env, cwd=ROOT, timeout=120)
    return run


def test_search_lists_matching_gguf_repos(hub, run):
    r = run("models", "search", "deepseek", "--endpoint", hub.url)
    assert r.returncode == 0 and r.stdout.split()[0] == V3_REPO and SMOLLM2_REPO not in r.stdout
    r = run("models", "search", "smol", HF_ENDPOINT=hub.url)  # HF_ENDPOINT is honoured
    assert r.returncode == 0 and SMOLLM2_REPO in r.stdout


def test_files_json_for_a_described_machine(hub, run):
    r = run("models", "files", V3_REPO, "--gpu", "RTX 4090:24GiB", "--ram", "512GiB", "--cores", "16",
            "--json", "--endpoint", hub.url)
    assert r.returncode == 0, r.stderr
    (item,) = json.loads(r.stdout)
    assert item["path"] == "Q4_K_M/DeepSeek-V3-Q4_K_M-00001-of-00009.gguf" and item["quant"] == "Q4_K_M"
    assert item["size_bytes"] > 400 * 10**9 and item["fits"] is True and item["recommended"] is True
    assert item["plan"].startswith("on RTX 4090, experts of") and "tok/s" in item["plan"]
    assert len(item["files"]) == 9 and item["reason"]
    r = run("models", "files", V3_REPO, "--gpu", "RTX 4090:24GiB", "--ram", "64GiB", "--json",
            "--endpoint", hub.url)
    (item,) = json.loads(r.stdout)
    assert item["fits"] is False and item["plan"] is None and "does not fit" in item["reason"]


def test_files_table_marks_the_recommended_file(hub, run):
    r = run("models", "files", SMOLLM2_REPO, "--no-gpu", "--ram", "8GiB", "--cores", "4", "--endpoint", hub.url)
    assert r.returncode == 0, r.stderr
    assert "★ Q4_1" in r.stdout and "fits: CPU only, 4 threads" in r.stdout


def test_plan_hf_uri_from_the_header(hub, run):
    uri = f"hf://{V3_REPO}/Q4_K_M/DeepSeek-V3-Q4_K_M-00001-of-00009.gguf"
    r = run("plan", uri, "--gpu", "RTX 4090:24GiB", "--ram", "512GiB", "--cores", "16", "--endpoint", hub.url)
    assert r.returncode == 0, r.stderr
    assert "DeepSeek V3 — deepseek2, 671.03B parameters, 256 experts" in r.stdout and "Plan 1: llama_cpp" in r.stdout
    r = run("plan", uri, "--gpu", "RTX 4090:24GiB", "--ram", "64GiB", "--json", "--endpoint", hub.url)
    assert r.returncode == 2 and json.loads(r.stdout)["plans"] == []


def test_errors_are_sentences_with_a_nonzero_exit(hub, run, tmp_path):
    r = run("models", "files", "nobody/nothing", "--endpoint", hub.url)
    assert r.returncode == 1 and "does not exist" in r.stderr and "Traceback" not in r.stderr
    r = run("models", "search", "x", "--endpoint", "http://127.0.0.1:9")
    assert r.returncode == 1 and "cannot be reached" in r.stderr
    r = run("plan", "hf://no-path", "--endpoint", hub.url)
    assert r.returncode == 1 and "hf://OWNER/REPO/PATH.gguf" in r.stderr


def test_login_keeps_the_token_for_a_gated_repo(hub, run, tmp_path):
    hub.repos[V3_REPO].gated = "manual"
    hub.tokens.add("hf_secret")
    args = ("models", "files", V3_REPO, "--gpu", "RTX 4090:24GiB", "--ram", "512GiB", "--endpoint", hub.url)
    r = run(*args)
    assert r.returncode == 1 and "is gated" in r.stderr
    r = run("models", "login", "--endpoint", hub.url, stdin="hf_secret\n")
    assert r.returncode == 0 and "hf_secret" not in r.stdout + r.stderr
    assert run(*args).returncode == 0
    assert "hf_secret" not in "".join(p.read_text(errors="replace") for p in (tmp_path / "home").rglob("*")
                                      if p.is_file())
    assert "hf_secret" in (tmp_path / "keyring.json").read_text()  # the test's stand-in OS keyring
    assert run("models", "logout", "--endpoint", hub.url).returncode == 0
    assert "hf_secret" not in (tmp_path / "keyring.json").read_text()


def test_last_resort_mapped_from_disk_with_a_described_or_measured_disk(hub, run, tmp_path):
    args = ("models", "files", V3_REPO, "--gpu", "RTX 4090:24GiB", "--ram", "384GiB", "--cores", "16",
            "--json", "--endpoint", hub.url)
    r = run(*args, "--disk-speed", "7GB/s", "--bandwidth", "200GB/s")
    (item,) = json.loads(r.stdout)
    assert item["fits"] is True and "mapped from disk (last resort)" in item["plan"]
    assert item["reason"].startswith("Last resort:") and "7.0 GB/s" in item["reason"]
    r = run(*args)  # this machine's models disk, measured once and kept in the cache
    (item,) = json.loads(r.stdout)
    assert item["fits"] is True and "GB/s this disk reads" in item["reason"]
    measured = json.loads((tmp_path / "home" / "cache" / "disk-speed.json").read_text())
    assert list(measured.values())[0]["bytes_per_s"] > 0


def test_the_endpoint_setting_in_deskseeks_database_is_used(hub, run, tmp_path):
    from app.models.endpoint import save_endpoint_setting
    from app.store import open_store

    (tmp_path / "home").mkdir(exist_ok=True)
    store = open_store(tmp_path / "home" / "deskseek.sqlite3")
    save_endpoint_setting(store, hub.url)
    store.close()
    r = run("models", "search", "smol")  # no --endpoint, no HF_ENDPOINT: the setting
    assert r.returncode == 0 and SMOLLM2_REPO in r.stdout
    r = run("models", "search", "smol", "--endpoint", "http://127.0.0.1:9")  # explicit wins
    assert r.returncode == 1 and "127.0.0.1:9 cannot be reached" in r.stderr
