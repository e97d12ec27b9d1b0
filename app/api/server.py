"""The local OpenAI-compatible server: Starlette on uvicorn, in a thread of its own, over an
EngineQueue (its requests wait in the queue's "api" lane, served in turn with the window's).
/v1/chat/completions queues a conversation (queue.generate), /v1/completions raw text that the
model continues as it is, with no chat template (queue.complete).

Before a request reaches the engine: the bearer token (always required, compared in constant
time), the body (JSON, at most MAX_BODY_BYTES), its fields (schema.py), the model's name, and
whether the prompt fits the context with the reply's reserve (runtime.prompting.reply_reserve,
counted with the model's tokenizer on the engine thread): a prompt that does not fit is refused
(400 context_length_exceeded), never shortened. Every refusal is OpenAI's JSON error shape, and
the server goes on serving. A client that goes away mid-reply sets the reply's CancelToken at once,
so the engine stops before its next token. No CORS headers unless origins are listed.
"""
from __future__ import annotations

import asyncio
import errno
import hmac
import ipaddress
import json
import logging
import socket
import threading
import time
from dataclasses import dataclass, field
from functools import partial
from typing import Callable, Sequence

import uvicorn
from sse_starlette.sse import EventSourceResponse
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from app.api.errors import ApiError
from app.api.replies import Reply
from app.api.schema import Ask, chat_ask, completion_ask
from app.chat.request import build_request
from app.settings import is_loopback  # one rule for the window's warning and the server's
from runtime.engine_queue import EngineQueue
from runtime.prompting import prompt_budget, reply_reserve
from runtime.types import (
    CancelToken, ChatMessage, DeskSeekError, Finished, GenerationOptions, ModelLoadError, StreamEvent, TextDelta,
)

log = logging.getLogger(__name__)

API_LANE = "api"

# Told of each reply the server is about to generate (on the server's thread): the request's
# messages and options; it may return a callback for the reply's events (called on the engine
# thread, each event as the client gets it). The window saves API conversations through it.
ReplyHook = Callable[[Sequence[ChatMessage], GenerationOptions], Callable[[StreamEvent], None] | None]
MAX_BODY_BYTES = 8 << 20  # a 128k-token prompt is about 0.5 MB of text
START_TIMEOUT_S = 10.0


class ServerStartError(DeskSeekError):
    """The server could not listen (the port is taken, the address is not this machine's)."""


@dataclass
class _State:
    queue: EngineQueue
    token: bytes
    defaults: GenerationOptions
    started: int = field(default_factory=lambda: int(time.time()))
    active: set[CancelToken] = field(default_factory=set)  # replies being written, for stop()
    on_reply: ReplyHook | None = None
    # The loaded model's card asks for no system prompt (R1): its text leads the first user message,
    # as in the window and `deskseek chat` (app.chat.request.build_request, the one place).
    fold_system_prompt: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)  # stop() reads `active` from another thread

    def track(self, cancel: CancelToken) -> None:
        with self.lock:
            self.active.add(cancel)

    def forget(self, cancel: CancelToken) -> None:
        with self.lock:
            self.active.discard(cancel)

    def cancel_all(self) -> None:
        with self.lock:
            for cancel in self.active:
                cancel.cancel()


def build_app(queue: EngineQueue, token: str, origins: Sequence[str] = (),
              defaults: GenerationOptions | None = None, on_reply: ReplyHook | None = None) -> Starlette:
    """The ASGI app; start_server runs it. `defaults`: top_k and repeat penalty, and temperature
    and top_p when a request leaves them out (the window passes the model's own settings)."""
    if not token:
        raise ValueError("the API server needs a token")
    state = _State(queue, token.encode(), defaults or GenerationOptions(), on_reply=on_reply)
    routes = [
        Route("/v1/models", partial(_models, state), methods=["GET"]),
        Route("/v1/models/{model:path}", partial(_model, state), methods=["GET"]),
        Route("/v1/chat/completions", partial(_generate, state, chat=True), methods=["POST"]),
        Route("/v1/completions", partial(_generate, state, chat=False), methods=["POST"]),
    ]
    middleware = []
    if origins:  # outermost, so a browser's preflight (which carries no token) is answered
        middleware.append(Middleware(CORSMiddleware, allow_origins=list(origins), allow_methods=["GET", "POST"],
                                     allow_headers=["Authorization", "Content-Type"]))
    middleware.append(Middleware(_BearerAuth, token=state.token))
    app = Starlette(routes=routes, middleware=middleware,
                    exception_handlers={HTTPException: _http_error, ApiError: _api_error, Exception: _crash})
    app.state.api = state
    return app


# -- checks -----------------------------------------------------------------------------------
class _BearerAuth:
    """Every request needs `Authorization: Bearer <token>`, unknown paths included (a caller
    without the token learns nothing about the server)."""

    def __init__(self, app, token: bytes) -> None:
        self.app, self.token = app, token

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http":
            scheme, _, given = Headers(scope=scope).get("authorization", "").partition(" ")
            if not given:
                refusal = "Missing API key: send the server's token as 'Authorization: Bearer TOKEN'."
            elif scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), self.token):
                refusal = "Incorrect API key: use the token that `deskseek serve` printed (or the window's settings show)."
            else:
                refusal = None
            if refusal:
                error = ApiError(401, refusal, code="invalid_api_key", headers={"WWW-Authenticate": "Bearer"})
                await error.response()(scope, receive, send)
                return
        await self.app(scope, receive, send)


async def _read_json(request: Request) -> object:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media and media != "application/json" and not media.endswith("+json"):
        raise ApiError(415, f"The body must be JSON (Content-Type: application/json), not {media}.",
                       code="unsupported_media_type")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise _too_large()
    body, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise _too_large()
        body.append(chunk)
    try:
        return json.loads(b"".join(body))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(400, f"The body is not valid JSON ({exc}).", code="invalid_json") from None


def _too_large() -> ApiError:
    return ApiError(413, f"The body is over {MAX_BODY_BYTES >> 20} MiB.", code="request_too_large")


def _loaded(state: _State):
    info = state.queue.info
    if info is None:
        raise ApiError(503, "No model is loaded yet.", code="model_not_loaded")
    return info


def _model_object(state: _State, info) -> dict:
    return {"id": info.name, "object": "model", "created": state.started, "owned_by": "deskseek",
            "max_model_len": info.context_length}  # vLLM's name for it: DeskSeek's remote engine reads it


# -- endpoints ---------------------------------------------------------------------------------
async def _models(state: _State, request: Request) -> JSONResponse:
    info = state.queue.info
    return JSONResponse({"object": "list", "data": [_model_object(state, info)] if info else []})


async def _model(state: _State, request: Request) -> JSONResponse:
    name = request.path_params["model"]
    info = _loaded(state)
    if name != info.name:
        raise _unknown_model(name, info.name)
    return JSONResponse(_model_object(state, info))


def _unknown_model(name: str, served: str) -> ApiError:
    return ApiError(404, f"The model {name!r} does not exist here; this server runs {served!r} (GET /v1/models).",
                    code="model_not_found", param="model")


async def _generate(state: _State, request: Request, chat: bool):
    body = await _read_json(request)
    ask = (chat_ask if chat else completion_ask)(body, state.defaults)
    info = _loaded(state)
    if ask.model and ask.model != info.name:
        raise _unknown_model(ask.model, info.name)
    options = ask.options(info.context_length, state.defaults)
    # What the model is sent: for a chat, the request the window would build for these messages.
    messages = (None if ask.prompt is not None else
                build_request(ask.messages, options=options, fold_system_prompt=state.fold_system_prompt).messages)
    await _check_fits(state, ask, messages, options, info.context_length)
    reply = Reply(model=info.name, chat=chat, echo=ask.prompt if ask.echo else "")
    cancel = CancelToken()
    events = _Bridge(asyncio.get_running_loop())
    state.track(cancel)
    try:
        if ask.prompt is not None:  # /v1/completions: the text continued as it is (no conversation to save)
            state.queue.complete(ask.prompt, options, cancel, lane=API_LANE, on_event=events.put)
        else:
            on_event = _observed(state, ask, options, events)
            state.queue.generate(messages, options, cancel, lane=API_LANE, on_event=on_event)
    except BaseException:
        state.forget(cancel)
        raise
    if ask.stream:  # the background task also covers a client gone before the stream's first step
        return EventSourceResponse(_stream(state, reply, ask, events, cancel), sep="\n",
                                   background=BackgroundTask(_forget, state, cancel))
    return await _whole(state, request, reply, events, cancel)


async def _check_fits(state: _State, ask: Ask, messages: Sequence[ChatMessage] | None, options: GenerationOptions,
                      n_ctx: int) -> None:
    """The one reserve rule, with the model's own token count of what it will be sent (`messages`,
    or the raw prompt); too long is refused, not cut."""
    raw = ask.prompt is not None

    def count(engine) -> int:
        return engine.count_raw_tokens(ask.prompt) if raw else engine.count_tokens(messages)

    try:
        n = await asyncio.wrap_future(state.queue.call(count))
    except ModelLoadError as exc:
        raise ApiError(503, str(exc), code="model_not_loaded") from None
    except DeskSeekError as exc:  # an engine that cannot continue raw text says so
        raise ApiError(400 if raw else 503, str(exc), code="unsupported_by_engine" if raw else "model_not_loaded",
                       param="prompt" if raw else None) from None
    reserve = reply_reserve(n_ctx, options.max_tokens)
    if n > prompt_budget(n_ctx, reserve):
        what = "prompt" if raw else "messages"
        raise ApiError(400, f"This model's maximum context length is {n_ctx} tokens. However, your {what} "
                            f"resulted in {n} tokens, and {reserve} are kept for the reply (max_tokens, at most "
                            f"a quarter of the context). Shorten the {what} or lower max_tokens.",
                       code="context_length_exceeded", param=what)


def _observed(state: _State, ask: Ask, options: GenerationOptions, events: "_Bridge"):
    """events.put, and the reply hook's callback after it; a failing hook never fails the request."""
    if state.on_reply is None:
        return events.put
    try:
        observer = state.on_reply(ask.messages, options)
    except Exception:
        log.exception("the API server's reply hook failed")
        observer = None
    if observer is None:
        return events.put

    def both(event: StreamEvent) -> None:
        events.put(event)
        try:
            observer(event)
        except Exception:
            log.exception("the API server's reply hook failed")

    return both


class _Bridge:
    """Engine-thread events into the server's event loop."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop, self.queue = loop, asyncio.Queue()

    def put(self, event: StreamEvent) -> None:  # on the engine thread
        try:
            self.loop.call_soon_threadsafe(self.queue.put_nowait, event)
        except RuntimeError:  # the server's loop has closed: nobody is listening any more
            pass

    async def get(self) -> StreamEvent:
        return await self.queue.get()


async def _stream(state: _State, reply: Reply, ask: Ask, events: _Bridge, cancel: CancelToken):
    """Server-sent events; cancelled here (the client went away) sets the reply's CancelToken."""
    try:
        first = reply.first_chunk(ask.include_usage)
        if first is not None:
            yield json.dumps(first)
        while True:
            event = await events.get()
            if isinstance(event, TextDelta):
                yield json.dumps(reply.delta_chunk(event.text, event.reasoning, ask.include_usage))
                continue
            if event.reason == "error":
                yield json.dumps(ApiError(500, event.error or "The engine failed.", code="engine_error").body())
            else:
                yield json.dumps(reply.last_chunk(event, ask.include_usage))
                if ask.include_usage:
                    yield json.dumps(reply.usage_chunk(event))
            yield "[DONE]"
            return
    finally:
        cancel.cancel()  # a no-op after Finished; mid-reply the engine stops before its next token
        state.forget(cancel)


def _forget(state: _State, cancel: CancelToken) -> None:
    cancel.cancel()
    state.forget(cancel)


async def _whole(state: _State, request: Request, reply: Reply, events: _Bridge, cancel: CancelToken):
    """The whole reply in one JSON; a client that hangs up before it is written cancels it."""
    watcher = asyncio.create_task(_cancel_on_disconnect(request, cancel))
    try:
        while True:
            event = await events.get()
            if isinstance(event, TextDelta):
                (reply.reasoning if event.reasoning else reply.content).append(event.text)
            else:
                break
    finally:
        watcher.cancel()
        cancel.cancel()
        state.forget(cancel)
    done: Finished = event
    if done.reason == "error":
        raise ApiError(500, done.error or "The engine failed.", code="engine_error")
    return JSONResponse(reply.whole(done))


async def _cancel_on_disconnect(request: Request, cancel: CancelToken) -> None:
    while True:
        message = await request.receive()
        if message["type"] == "http.disconnect":
            cancel.cancel()
            return


# -- errors ------------------------------------------------------------------------------------
async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
    return exc.response()


async def _http_error(request: Request, exc: HTTPException) -> JSONResponse:
    """Starlette's own 404 (no such path) and 405 (wrong method), in OpenAI's shape."""
    if exc.status_code == 404:
        error = ApiError(404, f"Unknown path: {request.method} {request.url.path}. This server has "
                              "GET /v1/models, POST /v1/chat/completions and POST /v1/completions.",
                         code="unknown_url")
    elif exc.status_code == 405:
        error = ApiError(405, f"{request.method} is not allowed on {request.url.path}.",
                         code="method_not_allowed", headers=dict(exc.headers or {}))
    else:
        error = ApiError(exc.status_code, str(exc.detail), headers=dict(exc.headers or {}))
    return error.response()


async def _crash(request: Request, exc: Exception) -> JSONResponse:
    log.exception("API request failed", exc_info=exc)
    return ApiError(500, f"The server failed: {exc}", code="server_error").response()


# -- running -----------------------------------------------------------------------------------
class ServerHandle:
    """A running server: its address, and stop()."""

    def __init__(self, server: uvicorn.Server, thread: threading.Thread, state: _State, host: str, port: int,
                 token: str) -> None:
        self._server, self._thread, self._state = server, thread, state
        self.host, self.port, self.token = host, port, token
        shown = f"[{host}]" if ":" in host else host
        self.url = f"http://{shown}:{port}/v1"

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def use_defaults(self, defaults: GenerationOptions, fold_system_prompt: bool = False) -> None:
        """The sampling for what a request leaves out (top_k, repeat penalty; temperature and top_p
        when absent), and whether the model's card wants its system prompt folded into the first
        user message, from the next request on: the loaded model's own settings."""
        self._state.defaults = defaults
        self._state.fold_system_prompt = fold_system_prompt

    def stop(self, timeout: float = 10.0) -> bool:
        """Stop every reply it is writing, close the connections and end its thread. The
        EngineQueue (and its model) is the caller's and stays."""
        self._state.cancel_all()
        self._server.should_exit = True
        self._thread.join(timeout)
        return not self._thread.is_alive()


def start_server(queue: EngineQueue, host: str = "127.0.0.1", port: int = 0, token: str = "",
                 origins: Sequence[str] = (), defaults: GenerationOptions | None = None,
                 on_reply: ReplyHook | None = None) -> ServerHandle:
    """Listen on host:port (0: any free port) and serve in a daemon thread. Raises
    ServerStartError with a sentence when it cannot listen. on_reply: see ReplyHook."""
    if not is_loopback(host):
        log.warning("the API server listens on %s: other machines can reach it (with the token)", host)
    sock = _listen(host, port)
    port = sock.getsockname()[1]
    app = build_app(queue, token, origins, defaults, on_reply)
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off",
                            timeout_graceful_shutdown=2, timeout_keep_alive=5)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="deskseek-api", daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT_S
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            sock.close()
            raise ServerStartError(f"The API server on {host}:{port} did not start (see the log).")
        time.sleep(0.01)
    handle = ServerHandle(server, thread, app.state.api, host, port, token)
    log.info("API server listening on %s", handle.url)
    return handle


def _listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # restarts while old sockets linger
        sock.bind((host, port))
        sock.listen(128)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise ServerStartError(f"Port {port} on {host} is already in use: stop what listens there, or "
                                   "choose another port with --port.") from None
        if exc.errno in (errno.EADDRNOTAVAIL, errno.EAFNOSUPPORT) or isinstance(exc, socket.gaierror):
            raise ServerStartError(f"{host} is not an address of this machine; use 127.0.0.1 (the default) "
                                   "or one of this machine's addresses with --host.") from None
        raise ServerStartError(f"The API server cannot listen on {host}:{port}: {exc.strerror or exc}.") from None
    sock.setblocking(False)
    return sock
