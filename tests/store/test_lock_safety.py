"""SQLite's POSIX locks survive everything the process does around the history file.

Closing *any* descriptor of the database in a process drops every POSIX lock SQLite holds on it
(SQLite's "How To Corrupt An SQLite Database File", 2.2). Another process that then opens and
closes the file believes it is the last connection, checkpoints and deletes the live -wal and
-shm, and whatever is committed afterwards goes to an unlinked WAL: gone at the next kill -9.
These tests run that sequence in real processes.
"""
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from app.store import open_store, open_worker_store

ROOT = Path(__file__).resolve().parents[2]


def _spawn(*args: str, stdin=None) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "tests.store.worker", *args], cwd=ROOT, env=env,
                            stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _another_program_opens_and_closes(db_path: Path) -> None:
    """A second DeskSeek, the sqlite3 shell or a backup tool: a read, then a clean close."""
    code = ("import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
            "c.execute('SELECT name FROM sqlite_master').fetchall(); c.close()")
    subprocess.run([sys.executable, "-c", code, str(db_path)], check=True, timeout=30)


def _write(proc: subprocess.Popen, text: str) -> str:
    proc.stdin.write(text + "\n")
    proc.stdin.flush()
    line = proc.stdout.readline().split()
    assert line and line[0] == "committed", proc.stderr.read()
    return line[1]


def test_messages_committed_after_a_reader_closed_survive_kill_9(db_path):
    db_path.parent.mkdir(parents=True)
    window = _spawn("window", str(db_path), stdin=subprocess.PIPE)
    try:
        ready = window.stdout.readline().split()
        assert ready and ready[0] == "ready", window.stderr.read()
        conversation = ready[1]
        before = _write(window, "before the other program looked")
        _another_program_opens_and_closes(db_path)
        # The live WAL must still be there: the window's process holds its locks.
        assert Path(f"{db_path}-wal").exists() and Path(f"{db_path}-shm").exists()
        after = [_write(window, f"written after it closed {i}") for i in range(5)]
        _another_program_opens_and_closes(db_path)
        last = _write(window, "the last one")
    finally:
        os.kill(window.pid, signal.SIGKILL)
        window.wait()
    assert window.returncode == -signal.SIGKILL

    with open_store(db_path) as store:
        kept = [m.id for m in store.messages(conversation)]
    assert kept == [before, *after, last]


def _locks_held_by(pid: int, *paths: Path) -> int:
    """POSIX locks this process holds on these files, from the kernel's own table."""
    inodes = {os.stat(p).st_ino for p in paths if p.exists()}
    held = 0
    for line in Path("/proc/locks").read_text().splitlines():
        fields = line.split()
        # "1: POSIX  ADVISORY  READ 1234 fd:01:567 128 128" (a waiter's line has "->" after the number)
        posix = len(fields) > 5 and fields[1] == "POSIX"
        if posix and int(fields[4]) == pid and int(fields[5].split(":")[2]) in inodes:
            held += 1
    return held


@pytest.mark.skipif(not Path("/proc/locks").exists(), reason="needs Linux's /proc/locks")
def test_opening_a_second_connection_keeps_the_first_ones_locks(db_path):
    store = open_store(db_path)
    try:
        files = (db_path, Path(f"{db_path}-shm"))
        held = _locks_held_by(os.getpid(), *files)
        assert held >= 1  # WAL mode: a read lock on the -shm for as long as the connection is open
        for _ in range(3):
            open_worker_store(db_path).close()
            open_store(db_path).close()
        assert _locks_held_by(os.getpid(), *files) == held
    finally:
        store.close()


def test_a_non_sqlite_file_is_still_refused_by_name(tmp_path):
    path = tmp_path / "deskseek.sqlite3"
    path.write_bytes(b"this is a text file, not a database\n" * 100)
    from app.store import StoreError

    with pytest.raises(StoreError) as refused:
        open_store(path)
    assert str(refused.value) == (f"{path} is not a DeskSeek history database (it is not an SQLite file, or it is "
                                  "damaged). Move it aside or choose another file; it has not been changed.")
    assert path.read_bytes() == b"this is a text file, not a database\n" * 100
    assert not Path(f"{path}-wal").exists()


def test_the_history_file_is_never_exported_over_or_imported(store, db_path, tmp_path):
    """File dialogs can point at the live database: refused by name, before anything opens it."""
    from app.store import StoreError, export_json, export_markdown, import_chatgpt, import_json

    c = store.create_conversation("kept")
    store.add_message(c.id, "user", "still here")
    held = _locks_held_by(os.getpid(), db_path, Path(f"{db_path}-shm"))
    link = tmp_path / "a link to the history.json"
    link.symlink_to(db_path)
    for target in (db_path, Path(f"{db_path}-wal"), link):
        with pytest.raises(StoreError, match="own chat history database; it cannot be overwritten"):
            export_json(store, target)
        with pytest.raises(StoreError, match="own chat history database; it cannot be overwritten"):
            export_markdown(store, target)
    for target in (db_path, Path(f"{db_path}-shm"), link):
        with pytest.raises(StoreError, match="own chat history database; it cannot be imported"):
            import_json(store, target)
        with pytest.raises(StoreError, match="own chat history database; it cannot be imported"):
            import_chatgpt(store, target)
    assert _locks_held_by(os.getpid(), db_path, Path(f"{db_path}-shm")) == held
    assert [m.content for m in store.messages(c.id)] == ["still here"]
    # An ordinary file beside it is still fine.
    assert export_json(store, tmp_path / "export.json") == 1
