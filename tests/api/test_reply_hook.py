"""The server's ReplyHook (how the window saves API conversations): told of each reply it
generates, with the request's messages and options, then handed every event the client gets;
a refused request never reaches it, and a hook that fails never fails the request."""
import threading

from runtime.types import ChatMessage, Finished, TextDelta
from tests.api.conftest import EchoBackend, request, scripted_server, sse

CHAT = "/v1/chat/completions"


def serve_with(hook):
    backend = EchoBackend()
    return scripted_server(backend, on_reply=hook)


def test_the_hook_sees_the_request_and_every_event_the_client_gets():
    seen, events, threads = [], [], set()

    def hook(messages, options):
        seen.append((messages, options))
        threads.add(threading.current_thread().name)
        return events.append

    queue, server = serve_with(hook)
    try:
        body = {"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "red green blue"}],
                "max_tokens": 10, "temperature": 0.3}
        chunks = sse(server, CHAT, body)
        [(messages, options)] = seen
        assert messages == (ChatMessage("system", "Be brief."), ChatMessage("user", "red green blue"))
        assert options.max_tokens == 10 and options.temperature == 0.3
        text = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks if c["choices"])
        assert "".join(e.text for e in events if isinstance(e, TextDelta)) == text == "red green blue "
        assert isinstance(events[-1], Finished) and events[-1].reason == "stop"
        assert threads == {"deskseek-api"}  # on the server's thread, never the caller's GUI
    finally:
        server.stop()
        queue.close(10)


def test_a_refused_request_never_reaches_the_hook():
    seen = []
    queue, server = serve_with(lambda messages, options: seen.append(messages))
    try:
        assert request(server, "POST", CHAT, {"messages": []})[0] == 400
        assert request(server, "POST", CHAT, {"messages": [{"role": "user", "content": "x"}]}, token="wrong")[0] == 401
        assert seen == []
    finally:
        server.stop()
        queue.close(10)


def test_a_failing_hook_or_callback_never_fails_the_reply():
    def broken_callback(event):
        raise RuntimeError("the history is gone")

    for hook in (lambda m, o: 1 / 0, lambda m, o: broken_callback):
        queue, server = serve_with(hook)
        try:
            status, _, body = request(server, "POST", CHAT, {"messages": [{"role": "user", "content": "one two"}]})
            assert status == 200 and body["choices"][0]["message"]["content"] == "one two "
        finally:
            server.stop()
            queue.close(10)
