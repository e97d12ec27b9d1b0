"""Streams: 8 clients at once (each gets its own reply, whole and unmixed, one generation at a
time), a client that hangs up (its generation ends within 100 ms, seen from the engine), and the
<think> split into reasoning_content."""
import json
import socket
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

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


def open_stream(server, ask: dict) -> socket.socket:
    """A streaming request on a raw socket, read until a few tokens have come."""
    body = json.dumps({**ask, "stream": True}).encode()
    sock = socket.create_connection((server.host, server.port))
    sock.sendall(b"POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\n"
                 b"Authorization: Bearer " + TOKEN.encode() + b"\r\nContent-Type: application/json\r\n"
                 b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
    sock.settimeout(60)
    received = sock.recv(65536)
    assert received.startswith(b"HTTP/1.1 200"), received
    while received.count(b"data: ") < 6:  # the role chunk, then tokens
        more = sock.recv(65536)
        assert more, received
        received += more
    return sock


def test_a_client_that_hangs_up_mid_stream_stops_its_generation_within_100_ms():
    """Timed from the socket's close to the engine's Finished("cancelled"), with a backend that
    takes 2 ms a token (so what is timed is the server's part: noticing, cancelling)."""
    queue, server = scripted_server(EchoBackend(delay_s=0.002, repeat=20_000))
    try:
        hang_up_and_time(queue, server)
    finally:
        server.stop()
        queue.close(10)


def hang_up_and_time(queue, server):
    sock = open_stream(server, {"messages": [{"role": "user", "content": "one two three four five"}],
                                "max_tokens": 100_000})  # 200 s of reply: it can only end by the hang-up
    job = queue.jobs[-1]
    assert not job.done
    hung_up = time.perf_counter()
    sock.close()
    done = job.wait(5)
    assert done is not None and done.reason == "cancelled" and done.completion_tokens < 100_000
    assert job.ended_at - hung_up < 0.100, f"the engine stopped {1000 * (job.ended_at - hung_up):.0f} ms after"
    assert request(server, "POST", CHAT, {"messages": [{"role": "user", "content": "still here"}]})[0] == 200


def test_the_real_model_makes_at_most_the_token_in_flight_after_a_hang_up(smol, smol_queue):
    sock = open_stream(smol, {"messages": [{"role": "user", "content": "Tell me a very long story about a dragon."}],
                              "max_tokens": 600, "temperature": 0.8})
    job = smol_queue.jobs[-1]
    assert not job.done
    produced = job._events.qsize()  # events the engine has delivered so far (the server reads its callback)
    sock.close()
    done = job.wait(5)
    assert done is not None and done.reason == "cancelled" and done.completion_tokens < 600
    assert job._events.qsize() - produced <= 2, "more than the token in flight (and the Finished) after the hang-up"
    status, _, _ = request(smol, "POST", CHAT, {"messages": [{"role": "user", "content": "Hi"}], "max_tokens": 2})
    assert status == 200


def test_a_client_that_hangs_up_before_a_whole_reply_stops_it_too(smol, smol_queue):
    body = json.dumps({"messages": [{"role": "user", "content": "Tell me a very long story."}],
                       "max_tokens": 600, "temperature": 0.8}).encode()
    before = len(smol_queue.jobs)
    sock = socket.create_connection((smol.host, smol.port))
    sock.sendall(b"POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\n"
                 b"Authorization: Bearer " + TOKEN.encode() + b"\r\nContent-Type: application/json\r\n"
                 b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
    # Its own job: the first one queued after these bytes went out (an earlier test's reply may
    # still be running, and would end by its length, not by this hang-up).
    deadline = time.monotonic() + 10
    while not (len(smol_queue.jobs) > before and smol_queue.jobs[before].started_at):
        assert time.monotonic() < deadline
        time.sleep(0.01)
    job = smol_queue.jobs[before]
    assert not job.done
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


def test_stopping_the_server_ends_the_replies_it_is_writing_and_leaves_the_queue_working():
    queue, server = scripted_server(EchoBackend(delay_s=0.002, repeat=20_000))
    try:
        sock = open_stream(server, {"messages": [{"role": "user", "content": "one two three four five"}],
                                "max_tokens": 100_000})  # 200 s of reply: it can only end by the hang-up
        job = queue.jobs[-1]
        assert server.stop(10) and not server.running
        assert job.wait(5).reason == "cancelled"
        sock.close()
        with pytest.raises(OSError):
            socket.create_connection((server.host, server.port), timeout=2).close()
        assert queue.info is not None  # the queue and its model are the caller's
    finally:
        queue.close(10)
