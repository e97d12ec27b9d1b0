"""Any OpenAI-compatible chat server (vLLM, SGLang, Ollama, llama.cpp's server) as an engine.

The "model path" is the server's base URL, e.g. http://gpu-box:8000/v1, optionally naming a
model after '#' (http://host:8000/v1#deepseek-r1); without one, the server's first model is
used. Raw text (stream_raw) goes to the server's /completions. Only the standard library speaks
HTTP here, so the app needs nothing more for it.
"""
from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Callable, Generator, Iterable, Iterator, Sequence
from urllib.parse import urlsplit

from runtime.backends.base import Backend, GenerationStats
from runtime.reasoning import ThinkSplitter
from runtime.types import (
    CancelToken, ChatMessage, GenerationError, GenerationOptions, ModelLoadError, Plan, TextDelta,
)

CONNECT_TIMEOUT_S = 10.0
FINISH = {"stop": "stop", "length": "length", "eos": "stop"}


def split_url(url: str) -> tuple[str, str]:
    """(base URL ending in /v1, model name or "")."""
    base, _, model = url.partition("#")
    base = base.rstrip("/")
    return (base if base.endswith("/v1") else base + "/v1"), model


class OpenAIRemoteBackend(Backend):
    def __init__(self) -> None:
        self.base = ""
        self.model = ""
        self.display_name = ""
        self.template_note = ""
        self._n_ctx = 0

    def load(self, plan: Plan, on_progress: Callable[[float], bool | None]) -> None:
        on_progress(0.0)
        self.base, wanted = split_url(plan.model_path)
        models = self._get("/models").get("data") or []
        ids = [m.get("id", "") for m in models]
        if not ids:
            raise ModelLoadError(f"The server at {self.base} offers no models.")
        if wanted and wanted not in ids:
            raise ModelLoadError(f"The server at {self.base} has no model {wanted!r}; it offers: {', '.join(ids)}.")
        self.model = wanted or ids[0]
        served = next(m for m in models if m.get("id") == self.model)
        # vLLM and SGLang say how long a context they serve; others leave it to the plan.
        self._n_ctx = int(served.get("max_model_len") or plan.n_ctx)
        self.display_name = f"{self.model.rsplit('/', 1)[-1]} @ {urlsplit(self.base).netloc}"
        on_progress(1.0)

    def unload(self) -> None:
        self.model = ""

    def context_length(self) -> int:
        return self._n_ctx

    def count_tokens(self, messages: Sequence[ChatMessage]) -> int:
        """An estimate (the API has no tokenizer endpoint): ~3 characters a token, erring long."""
        return sum(len(m.content) // 3 + 6 for m in messages) + 8

    def count_raw_tokens(self, prompt: str) -> int:
        """An estimate, as count_tokens: ~3 characters a token, erring long."""
        return len(prompt) // 3 + 1

    def stream(self, messages: Sequence[ChatMessage], options: GenerationOptions,
               cancel: CancelToken) -> Generator[TextDelta, None, GenerationStats]:
        body = {"messages": [{"role": m.role, "content": m.content} for m in messages]}
        splitter = ThinkSplitter()
        stats = yield from self._stream("/chat/completions", body, options, cancel, splitter.feed)
        yield from splitter.flush()
        return GenerationStats(stats.prompt_tokens or self.count_tokens(messages), stats.completion_tokens,
                               stats.finish_reason)

    def stream_raw(self, prompt: str, options: GenerationOptions,
                   cancel: CancelToken) -> Generator[TextDelta, None, GenerationStats]:
        # The server's own /v1/completions continues the text as it is; no reasoning split, as
        # for every raw completion (a "<think>" in raw text is text to continue).
        stats = yield from self._stream("/completions", {"prompt": prompt}, options, cancel, _as_text)
        return GenerationStats(stats.prompt_tokens or self.count_raw_tokens(prompt), stats.completion_tokens,
                               stats.finish_reason)

    def _stream(self, path: str, body: dict, options: GenerationOptions, cancel: CancelToken,
                feed: Callable[[str], Iterable[TextDelta]]) -> Generator[TextDelta, None, GenerationStats]:
        """One streamed request; the stats' prompt_tokens is 0 when the server did not count them."""
        body = {
            **body, "model": self.model, "stream": True, "stream_options": {"include_usage": True},
            "max_tokens": options.max_tokens, "temperature": options.temperature, "top_p": options.top_p,
        }
        if options.seed is not None:
            body["seed"] = options.seed
        if options.stop:
            body["stop"] = list(options.stop)
        produced, reason, usage = 0, "stop", {}
        with self._open(path, body) as response:
            for raw in response:
                if cancel.cancelled:
                    reason = "cancelled"  # leaving the block closes the connection: the server stops
                    break
                line = raw.decode("utf-8", errors="replace").strip()
                if not line.startswith("data:"):
                    continue
                data = line[5:].strip()
                if data == "[DONE]":
                    break
                chunk = json.loads(data)
                usage = chunk.get("usage") or usage
                for choice in chunk.get("choices") or ():
                    delta = choice.get("delta") or {}
                    if delta.get("reasoning_content"):  # DeepSeek-R1 served by vLLM / SGLang
                        yield TextDelta(delta["reasoning_content"], reasoning=True)
                    text = delta.get("content") or choice.get("text")  # chat chunk or text_completion
                    if text:
                        produced += 1
                        yield from feed(text)
                    if choice.get("finish_reason"):
                        reason = FINISH.get(choice["finish_reason"], "stop")
        return GenerationStats(int(usage.get("prompt_tokens") or 0),
                               int(usage.get("completion_tokens") or produced), reason)

    # -- HTTP ----------------------------------------------------------------------
    def _get(self, path: str) -> dict:
        with self._open(path, None) as response:
            return json.loads(response.read().decode("utf-8"))

    def _open(self, path: str, body: dict | None):
        data = json.dumps(body).encode("utf-8") if body is not None else None
        request = urllib.request.Request(self.base + path, data=data,
                                         headers={"Content-Type": "application/json"})
        error = ModelLoadError if body is None else GenerationError
        try:
            return urllib.request.urlopen(request, timeout=CONNECT_TIMEOUT_S if body is None else 600)
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", errors="replace")[:300]
            raise error(f"The server at {self.base} answered {exc.code}: {detail}") from exc
        except (urllib.error.URLError, OSError) as exc:
            why = getattr(exc, "reason", exc)
            raise error(f"No OpenAI-compatible server answered at {self.base}: {why}.") from exc


def _as_text(text: str) -> Iterator[TextDelta]:
    yield TextDelta(text)
