"""Documents attached to a conversation: their passages, a full-text index of them, and the
passages each reply was given (its sources).

The passage index is contentless FTS5 (rowid = passage seq) over `index_text(text)`, like the
message index: removing a passage presents the same text again, recomputed from its row.
"""
from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Callable, Iterable, Sequence

from .cjk import index_text
from .errors import StoreError
from .excerpt import relevant_part
from .ids import new_id, now_iso
from .passage_ranking import WHOLE, ranked_passages
from .passage_vectors import PassageVectorsMixin
from .records import Document, Passage, Quoted, rows_to

if TYPE_CHECKING:
    from sqlite_utils import Database

_LIST_SQL = """
SELECT d.*, (SELECT count(*) FROM document_passages p WHERE p.document_id = d.id) AS passages
FROM documents d WHERE d.conversation_id = ? ORDER BY d.created, d.rowid
"""
_IN_ORDER_SQL = """
SELECT d.name, p.location, p.text, p.document_id, p.ordinal
FROM document_passages p JOIN documents d ON d.id = p.document_id
WHERE d.conversation_id = ? ORDER BY d.created, d.rowid, p.ordinal
"""
_TOTAL_SQL = """
SELECT sum(length(p.text)) FROM document_passages p JOIN documents d ON d.id = p.document_id
WHERE d.conversation_id = ?
"""
_DOCS_SQL = "SELECT id FROM documents WHERE conversation_id = ? ORDER BY created, rowid"


class DocumentsMixin(PassageVectorsMixin):
    def add_document(self, conversation_id: str, name: str, data: bytes, kind: str, pages: int,
                     passages: Sequence[tuple[str, str]]) -> Document:
        """Store the file once (by hash) and its passages, (location, text) in reading order,
        indexed for search; one transaction, so a document is there whole or not at all."""
        digest = hashlib.sha256(data).hexdigest()
        doc_id = new_id()
        with self._write() as db:  # type: ignore[attr-defined]
            if db.execute("SELECT 1 FROM conversations WHERE id = ?", [conversation_id]).fetchone() is None:
                raise StoreError(f"That conversation no longer exists ({conversation_id}).")
            if db.execute("SELECT 1 FROM documents WHERE conversation_id = ? AND sha256 = ?",
                          [conversation_id, digest]).fetchone():
                raise StoreError(f"{name} is already attached to this conversation.")
            self._put_blob(db, digest, data, "")  # type: ignore[attr-defined]
            db.execute("INSERT INTO documents(id, conversation_id, sha256, name, kind, pages, created) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?)", [doc_id, conversation_id, digest, name, kind, pages, now_iso()])
            for ordinal, (location, text) in enumerate(passages):
                seq = db.execute("INSERT INTO document_passages(document_id, ordinal, location, text) "
                                 "VALUES (?, ?, ?, ?)", [doc_id, ordinal, location, text]).lastrowid
                db.execute("INSERT INTO passages_fts(rowid, body) VALUES (?, ?)", [seq, index_text(text)])
        return next(d for d in self.documents(conversation_id) if d.id == doc_id)

    def documents(self, conversation_id: str) -> list[Document]:
        with self._read() as db:  # type: ignore[attr-defined]
            return rows_to(Document, db.conn.execute(_LIST_SQL, [conversation_id]))

    def remove_document(self, document_id: str) -> None:
        with self._write() as db:  # type: ignore[attr-defined]
            _unindex_documents(db, [document_id])
            db.execute("DELETE FROM documents WHERE id = ?", [document_id])  # passages cascade
            self._drop_orphan_attachments(db)  # type: ignore[attr-defined]

    def find_passages(self, conversation_id: str, query: str, budget: float,
                      cost: Callable[[str], float] = len, meaning: Sequence[int] = ()) -> Quoted:
        """The passages of the conversation's documents a question is most about, whose `cost`
        (characters, or estimated tokens: at least a quarter of the characters) stays within
        `budget`, in reading order. Documents that fit whole are given whole; else bm25 over the
        question's words fused with `meaning` (passage seqs ranked by meaning, best first;
        app.store.passage_ranking); when neither finds anything ("summarise this"), their
        beginning. When the best passage alone is over the budget, the part of it around the
        question's terms (excerpt.py). The result's `ranker` says which of these chose them."""
        with self._read() as db:  # type: ignore[attr-defined]
            conn = db.conn
            total = conn.execute(_TOTAL_SQL, [conversation_id]).fetchone()[0] or 0
            if total <= 4 * budget:  # it may fit whole: only then read it all
                every = rows_to(Passage, conn.execute(_IN_ORDER_SQL + " LIMIT -1", [conversation_id]))
                if sum(cost(p.text) for p in every) <= budget:
                    return Quoted(every, WHOLE)
            ranked, ranker = ranked_passages(conn, conversation_id, query, meaning)
            docs = [r[0] for r in conn.execute(_DOCS_SQL, [conversation_id])]
        rank = {doc_id: i for i, doc_id in enumerate(docs)}
        return Quoted(sorted(_within(ranked, budget, cost, query), key=lambda p: (rank.get(p.document_id, 0), p.ordinal)),
                      ranker)

    def set_reply_sources(self, message_id: str, passages: Sequence[Passage]) -> None:
        with self._write() as db:  # type: ignore[attr-defined]
            db.execute("DELETE FROM reply_sources WHERE message_id = ?", [message_id])
            db.conn.executemany(
                "INSERT INTO reply_sources(message_id, n, name, location, text) VALUES (?, ?, ?, ?, ?)",
                [(message_id, n, p.name, p.location, p.text) for n, p in enumerate(passages, 1)])

    def reply_sources(self, message_ids: Iterable[str]) -> dict[str, list[Passage]]:
        """message id -> the passages its reply was given, in citation order ([1] first)."""
        ids = list(message_ids)
        out: dict[str, list[Passage]] = {}
        with self._read() as db:  # type: ignore[attr-defined]
            for start in range(0, len(ids), 500):
                chunk = ids[start:start + 500]
                marks = ",".join("?" * len(chunk))
                for mid, name, location, text in db.conn.execute(
                        f"SELECT message_id, name, location, text FROM reply_sources "
                        f"WHERE message_id IN ({marks}) ORDER BY message_id, n", chunk):
                    out.setdefault(mid, []).append(Passage(name, location, text))
        return out

    def _unindex_conversation_documents(self, db: "Database", conversation_id: str) -> None:
        ids = [r[0] for r in db.execute("SELECT id FROM documents WHERE conversation_id = ?", [conversation_id])]
        _unindex_documents(db, ids)


def _unindex_documents(db: "Database", document_ids: Iterable[str]) -> None:
    for doc_id in document_ids:
        rows = db.execute("SELECT seq, text FROM document_passages WHERE document_id = ?", [doc_id]).fetchall()
        db.conn.executemany("INSERT INTO passages_fts(passages_fts, rowid, body) VALUES ('delete', ?, ?)",
                            [(seq, index_text(text)) for seq, text in rows])


def _within(passages: list[Passage], budget: float, cost: Callable[[str], float], question: str = "") -> list[Passage]:
    """The first passages (best first) that fit the budget; at least one: the best one's part
    that the question is about when the whole of it does not fit."""
    chosen: list[Passage] = []
    used = 0.0
    for p in passages:
        c = cost(p.text)
        if used + c > budget:
            if not chosen:
                part = relevant_part(p.text, question, budget, cost)
                chosen.append(Passage(p.name, p.location, part, p.document_id, p.ordinal))
                used += cost(part)  # the cut counts too, or the rest could fill the budget again
            continue
        chosen.append(p)
        used += c
    return chosen
