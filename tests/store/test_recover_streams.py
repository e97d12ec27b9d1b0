"""Opening the history marks replies left streaming by a process that is gone as interrupted, and
only those: checked with real processes (issue 11 §4: mutants of this check survived)."""
import os
import subprocess
import sys
from pathlib import Path

from app.store import open_store

ROOT = Path(__file__).resolve().parents[2]
STREAM = """
import sys, time
from app.store import open_store
s = open_store(sys.argv[1])
c = s.create_conversation("Streaming elsewhere")
q = s.add_message(c.id, "user", "Tell me a story.")
r = s.start_reply(c.id, parent_id=q.id, model="m", engine="llama_cpp")
if len(sys.argv) > 2:  # this reply's process id is given as another's (the number came back reused)
    with s._write() as db:
        db.execute("UPDATE messages SET stream_pid = ? WHERE id = ?", [int(sys.argv[2]), r.id])
    print(r.id, flush=True)
    sys.exit(0)  # leaves the row streaming, as a crash would
print(r.id, flush=True)
time.sleep(60)
"""


def status(db, message_id):
    store = open_store(db)
    try:
        return store.get_message(message_id).status
    finally:
        store.close()


def test_a_reply_another_live_process_is_streaming_is_left_streaming_until_it_dies(tmp_path):
    db = tmp_path / "history.db"
    child = subprocess.Popen([sys.executable, "-c", STREAM, str(db)], cwd=ROOT, stdout=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        reply = child.stdout.readline().strip()
        assert status(db, reply) == "streaming"  # opening the history does not take it from a live writer
    finally:
        child.kill()
        child.wait()
    assert status(db, reply) == "interrupted"


def test_a_reply_left_under_this_processs_id_by_a_process_gone_is_interrupted(tmp_path):
    """A process id comes back: a row written by a crashed process under the id this process now
    has, is not one of this process's live streams."""
    db = tmp_path / "history.db"
    out = subprocess.run([sys.executable, "-c", STREAM, str(db), str(os.getpid())], cwd=ROOT, capture_output=True,
                         text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)
    reply = out.stdout.strip()
    assert status(db, reply) == "interrupted"
