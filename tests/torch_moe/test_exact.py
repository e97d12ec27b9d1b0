"""Same weights, same tokens: our model against transformers' reference implementation."""
from __future__ import annotations

import pytest
import torch

from runtime.backends.torch_moe.generate import generate_ids
from runtime.backends.torch_moe.loader import load_model
from tests.torch_moe.tiny import KINDS, PROMPTS

pytest.importorskip("transformers")


def _encode(path, text):
    from tokenizers import Tokenizer

    return Tokenizer.from_file(str(path / "tokenizer.json")).encode(text, add_special_tokens=False).ids


def _reference_greedy(hf, ids, n):
    """transformers' own cached decode, greedy; returns tokens and each step's logits."""
    from transformers import DynamicCache

    cache, tokens, steps = DynamicCache(), [], []
    inp = torch.tensor([ids])
    with torch.no_grad():
        for _ in range(n):
            logits = hf(inp, cache=cache, use_cache=True).logits[0, -1]
            steps.append(logits)
            tokens.append(int(logits.argmax()))
            inp = torch.tensor([[tokens[-1]]])
    return tokens, steps


@pytest.mark.parametrize("kind", list(KINDS))
def test_logits_and_greedy_match_transformers(tiny, kind):
    path, hf = tiny(kind)
    model = load_model(path, dtype="float32", n_ctx=128)
    for text in PROMPTS:
        ids = _encode(path, text)
        with torch.no_grad():
            ref = hf(torch.tensor([ids])).logits[0]
            ours = model(torch.tensor([ids]), torch.arange(len(ids)), len(ids))[0]
        torch.testing.assert_close(ours, ref, atol=1e-4, rtol=0)

        ref_tokens, ref_steps = _reference_greedy(hf, ids, 32)
        seen = []

        def pick(logits, _history):
            seen.append(logits.clone())
            return int(logits.argmax())

        tokens = list(generate_ids(model, ids, 32, pick))
        assert tokens == ref_tokens, f"{kind}: greedy tokens diverge for {text!r}"
        torch.testing.assert_close(torch.stack(seen), torch.stack(ref_steps), atol=1e-4, rtol=0)


def test_long_prompt_uses_both_attention_forms(tiny):
    """A prompt longer than the absorb threshold takes the expanded MLA path, then decodes absorbed."""
    path, hf = tiny("v2_lite")
    model = load_model(path, dtype="float32", n_ctx=128)
    assert model.layers[0].attn.absorb_max_q < 40
    ids = (_encode(path, PROMPTS[0] + PROMPTS[1]) * 3)[:40]
    ref_tokens, _ = _reference_greedy(hf, ids, 8)
    assert list(generate_ids(model, ids, 8, lambda lg, _h: int(lg.argmax()))) == ref_tokens


def test_chunked_prefill_matches_one_shot(tiny):
    from runtime.backends.torch_moe.generate import prefill

    path, _ = tiny("v3")
    model = load_model(path, dtype="float32", n_ctx=128)
    ids = _encode(path, " ".join(PROMPTS))
    whole = prefill(model, ids)
    torch.testing.assert_close(prefill(model, ids, chunk=7), whole, atol=1e-5, rtol=0)
