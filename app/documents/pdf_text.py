"""A PDF's text, page by page, with PDFium (pypdfium2): about 15 times faster than pypdf on long
files, and it opens every kind of encryption itself. A page without a text layer (a scan) is
rendered by PDFium and read by OCR (app.documents.ocr), page by page, with progress and cancel.

Lines that the layout wrapped inside a Chinese or Japanese sentence are joined again (those
scripts put no space between words, so a wrap cuts a word in two for the passage index).
"""
from __future__ import annotations

import logging
import re
import threading

from app.documents.extract import DocumentError, Section
from app.documents.ocr import MAX_SIDE, OcrUnavailable, image_text
from app.documents.reading import Reading, ReadingCancelled

log = logging.getLogger(__name__)

# PDFium is not thread-safe: one call into it at a time in this process.
_PDFIUM = threading.Lock()
# Han, kana and CJK/full-width punctuation; not Hangul, since Korean puts spaces between words.
_WIDE = "\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_SENTENCE_END = "。！？；…」』”"
_WRAPPED = re.compile(f"(?<=[{_WIDE}])(?<![{_SENTENCE_END}])\n(?=[{_WIDE}])")
_WIDE_CHAR = re.compile(f"[{_WIDE}]")
FULL_LINE = 0.8  # a line this close to the page's widest was wrapped by the layout, not ended
# A page with fewer characters than this in its text layer, and something drawn on it, is read by
# OCR (a scan often carries a page number or a stamp as text). Rendered at OCR_DPI, at most
# ocr.MAX_SIDE pixels on its longer side (bench/bench_ocr.py measured both).
OCR_BELOW_CHARACTERS = 16
OCR_DPI = 200


class PasswordNeeded(DocumentError):
    """The PDF opens only with its password; `tried` when the one given was not it."""

    def __init__(self, name: str, tried: bool) -> None:
        super().__init__(f"{name} is password-protected; open it, save an unprotected copy and drop that "
                         "instead." if not tried else f"That password does not open {name}.")
        self.tried = tried


def pdf_sections(name: str, data: bytes, password: str = "",
                 reading: Reading | None = None) -> tuple[list[Section], int]:
    """One Section per page that has text ("p. N"), and the number of pages. A page without a
    text layer that shows something (a scan, text drawn as paths) is rendered and read by OCR.
    PasswordNeeded when the file is locked (and `password` does not open it); DocumentError when
    it is damaged or has no text at all; ReadingCancelled when `reading` is cancelled (looked at
    between pages). A page that cannot be read costs only itself and is named in
    `reading.unread`. The password is used, never kept."""
    import pypdfium2 as pdfium

    reading = reading if reading is not None else Reading()
    with _PDFIUM:
        try:
            pdf = pdfium.PdfDocument(data, password=password or None)
        except pdfium.PdfiumError as exc:
            if getattr(exc, "err_code", None) == pdfium.raw.FPDF_ERR_PASSWORD:
                raise PasswordNeeded(name, tried=bool(password)) from None  # the password stays out of tracebacks
            raise DocumentError(f"{name} is damaged or not a PDF; DeskSeek could not read it.") from exc
        n_pages = len(pdf)
    sections: list[Section] = []
    broken = scanned = 0
    no_ocr: OcrUnavailable | None = None
    try:
        for n in range(n_pages):
            reading.check(name)
            try:  # one damaged page should not cost the reader the other pages
                with _PDFIUM:  # PDFium one call at a time; OCR, the slow part, runs outside the lock
                    text, image = _page_text(pdf, n)
                reading.page(name, n + 1, n_pages, ocr=image is not None)
                if image is not None:
                    scanned += 1
                    if no_ocr is not None:  # no OCR here (found on an earlier scan): named unread below
                        continue
                    text = image_text(image) or text  # what OCR finds, or the layer's few words if none
            except OcrUnavailable as exc:
                no_ocr = exc
                log.warning("%s p. %d has no text layer and OCR is not available: %s", name, n + 1, exc)
                continue
            except ReadingCancelled:
                raise
            except Exception:
                log.warning("%s p. %d is unreadable", name, n + 1, exc_info=True)
                broken += 1
                reading.unread.append(f"p. {n + 1}")
                continue
            sections.append(Section(join_wrapped_lines(text), f"p. {n + 1}"))
    finally:
        with _PDFIUM:
            pdf.close()
    if not any(s.text.strip() for s in sections):
        if broken:
            raise DocumentError(f"{name} is damaged or not a PDF; DeskSeek could not read it.")
        if no_ocr is not None:
            raise DocumentError(f"{name} has no text layer (a scanned document?), and this copy of DeskSeek "
                                "has no OCR to read its images.")
        if scanned:
            raise DocumentError(f"{name} has no text layer, and no text was found in its images.")
        raise DocumentError(f"{name} has no text in it: its pages are blank.")
    if no_ocr is not None:  # some pages read, the scanned ones not
        reading.unread.extend(f"p. {n}" for n in range(1, n_pages + 1)
                              if f"p. {n}" not in {s.location for s in sections} | set(reading.unread))
    return sections, n_pages


def _page_text(pdf, index: int):
    """The page's text, and its picture (a numpy array) when it has no text layer to speak of
    but shows something: a scan, or text drawn as shapes."""
    import pypdfium2 as pdfium

    page = pdf[index]
    try:
        textpage = page.get_textpage()
        try:
            text = textpage.get_text_range()
        finally:
            textpage.close()
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if len("".join(text.split())) >= OCR_BELOW_CHARACTERS:
            return text, None
        # Into forms as deep as pypdfium2 looks (15): n-up and stamping tools place a scanned page
        # as a form, and such a page again as a form within a form.
        if next(page.get_objects(filter=_drawn(pdfium)), None) is None:
            return text, None  # a blank page (or a few words alone on one)
        width, height = page.get_size()
        scale = min(OCR_DPI / 72, MAX_SIDE / max(width, height, 1))
        bitmap = page.render(scale=scale, grayscale=True)
        try:
            return text, bitmap.to_numpy().copy()
        finally:
            bitmap.close()
    finally:
        page.close()


def _drawn(pdfium) -> tuple[int, ...]:
    """Page objects that can show text without a text layer."""
    raw = pdfium.raw
    return raw.FPDF_PAGEOBJ_IMAGE, raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_SHADING


def join_wrapped_lines(text: str) -> str:
    """`text` with each line break between two Chinese/Japanese characters removed where the line
    before it is nearly as wide as the page's widest and does not end a sentence."""
    lines = text.split("\n")
    if len(lines) < 2 or not _WIDE_CHAR.search(text):
        return text
    widest = max(map(_width, lines))
    out = [lines[0]]
    for previous, line in zip(lines, lines[1:]):
        previous, line = previous.rstrip(), line.lstrip()
        if _width(previous) >= FULL_LINE * widest and _WRAPPED.search(previous[-1:] + "\n" + line[:1]):
            out[-1] = out[-1].rstrip() + line
        else:
            out.append(line)
    return "\n".join(out)


def _width(line: str) -> int:
    """Columns a line takes: a wide character is two."""
    return len(line) + len(_WIDE_CHAR.findall(line))
