"""When the best passage does not fit, the part of it the question is about is quoted, in any
script: the matching sentence and its best neighbours, "…" where text was left out, within the
budget; its start when the question names nothing in it."""
from hypothesis import given, settings
from hypothesis import strategies as st

from app.store.excerpt import ELLIPSIS, question_terms, relevant_part
from runtime.prompting import estimate_tokens
from tests.fixtures.scripts import SCRIPTS

FILLER_EN = [f"Section {i} says the cafeteria opens at eight and closes at six." for i in range(30)]
ANSWER_EN = "The vault's secret code is 7421, known only to the night guard."


def test_the_sentence_that_answers_is_quoted_not_the_passage_start():
    text = " ".join(FILLER_EN[:15] + [ANSWER_EN] + FILLER_EN[15:])
    part = relevant_part(text, "What is the secret code of the vault?", 80, estimate_tokens)
    assert ANSWER_EN in part and estimate_tokens(part) <= 80
    assert part.startswith(ELLIPSIS + " ") and part.endswith(" " + ELLIPSIS)  # cut on both sides
    assert len(part) > len(ANSWER_EN) * 2  # grown by its neighbours while they fit


def test_chinese_is_matched_by_character_pairs_and_cut_at_its_full_stops():
    filler = [f"第{i}条规定食堂早上八点开门。" for i in range(40)]
    answer = "金库的密码是七四二一，只有夜班保安知道。"
    text = "".join(filler[:25] + [answer] + filler[25:])
    part = relevant_part(text, "金库的密码是多少？", 120, estimate_tokens)
    assert answer in part and estimate_tokens(part) <= 120
    sentences = part.strip(ELLIPSIS + " ").split("。")
    assert sentences[-1] == "" and all(s + "。" in filler + [answer] for s in sentences[:-1])  # whole sentences
    assert len(sentences) > 2  # the answer and a neighbour


def test_thai_without_punctuation_is_cut_at_spaces_around_the_match():
    phrases = [p for para in SCRIPTS["thai"] for p in para.split(" ")]
    text = " ".join(phrases * 3)
    part = relevant_part(text, "เงินประกันจะคืนให้เมื่อไร", 150, estimate_tokens)
    assert "เงินประกัน" in part and estimate_tokens(part) <= 150
    assert set(part.strip(ELLIPSIS + " ").split(" ")) <= set(phrases)  # whole phrases only


def test_a_question_that_names_nothing_gets_the_start():
    text = " ".join(FILLER_EN)
    assert relevant_part(text, "Summarize this.", 40, estimate_tokens) == text[:len(relevant_part(text, "", 40, estimate_tokens))]
    assert question_terms("Summarize this document, please.") == set()


def test_terms_in_any_script():
    assert question_terms("What is the termination notice?") == {"termin", "notice"}
    assert question_terms("金库密码") == {"金库", "库密", "密码"}
    assert "धारा" in question_terms("धारा 7 क्या कहती है?")  # Devanagari vowel signs stay in the word


texts = st.lists(st.sampled_from([p for ps in SCRIPTS.values() for p in ps]), min_size=1, max_size=4).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(text=texts, question=st.sampled_from([p[:40] for ps in SCRIPTS.values() for p in ps] + ["", "code"]),
       budget=st.integers(1, 400))
def test_the_part_is_within_the_budget_and_taken_from_the_text(text, question, budget):
    part = relevant_part(text, question, budget, estimate_tokens)
    assert part and estimate_tokens(part) <= max(budget, estimate_tokens(part[:1]))
    body = part.removeprefix(ELLIPSIS + " ").removesuffix(" " + ELLIPSIS)
    assert body in text


def test_a_constant_in_the_cost_is_counted_once_not_per_sentence():
    text = " ".join(FILLER_EN[:15] + [ANSWER_EN] + FILLER_EN[15:])
    plain = relevant_part(text, "What is the secret code?", 150, estimate_tokens)
    headed = relevant_part(text, "What is the secret code?", 170, lambda t: estimate_tokens(t) + 20)
    assert headed == plain  # a header of 20 tokens takes 20 of the 170, once
