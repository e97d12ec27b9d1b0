import pytest

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
