"""How long the window stops answering while a large text document is read and stored.

    python bench/bench_document_gui.py            # 200,000 lines, ~20 MB
    python bench/bench_document_gui.py --lines 20000 --no-record

A 10 ms timer ticks on the GUI thread of a real (offscreen) window while File > Attach reads
the file on the document thread and writes its passages through that thread's own SQLite
connection; the longest gap between ticks is what a user would feel, against a 16 ms frame.
"""
from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["DESKSEEK_HOME"] = tempfile.mkdtemp(prefix="deskseek-bench-")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=200_000)
    ap.add_argument("--no-record", action="store_true")
    args = ap.parse_args()
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from app.paths import app_paths
    from app.store import open_store
    from app.ui.main_window import MainWindow
    from app.ui.runtime_thread import RuntimeThread

    app = QApplication([sys.argv[0]])
    store = open_store(app_paths().database)
    window = MainWindow(store, RuntimeThread())
    window.show()
    path = Path(tempfile.mkdtemp()) / "big.txt"
    with open(path, "w", encoding="utf-8") as f:
        for i in range(args.lines):
            f.write(f"Line {i}: the tenant keeps the garden tidy and pays rent on the first day. 深度求索。\n")
    ticks: list[float] = []
    ticker = QTimer()
    ticker.timeout.connect(lambda: ticks.append(time.monotonic()))
    ticker.start(10)
    result: dict = {}
    start = time.monotonic()
    window.documents.attach([str(path)])

    def check() -> None:
        docs = window.documents.strip.documents()
        if docs:
            gaps = [b - a for a, b in zip(ticks, ticks[1:])]
            result.update(stored=time.monotonic() - start, passages=docs[0].passages, gap=max(gaps))
            app.quit()

    poll = QTimer()
    poll.timeout.connect(check)
    poll.start(20)
    QTimer.singleShot(600_000, app.quit)
    app.exec()
    window.close()
    store.close()
    mb = path.stat().st_size / 2**20
    verdict = "within" if result["gap"] <= 0.016 else f"{result['gap'] / 0.016:.1f}x"
    table = ("| text file | passages | read and stored | longest GUI gap | vs a 16 ms frame |\n"
             "|---:|---:|---:|---:|---:|\n"
             f"| {mb:.1f} MB | {result['passages']} | {result['stored']:.1f} s | {result['gap'] * 1000:.0f} ms | {verdict} |")
    print(table)
    if not args.no_record:
        when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M")
        cmd = "python bench/bench_document_gui.py " + " ".join(sys.argv[1:])
        with open(Path(__file__).with_name("RESULTS.md"), "a", encoding="utf-8") as f:
            f.write(f"\n## Documents: the window while a large file is stored ({when} UTC)\n\n"
                    f"`{cmd.strip()}` on {platform.machine()}, 2 cores, Python {platform.python_version()}\n\n{table}\n")


if __name__ == "__main__":
    main()
