"""Scans read by the real OCR (RapidOCR's PP-OCR models from its wheel, onnxruntime): image-only
PDFs and pictures made here from known English and Chinese text; progress per page, cancel
between pages, a page that fails named while the rest is kept, all through a real store."""
import io

import pytest

from app.documents import pdf_text, picture_text
from app.documents.extract import DocumentError, extract
from app.documents.ocr import lines_in_reading_order
from app.documents.read import read_document
from app.documents.reading import Reading, ReadingCancelled, unread_sentence
from app.store import open_store
from tests.documents.scans import picture, scanned_pdf

LEASE = "The tenant pays 812 euros\non the first day of each month."
REPORT = "第二季度的营业收入为三千万元。\n董事会建议扩大研发投入。"
FERRY = "The ferry to the island\nleaves at 06:40 from the north pier."


@pytest.fixture(scope="module")
def scan():
    return scanned_pdf([LEASE, REPORT, FERRY])


def test_a_scanned_pdf_is_read_page_by_page_with_progress(scan):
    seen = []
    doc = extract("scan.pdf", scan, reading=Reading(on_page=lambda *a: seen.append(a)))
    assert (doc.kind, doc.pages) == ("pdf", 3)
    assert [s.location for s in doc.sections] == ["p. 1", "p. 2", "p. 3"]
    first, second, third = (s.text for s in doc.sections)
    assert "812 euros" in first and "first day of each month" in first
    assert "三千万元" in second and "研发投入" in second
    assert "06:40" in third and "north pier" in third
    assert seen == [(1, 3, True), (2, 3, True), (3, 3, True)]


def test_cancel_stops_between_pages_and_nothing_is_stored(scan, tmp_path):
    seen = []
    reading = Reading()

    def on_page(page, pages, ocr):
        seen.append(page)
        if page == 2:
            reading.cancel()  # as the window's ✕ does, while page 2 is being read

    reading.on_page = on_page
    with open_store(tmp_path / "h.sqlite3") as store:
        cid = store.create_conversation().id
        (tmp_path / "scan.pdf").write_bytes(scan)
        with pytest.raises(ReadingCancelled) as err:
            read_document(store, cid, tmp_path / "scan.pdf", reading=reading)
        assert str(err.value) == "Stopped reading scan.pdf; nothing of it was attached."
        assert seen == [1, 2]  # page 2 was finished, page 3 never started
        assert store.documents(cid) == []


def test_a_page_that_fails_ocr_is_named_and_the_rest_kept(scan, monkeypatch, tmp_path):
    real = pdf_text.image_text
    calls = []

    def failing_on_the_second(image):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("onnxruntime: out of memory")
        return real(image)

    monkeypatch.setattr(pdf_text, "image_text", failing_on_the_second)
    reading = Reading()
    with open_store(tmp_path / "h.sqlite3") as store:
        cid = store.create_conversation().id
        (tmp_path / "scan.pdf").write_bytes(scan)
        read_document(store, cid, tmp_path / "scan.pdf", reading=reading)
        [doc] = store.documents(cid)
        assert doc.pages == 3
    assert reading.unread == ["p. 2"]
    assert unread_sentence("scan.pdf", reading.unread) == (
        "scan.pdf was attached without p. 2: the text there could not be read.")


def test_only_pages_without_text_are_read_by_ocr(qapp):
    """A PDF with a text layer on p. 1 and p. 3 and a scan as p. 2 (pages of two PDFs joined)."""
    import pypdfium2 as pdfium

    from tests.documents.test_extract import make_pdf

    text_pdf = pdfium.PdfDocument(make_pdf(["The first page has real text on it.", "The third page too, as text."]))
    scan = pdfium.PdfDocument(scanned_pdf([REPORT]))
    text_pdf.import_pages(scan, index=1)
    data = io.BytesIO()
    text_pdf.save(data)
    seen = []
    doc = extract("mixed.pdf", data.getvalue(), reading=Reading(on_page=lambda *a: seen.append(a)))
    assert seen == [(1, 3, False), (2, 3, True), (3, 3, False)]
    assert doc.sections[0].text == "The first page has real text on it."
    assert "三千万元" in doc.sections[1].text and doc.sections[1].location == "p. 2"


def test_blank_scans_and_blank_pages_are_refused_in_full(qapp):
    from tests.documents.test_extract import make_pdf

    with pytest.raises(DocumentError) as err:
        extract("white.pdf", scanned_pdf(["", ""]))
    assert str(err.value) == "white.pdf has no text layer, and no text was found in its images."
    with pytest.raises(DocumentError) as err:
        extract("blank.pdf", make_pdf(["", ""]))
    assert str(err.value) == "blank.pdf has no text in it: its pages are blank."


def test_a_picture_of_text_is_read():
    doc = extract("photo.png", picture(FERRY))
    assert doc.kind == "image" and "north pier" in doc.sections[0].text
    doc = extract("报告.JPG", picture(REPORT, "JPEG"))
    assert "三千万元" in doc.sections[0].text


def test_pictures_that_cannot_be_read_are_named(monkeypatch):
    for name, data, sentence in [
        ("broken.png", b"\x89PNG\r\n\x1a\n not really", "broken.png is damaged or not a picture; DeskSeek could not "
                                                         "read it."),
        ("white.png", picture(""), "white.png shows no text that DeskSeek could read."),
    ]:
        with pytest.raises(DocumentError) as err:
            extract(name, data)
        assert str(err.value) == sentence
    monkeypatch.setattr(picture_text, "MAX_PIXELS", 1_000_000)
    with pytest.raises(DocumentError) as err:
        extract("huge.png", picture("x"))
    assert str(err.value) == "huge.png is 1240 × 1754 pixels; DeskSeek reads pictures of up to 1 million pixels."


def test_lines_in_reading_order():
    def box(x, y, w=100, h=30):
        return [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]

    # Out of order, the second line's boxes a little lower than each other, Chinese beside Latin.
    boxes = [box(300, 102), box(10, 100), box(10, 200), box(150, 204), box(300, 198)]
    texts = ["world", "Hello", "深度", "求索", "model"]
    assert lines_in_reading_order(boxes, texts) == "Hello world\n深度求索 model"
    assert lines_in_reading_order([], []) == ""


def test_two_columns_are_read_one_after_the_other_between_lines_across_both():
    def box(x, y, w=400, h=30):
        return [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]

    left = [box(10, 60 + 40 * n, w=400 - 30 * (n == 4)) for n in range(5)]  # a paragraph's last line is short
    right = [box(510, 60 + 40 * n) for n in range(5)]
    boxes = [box(10, 10, w=900), *left, *right, box(10, 280, w=900), box(10, 330), box(510, 330)]
    texts = ["Title across both", *(f"L{n}" for n in range(5)), *(f"R{n}" for n in range(5)),
             "A line across both", "L5", "R5"]
    assert lines_in_reading_order(boxes, texts).split("\n") == [
        "Title across both", "L0", "L1", "L2", "L3", "L4", "R0", "R1", "R2", "R3", "R4", "A line across both",
        "L5", "R5"]
    # A table (short cells under a column's widest) is read row by row.
    cells = [box(10, 40 * n, w=80 + 200 * (n == 0)) for n in range(6)] + [box(400, 40 * n, w=60) for n in range(6)]
    names = [f"item {n}" for n in range(6)] + [f"{n}00" for n in range(6)]
    assert lines_in_reading_order(cells, names).split("\n") == [f"item {n} {n}00" for n in range(6)]


def test_a_scanned_page_in_two_columns_is_read_column_by_column():
    from PIL import Image, ImageDraw, ImageFont

    from tests.documents.scans import FONT, PAGE

    font = ImageFont.truetype(FONT, 30)
    page = Image.new("L", PAGE, 255)
    draw = ImageDraw.Draw(page)
    draw.text((120, 100), "Minutes of the harbour committee, spring session", font=font, fill=0)
    for n in range(6):
        draw.text((120, 200 + 50 * n), f"The west pier needs {n + 2} new posts.", font=font, fill=0)
        draw.text((680, 200 + 50 * n), f"The ferry runs {n + 3} times a day.", font=font, fill=0)
    out = io.BytesIO()
    page.save(out, "PDF", resolution=150)
    lines = extract("minutes.pdf", out.getvalue()).sections[0].text.split("\n")
    assert lines[0] == "Minutes of the harbour committee, spring session"
    assert [("pier" in line, "ferry" in line) for line in lines[1:]] == [(True, False)] * 6 + [(False, True)] * 6


def test_the_unread_sentence_lists_every_page_lost_and_is_empty_when_none_was():
    assert unread_sentence("scan.pdf", ["p. 2", "p. 5"]) == (
        "scan.pdf was attached without p. 2, p. 5: the text there could not be read.")
    assert unread_sentence("scan.pdf", []) == ""


def test_columns_closer_than_a_line_is_high_are_one_column_read_row_by_row():
    def box(x, y, w=400, h=30):
        return [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]

    # Two blocks of prose 20 px apart, lines 30 px high: a gap narrower than a line is no gutter.
    boxes = [box(10, 100 + 40 * n) for n in range(6)] + [box(430, 100 + 40 * n) for n in range(6)]
    texts = [f"L{n}" for n in range(6)] + [f"R{n}" for n in range(6)]
    assert lines_in_reading_order(boxes, texts).split("\n") == [f"L{n} R{n}" for n in range(6)]
    # The same 60 px apart: two columns.
    boxes = [box(10, 100 + 40 * n) for n in range(6)] + [box(470, 100 + 40 * n) for n in range(6)]
    assert lines_in_reading_order(boxes, texts).split("\n") == [f"L{n}" for n in range(6)] + [f"R{n}" for n in range(6)]


def test_a_tall_title_across_both_columns_comes_by_its_middle():
    """Between columns, a line across both is placed by its middle, not by its top or bottom edge: a
    tall title (top 20, bottom 110, middle 65) comes before a column's first line (top 45, bottom
    105, middle 75), which starts lower but ends higher."""
    def box(x, y, w=400, h=30):
        return [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]

    boxes = [box(10, 20, w=900, h=90), box(10, 45, h=60), box(510, 150)] + \
        [box(10, 150 + 40 * n) for n in range(1, 6)] + [box(510, 150 + 40 * n) for n in range(1, 6)]
    texts = ["Title", "L0", "R0"] + [f"L{n}" for n in range(1, 6)] + [f"R{n}" for n in range(1, 6)]
    assert lines_in_reading_order(boxes, texts).split("\n") == ["Title"] + [f"L{n}" for n in range(6)] + \
        [f"R{n}" for n in range(6)]


def _box(x0, x1, y, h=30):
    return [(x0, y), (x1, y), (x1, y + h), (x0, y + h)]


def _main_and_sidebar(main, sidebar, title=None):
    """Six lines of a main column (x from main[0] to main[1]) beside six of a sidebar, row by row at
    the same heights, and optionally a title (x0, x1) above both; boxes and texts, out of order."""
    boxes = [_box(*main, 100 + 40 * n) for n in range(6)] + [_box(*sidebar, 100 + 40 * n) for n in range(6)]
    texts = [f"M{n}" for n in range(6)] + [f"S{n}" for n in range(6)]
    if title:
        boxes, texts = [_box(*title, 40)] + boxes, ["Title"] + texts
    return boxes[::-1], texts[::-1]


def test_a_main_column_twice_as_wide_as_a_sidebar_is_read_before_it():
    """Main lines 620 wide (62% of the text, more than the 60% that used to make a line a title
    hidden from the gap search) beside a sidebar: the main column, then the sidebar."""
    boxes, texts = _main_and_sidebar((0, 620), (700, 1000))
    assert lines_in_reading_order(boxes, texts).split("\n") == [f"M{n}" for n in range(6)] + \
        [f"S{n}" for n in range(6)]


def test_a_sidebar_left_of_a_main_column_twice_as_wide_is_read_first():
    boxes, texts = _main_and_sidebar((380, 1000), (0, 300))
    assert lines_in_reading_order(boxes, texts).split("\n") == [f"S{n}" for n in range(6)] + \
        [f"M{n}" for n in range(6)]


def test_a_title_over_a_main_column_and_its_sidebar_comes_first_then_each_column():
    for main, sidebar, title in [((0, 620), (700, 1000), (0, 1000)), ((0, 620), (700, 1000), (40, 960)),
                                 ((380, 1000), (0, 300), (0, 1000)), ((380, 1000), (0, 300), (60, 900))]:
        boxes, texts = _main_and_sidebar(main, sidebar, title)
        first, second = ("M", "S") if main[0] == 0 else ("S", "M")
        assert lines_in_reading_order(boxes, texts).split("\n") == ["Title"] + [f"{first}{n}" for n in range(6)] + \
            [f"{second}{n}" for n in range(6)], (main, sidebar, title)
