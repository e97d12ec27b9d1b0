"""Full-text search over all history (Chinese included), ranked, with a snippet per hit."""
from __future__ import annotations

from datetime import datetime

from .cjk import fts_query
from .ids import to_iso
from .ranking import scores, term_patterns
from .records import SearchHit
from .snippet import make_snippet

# The newest matches considered for ranking: bounds the cost of a word found everywhere.
CANDIDATES = 500

_SQL = """
SELECT m.id, m.conversation_id, c.title, m.role, m.model, m.created, m.content
FROM messages_fts f
JOIN messages m ON m.seq = f.rowid
JOIN conversations c ON c.id = m.conversation_id
WHERE messages_fts MATCH :match AND c.deleted IS NULL {filters}
ORDER BY f.rowid DESC LIMIT :candidates
"""


def _as_text(moment: str | datetime | None) -> str | None:
    return to_iso(moment) if isinstance(moment, datetime) else moment


class SearchMixin:
    def search(self, query: str, *, since: str | datetime | None = None,
               until: str | datetime | None = None, model: str | None = None,
               limit: int = 50) -> list[SearchHit]:
        """Best matches first, among the newest CANDIDATES messages holding every term.
        `since`/`until`: ISO text or aware datetimes (until is exclusive); `model`: the model
        of the reply or of its conversation."""
        match = fts_query(query)
        if not match:
            return []
        filters, params = [], {"match": match, "candidates": max(CANDIDATES, limit)}
        if since is not None:
            filters.append("m.created >= :since")
            params["since"] = _as_text(since)
        if until is not None:
            filters.append("m.created < :until")
            params["until"] = _as_text(until)
        if model:
            filters.append("(m.model = :model OR c.model = :model)")
            params["model"] = model
        sql = _SQL.format(filters="".join(" AND " + f for f in filters))
        # fts_query quotes every term, so no text typed makes a query FTS5 cannot parse: an
        # error here is the history's own and is said (tests/store/test_search.py).
        with self._read() as db:  # type: ignore[attr-defined]
            rows = db.conn.execute(sql, params).fetchall()
        patterns = term_patterns(query)
        scored = sorted(zip(scores([r[6] for r in rows], patterns), range(len(rows))),
                        key=lambda pair: (-pair[0], pair[1]))[:limit]  # rows come newest first
        hits = []
        for score, i in scored:
            mid, cid, title, role, msg_model, created, content = rows[i]
            snippet, spans = make_snippet(content, patterns)
            hits.append(SearchHit(message_id=mid, conversation_id=cid, conversation_title=title,
                                  role=role, model=msg_model, created=created, snippet=snippet,
                                  highlights=spans, score=score))
        return hits

    def rebuild_search_index(self) -> int:
        """Refill the index from the messages (derived data); returns how many were indexed."""
        from .search_index import rebuild

        with self._write() as db:  # type: ignore[attr-defined]
            return rebuild(db)
