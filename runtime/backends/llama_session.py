"""One llama.cpp context driven through its C API: what its KV cache holds, decoding, sampling.

llama-cpp-python's Llama.generate() copies every token's logits into a numpy array and runs
Python per token that DeskSeek does not need; measured here it cost ~3% of generation speed
against llama-bench. This loop does what llama.cpp's own tools do: decode one token, let the
sampler chain read the logits in place, repeat. Like Llama.generate() it keeps the KV cache of
the previous turn and evaluates only what follows the common prefix, so a chat's next turn
reads only the new messages.
"""
from __future__ import annotations

import ctypes
from collections import deque
from typing import Any, Iterator, Sequence

from runtime.types import GenerationError, GenerationOptions

PENALTY_WINDOW = 64  # recent tokens the repetition penalty looks at (llama.cpp's default)
MIN_P = 0.05  # llama-cpp-python's default, kept so replies read as before


class PromptAborted(Exception):
    """Stop was pressed while llama.cpp evaluated the prompt."""


class LlamaSession:
    def __init__(self, ctx: Any, vocab: Any) -> None:
        import llama_cpp

        self._c = llama_cpp
        self._ctx, self._vocab = ctx, vocab
        self._n_batch = llama_cpp.llama_n_batch(ctx)
        self._n_vocab = llama_cpp.llama_vocab_n_tokens(vocab)
        self._cached: list[int] = []  # the tokens whose keys and values the context holds
        self._pieces: dict[int, bytes] = {}
        self._one = (llama_cpp.llama_token * 1)()  # the batch of each generated token

    @property
    def cached_tokens(self) -> int:
        return len(self._cached)

    def evaluate_prompt(self, tokens: Sequence[int]) -> int:
        """Bring the context to `tokens` (reusing the common prefix); returns how many were reused.

        Raises PromptAborted if the abort callback fired, GenerationError if llama.cpp failed.
        """
        tokens = list(tokens)
        keep = _common_prefix(self._cached, tokens)
        keep = min(keep, len(tokens) - 1)  # the last token is decoded again for its logits
        memory = self._c.llama_get_memory(self._ctx)
        if keep <= 0 or not self._c.llama_memory_seq_rm(memory, -1, keep, -1):
            self._c.llama_memory_clear(memory, True)
            keep = 0
        self._cached = tokens[:keep]
        for start in range(keep, len(tokens), self._n_batch):
            self._decode(tokens[start:start + self._n_batch])
        return keep

    def sample(self, options: GenerationOptions, seed: int) -> Iterator[int]:
        """Tokens from the logits of the last decode, each decoded when the next is asked for.

        The caller stops by leaving the loop; the context then holds everything but the last
        token handed out (it was never decoded). The repetition penalty sees the reply's own
        tokens, not the prompt's, as llama-cpp-python's generate() did: an answer may repeat
        the question's words.

        Greedy is a numpy argmax over llama.cpp's logits in place, and the penalty is applied
        there too, to the few tokens it concerns: llama.cpp's sampler chain would first copy
        the whole vocabulary into a candidate array and its penalty sampler then looks up
        every entry (~200 us a token here, 2% of SmolLM2's generation). The chain still does
        top-k, top-p, min-p, temperature and the random draw.
        """
        import numpy as np

        penalty = options.repeat_penalty
        recent: deque[int] = deque(maxlen=PENALTY_WINDOW)
        chain = None if options.temperature <= 0 else self._sampler_chain(options, seed)
        views: dict[int, np.ndarray] = {}  # numpy views of llama.cpp's logits row, by address
        try:
            while True:
                address = ctypes.cast(self._c.llama_get_logits_ith(self._ctx, -1), ctypes.c_void_p).value
                row = views.get(address)
                if row is None:
                    row = views[address] = np.ctypeslib.as_array(
                        (ctypes.c_float * self._n_vocab).from_address(address))
                if penalty != 1.0 and recent:
                    _penalise(row, np.fromiter(set(recent), dtype=np.int64), penalty)
                if chain is None:
                    token = int(row.argmax())  # the first of equal maxima, as llama.cpp's greedy
                else:
                    token = self._c.llama_sampler_sample(chain, self._ctx, -1)
                recent.append(token)
                yield token
                self._decode_one(token)
        finally:
            if chain is not None:
                self._c.llama_sampler_free(chain)

    def is_end(self, token: int) -> bool:
        return bool(self._c.llama_vocab_is_eog(self._vocab, token))

    def piece(self, token: int) -> bytes:
        """The bytes of one token as text (special tokens render as nothing)."""
        piece = self._pieces.get(token)
        if piece is None:
            buf = ctypes.create_string_buffer(64)
            n = self._c.llama_token_to_piece(self._vocab, token, buf, len(buf), 0, False)
            if n < 0:  # longer than the buffer: llama.cpp says how long
                buf = ctypes.create_string_buffer(-n)
                n = self._c.llama_token_to_piece(self._vocab, token, buf, len(buf), 0, False)
            piece = self._pieces[token] = buf.raw[:n]
        return piece

    def forget(self) -> None:
        """After an abort or error, trust nothing in the cache; the next prompt starts fresh."""
        self._cached = []

    # -- helpers -----------------------------------------------------------------
    def _decode_one(self, token: int) -> None:
        self._one[0] = token  # reused: no ctypes array built per generated token
        self._run(self._one, [token])

    def _decode(self, tokens: list[int]) -> None:
        self._run((self._c.llama_token * len(tokens))(*tokens), tokens)

    def _run(self, array, tokens: list[int]) -> None:
        status = self._c.llama_decode(self._ctx, self._c.llama_batch_get_one(array, len(tokens)))
        if status == 0:
            self._cached.extend(tokens)
            return
        self.forget()  # a failed or aborted batch may leave part of itself in memory
        if status == 2:
            raise PromptAborted()
        if status == 1:
            raise GenerationError("The context is full: llama.cpp found no room in the KV cache.")
        raise GenerationError(f"llama.cpp failed to decode (status {status}).")

    def _sampler_chain(self, options: GenerationOptions, seed: int):
        """top-k, top-p, min-p, temperature, draw: llama.cpp's order after its penalties."""
        c = self._c
        chain = c.llama_sampler_chain_init(c.llama_sampler_chain_default_params())
        add = lambda sampler: c.llama_sampler_chain_add(chain, sampler)  # noqa: E731
        if options.top_k > 0:
            add(c.llama_sampler_init_top_k(options.top_k))
        add(c.llama_sampler_init_top_p(options.top_p, 1))
        add(c.llama_sampler_init_min_p(MIN_P, 1))
        add(c.llama_sampler_init_temp(options.temperature))
        add(c.llama_sampler_init_dist(seed & 0xFFFFFFFF))
        return chain


def _penalise(logits, tokens, penalty: float) -> None:
    """llama.cpp's repeat penalty (llama_sampler_init_penalties, no frequency/presence terms):
    shrink positive logits, grow negative ones, in float32 as it does."""
    import numpy as np

    values = logits[tokens]
    logits[tokens] = np.where(values <= 0, values * np.float32(penalty), values / np.float32(penalty))


def _common_prefix(a: Sequence[int], b: Sequence[int]) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n
