"""The passages a question is given stay within the budget it was given, whatever their sizes:
the best one cut to fit when it is too long, and no passage left out that would still fit.

A question that names nothing in the documents ranks their passages in reading order, so the
expected choice is known without knowing bm25's scores."""
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.store import open_store
from runtime.prompting import estimate_tokens

NAMES_NOTHING = ""  # no term to rank by: the passages come in reading order


def attach(store, texts: list[str]):
    c = store.create_conversation()
    store.add_document(c.id, "doc.txt", "\n".join(texts).encode(), "text", 0, [("", t) for t in texts])
    return c.id


def lengths(passages) -> list[int]:
    return [len(p.text) for p in passages]


def test_the_best_passage_cut_to_fit_uses_up_the_budget(store):
    # Issue 14: the cut passage's cost was never counted, so the next ones were added on top of it
    # and the quoted text reached twice the budget.
    cid = attach(store, ["A" * 300, "b" * 50, "c" * 50])
    found = store.find_passages(cid, NAMES_NOTHING, budget=200)
    assert [p.text for p in found] == ["A" * 200]


def test_a_passage_is_added_only_when_it_fits_in_what_is_left(store):
    cid = attach(store, ["a" * 100, "b" * 100, "c" * 100])
    assert lengths(store.find_passages(cid, NAMES_NOTHING, budget=250)) == [100, 100]


def test_a_passage_too_long_for_what_is_left_does_not_stop_a_shorter_one_after_it(store):
    cid = attach(store, ["a" * 100, "b" * 200, "c" * 50])
    found = store.find_passages(cid, NAMES_NOTHING, budget=160)
    assert [p.text[0] for p in found] == ["a", "c"] and lengths(found) == [100, 50]


def test_a_budget_met_exactly_takes_every_passage(store):
    cid = attach(store, ["a" * 100, "b" * 60] + ["c" * 40] * 20)  # too big to be given whole
    assert lengths(store.find_passages(cid, NAMES_NOTHING, budget=200)) == [100, 60, 40]


def test_the_cut_keeps_the_start_of_the_best_passage(store):
    text = "".join(f"{i:04d}" for i in range(100))
    cid = attach(store, [text])
    found = store.find_passages(cid, NAMES_NOTHING, budget=123)
    assert [p.text for p in found] == [text[:123]]


def test_chinese_up_front_is_cut_by_its_cost_not_by_its_share_of_the_length(store):
    # 50 Chinese characters (2.52 tokens each) then 600 Latin letters (0.40 each): 366 tokens in
    # all. A cut by length share (129/366 of the characters) would cost 198 tokens.
    text = "数" * 50 + "x" * 600
    cid = attach(store, [text])
    found = store.find_passages(cid, NAMES_NOTHING, budget=129, cost=estimate_tokens)
    assert len(found) == 1 and estimate_tokens(found[0].text) <= 129
    assert found[0].text == "数" * 50 + "x" * 7  # the longest start that fits: one more "x" would not


def test_a_budget_smaller_than_one_character_still_gives_one(store):
    cid = attach(store, ["数据库" * 40])
    found = store.find_passages(cid, NAMES_NOTHING, budget=1, cost=estimate_tokens)
    assert [p.text for p in found] == ["数"]


passage_text = st.text(alphabet="ab 数据\n", min_size=1, max_size=60)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(passage_text, min_size=1, max_size=12),
       budget=st.integers(min_value=3, max_value=400),  # at least one character (数: 2.52 tokens)
       cost=st.sampled_from([len, estimate_tokens]))
def test_passages_are_always_within_budget_and_none_that_fits_is_left_out(texts, budget, cost):
    with tempfile.TemporaryDirectory() as folder, open_store(Path(folder) / "h.db") as store:
        found = store.find_passages(attach(store, texts), NAMES_NOTHING, budget, cost)
    given_whole = [p for p in found if p.text == texts[p.ordinal]]
    total = sum(cost(p.text) for p in found)

    assert found, "at least one passage, cut if it must be"
    assert total <= budget + 1e-9
    assert [p.ordinal for p in found] == sorted({p.ordinal for p in found})  # reading order, once each
    cut = [p for p in found if p not in given_whole]
    if cut:  # only the best one (here the first) is ever cut, to the longest start that fits
        assert cut == found[:1] and cut[0].ordinal == 0
        text, start = texts[0], cut[0].text
        assert text.startswith(start) and cost(text[:len(start) + 1]) > budget
    left_out = set(range(len(texts))) - {p.ordinal for p in found}
    for i in left_out:  # each passage left out would not have fit beside those given
        assert total + cost(texts[i]) > budget - 1e-9


@pytest.mark.parametrize("budget", [2, 7])
def test_the_first_passage_is_never_left_out(store, budget):
    cid = attach(store, ["long first passage", "b"])
    found = store.find_passages(cid, NAMES_NOTHING, budget=budget)
    assert found[0].ordinal == 0 and found[0].text == "long first passage"[:budget]
