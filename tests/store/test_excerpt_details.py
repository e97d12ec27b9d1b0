"""The quoted part of a passage, exactly, at the edges of its budget: which sentence is chosen
(the rarest terms weigh most, the earliest on a tie), which neighbours it grows by (the better
one, the next on a tie, each only while it fits), where the "…" marks stand (exactly where text
was left out, and counted in the budget), a sentence too long for the budget cut at its spaces,
and a single character dearer than the budget with its marks.

Costs are counted in characters (`len`, the store's own default, so the budgets below can be
checked by eye) and with a passage header of 30 more, as app/documents/quote.py adds one: the
header is counted once, so it changes nothing but the budget. A part's cost is its sentences,
each with the space after it, and "… " for each side left out: the space after its last sentence
is counted though the part is stripped of it (excerpt.py counts each sentence with its
separator, an upper bound by one space: "stripping only saves")."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.store.excerpt import ELLIPSIS, question_terms, relevant_part
from runtime.prompting import estimate_tokens

LEASE = ["Flat 3B, Harbour View, is let furnished.",  # 40 characters, 41 with its space
         "Deposit: 900 euros.",  # 19 (20)
         "The deposit is returned within thirty days of the keys being handed back, "
         "on request to office@harbourview-lettings.co.uk.",  # 122 (123)
         "Pets are not allowed.",  # 21 (22)
         "Smoking is not allowed.",  # 23 (24)
         "Rent is paid on the first of each month."]  # 40, the last: no space after it
TEXT = " ".join(LEASE)
MARK = len(ELLIPSIS + " ")  # 2
HEADER = 30


def headed(t: str) -> float:
    """What quote.py counts: the passage's header and its text."""
    return len(t) + HEADER


def both_costs(question: str, budget: int) -> str:
    """The part counted in characters; the same part must come with a header, given the header's room."""
    part = relevant_part(TEXT, question, budget, len)
    assert relevant_part(TEXT, question, budget + HEADER, headed) == part
    assert len(part) <= budget
    return part


CASES = [
    # The first sentence answers: it grows by the next one when that fits exactly (41 + 20 + the
    # closing mark = 63), and then no "…" opens the part, nothing before it was left out.
    pytest.param("Is the flat furnished?", 63, f"{LEASE[0]} {LEASE[1]} …", id="first-grows-by-next-exactly"),
    pytest.param("Is the flat furnished?", 62, f"{LEASE[0]} …", id="first-one-short"),
    # The last sentence answers: it grows back by the one before when that fits exactly
    # (mark + 24 + 40 = 66), and no "…" closes it.
    pytest.param("When is the rent paid?", 66, f"… {LEASE[4]} {LEASE[5]}", id="last-grows-back-exactly"),
    pytest.param("When is the rent paid?", 65, f"… {LEASE[5]}", id="last-one-short"),
    # "deposit" is in two sentences, equally: the earlier one is quoted, both sides marked.
    pytest.param("How much is the deposit?", MARK + 20 + MARK, f"… {LEASE[1]} …", id="tie-earliest"),
    # ... and it grows back to the passage's start when the better neighbour (the long sentence
    # that also names the deposit) does not fit but the first sentence does (41 + 20 + mark = 63).
    pytest.param("How much is the deposit?", 63, f"{LEASE[0]} {LEASE[1]} …", id="grows-back-to-start"),
    # Smoking is named once, "allowed" twice: the smoking sentence wins, and it grows by the
    # neighbour that is allowed too (better than the rent), when both marks fit (2 + 22 + 24 + 2).
    pytest.param("Is smoking allowed?", 50, f"… {LEASE[3]} {LEASE[4]} …", id="both-marks-exactly"),
    pytest.param("Is smoking allowed?", 48, f"… {LEASE[4]} …", id="both-marks-one-short"),
    # Room for either neighbour (50, or mark + 24 + 40 = 66) but not both (88): the better one.
    pytest.param("Is smoking allowed?", 70, f"… {LEASE[3]} {LEASE[4]} …", id="better-neighbour"),
    # Only smoking is named: its neighbours tie at nothing, so the next sentence is added first.
    pytest.param("Does smoking count?", 66, f"… {LEASE[4]} {LEASE[5]}", id="next-on-tie"),
    # The deposit is named twice, the rent once: the rarer term weighs more.
    pytest.param("What about the deposit and the rent?", 45, f"… {LEASE[5]}", id="rarer-term"),
    # The long sentence fits whole with both marks, exactly (2 + 123 + 2).
    pytest.param("When is the deposit returned?", MARK + 123 + MARK, f"… {LEASE[2]} …", id="long-sentence-whole"),
    # Three characters less: it is cut at its last space that fits, and its better neighbour is
    # added; the e-mail address is left out and marked.
    pytest.param("When is the deposit returned?", MARK + 123 + MARK - 3,
                 f"… {LEASE[1]} {LEASE[2][:LEASE[2].index('office@')].rstrip()} …", id="long-sentence-cut"),
]


@pytest.mark.parametrize("question, budget, expected", CASES)
def test_the_part_quoted_at_the_edges_of_its_budget(question, budget, expected):
    """The exact part a question gets from the lease at each budget above, in characters and
    with a header: whole sentences, "…" exactly where text was left out, within the budget."""
    assert both_costs(question, budget) == expected


def test_a_one_character_term_of_a_script_without_spaces_is_looked_for():
    """A Chinese question of one character (a single Han between punctuation) still names it."""
    assert question_terms("猫？") == {"猫"}
    assert "집" in question_terms("집 보증금은 언제 돌려받나요?")
    text = "我家有一只狗，它每天早上都要出去散步。邻居家有一只猫。楼下的商店卖鱼。"
    part = relevant_part(text, "猫？", estimate_tokens("… 邻居家有一只猫。 …"), estimate_tokens)
    assert part == "… 邻居家有一只猫。 …"


def test_a_character_dearer_than_the_budget_with_its_marks_is_quoted_from_the_match_without_them():
    """With room for no "…" (3.5 tokens each) beside a Han character (2.52), the part starts at
    the character the question names and takes what fits: at least one character."""
    text = "我家有一只狗。邻居家有一只猫。"
    assert relevant_part(text, "猫？", 8, estimate_tokens) == "猫。"
    assert relevant_part(text, "猫？", 3, estimate_tokens) == "猫"


# Sentences of a lease, each naming its own subject, for passages of any order.
CLAUSES = ["The boiler is serviced every spring.", "Bins are collected on Tuesdays.",
           "Guests may stay two weeks a year.", "The garden is shared with the ground floor.",
           "Bicycles are kept in the shed.", "Keys are cut only by the agent.",
           "Windows are cleaned monthly.", "Parking is on the street."]
SUBJECTS = ["boiler", "bins", "guests", "garden", "bicycles", "keys", "windows", "parking"]


@settings(max_examples=200, deadline=None)
@given(order=st.permutations(range(len(CLAUSES))).flatmap(
           lambda p: st.integers(1, len(p)).map(lambda n: p[:n])),
       pick=st.integers(0, 7), extra=st.integers(0, 200))
def test_the_named_sentence_grows_while_its_neighbours_fit_and_the_marks_stand_where_text_is_left_out(order, pick, extra):
    """The sentence the question names is always quoted; the part is grown until neither
    neighbour fits; it opens with "… " exactly when sentences before it were left out and closes
    with " …" exactly when sentences after it were; it stays within the budget."""
    sentences = [CLAUSES[k] for k in order]
    named = order.index(order[pick % len(order)])
    text = " ".join(sentences)
    n = len(sentences)

    def cost(i: int, j: int) -> int:  # sentences i..j, each with the space after it, and the marks
        return len(" ".join(sentences[i:j + 1])) + (j < n - 1) + MARK * ((i > 0) + (j < n - 1))

    # Room for any sentence with both marks, so that none is cut at its spaces (shown above).
    budget = max(cost(named, named), max(len(s) + 1 for s in sentences) + 2 * MARK) + extra
    part = relevant_part(text, f"What about the {SUBJECTS[order[named]]}?", budget, len)
    if len(text) <= budget:
        return  # the whole passage fits: it is quoted whole by the store, not cut
    assert len(part) <= budget
    opens, closes = part.startswith(ELLIPSIS + " "), part.endswith(" " + ELLIPSIS)
    body = part.removeprefix(ELLIPSIS + " ").removesuffix(" " + ELLIPSIS)
    first = next(i for i in range(n) if " ".join(sentences[i:]).startswith(body))
    last = first + body.count(".") - 1
    assert " ".join(sentences[first:last + 1]) == body  # whole sentences
    assert first <= named <= last
    assert opens == (first > 0) and closes == (last < n - 1)
    assert cost(first, last) <= budget
    assert first == 0 or cost(first - 1, last) > budget
    assert last == n - 1 or cost(first, last + 1) > budget


@settings(max_examples=150, deadline=None)
@given(question=st.sampled_from(["How much is the deposit?", "When is the deposit returned?", "Are pets allowed?",
                                 "Is smoking allowed?", "When is the rent paid?", "Is the flat furnished?"]),
       budget=st.integers(1, len(TEXT) - 1), header=st.integers(1, 200))
def test_a_header_in_the_cost_changes_nothing_but_the_budget(question, budget, header):
    """quote.py counts each passage with its header: the header takes its share of the budget
    once, and the part is the one the rest of the budget would give."""
    assert relevant_part(TEXT, question, budget + header, lambda t: len(t) + header) == \
        relevant_part(TEXT, question, budget, len)
