"""Real files, built here: PDFs written by Qt (English, Chinese, blank pages, encrypted,
damaged), Word documents zipped by hand, HTML and text in the encodings people have."""
import io
import random
import zipfile

import pytest

from app.documents import extract as extract_module
from app.documents.extract import DocumentError, extract, supported


def make_pdf(pages: list[str]) -> bytes:
    """A real PDF from Qt's PDF writer, one string per page ("" for a blank page)."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, Qt
    from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPainter, QPdfWriter

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(15, 15, 15, 15)))
    painter = QPainter(writer)
    painter.setFont(QFont("WenQuanYi Micro Hei", 11))
    for i, text in enumerate(pages):
        if i:
            writer.newPage()
        if text:
            painter.drawText(QRectF(0, 0, 4000, 6000), Qt.TextFlag.TextWordWrap, text)
    painter.end()
    buffer.close()
    return bytes(data.data())


@pytest.fixture(scope="module")
def three_pages(qapp):
    return make_pdf(["The first page talks about engines.", "The second page lists the experts.",
                     "The third page ends with the cache."])


def test_pdf_pages_become_sections_that_cite_their_page(three_pages):
    doc = extract("report.pdf", three_pages)
    assert (doc.kind, doc.pages) == ("pdf", 3)
    assert [s.location for s in doc.sections] == ["p. 1", "p. 2", "p. 3"]
    assert [s.text for s in doc.sections] == ["The first page talks about engines.",
                                              "The second page lists the experts.",
                                              "The third page ends with the cache."]


def test_chinese_pdf_text_comes_back(qapp):
    doc = extract("报告.pdf", make_pdf(["深度求索发布了新的模型。", "", "第三页。"]))
    assert "深度求索" in doc.sections[0].text
    assert doc.pages == 3 and [s.location for s in doc.sections] == ["p. 1", "p. 3"]  # blank p. 2 skipped


def test_a_pdf_of_blank_pages_is_refused_as_blank(qapp):
    # Nothing drawn on them, so there is nothing for OCR either (scans: tests/documents/test_ocr.py).
    with pytest.raises(DocumentError, match="blank.pdf has no text in it: its pages are blank"):
        extract("blank.pdf", make_pdf(["", ""]))


@pytest.mark.parametrize("data", [b"not a pdf at all" * 20, b"%PDF-1.7\n1 0 obj << garbage",
                                  random.Random(7).randbytes(5000), b""])
def test_damaged_pdfs_are_refused_quietly_with_a_sentence(data, capfd):
    with pytest.raises(DocumentError, match="broken.pdf is damaged or not a PDF"):
        extract("broken.pdf", data)
    assert capfd.readouterr().err == ""  # the PDF library's complaints about the file stay out of stderr


def test_a_truncated_pdf_is_refused(three_pages):
    # Cut in half, the file loses its %%EOF and cross-reference table; PDFium gives up.
    with pytest.raises(DocumentError, match="cut.pdf is damaged or not a PDF"):
        extract("cut.pdf", three_pages[: len(three_pages) // 2])


def test_one_unreadable_page_does_not_cost_the_others(three_pages, monkeypatch):
    from pypdfium2 import PdfTextPage

    real = PdfTextPage.get_text_range

    def flaky(textpage, *args, **kwargs):
        text = real(textpage, *args, **kwargs)
        if "second" in text:
            raise ValueError("a broken content stream")
        return text

    monkeypatch.setattr(PdfTextPage, "get_text_range", flaky)
    doc = extract("report.pdf", three_pages)
    assert doc.pages == 3 and [s.location for s in doc.sections] == ["p. 1", "p. 3"]
    monkeypatch.setattr(PdfTextPage, "get_text_range", lambda textpage, *a, **k: 1 / 0)
    with pytest.raises(DocumentError, match="report.pdf is damaged or not a PDF"):
        extract("report.pdf", three_pages)


def test_lines_wrapped_inside_a_chinese_sentence_are_joined(qapp):
    sentence = "深度求索公司在二零二五年发布了一个新的推理模型并且公开了它的全部权重和技术报告"
    doc = extract("报告.pdf", make_pdf([f"第一章 总则\n{sentence * 3}。\n第二段。"]))
    text = doc.sections[0].text
    assert text == f"第一章 总则\n{sentence * 3}。\n第二段。"  # the layout wrapped the long line 2-3 times


def test_a_chinese_line_that_ends_a_sentence_or_is_short_keeps_its_break():
    from app.documents.pdf_text import join_wrapped_lines

    wide = "这是一行很长的中文文字它几乎占满了整个页面的宽度"
    assert join_wrapped_lines(f"{wide}\n继续") == f"{wide}继续"
    assert join_wrapped_lines(f"{wide}。\n下一句") == f"{wide}。\n下一句"  # a sentence ended
    assert join_wrapped_lines(f"目录\n{wide}") == f"目录\n{wide}"  # a heading, not a wrap
    assert join_wrapped_lines(f"{wide}\nNext line") == f"{wide}\nNext line"  # not Chinese on both sides
    assert join_wrapped_lines("한국어 문장이 길게 이어지는 줄\n다음 줄") == "한국어 문장이 길게 이어지는 줄\n다음 줄"


def encrypt_pdf(pdf: bytes, user: str, owner: str) -> bytes:
    """`pdf` locked with pypdf (PDFium cannot write encryption): `user` opens it, "" for anyone."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt(user_password=user, owner_password=owner, algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_encrypted_pdfs(three_pages):
    def encrypted(user: str, owner: str) -> bytes:
        return encrypt_pdf(three_pages, user, owner)

    from app.documents.pdf_text import PasswordNeeded

    locked = encrypted("secret", "secret")
    with pytest.raises(PasswordNeeded, match="locked.pdf is password-protected") as asked:
        extract("locked.pdf", locked)
    assert not asked.value.tried
    assert str(asked.value) == ("locked.pdf is password-protected; open it, save an unprotected copy and drop that "
                                "instead.")
    with pytest.raises(PasswordNeeded, match="That password does not open locked.pdf") as wrong:
        extract("locked.pdf", locked, password="guess")
    assert wrong.value.tried and "guess" not in str(wrong.value) and wrong.value.__cause__ is None
    assert extract("locked.pdf", locked, password="secret").sections[1].text == "The second page lists the experts."
    # Only an owner password (no password to open it): it reads.
    assert extract("owner.pdf", encrypted("", "owner")).pages == 3


def make_docx(body_xml: str) -> bytes:
    """The three parts Word needs to open a file, zipped (deflated, as Word does)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
                   'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/'
                   'xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
                   'officedocument.wordprocessingml.document.main+xml"/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                   'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        z.writestr("word/document.xml", '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://'
                   'schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats'
                   '.org/markup-compatibility/2006"><w:body>' + body_xml + "<w:sectPr/></w:body></w:document>")
    return out.getvalue()


def test_docx_paragraphs_tabs_and_tables():
    body = ("<w:p><w:r><w:t>Quarterly report</w:t></w:r></w:p>"
            "<w:p><w:r><w:t>深度求索</w:t></w:r><w:r><w:tab/><w:t xml:space=\"preserve\">第一季度 </w:t></w:r></w:p>"
            "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Region</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Sales</w:t>"
            "</w:r></w:p></w:tc></w:tr><w:tr><w:tc><w:p><w:r><w:t>East</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r>"
            "<w:t>42</w:t></w:r></w:p></w:tc></w:tr></w:tbl>")
    doc = extract("report.docx", make_docx(body))
    assert doc.kind == "docx" and doc.pages == 0
    assert doc.sections[0].text == "Quarterly report\n深度求索\t第一季度\nRegion | Sales\nEast | 42"
    assert [s.location for s in doc.sections] == [""]  # one section, cited by the file's name alone


def test_docx_text_in_content_controls_and_text_boxes_reads_once():
    body = ("<w:sdt><w:sdtContent><w:p><w:r><w:t>Cover title</w:t></w:r></w:p></w:sdtContent></w:sdt>"
            "<w:p><w:r><w:t>Line one</w:t><w:br/><w:t>line two</w:t></w:r></w:p>"
            "<w:p><w:r><mc:AlternateContent><mc:Choice><w:t>Boxed</w:t></mc:Choice>"
            "<mc:Fallback><w:t>Boxed</w:t></mc:Fallback></mc:AlternateContent></w:r></w:p>"
            "<w:p><w:del><w:r><w:delText>struck out</w:delText></w:r></w:del><w:r><w:t>kept</w:t></w:r></w:p>")
    assert extract("c.docx", make_docx(body)).sections[0].text == "Cover title\nLine one\nline two\nBoxed\nkept"


def test_an_empty_docx_is_named():
    with pytest.raises(DocumentError, match="blank.docx is empty"):
        extract("blank.docx", make_docx("<w:p/><w:p><w:r><w:t> </w:t></w:r></w:p>"))


def zip_of(files: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for path, text in files.items():
            z.writestr(path, text)
    return out.getvalue()


@pytest.mark.parametrize("data", [
    b"PK not really a zip", b"plain",
    zip_of({"hello.txt": "hi"}),  # a real zip without a Word body
    zip_of({"word/document.xml": "<w:document><unclosed"}),  # a body that is not XML
    make_docx("<w:p><w:r><w:t>cut</w:t></w:r></w:p>")[:-40],  # cut short: no central directory
])
def test_broken_docx_is_refused(data):
    with pytest.raises(DocumentError, match="bad.docx is not a valid Word document"):
        extract("bad.docx", data)


def test_html_keeps_the_reading_and_drops_the_machinery():
    page = (b"<html><head><title>Guide</title><style>p{}</style><script>alert(1)</script></head><body>"
            b"<h1>Setup</h1><p>Fish &amp; chips,\n   twice.</p><ul><li>one</li><li>two</li></ul>"
            b"<pre>def f():\n    return 1</pre></body></html>")
    text = extract("guide.html", page).sections[0].text
    assert text.startswith("Guide\n\nSetup")
    assert "alert" not in text and "p{}" not in text
    assert "Fish & chips, twice." in text and "one\n\ntwo" in text
    assert "def f():\n    return 1" in text
    gbk = '<html><head><meta charset="gbk"></head><body><p>深度求索</p></body></html>'.encode("gbk")
    assert extract("cn.htm", gbk).sections[0].text == "深度求索"


@pytest.mark.parametrize("data", [
    "Hello 世界\r\nsecond line".encode(),
    "\ufeffHello 世界\r\nsecond line".encode("utf-8"),
    "Hello 世界\r\nsecond line".encode("utf-16"),
    "Hello 世界\r\nsecond line".encode("gb18030"),
])
def test_text_in_the_encodings_people_have(data):
    assert extract("notes.txt", data).sections[0].text == "Hello 世界\nsecond line"


def test_latin1_is_the_last_resort_for_text_that_is_neither_utf8_nor_gb18030():
    assert extract("menu.txt", "Café à 5 €".encode("latin-1", "replace")).sections[0].text == "Café à 5 ?"


def test_code_keeps_its_indentation_and_spaces():
    source = "\n  \n    indented_first = 1\ndef f(x):\n    if x:\n        return 1  \n\n\treturn 2\n\n  \n"
    doc = extract("f.py", source.encode())
    assert doc.kind == "code" and doc.pages == 0 and doc.sections[0].location == ""
    assert doc.sections[0].text == "    indented_first = 1\ndef f(x):\n    if x:\n        return 1  \n\n\treturn 2"


def test_markdown_is_kept_as_written():
    doc = extract("README.MD", b"# Title\r\n\r\nHard  \r\nbreak and *stars*\r\n")
    assert doc.kind == "markdown" and doc.sections[0].text == "# Title\n\nHard  \nbreak and *stars*"


def test_what_cannot_be_read_is_named(monkeypatch):
    for name, data, words in [("blob.txt", b"ab\x00cd", "binary"), ("empty.md", b"  \n\n", "empty"),
                              ("nothing.py", b"", "empty"), ("odd.log", b"\xff\xfe\x41", "binary"),
                              ("blank.html", b"<html><script>x()</script></html>", "empty"),
                              ("setup.exe", b"MZ", "PDF, Word (.docx)"), ("old.doc", b"\xd0\xcf", ".docx"),
                              ("Makefile", b"all:", "PDF, Word (.docx)")]:
        with pytest.raises(DocumentError) as err:
            extract(name, data)
        assert name in str(err.value) and words in str(err.value)
    monkeypatch.setattr(extract_module, "MAX_BYTES", 10)
    with pytest.raises(DocumentError, match="big.txt is 0 MB; DeskSeek reads documents up to 0 MB"):
        extract("big.txt", b"x" * 11)


def test_supported_by_extension():
    assert all(supported(n) for n in ["a.PDF", "b.docx", "c.Md", "d.py", "e.html", "f.csv", "g.XHTML",
                                      "h.markdown", "i.yml", "j.tsx", "k.R", "dir.v2/l.scss"])
    assert not any(supported(n) for n in ["a.exe", "b.doc", "c.zip", "noext", "d.ipynb", "e.pdf.exe", ".pdf"])


def test_a_docx_whose_header_claims_gigabytes_is_read_by_what_it_holds():
    """The declared size is not trusted: a small body that claims 4 GB is still read."""
    from tests.fixtures.zip_headers import declare_size

    docx = declare_size(make_docx("<w:p><w:r><w:t>small after all</w:t></w:r></w:p>"), "word/document.xml",
                        0xFFFF_FFFE)
    assert extract("claims.docx", docx).sections[0].text == "small after all"


def test_a_docx_bomb_stops_inflating_at_the_limit(monkeypatch):
    """A body that unpacks past the limit is refused having held no more than the limit."""
    import tracemalloc

    from tests.fixtures.zip_headers import declare_size

    limit = 2**20
    monkeypatch.setattr(extract_module, "MAX_UNPACKED_BYTES", limit)
    bomb = declare_size(make_docx("<w:p/>" * 3_000_000), "word/document.xml", 1000 * limit)  # 18 MB of XML
    assert len(bomb) < limit // 4
    tracemalloc.start()
    try:
        with pytest.raises(DocumentError, match="bomb.docx unpacks to more text than DeskSeek reads"):
            extract("bomb.docx", bomb)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 3 * limit, peak


def test_html_page_read_exactly_as_a_reader_would():
    # Every rule of html_text at once, checked as the whole text (mutation testing found each of
    # these unchecked): the charset named by the page (Cyrillic that no fallback guesses), the
    # title on top with its blanks folded, text before any block, a block's first blanks dropped,
    # nested skipped elements, nested <pre>, a table's rows, blank lines folded.
    page = ('<html><head><meta charset="windows-1251"><title> Menu \n  of the day </title></head><body>'
            'Intro  text<h1>  Lunch   today </h1><p>   Soup,\n   bread <b>and</b>   tea.</p>'
            '<svg><style>a{}</style>drawing text<g></g>more drawing</svg>'
            '<div><div><div></div></div></div>'
            '<pre>  a<pre>b</pre>  c  <b>x</b>  d  </pre>'
            '<p>After    the code.</p>'
            '<table><tr><th>Dish</th><th>Price</th></tr><tr><td>Борщ</td><td>12</td></tr></table>'
            '</body></html>').encode("windows-1251")
    assert extract("menu.html", page).sections[0].text == (
        "Menu of the day\n\n"
        "Intro text\nLunch today\n\n"
        "Soup, bread and tea.\n\n"
        "  a\nb\n  c  x  d\n\n"
        "After the code.\n\n"
        "Dish | Price\n\nБорщ | 12")


def test_html_with_an_unknown_charset_falls_back_to_guessing():
    page = '<html><meta charset="no-such-charset"><p>深度求索</p></html>'.encode("utf-8")
    assert extract("a.html", page).sections[0].text == "深度求索"


def test_refusals_in_full():
    # The whole sentence the user reads, for each refusal (mutation testing changed their ends unseen).
    sentences = {
        "OLD.DOC": "OLD.DOC is an old Word file (.doc); save it as .docx in Word or LibreOffice and drop that instead.",
        "setup.exe": "setup.exe can't be read: DeskSeek reads PDF, Word (.docx), PowerPoint (.pptx), Excel "
                     "(.xlsx), EPUB, HTML, Markdown, text and source-code files, and pictures of text (.png, .jpg).",
        "blob.txt": "blob.txt looks like a binary file, not text.",
        "empty.md": "empty.md is empty: there is no text in it to read.",
    }
    for name, sentence in sentences.items():
        with pytest.raises(DocumentError) as err:
            extract(name, b"ab\x00cd" if name == "blob.txt" else b"  \n")
        assert str(err.value) == sentence
    too_big = b"x" * (extract_module.MAX_BYTES + 1)
    with pytest.raises(DocumentError) as err:
        extract("big.txt", too_big)
    limit = extract_module.MAX_BYTES // 2**20
    assert str(err.value) == f"big.txt is {limit} MB; DeskSeek reads documents up to {limit} MB."
    assert extract("fits.txt", b"y" * extract_module.MAX_BYTES).sections[0].text.startswith("yyy")


def test_old_mac_line_ends_and_utf16_big_endian_read_as_lines():
    assert extract("a.txt", b"one\rtwo\r\nthree").sections[0].text == "one\ntwo\nthree"
    assert extract("b.txt", "\ufeff深度\r\n求索".encode("utf-16-be")).sections[0].text == "深度\n求索"


def test_a_pdf_whose_pages_are_blank_is_refused_in_full():
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)  # what a scan looks like to a text reader
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(DocumentError) as err:
        extract("scan.pdf", out.getvalue())
    assert str(err.value) == "scan.pdf has no text in it: its pages are blank."


def test_html_title_in_pieces_is_read_as_one():
    """A title broken by a comment (generated pages carry them) reaches the parser in pieces."""
    page = b"<html><head><title>Annual<!-- build 42 --> report</title></head><body><p>Sales rose.</p></body></html>"
    assert extract("report.html", page).sections[0].text == "Annual report\n\nSales rose."


def raw_pdf(lines):
    """A one-page PDF written by hand: each line drawn as it is given, trailing spaces and all."""
    ops = "BT /F1 12 Tf 72 720 Td 14 TL " + " ".join(f"({l}) Tj T*" for l in lines) + " ET"
    objects = ["<< /Type /Catalog /Pages 2 0 R >>",
               "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
               f"<< /Length {len(ops)} >>\nstream\n{ops}\nendstream",
               "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = b"%PDF-1.4\n", []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def test_a_pdf_line_loses_the_spaces_drawn_at_its_end_and_a_text_file_keeps_its_own():
    """A PDF's lines end where the page's layout put them, often after spaces the reader turns into
    text (pdfium gives "Rent is due \\r\\n" here); a text file's trailing spaces are the author's
    (Markdown's hard line break is two)."""
    doc = extract("rent.pdf", raw_pdf(["Rent is due   ", "every month   ", "at noon"]))
    assert doc.sections[0].text == "Rent is due\nevery month\nat noon"
    assert extract("rent.md", b"Rent is due  \nevery month\n").sections[0].text == "Rent is due  \nevery month"


def test_an_html_file_that_is_binary_is_refused_by_its_own_name():
    with pytest.raises(DocumentError) as refused:
        extract("page.html", b"<p>Rent\x00\x01</p>")
    assert str(refused.value) == "page.html looks like a binary file, not text."


def test_a_readers_own_bug_is_a_sentence_with_what_went_wrong(monkeypatch):
    """A reader's unexpected exception (an odd file, or a bug) is named, never a crash."""
    def broken(name, data):
        raise ValueError("unexpected end of table")

    monkeypatch.setattr(extract_module, "_docx", broken)
    with pytest.raises(DocumentError) as refused:
        extract("report.docx", b"PK")
    assert str(refused.value) == "report.docx could not be read (ValueError: unexpected end of table)."
