"""`deskseek serve`: the local OpenAI-compatible API server without the window.

It loads the model as the window would (runtime.loading.plans_for), serves it on 127.0.0.1 unless
--host says otherwise, prints the URL and the token, and runs until Ctrl+C. The token is made
with `secrets` when none is given and kept nowhere; the history database is never opened.
"""
from __future__ import annotations

import argparse
import os
import secrets
import signal
import sys
import threading
from typing import Sequence

DEFAULT_PORT = 8765
TOKEN_ENV = "DESKSEEK_API_TOKEN"  # a token kept out of the process list


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="deskseek serve",
        description="Serve a model over an OpenAI-compatible API on this machine: GET /v1/models, "
                    "POST /v1/chat/completions and /v1/completions, a bearer token always required.")
    p.add_argument("--model", help="a .gguf file, a Hugging Face folder or a server URL (default: the embedded model)")
    p.add_argument("--port", type=_port, default=DEFAULT_PORT, help=f"the port to listen on (default {DEFAULT_PORT}; 0: any free one)")
    p.add_argument("--host", default="127.0.0.1",
                   help="the address to listen on (default 127.0.0.1, this machine only); another address "
                        "lets other machines reach the server (with the token)")
    p.add_argument("--token", help=f"the bearer token clients must send (default: ${TOKEN_ENV}, else a new random one, printed)")
    p.add_argument("--origin", action="append", default=[], metavar="ORIGIN",
                   help="a web origin allowed to call the server from a browser (CORS), e.g. "
                        "http://localhost:3000; repeat for more (default: none)")
    p.add_argument("--ctx", type=int, help="the context length to load the model with (default: the planner's)")
    return p


def main(argv: Sequence[str]) -> int:
    args = build_parser().parse_args(list(argv))
    from app.api.server import ServerStartError, is_loopback, start_server
    from runtime.cli.plan_cmd import model_path
    from runtime.engine_queue import EngineQueue
    from runtime.loading import plans_for
    from runtime.planner import PlanPreferences
    from app.models.model_settings import card_folds_system_prompt
    from runtime.types import DeskSeekError, GenerationOptions

    token = args.token or os.environ.get(TOKEN_ENV) or secrets.token_urlsafe(32)
    if args.token is not None and len(args.token.strip()) < 8:
        print("deskseek serve: the token must have at least 8 characters.", file=sys.stderr)
        return 2
    path = model_path(args.model)
    if not is_loopback(args.host):
        print(f"deskseek serve: warning: listening on {args.host}, so other machines can reach this server "
              "(they still need the token).", file=sys.stderr)
    queue = EngineQueue()
    try:
        handle = start_server(queue, args.host, args.port, token, args.origin)  # a taken port fails before the load
    except ServerStartError as exc:
        print(f"deskseek serve: {exc}", file=sys.stderr)
        queue.close(5)
        return 1
    try:
        print(f"Loading {path} ...", file=sys.stderr, flush=True)
        prefs = PlanPreferences(n_ctx=args.ctx) if args.ctx else None
        try:
            info = queue.load(lambda: plans_for(path, prefs)).result()
        except DeskSeekError as exc:
            print(f"deskseek serve: {exc}", file=sys.stderr)
            return 1
        # R1 and its distills ask for no system prompt: folded into the first message, as in the window.
        handle.use_defaults(GenerationOptions(), card_folds_system_prompt(path, info.name))
        stop = _stop_on_signals()  # before the URL is printed: a client may stop us as soon as it reads it
        try:
            print(f"Serving {info.name} (context {info.context_length}) at {handle.url}", flush=True)
            print(f"Token: {token}", flush=True)
            print(f"Try: curl {handle.url}/models -H 'Authorization: Bearer {token}'", file=sys.stderr)
            print("Ctrl+C stops the server.", file=sys.stderr, flush=True)
            while handle.running and not stop.wait(0.5):
                pass
        finally:
            stop.restore()
        return 0
    finally:
        handle.stop()
        queue.close(10)


class _Stop(threading.Event):
    """Set by Ctrl+C or SIGTERM (a service manager's stop); restore() gives the signals back."""

    def restore(self) -> None:
        for sig, handler in self.previous.items():
            signal.signal(sig, handler)


def _stop_on_signals() -> _Stop:
    stop = _Stop()
    stop.previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGINT, signal.SIGTERM)}
    return stop


def _port(text: str) -> int:
    value = int(text)
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"must be from 0 to 65535, not {value}")
    return value
