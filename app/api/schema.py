"""What a request asks for, read from its JSON and checked field by field: the messages (or the
prompt) and the generation options. Every refusal names the field (400, OpenAI's `param`).

Fields that change nothing here (frequency_penalty, user, logit_bias...) are accepted and ignored,
as OpenAI-compatible servers do; fields that would silently change the answer's shape (n > 1,
tools, images, logprobs, several prompts, a suffix) are refused."""
from __future__ import annotations

import math
from dataclasses import dataclass, replace

from app.api.errors import ApiError, bad_field
from runtime.types import ChatMessage, GenerationOptions

ROLES = {"system": "system", "developer": "system", "user": "user", "assistant": "assistant"}
MAX_STOPS = 4


@dataclass(frozen=True)
class Ask:
    """One request, whichever endpoint it came through."""

    model: str | None
    messages: tuple[ChatMessage, ...]
    max_tokens: int | None  # None: as long as the context allows
    temperature: float
    top_p: float
    stop: tuple[str, ...]
    seed: int | None
    stream: bool
    include_usage: bool
    prompt: str | None = None  # /v1/completions: raw text, continued as it is (no chat template)
    echo: bool = False  # the prompt goes back before the completion

    def options(self, context_length: int, defaults: GenerationOptions) -> GenerationOptions:
        return GenerationOptions(
            max_tokens=self.max_tokens if self.max_tokens is not None else context_length,
            temperature=self.temperature, top_p=self.top_p, top_k=defaults.top_k,
            repeat_penalty=defaults.repeat_penalty, seed=self.seed, stop=self.stop)


def chat_ask(body: object, defaults: GenerationOptions) -> Ask:
    body = _object(body)
    raw = body.get("messages")
    if not isinstance(raw, list) or not raw:
        raise bad_field("messages", "'messages' must be a non-empty list of {role, content} objects.")
    messages = tuple(_message(m, i) for i, m in enumerate(raw))
    if messages[-1].role == "assistant" and len(messages) == 1:
        raise bad_field("messages", "The conversation needs a user message.")
    for unsupported in ("tools", "functions", "tool_choice", "response_format"):
        value = body.get(unsupported)
        if value and not (unsupported == "response_format" and _is_text_format(value)):
            raise bad_field(unsupported, f"'{unsupported}' is not supported by DeskSeek's local server.")
    max_tokens = body.get("max_completion_tokens", body.get("max_tokens"))
    return _ask(body, messages, "max_completion_tokens" if "max_completion_tokens" in body else "max_tokens",
                max_tokens, defaults)


def completion_ask(body: object, defaults: GenerationOptions) -> Ask:
    """The completions endpoint: `prompt` is raw text the model continues as it is (no chat
    template), as OpenAI's endpoint and the editors' code-completion plugins mean it."""
    body = _object(body)
    prompt = body.get("prompt")
    if isinstance(prompt, list) and prompt and all(_is_int(t) for t in prompt):
        raise bad_field("prompt", "'prompt' must be text: token ids are not accepted here.")
    if isinstance(prompt, list) and len(prompt) > 1:
        raise bad_field("prompt", f"'prompt' holds {len(prompt)} prompts; DeskSeek's local server completes "
                                  "one prompt per request: send them one by one.")
    if isinstance(prompt, list) and len(prompt) == 1:
        prompt = prompt[0]
    if not isinstance(prompt, str) or not prompt:
        raise bad_field("prompt", "'prompt' must be a non-empty string (one prompt per request).")
    if body.get("suffix"):
        raise bad_field("suffix", "'suffix' (fill in the middle) is not supported by DeskSeek's local server: "
                                  "send the text before the cursor as 'prompt' only.")
    if body.get("logprobs"):
        raise bad_field("logprobs", "'logprobs' is not supported by DeskSeek's local server.")
    if body.get("best_of", 1) not in (1, None):
        raise bad_field("best_of", "'best_of' must be 1.")
    echo = body.get("echo", False)
    if not isinstance(echo, bool) and echo is not None:
        raise bad_field("echo", "'echo' must be true or false.")
    max_tokens = body.get("max_tokens", 16)  # OpenAI's default for this endpoint
    ask = _ask(body, (), "max_tokens", max_tokens, defaults)
    return replace(ask, prompt=prompt, echo=bool(echo))


def _ask(body: dict, messages: tuple[ChatMessage, ...], max_name: str, max_tokens, defaults) -> Ask:
    model = body.get("model")
    if model is not None and not isinstance(model, str):
        raise bad_field("model", "'model' must be a string.")
    if max_tokens is not None and (not _is_int(max_tokens) or max_tokens < 1):
        raise bad_field(max_name, f"'{max_name}' must be a whole number of at least 1.")
    temperature = _number(body, "temperature", defaults.temperature, 0.0, 2.0)
    top_p = _number(body, "top_p", defaults.top_p, 0.0, 1.0)
    if top_p == 0.0:
        raise bad_field("top_p", "'top_p' must be above 0.")
    seed = body.get("seed")
    if seed is not None and not _is_int(seed):
        raise bad_field("seed", "'seed' must be a whole number.")
    if body.get("n", 1) not in (1, None):
        raise bad_field("n", "'n' must be 1: DeskSeek writes one reply per request.")
    stream = body.get("stream", False)
    if not isinstance(stream, bool) and stream is not None:
        raise bad_field("stream", "'stream' must be true or false.")
    stream_options = body.get("stream_options") or {}
    if not isinstance(stream_options, dict):
        raise bad_field("stream_options", "'stream_options' must be an object.")
    include_usage = stream_options.get("include_usage", False)
    if not isinstance(include_usage, bool):
        raise bad_field("stream_options", "'stream_options.include_usage' must be true or false.")
    return Ask(model=model, messages=messages, max_tokens=max_tokens, temperature=temperature, top_p=top_p,
               stop=_stops(body.get("stop")), seed=seed, stream=bool(stream), include_usage=include_usage)


def _object(body: object) -> dict:
    if not isinstance(body, dict):
        raise ApiError(400, "The request body must be a JSON object.", code="invalid_request_body")
    return body


def _message(raw: object, i: int) -> ChatMessage:
    param = f"messages[{i}]"
    if not isinstance(raw, dict):
        raise bad_field(param, f"{param} must be an object with 'role' and 'content'.")
    role = raw.get("role")
    if role not in ROLES:
        raise bad_field(f"{param}.role", f"{param}.role must be one of system, developer, user, assistant "
                                         f"(tool calls are not supported), not {role!r}.")
    content = raw.get("content")
    if content is None and role == "assistant":
        content = ""
    if isinstance(content, list):  # [{"type": "text", "text": ...}, ...]
        texts = []
        for part in content:
            if not isinstance(part, dict) or part.get("type") != "text" or not isinstance(part.get("text"), str):
                raise bad_field(f"{param}.content", f"{param}.content may hold text parts only "
                                                    "(the loaded model reads no images or audio).")
            texts.append(part["text"])
        content = "".join(texts)
    if not isinstance(content, str):
        raise bad_field(f"{param}.content", f"{param}.content must be a string or a list of text parts.")
    return ChatMessage(ROLES[role], content)


def _stops(stop) -> tuple[str, ...]:
    if stop is None:
        return ()
    if isinstance(stop, str):
        stop = [stop]
    if not isinstance(stop, list) or not all(isinstance(s, str) and s for s in stop):
        raise bad_field("stop", "'stop' must be a non-empty string or a list of them.")
    if len(stop) > MAX_STOPS:
        raise bad_field("stop", f"'stop' may hold at most {MAX_STOPS} strings.")
    return tuple(stop)


def _number(body: dict, name: str, default: float, low: float, high: float) -> float:
    value = body.get(name)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or not low <= value <= high:
        raise bad_field(name, f"'{name}' must be a number from {low:g} to {high:g}.")
    return float(value)


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_text_format(value) -> bool:
    return isinstance(value, dict) and value.get("type") == "text"
