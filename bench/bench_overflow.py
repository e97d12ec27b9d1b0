"""Prompts over the context: questions about documents in every script, quoted as the window
quotes them, counted by real models (their GGUF tokenizer through their own chat template, as the
engine's fit check counts), at n_ctx 4096 and 8192 with the window's reply length (1024).

    .venv/bin/python bench/bench_overflow.py             # appends to bench/RESULTS.md
    .venv/bin/python bench/bench_overflow.py --no-record

For each model, script and context: how many of the questions' requests are over the context
(the engine would refuse them: "The last message takes N tokens ...") on three paths:
  before  the rule before issue 14 (1,000-character passages, 2 tokens a Chinese character and
          1/3 a token any other), reimplemented here as the anchor;
  bound   this branch without the model's tokenizer (`deskseek passages`, a server);
  model   this branch with the model's own count (the window with a local model);
and, for the last two, how full the passages' share of the context is (real tokens of the
quoted message over the limit it was given), so "never over" is not bought by quoting little.
"""
from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.documents.chunk import split_text  # noqa: E402
from app.documents.quote import TEMPLATE_TOKENS, quote_documents  # noqa: E402
from app.documents.read import read_document  # noqa: E402
from app.store import open_store  # noqa: E402
from runtime.engine import Engine  # noqa: E402
from runtime.prompting import (PromptTooLongError, fit_messages, passage_budget_tokens,  # noqa: E402
                               reply_reserve, with_passages)
from runtime.types import ChatMessage, Plan  # noqa: E402
from tests.fixtures.models import real  # noqa: E402
from tests.fixtures.scripts import SCRIPTS  # noqa: E402

REPLY = 1024  # the window's default reply length (app.settings)
CONTEXTS = (4096, 8192)


def old_estimate(text: str) -> float:
    """runtime.prompting.estimate_tokens before issue 14's first item."""
    cjk = sum(1 for ch in text if "\u3040" <= ch <= "\u30ff" or "\u3400" <= ch <= "\u4dbf"
              or "\u4e00" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\uac00" <= ch <= "\ud7af")
    return cjk * 2 + (len(text) - cjk) / 3


def documents() -> dict[str, str]:
    rng = random.Random(14)
    out = {}
    for script, paras in SCRIPTS.items():
        if script in ("emoji",):
            continue
        body = [rng.choice(paras) + f" ({k})" for k in range(60)]  # ~60 paragraphs, each a little different
        out[script] = "\n\n".join(body)
    return out


def questions(script: str, n: int = 8) -> list[str]:
    rng = random.Random(script)
    sentences = [s for p in SCRIPTS[script] for s in split_text(p, size=30, overlap=0, cost=old_estimate)]
    return [rng.choice(sentences)[:80] for _ in range(n)]


def fits(engine: Engine, messages: list[ChatMessage], n_ctx: int) -> bool:
    try:
        fit_messages(messages, n_ctx, reply_reserve(n_ctx, REPLY), engine.count_tokens)
    except PromptTooLongError:
        return False
    return True


def before(store, cid: str, question: str, n_ctx: int) -> list[ChatMessage]:
    """The old path: its passages as find_passages chose them from 1,000-character passages."""
    budget = passage_budget_tokens(n_ctx, reply_reserve(n_ctx, REPLY))
    found = store.find_passages(cid, question, budget, old_estimate)
    return [ChatMessage("user", with_passages(question, [(p.name, p.location, p.text) for p in found]))]


def run(model: str, path: Path) -> list[tuple]:
    engine = Engine()
    engine.load([Plan(engine="llama_cpp", model_path=str(path), n_ctx=512, n_threads=1)])
    rows = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            new = open_store(Path(tmp) / "new.sqlite3")
            old = open_store(Path(tmp) / "old.sqlite3")
            for script, text in documents().items():
                file = Path(tmp) / f"{script}.txt"
                file.write_text(text, encoding="utf-8")
                cid = new.create_conversation().id
                read_document(new, cid, file)
                old_cid = old.create_conversation().id
                old.add_document(old_cid, file.name, text.encode(), "text", 0,
                                 [("", t) for t in split_text(text, size=1000, overlap=150, cost=len)])
                for n_ctx in CONTEXTS:
                    over = {"before": 0, "bound": 0, "model": 0}
                    fill = {"bound": [], "model": []}
                    seconds = []
                    asked = questions(script)
                    limit = min(passage_budget_tokens(n_ctx, reply_reserve(n_ctx, REPLY)),
                                n_ctx - reply_reserve(n_ctx, REPLY) - TEMPLATE_TOKENS)
                    for q in asked:
                        over["before"] += not fits(engine, before(old, old_cid, q, n_ctx), n_ctx)
                        for label, counter in (("bound", None), ("model", engine.count_text_tokens)):
                            history = [ChatMessage("user", q)]
                            t = time.perf_counter()
                            quote_documents(new, cid, history, n_ctx, REPLY, count_tokens=counter)
                            seconds.append(time.perf_counter() - t)
                            over[label] += not fits(engine, history, n_ctx)
                            fill[label].append(engine.count_text_tokens(history[0].content) / limit)
                    rows.append((model, script, n_ctx, len(asked), over["before"], over["bound"], over["model"],
                                 sum(fill["bound"]) / len(asked), sum(fill["model"]) / len(asked),
                                 sorted(seconds)[len(seconds) // 2] * 1000))
                    print(rows[-1], flush=True)
            new.close()
            old.close()
    finally:
        engine.unload()
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--no-record", action="store_true")
    args = ap.parse_args()
    models = {"SmolLM2-135M": real.smollm2(), "gemma-3-270m": real.gemma3_270m()}
    rows = [row for name, path in models.items() if path for row in run(name, path)]
    header = ("| model | script | n_ctx | questions | over: before | over: bound | over: model | "
              "share filled: bound | share filled: model | quote, median ms |\n"
              "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    lines = [f"| {m} | {s} | {n} | {q} | {b} | {e} | {c} | {fb:.0%} | {fc:.0%} | {ms:.1f} |"
             for m, s, n, q, b, e, c, fb, fc, ms in rows]
    total = [sum(r[i] for r in rows) for i in (3, 4, 5, 6)]
    lines.append(f"| all | | | {total[0]} | {total[1]} | {total[2]} | {total[3]} | | | |")
    table = header + "\n" + "\n".join(lines)
    print(table)
    if not args.no_record:
        when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M")
        load = ", load average %.1f" % os.getloadavg()[0] if hasattr(os, "getloadavg") else ""
        machine = f"{platform.machine()}, {os.cpu_count()} CPUs{load}, Python {platform.python_version()}"
        with open(Path(__file__).with_name("RESULTS.md"), "a", encoding="utf-8") as f:
            f.write(f"\n## Documents: prompts over the context, by script ({when} UTC)\n\n"
                    f"`.venv/bin/python bench/bench_overflow.py` on {machine}\n\n{table}\n")


if __name__ == "__main__":
    main()
