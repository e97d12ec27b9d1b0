"""OCR benchmark: seconds per scanned page and character accuracy, English and Chinese.

    python bench/bench_ocr.py                                  # 1 page a language and size, the sweep below
    python bench/bench_ocr.py --worn                           # pages that look scanned from paper
    python bench/bench_ocr.py --pages 1 --configs 200:960 --no-record

Pages are made from known text: set in WenQuanYi Micro Hei (fonts-wqy-microhei) at 11 pt (and at
each size in --points) on an A4 page at 300 dpi with Pillow, saved as an image-only PDF (JPEG inside, as a scanner writes it), so
the PDF has no text layer; with --worn each page also looks scanned from paper. Each page is then read as the app reads a scan: PDFium renders it at
DPI (at most ocr.MAX_SIDE pixels long), RapidOCR finds text on the image shrunk to DET (pixels,
longer side) and recognises each line from the render. Accuracy is 1 - edit distance / length
over the page's characters with all whitespace removed (line breaks and spaces are layout, not
reading). Seconds are this process's CPU time (all threads; onnxruntime uses one per core) and
wall time: on a shared machine the wall clock measures the neighbours too. The anchor is PDFium
rendering the same pages at the same resolution (CPU time), measured in the same run; the last
rows are the app's own path (extract() with its defaults) over the whole file.
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
    rng = random.Random(f"{language}{page}{font.size}")
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


def scanned_pdf(pages: list[list[str]], font, worn: bool = False) -> bytes:
    """With `worn`, each page looks scanned from paper: turned 0.6°, blurred (radius 1.2 px at
    300 dpi), grey speckle (σ 25 of 255), saved as a JPEG of quality 40."""
    from PIL import Image, ImageDraw, ImageFilter

    images = []
    for n, lines in enumerate(pages):
        image = Image.new("L", A4, 255)
        draw = ImageDraw.Draw(image)
        for i, line in enumerate(lines):
            draw.text((MARGIN, MARGIN + i * font.size * 1.6), line, font=font, fill=0)
        if worn:
            image = image.rotate(0.6, resample=Image.Resampling.BICUBIC, fillcolor=255)
            image = image.filter(ImageFilter.GaussianBlur(1.2))
            noise = np.random.default_rng(n).normal(0, 25, (A4[1], A4[0]))
            image = Image.fromarray(np.clip(np.asarray(image, dtype=np.float64) + noise, 0, 255).astype(np.uint8))
        images.append(image)
    out = io.BytesIO()
    images[0].save(out, "PDF", resolution=DPI, save_all=True, append_images=images[1:], quality=40 if worn else 75)
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
    p.add_argument("--pages", type=int, default=1, help="pages per language and size (default 1)")
    p.add_argument("--points", default="11,8", help="text sizes in points (default %(default)s)")
    p.add_argument("--configs", default="150:960,200:736,200:960,300:1280",
                   help="DPI:DET pairs to sweep (default %(default)s)")
    p.add_argument("--models", metavar="DET.onnx,REC.onnx",
                   help="other detection and recognition models for the sweep (say, int8-quantised ones)")
    p.add_argument("--worn", action="store_true", help="pages that look scanned: turned, blurred, speckled, JPEG 40")
    p.add_argument("--no-record", action="store_true", help="do not append to bench/RESULTS.md")
    args = p.parse_args()

    import pypdfium2 as pdfium
    from PIL import ImageFont

    cases = {}  # (language, points) -> (the pages' lines, the scanned PDF)
    for points in map(int, args.points.split(",")):
        font = ImageFont.truetype(FONT, round(points * DPI / 72))
        for lang in ("en", "zh"):
            pages = [page_lines(lang, n, font) for n in range(args.pages)]
            cases[lang, points] = (pages, scanned_pdf(pages, font, args.worn))
    configs = [tuple(map(int, c.split(":"))) for c in args.configs.split(",")]
    rows = []
    for dpi, det in configs:
        models = dict(zip(("Det", "Rec"), args.models.split(","))) if args.models else None
        engine = ocr.new_engine(det_side=det, models=models)
        ocr.image_text(np.full((64, 64), 255, np.uint8), engine)  # load the models outside the timing
        for (lang, points), (truth, data) in cases.items():
            pdf = pdfium.PdfDocument(data)
            images, anchor = [], 0.0
            for n in range(len(pdf)):
                t = time.process_time()
                images.append(render(pdf, n, dpi))
                anchor += time.process_time() - t
            pdf.close()
            cpu = wall = 0.0
            scores = []
            for image, lines in zip(images, truth):
                t, w = time.process_time(), time.perf_counter()
                text = ocr.image_text(image, engine)
                cpu += time.process_time() - t
                wall += time.perf_counter() - w
                scores.append(accuracy(text, "\n".join(lines)))
            n = len(images)
            chars = sum(len("".join("".join(lines).split())) for lines in truth)
            rows.append((f"{dpi} dpi, DET {det}" + (" (--models)" if models else ""), f"{lang} {points} pt", f"{images[0].shape[1]}×{images[0].shape[0]}",
                         cpu / n, wall / n, anchor / n, sum(scores) / n, min(scores), chars // n))
            print(rows[-1], flush=True)
    for (lang, points), (truth, data) in cases.items():  # the app's own path, with its defaults
        t, w = time.process_time(), time.perf_counter()
        doc = extract(f"scan-{lang}.pdf", data)
        cpu, wall = time.process_time() - t, time.perf_counter() - w
        found = ["\n".join(s.text for s in doc.sections if s.location == f"p. {n + 1}") for n in range(args.pages)]
        scores = [accuracy(f, "\n".join(lines)) for f, lines in zip(found, truth)]
        rows.append((f"extract() (app: {pdf_text.OCR_DPI} dpi, DET {ocr.DET_SIDE})", f"{lang} {points} pt", "",
                     cpu / args.pages, wall / args.pages, None, sum(scores) / len(scores), min(scores), None))
        print(rows[-1], flush=True)

    table = ["| settings | text | render (px) | CPU s / page | wall s / page | PDFium render CPU s / page (anchor) "
             "| OCR vs anchor (CPU) | accuracy (mean) | accuracy (worst page) | characters / page |",
             "|---|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for setting, text, size, cpu, wall, anchor, mean, worst, chars in rows:
        anchor_cells = f"{anchor:.3f} | {cpu / anchor:.0f}x" if anchor else " | "
        table.append(f"| {setting} | {text} | {size} | {cpu:.2f} | {wall:.2f} | {anchor_cells} | {mean:.4f} | "
                     f"{worst:.4f} | {chars or ''} |")
    text = "\n".join(table)
    print(text)
    if not args.no_record:
        from importlib.metadata import version

        when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M")
        load = ", load average %.1f" % os.getloadavg()[0] if hasattr(os, "getloadavg") else ""
        machine = (f"{platform.machine()}, {os.cpu_count()} CPUs{load}, Python {platform.python_version()}, "
                   f"rapidocr {version('rapidocr')}, onnxruntime {version('onnxruntime')}, "
                   f"pypdfium2 {version('pypdfium2')}")
        cmd = "python bench/bench_ocr.py " + " ".join(sys.argv[1:])
        with open(Path(__file__).with_name("RESULTS.md"), "a", encoding="utf-8") as f:
            f.write(f"\n## OCR ({when} UTC)\n\n`{cmd.strip()}` on {machine}\n\n{text}\n")


if __name__ == "__main__":
    main()
