"""`plan MODEL`: inspect the model, probe (or describe) the machine, print the plans."""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict

from runtime.cli.machine import described, parse_gpu, parse_rate, parse_size
from runtime.hardware import HardwareInfo, probe
from runtime.loading import is_server_url, plans_for
from runtime.modelfile import ModelInfo, inspect
from runtime.planner import PlanPreferences, PlanResult, plan
from runtime.planning.words import size


def add_parser(sub) -> None:
    p = sub.add_parser("plan", help="show how a model would run on this (or a described) machine")
    p.add_argument("model", nargs="?", help="a .gguf file or a Hugging Face folder (default: the embedded model)")
    add_machine_args(p)
    p.add_argument("--json", action="store_true", help="print the plans as JSON")
    p.set_defaults(run=run)


def add_machine_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--gpu", action="append", type=parse_gpu, metavar="NAME:SIZE[:CC]",
                   help='plan for this GPU instead of the real ones, e.g. "RTX 4090:24GiB" (repeatable)')
    p.add_argument("--no-gpu", action="store_true", help="plan for a machine without a GPU")
    p.add_argument("--ram", type=parse_size, help="plan for this much RAM, e.g. 64GiB")
    p.add_argument("--cores", type=int, help="plan for this many free physical cores")
    p.add_argument("--bandwidth", type=parse_rate, metavar="RATE",
                   help="the RAM's bandwidth, e.g. 400GB/s (sets the speed of experts in RAM)")
    p.add_argument("--disk-speed", type=parse_rate, metavar="RATE",
                   help="the models disk's read speed, e.g. 7GB/s: allows the last resort of a model a "
                        "little larger than RAM, memory-mapped from disk")
    p.add_argument("--ctx", type=int,
                   help="context length in tokens (default: the longest that fits comfortably, up to the "
                        "trained length)")
    p.add_argument("--engine", choices=("llama_cpp", "torch"), help="only plans for this engine")
    p.add_argument("--no-kv-quant", action="store_true", help="never quantize the KV cache to fit")
    p.add_argument("--keep-context", action="store_true", help="never shorten the context to fit")


def model_path(arg: str | None) -> str:
    if arg:
        return arg
    from runtime.default_model import default_model_path

    path = default_model_path()
    if path is None:
        raise SystemExit("deskseek: give a model path (the embedded model is not installed).")
    return str(path)


def machine_and_prefs(args) -> tuple[HardwareInfo, PlanPreferences]:
    gpus = [] if args.no_gpu else args.gpu
    hw = described(probe(), gpus, args.ram, args.cores, args.bandwidth, args.disk_speed)
    prefs = PlanPreferences(n_ctx=args.ctx, engine=args.engine, allow_kv_quant=not args.no_kv_quant,
                            allow_smaller_context=not args.keep_context)
    return hw, prefs


def run(args) -> int:
    path = model_path(args.model)
    if is_server_url(path):  # nothing to plan here: the server runs it
        print(f"Plan 1: remote — {plans_for(path)[0].reason}")
        return 0
    model = inspect(path)
    hw, prefs = machine_and_prefs(args)
    return print_plan(model, hw, plan(hw, model, prefs), args.json)


def print_plan(model: ModelInfo, hw, result, as_json: bool) -> int:
    """The planner's answer on stdout, as text or JSON; the exit status says whether it runs."""
    if as_json:
        json.dump({"model": model_json(model), "summary": result.summary,
                   "plans": [asdict(p) for p in result.plans]}, sys.stdout, indent=1, default=str)
        print()
    else:
        print(render(model, hw, result))
    return 0 if result.plans else 2


def model_json(m: ModelInfo) -> dict:
    keep = ("path", "format", "name", "arch", "n_params", "n_active_params", "n_experts", "n_layers",
            "kv_bytes_per_token", "ctx_train", "file_bytes", "dtype")
    return {k: getattr(m, k) for k in keep} | {"chat_template": m.chat_template is not None}


def render(m: ModelInfo, hw: HardwareInfo, result: PlanResult) -> str:
    experts = f", {m.n_experts} experts ({m.n_experts_used} per token)" if m.n_experts else ""
    lines = [f"Model:   {m.name} — {m.arch}, {m.n_params / 1e9:.2f}B parameters{experts}, {m.dtype}, "
             f"{size(m.file_bytes)}, trained context {m.ctx_train}"
             + ("" if m.chat_template else ", no chat template")]
    gpus = "; ".join(f"cuda:{g.index} {g.name} {size(g.free_bytes)} free of {size(g.total_bytes)}" for g in hw.gpus)
    lines.append(f"Machine: {gpus or 'no GPU' + (f' ({hw.notes[0]})' if hw.notes else '')}; RAM "
                 f"{size(hw.ram_available_bytes)} free of {size(hw.ram_bytes)}; "
                 f"{hw.free_physical_cores}/{hw.physical_cores} physical cores free")
    if not result.plans:
        lines.append(f"No plan: {result.summary}")
    for i, p in enumerate(result.plans, 1):
        where = ", ".join(f"{dev} {size(b)}" for dev, b in p.est_bytes.items() if b)
        lines.append(f"Plan {i}: {p.engine} on {p.device} — context {p.n_ctx}, KV {p.kv_type}"
                     + (f", {p.dtype}" if p.dtype else "")
                     + (f", {p.n_gpu_layers} GPU layers" if p.n_gpu_layers else "")
                     + (f", experts of {p.n_cpu_moe_layers} layers in RAM" if p.n_cpu_moe_layers else "")
                     + (f", {size(p.mmap_from_disk_bytes)} mapped from disk" if p.mmap_from_disk_bytes else "")
                     + (", flash attention" if p.flash_attn else "")
                     + (f", {p.n_threads} thread{'s' * (p.n_threads != 1)}" if p.engine == "llama_cpp" else "")
                     + f"; estimated {where}"
                     + (f", ≈{p.est_decode_tok_s:g} tokens/s" if p.est_decode_tok_s else ""))
        lines.append(f"  {p.reason}")
    return "\n".join(lines)
