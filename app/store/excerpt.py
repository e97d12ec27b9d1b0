"""The part of a passage a question is about, when the whole passage does not fit its budget:
the sentence that matches the question's terms best, grown by the neighbouring sentences that
match best while they fit, marked "…" where text was left out. Better than the passage's start
(which may not hold the answer at all) and better than skipping to a weaker passage.

Terms, in any script: the question's words (their first six letters, so "terminate" finds
"termination"; common words left out) and, for scripts written without spaces (Chinese,
Japanese, Korean runs, Thai, Lao, Khmer, Burmese), its overlapping character pairs. A term
found in few sentences weighs more than one found in many.
"""
from __future__ import annotations

import re

from .cjk import _STOP
from .text_units import Cost, longest_prefix_within, unit_spans

ELLIPSIS = "…"
_NO_SPACES = ("\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
              "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff")
_RUN = re.compile(f"[{_NO_SPACES}]+")
# Letters with their combining marks (Devanagari vowel signs, Arabic harakat are not \w).
_WORD = re.compile(r"(?:[^\W\d_]|[\u0300-\u036f\u0900-\u0963\u0981-\u09e3\u0610-\u061a\u064b-\u065f\u05b0-\u05c7])+")


def question_terms(question: str) -> set[str]:
    """What to look for in a passage's sentences, lowercased."""
    q = question.lower()
    terms: set[str] = set()
    for run in _RUN.findall(q):
        terms.update(run[i:i + 2] for i in range(len(run) - 1))
        if len(run) == 1:
            terms.add(run)
    for word in _WORD.findall(_RUN.sub(" ", q)):
        if len(word) >= 2 and word not in _STOP:
            terms.add(word[:6])
    return terms


def relevant_part(text: str, question: str, budget: float, cost: Cost) -> str:
    """The part of `text` (which costs more than `budget`) around what `question` asks, within
    `budget`; its start when the question names nothing in it. At least one character.
    `cost` may add a constant to every text (a passage's header, as quote.py counts): the
    sentences are weighed without it, and it is counted once."""
    terms = question_terms(question)
    base = cost("")

    def pure(t: str) -> float:
        return cost(t) - base

    mark = pure(ELLIPSIS + " ")
    spans = unit_spans(text, max(1.0, budget - base - 2 * mark), pure)
    lowered = [text[a:b].lower() for a, b in spans]
    found = [{t for t in terms if t in unit} for unit in lowered]
    df = {t: sum(t in f for f in found) for t in terms}
    scores = [sum(1 / df[t] for t in f) for f in found]
    if not spans or max(scores) == 0:
        return longest_prefix_within(text, budget, cost)
    unit_cost = [pure(text[a:b]) for a, b in spans]

    def part_cost(i: int, j: int) -> float:  # at least the part's cost: stripping only saves
        return base + sum(unit_cost[i:j + 1]) + mark * ((i > 0) + (j < len(spans) - 1))

    first = last = max(range(len(spans)), key=lambda i: (scores[i], -i))  # the best, earliest on a tie
    if part_cost(first, last) > budget:  # a single character dearer than the budget
        return longest_prefix_within(text[spans[first][0]:], budget, cost)
    while True:  # grow by the better neighbour that still fits (the next sentence on a tie)
        options = [(scores[last + 1], 1, first, last + 1)] if last + 1 < len(spans) else []
        options += [(scores[first - 1], 0, first - 1, last)] if first > 0 else []
        options = [o for o in sorted(options, reverse=True) if part_cost(o[2], o[3]) <= budget]
        if not options:
            break
        first, last = options[0][2], options[0][3]
    body = text[spans[first][0]:spans[last][1]].strip()
    return (ELLIPSIS + " " if first > 0 else "") + body + (" " + ELLIPSIS if last < len(spans) - 1 else "")
