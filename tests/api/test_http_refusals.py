"""Raw HTTP against the real server (SmolLM2 on loopback): every refusal in OpenAI's error shape,
with the status HTTP says, and the server still serving after each."""
import http.client

import pytest

from app.api.server import MAX_BODY_BYTES
from runtime.prompting import reply_reserve
from runtime.types import ChatMessage
from tests.api.conftest import N_CTX, TOKEN, EchoBackend, request, scripted_server, sse

HELLO = {"messages": [{"role": "user", "content": "Say hello."}], "max_tokens": 2}


def error_of(body):
    assert set(body) == {"error"} and set(body["error"]) == {"message", "type", "param", "code"}, body
    assert body["error"]["message"]
    return body["error"]


def still_serving(server):
    status, _, body = request(server, "POST", "/v1/chat/completions", HELLO)
    assert status == 200 and body["choices"][0]["message"]["role"] == "assistant"


@pytest.mark.parametrize("token", [None, "wrong-token-0123456789", TOKEN + "x", ""])
def test_without_the_right_token_401(smol, token):
    for method, path in [("GET", "/v1/models"), ("POST", "/v1/chat/completions"), ("GET", "/nowhere")]:
        status, headers, body = request(smol, method, path, HELLO if method == "POST" else None, token=token)
        assert status == 401 and error_of(body)["code"] == "invalid_api_key"
        assert headers.get("www-authenticate") == "Bearer"
    still_serving(smol)


def test_a_basic_scheme_is_refused_even_with_the_token(smol):
    status, _, body = request(smol, "GET", "/v1/models", token=None, headers={"Authorization": f"Basic {TOKEN}"})
    assert status == 401


def test_malformed_json_400(smol):
    for raw in [b"{not json", b"\xff\xfe", b"[1, 2]", b'{"messages": "hi"}', b'{"messages": []}']:
        status, _, body = request(smol, "POST", "/v1/chat/completions", raw=raw)
        assert status == 400, raw
        error_of(body)
    still_serving(smol)


@pytest.mark.parametrize("field, value", [("temperature", 3), ("temperature", "hot"), ("top_p", 0), ("max_tokens", 0),
                                          ("max_tokens", 1.5), ("seed", "x"), ("stop", ["a", "b", "c", "d", "e"]),
                                          ("n", 2), ("stream", "yes"), ("tools", [{"type": "function"}])])
def test_bad_fields_400_naming_the_field(smol, field, value):
    status, _, body = request(smol, "POST", "/v1/chat/completions", {**HELLO, field: value})
    assert status == 400 and error_of(body)["param"] == field


def test_a_bad_message_400(smol):
    for messages in [[{"role": "tool", "content": "x"}], [{"role": "user"}],
                     [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "x"}}]}]]:
        status, _, body = request(smol, "POST", "/v1/chat/completions", {"messages": messages})
        assert status == 400 and error_of(body)["param"].startswith("messages[0]")
    parts = [{"type": "text", "text": "Say "}, {"type": "text", "text": "hello."}]
    status, _, body = request(smol, "POST", "/v1/chat/completions",
                              {"messages": [{"role": "user", "content": parts}], "max_tokens": 2})
    assert status == 200


def test_unknown_model_404(smol):
    status, _, body = request(smol, "POST", "/v1/chat/completions", {**HELLO, "model": "gpt-4o"})
    assert status == 404 and error_of(body)["code"] == "model_not_found" and "gpt-4o" in body["error"]["message"]
    status, _, body = request(smol, "GET", "/v1/models/gpt-4o")
    assert status == 404 and error_of(body)["code"] == "model_not_found"


@pytest.mark.parametrize("method, path", [("GET", "/"), ("GET", "/v1"), ("POST", "/v1/embeddings"),
                                          ("GET", "/v1/chat/completion"), ("POST", "/api/generate")])
def test_unknown_path_404_never_200(smol, method, path):
    status, _, body = request(smol, method, path, HELLO if method == "POST" else None)
    assert status == 404 and error_of(body)["code"] == "unknown_url"


def test_wrong_method_405_and_wrong_media_type_415(smol):
    status, headers, body = request(smol, "GET", "/v1/chat/completions")
    assert status == 405 and "POST" in headers.get("allow", "")
    error_of(body)
    status, _, body = request(smol, "POST", "/v1/models", HELLO)
    assert status == 405
    status, _, body = request(smol, "POST", "/v1/chat/completions", raw=b"messages=hi",
                              headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 415 and error_of(body)["code"] == "unsupported_media_type"
    still_serving(smol)


def test_a_body_over_the_limit_413(smol):
    status, _, body = request(smol, "POST", "/v1/chat/completions", raw=b" " * (MAX_BODY_BYTES + 1))
    assert status == 413
    error_of(body)
    still_serving(smol)


def test_a_prompt_over_the_context_400_by_the_one_reserve_rule(smol, smol_queue):
    """Refused when prompt + reply_reserve(n_ctx, max_tokens) > n_ctx, counted by the model; never cut."""
    def tokens(text):
        return smol_queue.call(lambda e: e.count_tokens([ChatMessage("user", text)])).result(10)

    text = "apple " * 850
    n = tokens(text)
    assert n + reply_reserve(N_CTX, 100) <= N_CTX < n + reply_reserve(N_CTX, 10_000), n
    ask = {"messages": [{"role": "user", "content": text}], "max_tokens": 100}
    status, _, body = request(smol, "POST", "/v1/chat/completions", {**ask, "max_tokens": 10_000})
    assert status == 400 and error_of(body)["code"] == "context_length_exceeded"
    assert f"{N_CTX} tokens" in body["error"]["message"] and f"{n} tokens" in body["error"]["message"]
    status, _, body = request(smol, "POST", "/v1/chat/completions", {**ask, "max_tokens": 1})
    assert status == 200 and body["usage"]["prompt_tokens"] == n
    history = [{"role": "user", "content": "apple " * 450}, {"role": "assistant", "content": "ok"},
               {"role": "user", "content": "apple " * 450}]  # the engine would drop the first turn; the API refuses
    status, _, body = request(smol, "POST", "/v1/chat/completions", {"messages": history, "max_tokens": 200})
    assert status == 400 and error_of(body)["code"] == "context_length_exceeded"
    still_serving(smol)


def test_no_cors_headers_unless_origins_are_listed(smol):
    status, headers, _ = request(smol, "GET", "/v1/models", headers={"Origin": "http://evil.example"})
    assert status == 200 and not any(h.lower().startswith("access-control") for h in headers)
    queue, server = scripted_server(EchoBackend(), origins=["http://localhost:3000"])
    try:
        status, headers, _ = request(server, "GET", "/v1/models", headers={"Origin": "http://localhost:3000"})
        assert headers.get("access-control-allow-origin") == "http://localhost:3000"
        status, headers, _ = request(server, "OPTIONS", "/v1/chat/completions", token=None, headers={
            "Origin": "http://localhost:3000", "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type"})
        assert status == 200 and headers.get("access-control-allow-origin") == "http://localhost:3000"
        status, headers, _ = request(server, "GET", "/v1/models", headers={"Origin": "http://evil.example"})
        assert "access-control-allow-origin" not in {h.lower() for h in headers}
        status, _, _ = request(server, "GET", "/v1/models", token=None, headers={"Origin": "http://localhost:3000"})
        assert status == 401  # an allowed origin still needs the token
    finally:
        server.stop()
        queue.close(10)


def test_keep_alive_connection_serves_one_request_after_another(smol):
    conn = http.client.HTTPConnection(smol.host, smol.port, timeout=30)
    for _ in range(3):
        conn.request("GET", "/v1/models", headers={"Authorization": f"Bearer {TOKEN}"})
        response = conn.getresponse()
        assert response.status == 200
        response.read()
    conn.close()


def test_an_engine_failure_is_a_500_or_an_error_event_and_the_server_goes_on():
    from tests.ui.scripted_backend import ScriptedBackend

    backend = ScriptedBackend(["Hel", "lo", "!"], fail_after=1)
    queue, server = scripted_server(backend)
    try:
        status, _, body = request(server, "POST", "/v1/chat/completions", HELLO)
        assert status == 500 and error_of(body)["code"] == "engine_error"
        assert "the GPU fell off the bus" in body["error"]["message"]
        events = sse(server, "/v1/chat/completions", HELLO)
        assert events[-1]["error"]["code"] == "engine_error"
        backend.fail_after = None
        status, _, body = request(server, "POST", "/v1/chat/completions", HELLO)
        assert status == 200 and body["choices"][0]["message"]["content"] == "Hello"  # max_tokens 2: two pieces
    finally:
        server.stop()
        queue.close(10)
