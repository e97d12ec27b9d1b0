"""A real API server on loopback over a real EngineQueue: the embedded SmolLM2 for most tests, a
scripted backend where the reply must be controlled (<think> blocks, a reply per client)."""
import http.client
import json
import time

import pytest

from app.api import start_server
from runtime.backends.base import Backend, GenerationStats
from runtime.engine import Engine
from runtime.engine_queue import EngineQueue
from runtime.loading import plans_for
from runtime.planner import PlanPreferences
from runtime.reasoning import ThinkSplitter
from runtime.types import Plan
from tests.fixtures.models.real import need_smollm2

TOKEN = "test-token-0123456789"
N_CTX = 1024


class RecordingQueue(EngineQueue):
    """The real queue; it keeps each job so a test can ask the engine side what happened."""

    def __init__(self, engine=None):
        super().__init__(engine)
        self.jobs = []

    def _enqueue(self, job):  # chat (generate) and raw (complete) jobs alike
        self.jobs.append(job)
        return super()._enqueue(job)


class EchoBackend(Backend):  # its optional attributes (display_name, template_note) from the Protocol
    """Streams the last user message back word by word (its own words, so replies that got mixed
    up would show), optionally as `<think>…</think>` first, at a set pace; records when each
    generation ran."""

    def __init__(self, delay_s=0.0, think="", repeat=1):
        self.delay_s, self.think, self.repeat = delay_s, think, repeat
        self.runs = []  # (start, end) perf_counter of each generation
        self.prompts = []  # the last user message of each generation, in the order they ran

    def load(self, plan, on_progress):
        on_progress(1.0)

    def context_length(self):
        return N_CTX

    def count_tokens(self, messages):
        return sum(len(m.content.split()) + 3 for m in messages)

    def stream(self, messages, options, cancel):
        start = time.perf_counter()
        self.prompts.append(messages[-1].content)
        words = messages[-1].content.split() * self.repeat
        pieces = ([f"<think>{self.think}</think>"] if self.think else []) + [w + " " for w in words]
        splitter, produced, reason = ThinkSplitter(), 0, "stop"
        try:
            for piece in pieces:
                if cancel.cancelled:
                    reason = "cancelled"
                    break
                if produced >= options.max_tokens:
                    reason = "length"
                    break
                if self.delay_s:
                    time.sleep(self.delay_s)
                produced += 1
                yield from splitter.feed(piece)
            yield from splitter.flush()
        finally:
            self.runs.append((start, time.perf_counter()))
        return GenerationStats(self.count_tokens(messages), produced, reason)

    def unload(self):
        pass


@pytest.fixture(scope="session")
def smol_queue():
    queue = RecordingQueue()
    queue.load(lambda: plans_for(str(need_smollm2()), PlanPreferences(n_ctx=N_CTX))).result(120)
    yield queue
    queue.close(30)


@pytest.fixture(scope="session")
def smol(smol_queue):
    server = start_server(smol_queue, "127.0.0.1", 0, TOKEN)
    yield server
    server.stop()


def scripted_server(backend, **kwargs):
    queue = RecordingQueue(Engine(backend_factory=lambda _name: backend))
    queue.load(lambda: (Plan(engine="llama_cpp", model_path="/models/echo.gguf", reason="scripted"),)).result(10)
    return queue, start_server(queue, "127.0.0.1", 0, TOKEN, **kwargs)


@pytest.fixture
def echo():
    backend = EchoBackend(delay_s=0.002)
    queue, server = scripted_server(backend)
    yield backend, queue, server
    server.stop()
    queue.close(10)


def request(server, method, path, body=None, token=TOKEN, headers=None, raw=None):
    """(status, headers, parsed JSON or text) over a fresh connection."""
    conn = http.client.HTTPConnection(server.host, server.port, timeout=60)
    sent = dict(headers or {})
    if token is not None:
        sent["Authorization"] = f"Bearer {token}"
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    if data is not None:
        sent.setdefault("Content-Type", "application/json")
    conn.request(method, path, body=data, headers=sent)
    response = conn.getresponse()
    text = response.read().decode()
    conn.close()
    try:
        parsed = json.loads(text)
    except ValueError:
        parsed = text
    return response.status, {k.lower(): v for k, v in response.getheaders()}, parsed


def sse(server, path, body, token=TOKEN):
    """The data of each server-sent event of a streamed reply, parsed, up to [DONE] (not included)."""
    conn = http.client.HTTPConnection(server.host, server.port, timeout=60)
    conn.request("POST", path, body=json.dumps({**body, "stream": True}).encode(),
                 headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    response = conn.getresponse()
    assert response.status == 200 and response.getheader("content-type").startswith("text/event-stream")
    events = []
    for line in response:
        line = line.decode().rstrip("\r\n")
        if not line.startswith("data: "):
            continue
        if line == "data: [DONE]":
            break
        events.append(json.loads(line[len("data: "):]))
    conn.close()
    return events
