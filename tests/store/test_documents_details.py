"""Passages given to a reply, as whole values with the ranker that chose them: documents that fit
given whole; chosen passages in reading order, document by document; one found by meaning alone;
when the passage a question is most about is alone over the budget, the part of it around the
question's words, still named by its document, page and place; a gone conversation's sentence."""
import pytest

from app.store import Passage, StoreError


def test_a_passage_over_the_budget_is_cut_around_the_question_and_keeps_its_name_page_and_place(store):
    c = store.create_conversation()
    filler = "The tenant keeps the garden tidy. " * 60
    text = filler + "The garage code is 7421. " + filler
    doc = store.add_document(c.id, "lease.pdf", text.encode(), "pdf", 2, [("p. 1", "Intro page."), ("p. 2", text)])
    quoted = store.find_passages(c.id, "garage code", 120)
    part = "… The garage code is 7421. The tenant keeps the garden tidy. The tenant keeps the garden tidy. …"
    assert (list(quoted), quoted.ranker) == ([Passage("lease.pdf", "p. 2", part, doc.id, 1)], "words")


def _two_documents(store):
    c = store.create_conversation()
    a = store.add_document(c.id, "a.txt", b"a", "text", 0, [("", "Alpha one."), ("", "Alpha two holds the key.")])
    b = store.add_document(c.id, "b.txt", b"b", "text", 0, [("", "Beta one holds the key."), ("", "Beta two.")])
    return c, a, b


def test_documents_that_fit_the_budget_exactly_are_given_whole_in_reading_order(store):
    c, a, b = _two_documents(store)
    every = [Passage("a.txt", "", "Alpha one.", a.id, 0), Passage("a.txt", "", "Alpha two holds the key.", a.id, 1),
             Passage("b.txt", "", "Beta one holds the key.", b.id, 0), Passage("b.txt", "", "Beta two.", b.id, 1)]
    total = sum(len(p.text) for p in every)
    quoted = store.find_passages(c.id, "key", total)
    assert (list(quoted), quoted.ranker) == (every, "whole")
    by_tokens = store.find_passages(c.id, "key", total / 4, cost=lambda text: len(text) / 4)
    assert (list(by_tokens), by_tokens.ranker) == (every, "whole")


def test_chosen_passages_of_two_documents_are_quoted_document_by_document(store):
    c, a, b = _two_documents(store)
    quoted = store.find_passages(c.id, "key", 50)
    assert (list(quoted), quoted.ranker) == ([Passage("a.txt", "", "Alpha two holds the key.", a.id, 1),
                                              Passage("b.txt", "", "Beta one holds the key.", b.id, 0)], "words")


def test_a_passage_found_by_meaning_alone_is_the_one_given(store):
    c = store.create_conversation()
    doc = store.add_document(c.id, "pets.txt", b"pets", "text", 0,
                             [("", "Cats sleep most of the day. " * 4), ("", "Dogs like long walks. " * 4)])
    seqs = {text: seq for seq, text in store.passages_without_vectors(c.id, "embedder", 1000)}
    dogs = seqs["Dogs like long walks. " * 4]
    quoted = store.find_passages(c.id, "Which animal wants exercise?", 100, meaning=[dogs])
    assert (list(quoted), quoted.ranker) == ([Passage("pets.txt", "", "Dogs like long walks. " * 4, doc.id, 1)],
                                             "meaning")


def test_a_document_for_a_gone_conversation_is_refused_with_its_sentence(store):
    with pytest.raises(StoreError) as refused:
        store.add_document("01GONE", "lease.txt", b"lease", "text", 0, [("", "lease")])
    assert str(refused.value) == "That conversation no longer exists (01GONE)."
    assert store.library() == []


def test_when_half_the_questions_words_are_in_its_best_passage_words_alone_rank(store):
    """"vault" and "guard": the best passage by words holds one of the two, exactly half, so the
    words answer and what meaning found is left out; with neither word found, meaning ranks;
    with a third of them, both rank."""
    c = store.create_conversation()
    doc = store.add_document(c.id, "house.txt", b"house", "text", 0,
                             [("", "The vault opens at nine. " * 4), ("", "Bananas are yellow. " * 4),
                              ("", "Cats sleep all day long. " * 4)])
    seqs = {text: seq for seq, text in store.passages_without_vectors(c.id, "embedder", 1000)}
    bananas = seqs["Bananas are yellow. " * 4]
    quoted = store.find_passages(c.id, "Which guard has the vault?", 100, meaning=[bananas])
    assert (list(quoted), quoted.ranker) == ([Passage("house.txt", "", "The vault opens at nine. " * 4, doc.id, 0)],
                                             "words")
    quoted = store.find_passages(c.id, "Which guard has the key?", 100, meaning=[bananas])
    assert (list(quoted), quoted.ranker) == ([Passage("house.txt", "", "Bananas are yellow. " * 4, doc.id, 1)],
                                             "meaning")
    # A third of the words (vault, not guard nor key): the words and meaning rank together.
    quoted = store.find_passages(c.id, "Which guard has the key to the vault?", 200, meaning=[bananas])
    assert (list(quoted), quoted.ranker) == ([Passage("house.txt", "", "The vault opens at nine. " * 4, doc.id, 0),
                                              Passage("house.txt", "", "Bananas are yellow. " * 4, doc.id, 1)],
                                             "words+meaning")
