"""The window while the 300-page PDF is read, stored and embedded, and how long each takes.

    nice -n 5 .venv/bin/python bench/bench_embedding_gui.py [--workers N] [--float]

A real (offscreen) window attaches bench_documents.py's 300-page PDF (3,000 passages) through
File > Attach, as a user does: the document thread reads and stores it, then embeds its
passages with the built-in model (app.documents.embedding; --workers and --float choose the
pass, the product's by default). A 5 ms timer ticks on the GUI thread all along; its gaps are what
a user would feel (goal: the longest <= 50 ms, issue 14). Another thread, over its own read-only
SQLite connection, counts the vectors stored every 20 ms. Also timed: bare pypdfium2 on the same file (the anchor, the median of three).
"""
from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["DESKSEEK_HOME"] = tempfile.mkdtemp(prefix="deskseek-bench-")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def bare_pdfium(data: bytes) -> float:
    import pypdfium2

    t = time.perf_counter()
    doc = pypdfium2.PdfDocument(data)
    for i in range(len(doc)):
        doc[i].get_textpage().get_text_range()
    doc.close()
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--workers", type=int, default=0, help="embedding threads (0: the product's default)")
    ap.add_argument("--float", action="store_true", help="the float pass instead of the product's int8 one")
    ap.add_argument("--dictionary-parsed", action="store_true",
                    help="parse the bilingual dictionary first (as a history with documents does at start)")
    args = ap.parse_args()
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from bench_documents import make_pdf
    from app.documents import embedding
    from app.paths import app_paths
    from app.store import open_store
    from app.ui.main_window import MainWindow
    from app.ui.runtime_thread import RuntimeThread

    app = QApplication([sys.argv[0]])  # before make_pdf, which writes the PDF with Qt
    model = embedding.UniversalSentenceEncoder(int8=not args.float, workers=args.workers or None)
    embedding._loaded["built-in"] = model  # the process's model, loaded before the clock starts
    if args.dictionary_parsed:
        from app.store.translated_terms import dictionary

        dictionary()
    data = make_pdf(300)
    path = Path(tempfile.mkdtemp()) / "report.pdf"
    path.write_bytes(data)
    anchor = sorted(bare_pdfium(data) for _ in range(3))[1]  # the median of three

    store = open_store(app_paths().database)
    window = MainWindow(store, RuntimeThread())
    window.show()
    ticks: list[float] = []
    ticker = QTimer()
    ticker.setTimerType(ticker.timerType().PreciseTimer)
    ticker.timeout.connect(lambda: ticks.append(time.monotonic()))
    ticker.start(5)
    marks: dict[str, float] = {}
    done = threading.Event()

    def watch(passages: int) -> None:  # its own read-only connection, one cheap count a poll
        import sqlite3

        watcher = sqlite3.connect(f"file:{app_paths().database}?mode=ro", uri=True)
        try:
            while not done.is_set():
                made = watcher.execute("SELECT count(*) FROM passage_vectors WHERE model = ?", (model.name,)).fetchone()[0]
                if made >= passages:
                    marks["embedded"] = time.monotonic()
                    done.set()
                time.sleep(0.02)
        finally:
            watcher.close()

    def check() -> None:
        docs = window.documents.strip.documents()
        if docs and "listed" not in marks:
            marks["listed"] = time.monotonic()
            marks["passages"] = docs[0].passages
            threading.Thread(target=watch, args=(docs[0].passages,), daemon=True).start()
        if done.is_set():
            app.quit()

    poll = QTimer()
    poll.timeout.connect(check)
    poll.start(20)
    QTimer.singleShot(300_000, app.quit)

    def attach() -> None:
        ticks.clear()
        ticks.append(time.monotonic())
        marks["start"] = time.monotonic()
        window.documents.attach([str(path)])

    QTimer.singleShot(1000, attach)  # once the window has painted and settled
    app.exec()
    done.set()
    window.close()
    store.close()
    if os.environ.get("GAPS"):  # where the long gaps fell, from the start
        for a, b in zip(ticks, ticks[1:]):
            if b - a > 0.03:
                print(f"gap {1000 * (b - a):.0f} ms at {a - marks['start']:.2f} s")
        print({k: round(v - marks["start"], 2) for k, v in marks.items() if k not in ("start", "passages")})
    gaps = sorted(b - a for a, b in zip(ticks, ticks[1:]))
    p99, worst = gaps[int(len(gaps) * 0.99)], gaps[-1]
    listed, embedded = marks["listed"] - marks["start"], marks.get("embedded", float("nan")) - marks["start"]
    print(f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, load average "
          f"{os.getloadavg()[0]:.1f} at the end; model {model.name}, {model.workers} worker(s)")
    print("| bare pypdfium2 (anchor) | listed (read + indexed) | every passage embedded | / anchor | passages "
          "| GUI gaps p99 | longest |")
    print(f"| {anchor:.2f} s | {listed:.2f} s | {embedded:.2f} s | {embedded / anchor:.2f}x | {marks['passages']} "
          f"| {p99 * 1000:.0f} ms | {worst * 1000:.0f} ms |")


if __name__ == "__main__":
    main()
