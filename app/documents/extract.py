"""The text of a file the user dropped: PDF (PDFium, in pdf_text.py, scanned pages by OCR), Word .docx,
PowerPoint .pptx, Excel .xlsx (office_text.py), EPUB (epub_text.py), HTML, Markdown, plain text, source
code and pictures of text (.png/.jpg, by OCR), as sections in reading order (one per PDF page, slide,
sheet or chapter, so passages can cite where they come from).

Every failure is a DocumentError whose message names the file and says what to do; nothing
else escapes `extract`.
"""
from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING
from xml.etree import ElementTree

from app.documents.html_text import html_to_text
from app.store.files import ZipMemberTooLarge, read_zip_member

if TYPE_CHECKING:
    from app.documents.reading import Reading

MAX_BYTES = 50 * 2**20
# What a zipped format (.docx, .pptx, .xlsx, .epub) may unpack to: Office XML is wordy, but more
# than this is a zip bomb, not prose. Counted while inflating, whatever the zip declares.
MAX_UNPACKED_BYTES = 8 * MAX_BYTES

_TEXT = {".txt", ".text", ".rst", ".log", ".csv", ".tsv", ".json", ".yaml", ".yml", ".toml", ".ini", ".xml"}
_CODE = {".py", ".js", ".ts", ".tsx", ".jsx", ".java", ".c", ".h", ".cpp", ".hpp", ".cc", ".cs", ".go",
         ".rs", ".rb", ".php", ".swift", ".kt", ".scala", ".sh", ".bash", ".sql", ".lua", ".r", ".m",
         ".pl", ".dart", ".vue", ".css", ".scss"}
_KINDS = {".pdf": "pdf", ".docx": "docx", ".pptx": "pptx", ".xlsx": "xlsx", ".epub": "epub",
          ".html": "html", ".htm": "html", ".xhtml": "html", ".md": "markdown", ".markdown": "markdown",
          ".png": "image", ".jpg": "image", ".jpeg": "image",
          **{e: "text" for e in _TEXT}, **{e: "code" for e in _CODE}}
_FIRST = (".pdf", ".docx", ".pptx", ".xlsx", ".epub")
SUFFIXES = (*_FIRST, *sorted(set(_KINDS) - set(_FIRST)))  # what `supported` takes, for dialogs
FORMATS = ("PDF, Word (.docx), PowerPoint (.pptx), Excel (.xlsx), EPUB, HTML, Markdown, text and "
           "source-code files, and pictures of text (.png, .jpg)")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Word repeats text boxes in a VML fallback for old readers; reading both would double them.
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


@dataclass(frozen=True)
class Section:
    text: str
    location: str  # "p. 3" for page 3 of a PDF; "" where the format has no pages


@dataclass(frozen=True)
class ExtractedDocument:
    name: str
    kind: str  # "pdf" | "docx" | "pptx" | "xlsx" | "epub" | "html" | "markdown" | "text" | "code" | "image"
    sections: tuple[Section, ...]
    pages: int  # PDF pages; 0 for other kinds


class DocumentError(Exception):
    """A sentence for the user naming the file and what is wrong with it."""


def supported(name: str) -> bool:
    return PurePath(name).suffix.lower() in _KINDS


def extract(name: str, data: bytes, password: str = "", reading: Reading | None = None) -> ExtractedDocument:
    """`password` opens a password-protected PDF (pdf_text.PasswordNeeded when it does not).
    `reading` hears of each page read and can stop it (reading.ReadingCancelled); pages that
    could not be read are named in its `unread`."""
    suffix = PurePath(name).suffix.lower()
    if suffix == ".doc":
        raise DocumentError(f"{name} is an old Word file (.doc); save it as .docx in Word or LibreOffice "
                            "and drop that instead.")
    if suffix not in _KINDS:
        raise DocumentError(f"{name} can't be read: DeskSeek reads {FORMATS}.")
    if len(data) > MAX_BYTES:
        raise DocumentError(f"{name} is {len(data) / 2**20:.0f} MB; DeskSeek reads documents up to "
                            f"{MAX_BYTES // 2**20} MB.")
    kind = _KINDS[suffix]
    try:
        if kind == "pdf":
            from app.documents.pdf_text import pdf_sections  # it needs Section and DocumentError from here

            sections, pages = pdf_sections(name, data, password, reading)
        elif kind == "docx":
            sections, pages = [Section(_docx(name, data), "")], 0
        elif kind in ("pptx", "xlsx"):
            from app.documents.office_text import pptx_sections, xlsx_sections

            reader = pptx_sections if kind == "pptx" else xlsx_sections
            sections, pages = reader(name, data, MAX_UNPACKED_BYTES), 0
        elif kind == "epub":
            from app.documents.epub_text import epub_sections

            sections, pages = epub_sections(name, data, MAX_UNPACKED_BYTES, lambda d: _decode(name, d)), 0
        elif kind == "image":
            from app.documents.picture_text import picture_sections

            sections, pages = picture_sections(name, data, reading), 0
        elif kind == "html":
            sections, pages = [Section(html_to_text(data, lambda d: _decode(name, d)), "")], 0
        else:
            sections, pages = [Section(_decode(name, data), "")], 0
    except DocumentError:
        raise
    except Exception as exc:  # a reader's own bug or an odd file: still a sentence, never a crash
        raise DocumentError(f"{name} could not be read ({type(exc).__name__}: {exc}).") from exc
    # PDF lines can end in the spaces the reader put between words; other text stays as written.
    sections = [Section(_trim(s.text, lines=kind == "pdf"), s.location) for s in sections]
    sections = [s for s in sections if s.text]
    if not sections:
        raise DocumentError(f"{name} is empty: there is no text in it to read.")
    return ExtractedDocument(name, kind, tuple(sections), pages)


def _decode(name: str, data: bytes) -> str:
    """UTF-8 (BOM or not), UTF-16 with a BOM, GB18030 (Chinese Windows files), else latin-1."""
    binary = DocumentError(f"{name} looks like a binary file, not text.")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ["utf-16"]
    elif b"\x00" in data:  # text has no NULs (bar BOM-less UTF-16); latin-1 would "read" binary
        raise binary
    else:
        encodings = ["utf-8-sig", "gb18030", "latin-1"]
    for encoding in encodings:
        try:
            return data.decode(encoding).replace("\r\n", "\n").replace("\r", "\n")
        except UnicodeDecodeError:
            continue
    raise binary  # a BOM-like start on bytes that are not UTF-16


def _trim(text: str, lines: bool) -> str:
    """Blank lines off both ends (the first line keeps its indentation); with `lines`, trailing
    spaces off every line too."""
    rows = [row.rstrip() if lines else row for row in text.split("\n")]
    while rows and not rows[0].strip():
        rows.pop(0)
    while rows and not rows[-1].strip():
        rows.pop()
    return "\n".join(rows)


def _docx(name: str, data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            root = ElementTree.fromstring(read_zip_member(z, "word/document.xml", MAX_UNPACKED_BYTES))
    except ZipMemberTooLarge as exc:  # a zip bomb, not prose
        raise DocumentError(f"{name} unpacks to more text than DeskSeek reads.") from exc
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, zlib.error, EOFError) as exc:
        raise DocumentError(f"{name} is not a valid Word document (it may be damaged).") from exc
    body = root.find(f"{_W}body")
    return "\n".join(_docx_blocks(body if body is not None else []))


def _docx_blocks(container) -> list[str]:
    lines: list[str] = []
    for block in container:
        if block.tag == f"{_W}p":
            lines.append(_docx_paragraph(block))
        elif block.tag == f"{_W}tbl":
            for row in block.findall(f"{_W}tr"):  # direct rows: a nested table reads inside its cell
                cells = [" ".join(_docx_paragraph(p) for p in cell.iter(f"{_W}p")).strip()
                         for cell in row.findall(f"{_W}tc")]
                lines.append(" | ".join(cells))
        elif block.tag != f"{_W}sectPr":  # content controls (w:sdt) and the like wrap real text
            lines += _docx_blocks(block)
    return lines


def _walk(node):
    """`node.iter()` without the fallback copies."""
    yield node
    for child in node:
        if child.tag != _MC_FALLBACK:
            yield from _walk(child)


def _docx_paragraph(p) -> str:
    parts = []
    for node in _walk(p):
        if node.tag == f"{_W}t":
            parts.append(node.text or "")
        elif node.tag == f"{_W}tab":
            parts.append("\t")
        elif node.tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
    return re.sub(r"[ \u00a0]+$", "", "".join(parts))
