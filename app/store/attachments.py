"""Files attached to messages, stored once per SHA-256 of their content."""
from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from .errors import StoreError
from .ids import now_iso
from .records import Attachment

if TYPE_CHECKING:
    from sqlite_utils import Database

_LIST_SQL = """
SELECT a.sha256, l.name, a.mime, a.size FROM message_attachments l
JOIN attachments a ON a.sha256 = l.sha256 WHERE l.message_id = ? ORDER BY l.position
"""


class AttachmentsMixin:
    def add_attachment(self, message_id: str, name: str, data: bytes, mime: str = "") -> Attachment:
        digest = hashlib.sha256(data).hexdigest()
        with self._write() as db:  # type: ignore[attr-defined]
            if db.execute("SELECT 1 FROM messages WHERE id = ?", [message_id]).fetchone() is None:
                raise StoreError(f"That message no longer exists ({message_id}).")
            self._put_blob(db, digest, data, mime)
            position = db.execute("SELECT coalesce(max(position), -1) + 1 FROM message_attachments "
                                  "WHERE message_id = ?", [message_id]).fetchone()[0]
            db.execute("INSERT INTO message_attachments(message_id, position, sha256, name) "
                       "VALUES (?, ?, ?, ?)", [message_id, position, digest, name])
        return Attachment(sha256=digest, name=name, mime=mime, size=len(data))

    def attachments(self, message_id: str) -> list[Attachment]:
        with self._read() as db:  # type: ignore[attr-defined]
            return [Attachment(*row) for row in db.execute(_LIST_SQL, [message_id])]

    def attachment_data(self, sha256: str) -> bytes:
        with self._read() as db:  # type: ignore[attr-defined]
            row = db.execute("SELECT data FROM attachments WHERE sha256 = ?", [sha256]).fetchone()
        if row is None:
            raise StoreError(f"The attached file {sha256[:12]}… is no longer stored.")
        return bytes(row[0])

    def _put_blob(self, db: "Database", digest: str, data: bytes, mime: str) -> None:
        db.execute("INSERT OR IGNORE INTO attachments(sha256, size, mime, data, created) "
                   "VALUES (?, ?, ?, ?, ?)", [digest, len(data), mime, data, now_iso()])

    def _drop_orphan_attachments(self, db: "Database") -> None:
        db.execute("DELETE FROM attachments WHERE sha256 NOT IN (SELECT sha256 FROM message_attachments) "
                   "AND sha256 NOT IN (SELECT sha256 FROM documents)")
