"""A separate DeskSeek-like process for the crash and concurrency tests.

stream PATH: write an exchange, then stream a reply, checkpointing as fast as it can and
    printing "ckpt N" after each commit, until it is killed.
append PATH CONVERSATION_ID COUNT TAG: append COUNT messages after the current leaf.
window PATH: what the window does around a document: its own store, a reader thread's store opened
    and closed; prints "ready", then for each line on stdin writes one message and prints
    "committed ID" once it is committed, and never exits by itself (the test kills it).
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

from app.store import open_store, open_worker_store


def checkpoint_text(n: int) -> str:
    return "".join(f"token{i} 字{i} " for i in range(n * 20))


def stream(path: Path) -> None:
    store = open_store(path)
    c = store.create_conversation("crash test")
    q = store.add_message(c.id, "user", "first question")
    r1 = store.start_reply(c.id, parent_id=q.id, model="m")
    store.finish_reply(r1.id, content="first answer, finished", finish_reason="stop", completion_tokens=4)
    q2 = store.add_message(c.id, "user", "second question")
    r2 = store.start_reply(c.id, parent_id=q2.id, model="m")
    print(f"ids {c.id} {q.id} {r1.id} {q2.id} {r2.id}", flush=True)
    n = 0
    while True:
        n += 1
        store.checkpoint_reply(r2.id, checkpoint_text(n), reasoning=f"thinking {n}")
        print(f"ckpt {n}", flush=True)


def append(path: Path, conversation_id: str, count: int, tag: str) -> None:
    with open_store(path) as store:
        for i in range(count):
            store.add_message(conversation_id, "user", f"{tag} {i}")
    print("done", flush=True)


def window(path: Path) -> None:
    store = open_store(path)
    c = store.create_conversation("written around a document")
    open_worker_store(path).close()  # the document reader's connection, as DocumentIntake makes it
    print(f"ready {c.id}", flush=True)
    for line in sys.stdin:
        m = store.add_message(c.id, "user", line.strip())
        print(f"committed {m.id}", flush=True)
    while True:  # stdin closed: stay alive, as a window does, until killed
        time.sleep(1)


if __name__ == "__main__":
    mode, path = sys.argv[1], Path(sys.argv[2])
    if mode == "stream":
        stream(path)
    elif mode == "window":
        window(path)
    else:
        append(path, sys.argv[3], int(sys.argv[4]), sys.argv[5])
