"""Text in pictures of text (scanned PDF pages, dropped .png/.jpg) with RapidOCR: PP-OCR's
Chinese and English detection and recognition models, shipped inside the rapidocr wheel and run
by onnxruntime on the CPU. The models are named by path, so nothing is ever downloaded: it works
offline from the first minute.

The engine loads once per process (about a second), on first use, under a lock that also keeps
one recognition at a time (the reading thread and `deskseek passages` each read one page at a
time anyway).
"""
from __future__ import annotations

import logging
import re
import threading
from pathlib import Path

log = logging.getLogger(__name__)

# PP-OCRv6 small: rapidocr 3.x's defaults, the ones its wheel carries.
MODELS = {"Det": "PP-OCRv6_det_small.onnx", "Rec": "PP-OCRv6_rec_small.onnx"}
# The longest side of the image text is found on (rapidocr's default: the shorter side at least
# 736), and of the image lines are recognised from (its default 2000): bench/bench_ocr.py
# measured both, with the render resolution (pdf_text.OCR_DPI).
DET_SIDE = 960
MAX_SIDE = 2400

_LOCK = threading.Lock()
_engine = None
# Han, kana, Hangul syllables and CJK punctuation: no space goes between two of these.
_WIDE = re.compile("[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")


class OcrUnavailable(Exception):
    """rapidocr or onnxruntime is not installed (or will not load) in this install."""


def image_text(image, engine=None) -> str:
    """The text in `image` (a numpy array, BGR or grey, as PDFium renders it), one line per line
    of text, top to bottom and left to right; "" when it holds none. `engine` (new_engine) is
    for the benchmark's settings; the app's own is made once, on first use."""
    with _LOCK:
        result = (engine or _get_engine())(image)
    if result.boxes is None or result.txts is None:
        return ""
    return lines_in_reading_order([[tuple(p) for p in box] for box in result.boxes.tolist()], list(result.txts))


def new_engine(det_side: int = DET_SIDE, max_side: int = MAX_SIDE, models: dict[str, str] | None = None):
    """A RapidOCR engine on the wheel's own model files. Text is found on the image shrunk to
    `det_side` pixels on its longer side; each line found is then recognised (most of the time
    goes there) from the image as given, at most `max_side` pixels long. `models` ({"Det": path,
    "Rec": path}) replaces the wheel's files (the benchmark tries others)."""
    try:
        import rapidocr
        from rapidocr import RapidOCR
    except Exception as exc:  # ImportError, or a native library that will not load
        raise OcrUnavailable(f"the OCR engine is not installed ({type(exc).__name__}: {exc})") from exc
    folder = Path(rapidocr.__file__).parent / "models"
    paths = {part: str(folder / file) for part, file in MODELS.items()} | (models or {})
    # No angle classifier: it turned short upright lines of English upside down ("reviewed 555
    # proposals" came back as "rev  t   t as s sad"), and pages are scanned upright.
    params = {"Global.log_level": "error", "Global.max_side_len": max_side, "Global.use_cls": False,
              "Det.limit_type": "max", "Det.limit_side_len": det_side}
    params |= {f"{part}.model_path": path for part, path in paths.items()}
    return RapidOCR(params=params)


def _get_engine():
    global _engine
    if _engine is None:
        _engine = new_engine()
    return _engine


def lines_in_reading_order(boxes: list[list[tuple[float, float]]], texts: list[str]) -> str:
    """Boxes (four corners each) whose vertical middles fall within one another's height are one
    line, read left to right; lines top to bottom. On a page set in two columns (a gutter that no
    box crosses, near the middle), the left column is read before the right one, between the
    lines that span both (titles). Latin words are joined by a space, Chinese and Japanese
    characters are not."""
    items = [(min(y for _, y in b), max(y for _, y in b), min(x for x, _ in b), max(x for x, _ in b), t)
             for b, t in zip(boxes, texts) if t.strip()]
    gutter = _gutter(items)
    if gutter is None:
        return "\n".join(_lines(items))
    out: list[str] = []
    band: list = []
    for item in sorted(items, key=lambda i: (i[0] + i[1]) / 2):
        if item[2] < gutter < item[3]:  # a line across both columns ends the band above it
            out += _lines([i for i in band if i[3] <= gutter]) + _lines([i for i in band if i[2] >= gutter])
            out += _lines([item])
            band = []
        else:
            band.append(item)
    out += _lines([i for i in band if i[3] <= gutter]) + _lines([i for i in band if i[2] >= gutter])
    return "\n".join(out)


def _gutter(items) -> float | None:
    """The middle of the widest vertical strip in the middle half of the text that no box of
    less than 60% of the text's width crosses, if it is wider than a line is high and each side
    reads as a column of prose (five lines or more, most nearly as wide as the column, the column
    at least 30% of the text's width); else
    None (one column)."""
    if len(items) < 6:
        return None
    left, right = min(i[2] for i in items), max(i[3] for i in items)
    width = right - left
    narrow = sorted((i[2], i[3]) for i in items if i[3] - i[2] < 0.6 * width)
    heights = sorted(i[1] - i[0] for i in items)
    best, reach = None, left
    for x0, x1 in narrow:  # the uncovered runs between the boxes' x-extents, left to right
        if x0 > reach and left + width / 4 < (reach + x0) / 2 < right - width / 4:
            if x0 - reach >= heights[len(heights) // 2] and (best is None or x0 - reach > best[1] - best[0]):
                best = (reach, x0)
        reach = max(reach, x1)
    if best is None:
        return None
    middle = (best[0] + best[1]) / 2
    for side in ([i for i in items if i[3] <= middle], [i for i in items if i[2] >= middle]):
        # Prose fills a wide column: most lines nearly as wide as it. A table's cells, or a form's
        # labels and values, do not, and are read row by row.
        column = max(i[3] for i in side) - min(i[2] for i in side) if side else 0
        widths = sorted(i[3] - i[2] for i in side)
        if len(side) < 5 or column < 0.3 * width or widths[len(widths) // 2] < 0.7 * column:
            return None
    return middle


def _lines(items) -> list[str]:
    items = sorted(items, key=lambda i: (i[0] + i[1]) / 2)
    lines: list[list] = []
    for item in items:
        middle = (item[0] + item[1]) / 2
        if lines and lines[-1][0][0] <= middle <= lines[-1][0][1]:
            lines[-1].append(item)
        else:
            lines.append([item])
    out = []
    for line in lines:
        words = [i[4].strip() for i in sorted(line, key=lambda i: i[2])]
        text = words[0]
        for word in words[1:]:
            wide = _WIDE.match(text[-1]) and _WIDE.match(word[0])
            text += word if wide else " " + word
        out.append(text)
    return out
