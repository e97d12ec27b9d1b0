"""Decode tokens/s of the torch engine vs transformers' generate, same weights, on the CPU.

    .venv/bin/python bench/bench_torch_cpu.py [--prompts 128 1024] [--new 16] [--repeats 3]

A DeepSeek-V2-Lite-shaped model, cut down to fit a small machine: the real attention (16 heads,
MLA rank 512, no q-LoRA, YaRN), hidden 2048, one dense layer then MoE layers with 6 routed + 2
shared experts of the real size, but fewer layers and experts and a 32k vocabulary. Random fp32
weights are made once; transformers views the same tensors. Runs alternate between engines.
Decode rate = (N - 1) / (time for N new tokens - time for 1), so prefill cancels out.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import torch  # noqa: E402

from bench_torch_shared import V2_LITE, build_hf, build_ours  # noqa: E402

SHAPE = dict(V2_LITE, vocab_size=32000, num_hidden_layers=4, n_routed_experts=16)


def time_ours(model, prompt: list[int], n: int) -> float:
    from runtime.backends.torch_moe.generate import generate_ids

    start = time.perf_counter()
    for _ in generate_ids(model, prompt, n, lambda lg, _h: int(lg.argmax())):
        pass
    return time.perf_counter() - start


def time_hf(hf, prompt: list[int], n: int) -> float:
    ids = torch.tensor([prompt])
    start = time.perf_counter()
    with torch.inference_mode():
        hf.generate(ids, max_new_tokens=n, min_new_tokens=n, do_sample=False, pad_token_id=0)
    return time.perf_counter() - start


def decode_rate(fn, engine, prompt, n) -> float:
    return (n - 1) / (fn(engine, prompt, n) - fn(engine, prompt, 1))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--prompts", type=int, nargs="+", default=[128, 1024])
    ap.add_argument("--new", type=int, default=16)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--threads", type=int, default=1,
                    help="1 by default: on a shared machine a descheduled OpenMP thread makes "
                         "multi-threaded timings swing 10x")
    ap.add_argument("--dtype", choices=("float32", "bfloat16"), default="float32")
    ap.add_argument("--results", default=None, help="append a markdown table to this file")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    ours = build_ours(SHAPE, max(args.prompts) + args.new + 8, "cpu", getattr(torch, args.dtype))
    hf = build_hf(SHAPE, ours, "cpu")
    g = torch.Generator().manual_seed(1)
    rows = []
    for p in args.prompts:
        prompt = torch.randint(3, SHAPE["vocab_size"], (p,), generator=g).tolist()
        ours_r, hf_r = [], []
        for _ in range(args.repeats):  # alternate, so drift in machine load hits both
            ours_r.append(decode_rate(time_ours, ours, prompt, args.new))
            hf_r.append(decode_rate(time_hf, hf, prompt, args.new))
        o, h = statistics.median(ours_r), statistics.median(hf_r)
        rows.append((p, o, h, o / h))
        print(json.dumps({"prompt": p, "ours_tok_s": round(o, 2), "transformers_tok_s": round(h, 2),
                          "speedup": round(o / h, 2), "ours_runs": [round(x, 2) for x in ours_r],
                          "hf_runs": [round(x, 2) for x in hf_r]}), flush=True)
    table = ["| prompt tokens | torch engine tok/s | transformers tok/s | speedup |",
             "|---:|---:|---:|---:|"]
    table += [f"| {p} | {o:.1f} | {h:.1f} | {s:.2f}x |" for p, o, h, s in rows]
    print("\n".join(table))
    if args.results:
        with open(args.results, "a", encoding="utf-8") as f:
            f.write("\n".join(table) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
