import pytest

from runtime.prompting import PromptTooLongError, fit_messages
from runtime.types import ChatMessage


def msg(role, n):
    return ChatMessage(role, "x" * n)


def count(messages):  # one token per character, plus 4 per message for the template
    return sum(len(m.content) + 4 for m in messages)


def convo():
    return [msg("system", 10), msg("user", 20), msg("assistant", 30), msg("user", 20),
            msg("assistant", 30), msg("user", 5)]


def test_fits_untouched():
    fitted = fit_messages(convo(), n_ctx=1000, reserve_tokens=100, count_tokens=count)
    assert fitted.dropped == 0 and len(fitted.messages) == 6 and fitted.prompt_tokens == count(convo())


@pytest.mark.parametrize("n_ctx, dropped", [(200, 0), (149, 0), (148, 2), (100, 2), (90, 4), (33, 4)])
def test_drops_oldest_whole_turns(n_ctx, dropped):
    fitted = fit_messages(convo(), n_ctx=n_ctx, reserve_tokens=10, count_tokens=count)
    assert fitted.dropped == dropped
    assert fitted.messages[0].role == "system" and fitted.messages[-1] == convo()[-1]
    assert fitted.messages[1].role == "user"  # never starts on an orphan reply
    assert fitted.prompt_tokens == count(fitted.messages) <= n_ctx - 10


def test_too_long_raises_with_numbers():
    with pytest.raises(PromptTooLongError, match="23 tokens.*context holds 30 tokens with 10"):
        fit_messages(convo(), n_ctx=30, reserve_tokens=10, count_tokens=count)


def test_without_system_prompt_and_trailing_assistant_prefill():
    messages = [msg("user", 50), msg("assistant", 50), msg("user", 5), msg("assistant", 3)]
    fitted = fit_messages(messages, n_ctx=40, reserve_tokens=10, count_tokens=count)
    assert fitted.messages == tuple(messages[2:]) and fitted.dropped == 2


def test_counts_logarithmically():
    calls = []
    messages = [msg("user", 10) if i % 2 == 0 else msg("assistant", 10) for i in range(201)]
    fit_messages(messages, n_ctx=100, reserve_tokens=0, count_tokens=lambda m: calls.append(1) or count(m))
    assert len(calls) <= 10


def test_passages_are_numbered_before_the_question():
    from runtime.prompting import with_passages

    text = with_passages("What is the code?", [("a.pdf", "p. 3", " The code is 7421. "), ("b.md", "", "Other.")])
    assert text.index("[1] a.pdf, p. 3\nThe code is 7421.") < text.index("[2] b.md\nOther.")
    assert text.endswith("Question: What is the code?") and "like [1]" in text
    assert with_passages("Hi", []) == "Hi"


def test_passage_budget_is_a_share_of_the_context_left_for_the_prompt():
    from runtime.prompting import estimate_tokens, passage_budget_tokens

    assert passage_budget_tokens(8192, 1024) == (8192 - 1024) // 2
    assert passage_budget_tokens(2048, 4096) == 100  # never nothing: the question may still fit
    assert estimate_tokens("abc" * 100) == 100 and estimate_tokens("深度求索") == 8
