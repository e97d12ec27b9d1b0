"""The document library: every document read once, by content hash, whichever conversations use it.

A document belongs to the library while some conversation (in the bin too) has it attached:
`documents` rows are per conversation, each with its own passages and index rows, so everything
that quotes a conversation's documents reads one conversation's rows. A file already read is
attached to another conversation by copying its passages in SQL (`attach_from_library`), never by
reading the file again. Removing it from the library removes it from every conversation.
"""
from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from .cjk import fts_query, index_text
from .errors import StoreError
from .ids import new_id, now_iso
from .ranking import scores, term_patterns
from .records import Document, DocumentHit, LibraryEntry
from .snippet import make_snippet

if TYPE_CHECKING:
    from sqlite_utils import Database

# One row per file: the name and time it was first read; passages of the first copy.
_LIBRARY_SQL = """
SELECT d.sha256, d.name, d.kind, a.size, d.pages, min(d.created) AS added,
       (SELECT count(*) FROM document_passages p WHERE p.document_id = d.id) AS passages
FROM documents d JOIN attachments a ON a.sha256 = d.sha256
GROUP BY d.sha256  -- SQLite: the bare columns come from the row of min(created)
ORDER BY added DESC, d.sha256
"""
_USES_SQL = """
SELECT d.sha256, c.id, c.title, d.id FROM documents d JOIN conversations c ON c.id = d.conversation_id
WHERE c.deleted IS NULL ORDER BY c.updated DESC, c.id
"""
# Per document, its first passage that matches. A document's passages are written in one
# transaction, so their seqs run from its first ordinal's to its last's; that range keeps FTS5
# to the document's own rows: a word found in 100,000 passages costs a seek per document, not a
# bm25 over all of them. (Documents without a match come back with NULL and are skipped.)
_CONTENT_SQL = """
SELECT id, conversation_id, title, name, (
    SELECT p.text FROM passages_fts f JOIN document_passages p ON p.seq = f.rowid
    WHERE passages_fts MATCH :match AND f.rowid BETWEEN lo AND hi AND p.document_id = id
    LIMIT 1)
FROM (SELECT d.id, d.conversation_id, c.title, d.name, d.created,
             (SELECT seq FROM document_passages WHERE document_id = d.id ORDER BY ordinal LIMIT 1) AS lo,
             (SELECT seq FROM document_passages WHERE document_id = d.id ORDER BY ordinal DESC LIMIT 1) AS hi
      FROM documents d JOIN conversations c ON c.id = d.conversation_id
      WHERE c.deleted IS NULL)
ORDER BY created DESC
"""
_NAME_SQL = """
SELECT d.id, d.conversation_id, c.title, d.name
FROM documents d JOIN conversations c ON c.id = d.conversation_id
WHERE c.deleted IS NULL AND instr(lower(d.name), lower(?)) > 0
ORDER BY d.created DESC LIMIT 200
"""
# SQLite's lower() folds ASCII letters only, one character to one: the name's highlight is found
# the same way, so it is where the SQL found the query (casefold() turns "ß" into "ss" and shifts it).
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _ascii_lower(text: str) -> str:
    return text.translate(_ASCII_LOWER)


class LibraryMixin:
    def library(self) -> list[LibraryEntry]:
        """Every document read, newest first, with the conversations (not in the bin) using it."""
        with self._read() as db:  # type: ignore[attr-defined]
            rows = db.conn.execute(_LIBRARY_SQL).fetchall()
            uses: dict[str, list[tuple[str, str, str]]] = {}
            for sha, cid, title, doc_id in db.conn.execute(_USES_SQL):
                uses.setdefault(sha, []).append((cid, title, doc_id))
        return [LibraryEntry(sha256=sha, name=name, kind=kind, size=size, pages=pages, passages=passages,
                             added=added, conversations=tuple((c, t) for c, t, _ in uses.get(sha, ())),
                             documents=tuple(d for _, _, d in uses.get(sha, ())))
                for sha, name, kind, size, pages, added, passages in rows]

    def attach_from_library(self, conversation_id: str, sha256: str, name: str = "") -> Document:
        """Attach a document already read (in any conversation) to this one: its passages and
        index rows are copied, the file is not read again. `name`: the name it is attached
        under (default: its name where it was read first)."""
        document = self.reuse_document(conversation_id, sha256, name)
        if document is None:
            raise StoreError("That document is no longer in the library.")
        return document

    def reuse_document(self, conversation_id: str, sha256: str, name: str = "") -> Document | None:
        """As attach_from_library, in one transaction; None when no conversation has the file
        (it must be read)."""
        doc_id = new_id()
        with self._write() as db:  # type: ignore[attr-defined]
            source = db.execute("SELECT id, name, kind, pages FROM documents WHERE sha256 = ? "
                                "ORDER BY created, rowid LIMIT 1", [sha256]).fetchone()
            if source is None:
                return None
            name = name or source[1]
            if db.execute("SELECT 1 FROM conversations WHERE id = ?", [conversation_id]).fetchone() is None:
                raise StoreError(f"That conversation no longer exists ({conversation_id}).")
            if db.execute("SELECT 1 FROM documents WHERE conversation_id = ? AND sha256 = ?",
                          [conversation_id, sha256]).fetchone():
                raise StoreError(f"{name} is already attached to this conversation.")
            db.execute("INSERT INTO documents(id, conversation_id, sha256, name, kind, pages, created) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?)", [doc_id, conversation_id, sha256, name, source[2],
                                                        source[3], now_iso()])
            _copy_passages(db, source[0], doc_id)
        return next(d for d in self.documents(conversation_id) if d.id == doc_id)  # type: ignore[attr-defined]

    def remove_from_library(self, sha256: str) -> int:
        """Remove the document from every conversation (the bin's too), with its passages, index
        rows and file; returns from how many conversations. Replies keep the sources they quoted."""
        from .documents import _unindex_documents

        with self._write() as db:  # type: ignore[attr-defined]
            ids = [r[0] for r in db.execute("SELECT id FROM documents WHERE sha256 = ?", [sha256])]
            _unindex_documents(db, ids)
            db.execute("DELETE FROM documents WHERE sha256 = ?", [sha256])  # passages cascade
            self._drop_orphan_attachments(db)  # type: ignore[attr-defined]
        return len(ids)

    def search_documents(self, query: str, limit: int = 50) -> list[DocumentHit]:
        """Documents whose name holds the query, then those whose passages match it (best
        first), one hit per document and conversation, conversations in the bin left out."""
        needle = query.strip()
        if not needle:
            return []
        patterns = term_patterns(needle)
        hits: list[DocumentHit] = []
        seen: set[str] = set()
        with self._read() as db:  # type: ignore[attr-defined]
            for doc_id, cid, title, name in db.conn.execute(_NAME_SQL, [needle]):
                at = _ascii_lower(name).find(_ascii_lower(needle))  # found by the SQL: at >= 0
                hits.append(DocumentHit(doc_id, cid, title, name, name, ((at, at + len(needle)),)))
                seen.add(doc_id)
            match = fts_query(needle)
            rows = []
            if match:
                try:
                    rows = db.conn.execute(_CONTENT_SQL, {"match": match}).fetchall()
                except sqlite3.OperationalError:  # a query FTS5 cannot parse matches nothing
                    rows = []
        rows = [r for r in rows if r[4] is not None and r[0] not in seen]
        ranked = sorted(zip(scores([r[4] for r in rows], patterns), range(len(rows))),
                        key=lambda pair: (-pair[0], pair[1]))  # best passage first, newest among equals
        for _score, i in ranked:
            doc_id, cid, title, name, text = rows[i]
            snippet, spans = make_snippet(text, patterns)
            hits.append(DocumentHit(doc_id, cid, title, name, snippet, tuple(spans)))
        return hits[:limit]


def _copy_passages(db: "Database", source_id: str, target_id: str) -> None:
    """The source document's passages under the target, in order, indexed like any others, with
    the vectors they have (every model's): embedding them again would take minutes for a long file."""
    rows = db.execute("SELECT seq, ordinal, location, text FROM document_passages WHERE document_id = ? "
                      "ORDER BY ordinal", [source_id]).fetchall()
    for source_seq, ordinal, location, text in rows:
        seq = db.execute("INSERT INTO document_passages(document_id, ordinal, location, text) "
                         "VALUES (?, ?, ?, ?)", [target_id, ordinal, location, text]).lastrowid
        db.execute("INSERT INTO passages_fts(rowid, body) VALUES (?, ?)", [seq, index_text(text)])
        db.execute("INSERT INTO passage_vectors(seq, model, vector) "
                   "SELECT ?, model, vector FROM passage_vectors WHERE seq = ?", [seq, source_seq])
