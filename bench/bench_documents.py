"""Documents benchmark: a long PDF from drop to cited passages, against bare pypdf as the anchor.

    QT_QPA_PLATFORM=offscreen python bench/bench_documents.py            # 300 pages
    QT_QPA_PLATFORM=offscreen python bench/bench_documents.py --pages 50 --no-record

Reading (worker thread): pypdf's own page text is the anchor; ours adds the per-page sections,
passages and the checks, so the ratio says what the pipeline costs on top of the PDF library.
Storing and finding run on the GUI thread, so they are timed against the frame budget (16 ms):
the store's write of all passages (one transaction) and a question's passage lookup
(median of 20 questions, English and Chinese).
"""
from __future__ import annotations

import argparse
import io
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


def timed(fn, repeat: int = 1):
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=300)
    ap.add_argument("--no-record", action="store_true")
    args = ap.parse_args()
    import pypdf

    pdf = make_pdf(args.pages)
    anchor, _ = timed(lambda: [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages])
    ours, doc = timed(lambda: extract("big.pdf", pdf))
    cut, parts = timed(lambda: passages(doc))
    with tempfile.TemporaryDirectory() as tmp, open_store(Path(tmp) / "h.sqlite3") as store:
        cid = store.create_conversation().id
        store_s, _ = timed(lambda: store.add_document(cid, "big.pdf", pdf, doc.kind, doc.pages, parts))
        questions = [f"What does line {k} say about the {WORDS[k % len(WORDS)]} budget?" for k in range(10)]
        questions += [f"{HANZI[k:k + 4]}是什么？" for k in range(10)]
        find = [timed(lambda q=q: store.find_passages(cid, q, 2000, estimate_tokens))[0] for q in questions]
    find_ms = statistics.median(find) * 1000
    rows = [
        ("read: pypdf page text (anchor)", f"{anchor:.2f} s", "1.00"),
        ("read: extract() (sections, checks)", f"{ours:.2f} s", f"{ours / anchor:.2f}"),
        (f"cut: {len(parts)} passages", f"{cut * 1000:.0f} ms", f"{cut / anchor:.3f}"),
        ("store: passages + FTS5, one transaction (GUI thread)", f"{store_s * 1000:.0f} ms", ""),
        ("find: passages for a question, median of 20 (GUI thread)", f"{find_ms:.1f} ms",
         f"{'within' if find_ms <= 16 else 'over'} a 16 ms frame"),
    ]
    header = f"| {args.pages}-page PDF ({len(pdf) / 2**20:.1f} MB) | time | vs anchor |\n|---|---:|---:|"
    table = header + "\n" + "\n".join(f"| {a} | {b} | {c} |" for a, b, c in rows)
    print(table)
    if not args.no_record:
        when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M")
        machine = f"{platform.machine()}, {platform.processor() or 'cpu'}, Python {platform.python_version()}, pypdf {pypdf.__version__}"
        cmd = "QT_QPA_PLATFORM=offscreen python bench/bench_documents.py " + " ".join(sys.argv[1:])
        with open(Path(__file__).with_name("RESULTS.md"), "a", encoding="utf-8") as f:
            f.write(f"\n## Documents ({when} UTC)\n\n`{cmd.strip()}` on {machine}\n\n{table}\n")


if __name__ == "__main__":
    main()
