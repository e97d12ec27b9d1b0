import pytest

from runtime.chat_template import ChatTemplate
from runtime.types import ChatMessage, ModelLoadError

CHATML = (
    "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)


def test_renders_the_models_template():
    t = ChatTemplate(CHATML)
    p = t.render([ChatMessage("user", "你好")])
    assert p.text == "<|im_start|>user\n你好<|im_end|>\n<|im_start|>assistant\n"
    assert not p.starts_with_bos


def test_bos_written_by_template_is_reported():
    t = ChatTemplate("{{ bos_token }}{{ messages[0]['content'] }}", bos_token="<s>")
    assert t.render([ChatMessage("user", "hi")]).starts_with_bos


def test_template_cannot_reach_python_internals():
    t = ChatTemplate("{{ messages.__class__.__mro__ }}")
    with pytest.raises(ModelLoadError):
        t.render([ChatMessage("user", "x")])


def test_raise_exception_becomes_a_clear_error():
    t = ChatTemplate("{{ raise_exception('Conversation roles must alternate') }}")
    with pytest.raises(ModelLoadError, match="roles must alternate"):
        t.render([ChatMessage("user", "x")])


def test_no_template_gives_a_plain_transcript_with_a_stop():
    p = ChatTemplate(None).render([ChatMessage("system", "Be brief."), ChatMessage("user", "Hi")])
    assert p.text == "System: Be brief.\nUser: Hi\nAssistant:"
    assert "\nUser:" in p.stop


def test_a_trailing_assistant_message_is_continued_not_closed():
    t = ChatTemplate(CHATML)
    p = t.render([ChatMessage("user", "Count"), ChatMessage("assistant", "1, 2, 3,")])
    assert p.text.endswith("<|im_start|>assistant\n1, 2, 3,")
    assert "1, 2, 3,<|im_end|>" not in p.text
