"""Details of PowerPoint, Excel and EPUB files that change what is read, each in a real file made
here: a table cell or a paragraph of several runs and line breaks, spaces around a paragraph,
relationships written as absolute paths, a presentation without slides, numbers stored as
floats, a sheet whose file declares it holds one cell, a book whose fonts alone are encrypted,
entries without their address, and the size limit shared by all of a file's members."""
from __future__ import annotations

import io
import zipfile

import pytest

from app.documents import extract as extract_module
from app.documents.extract import DocumentError, extract
from tests.documents.test_office import _replace_member, _with_member, make_epub, make_pptx


def _pptx(build) -> bytes:
    from pptx import Presentation

    deck = Presentation()
    build(deck)
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def test_runs_line_breaks_spaces_and_cells_of_several_paragraphs():
    from pptx.util import Inches

    def build(deck):
        slide = deck.slides.add_slide(deck.slide_layouts[5])
        slide.shapes.title.text = "Costs"
        box = slide.shapes.add_textbox(Inches(1), Inches(1), Inches(6), Inches(1)).text_frame
        first = box.paragraphs[0]
        first.add_run().text = "Rent is "
        first.add_run().text = "812 euros"
        box.add_paragraph().text = "Due on the first\vof each month   "  # \v: a line break (<a:br/>)
        box.add_paragraph().text = "    indented by four spaces"
        table = slide.shapes.add_table(1, 2, Inches(1), Inches(3), Inches(6), Inches(1)).table
        table.cell(0, 0).text = "Heating"
        cell = table.cell(0, 1).text_frame
        cell.text = "99.50"
        cell.add_paragraph().text = "monthly"

    [section] = extract("costs.pptx", _pptx(build)).sections
    assert section.text == ("Costs\nRent is 812 euros\nDue on the first\nof each month\n    indented by four spaces\n"
                            "Heating | 99.50 monthly")


def test_an_empty_text_run_adds_nothing():
    from pptx.util import Inches

    def build(deck):
        slide = deck.slides.add_slide(deck.slide_layouts[6])
        paragraph = slide.shapes.add_textbox(Inches(1), Inches(1), Inches(6), Inches(1)).text_frame.paragraphs[0]
        paragraph.add_run().text = "before"
        paragraph.add_run()  # <a:t/>, no text
        paragraph.add_run().text = " after"

    assert extract("runs.pptx", _pptx(build)).sections[0].text == "before after"


def test_slides_named_by_absolute_paths_are_read():
    data = make_pptx()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        rels = z.read("ppt/_rels/presentation.xml.rels").decode()
    absolute = rels.replace('Target="slides/', 'Target="/ppt/slides/')
    assert absolute != rels
    doc = extract("review.pptx", _replace_member(data, "ppt/_rels/presentation.xml.rels", absolute.encode()))
    assert [s.location for s in doc.sections] == ["slide 1", "slide 2", "slide 4"]
    assert doc.sections[2].text == "Costs\nItem | Cost\nRent | 812"


def test_a_deck_with_a_relationship_missing_its_target_or_id_is_still_read():
    """A relationship written without its target or id (a careless converter) points at nothing
    a slide list names: the slides are read as before, not refused or crashed on."""
    data = make_pptx()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        rels = z.read("ppt/_rels/presentation.xml.rels").decode()
    stray = ('<Relationship Id="rIdStray" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
             'relationships/image"/><Relationship Type="http://schemas.openxmlformats.org/officeDocument/'
             '2006/relationships/image" Target="media/lost.png"/></Relationships>')
    doc = extract("review.pptx", _replace_member(data, "ppt/_rels/presentation.xml.rels",
                                                 rels.replace("</Relationships>", stray).encode()))
    assert [s.location for s in doc.sections] == ["slide 1", "slide 2", "slide 4"]
    assert doc.sections[2].text == "Costs\nItem | Cost\nRent | 812"


def test_a_presentation_without_slides_is_said_to_have_no_text():
    with pytest.raises(DocumentError) as err:
        extract("empty.pptx", _pptx(lambda deck: None))
    assert str(err.value) == "empty.pptx is empty: there is no text in it to read."


def _padded(xml: bytes, size: int) -> bytes:
    return xml + b"\n<!--" + b" " * size + b"-->"  # a comment after the root: the same document, larger


@pytest.mark.parametrize("name", ["deck.pptx", "book.epub"])
def test_the_size_limit_counts_all_members_together(name, monkeypatch):
    """Each member alone is under the limit; together they are over it."""
    import zipfile

    limit = 2**20
    monkeypatch.setattr(extract_module, "MAX_UNPACKED_BYTES", limit)
    data = make_pptx() if name.endswith("pptx") else make_epub()
    members = (["ppt/slides/slide1.xml", "ppt/slides/slide2.xml"] if name.endswith("pptx")
               else ["EPUB/chap_1.xhtml", "EPUB/chap_2.xhtml"])
    assert extract(name, data).sections
    for member in members:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            data = _replace_member(data, member, _padded(z.read(member), 6 * limit // 10))
    with pytest.raises(DocumentError) as err:
        extract(name, data)
    assert str(err.value) == f"{name} unpacks to more text than DeskSeek reads."


def test_a_book_whose_fonts_alone_are_encrypted_is_read():
    book = _with_member(make_epub(), "META-INF/encryption.xml",
                        '<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" '
                        'xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData>'
                        '<enc:CipherData><enc:CipherReference URI="EPUB/fonts/serif.otf"/></enc:CipherData>'
                        '</enc:EncryptedData></encryption>')
    doc = extract("lighthouse.epub", book)
    assert doc.sections[1].text == "Arrival\n\nArrival\n\nThe keeper is paid 812 florins a year."


def test_numbers_stored_as_floats_read_as_a_spreadsheet_shows_them():
    import zipfile

    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Numbers"
    book.active.append([812.0, 0.3, 1.5e-7, 1e20, 99.5])
    out = io.BytesIO()
    book.save(out)
    data = out.getvalue()
    # Excel writes 17 significant digits (0.1 + 0.2 as 0.30000000000000004); openpyxl fewer.
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml")
    assert b"<v>0.3</v>" in sheet
    data = _replace_member(data, "xl/worksheets/sheet1.xml", sheet.replace(b"<v>0.3</v>", b"<v>0.30000000000000004</v>"))
    [section] = extract("numbers.xlsx", data).sections
    assert section.text == "812 | 0.3 | 1.5e-07 | 100000000000000000000 | 99.5"


def test_word_cells_of_several_paragraphs_controls_after_text_and_empty_runs():
    from tests.documents.test_extract import make_docx

    body = ("<w:p><w:r><w:t>Before</w:t></w:r><w:r><w:t/></w:r><w:r><w:t xml:space=\"preserve\"> the table</w:t>"
            "</w:r></w:p>"
            "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Rent</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>812</w:t></w:r>"
            "</w:p><w:p><w:r><w:t>monthly</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
            "<w:sdt><w:sdtContent><w:p><w:r><w:t>In a content control</w:t></w:r></w:p></w:sdtContent></w:sdt>"
            "<w:p><w:r><w:t>After it</w:t></w:r></w:p>")
    assert extract("lease.docx", make_docx(body)).sections[0].text == (
        "Before the table\nRent | 812 monthly\nIn a content control\nAfter it")


def test_a_word_document_without_a_body_is_named_empty():
    from tests.documents.test_extract import make_docx

    import zipfile

    data = make_docx("")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("word/document.xml").decode()
    # The same parts, the document's body element left out.
    no_body = _replace_member(data, "word/document.xml", xml.replace("<w:body><w:sectPr/></w:body>", "").encode())
    with pytest.raises(DocumentError) as err:
        extract("blank.docx", no_body)
    assert str(err.value) == "blank.docx is empty: there is no text in it to read."


def test_a_sheet_whose_file_says_it_holds_one_cell_is_read_whole():
    """Some exporters write <dimension ref="A1"/> whatever the sheet holds; the rows are what counts."""
    import re
    import zipfile

    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Costs"
    for row in (["Item", "Amount", None, "Note"], ["Rent", 812], [], ["Heating", 99.5, None, "March"]):
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    with zipfile.ZipFile(out) as z:
        sheet = z.read("xl/worksheets/sheet1.xml")
    assert b'<dimension ref="A1:D4"/>' in sheet
    data = _replace_member(out.getvalue(), "xl/worksheets/sheet1.xml",
                           re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1"/>', sheet))
    [section] = extract("costs.xlsx", data).sections
    assert (section.text, section.location) == ("Item | Amount |  | Note\nRent | 812\nHeating | 99.5 |  | March",
                                                "sheet Costs")


def test_only_a_pdf_counts_pages_and_html_passages_have_no_location():
    """The document strip says "12 pages" from `pages`: a slide deck, sheet, book or web page has
    none to count (a book's chapters are its passages' locations instead)."""
    from tests.documents.test_office import make_xlsx

    for name, data in [("deck.pptx", make_pptx()), ("sheet.xlsx", make_xlsx()), ("book.epub", make_epub()),
                       ("page.html", b"<html><body><p>The ferry leaves at 06:40.</p></body></html>")]:
        doc = extract(name, data)
        assert doc.pages == 0, name
    assert [s.location for s in extract("page.html", b"<p>The ferry leaves at 06:40.</p>").sections] == [""]


def test_a_book_with_a_binary_chapter_is_refused_by_its_own_name():
    data = _replace_member(make_epub(), "EPUB/chap_1.xhtml", b"\x00\x01\x02 not a chapter")
    with pytest.raises(DocumentError) as refused:
        extract("lighthouse.epub", data)
    assert str(refused.value).startswith("lighthouse.epub ")


def test_a_book_with_a_manifest_item_or_cipher_reference_missing_its_address_is_still_read():
    """Entries a careless tool writes without their address (no href, no URI) name nothing to
    read: the chapters around them are read as before, not refused or crashed on."""
    book = make_epub()
    with zipfile.ZipFile(io.BytesIO(book)) as z:
        opf = z.read("EPUB/content.opf").decode()
    assert "<manifest>" in opf
    book = _replace_member(book, "EPUB/content.opf",
                           opf.replace("<manifest>", '<manifest><item id="cover-stray" media-type="image/png"/>').encode())
    book = _with_member(book, "META-INF/encryption.xml",
                        '<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" '
                        'xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData>'
                        '<enc:CipherData><enc:CipherReference/></enc:CipherData>'
                        '</enc:EncryptedData></encryption>')
    doc = extract("lighthouse.epub", book)
    assert [s.location for s in doc.sections] == ["ch. 1", "ch. 2", "ch. 3"]
    assert doc.sections[1].text == "Arrival\n\nArrival\n\nThe keeper is paid 812 florins a year."
