"""The text of a file the user dropped: PDF (pypdf), Word .docx, HTML, Markdown, plain text and
source code, as sections in reading order (one per PDF page, so passages can cite the page).

Every failure is a DocumentError whose message names the file and says what to do; nothing
else escapes `extract`.
"""
from __future__ import annotations

import io
import logging
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from xml.etree import ElementTree

from app.documents.html_text import html_to_text

MAX_BYTES = 50 * 2**20

_TEXT = {".txt", ".text", ".rst", ".log", ".csv", ".tsv", ".json", ".yaml", ".yml", ".toml", ".ini", ".xml"}
_CODE = {".py", ".js", ".ts", ".tsx", ".jsx", ".java", ".c", ".h", ".cpp", ".hpp", ".cc", ".cs", ".go",
         ".rs", ".rb", ".php", ".swift", ".kt", ".scala", ".sh", ".bash", ".sql", ".lua", ".r", ".m",
         ".pl", ".dart", ".vue", ".css", ".scss"}
_KINDS = {".pdf": "pdf", ".docx": "docx", ".html": "html", ".htm": "html", ".xhtml": "html",
          ".md": "markdown", ".markdown": "markdown", **{e: "text" for e in _TEXT}, **{e: "code" for e in _CODE}}
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass(frozen=True)
class Section:
    text: str
    location: str  # "p. 3" for page 3 of a PDF; "" where the format has no pages


@dataclass(frozen=True)
class ExtractedDocument:
    name: str
    kind: str  # "pdf" | "docx" | "html" | "markdown" | "text" | "code"
    sections: tuple[Section, ...]
    pages: int  # PDF pages; 0 for other kinds


class DocumentError(Exception):
    """A sentence for the user naming the file and what is wrong with it."""


def supported(name: str) -> bool:
    return PurePath(name).suffix.lower() in _KINDS


def extract(name: str, data: bytes) -> ExtractedDocument:
    suffix = PurePath(name).suffix.lower()
    if suffix == ".doc":
        raise DocumentError(f"{name} is an old Word file (.doc); save it as .docx in Word or LibreOffice "
                            "and drop that instead.")
    if suffix not in _KINDS:
        raise DocumentError(f"{name} can't be read: DeskSeek reads PDF, Word (.docx), HTML, Markdown, "
                            "text and source-code files.")
    if len(data) > MAX_BYTES:
        raise DocumentError(f"{name} is {len(data) / 2**20:.0f} MB; DeskSeek reads documents up to "
                            f"{MAX_BYTES // 2**20} MB.")
    kind = _KINDS[suffix]
    try:
        if kind == "pdf":
            sections, pages = _pdf(name, data)
        elif kind == "docx":
            sections, pages = [Section(_docx(name, data), "")], 0
        elif kind == "html":
            sections, pages = [Section(html_to_text(data, lambda d: _decode(name, d)), "")], 0
        else:
            sections, pages = [Section(_decode(name, data), "")], 0
    except DocumentError:
        raise
    except Exception as exc:  # a reader's own bug or an odd file: still a sentence, never a crash
        raise DocumentError(f"{name} could not be read ({type(exc).__name__}: {exc}).") from exc
    sections = [Section(_tidy(s.text), s.location) for s in sections]
    sections = [s for s in sections if s.text]
    if not sections:
        raise DocumentError(f"{name} is empty: there is no text in it to read.")
    return ExtractedDocument(name, kind, tuple(sections), pages)


def _decode(name: str, data: bytes) -> str:
    """UTF-8 (BOM or not), UTF-16 with a BOM, else GB18030 (Chinese Windows files)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16").replace("\r\n", "\n").replace("\r", "\n")
    if b"\x00" in data:
        raise DocumentError(f"{name} looks like a binary file, not text.")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding).replace("\r\n", "\n").replace("\r", "\n")
        except UnicodeDecodeError:
            continue
    raise DocumentError(f"{name} is not in a text encoding DeskSeek knows (UTF-8, UTF-16, GB18030).")


def _tidy(text: str) -> str:
    """Trailing spaces off each line, blank lines off both ends; indentation kept."""
    lines = [line.rstrip() for line in text.split("\n")]
    return "\n".join(lines).strip("\n")


def _pdf(name: str, data: bytes) -> tuple[list[Section], int]:
    import pypdf
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # broken files would fill the log
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentError(f"{name} is password-protected; open it, save an unprotected copy and "
                                "drop that instead.")
        pages = reader.pages
        # Word gaps come out as tabs where the PDF placed each word itself (Qt, some printers).
        sections = [Section((page.extract_text() or "").replace("\t", " "), f"p. {n}")
                    for n, page in enumerate(pages, 1)]
    except DocumentError:
        raise
    except (PdfReadError, Exception) as exc:
        if "password" in str(exc).lower() or "decrypt" in str(exc).lower():
            raise DocumentError(f"{name} is password-protected; open it, save an unprotected copy and "
                                "drop that instead.") from exc
        raise DocumentError(f"{name} is damaged or not a PDF; DeskSeek could not read it.") from exc
    if not any(s.text.strip() for s in sections):
        raise DocumentError(f"{name} has no text layer (a scanned document?); DeskSeek cannot read text "
                            "from images yet.")
    return sections, len(sections)


def _docx(name: str, data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            root = ElementTree.fromstring(z.read("word/document.xml"))
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError) as exc:
        raise DocumentError(f"{name} is not a valid Word document (it may be damaged).") from exc
    body = root.find(f"{_W}body")
    lines: list[str] = []
    for block in (body if body is not None else []):
        if block.tag == f"{_W}p":
            lines.append(_docx_paragraph(block))
        elif block.tag == f"{_W}tbl":
            for row in block.iter(f"{_W}tr"):
                cells = [" ".join(_docx_paragraph(p) for p in cell.iter(f"{_W}p")).strip()
                         for cell in row.iter(f"{_W}tc")]
                lines.append(" | ".join(cells))
    return "\n".join(lines)


def _docx_paragraph(p) -> str:
    parts = []
    for node in p.iter():
        if node.tag == f"{_W}t":
            parts.append(node.text or "")
        elif node.tag == f"{_W}tab":
            parts.append("\t")
        elif node.tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
    return re.sub(r"[ \u00a0]+$", "", "".join(parts))
