"""Order search candidates by BM25-style term frequency, newest first among equals.

FTS5's own bm25() first counts every document holding each term to weigh it (IDF); on a
million messages a common word makes that a full scan (0.1-2 s). Every candidate here already
holds every term (the query ANDs them), so the newest matches are fetched cheaply in rowid
order and scored in Python by how often, and how densely, they hold the terms.
"""
from __future__ import annotations

import re

from .cjk import is_cjk, parse_query

K1, B = 1.2, 0.75


def term_patterns(query: str) -> list[re.Pattern[str]]:
    """One pattern per term: CJK runs as substrings, words whole (or as prefixes when asked)."""
    patterns = []
    for term, prefix in parse_query(query):
        escaped = re.escape(term)
        if is_cjk(term):
            patterns.append(re.compile(escaped))
        else:
            patterns.append(re.compile(rf"\b{escaped}" + ("" if prefix else r"\b"), re.IGNORECASE))
    return patterns


def scores(texts: list[str], patterns: list[re.Pattern[str]]) -> list[float]:
    """BM25 term-frequency part for each text (higher is better)."""
    if not texts:
        return []
    avg = sum(len(t) for t in texts) / len(texts) or 1.0
    result = []
    for text in texts:
        norm = K1 * (1 - B + B * len(text) / avg)
        total = 0.0
        for pattern in patterns:
            tf = len(pattern.findall(text))
            total += tf * (K1 + 1) / (tf + norm) if tf else 0.0
        result.append(total)
    return result
