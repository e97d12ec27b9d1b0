"""`deskseek pull` as a user runs it: a real process against the fake Hub on 127.0.0.1."""
import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.models.partial import part_path, sidecar_path
from runtime.default_model import FILENAME, default_model_path
from runtime.modelfile import inspect
from tests.fixtures.models import tiny
from tests.hubfake import SMOLLM2_REPO

ROOT = Path(__file__).resolve().parents[2]


def deskseek(*args, home: Path, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True,
                          env=_env(home), timeout=120, **kw)


def _env(home: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "HF_ENDPOINT"}
    return env | {"DESKSEEK_HOME": str(home), "PYTHONPATH": str(ROOT)}


def sha256(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def test_pull_by_quant_prints_the_path_last_and_the_file_opens(smollm2_hub, tmp_path):
    run = deskseek("pull", f"{SMOLLM2_REPO}:q4_1", "--endpoint", smollm2_hub.url, home=tmp_path)
    assert run.returncode == 0, run.stderr
    path = Path(run.stdout.splitlines()[-1])
    assert path == tmp_path / "models" / SMOLLM2_REPO / FILENAME  # under DESKSEEK_HOME's models folder
    assert sha256(path) == sha256(default_model_path())
    assert inspect(str(path)).arch == "llama"
    assert "100.0%" in run.stderr  # progress on stderr


def test_hf_endpoint_and_dir_are_honoured_and_a_bare_repo_gets_its_recommended_file(smollm2_hub, tmp_path):
    env = _env(tmp_path) | {"HF_ENDPOINT": smollm2_hub.url}
    run = subprocess.run([sys.executable, "-m", "app", "pull", SMOLLM2_REPO, "--dir", str(tmp_path / "elsewhere")],
                         capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[-1] == str(tmp_path / "elsewhere" / SMOLLM2_REPO / FILENAME)


def test_killed_mid_download_then_run_again_fetches_only_the_rest(smollm2_hub, tmp_path):
    dest = tmp_path / "models" / SMOLLM2_REPO / FILENAME
    smollm2_hub.faults.throttle(15e6)
    args = [sys.executable, "-m", "app", "pull", f"{SMOLLM2_REPO}/{FILENAME}", "--endpoint", smollm2_hub.url]
    proc = subprocess.Popen(args, env=_env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while not (part_path(dest).exists() and part_path(dest).stat().st_size > 10 << 20):
            assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read() if proc.poll() else ""
            time.sleep(0.02)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
    have = part_path(dest).stat().st_size
    first_run = smollm2_hub.bytes_served("cdn")
    assert not dest.exists() and sidecar_path(dest).exists() and have < dest_size()

    smollm2_hub.faults.clear()
    smollm2_hub.reset_log()
    run = deskseek("pull", f"{SMOLLM2_REPO}/{FILENAME}", "--endpoint", smollm2_hub.url, home=tmp_path)
    assert run.returncode == 0, run.stderr
    assert sha256(run.stdout.splitlines()[-1]) == sha256(default_model_path())
    ranges = [r.range for r in smollm2_hub.requests if r.server == "cdn"]
    assert ranges == [f"bytes={have}-"]
    assert smollm2_hub.bytes_served("cdn") == dest_size() - have  # only the rest
    assert first_run + smollm2_hub.bytes_served("cdn") < dest_size() + (16 << 20)  # not twice


def dest_size() -> int:
    return default_model_path().stat().st_size


def test_a_checksum_mismatch_exits_non_zero_and_leaves_nothing(smollm2_hub, tmp_path):
    smollm2_hub.faults.corrupt(offset=5_000_000)
    run = deskseek("pull", f"{SMOLLM2_REPO}:Q4_1", "--endpoint", smollm2_hub.url, home=tmp_path)
    assert run.returncode == 1
    assert "failed its checksum" in run.stderr and run.stdout == ""
    folder = tmp_path / "models" / SMOLLM2_REPO
    assert list(folder.iterdir()) == []


def test_a_missing_repo_and_a_missing_quant_are_sentences(smollm2_hub, tmp_path):
    run = deskseek("pull", "nobody/nothing", "--endpoint", smollm2_hub.url, home=tmp_path)
    assert run.returncode == 1 and "the repository nobody/nothing does not exist" in run.stderr
    assert "Traceback" not in run.stderr
    run = deskseek("pull", f"{SMOLLM2_REPO}:Q8_0", "--endpoint", smollm2_hub.url, home=tmp_path)
    assert run.returncode == 1 and "has no Q8_0 model. It has: Q4_1." in run.stderr


def test_server_gone(smollm2_hub, tmp_path):
    url = smollm2_hub.url
    smollm2_hub.stop()
    run = deskseek("pull", f"{SMOLLM2_REPO}:Q4_1", "--endpoint", url, home=tmp_path)
    assert run.returncode == 1 and "cannot be reached" in run.stderr


def test_a_full_disk_is_refused_with_the_numbers(smollm2_hub, tmp_path):
    folder = tmp_path / "small"
    folder.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(folder)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        run = deskseek("pull", f"{SMOLLM2_REPO}:Q4_1", "--endpoint", smollm2_hub.url, "--dir", str(folder),
                       home=tmp_path)
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)
    assert run.returncode == 1
    assert "Not enough free disk space" in run.stderr and "93.8 MiB still to download" in run.stderr
    assert "has 2.00 MiB free" in run.stderr
    assert smollm2_hub.bytes_served("cdn") == 0


def test_pulling_one_shard_of_a_split_gguf_pulls_them_all(fake_hub, tmp_path):
    shards = tmp_path / "repo"
    shards.mkdir()
    tiny.write_gguf(shards / "tiny-Q8_0.gguf", n_layers=4, split_max_tensors=4)
    names = sorted(p.name for p in shards.iterdir())
    assert len(names) > 2 and names[0].endswith("-00001-of-%05d.gguf" % len(names))
    fake_hub.add_repo("me/tiny-GGUF", folder=shards)
    run = deskseek("pull", "me/tiny-GGUF:Q8_0", "--endpoint", fake_hub.url, home=tmp_path / "home")
    assert run.returncode == 0, run.stderr
    first = Path(run.stdout.splitlines()[-1])
    assert first.name == names[0]
    assert sorted(p.name for p in first.parent.iterdir()) == names
    assert len(inspect(str(first)).files) == len(names)
    run = deskseek("pull", f"me/tiny-GGUF/{names[-1]}", "--endpoint", fake_hub.url, home=tmp_path / "home")
    assert run.returncode == 0 and run.stdout.splitlines()[-1] == str(first)  # any shard names the model


def test_ctrl_c_stops_with_a_sentence_and_keeps_the_partial(smollm2_hub, tmp_path):
    dest = tmp_path / "models" / SMOLLM2_REPO / FILENAME
    smollm2_hub.faults.throttle(15e6)
    # Ctrl-C's default disposition in the child, as in a terminal: a test run started in the
    # background by a shell (`pytest &`) ignores SIGINT, the child would inherit that, and Python
    # installs no KeyboardInterrupt for a signal ignored at its start (the pull then just finished).
    proc = subprocess.Popen([sys.executable, "-m", "app", "pull", f"{SMOLLM2_REPO}/{FILENAME}", "--endpoint",
                             smollm2_hub.url], env=_env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        deadline = time.monotonic() + 60
        while not (part_path(dest).exists() and part_path(dest).stat().st_size > 5 << 20):
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.02)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 130 and out == ""
    assert "stopped; the partial file is kept: run the same command again to continue" in err
    assert part_path(dest).stat().st_size > 5 << 20 and sidecar_path(dest).exists() and not dest.exists()
