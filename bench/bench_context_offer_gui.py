"""How long the window stops answering while it asks whether a longer context would hold the open
conversation's documents (app/ui/context_advisor.py): every passage's tokens estimated, the model's
header inspected and the machine probed, on a Background thread.

    python bench/bench_context_offer_gui.py              # a 20,000-line document (~1.9 MB)
    python bench/bench_context_offer_gui.py --lines 2000 --no-record

The embedded SmolLM2 is loaded at a 2048-token context (the general setting), so the offer is
made. A 10 ms timer ticks on the GUI thread; the longest gap between ticks while the question
runs is held against the longest gap over an idle stretch of the same length in the same run (the
anchor), and the GUI thread's own share (check() itself, and showing the offer) is timed directly.
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
    ap.add_argument("--lines", type=int, default=20_000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--no-record", action="store_true")
    args = ap.parse_args()
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from app.__main__ import start_model
    from app.paths import app_paths
    from app.settings import Settings, save_settings
    from app.store import open_store
    from app.ui.main_window import MainWindow
    from app.ui.runtime_thread import RuntimeThread

    app = QApplication([sys.argv[0]])
    store = open_store(app_paths().database)
    save_settings(store, Settings(n_ctx=2048))
    window = MainWindow(store, RuntimeThread())
    window.show()
    start_model(window, None)
    path = Path(tempfile.mkdtemp()) / "report.txt"
    with open(path, "w", encoding="utf-8") as f:
        for i in range(args.lines):
            f.write(f"Line {i}: revenue in region {i % 7} grew; the warehouse ships on Tuesdays. 深度求索。\n")

    def wait(cond, limit=120.0) -> None:
        end = time.monotonic() + limit
        while not cond():
            app.processEvents()
            time.sleep(0.002)
            if time.monotonic() > end:
                raise SystemExit("timed out")

    wait(lambda: window.controller.model is not None and not window.controller.loading_path)
    window.documents.attach([str(path)])
    wait(lambda: window.documents.strip.documents() and window.documents.strip.reading.isHidden())
    advisor = window.context_advisor
    wait(lambda: not advisor.background.busy("context"))
    ticks: list[float] = []
    ticker = QTimer()
    ticker.timeout.connect(lambda: ticks.append(time.monotonic()))
    ticker.start(10)
    shows: list[float] = []
    show = window.notice.show_message

    def timed_show(*a):
        t = time.perf_counter()
        show(*a)
        shows.append(time.perf_counter() - t)
    window.notice.show_message = timed_show
    asked, idle, checks, spans = [], [], [], []
    from app.documents import context_offer

    for n in range(args.rounds):
        if n == 0:  # as after a load: the model's header and the machine not asked yet
            context_offer._answers.clear()
        advisor.offered.clear()
        window.notice.dismiss()
        ticks.clear()
        t0 = time.perf_counter()
        advisor.check()
        checks.append(time.perf_counter() - t0)
        start = time.monotonic()
        wait(lambda: not advisor.background.busy("context"))
        span = time.monotonic() - start
        spans.append(span)
        asked.append(max(b - a for a, b in zip(ticks, ticks[1:])))
        assert window.notice.kind == "context", window.notice.text()
        ticks.clear()  # the anchor: the same stretch with nothing asked
        end = time.monotonic() + span
        wait(lambda: time.monotonic() > end)
        idle.append(max(b - a for a, b in zip(ticks, ticks[1:])))
    docs = window.documents.strip.documents()
    ms = lambda xs: f"{max(xs) * 1000:.1f} ms"  # noqa: E731
    med = lambda xs: f"{sorted(xs)[len(xs) // 2] * 1000:.1f} ms"  # noqa: E731
    lines = [
        f"## Context offer: the window while it asks ({datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC)",
        "",
        f"`python bench/bench_context_offer_gui.py --lines {args.lines}`; {platform.machine()}, "
        f"{os.cpu_count()} CPUs; a {path.stat().st_size / 1e6:.1f} MB document ({docs[0].passages} passages), "
        f"SmolLM2 loaded at 2048 tokens; {args.rounds} rounds, worst of each.",
        "",
        "| | longest gap between 10 ms ticks, worst round | ratio | median round |",
        "|---|---|---|---|",
        f"| idle, same length (anchor) | {ms(idle)} | 1.00 | {med(idle)} |",
        f"| first ask after the load: header read, machine probed ({spans[0]:.2f} s on its thread) | "
        f"{asked[0] * 1000:.1f} ms | {asked[0] / max(idle):.2f} | |",
        f"| later asks: the documents' tokens only ({max(spans[1:]):.2f} s) | {ms(asked[1:])} | "
        f"{max(asked[1:]) / max(idle):.2f} | {med(asked[1:])} |",
        "",
        f"On the GUI thread itself: `check()` {ms(checks)} (median {med(checks)}), showing the offer "
        f"{ms(shows)} (median {med(shows)}).",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if not args.no_record:
        results = Path(__file__).with_name("RESULTS.md")
        results.write_text(results.read_text() + "\n" + text)
    window.close()
    store.close()


if __name__ == "__main__":
    main()
