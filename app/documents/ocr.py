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
    """Boxes (four corners each) are taken by their vertical middles, top to bottom: a box joins
    the line started by that line's first box when its middle lies within that first box's height,
    else it starts the next line; each line is read left to right, lines top to bottom. On a page
    set in two columns (a gutter near the middle that every box keeps clear of or spans whole, see
    _gutter), the left column is read before the right one, between the lines that span the gutter
    (titles across both columns), each placed by its middle. Latin words are joined by a space,
    Chinese and Japanese characters are not."""
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
    """The middle of the widest vertical strip in the middle half of the text that every box keeps
    clear of or spans whole, and that only titles span (lines across both columns, see _across),
    if it is at least as wide as the median line is high and each side reads as a column of prose
    (five lines or more, the column at least 30% of the text's width, its median line at least 70%
    as wide as it); else None (one column). A box that starts or ends
    inside a strip narrows it, however wide the box: so a main column of 60% or more beside a
    sidebar keeps its gutter. Of strips as wide, the leftmost; one whose sides are not prose gives
    way to the next widest."""
    if len(items) < 6:
        return None
    left, right = min(i[2] for i in items), max(i[3] for i in items)
    width = right - left
    starts, ends = {i[2] for i in items}, {i[3] for i in items}
    # How many boxes that are not titles start (+1) or end (-1) at each edge: a strip one of them
    # is over is no gutter, whatever spans it.
    narrow: dict[float, int] = {}
    for i in items:
        if not _across(i, items, left, width):
            narrow[i[2]] = narrow.get(i[2], 0) + 1
            narrow[i[3]] = narrow.get(i[3], 0) - 1
    heights = sorted(i[1] - i[0] for i in items)
    edges = sorted(starts | ends)
    strips, over = [], 0
    # Between two neighbouring edges no box starts or ends, so each box keeps clear of the strip or
    # spans it; a gutter's strip runs from a box's right edge to another's left edge.
    for a, b in zip(edges, edges[1:]):
        over += narrow.get(a, 0)
        if not over and a in ends and b in starts and b - a >= heights[len(heights) // 2] \
                and left + width / 4 < (a + b) / 2 < right - width / 4:
            strips.append((a, b))
    for a, b in sorted(strips, key=lambda s: s[0] - s[1]):  # widest first; sorted() keeps the leftmost first
        middle = (a + b) / 2
        if all(_prose(side, width) for side in ([i for i in items if i[3] <= middle],
                                                 [i for i in items if i[2] >= middle])):
            return middle
    return None


def _across(item, items, left, width) -> bool:
    """A title may span the gutter: a line of 60% of the text's width or more, or a shorter one
    (a subtitle) alone on its line with its middle within 5% of the width of the text's middle.
    A line of a column that runs into the gutter is neither: it has the other column's line beside
    it, or hangs off to one side."""
    if item[3] - item[2] >= 0.6 * width:
        return True
    if abs((item[2] + item[3]) / 2 - (left + width / 2)) > 0.05 * width:
        return False
    middle = (item[0] + item[1]) / 2
    return not any(other is not item and (item[0] <= (other[0] + other[1]) / 2 <= item[1]
                                          or other[0] <= middle <= other[1]) for other in items)


def _prose(side, width) -> bool:
    """Prose fills a wide column: five lines or more, most nearly as wide as the column, the column
    at least 30% of the text's width. A table's cells, or a form's labels and values, do not, and
    are read row by row."""
    if len(side) < 5:
        return False
    column = max(i[3] for i in side) - min(i[2] for i in side)
    widths = sorted(i[3] - i[2] for i in side)
    return column >= 0.3 * width and widths[len(widths) // 2] >= 0.7 * column


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
