"""Document library benchmark: the sidebar's document search, the library list and attaching a
document already read, on a large library (100 documents x 1,000 passages by default).

    python bench/bench_library.py                 # appends a section to bench/RESULTS.md
    python bench/bench_library.py --docs 20 --no-record

The sidebar searches documents on the GUI thread at each typing pause, so its time is compared with
a frame (16 ms) and with the anchor measured in the same run: one FTS5 query ranked by bm25() over
all passages (what a first version did), which is slow for a word found in every document.
Attaching from the library copies passages and index rows (the reading thread's work, no reading).
"""
from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.store import open_store  # noqa: E402
from app.store.cjk import fts_query  # noqa: E402

WORDS = ("the garage code rent tenant parking cafeteria guard keys contract payment invoice clause "
         "term party notice").split()
ANCHOR_SQL = """
SELECT d.id, d.conversation_id, c.title, d.name, p.text
FROM passages_fts f JOIN document_passages p ON p.seq = f.rowid
JOIN documents d ON d.id = p.document_id JOIN conversations c ON c.id = d.conversation_id
WHERE passages_fts MATCH ? AND c.deleted IS NULL ORDER BY bm25(passages_fts) LIMIT 500
"""


def timed(call, repeat: int = 5) -> tuple[float, object]:
    """Median wall seconds of `repeat` calls, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=100)
    parser.add_argument("--passages", type=int, default=1000)
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()
    random.seed(1)
    lines = []
    with tempfile.TemporaryDirectory() as tmp, open_store(Path(tmp) / "h.sqlite3") as store:
        for d in range(args.docs):
            c = store.create_conversation(title=f"c{d}")
            texts = [("p. %d" % (i // 3 + 1), " ".join(random.choice(WORDS) for _ in range(150)) + f" unique{d}x{i}")
                     for i in range(args.passages)]
            store.add_document(c.id, f"doc{d}.txt", f"doc {d}".encode(), "text", 0, texts)
        total = args.docs * args.passages
        lines.append(f"| library: {args.docs} documents, {total:,} passages | median of 5 | vs anchor |")
        lines.append("|---|---|---|")
        for query in ("garage", "garage code", f"unique{args.docs // 2}x7"):
            anchor, _ = timed(lambda q=query: store._db.conn.execute(ANCHOR_SQL, [fts_query(q)]).fetchall())
            ours, hits = timed(lambda q=query: store.search_documents(q))
            lines.append(f"| anchor: one bm25() query over all passages, {query!r} | {anchor * 1000:.1f} ms | 1.00 |")
            lines.append(f"| search_documents({query!r}): {len(hits)} hits (GUI thread) | {ours * 1000:.1f} ms | "
                         f"{ours / anchor:.2f} |")
        listed, entries = timed(store.library)
        lines.append(f"| library(): {len(entries)} entries (the Documents view) | {listed * 1000:.1f} ms | |")
        target = store.create_conversation()
        start = time.perf_counter()
        store.attach_from_library(target.id, entries[0].sha256)
        copied = time.perf_counter() - start
        lines.append(f"| attach_from_library: {args.passages} passages copied and indexed (reading thread) | "
                     f"{copied * 1000:.1f} ms | |")
        start = time.perf_counter()
        store.remove_from_library(entries[0].sha256)
        removed = time.perf_counter() - start
        lines.append(f"| remove_from_library: 2 copies of {args.passages} passages, index rows, file (off the GUI thread) | "
                     f"{removed * 1000:.1f} ms | |")
    header = (f"## Document library (bench/bench_library.py, {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC)\n\n"
              f"`python bench/bench_library.py --docs {args.docs} --passages {args.passages}` on "
              f"{platform.machine()}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}, "
              f"Python {platform.python_version()}\n")
    text = header + "\n" + "\n".join(lines) + "\n"
    print(text)
    if not args.no_record:
        with open(Path(__file__).with_name("RESULTS.md"), "a", encoding="utf-8") as f:
            f.write("\n" + text)


if __name__ == "__main__":
    main()
