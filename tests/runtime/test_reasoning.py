import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from runtime.reasoning import ThinkSplitter, prompt_opens_think


def split(chunks, inside=False):
    s = ThinkSplitter(inside=inside)
    out = [d for c in chunks for d in s.feed(c)] + list(s.flush())
    reasoning = "".join(d.text for d in out if d.reasoning)
    answer = "".join(d.text for d in out if not d.reasoning)
    return reasoning, answer


def test_plain_answer_passes_through():
    assert split(["Hello ", "world"]) == ("", "Hello world")


@pytest.mark.parametrize("cut", range(1, 30))
def test_tags_cut_anywhere(cut):
    text = "<think>let me see</think>\n\nThe answer is 4."
    assert split([text[:cut], text[cut:]]) == ("let me see", "The answer is 4.")


def test_one_character_at_a_time():
    text = "<think>步骤一</think>答案是四。"
    assert split(list(text)) == ("步骤一", "答案是四。")


def test_template_opened_the_block_in_the_prompt():
    assert split(["hmm, 2+2", "</think>", "4"], inside=True) == ("hmm, 2+2", "4")


def test_think_tag_inside_an_answer_is_text():
    assert split(["Use the <think> tag like this."]) == ("", "Use the <think> tag like this.")


def test_unfinished_block_stays_reasoning():
    assert split(["<think>still thinking <"]) == ("still thinking <", "")


def test_prompt_opens_think():
    assert prompt_opens_think("<｜Assistant｜><think>\n")
    assert not prompt_opens_think("<think>a</think> ok <｜Assistant｜>")
    assert not prompt_opens_think("plain prompt")


@pytest.mark.parametrize("cut", range(0, 31))
def test_a_think_tag_after_answer_text_in_an_earlier_delta_is_text(cut):
    # The tag opens a block only before any answer: here the answer came in the delta before it.
    text = "Use the tag<think> like this."
    assert split([text[:cut], text[cut:]]) == ("", text)


def test_a_think_tag_at_the_start_of_a_later_delta_after_the_answer_is_text():
    assert split(["The answer is 4. ", "<think>", "not reasoning", "</think>"]) == (
        "", "The answer is 4. <think>not reasoning</think>")


def test_whitespace_before_the_think_tag_still_opens_it():
    assert split(["\n", " <think>", "plan", "</think>\n\n", "Done."]) == ("plan", "\n Done.")


# Pieces that make tags, their halves, blank text and answer text: every order of them.
_piece = st.sampled_from(["<think>", "</think>", "<th", "ink>", "</", "think", ">", "<", "\n", " ", "a", "答"])


@settings(max_examples=400, deadline=None)
@given(pieces=st.lists(_piece, max_size=14), inside=st.booleans(), data=st.data())
def test_any_chunking_splits_like_the_whole_text(pieces, inside, data):
    text = "".join(pieces)
    cuts = sorted(data.draw(st.sets(st.integers(0, len(text)))))
    chunks = [text[a:b] for a, b in zip([0] + cuts, cuts + [len(text)])]
    assert split(chunks, inside=inside) == split([text], inside=inside)


@settings(max_examples=200, deadline=None)
@given(reasoning=st.text(alphabet="ab <>/\n思", max_size=20).filter(lambda t: "</think>" not in t),
       answer=st.text(alphabet="ab <>/\n答", min_size=1, max_size=20).filter(lambda t: t.strip()[:1] not in ("", "\n")))
def test_a_block_then_an_answer_splits_into_both(reasoning, answer):
    text = f"<think>{reasoning}</think>\n\n{answer}"
    assert split(list(text)) == (reasoning, answer.lstrip("\n"))


def test_prompt_opens_think_looks_at_the_last_tags():
    # An earlier block kept in the history does not count; only whether the last one is open.
    assert prompt_opens_think("<think>a</think>Four.<｜User｜>Again<｜Assistant｜><think>\n")
    assert not prompt_opens_think("<think>a</think> ok <think>b</think> done")


def test_text_is_shown_as_soon_as_it_cannot_be_a_tag():
    s = ThinkSplitter()  # by default the stream starts outside any block
    assert [(d.text, d.reasoning) for d in s.feed("Hello")] == [("Hello", False)]
    # Once the answer has begun a "<think>" is text, so its start is not held back either.
    assert [d.text for d in s.feed(" <thi")] == [" <thi"]
    assert [d.text for d in s.feed("nk>")] == ["nk>"]


def test_only_newlines_after_the_closing_tag_are_dropped():
    assert split(["<think>a</think>\n\nXY\n"]) == ("a", "XY\n")
