"""Passage vectors: one embedding per passage and model, kept as a float32 BLOB beside the passage.

Derived data, like the full-text index: deleting a document deletes them (ON DELETE CASCADE), and a
passage without one (a document read before vectors existed, or while they are still being
computed) is simply ranked by its words alone. The store keeps bytes; app.documents.meaning turns
them into numbers and refuses any of the wrong size or not finite.
"""
from __future__ import annotations

from typing import Sequence

_MISSING_SQL = """
SELECT p.seq, p.text FROM document_passages p JOIN documents d ON d.id = p.document_id
WHERE d.conversation_id = ? AND NOT EXISTS
  (SELECT 1 FROM passage_vectors v WHERE v.model = ? AND v.seq = p.seq AND length(v.vector) = ?)
ORDER BY p.seq
"""
_WANTING_SQL = """
SELECT DISTINCT d.conversation_id FROM document_passages p JOIN documents d ON d.id = p.document_id
WHERE NOT EXISTS
  (SELECT 1 FROM passage_vectors v WHERE v.model = ? AND v.seq = p.seq AND length(v.vector) = ?)
"""
_VECTORS_SQL = """
SELECT v.seq, v.vector FROM passage_vectors v
JOIN document_passages p ON p.seq = v.seq JOIN documents d ON d.id = p.document_id
WHERE d.conversation_id = ? AND v.model = ? ORDER BY v.seq
"""


class PassageVectorsMixin:
    def has_passages(self) -> bool:
        """Whether any document passage is stored (in any conversation)."""
        with self._read() as db:  # type: ignore[attr-defined]
            return db.conn.execute("SELECT 1 FROM document_passages LIMIT 1").fetchone() is not None

    def passages_without_vectors(self, conversation_id: str, model: str, size: int) -> list[tuple[int, str]]:
        """(seq, text) of the conversation's passages that have no `size`-byte vector of `model`."""
        with self._read() as db:  # type: ignore[attr-defined]
            return [tuple(r) for r in db.conn.execute(_MISSING_SQL, [conversation_id, model, size])]

    def conversations_without_vectors(self, model: str, size: int) -> list[str]:
        """Ids of the conversations (the bin's too) with a passage that has no `size`-byte vector of `model`."""
        with self._read() as db:  # type: ignore[attr-defined]
            return [r[0] for r in db.conn.execute(_WANTING_SQL, [model, size])]

    def forget_passage_vectors(self, family: str, keep: str) -> int:
        """Delete the vectors of every model whose name starts with `family` but `keep`: those of
        an earlier pass of the same model (another version, another precision), never compared
        again. Returns how many were deleted."""
        with self._write() as db:  # type: ignore[attr-defined]
            return db.conn.execute("DELETE FROM passage_vectors WHERE substr(model, 1, ?) = ? AND model != ?",
                                   [len(family), family, keep]).rowcount

    def add_passage_vectors(self, model: str, vectors: Sequence[tuple[int, bytes]]) -> int:
        """Store (seq, vector bytes) for `model`, replacing any it had; passages removed meanwhile
        (the user took the document away while it was embedded) are skipped. Returns how many."""
        with self._write() as db:  # type: ignore[attr-defined]
            live = {r[0] for r in db.conn.execute(
                f"SELECT seq FROM document_passages WHERE seq IN ({','.join('?' * len(vectors))})",
                [seq for seq, _ in vectors])} if vectors else set()
            db.conn.executemany("INSERT OR REPLACE INTO passage_vectors(seq, model, vector) VALUES (?, ?, ?)",
                                [(seq, model, blob) for seq, blob in vectors if seq in live])
        return len(live)

    def passage_vectors(self, conversation_id: str, model: str) -> list[tuple[int, bytes]]:
        """(seq, vector bytes) of `model` for the conversation's passages, as stored (unchecked)."""
        with self._read() as db:  # type: ignore[attr-defined]
            return [(seq, bytes(blob)) for seq, blob in db.conn.execute(_VECTORS_SQL, [conversation_id, model])]
