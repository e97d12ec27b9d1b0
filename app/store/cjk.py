"""Text for the full-text index, and user queries for it, with Chinese/Japanese/Korean as pairs.

FTS5's unicode61 tokenizer makes one token of a whole run of CJK characters, and its trigram
tokenizer cannot match two-character words, which most Chinese words are. So each CJK run is
indexed as overlapping character pairs (数据库 -> 数据 据库) plus its last character alone,
which makes every character the start of some token: a one-character query becomes a prefix
query, a longer one a phrase of pairs. Latin text goes to unicode61 unchanged.
"""
from __future__ import annotations

import re

_CJK = ("\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
        "\U00020000-\U0002fa1f")
_CJK_RUN = re.compile(f"[{_CJK}]+")
_SPLIT = re.compile(f"([{_CJK}]+)")
_WORD = re.compile(r"\w+")


def _pairs(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[i:i + 2] for i in range(len(run) - 1)] + [run[-1]]


def index_text(text: str) -> str:
    """What goes into the index for `text`: deterministic (deletes recompute it)."""
    if not _CJK_RUN.search(text):
        return text
    return _CJK_RUN.sub(lambda m: " " + " ".join(_pairs(m.group())) + " ", text)


def query_terms(query: str) -> list[str]:
    """The literal pieces the user looks for: CJK runs and words, in order, no duplicates."""
    terms: list[str] = []
    for piece in _SPLIT.split(query):
        found = [piece] if _CJK_RUN.fullmatch(piece) else _WORD.findall(piece)
        terms.extend(t for t in found if t and t.lower() not in {x.lower() for x in terms})
    return terms


def fts_query(query: str) -> str:
    """An FTS5 MATCH expression (all terms must match), or "" when nothing is searchable."""
    terms = query_terms(query)
    parts = []
    for i, term in enumerate(terms):
        if _CJK_RUN.fullmatch(term):
            pairs = [term[j:j + 2] for j in range(len(term) - 1)]
            parts.append(f'"{term}"*' if len(term) == 1 else '"' + " ".join(pairs) + '"')
        else:
            # The last word is a prefix, so results appear while the user is still typing.
            parts.append(f'"{term}"' + ("*" if i == len(terms) - 1 else ""))
    return " AND ".join(parts)
