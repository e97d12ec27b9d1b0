"""The torch engine behind the Backend protocol: the same window and planner drive it."""
from __future__ import annotations

import gc
import random
from typing import Callable, Generator, Iterable, Iterator, Sequence

import torch

from runtime.backends.base import Backend, GenerationStats
from runtime.backends.torch_moe import sampling
from runtime.backends.torch_moe.detok import Detokenizer
from runtime.backends.torch_moe.generate import decode_step, generate_ids
from runtime.backends.torch_moe.loader import load_model
from runtime.backends.torch_moe.tokenizer import HFTokenizer
from runtime.chat_template import ChatTemplate
from runtime.reasoning import ThinkSplitter, prompt_opens_think
from runtime.sentences import Sentence
from runtime.stop_strings import StopStringFilter
from runtime.types import (
    CancelToken, ChatMessage, DeskSeekError, GenerationError, GenerationOptions, ModelLoadError,
    Plan, TextDelta,
)

PENALTY_WINDOW = 64  # recent tokens the repetition penalty looks at, as llama.cpp does


def make_picker(options: GenerationOptions) -> Callable[[torch.Tensor, list[int]], int]:
    """Sampling on the logits' device (no vocabulary-sized copy to the host per token)."""
    seed = options.seed if options.seed is not None else random.randrange(2**31)
    gens: dict[torch.device, torch.Generator] = {}

    def pick(logits: torch.Tensor, history: list[int]) -> int:
        logits = logits.float()
        if options.temperature <= 0 and options.repeat_penalty == 1.0:
            return sampling.greedy(logits)
        seen = torch.tensor(sorted(set(history[-PENALTY_WINDOW:])), dtype=torch.long, device=logits.device)
        logits = sampling.repetition_penalty(logits, seen, options.repeat_penalty)
        if logits.device not in gens:
            gens[logits.device] = torch.Generator(device=logits.device).manual_seed(seed)
        return sampling.sample(logits, options.temperature, options.top_k, options.top_p,
                               gens[logits.device])

    return pick


class TorchMoeBackend(Backend):
    def __init__(self, compile_decode: bool | None = None) -> None:
        self._model = None
        self._tok: HFTokenizer | None = None
        self._template: ChatTemplate | None = None
        self._step = decode_step
        self._cached: list[int] = []  # ids whose K/V are in the cache, for reuse by the next turn
        self._compile = compile_decode  # None: on CUDA only (a cold CPU compile takes minutes)

    def load(self, plan: Plan, on_progress: Callable[[float], None]) -> None:
        device = plan.device or "cpu"
        if device.startswith("cuda") and not torch.cuda.is_available():
            raise ModelLoadError(f"The plan asks for {device}, but torch sees no CUDA GPU.")
        dtype = plan.dtype or ("bfloat16" if device.startswith("cuda") else "float32")
        if device == "cpu" and plan.n_threads:
            torch.set_num_threads(plan.n_threads)  # the planner's free physical cores
        self._cached = []
        try:
            self._tok = HFTokenizer(plan.model_path)
            self._model = load_model(plan.model_path, device, dtype, plan.n_ctx, on_progress)
        except torch.OutOfMemoryError as e:
            self.unload()
            raise ModelLoadError(f"Out of memory while loading on {device}: {e}") from e
        except DeskSeekError:
            self.unload()
            raise
        except (OSError, RuntimeError) as e:
            self.unload()
            raise ModelLoadError(f"The torch engine could not load the model: {e}") from e
        self._template = ChatTemplate(self._tok.chat_template, bos_token=self._tok.bos_token,
                                      eos_token=self._tok.eos_token)
        if self._compile if self._compile is not None else device.startswith("cuda"):
            from runtime.backends.torch_moe.compiled import compiled_step, warm_up

            self._step = compiled_step(self._model)
            warm_up(self._step, self._model)

    def unload(self) -> None:
        compiled = self._step is not decode_step
        self._model = self._tok = self._template = None
        self._cached = []
        self._step = decode_step
        if compiled:  # compiled graphs and their memory pools hold the old weights alive
            torch._dynamo.reset()
        gc.collect()
        if torch.cuda.is_available():
            torch.cuda.empty_cache()

    def context_length(self) -> int:
        return self._require().max_seq

    def count_tokens(self, messages: Sequence[ChatMessage]) -> int:
        return len(self._prompt(messages)[0])

    def count_raw_tokens(self, prompt: str) -> int:
        return len(self._raw_ids(prompt))

    def stream(
        self, messages: Sequence[ChatMessage], options: GenerationOptions, cancel: CancelToken
    ) -> Generator[TextDelta, None, GenerationStats]:
        ids, prompt = self._prompt(messages)
        splitter = ThinkSplitter(inside=prompt_opens_think(prompt.text))
        return (yield from self._generate(ids, prompt.stop + options.stop, splitter.feed, splitter.flush,
                                          options, cancel))

    def stream_raw(
        self, prompt: str, options: GenerationOptions, cancel: CancelToken
    ) -> Generator[TextDelta, None, GenerationStats]:
        # No reasoning split for raw text: it is the caller's document, not a reply that opens
        # with <think>, and a client of raw completion has no field to read reasoning in.
        return (yield from self._generate(self._raw_ids(prompt), options.stop, _as_text, lambda: (),
                                          options, cancel))

    def _generate(self, ids: list[int], stop: Sequence[str], feed: Callable[[str], Iterable[TextDelta]],
                  flush: Callable[[], Iterable[TextDelta]], options: GenerationOptions,
                  cancel: CancelToken) -> Generator[TextDelta, None, GenerationStats]:
        model = self._require()
        if not ids:
            raise GenerationError(Sentence(
                "The prompt is empty and this model starts with no BOS token: give it some text."))
        # The Engine's fit check has passed; the reply may take what the context has left.
        max_tokens = min(options.max_tokens, model.max_seq - len(ids))
        if max_tokens <= 0:
            return GenerationStats(len(ids), 0, "length")
        stops = StopStringFilter(stop)
        detok = Detokenizer(self._tok.decode)
        produced, reason = 0, "length"
        tokens = generate_ids(model, ids, max_tokens, make_picker(options), self._tok.stop_ids,
                              lambda: cancel.cancelled, self._step, self._cached)
        for token in tokens:
            if token in self._tok.stop_ids:
                reason = "stop"
                break
            produced += 1
            yield from feed(stops.feed(detok.add(token)))
            if stops.stopped:
                reason = "stop"
                break
        if cancel.cancelled and reason == "length":
            reason = "cancelled"
        if not stops.stopped:
            yield from feed(stops.feed(detok.flush()) + stops.flush())
        yield from flush()
        return GenerationStats(len(ids), produced, reason)

    def _require(self):
        if self._model is None:
            raise GenerationError("No model is loaded.")
        return self._model

    def _prompt(self, messages: Sequence[ChatMessage]):
        self._require()
        prompt = self._template.render(messages)
        # The template writes BOS itself when it wants one; otherwise the tokenizer's rule holds.
        ids = self._tok.encode(prompt.text, add_bos=False if prompt.starts_with_bos else None)
        return ids, prompt

    def _raw_ids(self, prompt: str) -> list[int]:
        """The text as it is, BOS by the tokenizer's own rule (no template to write one)."""
        self._require()
        return self._tok.encode(prompt)


def _as_text(text: str) -> Iterator[TextDelta]:
    if text:
        yield TextDelta(text)
