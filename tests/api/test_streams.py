"""Streams: 8 clients at once (each gets its own reply, whole and unmixed, one generation at a
time), a client that hangs up (its generation ends within 100 ms, seen from the engine), and the
<think> split into reasoning_content."""
import json
import socket
import time
from concurrent.futures import ThreadPoolExecutor

from tests.api.conftest import TOKEN, EchoBackend, request, scripted_server, sse

CHAT = "/v1/chat/completions"


def text_of(events, field="content"):
    return "".join(e["choices"][0]["delta"].get(field) or "" for e in events if e.get("choices"))


def test_eight_clients_streaming_at_once_each_get_their_own_reply_whole(echo):
    backend, _queue, server = echo
    asks = [" ".join(f"c{i}w{j}" for j in range(30)) for i in range(8)]

    def one(text):
        return sse(server, CHAT, {"messages": [{"role": "user", "content": text}]})

    with ThreadPoolExecutor(8) as pool:
        replies = list(pool.map(one, asks))
    for text, events in zip(asks, replies):
        assert text_of(events) == text + " "
        assert events[-1]["choices"][0]["finish_reason"] == "stop"
        assert len({e["id"] for e in events}) == 1
    assert len({events[0]["id"] for events in replies}) == 8
    runs = sorted(backend.runs)
    assert len(runs) == 8 and all(later[0] >= earlier[1] for earlier, later in zip(runs, runs[1:]))


def test_eight_clients_at_once_on_the_real_model_get_what_each_gets_alone(smol):
    asks = [f"Write one sentence about the number {n}." for n in range(8)]

    def body(text):
        return {"messages": [{"role": "user", "content": text}], "max_tokens": 12, "temperature": 0}

    alone = [request(smol, "POST", CHAT, body(t))[2]["choices"][0]["message"]["content"] for t in asks]
    with ThreadPoolExecutor(8) as pool:
        together = list(pool.map(lambda t: text_of(sse(smol, CHAT, body(t))), asks))
    assert together == alone


def test_a_client_that_hangs_up_mid_stream_stops_its_generation_within_100_ms(smol, smol_queue):
    body = json.dumps({"messages": [{"role": "user", "content": "Tell me a very long story about a dragon."}],
                       "max_tokens": 600, "temperature": 0.8, "stream": True}).encode()
    sock = socket.create_connection((smol.host, smol.port))
    sock.sendall(b"POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\n"
                 b"Authorization: Bearer " + TOKEN.encode() + b"\r\nContent-Type: application/json\r\n"
                 b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
    received = b""
    while received.count(b"data: ") < 6:  # the role chunk, then tokens
        received += sock.recv(65536)
    job = smol_queue.jobs[-1]
    assert not job.done
    hung_up = time.perf_counter()
    sock.close()
    done = job.wait(5)
    assert done is not None and done.reason == "cancelled"
    assert done.completion_tokens < 600
    assert job.ended_at - hung_up < 0.100, f"the engine stopped {1000 * (job.ended_at - hung_up):.0f} ms after"
    status, _, _ = request(smol, "POST", CHAT, {"messages": [{"role": "user", "content": "Hi"}], "max_tokens": 2})
    assert status == 200


def test_a_client_that_hangs_up_before_a_whole_reply_stops_it_too(smol, smol_queue):
    body = json.dumps({"messages": [{"role": "user", "content": "Tell me a very long story."}],
                       "max_tokens": 600, "temperature": 0.8}).encode()
    sock = socket.create_connection((smol.host, smol.port))
    sock.sendall(b"POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\n"
                 b"Authorization: Bearer " + TOKEN.encode() + b"\r\nContent-Type: application/json\r\n"
                 b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
    deadline = time.monotonic() + 10
    while not (smol_queue.jobs and smol_queue.jobs[-1].started_at and not smol_queue.jobs[-1].done):
        assert time.monotonic() < deadline
        time.sleep(0.01)
    job = smol_queue.jobs[-1]
    time.sleep(0.2)
    sock.close()
    assert job.wait(5).reason == "cancelled" and job.finished.completion_tokens < 600


def test_reasoning_comes_as_reasoning_content_as_deepseek_returns_it():
    backend = EchoBackend(think="First, the user greets me.")
    queue, server = scripted_server(backend)
    try:
        ask = {"messages": [{"role": "user", "content": "Hello there"}]}
        events = sse(server, CHAT, ask)
        assert text_of(events, "reasoning_content") == "First, the user greets me."
        assert text_of(events) == "Hello there "
        fields = [k for e in events for k, v in e["choices"][0]["delta"].items() if k != "role" and v]
        assert fields.index("content") > max(i for i, f in enumerate(fields) if f == "reasoning_content")
        status, _, body = request(server, "POST", CHAT, ask)
        message = body["choices"][0]["message"]
        assert message == {"role": "assistant", "content": "Hello there ",
                           "reasoning_content": "First, the user greets me."}
    finally:
        server.stop()
        queue.close(10)
