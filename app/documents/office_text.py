"""The text of PowerPoint (.pptx) and Excel (.xlsx) files, one section per slide ("slide 3") or
sheet ("sheet Costs").

.pptx: the slides' XML read with the standard library, as Word's is in extract.py: slides in
the presentation's order, paragraphs and tables in each slide's order (python-pptx would add lxml
and XlsxWriter to the app for the same text). .xlsx: openpyxl (read-only, cached formula
values), for its handling of shared strings, dates and number types. Every member is inflated
through the size-bounded reader first (app.store.files), so a zip bomb is refused while
inflating, before any parser sees it.
"""
from __future__ import annotations

import datetime as dt
import io
import posixpath
import warnings
import zipfile
import zlib
from xml.etree import ElementTree

from app.documents.extract import DocumentError, Section
from app.store.files import ZipMemberTooLarge, check_unpacked_size, read_zip_member

_P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def pptx_sections(name: str, data: bytes, limit: int) -> list[Section]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            budget = _Budget(z, limit)
            presentation = ElementTree.fromstring(budget.read("ppt/presentation.xml"))
            targets = _relationships(budget.read("ppt/_rels/presentation.xml.rels"), "ppt")
            sections = []
            slide_ids = presentation.find(f"{_P}sldIdLst")
            for number, slide_id in enumerate(slide_ids if slide_ids is not None else [], 1):
                slide = ElementTree.fromstring(budget.read(targets[slide_id.get(f"{_R}id")]))
                sections.append(Section("\n".join(_slide_lines(slide)), f"slide {number}"))
    except ZipMemberTooLarge as exc:
        raise DocumentError(f"{name} unpacks to more text than DeskSeek reads.") from exc
    except (zipfile.BadZipFile, KeyError, TypeError, ElementTree.ParseError, zlib.error, EOFError) as exc:
        raise DocumentError(f"{name} is not a valid PowerPoint presentation (it may be damaged).") from exc
    return sections


class _Budget:
    """Members read through the bounded reader, the bound shared by all of them."""

    def __init__(self, archive: zipfile.ZipFile, limit: int) -> None:
        self.archive, self.left = archive, limit

    def read(self, member: str) -> bytes:
        data = read_zip_member(self.archive, member, self.left)
        self.left -= len(data)
        return data


def _relationships(xml: bytes, folder: str) -> dict[str, str]:
    """Relationship id -> the member it points at, resolved against `folder`."""
    out = {}
    for rel in ElementTree.fromstring(xml).iter(f"{_RELS}Relationship"):
        target = rel.get("Target", "")
        out[rel.get("Id", "")] = target.lstrip("/") if target.startswith("/") else \
            posixpath.normpath(posixpath.join(folder, target))
    return out


def _slide_lines(node) -> list[str]:
    """Paragraphs in the slide's order; a table's rows as cells joined by " | "."""
    lines: list[str] = []
    for child in node:
        if child.tag == _MC_FALLBACK:  # the same shapes again, for old readers
            continue
        if child.tag == f"{_A}tbl":
            for row in child.iter(f"{_A}tr"):
                cells = [" ".join(_paragraph(p) for p in cell.iter(f"{_A}p")).strip() for cell in row.iter(f"{_A}tc")]
                lines.append(" | ".join(cells))
        elif child.tag == f"{_A}p":
            lines.append(_paragraph(child))
        else:
            lines += _slide_lines(child)
    return [line for line in lines if line.strip()]


def _paragraph(p) -> str:
    parts = []
    for node in p.iter():
        if node.tag == f"{_A}t":
            parts.append(node.text or "")
        elif node.tag == f"{_A}br":
            parts.append("\n")
    return "".join(parts).rstrip()


def xlsx_sections(name: str, data: bytes, limit: int) -> list[Section]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            check_unpacked_size(z, limit)
    except ZipMemberTooLarge as exc:
        raise DocumentError(f"{name} unpacks to more text than DeskSeek reads.") from exc
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise DocumentError(f"{name} is not a valid Excel workbook (it may be damaged).") from exc
    try:
        with warnings.catch_warnings():  # openpyxl warns of features it skips (validation, styles)
            warnings.simplefilter("ignore")
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                sections = [Section("\n".join(_rows(sheet)), f"sheet {sheet.title}") for sheet in book.worksheets]
            finally:
                book.close()
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise DocumentError(f"{name} is not a valid Excel workbook (it may be damaged).") from exc
    return sections


def _rows(sheet) -> list[str]:
    # A read-only sheet stops at the size the file declares (<dimension>), which some exporters
    # write as "A1" whatever the sheet holds: read every row the file has instead.
    sheet.reset_dimensions()
    lines = []
    for row in sheet.iter_rows(values_only=True):
        cells = [_cell(v) for v in row]
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            lines.append(" | ".join(cells))
    return lines


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else format(value, ".15g")
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value).strip()
