"""PowerPoint, Excel and EPUB files written by the libraries people's files come from (python-pptx,
openpyxl, ebooklib), read with their locations; damaged files and zip bombs refused in a sentence."""
import datetime as dt
import io
import zipfile

import pytest

from app.documents import extract as extract_module
from app.documents.extract import DocumentError, extract, supported
from tests.fixtures.zip_headers import declare_size


def make_pptx() -> bytes:
    from pptx import Presentation
    from pptx.util import Inches

    deck = Presentation()
    title = deck.slides.add_slide(deck.slide_layouts[0])
    title.shapes.title.text = "Quarterly review"
    title.placeholders[1].text = "深度求索 · 第二季度"
    body = deck.slides.add_slide(deck.slide_layouts[1])
    body.shapes.title.text = "Revenue"
    frame = body.placeholders[1].text_frame
    frame.text = "Revenue rose by 12 percent."
    frame.add_paragraph().text = "Exports to Asia doubled."
    deck.slides.add_slide(deck.slide_layouts[6])  # a blank slide: no text, no section
    table_slide = deck.slides.add_slide(deck.slide_layouts[5])
    table_slide.shapes.title.text = "Costs"
    table = table_slide.shapes.add_table(2, 2, Inches(1), Inches(2), Inches(6), Inches(1)).table
    for (r, c), text in {(0, 0): "Item", (0, 1): "Cost", (1, 0): "Rent", (1, 1): "812"}.items():
        table.cell(r, c).text = text
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def make_xlsx() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Costs"
    sheet.append(["Item", "Amount", "Due", "Paid"])
    sheet.append(["Rent", 812, dt.datetime(2026, 3, 1), True])
    sheet.append(["Heating", 99.5, dt.datetime(2026, 3, 15, 9, 30), False])
    sheet.append([])
    sheet.append(["Total", "=B2+B3"])  # a formula never calculated: openpyxl keeps no cached value
    book.create_sheet("收入").append(["第二季度", "三千万元"])
    book.create_sheet("Empty")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def make_epub(encrypt: bool = False) -> bytes:
    from ebooklib import epub

    book = epub.EpubBook()
    book.set_identifier("deskseek-test")
    book.set_title("The Lighthouse")
    book.set_language("en")
    chapters = []
    for n, (title, body) in enumerate([("Arrival", "<p>The keeper is paid 812 florins a year.</p>"),
                                       ("渡口", "<p>渡船早上六点四十分从北码头出发。</p>")], 1):
        chapter = epub.EpubHtml(title=title, file_name=f"chap_{n}.xhtml", lang="en")
        chapter.content = f"<html><body><h1>{title}</h1>{body}</body></html>"
        book.add_item(chapter)
        chapters.append(chapter)
    book.toc = chapters
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = ["nav", *chapters]
    out = io.BytesIO()
    epub.write_epub(out, book)
    data = out.getvalue()
    if encrypt:  # what a DRM-protected book carries: its chapters named in META-INF/encryption.xml
        data = _with_member(data, "META-INF/encryption.xml",
                            '<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" '
                            'xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData>'
                            '<enc:CipherData><enc:CipherReference URI="EPUB/chap_1.xhtml"/></enc:CipherData>'
                            '</enc:EncryptedData></encryption>')
    return data


def _with_member(data: bytes, name: str, text: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr(name, text)
    return out.getvalue()


def test_pptx_slides_in_order_with_tables():
    doc = extract("review.pptx", make_pptx())
    assert doc.kind == "pptx"
    assert [(s.location, s.text) for s in doc.sections] == [
        ("slide 1", "Quarterly review\n深度求索 · 第二季度"),
        ("slide 2", "Revenue\nRevenue rose by 12 percent.\nExports to Asia doubled."),
        ("slide 4", "Costs\nItem | Cost\nRent | 812"),
    ]


def test_xlsx_sheets_rows_and_values():
    doc = extract("budget.xlsx", make_xlsx())
    assert doc.kind == "xlsx"
    assert [(s.location, s.text) for s in doc.sections] == [
        ("sheet Costs", "Item | Amount | Due | Paid\nRent | 812 | 2026-03-01 | TRUE\n"
                        "Heating | 99.5 | 2026-03-15 09:30:00 | FALSE\nTotal"),
        ("sheet 收入", "第二季度 | 三千万元"),
    ]


def test_epub_chapters_in_spine_order():
    doc = extract("lighthouse.epub", make_epub())
    assert doc.kind == "epub"
    # The spine: the table of contents, then the chapters, each read as a page (its title first).
    assert [(s.location, s.text) for s in doc.sections] == [
        ("ch. 1", "The Lighthouse\n\nThe Lighthouse\n\nArrival\n\n渡口"),
        ("ch. 2", "Arrival\n\nArrival\n\nThe keeper is paid 812 florins a year."),
        ("ch. 3", "渡口\n\n渡口\n\n渡船早上六点四十分从北码头出发。"),
    ]


def test_a_drm_protected_epub_is_refused():
    with pytest.raises(DocumentError) as err:
        extract("locked.epub", make_epub(encrypt=True))
    assert str(err.value) == "locked.epub is protected by DRM: its text is encrypted, so DeskSeek cannot read it."


@pytest.mark.parametrize("name, sentence", [
    ("deck.pptx", "deck.pptx is not a valid PowerPoint presentation (it may be damaged)."),
    ("book.xlsx", "book.xlsx is not a valid Excel workbook (it may be damaged)."),
    ("novel.epub", "novel.epub is not a valid EPUB book (it may be damaged)."),
])
def test_broken_files_are_refused_in_a_sentence(name, sentence):
    good = {"pptx": make_pptx, "xlsx": make_xlsx, "epub": make_epub}[name.rsplit(".", 1)[1]]()
    for data in (b"PK\x03\x04 not a zip at all", good[: len(good) // 2], zipfile_with("mimetype", "nothing else")):
        with pytest.raises(DocumentError) as err:
            extract(name, data)
        assert str(err.value) == sentence


def zipfile_with(name: str, text: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(name, text)
    return out.getvalue()


@pytest.mark.parametrize("name, member", [("bomb.pptx", "ppt/slides/slide2.xml"),
                                          ("bomb.xlsx", "xl/worksheets/sheet1.xml"),
                                          ("bomb.epub", "EPUB/chap_1.xhtml")])
def test_zip_bombs_stop_inflating_at_the_limit(name, member, monkeypatch):
    """A member that inflates past the limit is refused having held no more than the limit (its
    header claims even more, so only the inflating can stop it)."""
    import tracemalloc

    limit = 2**20
    monkeypatch.setattr(extract_module, "MAX_UNPACKED_BYTES", limit)
    good = {"pptx": make_pptx, "xlsx": make_xlsx, "epub": make_epub}[name.rsplit(".", 1)[1]]()
    bomb = _replace_member(good, member, b"<!-- " + b" " * (20 * limit) + b" -->")
    bomb = declare_size(bomb, member, 1000 * limit)
    assert len(bomb) < limit // 4
    tracemalloc.start()
    try:
        with pytest.raises(DocumentError) as err:
            extract(name, bomb)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert str(err.value) == f"{name} unpacks to more text than DeskSeek reads."
    assert peak < 3 * limit, peak


def _replace_member(data: bytes, name: str, content: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        assert name in src.namelist(), src.namelist()
        for info in src.infolist():
            dst.writestr(info.filename, content if info.filename == name else src.read(info),
                         compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def test_the_new_formats_are_supported_and_named_in_refusals():
    assert all(supported(n) for n in ["a.PPTX", "b.xlsx", "c.epub", "d.png", "e.JPG", "f.jpeg"])
    assert not any(supported(n) for n in ["a.ppt", "b.xls", "c.mobi", "d.gif"])
    with pytest.raises(DocumentError) as err:
        extract("old.xls", b"\xd0\xcf")
    assert str(err.value) == ("old.xls can't be read: DeskSeek reads PDF, Word (.docx), PowerPoint (.pptx), "
                              "Excel (.xlsx), EPUB, HTML, Markdown, text and source-code files, and pictures "
                              "of text (.png, .jpg).")
