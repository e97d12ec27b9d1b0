"""Reciprocal rank fusion (fusion.py) orders the passages a question is offered: each ranking
(bm25 over its words, over their translation, by meaning) gives a passage 1 / (60 + its place),
counting from 1, and the sums order them; ties keep the order first seen."""
from app.store.fusion import fused_order


def test_a_passage_both_rankers_place_second_beats_one_only_one_ranker_places_first():
    assert fused_order(["a", "both"], ["c", "both"]) == ["both", "a", "c"]


def test_ties_keep_the_order_first_seen():
    assert fused_order(["a", "b"], ["c", "d"]) == ["a", "c", "b", "d"]
    assert fused_order([], ["x"], []) == ["x"]
    assert fused_order() == []


def places(*where):
    """One ranking per argument: `where` maps a passage to its place (0 = best) in that ranking."""
    rankings = []
    for ranking in where:
        order = [f"filler{len(rankings)}-{n}" for n in range(max(ranking.values()) + 1)]
        for passage, place in ranking.items():
            order[place] = passage
        rankings.append(order)
    return rankings


def test_the_order_is_the_one_k_60_gives_among_50_candidates():
    """Two passages whose order K = 60 decides (a K of 58 or 61 would swap them), in rankings of
    at most 50 candidates as ranked_passages offers: A at places 1 and 13, B at 5 and 8 (1/61 +
    1/73 against 1/65 + 1/68); A at 2 and 44, B at 1 and 47."""
    order = fused_order(*places({"A": 0, "B": 4}, {"A": 12, "B": 7}))
    assert order.index("A") < order.index("B")
    order = fused_order(*places({"A": 1, "B": 0}, {"A": 43, "B": 46}))
    assert order.index("A") < order.index("B")
