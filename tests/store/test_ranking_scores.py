"""Search hits are ordered by BM25's term-frequency part (k1 = 1.2, b = 0.75): these are its
values, worked out by hand from the formula, and the patterns that count the terms."""
from pytest import approx

from app.store.ranking import scores, term_patterns


def bm25(tf: int, length: int, avg: float) -> float:
    return tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * length / avg)) if tf else 0.0


def test_each_text_scores_the_sum_over_terms_of_bm25_term_frequency():
    texts = ["deepseek deepseek model", "a deepseek", "nothing here at all"]
    avg = (23 + 10 + 19) / 3
    assert scores(texts, term_patterns("deepseek model")) == approx(
        [bm25(2, 23, avg) + bm25(1, 23, avg), bm25(1, 10, avg), 0.0])


def test_empty_texts_score_nothing():
    assert scores(["", ""], term_patterns("deepseek")) == [0.0, 0.0]
    assert scores([], term_patterns("deepseek")) == []


def test_words_match_in_any_case_whole_or_as_prefixes_when_starred():
    assert scores(["DeepSeek"], term_patterns("deepseek")) == approx([bm25(1, 8, 8)])
    assert scores(["deepseek"], term_patterns("deep")) == [0.0]
    assert scores(["deepseek"], term_patterns("deep*")) == approx([bm25(1, 8, 8)])
