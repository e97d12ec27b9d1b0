"""Documents benchmark: a long PDF from drop to cited passages, against bare pypdfium2 as the anchor.

    QT_QPA_PLATFORM=offscreen python bench/bench_documents.py            # 300 pages
    QT_QPA_PLATFORM=offscreen python bench/bench_documents.py --pages 50 --no-record

Reading (worker thread): PDFium's own page text (bare pypdfium2) is the anchor; ours adds the
per-page sections, the joined Chinese lines, passages and the checks, so the ratio says what the
pipeline costs on top of the PDF library. pypdf, the reader before it, is timed too when installed.
The store's write of all passages (one transaction) runs on the reading thread too; a question's
passage lookup runs on the GUI thread, so it is timed against the frame budget (16 ms; median of
20 questions, English and Chinese).
"""
from __future__ import annotations

import argparse
import io
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.documents.chunk import passages  # noqa: E402
from app.documents.extract import extract  # noqa: E402
from app.store import open_store  # noqa: E402
from runtime.prompting import estimate_tokens  # noqa: E402

WORDS = ("engine model token cache expert latent router memory context reply window lease tenant "
         "garden parking invoice budget quarter revenue").split()
HANZI = "深度求索模型推理上下文内存显卡量化数据库测试公司季度收入预算合同租户停车"


def make_pdf(n_pages: int) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
    from PySide6.QtGui import QFont, QGuiApplication, QPainter, QPdfWriter

    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 (fonts need it)
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buf)
    painter = QPainter(writer)
    painter.setFont(QFont("WenQuanYi Micro Hei", 10))
    for page in range(n_pages):
        if page:
            writer.newPage()
        lines = []
        for i in range(40):
            k = page * 40 + i
            words = " ".join(WORDS[(k * 7 + j * 3) % len(WORDS)] for j in range(12))
            cn = HANZI[(k * 5) % 20: (k * 5) % 20 + 8]
            lines.append(f"{k}. The {words}. {cn}。")
        painter.drawText(QRectF(0, 0, 9000, 13000), Qt.TextFlag.TextWordWrap, "\n".join(lines))
    painter.end()
    return bytes(data.data())


def bare_pdfium(pdf: bytes) -> list[str]:
    import pypdfium2

    doc = pypdfium2.PdfDocument(pdf)
    try:
        return [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    finally:
        doc.close()


def timed(fn, repeat: int = 1):
    """(median wall seconds, median CPU seconds of this process, the last result). CPU time is
    what the ratios use: on a shared machine the wall clock measures the neighbours too."""
    walls, cpus, out = [], [], None
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        out = fn()
        walls.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
    return statistics.median(walls), statistics.median(cpus), out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=300)
    ap.add_argument("--no-record", action="store_true")
    args = ap.parse_args()
    import pypdfium2

    pdf = make_pdf(args.pages)
    bare_pdfium(pdf)  # PDFium's first use loads the library: not part of either side
    anchor = timed(lambda: bare_pdfium(pdf), repeat=3)
    ours = timed(lambda: extract("big.pdf", pdf), repeat=3)
    doc = ours[2]
    try:
        import pypdf

        before = timed(lambda: [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages])
    except ImportError:  # only the test extra installs it now
        before = None
    cut = timed(lambda: passages(doc))
    parts = cut[2]
    with tempfile.TemporaryDirectory() as tmp, open_store(Path(tmp) / "h.sqlite3") as store:
        cid = store.create_conversation().id
        stored = timed(lambda: store.add_document(cid, "big.pdf", pdf, doc.kind, doc.pages, parts))
        questions = [f"What does line {k} say about the {WORDS[k % len(WORDS)]} budget?" for k in range(10)]
        questions += [f"{HANZI[k:k + 4]}是什么？" for k in range(10)]
        find = [timed(lambda q=q: store.find_passages(cid, q, 2000, estimate_tokens)) for q in questions]
    find_ms = statistics.median(f[0] for f in find) * 1000
    find_cpu_ms = statistics.median(f[1] for f in find) * 1000
    whole = (ours[0] + cut[0] + stored[0], ours[1] + cut[1] + stored[1])

    def row(label, t):
        return (label, f"{t[0]:.2f} s", f"{t[1]:.2f} s", f"{t[1] / anchor[1]:.2f}")

    rows = [
        row("read: bare pypdfium2 page text (anchor, median of 3)", anchor),
        row("read: extract() (sections, joined lines, checks; median of 3)", ours),
        row(f"cut: {len(parts)} passages", cut),
        row("store: passages + FTS5, one transaction", stored),
        row("read + cut + store (the reading thread's whole work)", whole),
        ("find: passages for a question, median of 20 (GUI thread)", f"{find_ms:.1f} ms", f"{find_cpu_ms:.1f} ms",
         f"{'within' if find_cpu_ms <= 16 else 'over'} a 16 ms frame"),
    ]
    if before is not None:
        rows.insert(0, row(f"read: pypdf {pypdf.__version__} page text (the reader before)", before))
    header = (f"| {args.pages}-page PDF ({len(pdf) / 2**20:.1f} MB) | wall | CPU | CPU vs anchor |\n"
              "|---|---:|---:|---:|")
    table = header + "\n" + "\n".join(f"| {' | '.join(r)} |" for r in rows)
    print(table)
    if not args.no_record:
        when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M")
        load = ", load average %.1f" % os.getloadavg()[0] if hasattr(os, "getloadavg") else ""
        machine = (f"{platform.machine()}, {os.cpu_count()} CPUs{load}, Python {platform.python_version()}, "
                   f"pypdfium2 {pypdfium2.version.PYPDFIUM_INFO}")
        cmd = "QT_QPA_PLATFORM=offscreen python bench/bench_documents.py " + " ".join(sys.argv[1:])
        with open(Path(__file__).with_name("RESULTS.md"), "a", encoding="utf-8") as f:
            f.write(f"\n## Documents ({when} UTC)\n\n`{cmd.strip()}` on {machine}\n\n{table}\n")


if __name__ == "__main__":
    main()
