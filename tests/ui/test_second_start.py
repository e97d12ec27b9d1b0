"""The history survives what a user does around a running window, in real processes.

A document attached (its reader opens and closes a second connection), a second DeskSeek started on
the same data folder, the sqlite3 shell reading the file, the command line used beside the window:
then kill -9, and every message the window had committed is in the file.
"""
from __future__ import annotations

import os
import selectors
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.store import open_store
from app.ui.single_instance import LOCK_NAME

ROOT = Path(__file__).resolve().parents[2]
LINE_TIMEOUT_S = 180  # the embedded model loads on a busy 2-core machine


def _env(home: Path) -> dict:
    return {**os.environ, "PYTHONPATH": str(ROOT), "DESKSEEK_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}


def _window(home: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tests.ui.window_process"], cwd=ROOT, env=_env(home),
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _line(proc: subprocess.Popen, expect: str) -> list[str]:
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        if not sel.select(LINE_TIMEOUT_S):
            proc.kill()
            pytest.fail(f"no {expect!r} line within {LINE_TIMEOUT_S} s: {proc.stderr.read()[-3000:]}")
    words = proc.stdout.readline().split()
    if not words or words[0] != expect:
        proc.kill()
        pytest.fail(f"expected {expect!r}, got {words}: {proc.stderr.read()[-3000:]}")
    return words[1:]


def _do(proc: subprocess.Popen, command: str, expect: str) -> list[str]:
    proc.stdin.write(command + "\n")
    proc.stdin.flush()
    return _line(proc, expect)


def _second_start(home: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app", *args], cwd=ROOT, env=_env(home),
                          capture_output=True, text=True, timeout=120)


def _kill_9(proc: subprocess.Popen) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL


@pytest.mark.slow
def test_messages_written_after_a_document_and_a_second_start_survive_kill_9(tmp_path, smollm):
    home = tmp_path / "home"
    db = home / "deskseek.sqlite3"
    notes = tmp_path / "notes.txt"
    notes.write_text("The garage door code is 7421.\n" * 20, encoding="utf-8")
    window = _window(home)
    try:
        (conversation,) = _line(window, "ready")
        assert _do(window, f"attach {notes}", "attached") == ["1"]
        sent = [_do(window, "send before anyone else looked", "committed")[0]]

        second = _second_start(home)
        assert second.returncode == 0, second.stderr
        assert "DeskSeek is already running" in second.stderr
        sent += [_do(window, f"send after the second start {i}", "committed")[0] for i in range(2)]

        if shutil.which("sqlite3"):  # the user's own look at the file
            shell = subprocess.run(["sqlite3", str(db), ".tables"], capture_output=True, text=True, timeout=30)
            assert "conversations" in shell.stdout, shell.stderr
        reader = sqlite3.connect(db)  # a backup tool, or another program: a read, a clean close
        reader.execute("SELECT count(*) FROM messages").fetchone()
        reader.close()
        sent += [_do(window, f"send after the shell {i}", "committed")[0] for i in range(2)]
    finally:
        if window.poll() is None:
            _kill_9(window)

    with open_store(db) as store:
        kept = [m.id for m in store.messages(conversation) if m.role == "user"]
        assert kept == sent
        assert [d.name for d in store.documents(conversation)] == ["notes.txt"]


@pytest.mark.slow
def test_a_second_start_brings_the_first_forward_and_a_killed_first_is_taken_over(tmp_path, smollm):
    home = tmp_path / "home"
    window = _window(home)
    try:
        _line(window, "ready")
        second = _second_start(home, "--model", str(smollm))
        assert second.returncode == 0, second.stderr
        assert "brought to the front" in second.stderr
        log = home / "logs" / "deskseek.log"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # the first window answers from its event loop
            if log.exists() and f"to open {smollm}" in log.read_text(encoding="utf-8"):
                break
            time.sleep(0.1)
        else:
            pytest.fail("the running window did not hear the second start")
    finally:
        _kill_9(window)

    # The killed window's lock names a dead process: the next start takes it over and runs.
    assert (home / LOCK_NAME).exists()
    env = {**_env(home), "DESKSEEK_STARTUP_PROBE": "1"}
    third = subprocess.run([sys.executable, "-m", "app"], cwd=ROOT, env=env, capture_output=True, text=True,
                           timeout=120)
    assert third.returncode == 0, third.stderr
    assert "shown_after_s=" in third.stdout


def test_the_command_line_beside_a_window_leaves_its_history_alone(tmp_path, smollm):
    """`deskseek plan` and `chat` never open the history; the window's file stays whole."""
    home = tmp_path / "home"
    with open_store(home / "deskseek.sqlite3") as store:
        c = store.create_conversation("kept")
        store.add_message(c.id, "user", "hello")
        plan = subprocess.run([sys.executable, "-m", "app", "plan", str(smollm)], cwd=ROOT, env=_env(home),
                              capture_output=True, text=True, timeout=120)
        assert plan.returncode == 0, plan.stderr
        chat = subprocess.run([sys.executable, "-m", "app", "chat", str(smollm), "--max-tokens", "4"], cwd=ROOT,
                              env=_env(home), input="hi\n", capture_output=True, text=True, timeout=120)
        assert chat.returncode == 0, chat.stderr
        store.add_message(c.id, "user", "after the command line")
        assert Path(f"{store.path}-wal").exists()
    with open_store(home / "deskseek.sqlite3") as store:
        assert [m.content for m in store.messages(c.id)] == ["hello", "after the command line"]
