"""Reciprocal rank fusion: several rankings of the same passages made into one.

Each ranking gives a passage 1 / (K + its place); the sums order the result. Only places count,
never the rankers' own scores, so bm25's unbounded scores and cosine similarities need no common
scale, and a passage that both rankers put near the top beats one that only one of them likes.
K = 60 as in Cormack, Clarke and Büttcher (2009)."""
from __future__ import annotations

from typing import Hashable, Sequence, TypeVar

K = 60
T = TypeVar("T", bound=Hashable)


def fused_order(*rankings: Sequence[T], k: int = K) -> list[T]:
    """Every item of the rankings (each best first), best fused first; ties keep first-seen order."""
    score: dict[T, float] = {}
    for ranking in rankings:
        for place, item in enumerate(ranking):
            score[item] = score.get(item, 0.0) + 1.0 / (k + place + 1)
    return sorted(score, key=lambda item: -score[item])
