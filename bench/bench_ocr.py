"""OCR benchmark: seconds per scanned page and character accuracy, English and Chinese.

    python bench/bench_ocr.py                                  # 2 pages a language, the sweep below
    python bench/bench_ocr.py --pages 1 --configs 200:960 --no-record

Pages are made from known text: set in WenQuanYi Micro Hei (fonts-wqy-microhei) at 11 pt on an A4
page at 300 dpi with Pillow, saved as an image-only PDF (JPEG inside, as a scanner writes it), so
the PDF has no text layer. Each page is then read as the app reads a scan: PDFium renders it at
DPI (at most ocr.MAX_SIDE pixels long), RapidOCR finds text on the image shrunk to DET (pixels,
longer side) and recognises each line from the render. Accuracy is 1 - edit distance / length
over the page's characters with all whitespace removed (line breaks and spaces are layout, not
reading). The anchor is PDFium rendering the same pages at the same resolution, measured in the
same run; the last row is the app's own path (extract() with its defaults) over the whole file.
"""
from __future__ import annotations

import argparse
import io
import os
import platform
import random
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from app.documents import ocr, pdf_text  # noqa: E402
from app.documents.extract import extract  # noqa: E402

FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
DPI = 300
A4 = (2480, 3508)  # at 300 dpi
MARGIN = 250
POINTS = 11

ENGLISH = [
    "The tenant shall pay the rent of {n} euros on the first working day of each month.",
    "Either party may end this agreement with {n} days' notice in writing.",
    "The landlord repairs the roof, the walls and the heating within {n} days of a report.",
    "Quarterly revenue rose by {n} percent, driven by exports to Asia and new contracts.",
    "The committee reviewed {n} proposals and approved the budget for the next year.",
    "Deliveries arrive at dock {n} between 7:30 and 11:00; drivers sign in at the gate.",
    "Invoices are payable within {n} days; late payments carry interest of 1.5% a month.",
    "The warranty covers parts and labour for {n} months from the date of purchase.",
]
CHINESE = [
    "承租人应于每月第一个工作日支付租金{n}元。",
    "任何一方可提前{n}天书面通知对方解除本合同。",
    "出租人应在接到报修后{n}日内修复屋顶、墙体和供暖设施。",
    "第二季度营业收入增长百分之{n}，主要来自对亚洲的出口和新签合同。",
    "委员会审议了{n}项提案，并批准了下一年度的预算。",
    "货物于上午七点半至十一点送达{n}号码头，司机须在门口登记。",
    "发票应在{n}日内付清，逾期付款每月加收百分之一点五的利息。",
    "保修期自购买之日起{n}个月，涵盖零件和人工费用。",
]


def page_lines(language: str, page: int, font) -> list[str]:
    """The lines of one page of known text, wrapped to the page's width."""
    rng = random.Random(f"{language}{page}")
    pool = ENGLISH if language == "en" else CHINESE
    width = A4[0] - 2 * MARGIN
    lines: list[str] = []
    line_height = font.size * 1.6
    max_lines = int((A4[1] - 2 * MARGIN) / line_height)
    joiner = " " if language == "en" else ""
    while len(lines) < max_lines:
        paragraph = joiner.join(rng.choice(pool).format(n=rng.randint(2, 999)) for _ in range(3))
        current = ""
        for token in (paragraph.split(" ") if language == "en" else list(paragraph)):
            trial = f"{current}{joiner}{token}" if current else token
            if font.getlength(trial) > width:
                lines.append(current)
                current = token
            else:
                current = trial
        lines.append(current)
    return lines[:max_lines]


def scanned_pdf(pages: list[list[str]], font) -> bytes:
    from PIL import Image, ImageDraw

    images = []
    for lines in pages:
        image = Image.new("L", A4, 255)
        draw = ImageDraw.Draw(image)
        for i, line in enumerate(lines):
            draw.text((MARGIN, MARGIN + i * font.size * 1.6), line, font=font, fill=0)
        images.append(image)
    out = io.BytesIO()
    images[0].save(out, "PDF", resolution=DPI, save_all=True, append_images=images[1:])
    return out.getvalue()


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance, one numpy row at a time (a cell's left neighbour folded in with a
    running minimum)."""
    if not a or not b:
        return len(a) or len(b)
    codes_b = np.frombuffer(b.encode("utf-32-le"), dtype=np.uint32)
    row = np.arange(len(b) + 1, dtype=np.int64)
    steps = np.arange(len(b) + 1, dtype=np.int64)
    for i, ch in enumerate(a, 1):
        cost = (codes_b != ord(ch)).astype(np.int64)
        new = np.empty_like(row)
        new[0] = i
        new[1:] = np.minimum(row[1:] + 1, row[:-1] + cost)
        new = np.minimum.accumulate(new - steps) + steps  # insertions along the row
        row = new
    return int(row[-1])


def accuracy(found: str, truth: str) -> float:
    found, truth = "".join(found.split()), "".join(truth.split())
    return max(0.0, 1 - edit_distance(found, truth) / len(truth))


def render(pdf, index: int, dpi: int):
    page = pdf[index]
    try:
        width, height = page.get_size()
        bitmap = page.render(scale=min(dpi / 72, ocr.MAX_SIDE / max(width, height)), grayscale=True)
        try:
            return bitmap.to_numpy().copy()
        finally:
            bitmap.close()
    finally:
        page.close()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--pages", type=int, default=2, help="pages per language (default 2)")
    p.add_argument("--configs", default="150:960,200:736,200:960,200:1280,300:1280",
                   help="DPI:DET pairs to sweep (default %(default)s)")
    p.add_argument("--no-record", action="store_true", help="do not append to bench/RESULTS.md")
    args = p.parse_args()

    import pypdfium2 as pdfium
    from PIL import ImageFont

    font = ImageFont.truetype(FONT, round(POINTS * DPI / 72))
    truth = {lang: [page_lines(lang, n, font) for n in range(args.pages)] for lang in ("en", "zh")}
    files = {lang: scanned_pdf(pages, font) for lang, pages in truth.items()}
    configs = [tuple(map(int, c.split(":"))) for c in args.configs.split(",")]
    rows = []
    for dpi, det in configs:
        engine = ocr.new_engine(det_side=det)
        ocr.image_text(np.full((64, 64), 255, np.uint8), engine)  # load the models outside the timing
        for lang, data in files.items():
            pdf = pdfium.PdfDocument(data)
            images, anchor = [], 0.0
            for n in range(len(pdf)):
                t = time.perf_counter()
                images.append(render(pdf, n, dpi))
                anchor += time.perf_counter() - t
            pdf.close()
            seconds, scores = 0.0, []
            for image, lines in zip(images, truth[lang]):
                t = time.perf_counter()
                text = ocr.image_text(image, engine)
                seconds += time.perf_counter() - t
                scores.append(accuracy(text, "\n".join(lines)))
            n = len(images)
            chars = sum(len("".join("".join(lines).split())) for lines in truth[lang])
            rows.append((f"{dpi} dpi, DET {det}", lang, images[0].shape, seconds / n, anchor / n,
                         sum(scores) / n, min(scores), chars // n))
            print(rows[-1], flush=True)
    # The app's own path, with its defaults, over each file.
    for lang, data in files.items():
        t = time.perf_counter()
        doc = extract(f"scan-{lang}.pdf", data)
        seconds = time.perf_counter() - t
        found = ["\n".join(s.text for s in doc.sections if s.location == f"p. {n + 1}") for n in range(args.pages)]
        scores = [accuracy(f, "\n".join(lines)) for f, lines in zip(found, truth[lang])]
        rows.append((f"extract() (app: {pdf_text.OCR_DPI} dpi, DET {ocr.DET_SIDE})", lang, None,
                     seconds / args.pages, None, sum(scores) / len(scores), min(scores), None))
        print(rows[-1], flush=True)

    table = ["| settings | text | render (px) | s / page | PDFium render s / page (anchor) | OCR vs anchor "
             "| accuracy (mean) | accuracy (worst page) | characters / page |",
             "|---|---|---|---:|---:|---:|---:|---:|---:|"]
    for setting, lang, shape, secs, anchor, mean, worst, chars in rows:
        size = f"{shape[1]}×{shape[0]}" if shape else ""
        ratio = f"{secs / anchor:.0f}x" if anchor else ""
        table.append(f"| {setting} | {lang} | {size} | {secs:.2f} | {anchor:.3f} | {ratio} | {mean:.4f} | "
                     f"{worst:.4f} | {chars or ''} |".replace("| 0.000 |", "| |") if anchor else
                     f"| {setting} | {lang} | | {secs:.2f} | | | {mean:.4f} | {worst:.4f} | |")
    text = "\n".join(table)
    print(text)
    if not args.no_record:
        when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M")
        load = ", load average %.1f" % os.getloadavg()[0] if hasattr(os, "getloadavg") else ""
        import onnxruntime
        import rapidocr

        machine = (f"{platform.machine()}, {os.cpu_count()} CPUs{load}, Python {platform.python_version()}, "
                   f"rapidocr {rapidocr.__version__ if hasattr(rapidocr, '__version__') else '?'}, "
                   f"onnxruntime {onnxruntime.__version__}")
        cmd = "python bench/bench_ocr.py " + " ".join(sys.argv[1:])
        with open(Path(__file__).with_name("RESULTS.md"), "a", encoding="utf-8") as f:
            f.write(f"\n## OCR ({when} UTC)\n\n`{cmd.strip()}` on {machine}\n\n{text}\n")


if __name__ == "__main__":
    main()
