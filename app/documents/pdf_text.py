"""A PDF's text, page by page, with PDFium (pypdfium2): about 15 times faster than pypdf on long
files, and it opens every kind of encryption itself.

Lines that the layout wrapped inside a Chinese or Japanese sentence are joined again (those
scripts put no space between words, so a wrap cuts a word in two for the passage index).
"""
from __future__ import annotations

import logging
import re
import threading

from app.documents.extract import DocumentError, Section

log = logging.getLogger(__name__)

# PDFium is not thread-safe: one call into it at a time in this process.
_PDFIUM = threading.Lock()
# Han, kana and CJK/full-width punctuation; not Hangul, since Korean puts spaces between words.
_WIDE = "\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_SENTENCE_END = "。！？；…」』”"
_WRAPPED = re.compile(f"(?<=[{_WIDE}])(?<![{_SENTENCE_END}])\n(?=[{_WIDE}])")
_WIDE_CHAR = re.compile(f"[{_WIDE}]")
FULL_LINE = 0.8  # a line this close to the page's widest was wrapped by the layout, not ended


class PasswordNeeded(DocumentError):
    """The PDF opens only with its password; `tried` when the one given was not it."""

    def __init__(self, name: str, tried: bool) -> None:
        super().__init__(f"{name} is password-protected; open it, save an unprotected copy and drop that "
                         "instead." if not tried else f"That password does not open {name}.")
        self.tried = tried


def pdf_sections(name: str, data: bytes, password: str = "") -> tuple[list[Section], int]:
    """One Section per page that has text ("p. N"), and the number of pages. PasswordNeeded when
    the file is locked (and `password` does not open it); DocumentError when it is damaged or has
    no text at all; one unreadable page costs only itself. The password is used, never kept."""
    import pypdfium2 as pdfium

    with _PDFIUM:
        try:
            pdf = pdfium.PdfDocument(data, password=password or None)
        except pdfium.PdfiumError as exc:
            if getattr(exc, "err_code", None) == pdfium.raw.FPDF_ERR_PASSWORD:
                raise PasswordNeeded(name, tried=bool(password)) from None  # the password stays out of tracebacks
            raise DocumentError(f"{name} is damaged or not a PDF; DeskSeek could not read it.") from exc
        try:
            n_pages = len(pdf)
            sections, broken = [], 0
            for n in range(n_pages):
                try:  # one damaged page should not cost the reader the other pages
                    text = _page_text(pdf, n)
                except Exception:
                    log.debug("%s p. %d is unreadable", name, n + 1, exc_info=True)
                    broken += 1
                    continue
                sections.append(Section(join_wrapped_lines(text), f"p. {n + 1}"))
        finally:
            pdf.close()
    if not any(s.text.strip() for s in sections):
        if broken:
            raise DocumentError(f"{name} is damaged or not a PDF; DeskSeek could not read it.")
        raise DocumentError(f"{name} has no text layer (a scanned document?); DeskSeek cannot read text "
                            "from images yet.")
    return sections, n_pages


def _page_text(pdf, index: int) -> str:
    page = pdf[index]
    try:
        textpage = page.get_textpage()
        try:
            text = textpage.get_text_range()
        finally:
            textpage.close()
    finally:
        page.close()
    return text.replace("\r\n", "\n").replace("\r", "\n")


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
