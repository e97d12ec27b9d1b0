"""kill -9 mid-reply, two processes on one file, a full or read-only disk."""
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from app.store import StoreError, open_store

from .worker import checkpoint_text

ROOT = Path(__file__).resolve().parents[2]


def _spawn(*args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "tests.store.worker", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_kill_9_mid_reply_loses_nothing_finished(db_path):
    db_path.parent.mkdir(parents=True)
    proc = _spawn("stream", str(db_path))
    ids = proc.stdout.readline().split()
    assert ids and ids[0] == "ids", proc.stderr.read()
    cid, q1, r1, q2, r2 = ids[1:]
    last = 0
    while last < 25:  # several checkpoints committed, the process writing at full speed
        last = int(proc.stdout.readline().split()[1])
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL

    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    with open_store(db_path) as store:
        branch = store.messages(cid)
        assert [m.id for m in branch] == [q1, r1, q2, r2]
        assert [m.content for m in branch[:3]] == ["first question", "first answer, finished", "second question"]
        assert branch[1].status == "done" and branch[1].completion_tokens == 4
        reply = branch[3]
        assert reply.status == "interrupted"
        # Every printed checkpoint was committed; the kill may have landed after one more.
        assert reply.content in (checkpoint_text(last), checkpoint_text(last + 1))
        assert reply.reasoning in (f"thinking {last}", f"thinking {last + 1}")
        assert {h.message_id for h in store.search("second question")} == {q2}


def test_two_processes_append_to_one_conversation(db_path):
    with open_store(db_path) as store:
        c = store.create_conversation()
        store.add_message(c.id, "user", "start")
    procs = [_spawn("append", str(db_path), c.id, "60", tag) for tag in ("alpha", "beta")]
    for p in procs:
        out, err = p.communicate(timeout=60)
        assert p.returncode == 0 and out.strip() == "done", err
    with open_store(db_path) as store:
        branch = store.messages(c.id)
        # Each append went after the leaf the other had just written: one unbroken chain.
        assert len(branch) == 121 and branch[0].content == "start"
        assert sorted(m.content for m in branch[1:]) == sorted(f"{t} {i}" for t in ("alpha", "beta") for i in range(60))
        assert store._db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_full_disk_gives_clear_message_and_keeps_history(store):
    c = store.create_conversation("kept")
    store.add_message(c.id, "user", "before the disk filled")
    pages = store._db.execute("PRAGMA page_count").fetchone()[0]
    store._db.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(StoreError, match="full"):
        store.add_message(c.id, "user", "x" * 100_000)
    assert [m.content for m in store.messages(c.id)] == ["before the disk filled"]
    store._db.execute("PRAGMA max_page_count = 1073741823")
    store.add_message(c.id, "user", "after freeing space")
    assert len(store.messages(c.id)) == 2


def test_read_only_database_gives_clear_message(store):
    c = store.create_conversation("kept")
    store._db.execute("PRAGMA query_only = 1")
    with pytest.raises(StoreError, match="read-only"):
        store.add_message(c.id, "user", "typed text")
    assert store.messages(c.id) == [] and store.get_conversation(c.id).title == "kept"


def test_unwritable_location_gives_clear_message(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError, match="is a file, not a folder"):
        open_store(blocker / "history.db")


def test_read_only_location_refused_at_open(db_path, monkeypatch):
    """Running as root ignores file modes, so the permission answer itself is stubbed here."""
    open_store(db_path).close()
    monkeypatch.setattr("app.store.connection.os.access", lambda *a: False)
    with pytest.raises(StoreError, match="read-only file, folder or disk"):
        open_store(db_path)
