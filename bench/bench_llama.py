"""DeskSeek's llama.cpp engine against raw llama.cpp (llama-bench), same GGUF, same threads.

    python bench/bench_llama.py --llama-bench /path/to/llama-bench [--model M.gguf] [--rounds 5]
                                [--threads N] [--gen 64] [--append-results]

Rounds alternate (llama-bench, then DeskSeek), so a neighbour's load hits both alike; the
medians give the ratios of prompt and generation speeds. DeskSeek's speeds are measured through
runtime.engine.Engine exactly as the window uses it (chat template, sampling, streaming text);
llama-bench measures decoding alone. Build llama-bench from the source llama-cpp-python vendors:
    pip download --no-binary :all: --no-deps llama-cpp-python==<version>; cmake -B build
    -DLLAMA_BUILD_TOOLS=ON -DLLAMA_CURL=OFF; cmake --build build --target llama-bench -j2
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from runtime.engine import Engine  # noqa: E402
from runtime.hardware import probe  # noqa: E402
from runtime.modelfile import inspect  # noqa: E402
from runtime.planner import PlanPreferences, plan  # noqa: E402
from runtime.types import CancelToken, ChatMessage, Finished, GenerationOptions  # noqa: E402

RESULTS = Path(__file__).with_name("RESULTS.md")
SECTION = "## llama.cpp engine vs llama-bench (bench/bench_llama.py)"
FILLER = ("The quick brown fox jumps over the lazy dog while the river runs past the old mill. ")


def deskseek_round(engine: Engine, round_no: int, gen: int, filler_repeats: int,
                   app_sampling: bool = False) -> tuple[float, float, int]:
    """(prompt tokens/s, generation tokens/s, prompt tokens) for one chat turn."""
    ask = ("Now write a long story about a lighthouse keeper and the river." if app_sampling  # sampled
           else "Now count from 1 to 1000, comma separated.")  # greedy: a reply that never ends early
    messages = [ChatMessage("system", f"Session {round_no}. You count patiently."),  # no prefix reuse
                ChatMessage("user", FILLER * filler_repeats + ask)]
    if app_sampling:  # the window's defaults: temperature, top-k, top-p, repetition penalty
        options = GenerationOptions(max_tokens=gen, seed=round_no)
    else:  # greedy, the nearest to llama-bench, which samples nothing
        options = GenerationOptions(max_tokens=gen, temperature=0.0, top_k=1, repeat_penalty=1.0, seed=round_no)
    done = None
    for event in engine.stream(messages, options, CancelToken()):
        if isinstance(event, Finished):
            done = event
    if done is None or done.reason == "error" or not done.time_to_first_token_s:
        raise SystemExit(f"DeskSeek's generation failed: {done}")
    if done.completion_tokens < min(16, gen):  # a sampled reply may end early; the rate still counts what came
        raise SystemExit(f"DeskSeek stopped after {done.completion_tokens} tokens; too few to time")
    pp = done.prompt_tokens / done.time_to_first_token_s
    tg = (done.completion_tokens - 1) / max(1e-9, done.total_s - done.time_to_first_token_s)
    return pp, tg, done.prompt_tokens


def llama_bench_round(binary: str, model: str, threads: int, n_prompt: int, gen: int,
                      flash_attn: bool) -> tuple[float, float]:
    """(prompt tokens/s, generation tokens/s); generation after n_prompt tokens (-d), as in a chat.
    Flash attention as the plan has it, so both sides run the same kernels."""
    def run(extra: list[str]) -> float:
        cmd = [binary, "-m", model, "-t", str(threads), "-r", "1", "-fa", str(int(flash_attn)), "-ngl", "0",
               "-o", "json"]
        out = subprocess.run(cmd + extra, capture_output=True, text=True, check=True)
        return json.loads(out.stdout)[0]["avg_ts"]
    return run(["-p", str(n_prompt), "-n", "0"]), run(["-p", "0", "-n", str(gen), "-d", str(n_prompt)])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--llama-bench", required=True, help="path to the llama-bench binary")
    ap.add_argument("--model", help="GGUF file (default: the embedded SmolLM2)")
    ap.add_argument("--threads", type=int, help="default: the free physical cores the probe finds")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--gen", type=int, default=64)
    ap.add_argument("--filler", type=int, default=6, help="repeats of the filler sentence in the prompt")
    ap.add_argument("--app-sampling", action="store_true",
                    help="sample as the window does (temperature 0.7, top-k/top-p, repeat penalty 1.1) "
                         "instead of greedy")
    ap.add_argument("--append-results", action="store_true", help=f"append a row to {RESULTS.name}")
    args = ap.parse_args(argv)
    if args.model is None:
        from runtime.default_model import default_model_path
        args.model = str(default_model_path())
    hw = probe()
    threads = args.threads or hw.free_physical_cores
    chosen = plan(hw, inspect(args.model), PlanPreferences(n_ctx=2048, use_gpu=False, n_threads=threads)).plans[0]
    chosen = replace(chosen, n_threads=threads)
    engine = Engine()
    engine.load([chosen])
    deskseek_round(engine, -1, 8, args.filler)  # warm-up: page in the weights
    ours, theirs, n_prompt = [], [], 0
    for r in range(args.rounds):
        pp, tg, n_prompt = deskseek_round(engine, r, args.gen, args.filler, args.app_sampling)
        ours.append((pp, tg))
        theirs.append(llama_bench_round(args.llama_bench, args.model, threads, n_prompt, args.gen,
                                        chosen.flash_attn))
        print(f"round {r}: DeskSeek pp {pp:7.1f} tg {tg:6.1f} | llama-bench pp {theirs[-1][0]:7.1f} "
              f"tg {theirs[-1][1]:6.1f} tokens/s", flush=True)
    engine.unload()
    med = lambda rows, i: statistics.median(x[i] for x in rows)  # noqa: E731
    # each round's two runs are seconds apart: the median of per-round ratios cancels most of
    # a neighbour's load, which medians taken apart would not
    pp_ratio = statistics.median(o[0] / t[0] for o, t in zip(ours, theirs))
    tg_ratio = statistics.median(o[1] / t[1] for o, t in zip(ours, theirs))
    sampling = "window's sampling" if args.app_sampling else "greedy"
    row = (f"| {time.strftime('%Y-%m-%d')} | {Path(args.model).name}, {sampling} | {platform.processor() or platform.machine()} "
           f"| {threads} | {n_prompt} / {args.gen} | {med(ours, 0):.1f} / {med(theirs, 0):.1f} | "
           f"{med(ours, 1):.1f} / {med(theirs, 1):.1f} | {pp_ratio:.3f} | {tg_ratio:.3f} | {args.rounds} "
           f"| {os.getloadavg()[0]:.1f} |")
    print(f"\nmedian prompt ratio {pp_ratio:.3f}, generation ratio {tg_ratio:.3f} (goal >= 0.97)")
    if args.append_results:
        append(row)
    return 0


def append(row: str) -> None:
    header = ("| date | model | cpu | threads | prompt / gen tokens | prompt tok/s DeskSeek / llama-bench "
              "| gen tok/s DeskSeek / llama-bench | prompt ratio | gen ratio | rounds | load avg |\n"
              "|---|---|---|---|---|---|---|---|---|---|---|")
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
    if SECTION not in text:
        text = text.rstrip("\n") + f"\n\n{SECTION}\n\n{header}\n"
    head, _, tail = text.partition(SECTION)
    lines = tail.split("\n")
    end = next((i for i, ln in enumerate(lines) if ln.startswith("## ")), len(lines))  # next section
    # the section's first table (the ratio rows), not the estimator table below it
    first = next(i for i, ln in enumerate(lines[:end]) if ln.startswith("|"))
    last = next((i - 1 for i in range(first, end) if not lines[i].startswith("|")), end - 1)
    lines.insert(last + 1, row)
    RESULTS.write_text(head + SECTION + "\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
