"""GGUF models through llama-cpp-python, on the CPU or with layers offloaded to a GPU.

`llama_cpp` is imported in load() only, so the window starts (and its tests run) without it.
"""
from __future__ import annotations

import codecs
import logging
import random
import re
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Generator, Iterable, Iterator, Sequence

from runtime.backends.base import Backend, GenerationStats
from runtime.backends.llama_overrides import expert_overrides
from runtime.backends.llama_session import LlamaSession, PromptAborted
from runtime.backends.llama_threads import attach_thread_pool
from runtime.chat_template import ChatTemplate
from runtime.reasoning import ThinkSplitter, prompt_opens_think
from runtime.sentences import Sentence
from runtime.stop_strings import StopStringFilter
from runtime.template_fixes import fallback_template
from runtime.types import (
    CancelToken,
    ChatMessage,
    GenerationError,
    GenerationOptions,
    ModelLoadError,
    Plan,
    TextDelta,
)

KV_TYPES = {"f16": 1, "q4_0": 2, "q8_0": 8}  # ggml_type values


class LlamaCppBackend(Backend):
    def __init__(self) -> None:
        self._llm = None
        self._template: ChatTemplate | None = None
        self._abort_cb = None  # keeps the ctypes callback alive while installed
        self._overrides = None  # the experts-on-CPU regexes llama.cpp points into, kept with the model
        self._session: LlamaSession | None = None
        self._pool = None  # the ggml thread pool attached to the context; freed after it
        self.template_note = ""  # said to the user when the file's chat template was missing

    # -- loading -----------------------------------------------------------------
    def load(self, plan: Plan, on_progress: Callable[[float], None]) -> None:
        try:
            import llama_cpp
            from llama_cpp import Llama
        except (ImportError, OSError) as exc:  # llama-cpp-python raises FileNotFoundError for its .so
            raise ModelLoadError(
                f"llama.cpp could not be loaded ({exc}): its libraries (libllama, libggml) are missing or "
                "damaged in this install. Reinstall DeskSeek (or llama-cpp-python in a source install).") from exc

        if plan.kv_type not in KV_TYPES:
            raise ModelLoadError(f"Unknown KV-cache type {plan.kv_type!r}; use one of {sorted(KV_TYPES)}.")
        on_progress(0.0)
        with _captured_llama_errors() as errors, _load_progress(on_progress), \
                expert_overrides(plan.n_cpu_moe_layers) as overrides:
            try:
                self._llm = Llama(
                    model_path=str(plan.model_path),
                    n_ctx=plan.n_ctx,
                    n_batch=plan.n_batch,
                    n_threads=plan.n_threads,
                    n_threads_batch=plan.n_threads,
                    n_gpu_layers=plan.n_gpu_layers,
                    flash_attn=plan.flash_attn,
                    type_k=KV_TYPES[plan.kv_type],
                    type_v=KV_TYPES[plan.kv_type],
                    use_mmap=plan.use_mmap,
                    # Each plan is sized for one GPU; the default would spread layers over all of them.
                    main_gpu=_gpu_index(plan.device),
                    split_mode=llama_cpp.LLAMA_SPLIT_MODE_NONE if plan.device.startswith("cuda")
                    else llama_cpp.LLAMA_SPLIT_MODE_LAYER,
                    verbose=False,
                )
            except (ValueError, RuntimeError, OSError) as exc:
                # llama.cpp's cause ("error loading model: ... wrong shape"), not its follow-ups.
                causes = [line.split("error loading model: ", 1)[1] for line in errors
                          if "error loading model: " in line]
                detail = re.sub(r"\s+", " ", "; ".join(causes or errors)) or str(exc)  # its padded columns
                raise ModelLoadError(
                    f"llama.cpp could not load {Path(plan.model_path).name}: {detail}"
                ) from exc
        self._overrides = overrides
        self._session = LlamaSession(self._llm.ctx, self._llm._model.vocab)
        params = self._llm.context_params  # the pool serves both: size it for the larger
        self._pool = attach_thread_pool(self._llm.ctx, max(params.n_threads, params.n_threads_batch))
        meta = self._llm.metadata
        vocab = self._llm._model
        source = meta.get("tokenizer.chat_template")
        self.template_note = ""
        if not source:  # a known chat model whose file lost its template gets its own format back
            source, known_as = fallback_template(meta)
            self.template_note = (f"The file has no chat template; using {known_as}." if source
                                  else "The file has no chat template (a base model?): prompts are a plain transcript.")
        self._template = ChatTemplate(
            source,
            bos_token=_token_text(vocab, vocab.token_bos()),
            eos_token=_token_text(vocab, vocab.token_eos()),
        )
        on_progress(1.0)

    def unload(self) -> None:
        if self._llm is not None:
            self._llm.close()
        if self._pool is not None:
            self._pool.close()  # only once no context uses it
        self._llm = None
        self._template = None
        self._overrides = None
        self._session = None
        self._pool = None

    # -- queries -----------------------------------------------------------------
    @property
    def has_chat_template(self) -> bool:
        return self._template is not None and not self._template.is_plain_transcript

    def context_length(self) -> int:
        return self._require().n_ctx()

    def count_tokens(self, messages: Sequence[ChatMessage]) -> int:
        return len(self._prompt_tokens(messages)[0])

    # -- generation --------------------------------------------------------------
    def count_raw_tokens(self, prompt: str) -> int:
        return len(self._raw_tokens(prompt))

    def stream(
        self, messages: Sequence[ChatMessage], options: GenerationOptions, cancel: CancelToken
    ) -> Generator[TextDelta, None, GenerationStats]:
        tokens, prompt = self._prompt_tokens(messages)
        splitter = ThinkSplitter(inside=prompt_opens_think(prompt.text))
        return (yield from self._generate(tokens, prompt.stop + options.stop, splitter.feed, splitter.flush,
                                          options, cancel))

    def stream_raw(
        self, prompt: str, options: GenerationOptions, cancel: CancelToken
    ) -> Generator[TextDelta, None, GenerationStats]:
        # No ThinkSplitter: raw text is the caller's own document (code, a story), not a reply the
        # model opens with <think>; a "<think>" in it is text to continue, and splitting it out would
        # hide part of the continuation from a client that has no reasoning field to read it in.
        return (yield from self._generate(self._raw_tokens(prompt), options.stop, _as_text, lambda: (),
                                          options, cancel))

    def _generate(self, tokens: list[int], stop: Sequence[str], feed: Callable[[str], Iterable[TextDelta]],
                  flush: Callable[[], Iterable[TextDelta]], options: GenerationOptions,
                  cancel: CancelToken) -> Generator[TextDelta, None, GenerationStats]:
        """Evaluate the prompt's tokens, then sample until the end, a stop string, max_tokens or
        the full context; `feed`/`flush` turn the text into deltas (split by reasoning or not)."""
        llm = self._require()
        if not tokens:
            raise GenerationError(Sentence(
                "The prompt is empty and this model starts with no BOS token: give it some text."))
        # The Engine's fit check has passed; the reply may take what the context has left.
        max_tokens = min(options.max_tokens, llm.n_ctx() - len(tokens))
        if max_tokens <= 0:
            return GenerationStats(len(tokens), 0, "length")
        seed = options.seed if options.seed is not None else random.randrange(2**31)
        stops = StopStringFilter(stop)
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        session = self._session

        produced, reason = 0, "length"
        try:
            with self._abortable_prompt(llm, cancel):
                session.evaluate_prompt(tokens)
        except PromptAborted:
            return GenerationStats(len(tokens), 0, "cancelled")
        picks = session.sample(options, seed)
        try:
            for token in picks:
                if cancel.cancelled:
                    reason = "cancelled"
                    break
                if session.is_end(token):
                    reason = "stop"
                    break
                produced += 1
                text = stops.feed(decoder.decode(session.piece(token)))
                yield from feed(text)
                if stops.stopped:
                    reason = "stop"
                    break
                if produced >= max_tokens:
                    break
        finally:
            picks.close()
        # A reply cut mid-character leaves a partial UTF-8 sequence in the decoder: drop it
        # rather than show a replacement character.
        if not stops.stopped:
            yield from feed(stops.flush())
        yield from flush()
        return GenerationStats(len(tokens), produced, reason)

    # -- helpers -----------------------------------------------------------------
    def _require(self):
        if self._llm is None:
            raise GenerationError("No model is loaded.")
        return self._llm

    def _prompt_tokens(self, messages: Sequence[ChatMessage]):
        llm = self._require()
        prompt = self._template.render(messages)
        ids = llm.tokenize(prompt.text.encode("utf-8"), add_bos=not prompt.starts_with_bos, special=True)
        return ids, prompt

    def _raw_tokens(self, prompt: str) -> list[int]:
        """The text as it is, BOS added only where the model's vocabulary asks for one (llama.cpp's
        add_special), and special tokens written in it read as such: what llama.cpp's own server
        and llama-cpp-python's create_completion feed the model (a FIM prompt spells its tokens)."""
        return self._require().tokenize(prompt.encode("utf-8"), add_bos=True, special=True)

    @contextmanager
    def _abortable_prompt(self, llm, cancel: CancelToken) -> Iterator[None]:
        """Let Stop interrupt a long prompt evaluation inside llama.cpp.

        Installed for the prompt only: llama.cpp polls it per graph node, and a Python call
        per node would slow every generated token.
        """
        import llama_cpp

        self._abort_cb = llama_cpp.ggml_abort_callback(lambda _data: cancel.cancelled)
        llama_cpp.llama_set_abort_callback(llm.ctx, self._abort_cb, None)
        try:
            yield
        finally:
            llama_cpp.llama_set_abort_callback(llm.ctx, llama_cpp.ggml_abort_callback(), None)
            self._abort_cb = None


def _as_text(text: str) -> Iterator[TextDelta]:
    if text:
        yield TextDelta(text)


def _gpu_index(device: str) -> int:
    return int(device.split(":", 1)[1]) if device.startswith("cuda:") else 0


def _token_text(model, token: int) -> str:
    return model.token_get_text(token) if token >= 0 else ""


@contextmanager
def _load_progress(on_progress: Callable[[float], None]) -> Iterator[None]:
    """Report llama.cpp's own load progress: Llama() takes no callback, so the default model
    params it starts from are wrapped for the duration of the load (as llama_overrides does)."""
    import llama_cpp.llama_cpp as lib

    # on_progress returning False (the window is closing) makes llama.cpp abandon the load.
    callback = lib.llama_progress_callback(lambda fraction, _data: on_progress(float(fraction)) is not False)
    original = lib.llama_model_default_params

    def with_progress():
        params = original()
        params.progress_callback = callback
        return params

    lib.llama_model_default_params = with_progress
    try:
        yield
    finally:
        lib.llama_model_default_params = original


@contextmanager
def _captured_llama_errors() -> Iterator[list[str]]:
    """Collect llama.cpp's own error lines during a load, to explain a failure to the user
    ("tensor 'blk.0.attn_k.weight' has wrong shape"). llama-cpp-python prints them to a stderr
    that Llama(verbose=False) sends to /dev/null, so its log callback is swapped for the load."""
    import ctypes

    import llama_cpp
    from llama_cpp import _logger

    lines: list[str] = []
    error_level, continued = 4, 5  # ggml.h: GGML_LOG_LEVEL_ERROR, GGML_LOG_LEVEL_CONT
    last = [0]

    @llama_cpp.llama_log_callback
    def collect(level: int, text: bytes, _user_data) -> None:
        if level != continued:
            last[0] = level
        if last[0] == error_level:
            piece = text.decode("utf-8", errors="replace")
            if level == continued and lines:
                lines[-1] += piece.rstrip()
            elif piece.strip():
                lines.append(piece.strip())

    llama_cpp.llama_log_set(collect, ctypes.c_void_p(0))
    try:
        yield lines
    finally:
        llama_cpp.llama_log_set(_logger.llama_log_callback, ctypes.c_void_p(0))
