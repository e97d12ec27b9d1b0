import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from runtime.prompting import PromptTooLongError, check_raw_fits, fit_messages
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
    # runtime/token_estimate.py's measured bound: 0.40 a Latin letter, 2.52 a Chinese character.
    assert estimate_tokens("abc" * 100) == pytest.approx(120) and estimate_tokens("深度求索") == pytest.approx(10.08)


def test_the_too_long_sentence_in_full():
    with pytest.raises(PromptTooLongError) as with_system:
        fit_messages(convo(), n_ctx=30, reserve_tokens=10, count_tokens=count)
    assert str(with_system.value) == (
        "The system prompt and last message take 23 tokens, but the context holds 30 tokens with 10 kept "
        "for the reply. Shorten the message, lower the reply length, or load the model with a longer context.")
    with pytest.raises(PromptTooLongError) as alone:
        fit_messages([msg("user", 50), msg("assistant", 5), msg("user", 40)], n_ctx=30, reserve_tokens=10,
                     count_tokens=count)
    assert str(alone.value).startswith("The last message takes 44 tokens, but the context holds 30 tokens")


def test_a_prompt_that_fills_the_context_exactly_fits_when_nothing_is_reserved():
    fitted = fit_messages(convo(), n_ctx=count(convo()), reserve_tokens=0, count_tokens=count)
    assert fitted.dropped == 0
    assert fit_messages(convo(), n_ctx=count(convo()), reserve_tokens=-5, count_tokens=count).dropped == 0
    from runtime.prompting import passage_budget_tokens

    assert passage_budget_tokens(1000, 0) == 500 and passage_budget_tokens(1000, -50) == 500


def test_several_system_messages_stay_and_a_history_without_questions_is_cut_too():
    two_systems = [msg("system", 5), msg("system", 5)] + convo()[1:]
    fitted = fit_messages(two_systems, n_ctx=100, reserve_tokens=10, count_tokens=count)
    assert fitted.messages[:2] == tuple(two_systems[:2]) and fitted.dropped == 2
    only_replies = [msg("system", 5), msg("assistant", 40), msg("assistant", 40), msg("assistant", 5)]
    fitted = fit_messages(only_replies, n_ctx=70, reserve_tokens=10, count_tokens=count)
    assert fitted.messages == (only_replies[0],) and fitted.dropped == 3  # no question: one turn
    with pytest.raises(PromptTooLongError, match="takes? 18 tokens"):
        fit_messages([msg("system", 5), msg("system", 5)], n_ctx=15, reserve_tokens=0, count_tokens=count)


@settings(max_examples=300, deadline=None)
@given(sizes=st.lists(st.tuples(st.sampled_from(["user", "assistant", "system"]), st.integers(0, 40)), max_size=14),
       n_ctx=st.integers(0, 300), reserve=st.integers(-10, 50))
def test_as_few_turns_as_possible_are_dropped(sizes, n_ctx, reserve):
    messages = [msg(role, n) for role, n in sizes] + [msg("user", 3)]
    budget = n_ctx - max(0, reserve)
    try:
        fitted = fit_messages(messages, n_ctx=n_ctx, reserve_tokens=reserve, count_tokens=count)
    except PromptTooLongError:
        # Only when even the leading system messages and the last user message alone do not fit.
        lead = len(messages) - len(list(itertools.dropwhile(lambda m: m.role == "system", messages)))
        last = max(i for i, m in enumerate(messages) if m.role == "user")
        assert count(messages[:lead] + messages[max(last, lead):]) > budget
        return
    kept, dropped = fitted.messages, fitted.dropped
    assert fitted.prompt_tokens == count(kept) and (count(kept) <= budget)
    lead = len(messages) - len(list(itertools.dropwhile(lambda m: m.role == "system", messages)))
    assert kept == tuple(messages[:lead]) + tuple(messages[lead + dropped:]) and len(kept) + dropped == len(messages)
    if dropped:  # the newest dropped turn, put back, would not fit
        start = lead + dropped - 1
        while start > lead and messages[start].role != "user":
            start -= 1
        assert count(messages[:lead] + messages[start:]) > budget
        assert messages[lead + dropped].role == "user" or lead + dropped == len(messages) - 1


def test_the_question_with_passages_in_full():
    from runtime.prompting import with_passages

    assert with_passages("何时开门？", [("a.pdf", "p. 3", "\n Open at 9. \n"), ("b.md", "", "周日休息。")]) == (
        "Passages from the documents I attached:\n\n"
        "[1] a.pdf, p. 3\nOpen at 9.\n\n"
        "[2] b.md\n周日休息。\n\n"
        "Answer my question from these passages where they are relevant, and cite the ones you "
        "use by number, like [1]. If they do not contain the answer, say so.\n\n"
        "Question: 何时开门？")


def test_the_reply_reserve_is_one_rule_for_the_engine_and_the_documents():
    from runtime.prompting import reply_reserve

    assert reply_reserve(4096, 1024) == 1024  # the window's defaults
    assert reply_reserve(4096, 3000) == 1024  # never more than a quarter of the context
    assert reply_reserve(32768, 1024) == 1024
    assert reply_reserve(4096, 0) == 0 and reply_reserve(4096, -5) == 0
    # A context not a multiple of 4 keeps whole tokens: the refusal says "1024 kept", and a prompt
    # of 3075 tokens still fits 4099 (a reserve of 1024.75 would refuse it).
    assert reply_reserve(4099, 3000) == 1024 and isinstance(reply_reserve(4099, 3000), int)
    check_raw_fits(3075, 4099, reply_reserve(4099, 3000))


def test_raw_text_that_fits_exactly_is_kept_and_one_token_more_is_refused_with_the_whole_sentence():
    check_raw_fits(3072, 4096, 1024)  # exactly the context less the reply's reserve
    check_raw_fits(4096, 4096, -5)  # a negative reserve keeps nothing back
    check_raw_fits(0, 4096, 1024)
    with pytest.raises(PromptTooLongError) as refused:
        check_raw_fits(3073, 4096, 1024)
    assert str(refused.value) == (
        "The prompt takes 3073 tokens, but the context holds 4096 tokens with 1024 kept for the reply. "
        "Shorten the prompt, lower the reply length, or load the model with a longer context.")
