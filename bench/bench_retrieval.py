"""Retrieval benchmark: questions in any language, on our own bilingual set (bench/docs_eval).

    nice -n 10 .venv/bin/python bench/bench_retrieval.py                 # everything, ~10 min on 2 cores
    nice -n 10 .venv/bin/python bench/bench_retrieval.py --skip-pdf       # no 300-page PDF

Through the app's own path: each document is read by app.documents.read.read_document into a real
store file (two conversations: every document but the English twin of the Chinese report, and every
document but the Chinese twin, so a question finds its answer only in the language it is about),
embedded by app.documents.read's embed_passages with each candidate model, and each question is
put through app.documents.quote.quote_documents at n_ctx 4096 and 8192 (reply 1024, the window's
default), as the window sends it: counted with SmolLM2's own tokenizer, as the window counts with
a local model's (--estimate: by the estimated tokens alone, as with a server model).

- recall@5: a passage quoting the answer (whitespace aside) is among the ranking's first five
  (app.store.passage_ranking, the order offered to the budget).
- hit@budget: a passage quoting the answer is among those quote_documents gives the model.
- ranking: bm25 over the question's words and over their translation by the bilingual
  dictionary, fused with meaning ("words" = no embedding model; --no-dictionary: as before it).
- over context: the quoted question, counted with SmolLM2's own tokenizer (+16 for the chat
  template), plus the reply reserve, is more than n_ctx.
- embedding speed: passages/s while the set is embedded (the reading thread's batches).
- search: meaning_order over 1k/10k/100k stored vectors (SQLite BLOBs -> numpy -> top 50).
- the 300-page PDF of bench_documents.py: read + indexed, and embedded (measured on its first
  passages and extrapolated, said so; --pdf-sample 0: all of them, batches committed as the reading
  thread does), as a ratio to bare pypdfium2 in the same run.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # the long PDF is written by Qt
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from app.documents import embedding  # noqa: E402
from app.documents.meaning import embed_passages, meaning_order  # noqa: E402
from app.documents.quote import quote_documents  # noqa: E402
from app.documents.read import read_document  # noqa: E402
from app.store import open_store  # noqa: E402
from app.store.passage_ranking import ranked_passages  # noqa: E402
from runtime.prompting import reply_reserve  # noqa: E402
from runtime.types import ChatMessage  # noqa: E402

EVAL = ROOT / "bench" / "docs_eval"
TWINS = {"hengyuan_2025_report_en.md": "hengyuan_2025_report_zh.pdf",
         "hengyuan_2025_report_zh.pdf": "hengyuan_2025_report_en.md"}
PAIRS = ("zh->zh", "en->en", "zh->en", "en->zh")
REPLY = 1024
ESTIMATE = False  # --estimate: quote by the estimated tokens alone (a server model: no tokenizer at hand)


class WordsOnly:
    """No embedding model: meaning_order finds no vectors of this name, so bm25 ranks alone."""
    name, dim = "none", 1

    def query(self, text):  # never reached: no vectors
        raise AssertionError


def norm(text: str) -> str:
    return re.sub(r"\s+", "", text)


def load_questions() -> list[dict]:
    return [json.loads(line) for line in (EVAL / "questions.jsonl").read_text(encoding="utf-8").splitlines() if line]


def build_store(path: Path):
    """Conversations "shelf:<twin>": every document but `twin` (a mixed-language shelf, so a question
    must beat five other documents, most in its own language); "alone:<doc>": that document only
    (the issue's case: a user asks about the report they attached)."""
    store = open_store(path)
    docs = sorted((EVAL / "docs").iterdir())
    convs = {}
    for twin in TWINS:
        cid = store.create_conversation(title=f"shelf without {twin}").id
        for doc in docs:
            if doc.name != twin:
                read_document(store, cid, doc)
        convs[f"shelf:{twin}"] = cid
    for doc in docs:
        cid = store.create_conversation(title=doc.name).id
        read_document(store, cid, doc)
        convs[f"alone:{doc.name}"] = cid
    return store, convs


def conversation_for(question: dict, convs: dict, scenario: str) -> str:
    doc = question["document"]
    if scenario == "alone":
        return convs[f"alone:{doc}"]
    twin = TWINS.get(doc) or ("hengyuan_2025_report_en.md" if question["pair"].endswith("zh") else "hengyuan_2025_report_zh.pdf")
    return convs[f"shelf:{twin}"]


def tokenizer():
    try:
        from tests.fixtures.models.real import smollm2

        import llama_cpp  # the bench may; the app imports llama_cpp only in its backends

        path = smollm2()
        if path is None:
            return None
        llm = llama_cpp.Llama(model_path=str(path), vocab_only=True, verbose=False)
        return lambda text: len(llm.tokenize(text.encode("utf-8"), add_bos=True, special=False)) + 16
    except Exception as exc:  # noqa: BLE001
        print(f"(no SmolLM2 tokenizer: {exc})", file=sys.stderr)
        return None


def evaluate(store, convs, questions, model, count_tokens, scenario) -> dict:
    rows = defaultdict(lambda: defaultdict(list))
    rankers = defaultdict(int)
    over = 0
    for q in questions:
        cid = conversation_for(q, convs, scenario)
        answer = norm(q["answer"])
        meaning = meaning_order(store, cid, q["question"], model)
        with store._read() as db:  # the order find_passages offers to the budget
            ranked, _ = ranked_passages(db.conn, cid, q["question"], meaning)
        rows[q["pair"]]["recall@5"].append(any(answer in norm(p.text) for p in ranked[:5]))
        for n_ctx in (4096, 8192):
            history = [ChatMessage("user", q["question"])]
            # As the window quotes with a local model: counted by the model's own tokenizer
            # (without it, as with a server, by the estimate: --estimate).
            quoted = quote_documents(store, cid, history, n_ctx, REPLY, model=model,
                                     count_tokens=None if ESTIMATE or not count_tokens else lambda t: count_tokens(t) - 16)
            rankers[quoted.ranker] += 1
            rows[q["pair"]][f"hit@{n_ctx}"].append(any(answer in norm(p.text) for p in quoted))
            if count_tokens and count_tokens(history[0].content) + reply_reserve(n_ctx, REPLY) > n_ctx:
                over += 1
        if q.get("table"):
            rows["tables"]["recall@5"].append(rows[q["pair"]]["recall@5"][-1])
            rows["tables"]["hit@4096"].append(rows[q["pair"]]["hit@4096"][-1])
            rows["tables"]["hit@8192"].append(rows[q["pair"]]["hit@8192"][-1])
    out = {pair: {k: (sum(v), len(v)) for k, v in metrics.items()} for pair, metrics in rows.items()}
    return {"pairs": out, "over_context": over if count_tokens else None, "rankers": dict(rankers)}


def embed_all(store, convs, model) -> tuple[int, float]:
    start, made = time.perf_counter(), 0
    for cid in convs.values():
        made += embed_passages(store, cid, model)
    return made, time.perf_counter() - start


def search_times(model_dim: int = 512) -> dict:
    """meaning_order over n stored vectors of 512 floats (USE's): SQLite read, numpy decode, product, top 50."""
    out = {}
    rng = np.random.default_rng(7)

    class Fixed:  # the query's vector is given: this times the search, not the model
        name, dim = "bench", model_dim

        def query(self, text):
            v = rng.standard_normal(model_dim).astype(np.float32)
            return v / np.linalg.norm(v)

    for n in (1_000, 10_000, 100_000):
        with tempfile.TemporaryDirectory() as tmp:
            store = open_store(Path(tmp) / "s.sqlite3")
            cid = store.create_conversation().id
            store.add_document(cid, "big.txt", b"x", "text", 0, [("", "passage")])
            doc = store.documents(cid)[0]
            with store._write() as db:
                db.conn.executemany("INSERT INTO document_passages(document_id, ordinal, location, text) VALUES (?, ?, '', 'p')",
                                    [(doc.id, i + 1) for i in range(n - 1)])
                seqs = [r[0] for r in db.conn.execute("SELECT seq FROM document_passages")]
            vectors = rng.standard_normal((n, model_dim)).astype("<f4")
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
            store.add_passage_vectors("bench", [(s, v.tobytes()) for s, v in zip(seqs, vectors)])
            times = []
            for _ in range(5):
                t = time.perf_counter()
                found = meaning_order(store, cid, "question", Fixed(), margin=2.0)  # all: cosines span 2
                times.append(time.perf_counter() - t)
            assert found  # the 0.1 cosine margin may keep fewer than 50 of random vectors
            out[n] = sorted(times)[2]
            store.close()
    return out


def pdf_timing(model, sample: int) -> dict:
    import pypdfium2

    sys.path.insert(0, str(ROOT / "bench"))
    from bench_documents import make_pdf

    data = make_pdf(300)
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "long.pdf"
        pdf.write_bytes(data)
        t = time.perf_counter()
        doc = pypdfium2.PdfDocument(data)
        for i in range(len(doc)):
            page = doc[i]
            page.get_textpage().get_text_range()
        doc.close()
        bare = time.perf_counter() - t
        store = open_store(Path(tmp) / "s.sqlite3")
        cid = store.create_conversation().id
        t = time.perf_counter()
        read_document(store, cid, pdf)
        read = time.perf_counter() - t
        n = store.documents(cid)[0].passages
        todo = store.passages_without_vectors(cid, model.name, 4 * model.dim)
        if sample and sample < n:  # the model alone on the first passages, extrapolated
            todo = todo[:sample]
            t, c = time.perf_counter(), time.process_time()
            matrix = model.passages([text for _, text in todo])
            embed_s, embed_cpu_s = time.perf_counter() - t, time.process_time() - c
            assert matrix.shape == (len(todo), model.dim)
            embed_all_s = embed_s / len(todo) * n
        else:  # every passage, as the reading thread embeds them: batches, each committed
            t, c = time.perf_counter(), time.process_time()
            assert embed_passages(store, cid, model) == n
            embed_s, embed_cpu_s = time.perf_counter() - t, time.process_time() - c
            embed_all_s = embed_s
        store.close()
    return {"pages": 300, "passages": n, "bare_pypdfium2_s": bare, "read_indexed_s": read,
            "ratio": read / bare, "embed_sample": len(todo), "embed_s": embed_s, "embed_cpu_s": embed_cpu_s,
            "embed_all_s": embed_all_s, "embed_all_measured": len(todo) == n,
            "passages_per_s": len(todo) / embed_s, "embed_all_to_bare": embed_all_s / bare}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--skip-pdf", action="store_true")
    ap.add_argument("--pdf-sample", type=int, default=24,
                    help="passages of the long PDF embedded to time it (0: all of them, as the reading thread does)")
    ap.add_argument("--models", default="words,use,e5",
                    help="comma list of words, use (the product's int8 pass), use-float, e5, gguf:PATH")
    ap.add_argument("--json", type=Path, help="write the figures here too")
    ap.add_argument("--estimate", action="store_true", help="quote by estimated tokens, not SmolLM2's own count")
    ap.add_argument("--no-dictionary", action="store_true",
                    help="rank without the bilingual dictionary (app.store.translated_terms), as before it")
    args = ap.parse_args()
    if args.no_dictionary:
        from app.store import passage_ranking

        passage_ranking._translated = lambda question: ""
    global ESTIMATE
    ESTIMATE = args.estimate
    questions = load_questions()
    count_tokens = tokenizer()
    results = {"dictionary": not args.no_dictionary, "machine": f"{platform.node()}: {os.cpu_count()} cores, {platform.processor() or platform.machine()}, "
                          f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f} at start",
               "questions": len(questions), "models": {}}
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        store, convs = build_store(Path(tmp) / "eval.sqlite3")
        results["read_s"] = time.perf_counter() - t
        for key in args.models.split(","):
            if key == "words":
                model, made, took = WordsOnly(), 0, 0.0
            else:
                t = time.perf_counter()
                model = (embedding.E5Small() if key == "e5" else embedding.UniversalSentenceEncoder() if key == "use"
                         else embedding.UniversalSentenceEncoder(int8=False) if key == "use-float"
                         else __import__("runtime.backends.llama_embed", fromlist=["x"]).GgufEmbedder(key[5:]))
                load_s = time.perf_counter() - t
                made, took = embed_all(store, convs, model)
                t = time.perf_counter()
                for q in questions[:20]:
                    model.query(q["question"])
                query_ms = (time.perf_counter() - t) / 20 * 1000
            entry = {scenario: evaluate(store, convs, questions, model, count_tokens, scenario)
                     for scenario in ("shelf", "alone")}
            if key != "words":
                entry.update(name=model.name, load_s=load_s, embedded=made, embed_s=took,
                             passages_per_s=made / took if took else None, query_ms=query_ms)
            results["models"][key] = entry
            print(key, json.dumps(entry, ensure_ascii=False), flush=True)
        store.close()
    results["search_s"] = search_times()
    print("search", results["search_s"], flush=True)
    if not args.skip_pdf:
        results["pdf"] = pdf_timing(embedding.embedder(), args.pdf_sample)  # the product's model
        print("pdf", results["pdf"], flush=True)
    results["load_average_end"] = os.getloadavg()[0]
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1))
    print_table(results)
    return 0


def print_table(results: dict) -> None:
    print(f"\n{results['machine']}; {results['questions']} questions")
    print("| conversation | ranker | pair | recall@5 | hit@4096 | hit@8192 |")
    print("|---|---|---|---|---|---|")
    for scenario in ("alone", "shelf"):
        for key, entry in results["models"].items():
            for pair in (*PAIRS, "tables"):
                m = entry[scenario]["pairs"].get(pair)
                if m:
                    cells = [f"{m[k][0]}/{m[k][1]} = {m[k][0] / m[k][1]:.2f}" for k in ("recall@5", "hit@4096", "hit@8192")]
                    print(f"| {scenario} | {key} | {pair} | " + " | ".join(cells) + " |")
    for key, entry in results["models"].items():
        print(key, {s: (entry[s]["over_context"], entry[s]["rankers"]) for s in ("alone", "shelf")},
              {k: v for k, v in entry.items() if k not in ("alone", "shelf")})


if __name__ == "__main__":
    sys.exit(main())
