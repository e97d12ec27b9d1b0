"""The text of an EPUB book with the standard library: the package file named by
META-INF/container.xml, its spine's XHTML documents in reading order, each read by the HTML reader
(html_text.py) as one section ("ch. 3", counting the documents that hold text). Members are read
through the size-bounded reader (zip bombs); a book whose text is encrypted (DRM) is refused.
"""
from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from typing import Callable
from urllib.parse import unquote
from xml.etree import ElementTree

from app.documents.extract import DocumentError, Section
from app.documents.html_text import html_to_text
from app.store.files import ZipMemberTooLarge, read_zip_member

_CONTAINER = "{urn:oasis:names:tc:opendocument:xmlns:container}"
_OPF = "{http://www.idpf.org/2007/opf}"
_ENC = "{http://www.w3.org/2001/04/xmlenc#}"


def epub_sections(name: str, data: bytes, limit: int, decode: Callable[[bytes], str]) -> list[Section]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            left = limit

            def read(member: str) -> bytes:
                nonlocal left
                out = read_zip_member(z, member, left)
                left -= len(out)
                return out

            container = ElementTree.fromstring(read("META-INF/container.xml"))
            opf_path = container.find(f".//{_CONTAINER}rootfile").get("full-path")
            opf = ElementTree.fromstring(read(opf_path))
            folder = posixpath.dirname(opf_path)
            items = {item.get("id"): posixpath.normpath(posixpath.join(folder, unquote(item.get("href", ""))))
                     for item in opf.iter(f"{_OPF}item")}
            spine = [items[ref.get("idref")] for ref in opf.iter(f"{_OPF}itemref") if ref.get("idref") in items]
            if _encrypted(z, read, spine):
                raise DocumentError(f"{name} is protected by DRM: its text is encrypted, so DeskSeek cannot "
                                    "read it.")
            texts = [html_to_text(read(member), decode) for member in spine]
    except ZipMemberTooLarge as exc:
        raise DocumentError(f"{name} unpacks to more text than DeskSeek reads.") from exc
    except (zipfile.BadZipFile, KeyError, AttributeError, ElementTree.ParseError, zlib.error, EOFError) as exc:
        raise DocumentError(f"{name} is not a valid EPUB book (it may be damaged).") from exc
    texts = [t for t in texts if t.strip()]
    return [Section(text, f"ch. {n}") for n, text in enumerate(texts, 1)]


def _encrypted(z: zipfile.ZipFile, read, spine: list[str]) -> bool:
    """Whether META-INF/encryption.xml encrypts any document of the spine (fonts alone are often
    obfuscated; that leaves the text readable)."""
    if "META-INF/encryption.xml" not in z.namelist():
        return False
    encryption = ElementTree.fromstring(read("META-INF/encryption.xml"))
    ciphered = {unquote(ref.get("URI", "")) for ref in encryption.iter(f"{_ENC}CipherReference")}
    return any(member in ciphered for member in spine)
