"""`python -m runtime generate MODEL --engine torch|llama_cpp --greedy --max-tokens N --prompt TEXT`

Prints one JSON object {"prompt_ids", "ids", "text"} for checking engines against each other.
The prompt is raw text (no chat template). Both engines add BOS only where the model's own
tokenizer metadata asks for one, parse special-token text the same way, and stop before the
end-of-generation token (it is not in "ids").
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import Sequence

from runtime.types import DeskSeekError


def _torch(model: str, prompt: str, n: int, device: str, dtype: str | None, n_ctx: int) -> dict:
    from runtime.backends.torch_moe.generate import generate_ids
    from runtime.backends.torch_moe.loader import load_model
    from runtime.backends.torch_moe.tokenizer import HFTokenizer

    tok = HFTokenizer(model)
    dtype = dtype or ("bfloat16" if device.startswith("cuda") else "float32")
    net = load_model(model, device, dtype, n_ctx)
    prompt_ids = tok.encode(prompt)
    if len(prompt_ids) >= n_ctx:  # a raw prompt, never through the Engine's fit check
        raise ValueError(f"The prompt ({len(prompt_ids)} tokens) does not fit the {n_ctx}-token context; "
                         "give a larger --n-ctx.")
    ids = []
    for t in generate_ids(net, prompt_ids, n, lambda logits, _h: int(logits.argmax())):
        if t in tok.stop_ids:
            break
        ids.append(t)
    return {"prompt_ids": prompt_ids, "ids": ids, "text": tok.decode(ids)}


def _llama_cpp(model: str, prompt: str, n: int, n_ctx: int) -> dict:
    """Greedy through the app's own llama.cpp backend (llama_cpp stays imported only there)."""
    import numpy as np

    from runtime.backends.llama_cpp import LlamaCppBackend
    from runtime.types import Plan

    backend = LlamaCppBackend()
    backend.load(Plan(engine="llama_cpp", model_path=model, n_ctx=n_ctx), lambda f: None)
    llm = backend._llm
    try:
        # add_bos=True means "as the GGUF's tokenizer.ggml.add_bos_token says".
        prompt_ids = llm.tokenize(prompt.encode("utf-8"), add_bos=True, special=True)
        vocab, n_vocab = llm._model, llm.n_vocab()
        end = {vocab.token_eos(), vocab.token_eot()} - {-1}
        ids = []
        llm.eval(list(prompt_ids))
        for _ in range(min(n, n_ctx - len(prompt_ids))):
            # eval() keeps no logits without logits_all; read the last row from the context.
            row = np.ctypeslib.as_array(llm._ctx.get_logits_ith(-1), shape=(n_vocab,))
            t = int(np.argmax(row))
            if t in end:
                break
            ids.append(t)
            llm.eval([t])
        text = llm.detokenize(ids).decode("utf-8", errors="replace")
        return {"prompt_ids": list(prompt_ids), "ids": ids, "text": text}
    finally:
        backend.unload()


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def main(argv: Sequence[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m runtime generate", description=__doc__.split("\n")[0])
    p.add_argument("model", help="a Hugging Face folder (torch) or a .gguf file (llama_cpp)")
    p.add_argument("--engine", choices=("torch", "llama_cpp"),
                   help="default: llama_cpp for a .gguf file, torch for a folder")
    p.add_argument("--greedy", action="store_true", help="argmax decoding (the only mode here)")
    p.add_argument("--max-tokens", type=_positive, default=32)
    p.add_argument("--prompt", required=True)
    p.add_argument("--device", default="cpu", help="torch only: cpu or cuda:N")
    p.add_argument("--dtype", choices=("bfloat16", "float16", "float32"), help="torch only")
    p.add_argument("--n-ctx", type=int, default=2048)
    args = p.parse_args(list(argv))
    args.engine = args.engine or ("llama_cpp" if args.model.lower().endswith(".gguf") else "torch")
    try:
        if args.engine == "torch":
            out = _torch(args.model, args.prompt, args.max_tokens, args.device, args.dtype, args.n_ctx)
        else:
            out = _llama_cpp(args.model, args.prompt, args.max_tokens, args.n_ctx)
    except (DeskSeekError, ValueError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    print(json.dumps(out, ensure_ascii=False))
    return 0
