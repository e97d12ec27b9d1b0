"""Batch-1 decode on an NVIDIA GPU: torch engine vs transformers vs the bandwidth roofline.

    .venv/bin/python bench/bench_torch_gpu.py [--new 128] [--prompt 128] [--layers 27]

Random bf16 weights in the real DeepSeek-V2-Lite shapes are created directly on the GPU (no
download, no host copy); transformers gets views of the very same tensors, so both engines run
identical weights in ~31 GB. Without CUDA it prints a line and exits 0. Finishes in < 6 min on an
H200 (most of it torch.compile). Roofline = bytes one decode token must read / measured copy
bandwidth.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import torch  # noqa: E402

from bench_torch_shared import V2_LITE, build_hf, build_ours, decode_bytes  # noqa: E402


def copy_bandwidth(device: str) -> float:
    a = torch.empty(2**31 if device == "cuda" else 2**28, dtype=torch.uint8, device=device)
    b = torch.empty_like(a)
    b.copy_(a)
    sync = torch.cuda.synchronize if device == "cuda" else (lambda: None)
    sync()
    t = time.perf_counter()
    for _ in range(10):
        b.copy_(a)
    sync()
    return 2 * a.numel() * 10 / (time.perf_counter() - t)  # read + write


def rate(fn, n: int, sync) -> float:
    sync()
    t = time.perf_counter()
    fn()
    sync()
    return n / (time.perf_counter() - t)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--prompt", type=int, default=128)
    ap.add_argument("--new", type=int, default=128)
    ap.add_argument("--layers", type=int, default=27)
    ap.add_argument("--skip-hf", action="store_true")
    ap.add_argument("--device", default="cuda", help="cpu only to smoke-test this script")
    args = ap.parse_args()
    if args.device == "cuda" and not torch.cuda.is_available():
        print("bench_torch_gpu: skipped, no CUDA device")
        return 0
    dev = args.device
    sync = torch.cuda.synchronize if dev == "cuda" else (lambda: None)
    from runtime.backends.torch_moe.compiled import compiled_step
    from runtime.backends.torch_moe.generate import decode_step, generate_ids, prefill

    torch.manual_seed(0)
    raw = dict(V2_LITE, num_hidden_layers=args.layers)
    n_ctx = args.prompt + args.new + 8
    t0 = time.perf_counter()
    ours = build_ours(raw, n_ctx, dev)
    prompt = torch.randint(0, raw["vocab_size"], (args.prompt,)).tolist()
    out = {"device": torch.cuda.get_device_name() if dev == "cuda" else "cpu", "layers": args.layers, "prompt": args.prompt,
           "new": args.new, "build_s": round(time.perf_counter() - t0, 1)}
    greedy = lambda lg, _h: int(lg.argmax())  # noqa: E731

    def ours_run(step):
        def go():
            for _ in generate_ids(ours, prompt, args.new, greedy, step=step):
                pass
        return go

    def decode_only(step):
        prefill(ours, prompt)
        pos = len(prompt)

        def go():
            for i in range(args.new):
                step(ours, 1, pos + i)
        return go

    ours_run(decode_step)()  # warm-up
    out["ours_eager_tok_s"] = round(rate(decode_only(decode_step), args.new, sync), 1)
    step = decode_step
    if dev == "cuda":  # a cold compile on the CPU takes minutes and is not what this measures
        t = time.perf_counter()
        step = compiled_step(ours)
        ours_run(step)()  # compile + capture
        out["compile_s"] = round(time.perf_counter() - t, 1)
    out["ours_compiled_tok_s"] = round(rate(decode_only(step), args.new, sync), 1)
    out["ours_compiled_end_to_end_tok_s"] = round(rate(ours_run(step), args.new, sync), 1)
    bw = copy_bandwidth(dev)
    nbytes = decode_bytes(ours, args.prompt + args.new)
    out["bytes_per_token_gb"] = round(nbytes / 1e9, 2)
    out["copy_bandwidth_gb_s"] = round(bw / 1e9)
    out["roofline_tok_s"] = round(bw / nbytes, 1)
    out["ours_pct_of_roofline"] = round(100 * out["ours_compiled_tok_s"] / out["roofline_tok_s"], 1)
    if not args.skip_hf:
        hf = build_hf(raw, ours, dev)
        out["transformers_experts"] = getattr(hf.config, "_experts_implementation", None)
        ids = torch.tensor([prompt], device=dev)
        with torch.inference_mode():
            # Same weights, so the first positions' logits must agree (bf16 rounding aside).
            ours.setup_caches(1, n_ctx)
            mine = ours(ids[:, :16], torch.arange(16, device=dev), 16)
            theirs = hf(ids[:, :16]).logits.float()
            out["max_logit_diff_vs_transformers"] = round((mine - theirs).abs().max().item(), 4)
            out["argmax_agree_16"] = int((mine.argmax(-1) == theirs.argmax(-1)).sum())
            gen = lambda n: hf.generate(ids, max_new_tokens=n, min_new_tokens=n, do_sample=False)  # noqa: E731
            gen(4)
            t_one = 1 / rate(lambda: gen(1), 1, sync)
            t_all = 1 / rate(lambda: gen(args.new), 1, sync)
        out["transformers_tok_s"] = round((args.new - 1) / (t_all - t_one), 1)
        out["speedup_vs_transformers"] = round(out["ours_compiled_tok_s"] / out["transformers_tok_s"], 2)
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
