"""Tokens per character by script, with real tokenizers, and whether runtime.token_estimate's
bound holds: the table in runtime/token_estimate.py comes from this.

    .venv/bin/python bench/bench_token_rates.py --vocabs DIR     # appends to bench/RESULTS.md
    .venv/bin/python bench/bench_token_rates.py --no-record

Tokenizers: the embedded SmolLM2 and gemma3 GGUFs, and with --vocabs the vocabulary-only GGUFs
that llama.cpp keeps for its tokenizer tests (vendor/llama.cpp/models/ggml-vocab-*.gguf in the
llama-cpp-python source: DeepSeek-LLM, DeepSeek-Coder, Qwen2, Llama 3, Llama 2, Phi-3, GPT-2,
Falcon, ...; the two BERT vocabularies are left out, they generate nothing), each loaded with
llama.cpp itself (vocab_only=True).

Texts: tests/fixtures/scripts.py (the texts the bound was fitted on: paragraphs, and each
sentence with 2 tokens of slack for a text's own start), and, held out, the translations Qt ships
(PySide6's qtbase_*.qm: Russian, Ukrainian, Arabic, Persian, Hebrew, Japanese, Korean, Chinese,
Georgian, German, French): each language's strings as one text, and each string alone (slack 2).
The anchor of each row is the real count; "bound / real" under 1.00 would be an underestimate.
"""
from __future__ import annotations

import argparse
import os
import platform
import re
import struct
import sys
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from runtime.token_estimate import estimate_tokens  # noqa: E402
from tests.fixtures.models import real  # noqa: E402
from tests.fixtures.scripts import SCRIPTS  # noqa: E402

QT_LANGUAGES = ("ru", "uk", "ar", "fa", "he", "ja", "ko", "zh_CN", "ka", "de", "fr")
_SENTENCE = re.compile(r"(?<=[.!?。！？।])\s*")


def tokenizers(vocabs: Path | None) -> dict[str, object]:
    import llama_cpp

    paths = {"SmolLM2": real.smollm2(), "gemma3": real.gemma3_270m()}
    if vocabs:
        for f in sorted(vocabs.glob("ggml-vocab-*.gguf")):
            name = f.stem.removeprefix("ggml-vocab-")
            if "bert" not in name:
                paths[name] = f
    out = {}
    for name, path in paths.items():
        if path:
            llm = llama_cpp.Llama(model_path=str(path), vocab_only=True, verbose=False)
            out[name] = lambda text, llm=llm: len(llm.tokenize(text.encode("utf-8"), add_bos=False, special=False))
    return out


def qm_strings(path: Path) -> list[str]:
    """The translations in a Qt .qm file (its messages block: tag 3 is a UTF-16 translation)."""
    data, i, out = path.read_bytes(), 16, []
    while i < len(data):
        tag, n = data[i], struct.unpack(">I", data[i + 1:i + 5])[0]
        block, i = data[i + 5:i + 5 + n], i + 5 + n
        j = 0
        while tag == 0x69 and j < len(block):
            t, j = block[j], j + 1
            if t in (3, 6, 7, 8):
                m, j = struct.unpack(">I", block[j:j + 4])[0], j + 4
                if m != 0xFFFFFFFF:
                    if t == 3:
                        out.append(block[j:j + m].decode("utf-16-be", "replace"))
                    j += m
            elif t == 5:
                j += 4
            elif t != 1:
                raise ValueError(f"{path.name}: unknown tag {t}")
    return out


def worst(count, texts: list[str], slack: float) -> float:
    return min((estimate_tokens(t) + slack) / count(t) for t in texts if count(t))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--vocabs", type=Path, help="a folder of llama.cpp's ggml-vocab-*.gguf files")
    ap.add_argument("--no-record", action="store_true")
    args = ap.parse_args()
    toks = tokenizers(args.vocabs)
    scripts = list(SCRIPTS)
    rate = "| tokenizer | " + " | ".join(scripts) + " |\n|---|" + "---:|" * len(scripts) + "\n"
    for name, count in toks.items():
        rate += f"| {name} | " + " | ".join(
            f"{count(t) / len(t):.2f}" for t in ("\n\n".join(SCRIPTS[s]) for s in scripts)) + " |\n"
    rate += "| **the bound** | " + " | ".join(
        f"{estimate_tokens(t) / len(t):.2f}" for t in ("\n\n".join(SCRIPTS[s]) for s in scripts)) + " |\n"

    check = ("| texts | worst bound / real, whole (tokenizer) | worst, each sentence or string with 2 of slack "
             "(tokenizer) | strings under the bound (worst tokenizer) |\n|---|---:|---:|---:|\n")
    failures = 0
    for s in scripts:
        whole = SCRIPTS[s] + ["\n\n".join(SCRIPTS[s])]
        sentences = [x for p in SCRIPTS[s] for x in _SENTENCE.split(p) if len(x) > 20]
        big = {name: worst(c, whole, 0) for name, c in toks.items()}
        small = {name: worst(c, sentences, 2) for name, c in toks.items()}
        b, m = min(big, key=big.get), min(small, key=small.get)
        failures += big[b] < 1 or small[m] < 1
        check += f"| fitted: {s} | {big[b]:.2f} ({b}) | {small[m]:.2f} ({m}) | |\n"
    import PySide6

    qt = Path(PySide6.__file__).parent / "Qt" / "translations"
    for lang in QT_LANGUAGES:
        strings = [x for x in qm_strings(qt / f"qtbase_{lang}.qm") if x.strip()]
        big = {name: worst(c, ["\n".join(strings)], 0) for name, c in toks.items()}
        small = {name: worst(c, strings, 2) for name, c in toks.items()}
        under = {name: sum(estimate_tokens(x) + 2 < c(x) for x in strings) for name, c in toks.items()}
        b, m, u = min(big, key=big.get), min(small, key=small.get), max(under, key=under.get)
        failures += big[b] < 1
        check += (f"| held out: Qt's {lang}, {len(strings)} strings | {big[b]:.2f} ({b}) | {small[m]:.2f} ({m}) | "
                  f"{under[u]} ({under[u] / len(strings):.1%}, {u}) |\n")
    verdict = ("The bound holds for every whole text (a document's passages) in every tokenizer; short single "
               "strings (UI labels, rare words) can fall under it, as the last columns show." if not failures
               else f"**The bound fails for {failures} whole texts or fitted sentences.**")
    report = (f"Tokens per character, whole samples:\n\n{rate}\n"
              f"The bound against each real count:\n\n{check}\n{verdict}\n")
    print(report)
    if not args.no_record:
        when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M")
        machine = f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
        cmd = ".venv/bin/python bench/bench_token_rates.py" + (" --vocabs DIR" if args.vocabs else "")
        with open(Path(__file__).with_name("RESULTS.md"), "a", encoding="utf-8") as f:
            f.write(f"\n## Tokens per character, by script ({when} UTC)\n\n`{cmd}` on {machine} "
                    f"({len(toks)} tokenizers)\n\n{report}")


if __name__ == "__main__":
    main()
