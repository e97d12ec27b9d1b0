"""Reading and writing export files, with sentences for the user when the disk says no;
zip members read with a bound on what they inflate to (ChatGPT's .zip, Office files, EPUB)."""
from __future__ import annotations

import json
import os
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from .errors import StoreError


def write_text_atomic(path: Path, text: str) -> None:
    """Write all of `text` or nothing: a temporary file in the same folder, then a rename."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
                f.write(text)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise StoreError(f"The export could not be written to {path.parent}: {exc.strerror or exc}. "
                         "Choose a folder you may write to, with free space.") from exc


def read_json(path: Path, what: str) -> Any:
    path = Path(path)
    try:
        with path.open(encoding="utf-8-sig") as f:
            return json.load(f)
    except OSError as exc:
        raise StoreError(f"{path} could not be read: {exc.strerror or exc}.") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise StoreError(f"{path} is not {what}: it is not valid JSON ({exc}). "
                         "Nothing was imported.") from exc


ZIP_CHUNK = 1 << 20


class ZipMemberTooLarge(ValueError):
    """A zip member inflates to more than the caller's limit (a zip bomb, or not what it seems)."""


def read_zip_member(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    """The member's bytes, inflated a chunk at a time; ZipMemberTooLarge as soon as more than
    `limit` bytes come out. The size the zip declares is not trusted either way: a header that
    claims too much does not refuse a small member, and no more than `limit` + 1 bytes are ever
    held, whatever the header claims."""
    out = bytearray()
    with archive.open(name) as member:
        while piece := member.read(min(ZIP_CHUNK, limit + 1 - len(out))):
            out += piece
            if len(out) > limit:
                raise ZipMemberTooLarge(f"{name} unpacks to more than {limit} bytes")
    return bytes(out)


def check_unpacked_size(archive: zipfile.ZipFile, limit: int) -> None:
    """ZipMemberTooLarge as soon as the members together inflate to more than `limit` bytes:
    each is inflated a chunk at a time and counted, nothing kept. For readers that open the zip
    themselves (openpyxl), so a bomb is refused before they start."""
    total = 0
    for info in archive.infolist():
        with archive.open(info) as member:
            while piece := member.read(ZIP_CHUNK):
                total += len(piece)
                if total > limit:
                    raise ZipMemberTooLarge(f"{archive.filename or 'the archive'} unpacks to more than {limit} bytes")
