"""The planner's table for docs/PLANNER.md, computed from published config.json values.

    python -m runtime.planning.table tests/fixtures/models/configs docs/PLANNER.md

rewrites the part of the document between the GENERATED markers; a test checks it is current.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from runtime.hardware import GpuInfo, HardwareInfo
from runtime.modelfile import ModelInfo, from_config
from runtime.modelfile.arch import kv_bytes_per_token
from runtime.planner import plan
from runtime.planning.words import size
from runtime.types import Plan

BEGIN, END = "<!-- BEGIN GENERATED: python -m runtime.planning.table -->", "<!-- END GENERATED -->"
GPUS_GB = (0, 8, 12, 16, 24, 48, 80, 141)
RAMS_GB = (32, 64, 128)
QUANTS = (("Q8_0", 8.5), ("Q4_K_M", 4.85))
ORDER = ("deepseek-llm-7b-chat", "deepseek-llm-67b-chat", "deepseek-moe-16b-chat", "DeepSeek-V2-Lite-Chat",
         "DeepSeek-R1-Distill-Qwen-7B", "DeepSeek-R1-Distill-Qwen-14B", "DeepSeek-R1-Distill-Qwen-32B",
         "DeepSeek-V3")


def variants(name: str, cfg: dict) -> list[ModelInfo]:
    """The Hugging Face bf16 folder and the two common GGUF quants of one model."""
    out = [from_config(cfg, name, "hf", 16.0)]
    out += [from_config(cfg, f"{name} {q}", "gguf", bpw, q) for q, bpw in QUANTS]
    return out


def machine(gpu_gb: int, ram_gb: int) -> HardwareInfo:
    """An idle desktop: 97% of the GPU and 90% of the RAM free, 8 cores, a CUDA llama.cpp."""
    total = gpu_gb * 10**9
    gpus = (GpuInfo(0, f"{gpu_gb} GB GPU", total, total - total // 32, (8, 9), "GPU-table", 1e12),) if gpu_gb else ()
    return HardwareInfo(gpus, ram_gb << 30, int((ram_gb << 30) * 0.9), 8, 8, bool(gpu_gb))


def cell(p: Plan | None, summary: str) -> str:
    if p is None:
        fit = re.search(r"An? (\S+) GGUF \(about", summary)
        return "none" + (f" ({fit.group(1)} would fit)" if fit else " (needs more memory)")
    if p.engine == "torch":
        text = f"torch {p.dtype}"
    else:
        quant = p.model_path.rsplit(" ", 1)[-1]
        if p.device == "cpu":
            text = f"{quant} CPU"
        elif p.n_cpu_moe_layers and p.n_gpu_layers > p.n_cpu_moe_layers:
            text = f"{quant} GPU, experts of {p.n_cpu_moe_layers} layers in RAM"
        elif p.n_cpu_moe_layers:
            text = f"{quant} {p.n_gpu_layers} layers on GPU, experts in RAM"
        else:
            n = p.n_gpu_layers
            text = f"{quant} all on GPU" if "All " in p.reason else f"{quant} {n} layers on GPU"
    if p.kv_type != "f16":
        text += f", KV {p.kv_type}"
    text += f", {tokens_short(p.n_ctx)} ctx"
    return text + (f", ≈{p.est_decode_tok_s:.0f} tok/s" if p.est_decode_tok_s else "")


def tokens_short(n: int) -> str:
    """A context for people: 32768 -> "32K", 163840 -> "160K"."""
    return f"{n // 1024}K" if n >= 1024 and n % 1024 == 0 else str(n)


def render(config_dir: Path) -> str:
    configs = {p.stem: json.loads(p.read_text()) for p in sorted(Path(config_dir).glob("*.json"))}
    names = [n for n in ORDER if n in configs] + sorted(set(configs) - set(ORDER))
    lines = ["| model | params (active) | layers | KV cache per token (f16) | bf16 | Q8_0 | Q4_K_M |",
             "|---|---|---|---|---|---|---|"]
    for name in names:
        hf, q8, q4 = variants(name, configs[name])
        active = f" ({hf.n_active_params / 1e9:.1f}B)" if hf.n_experts else ""
        lines.append(f"| {name} | {hf.n_params / 1e9:.1f}B{active} | {hf.n_layers} | "
                     f"{kv_bytes_per_token(hf.hparams) / 1024:.0f} KiB{' (MLA latent)' * hf.hparams.is_mla} | "
                     f"{size(hf.weight_bytes)} | "
                     f"{size(q8.weight_bytes)} | {size(q4.weight_bytes)} |")
    for name in names:
        models = variants(name, configs[name])
        lines += ["", f"### {name}", "", "| GPU | " + " | ".join(f"{r} GB RAM" for r in RAMS_GB) + " |",
                  "|---" * (len(RAMS_GB) + 1) + "|"]
        for gpu in GPUS_GB:
            cells = []
            for ram in RAMS_GB:
                result = plan(machine(gpu, ram), models)
                cells.append(cell(result.plans[0] if result.plans else None, result.summary))
            lines.append(f"| {f'{gpu} GB' if gpu else 'none'} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def update(doc: str, table: str) -> str:
    head, _, rest = doc.partition(BEGIN)
    _, _, tail = rest.partition(END)
    return f"{head}{BEGIN}\n{table}\n{END}{tail}"


if __name__ == "__main__":
    config_dir, doc_path = Path(sys.argv[1]), Path(sys.argv[2])
    doc_path.write_text(update(doc_path.read_text(), render(config_dir)))
