"""Fixes for chat templates: the templates known models need when their GGUF lacks one, and
conversation shapes that strict templates refuse (a system message, two turns of one role).

Templates are written here from the models' published chat formats."""
from __future__ import annotations

from typing import Mapping, Sequence

from runtime.types import ChatMessage

DEEPSEEK_LLM = (  # DeepSeek LLM 7B/67B chat: "User: …\n\nAssistant: …<eos>"
    "{{ bos_token }}{% for m in messages %}"
    "{% if m['role'] == 'user' %}{{ 'User: ' + m['content'] + '\n\n' }}"
    "{% elif m['role'] == 'assistant' %}{{ 'Assistant: ' + m['content'] + eos_token }}"
    "{% else %}{{ m['content'] + '\n\n' }}{% endif %}{% endfor %}"
    "{% if add_generation_prompt %}{{ 'Assistant:' }}{% endif %}"
)
DEEPSEEK_R1 = (  # R1 and its distills: the reply opens a <think> block in the prompt
    "{{ bos_token }}{% for m in messages %}{% if m['role'] == 'system' %}{{ m['content'] }}"
    "{% elif m['role'] == 'user' %}{{ '<｜User｜>' + m['content'] }}"
    "{% else %}{{ '<｜Assistant｜>' + m['content'].split('</think>')[-1] + '<｜end▁of▁sentence｜>' }}"
    "{% endif %}{% endfor %}{% if add_generation_prompt %}{{ '<｜Assistant｜><think>\n' }}{% endif %}"
)
CHATML = (  # Qwen2 and other ChatML models
    "{% for m in messages %}{{ '<|im_start|>' + m['role'] + '\n' + m['content'] + '<|im_end|>\n' }}"
    "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)


def fallback_template(metadata: Mapping[str, str]) -> tuple[str | None, str]:
    """(template, what it is) for a GGUF without tokenizer.chat_template; (None, "") when the
    model is not one we know (a base model gets a plain transcript instead)."""
    arch = metadata.get("general.architecture", "")
    name = " ".join(metadata.get(k, "") for k in ("general.name", "general.basename", "general.finetune")).lower()
    if "deepseek" in name and "r1" in name:
        return DEEPSEEK_R1, "DeepSeek-R1's chat format"
    if "deepseek" in name and ("chat" in name or arch in ("deepseek", "deepseek2")):
        return DEEPSEEK_LLM, "DeepSeek's chat format"
    if arch in ("qwen2", "qwen2moe", "qwen3") and ("instruct" in name or "chat" in name):
        return CHATML, "the ChatML format"
    return None, ""


def without_system(messages: Sequence[ChatMessage]) -> list[ChatMessage]:
    """For templates that refuse a system role: its text leads the first user message."""
    system = "\n\n".join(m.content for m in messages if m.role == "system")
    rest = [m for m in messages if m.role != "system"]
    if system and rest and rest[0].role == "user":
        rest[0] = ChatMessage("user", f"{system}\n\n{rest[0].content}")
    elif system:
        rest.insert(0, ChatMessage("user", system))
    return rest


def alternating(messages: Sequence[ChatMessage]) -> list[ChatMessage]:
    """For templates that demand user/assistant alternation: merge neighbours of one role."""
    out: list[ChatMessage] = []
    for m in messages:
        if out and out[-1].role == m.role:
            out[-1] = ChatMessage(m.role, f"{out[-1].content}\n\n{m.content}")
        else:
            out.append(m)
    return out
