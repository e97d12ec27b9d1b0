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
_WORD_STAR = re.compile(r"(\w+)(\*?)")


def _pairs(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[i:i + 2] for i in range(len(run) - 1)] + [run[-1]]


def index_text(text: str) -> str:
    """What goes into the index for `text`: deterministic (deletes recompute it)."""
    if not _CJK_RUN.search(text):
        return text
    return _CJK_RUN.sub(lambda m: " " + " ".join(_pairs(m.group())) + " ", text)


def has_cjk(text: str) -> bool:
    """Whether any Chinese, Japanese or Korean character is in text."""
    return _CJK_RUN.search(text) is not None


def is_cjk(term: str) -> bool:
    return _CJK_RUN.fullmatch(term) is not None


def parse_query(query: str) -> list[tuple[str, bool]]:
    """(term, is_prefix) pairs: CJK runs and words in order, without repeats. A word ending
    in "*" is a prefix (as in FTS5); so is a lone CJK character, indexed only inside pairs.
    Other words match whole: a prefix of a common word would merge thousands of doclists."""
    terms: list[tuple[str, bool]] = []
    seen: set[str] = set()
    for piece in _SPLIT.split(query):
        if is_cjk(piece):
            found = [(piece, len(piece) == 1)]
        else:
            found = [(w, star == "*") for w, star in _WORD_STAR.findall(piece)]
        for term, prefix in found:
            if term.lower() not in seen:
                seen.add(term.lower())
                terms.append((term, prefix))
    return terms


def fts_query(query: str) -> str:
    """An FTS5 MATCH expression (all terms must match), or "" when nothing is searchable."""
    parts = []
    for term, prefix in parse_query(query):
        if is_cjk(term) and len(term) > 1:
            parts.append('"' + " ".join(term[j:j + 2] for j in range(len(term) - 1)) + '"')
        else:
            parts.append(f'"{term}"' + ("*" if prefix else ""))
    return " AND ".join(parts)


# Words too common to say what a question is about (a question's other words rank passages).
_STOP = frozenset("""a an and are as at be but by can could did do does for from had has have how i
if in into is it its me my of on or our please should so tell than that the their them then there
these they this those to was we were what when where which who whom why will with would you your
about document file text passage passages say says said summarize summarise explain""".split())


def fts_any_query(query: str) -> str:
    """An FTS5 MATCH expression where any term may match (bm25 ranks by how many, how rare):
    for finding the passages of a document that a question is about. "" when nothing is left."""
    parts: list[str] = []
    for term, _prefix in parse_query(query):
        if is_cjk(term):
            pieces = _pairs(term)[:-1] if len(term) > 1 else [term]
            parts += [f'"{p}"' + ("*" if len(p) == 1 else "") for p in pieces]
        elif term.lower() not in _STOP and (len(term) > 1 or term.isdigit()):
            parts.append(f'"{term}"')
    return " OR ".join(dict.fromkeys(parts))
