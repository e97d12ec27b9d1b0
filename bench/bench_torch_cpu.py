"""Decode tokens/s of the torch engine vs transformers' generate, same random weights, on the CPU.

    .venv/bin/python bench/bench_torch_cpu.py [--prompts 128 1024] [--new 32] [--repeats 3]

Builds a scaled-down DeepSeek-V2-Lite-shaped model (MLA without q-LoRA, 64 experts, 6 routed +
2 shared, one dense first layer), saves it, loads it in both engines, and alternates runs.
Decode rate = (N - 1) / (time for N new tokens - time for 1 new token), so prefill cancels out.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import torch  # noqa: E402

SHAPE = dict(vocab_size=32000, hidden_size=1024, intermediate_size=2816, num_hidden_layers=8,
             num_attention_heads=8, num_key_value_heads=8, q_lora_rank=None, kv_lora_rank=256,
             qk_nope_head_dim=64, qk_rope_head_dim=32, v_head_dim=64, n_routed_experts=64,
             num_experts_per_tok=6, n_shared_experts=2, moe_intermediate_size=352,
             first_k_dense_replace=1, topk_method="greedy", n_group=1, topk_group=1,
             norm_topk_prob=False, routed_scaling_factor=1.0, max_position_embeddings=4096)


def build(path: Path):
    from transformers import DeepseekV2Config, DeepseekV2ForCausalLM

    torch.manual_seed(0)
    hf = DeepseekV2ForCausalLM(DeepseekV2Config(**SHAPE)).eval()
    hf.save_pretrained(path)
    return hf


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
    ap.add_argument("--new", type=int, default=32)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--results", default=None, help="append a markdown table to this file")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    from runtime.backends.torch_moe.loader import load_model

    with tempfile.TemporaryDirectory() as tmp:
        hf = build(Path(tmp))
        ours = load_model(tmp, "cpu", "float32", n_ctx=max(args.prompts) + args.new + 8)
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
