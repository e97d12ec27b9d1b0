"""The details of a PDF's text: lines a layout wrapped inside Chinese text joined again (any width,
the spaces a PDF reader leaves at a wrap, the 80% rule's boundary; text with no Chinese or
Japanese left exactly as it is; Latin lines never joined), a carriage return alone, a scan placed
in forms within forms, a PDF whose scans this install cannot read, a cancel while a page is read,
and a locked PDF asked without a password.
Real PDFs made here (Qt's PDF writer, Pillow's scans, pypdf's encryption, PDFium placing pages as
forms, one written by hand)."""
from __future__ import annotations

import io
import sys

import pytest
from hypothesis import example, given, settings, strategies as st

from app.documents import ocr, pdf_text
from app.documents.extract import DocumentError, extract
from app.documents.pdf_text import PasswordNeeded, join_wrapped_lines, pdf_sections
from app.documents.reading import Reading, ReadingCancelled
from tests.documents.scans import scanned_pdf
from tests.documents.test_extract import encrypt_pdf, make_pdf

HAN = "深度求索公司发布新的推理模型并公开全部权重技术报告第一二三四五六七八九十年月日"
LATIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789,.;:'\"()-"
WIDE = "这是一行很长的中文文字它几乎占满了整个页面的宽度"  # 24 characters, 48 columns


def wrap(paragraph: str, width: int) -> list[str]:
    """`paragraph` cut into lines of `width` characters, as a layout wraps Chinese text."""
    return [paragraph[i:i + width] for i in range(0, len(paragraph), width)]


@settings(derandomize=True, max_examples=200, deadline=None)
@given(st.lists(st.text(HAN, min_size=1, max_size=60), min_size=1, max_size=4), st.integers(1, 30))
@example(["深度求索"], 1)  # vertical text: one character a line
def test_chinese_paragraphs_wrapped_at_any_width_are_joined_back_exactly(paragraphs, width):
    sentences = [p + "。" for p in paragraphs]  # each paragraph ends a sentence: its break stays
    wrapped = "\n".join(line for s in sentences for line in wrap(s, width))
    assert join_wrapped_lines(wrapped) == "\n".join(sentences)


@settings(derandomize=True, max_examples=200, deadline=None)
@given(st.text(HAN, min_size=1, max_size=120), st.integers(4, 30), st.data())
def test_the_spaces_a_pdf_reader_leaves_at_each_wrap_go_with_the_break(paragraph, width, data):
    """PDFium can end a wrapped line with a space and start the next with one; the line is still
    full (at 4 characters a line or more, a space is within the 80% rule)."""
    lines = wrap(paragraph + "。", width)
    spaced = [line + " " * data.draw(st.integers(0, 1)) for line in lines[:-1]] + lines[-1:]
    spaced = spaced[:1] + [" " * data.draw(st.integers(0, 1)) + line for line in spaced[1:]]
    assert join_wrapped_lines("\n".join(spaced)) == paragraph + "。"


@settings(derandomize=True, max_examples=200, deadline=None)
@given(st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]).filter(
    lambda c: not pdf_text._WIDE_CHAR.match(c))))
@example("Title\n    indented code  \n  and a line ending in spaces   ")
@example("한국어 문장이 길게 이어지는 줄\n 다음 줄 ")
def test_text_without_chinese_or_japanese_comes_back_exactly(text):
    assert join_wrapped_lines(text) == text


@settings(derandomize=True, max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.text(HAN, min_size=1, max_size=30),
                          st.text(LATIN, min_size=1, max_size=30).map(lambda t: f"{t} Latin")),
                min_size=2, max_size=8))
def test_a_latin_line_is_never_joined_to_the_line_before_or_after(lines):
    out = join_wrapped_lines("\n".join(lines)).split("\n")
    latin = [line for line in lines if "Latin" in line]
    assert [line for line in out if "Latin" in line] == latin  # each one whole, on its own line
    assert "".join(out) == "".join(lines)  # nothing else lost or added


def test_spaces_a_pdf_reader_leaves_at_a_wrap_do_not_keep_the_lines_apart():
    assert join_wrapped_lines(f"{WIDE} \n继续") == f"{WIDE}继续"  # a space after the last character
    assert join_wrapped_lines(f"{WIDE}  \n  继续") == f"{WIDE}继续"
    assert join_wrapped_lines(f"{WIDE}\n  继续写") == f"{WIDE}继续写"  # the next line indented
    # The first line's indentation stays; the spaces at the wrap go.
    assert join_wrapped_lines(f"  {WIDE} \n继续") == f"  {WIDE}继续"
    # Three lines wrapped, spaces at both wraps: one line.
    assert join_wrapped_lines(f"{WIDE} \n {WIDE} \n 完") == f"{WIDE}{WIDE}完"


def test_a_line_of_exactly_four_fifths_of_the_widest_is_a_wrap_and_a_shorter_one_is_not():
    widest = WIDE[:10]  # 20 columns
    assert pdf_text.FULL_LINE == 0.8
    assert join_wrapped_lines(f"{widest}\n{WIDE[:8]}\n继续") == f"{widest}{WIDE[:8]}继续"  # 16 columns: 80%
    assert join_wrapped_lines(f"{widest}\n{WIDE[:7]}\n继续") == f"{widest}{WIDE[:7]}\n继续"  # 14 columns


def _text_and_scanned_page() -> bytes:
    """A PDF with a text layer on p. 1 and a scan as p. 2 (pages of two PDFs joined)."""
    import pypdfium2 as pdfium

    text_pdf = pdfium.PdfDocument(make_pdf(["The first page has real text on it."]))
    text_pdf.import_pages(pdfium.PdfDocument(scanned_pdf(["The ferry leaves at 06:40."])))
    out = io.BytesIO()
    text_pdf.save(out)
    return out.getvalue()


@pytest.fixture
def no_ocr(monkeypatch):
    """An install without the OCR package (its engine not yet made)."""
    monkeypatch.setattr(ocr, "_engine", None)
    monkeypatch.setitem(sys.modules, "rapidocr", None)


def test_without_ocr_the_scanned_pages_are_named_and_the_text_pages_kept(qapp, no_ocr):
    reading = Reading()
    doc = extract("mixed.pdf", _text_and_scanned_page(), reading=reading)
    assert [(s.text, s.location) for s in doc.sections] == [("The first page has real text on it.", "p. 1")]
    assert (doc.pages, reading.unread) == (2, ["p. 2"])


def test_without_ocr_every_text_page_after_a_scan_is_read_and_every_scan_named(qapp, no_ocr):
    """A scan first, text pages after it and between scans: the text pages are all read (the
    first scan does not end the reading) and the unread ones named, p. 1 included."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(scanned_pdf(["The ferry leaves at 06:40."]))
    pdf.import_pages(pdfium.PdfDocument(make_pdf(["Page two has text.", "Page three has text."])))
    pdf.import_pages(pdfium.PdfDocument(scanned_pdf(["The tenant pays 812 euros."])))
    pdf.import_pages(pdfium.PdfDocument(make_pdf(["Page five has text."])))
    out = io.BytesIO()
    pdf.save(out)
    reading = Reading()
    doc = extract("mixed.pdf", out.getvalue(), reading=reading)
    assert [(s.text, s.location) for s in doc.sections] == [
        ("Page two has text.", "p. 2"), ("Page three has text.", "p. 3"), ("Page five has text.", "p. 5")]
    assert (doc.pages, reading.unread) == (5, ["p. 1", "p. 4"])


def test_without_ocr_a_scanned_pdf_is_refused_with_the_reason(no_ocr):
    with pytest.raises(DocumentError) as err:
        extract("scan.pdf", scanned_pdf(["The tenant pays 812 euros.", "The ferry leaves at 06:40."]))
    assert str(err.value) == ("scan.pdf has no text layer (a scanned document?), and this copy of DeskSeek "
                              "has no OCR to read its images.")


def test_a_cancel_while_a_page_is_read_names_the_file(qapp, monkeypatch):
    reading, seen = Reading(on_page=lambda *a: seen.append(a)), []
    real = pdf_text._page_text

    def cancelled_meanwhile(pdf, index):  # the user presses ✕ while PDFium reads the page
        out = real(pdf, index)
        reading.cancel()
        return out

    monkeypatch.setattr(pdf_text, "_page_text", cancelled_meanwhile)
    with pytest.raises(ReadingCancelled) as err:
        extract("report.pdf", make_pdf(["The first page.", "The second page."]), reading=reading)
    assert (str(err.value), seen) == ("Stopped reading report.pdf; nothing of it was attached.", [])


def test_a_locked_pdf_read_without_a_password_asks_for_an_unprotected_copy(qapp):
    locked = encrypt_pdf(make_pdf(["Secret minutes."]), user="s3cret", owner="owner")
    with pytest.raises(PasswordNeeded) as err:
        pdf_sections("locked.pdf", locked)
    assert (str(err.value), err.value.tried) == (
        "locked.pdf is password-protected; open it, save an unprotected copy and drop that instead.", False)
    sections, pages = pdf_sections("locked.pdf", locked, "s3cret")
    assert ([(s.text, s.location) for s in sections], pages) == ([("Secret minutes.", "p. 1")], 1)


def raw_pdf(content: bytes) -> bytes:
    """A one-page PDF written by hand around a content stream, in Helvetica (as old tools write)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> "
               b"/Contents 5 0 R >>",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
               b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content)]
    out, offsets = b"%PDF-1.4\n", []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (n, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)


def test_a_carriage_return_in_a_pdfs_text_breaks_the_line():
    """A string with a CR in it (old Mac tools wrote them) comes out of PDFium as a lone "\\r"."""
    doc = extract("old.pdf", raw_pdf(rb"BT /F1 12 Tf 72 720 Td (The first line\rthe second\r\nand the third) Tj ET"))
    assert [s.text for s in doc.sections] == ["The first line\nthe second\nand the third"]


def _as_form(pdf: bytes) -> bytes:
    """`pdf`'s first page placed whole on a new page as a form XObject, as n-up and stamping tools do."""
    import pypdfium2 as pdfium

    source, placed = pdfium.PdfDocument(pdf), pdfium.PdfDocument.new()
    page = placed.new_page(*source[0].get_size())
    page.insert_obj(source.page_as_xobject(0, placed).as_pageobject())
    page.gen_content()
    out = io.BytesIO()
    placed.save(out)
    return out.getvalue()


def test_a_scan_placed_in_forms_within_forms_is_read():
    """The scanned image three forms deep (a stamped page placed n-up, say): a scan, not a blank page."""
    placed = _as_form(_as_form(_as_form(scanned_pdf(["The ferry leaves at 06:40."]))))
    doc = extract("placed.pdf", placed)
    assert [(s.text, s.location) for s in doc.sections] == [("The ferry leaves at 06:40.", "p. 1")]
