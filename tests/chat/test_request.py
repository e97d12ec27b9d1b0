"""The one request builder: what the model is sent for a turn, from a plain list of messages."""
import dataclasses

import pytest

from app.chat.request import TurnRequest, build_request
from runtime.types import ChatMessage, GenerationOptions

OPTIONS = GenerationOptions(max_tokens=64, temperature=0.2, seed=5)
HISTORY = [ChatMessage("user", "Hi."), ChatMessage("assistant", "Hello!"), ChatMessage("user", "And now?")]


def test_the_system_prompt_goes_first_and_the_options_go_with_the_messages():
    request = build_request(HISTORY, options=OPTIONS, system_prompt="Be brief.")
    assert request == TurnRequest((ChatMessage("system", "Be brief."), *HISTORY), OPTIONS, ())
    with pytest.raises(dataclasses.FrozenInstanceError):
        request.options = GenerationOptions()


def test_a_system_message_already_in_the_history_is_not_doubled():
    history = [ChatMessage("system", "Imported prompt."), *HISTORY]
    assert build_request(history, options=OPTIONS, system_prompt="Be brief.").messages == tuple(history)


def test_a_folded_system_prompt_leads_the_first_user_message():
    request = build_request(HISTORY, options=OPTIONS, system_prompt="Be brief.", fold_system_prompt=True)
    assert [m.role for m in request.messages] == ["user", "assistant", "user"]
    assert request.messages[0].content == "Be brief.\n\nHi."


def test_a_continued_reply_ends_the_request_as_the_assistant_s_text():
    request = build_request(HISTORY, options=OPTIONS, prefix="Now we")
    assert request.messages[-1] == ChatMessage("assistant", "Now we")
    assert request.messages[:-1] == tuple(HISTORY)


def test_quoting_sees_the_user_s_own_question_and_its_sources_are_kept():
    asked = []

    def quote(messages):
        asked.append(messages[-1].content)
        messages[-1] = ChatMessage("user", "[1] notes.md\nTuesday.\n\nQuestion: And now?")
        return ["passage 1"]

    request = build_request(HISTORY, options=OPTIONS, system_prompt="Be brief.", fold_system_prompt=True,
                            quote=quote, prefix="It")
    assert asked == ["And now?"]  # not the folded system prompt's words
    assert request.sources == ("passage 1",)
    assert request.messages[-2].content.endswith("Question: And now?")
    assert request.messages[-1] == ChatMessage("assistant", "It")
    assert HISTORY[-1].content == "And now?"  # the caller's list is not edited


def test_the_builder_never_changes_what_it_is_given():
    history = list(HISTORY)
    build_request(history, options=OPTIONS, system_prompt="S", fold_system_prompt=True, prefix="x",
                  quote=lambda messages: messages.clear() or [])
    assert history == HISTORY
