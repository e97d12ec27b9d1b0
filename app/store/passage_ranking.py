"""The order in which a question's candidate passages are offered to the budget: bm25 over the
question's words (the FTS5 index, Chinese as pairs), fused by reciprocal rank with bm25 over the
same words in the other language (a Chinese-English dictionary: translated_terms) and with a
ranking by meaning (passage vectors, app.documents.meaning) when the caller has one, so that an
English question finds a Chinese passage and the reverse. Says which ranker answered, for the
window: translated words count as words."""
from __future__ import annotations

import logging
import re
import sqlite3
from typing import Sequence

from .cjk import fts_any_query
from .fusion import fused_order
from .records import Passage, rows_to
from .translated_terms import other_language_query

log = logging.getLogger(__name__)

CANDIDATES = 50  # passages each ranker offers; more never fit a context anyway
WORDS_ANSWER = 0.5  # this share of the question's terms in bm25's best passage: words alone rank (bench/RESULTS.md)

# What chose the passages (the window says it in people's words, app.ui.message_view).
WHOLE, WORDS, WORDS_AND_MEANING, MEANING, START = "whole", "words", "words+meaning", "meaning", "start"

_BM25_SQL = """
SELECT p.seq FROM passages_fts f
JOIN document_passages p ON p.seq = f.rowid
JOIN documents d ON d.id = p.document_id
WHERE passages_fts MATCH ? AND d.conversation_id = ?
ORDER BY bm25(passages_fts) LIMIT ?
"""
_BY_SEQ_SQL = """
SELECT p.seq, d.name, p.location, p.text, p.document_id, p.ordinal
FROM document_passages p JOIN documents d ON d.id = p.document_id
WHERE d.conversation_id = ? AND p.seq IN ({marks})
"""
_IN_ORDER_SQL = """
SELECT d.name, p.location, p.text, p.document_id, p.ordinal
FROM document_passages p JOIN documents d ON d.id = p.document_id
WHERE d.conversation_id = ? ORDER BY d.created, d.rowid, p.ordinal LIMIT ?
"""


def ranked_passages(conn: sqlite3.Connection, conversation_id: str, query: str,
                    meaning: Sequence[int] = ()) -> tuple[list[Passage], str]:
    """The conversation's passages a question is most about, best first, and the ranker that
    chose them: bm25 over its words and over their translation fused with `meaning` (passage
    seqs, best first); bm25 over its own words alone when most of them are in its best passage
    (a same-language question that names its answer), or the documents' start when nothing
    finds anything ("summarise this"). bench/RESULTS.md has the measurements behind each rule."""
    words = _bm25(conn, conversation_id, fts_any_query(query))
    meaning = list(meaning)[:CANDIDATES]
    crossed: list[int] = []
    if words and _coverage(conn, words[0], query) >= WORDS_ANSWER:
        # The question's own words are in its best passage: meaning would only add look-alikes
        # (pages of the same boilerplate) that crowd the budget and the reading order.
        meaning = []
    else:  # its words in the other language (a dictionary's), for passages in that language
        crossed = _bm25(conn, conversation_id, _translated(query))
    if not words and not meaning and not crossed:
        return rows_to(Passage, conn.execute(_IN_ORDER_SQL, [conversation_id, CANDIDATES])), START
    order = fused_order(words, meaning, crossed)[:CANDIDATES]
    marks = ",".join("?" * len(order))
    rows = {r[0]: Passage(*r[1:]) for r in conn.execute(_BY_SEQ_SQL.format(marks=marks), [conversation_id, *order])}
    words = words or crossed
    ranker = WORDS_AND_MEANING if words and meaning else WORDS if words else MEANING
    return [rows[seq] for seq in order if seq in rows], ranker


def _translated(query: str) -> str:
    try:
        return other_language_query(query)
    except Exception:  # a damaged install's dictionary: the question's own words still rank
        log.exception("the bilingual dictionary could not be read")
        return ""


def _coverage(conn: sqlite3.Connection, seq: int, query: str) -> float:
    """The share of the question's searched terms (words, Chinese pairs) found in passage `seq`."""
    terms = {t.lower() for t in re.findall(r'"([^"]+)"', fts_any_query(query))}
    row = conn.execute("SELECT text FROM document_passages WHERE seq = ?", [seq]).fetchone()
    if not terms or row is None:
        return 0.0
    text = row[0].lower()
    return sum(t in text for t in terms) / len(terms)


def _bm25(conn: sqlite3.Connection, conversation_id: str, match: str) -> list[int]:
    if not match:
        return []
    try:
        return [r[0] for r in conn.execute(_BM25_SQL, [match, conversation_id, CANDIDATES])]
    except sqlite3.OperationalError:  # a query FTS5 cannot parse: rank nothing
        return []
