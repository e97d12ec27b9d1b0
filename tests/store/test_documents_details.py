"""Passages given to a reply, as whole values: when the passage a question is most about is alone
over the budget, the part of it around the question's words, still named by its document, page
and place in reading order."""
from app.store import Passage


def test_a_passage_over_the_budget_is_cut_around_the_question_and_keeps_its_name_page_and_place(store):
    c = store.create_conversation()
    filler = "The tenant keeps the garden tidy. " * 60
    text = filler + "The garage code is 7421. " + filler
    doc = store.add_document(c.id, "lease.pdf", text.encode(), "pdf", 2, [("p. 1", "Intro page."), ("p. 2", text)])
    quoted = store.find_passages(c.id, "garage code", 120)
    part = "… The garage code is 7421. The tenant keeps the garden tidy. The tenant keeps the garden tidy. …"
    assert (list(quoted), quoted.ranker) == ([Passage("lease.pdf", "p. 2", part, doc.id, 1)], "words")
