"""The window's longest stall when a question is asked over an embedded document (issue 14: ≤ 50 ms).

    nice -n 10 .venv/bin/python bench/bench_question_gui.py [--questions 12] [--big]

A real (offscreen) window with the scripted engine (no model time to hide anything), the English
and Chinese annual reports of bench/docs_eval attached through File > Attach (read, stored and
embedded by the document thread, USE vectors), then questions in both languages sent with Enter,
one at a time. A 5 ms timer on the GUI thread records the event-loop gaps from each Enter to its
reply's end; anchor: the same timer with the window idle, in the same run. Prints a table.

--big also attaches a generated ledger of about 3,000 passages (a 300-page PDF's worth), so the
quoting ranks and reads the vectors of a long document. Its passages get vectors at once: random
unit vectors (seeded by the text) in place of USE's, which would take minutes to make; what the
turn does with them (read them all, one matrix product) is the same.
"""
from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["DESKSEEK_HOME"] = tempfile.mkdtemp(prefix="deskseek-bench-")

QUESTIONS = ["What net profit did Hengyuan report for 2025?", "恒远2025年的净利润是多少？",
             "How large a cash dividend does the board propose?", "董事会建议派发多少现金股利？",
             "What was the voluntary staff turnover?", "研发投入占收入的比例是多少？",
             "Which new office opened in Rotterdam?", "恒远在鹿特丹设立了什么机构？",
             "What order backlog did the company enter 2026 with?", "2025年末存货是多少？",
             "By how much did greenhouse gas emissions fall?", "实验室称重板块的收入是多少？"]


LEDGER_MARK = "Ledger annex"


def big_ledger(path: Path, passages: int = 3000) -> Path:
    """A long markdown ledger: each paragraph (~900 characters, one passage) names different
    sites, goods, months and figures, so bm25 has words to rank by."""
    import random

    rng = random.Random(14)
    sites = ["Rotterdam", "Suzhou", "Lyon", "Austin", "Pune", "Gdansk", "Osaka", "Porto", "Tampere", "Leeds"]
    goods = ["load cells", "pressure sensors", "balances", "flow meters", "valves", "pumps", "gauges",
             "controllers", "scales", "transmitters"]
    months = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December"]
    out = []
    for i in range(passages):
        sentences = [f"{LEDGER_MARK} {i}: the {rng.choice(sites)} site shipped {rng.randint(10, 9999)} "
                     f"{rng.choice(goods)} in {rng.choice(months)}, against an order book of "
                     f"{rng.randint(100, 99999)} units and a margin of {rng.randint(5, 60)} percent."
                     for _ in range(5)]
        out.append(" ".join(sentences))
    path.write_text("# Ledger\n\n" + "\n\n".join(out) + "\n", encoding="utf-8")
    return path


def quick_vectors(model) -> None:
    """The ledger's passages get seeded random unit vectors at once; every other text USE's own."""
    import zlib

    import numpy as np

    from app.documents.embedding import unit_rows

    real = model.passages

    def passages(texts):
        if not all(LEDGER_MARK in t for t in texts):
            return real(texts)
        rows = [np.random.default_rng(zlib.crc32(t.encode())).standard_normal(model.dim) for t in texts]
        return unit_rows(np.array(rows))

    model.passages = passages


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--questions", type=int, default=12)
    ap.add_argument("--big", action="store_true", help="also attach a generated ~3,000-passage ledger")
    args = ap.parse_args()
    from PySide6.QtCore import QElapsedTimer, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from app.documents import embedding
    from app.paths import app_paths
    from app.store import open_store
    from app.ui.main_window import MainWindow
    from app.ui.runtime_thread import RuntimeThread
    from runtime.default_model import default_model_path
    from tests.ui.scripted_backend import ScriptedBackend, scripted_engine

    app = QApplication([sys.argv[0]])
    store = open_store(app_paths().database)
    window = MainWindow(store, RuntimeThread(scripted_engine(ScriptedBackend(["Hi"] * (args.questions + 1)))))
    window.show()
    window.controller.load_model(str(default_model_path()))
    while window.controller.model is None:
        app.processEvents()
    docs = ROOT / "bench" / "docs_eval" / "docs"
    attached = [str(docs / "hengyuan_2025_report_en.md"), str(docs / "hengyuan_2025_report_zh.pdf")]
    model = embedding.embedder()
    if args.big:
        attached.append(str(big_ledger(Path(os.environ["DESKSEEK_HOME"]) / "ledger.md")))
        quick_vectors(model)
    window.documents.attach(attached)
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        app.processEvents()
        cid = window.controller.conversation_id
        if cid and len(store.documents(cid)) == len(attached) and window.documents.strip.reading.isHidden() \
                and not store.passages_without_vectors(cid, model.name, 4 * model.dim):
            break
        time.sleep(0.01)
    passages = sum(d.passages for d in store.documents(cid))

    clock = QElapsedTimer()
    clock.start()
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: ticks.append(clock.nsecsElapsed() / 1e6))
    timer.start()

    def gaps_while(until) -> list[float]:
        """The event loop's gaps from now until `until()`: the start and the end count as ticks, so
        a turn handled whole between two ticks (the scripted engine is instant) is not missed."""
        ticks.clear()
        ticks.append(clock.nsecsElapsed() / 1e6)
        while not until():
            app.processEvents()
        ticks.append(clock.nsecsElapsed() / 1e6)
        return [b - a for a, b in zip(ticks, ticks[1:])]

    idle_end = time.monotonic() + 3
    idle = max(gaps_while(lambda: time.monotonic() > idle_end))
    stalls, rankers = [], []
    for q in QUESTIONS[:args.questions]:
        window.composer.editor.setPlainText(q)
        before = len([v for v in window.chat_view.messages() if v.role == "assistant"])
        ticks.clear()
        t_enter = clock.nsecsElapsed() / 1e6
        QTest.keyClick(window.composer.editor, Qt.Key.Key_Return)  # the turn may start in here
        entered = clock.nsecsElapsed() / 1e6 - t_enter
        gaps = gaps_while(lambda: window.controller.reply is None and len(
            [v for v in window.chat_view.messages() if v.role == "assistant"]) > before)
        stalls.append(max([*gaps, entered]))
    window.close()
    stalls_sorted = sorted(stalls)
    print(f"{platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.1f}; {passages} passages embedded")
    print("| questions | longest stall, median | longest stall, max | idle anchor (max gap) |")
    print("|---:|---:|---:|---:|")
    print(f"| {len(stalls)} | {stalls_sorted[len(stalls) // 2]:.0f} ms | {stalls_sorted[-1]:.0f} ms | {idle:.0f} ms |")
    print("per question (ms):", [round(s) for s in stalls])
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
